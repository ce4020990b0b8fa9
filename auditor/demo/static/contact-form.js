/* Contact form "autofill helper" (flawed store: copies the email into the name field and clears it). */
(function () {
  "use strict";
  var email = document.getElementById("c-email");
  var name = document.getElementById("c-name");
  if (!email || !name) { return; }
  email.addEventListener("input", function () {
    name.value = email.value;
    email.value = "";
  });
})();
