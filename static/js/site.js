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
