/* motcua — small enhancements on top of pages that work without JavaScript. */
(function () {
  "use strict";

  function focusErrors(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-print]") : null;
    if (target) {
      event.preventDefault();
      window.print();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (el) { el.hidden = false; });
    focusErrors(document);
  });

  document.addEventListener("htmx:afterSwap", function (event) { focusErrors(event.target); });
})();
