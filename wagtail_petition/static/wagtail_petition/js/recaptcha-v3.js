// reCAPTCHA v3 on the sign form: fetch a token when the form is submitted.
(function () {
  "use strict";
  document.querySelectorAll("input.g-recaptcha[data-sitekey]").forEach(function (input) {
    input.form.addEventListener("submit", function (event) {
      if (input.value || typeof grecaptcha === "undefined") {
        return;
      }
      event.preventDefault();
      grecaptcha.ready(function () {
        grecaptcha
          .execute(input.dataset.sitekey, { action: input.dataset.action || "sign" })
          .then(function (token) {
            input.value = token;
            input.form.submit();
          });
      });
    });
  });
})();
