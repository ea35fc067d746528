// Portal pages: the large-font switch (a cookie, so the server renders the right size next time)
// and reloading lists restored from the back-forward cache (iOS WeChat).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var b = event.target.closest("[data-large-font]");
    if (!b) return;
    var on = !document.body.classList.contains("large");
    document.body.classList.toggle("large", on);
    document.cookie = "large_font=" + (on ? "1" : "0") + "; path=/; max-age=31536000; SameSite=Lax";
    b.setAttribute("aria-pressed", on ? "true" : "false");
    b.textContent = on ? b.dataset.labelOn : b.dataset.labelOff;
  });
  window.addEventListener("pageshow", function (e) { if (e.persisted) window.location.reload(); });
  // A form came back with errors: the summary at the top takes the focus (and the screen reader).
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });
})();
