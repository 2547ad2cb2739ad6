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
