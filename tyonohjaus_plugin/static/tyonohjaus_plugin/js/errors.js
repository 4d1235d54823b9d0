// After a failed submit, focus the error summary and bring it into view. The summary's autofocus
// attribute does this without JavaScript; browsers honour only the first autofocus on a page, so
// a site template's own (a search box, say) would win: this makes sure the summary gets it.
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector("[data-tyonohjaus-error-summary]");
    if (summary && document.activeElement !== summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
