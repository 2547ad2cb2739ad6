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

// 适老化工具: page zoom, high contrast, big cursor and 读屏 (speech), remembered on this device.
// The head script in base.html applies the stored choices to <html> before the first paint; this
// makes the buttons work and keeps <html>, the buttons and local storage in step.
(function () {
  "use strict";
  var root = document.documentElement;
  var bar = document.querySelector("[data-a11y-toolbar]");
  if (!bar) return;
  var LEVELS = [100, 125, 150, 200];
  var openers = document.querySelectorAll("[data-a11y-open]");
  var reopen = document.querySelector("[data-a11y-reopen]");
  var level = bar.querySelector("[data-a11y-level]");
  var speaking = bar.querySelector("[data-a11y-speaking]");
  var speakingText = bar.querySelector("[data-a11y-speaking-text]");
  var toggles = bar.querySelectorAll("[data-a11y-toggle]");
  var synth = window.speechSynthesis;
  var canSpeak = !!(synth && window.SpeechSynthesisUtterance);

  function read(key) {
    try {
      return localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }
  function store(key, value) {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch (e) {
      // Private browsing may refuse storage; the choice still applies to this page.
    }
  }

  // The toolbar shows in 长辈模式 unless it was folded away, and otherwise when it was opened.
  function isOpen() {
    var choice = read("zz-a11y-bar");
    return root.classList.contains("elder") ? choice !== "closed" : choice === "open";
  }
  function showBar(open) {
    root.classList.toggle("a11y-open", open);
    openers.forEach(function (opener) {
      opener.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  function setOpen(open) {
    if (root.classList.contains("elder")) store("zz-a11y-bar", open ? null : "closed");
    else store("zz-a11y-bar", open ? "open" : null);
    showBar(open);
  }

  function zoom() {
    for (var i = LEVELS.length - 1; i > 0; i--) {
      if (root.classList.contains("a11y-zoom-" + LEVELS[i])) return LEVELS[i];
    }
    return 100;
  }
  function setZoom(value) {
    LEVELS.forEach(function (step) {
      root.classList.toggle("a11y-zoom-" + step, step === value && step !== 100);
    });
    store("zz-zoom", value === 100 ? null : String(value));
    showZoom();
  }
  function showZoom() {
    var value = zoom();
    level.textContent = value + "%";
    bar.querySelectorAll("[data-a11y-zoom]").forEach(function (button) {
      var up = button.getAttribute("data-a11y-zoom") === "1";
      var atEnd = up ? value === LEVELS[LEVELS.length - 1] : value === LEVELS[0];
      if (atEnd) button.setAttribute("aria-disabled", "true");
      else button.removeAttribute("aria-disabled");
    });
  }

  function isOn(name) {
    return root.classList.contains("a11y-" + name);
  }
  function setOn(name, on) {
    root.classList.toggle("a11y-" + name, on);
    store("zz-" + name, on ? "on" : null);
    showToggles();
    if (name === "reader") {
      if (on) speak("语音读屏已开启。点一下文字就会读出来；用电脑时，鼠标指向文字或按 Tab 键也会读。");
      else stop();
    }
  }
  function showToggles() {
    toggles.forEach(function (button) {
      var on = isOn(button.getAttribute("data-a11y-toggle"));
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  // 读屏: the browser's own speech synthesis, in Mandarin, a little slower than usual.
  var current = null;
  function voice() {
    var voices = synth.getVoices() || [];
    var best = null;
    for (var i = 0; i < voices.length; i++) {
      var lang = (voices[i].lang || "").replace("_", "-").toLowerCase();
      if (lang === "zh-cn") return voices[i];
      if (!best && lang.indexOf("zh") === 0) best = voices[i];
    }
    return best;
  }
  function speak(text) {
    text = (text || "").replace(/\s+/g, " ").trim().slice(0, 500);
    if (!canSpeak || !text) return;
    synth.cancel();
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "zh-CN";
    utterance.rate = 0.9;
    var chosen = voice();
    if (chosen) utterance.voice = chosen;
    utterance.onend = utterance.onerror = function () {
      if (current === utterance) showSpeaking(null);
    };
    current = utterance;
    showSpeaking(text);
    synth.speak(utterance);
  }
  function stop() {
    current = null;
    if (canSpeak) synth.cancel();
    showSpeaking(null);
  }
  function showSpeaking(text) {
    speaking.hidden = !text;
    speakingText.textContent = text || "";
  }

  var READABLE =
    "a[href], button, summary, label, select, input, textarea, img[alt], h1, h2, h3, h4, h5, h6," +
    " p, li, dt, dd, th, td, figcaption, blockquote, caption, legend";
  var INTERACTIVE = "a[href], button, summary, label, select, input, textarea";
  function textOf(element) {
    if (!element || element.closest("[data-a11y-speaking]")) return "";
    if (element.matches("input, select, textarea")) {
      var name = element.labels && element.labels.length ? element.labels[0].innerText : "";
      var value = element.matches("select")
        ? (element.options[element.selectedIndex] || {}).text
        : element.value || element.placeholder;
      return [element.getAttribute("aria-label") || name, value].filter(Boolean).join("，");
    }
    if (element.matches("img")) return element.alt;
    if (element.getAttribute("aria-label")) return element.getAttribute("aria-label");
    if (!element.querySelector("[aria-hidden='true']")) return element.innerText;
    // What a screen reader would say: without the decorative parts (icons, the 学 of the logo).
    var copy = element.cloneNode(true);
    copy.querySelectorAll("[aria-hidden='true']").forEach(function (hidden) {
      hidden.remove();
    });
    return copy.textContent;
  }
  function readAt(target) {
    if (!isOn("reader") || !target || !target.closest) return;
    speak(textOf(target.closest(READABLE)));
  }

  document.addEventListener("focusin", function (event) {
    if (isOn("reader") && event.target.matches && event.target.matches(READABLE)) {
      speak(textOf(event.target));
    }
  });
  var hoverTimer = null;
  var hovered = null;
  var pointerType = "mouse";
  document.addEventListener("pointerdown", function (event) {
    pointerType = event.pointerType;
  });
  document.addEventListener("pointerover", function (event) {
    if (event.pointerType !== "mouse" || !isOn("reader")) return;
    var element = event.target.closest && event.target.closest(READABLE);
    if (!element || element === hovered) return;
    hovered = element;
    clearTimeout(hoverTimer);
    hoverTimer = setTimeout(function () {
      readAt(element);
    }, 350);
  });
  // A finger has no hover: a tap on text (not on a link or button) reads it.
  document.addEventListener("click", function (event) {
    if (pointerType === "mouse" || !event.target.closest) return;
    if (event.target.closest(INTERACTIVE) || event.target.closest("[data-a11y-toolbar]")) return;
    readAt(event.target);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && current) stop();
  });
  window.addEventListener("pagehide", function () {
    if (canSpeak) synth.cancel();
  });

  bar.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.hasAttribute("data-a11y-zoom")) {
      if (button.getAttribute("aria-disabled") === "true") return;
      var index = LEVELS.indexOf(zoom()) + Number(button.getAttribute("data-a11y-zoom"));
      setZoom(LEVELS[Math.max(0, Math.min(LEVELS.length - 1, index))]);
    } else if (button.hasAttribute("data-a11y-toggle")) {
      var name = button.getAttribute("data-a11y-toggle");
      setOn(name, !isOn(name));
    } else if (button.hasAttribute("data-a11y-reset")) {
      setZoom(100);
      ["contrast", "cursor", "reader"].forEach(function (name) {
        if (isOn(name)) setOn(name, false);
      });
    } else if (button.hasAttribute("data-a11y-stop")) {
      stop();
    } else if (button.hasAttribute("data-a11y-close")) {
      setOpen(false);
      // The focus goes back to the button that opens it again (the one on screen).
      var back = [reopen].concat(Array.prototype.slice.call(openers)).filter(function (el) {
        return el && el.getClientRects().length;
      })[0];
      if (back) back.focus();
    }
  });
  function openAndFocus() {
    setOpen(true);
    bar.querySelector(".a11y-tool").focus();
  }
  openers.forEach(function (opener) {
    opener.hidden = false;
    opener.addEventListener("click", function () {
      if (root.classList.contains("a11y-open")) setOpen(false);
      else openAndFocus();
    });
  });
  if (reopen) reopen.addEventListener("click", openAndFocus);
  // Switching 长辈模式 (the handler above has already changed <html>) shows or hides the toolbar.
  var elderToggle = document.querySelector("[data-elder-toggle]");
  if (elderToggle) {
    elderToggle.addEventListener("click", function () {
      showBar(isOpen());
    });
  }

  bar.querySelector('[data-a11y-toggle="reader"]').hidden = !canSpeak;
  if (!canSpeak && isOn("reader")) root.classList.remove("a11y-reader");
  showBar(isOpen());
  showZoom();
  showToggles();
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
