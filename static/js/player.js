// The recording player: playback speed, and the transcript's and chapters' lines as buttons that
// play from their time, the line being spoken marked while the recording plays. Without
// JavaScript the page keeps the browser's own controls and a transcript with times.
(function () {
  "use strict";
  var wrapper = document.querySelector("[data-player]");
  if (!wrapper || wrapper.hasAttribute("data-player-ready")) return;
  var media = wrapper.querySelector("video, audio");
  if (!media) return;
  wrapper.setAttribute("data-player-ready", "");

  // 播放速度: one button pressed at a time; the choice is remembered on this device.
  var SPEED_KEY = "zz-playback-rate";
  var speedGroup = wrapper.querySelector("[data-player-speed]");
  var speedButtons = speedGroup ? speedGroup.querySelectorAll("[data-speed]") : [];

  function showSpeed(rate) {
    Array.prototype.forEach.call(speedButtons, function (button) {
      button.setAttribute("aria-pressed", Number(button.getAttribute("data-speed")) === rate ? "true" : "false");
    });
  }

  function setSpeed(rate) {
    media.playbackRate = rate;
    media.defaultPlaybackRate = rate;
    showSpeed(rate);
  }

  if (speedGroup) {
    speedGroup.hidden = false;
    Array.prototype.forEach.call(speedButtons, function (button) {
      button.addEventListener("click", function () {
        var rate = Number(button.getAttribute("data-speed"));
        setSpeed(rate);
        try {
          localStorage.setItem(SPEED_KEY, String(rate));
        } catch (e) {
          // Storage may be refused (private browsing); the speed still applies to this page.
        }
      });
    });
    var saved = null;
    try {
      saved = Number(localStorage.getItem(SPEED_KEY));
    } catch (e) {
      saved = null;
    }
    if (saved === 0.75 || saved === 1.25) setSpeed(saved);
  }

  // Lines with times (the transcript's and the chapters'): each becomes a button.
  var lines = [];
  Array.prototype.forEach.call(document.querySelectorAll("[data-cues] > li[data-start]"), function (item) {
    var start = Number(item.getAttribute("data-start"));
    var end = Number(item.getAttribute("data-end"));
    if (!isFinite(start)) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cue";
    while (item.firstChild) button.appendChild(item.firstChild);
    item.appendChild(button);
    button.addEventListener("click", function () {
      media.currentTime = start;
      var playing = media.play();
      if (playing && playing.catch) playing.catch(function () {});
    });
    lines.push({ item: item, start: start, end: isFinite(end) ? end : start, transcript: !!item.closest(".cue-list--transcript") });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-cues-hint]"), function (hint) {
    hint.hidden = false;
  });
  if (!lines.length) return;

  // The line being spoken: the transcript's cue (or the chapter) whose time holds the position.
  function mark() {
    var now = media.currentTime;
    lines.forEach(function (line) {
      var current = now >= line.start && now < line.end;
      if (current !== line.item.classList.contains("is-current")) {
        line.item.classList.toggle("is-current", current);
        var button = line.item.firstElementChild;
        if (current) button.setAttribute("aria-current", "true");
        else button.removeAttribute("aria-current");
      }
    });
  }
  media.addEventListener("timeupdate", mark);
  media.addEventListener("seeked", mark);
})();
