/* Payment hand-off on the review step (flawed store: the session token is never set, so it throws). */
(function () {
  "use strict";
  var button = document.querySelector('[data-testid="place-order"]');
  if (!button) { return; }
  button.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var session = window.paymentSession;
    session.confirm({ total: document.querySelector('[data-testid="review-total"]').textContent });
  });
})();
