// The determination form shows the fields of the kind chosen ("What the agency said") and
// hides the others: no fee or extension fields for an acknowledgement. Without this file
// every field shows, each marked with the kinds that use it; the server ignores the rest.
(function () {
  "use strict";
  var form = document.querySelector("form.determination-form");
  if (!form) return;
  var kind = form.querySelector("select[name=kind]");
  if (!kind) return;

  function show() {
    form.querySelectorAll(".kind-field[data-kinds]").forEach(function (wrapper) {
      var kinds = wrapper.dataset.kinds.split(" ");
      wrapper.hidden = kinds.indexOf(kind.value) === -1;
    });
    form.querySelectorAll(".kind-note").forEach(function (note) { note.hidden = true; });
  }

  kind.addEventListener("change", show);
  show();
})();
