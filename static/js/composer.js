// The composer without a round trip: narrow the agency list as you type, and pre-fill the
// technologies and the law from the agency chosen. Everything also works without this file.
(function () {
  "use strict";
  var form = document.getElementById("composer");
  if (!form) return;
  var select = form.querySelector("select[name=agency]");
  var search = document.getElementById("agency-search");
  var law = form.querySelector("select[name=law]");
  var foiaOptions = document.getElementById("foia-options");

  function filterAgencies() {
    var needle = search.value.trim().toLowerCase();
    var exact = null;
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) return;
      var name = option.text.toLowerCase();
      option.hidden = needle !== "" && name.indexOf(needle) === -1;
      if (name === needle) exact = option;
    });
    if (exact && select.value !== exact.value) {
      select.value = exact.value;
      select.dispatchEvent(new Event("change"));
    }
  }

  function applyDefaults() {
    if (!select.value) return;
    var url = form.dataset.technologiesUrl + "?agency=" + encodeURIComponent(select.value);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        var known = data.technologies.map(String);
        form.querySelectorAll("input[name=technologies]").forEach(function (box) {
          box.checked = known.indexOf(box.value) !== -1;
        });
        if (data.law && law) {
          law.value = String(data.law);
          showFoiaOptions();
        }
      })
      .catch(function () { /* The "Fill in" button does the same on the server. */ });
  }

  // Show the FOIA options only while the law chosen is federal FOIA: when the agency's
  // defaults set the law, and whenever the form is used.
  function showFoiaOptions() {
    if (!foiaOptions || !law || !foiaOptions.dataset.foiaLaw) return;
    foiaOptions.hidden = law.value !== foiaOptions.dataset.foiaLaw;
  }

  if (search) search.addEventListener("input", filterAgencies);
  if (select) select.addEventListener("change", applyDefaults);
  ["change", "focusin", "input"].forEach(function (name) {
    form.addEventListener(name, showFoiaOptions);
  });
})();
