// The composer without a round trip: narrow the agency list as you type, set the law from the
// agency chosen and mark the technologies it is known to use (marked, not ticked: the request
// is about what the requester picks). Everything also works without this file.
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
    // Every word, in any order: "angeles police" finds the Los Angeles Police Department.
    var words = needle.split(/[\s,]+/).filter(Boolean);
    var exact = null;
    var found = [];
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) return;
      var name = option.text.toLowerCase();
      option.hidden = words.some(function (word) { return name.indexOf(word) === -1; });
      if (!option.hidden) found.push(option);
      if (name === needle) exact = option;
    });
    // The name typed in full, or the only agency that matches: choose it.
    var chosen = exact || (words.length && found.length === 1 ? found[0] : null);
    if (chosen && select.value !== chosen.value) {
      select.value = chosen.value;
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
          var label = box.closest("label") || box.parentNode;
          var mark = label.querySelector(".known-here");
          if (known.indexOf(box.value) === -1) {
            if (mark) mark.remove();
          } else if (!mark) {
            mark = document.createElement("span");
            mark.className = "known-here muted";
            mark.textContent = " (known at this agency)";
            label.appendChild(mark);
          }
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
