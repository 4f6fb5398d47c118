// After a failed submit the page opens with an error summary: move the focus to it, so that
// keyboard and screen reader users start at the list of what to correct. Without script the
// summary is still the first thing in the main content.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
