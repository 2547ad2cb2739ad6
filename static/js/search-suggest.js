// Suggests page titles in the header search box (and the search page's box) as the resident
// types: fills the <datalist> the inputs point to. Without JavaScript the form still submits.
(function () {
  "use strict";
  var form = document.querySelector("form[data-search-suggest]");
  var list = document.getElementById("site-search-suggestions");
  if (!form || !list || !window.fetch) return;
  var endpoint = form.getAttribute("data-search-suggest");
  var inputs = document.querySelectorAll('input[list="site-search-suggestions"]');
  var timer = null;
  var controller = null;
  var lastQuery = "";

  function fill(suggestions) {
    while (list.firstChild) list.removeChild(list.firstChild);
    suggestions.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.title;
      option.label = item.type;
      list.appendChild(option);
    });
  }

  function lookUp(query) {
    if (controller) controller.abort();
    controller = "AbortController" in window ? new AbortController() : null;
    fetch(endpoint + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) { fill(data.suggestions || []); })
      .catch(function () { /* a slow or aborted request simply leaves the list as it was */ });
  }

  Array.prototype.forEach.call(inputs, function (input) {
    input.addEventListener("input", function () {
      var query = input.value.trim();
      window.clearTimeout(timer);
      if (query.length < 2) { fill([]); lastQuery = ""; return; }
      if (query === lastQuery) return;
      timer = window.setTimeout(function () { lastQuery = query; lookUp(query); }, 250);
    });
  });
})();
