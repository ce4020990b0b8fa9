/* "Analytics" hook (seeded defect "slow-add-to-cart").
 * Busy-loops ~400 ms on the main thread inside the add-to-cart click handler,
 * before the form is allowed to submit: a long task and a slow interaction. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest('[data-testid="add-to-cart"]');
    if (!button) { return; }
    var until = performance.now() + 400;
    var fingerprint = 0;
    while (performance.now() < until) { fingerprint = (fingerprint * 31 + 7) % 1000003; }
    window.__nwFingerprint = fingerprint;
  }, true);
})();
