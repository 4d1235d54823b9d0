// Share control: copy the page's canonical URL and announce the result in the live region.
// Progressive enhancement only: without JavaScript the address stays visible and selectable.
(function () {
  "use strict";

  function announce(status, message) {
    // Clear first so that the same message is announced again on a second click.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 50);
  }

  function copyWithSelection(input) {
    input.focus();
    input.select();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function init(root) {
    var input = root.querySelector("[data-tyonohjaus-share-url]");
    var button = root.querySelector("[data-tyonohjaus-share-button]");
    var status = root.querySelector("[data-tyonohjaus-share-status]");
    if (!input || !button || !status) {
      return;
    }
    button.hidden = false;
    input.addEventListener("focus", function () {
      input.select();
    });
    button.addEventListener("click", function () {
      var copied = status.getAttribute("data-message-copied");
      var failed = status.getAttribute("data-message-failed");
      var fallback = function () {
        announce(status, copyWithSelection(input) ? copied : failed);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () {
          announce(status, copied);
        }, fallback);
      } else {
        fallback();
      }
    });
  }

  function initAll() {
    document.querySelectorAll("[data-tyonohjaus-share]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
