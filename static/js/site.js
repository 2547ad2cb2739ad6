// 长辈模式 (elder mode): larger text, bigger targets, one column; remembered on this device.
(function () {
  "use strict";
  var KEY = "zz-elder-mode";
  var root = document.documentElement;
  var toggle = document.querySelector("[data-elder-toggle]");
  if (!toggle) return;
  var label = toggle.querySelector("[data-elder-label]");

  function show(on) {
    root.classList.toggle("elder", on);
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    label.textContent = on ? "退出长辈模式" : "长辈模式";
  }

  show(root.classList.contains("elder"));
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var on = !root.classList.contains("elder");
    show(on);
    try {
      localStorage.setItem(KEY, on ? "on" : "off");
    } catch (e) {
      // Private browsing may refuse storage; the mode still applies to this page.
    }
  });
})();

// 菜单 on phones: without JavaScript the link opens the menu through :target; here it becomes a
// toggle button that says whether the menu is open.
(function () {
  "use strict";
  var toggle = document.querySelector("[data-menu-toggle]");
  var menu = document.getElementById("main-nav");
  if (!toggle || !menu) return;
  toggle.setAttribute("role", "button");
  toggle.setAttribute("aria-expanded", "false");

  function show(open) {
    menu.classList.toggle("is-open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  toggle.addEventListener("click", function (event) {
    event.preventDefault();
    show(!menu.classList.contains("is-open"));
  });
  toggle.addEventListener("keydown", function (event) {
    if (event.key === " ") {
      event.preventDefault();
      show(!menu.classList.contains("is-open"));
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.classList.contains("is-open")) {
      show(false);
      toggle.focus();
    }
  });
})();

// A form that came back with errors: move the focus (and so the view) to the list of what to
// correct, so the resident does not land at the top of the page with the message out of sight.
(function () {
  "use strict";
  var target = document.querySelector("[data-error-summary], [data-focus-on-load]");
  if (target) target.focus();
})();

// 复制链接: copies the private link with the Clipboard API; without it the link stays
// selectable text and the button stays hidden.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) return;
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy-target]"), function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.querySelector("[data-copy-status]");
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          if (status) status.textContent = "链接已复制，可以粘贴到微信收藏或备忘录里保存。";
        },
        function () {
          field.select();
          if (status) status.textContent = "没能自动复制，请长按上面的链接，选择“复制”。";
        }
      );
    });
  });
})();

// 打印 on the large-print schedule: the browser's print dialog (the page prints without it too).
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    if (typeof window.print !== "function") return;
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
