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

  // The kiosk goes back to its home screen by itself after a while ([data-return-to] and
  // [data-return-after] seconds); [data-return-cancel] lets the person stay (WCAG 2.2.1).
  function returnLater() {
    var box = document.querySelector("[data-return-to]");
    if (!box) { return; }
    var left = parseInt(box.getAttribute("data-return-after"), 10) || 10;
    var counter = box.querySelector("[data-return-count]");
    var stay = box.querySelector("[data-return-cancel]");
    box.hidden = false;
    var timer = window.setInterval(function () {
      left -= 1;
      if (counter) { counter.textContent = String(Math.max(left, 0)); }
      if (left <= 0) {
        window.clearInterval(timer);
        window.location.assign(box.getAttribute("data-return-to"));
      }
    }, 1000);
    if (stay) {
      stay.addEventListener("click", function () {
        window.clearInterval(timer);
        box.hidden = true;
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (el) { el.hidden = false; });
    focusErrors(document);
    returnLater();
  });

  document.addEventListener("htmx:afterSwap", function (event) { focusErrors(event.target); });
})();
