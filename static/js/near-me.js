// Fills the near-me form with the browser's position. Without JavaScript (or without
// permission) the district picker in the same form still works.
(function () {
  "use strict";
  var form = document.querySelector("[data-near-me]");
  if (!form || !("geolocation" in navigator)) return;
  var action = form.querySelector(".geo-action");
  var button = form.querySelector("[data-locate]");
  var status = form.querySelector("[data-locate-status]");
  var lat = form.querySelector("[data-lat]");
  var lng = form.querySelector("[data-lng]");
  action.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = "正在获取您的位置……";
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lng.value = position.coords.longitude.toFixed(6);
        lat.disabled = false;
        lng.disabled = false;
        form.querySelector("select[name=district]").disabled = true;
        status.textContent = "已获取位置，正在查找附近的学校……";
        form.submit();
      },
      function () {
        button.disabled = false;
        status.textContent = "无法获取您的位置，请在下方选择区县。";
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 }
    );
  });
})();
