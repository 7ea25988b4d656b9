// The denial log's filters start open on wide screens, folded on phones unless a filter is
// set. The page loads this right after the panel (not deferred), as it did inline.
(function () {
  "use strict";
  var panel = document.getElementById("filter-panel");
  if (panel && window.matchMedia("(min-width: 48rem)").matches) { panel.open = true; }
  // Leave unset filters out of the URL: shared links stay short and readable.
  var form = panel && panel.querySelector("form");
  if (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && field.value === "") { field.disabled = true; }
      });
    });
    // Coming back through the history must not find the form half disabled.
    window.addEventListener("pageshow", function () {
      Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
    });
  }
})();
