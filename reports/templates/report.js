(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var findings = Array.prototype.slice.call(document.querySelectorAll(".finding"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".sev-group"));
  var checks = Array.prototype.slice.call(document.querySelectorAll("article.check"));
  var count = document.getElementById("f-count");
  function value(name) { return form.elements[name].value; }
  function apply() {
    var sev = value("severity"), ch = value("channel"), chk = value("check"), shown = 0;
    findings.forEach(function (el) {
      var ok = (!sev || el.getAttribute("data-severity") === sev) &&
               (!ch || (" " + el.getAttribute("data-channel") + " ").indexOf(" " + ch + " ") >= 0) &&
               (!chk || el.getAttribute("data-check") === chk);
      el.hidden = !ok;
      if (ok) { shown += 1; }
    });
    groups.forEach(function (g) {
      g.hidden = !g.querySelector(".finding:not([hidden])");
      if (sev || ch || chk) { g.open = !g.hidden; }  // a filter shows what it found
    });
    checks.forEach(function (c) {
      var hasAny = c.querySelector(".finding") !== null;
      var visible = c.querySelector(".finding:not([hidden])") !== null;
      var note = c.querySelector(".empty-note");
      var filtering = sev || ch || chk;
      c.hidden = Boolean(chk) && c.getAttribute("data-check") !== chk;
      if (note) { note.hidden = !(filtering && hasAny && !visible); }
    });
    count.textContent = (sev || ch || chk) ? "Showing " + shown + " of " + findings.length + " findings"
                                           : "Showing all " + findings.length + " findings";
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
}());
