// Feedback prompt: progressive enhancement of a plain POST form.
// With JavaScript the comment appears after "No", the answer is sent with fetch() and the
// thank-you replaces the form in the live region, which receives focus. Any network failure
// falls back to the ordinary form submission.
(function () {
  "use strict";

  function showErrors(form, errors) {
    var firstInvalid = null;
    form.querySelectorAll("[data-tyonohjaus-error-for]").forEach(function (box) {
      var name = box.getAttribute("data-tyonohjaus-error-for");
      var fieldErrors = errors[name] || [];
      var inputs = form.querySelectorAll("[name='" + name + "']");
      box.textContent = fieldErrors.length ? fieldErrors[0].message : "";
      box.hidden = !fieldErrors.length;
      inputs.forEach(function (input) {
        if (fieldErrors.length) {
          input.setAttribute("aria-invalid", "true");
          firstInvalid = firstInvalid || input;
        } else {
          input.removeAttribute("aria-invalid");
        }
      });
      if (name === "answer") {
        // Radio buttons: the group (fieldset) carries the error description.
        var fieldset = box.closest("fieldset");
        if (fieldErrors.length) {
          fieldset.setAttribute("aria-describedby", box.id);
        } else {
          fieldset.removeAttribute("aria-describedby");
        }
      }
      if (name === "comment" && inputs.length) {
        var describedBy = "tyonohjaus-feedback-comment-help";
        if (fieldErrors.length) {
          describedBy += " " + box.id;
        }
        inputs[0].setAttribute("aria-describedby", describedBy);
      }
    });
    if (firstInvalid) {
      firstInvalid.focus();
    }
  }

  function showStatus(status, message) {
    var paragraph = document.createElement("p");
    paragraph.textContent = message;
    status.replaceChildren(paragraph);
    status.focus();
  }

  function init(root) {
    var form = root.querySelector("[data-tyonohjaus-feedback-form]");
    var status = root.querySelector("[data-tyonohjaus-feedback-status]");
    var more = root.querySelector("[data-tyonohjaus-feedback-more]");
    if (!form || !status || !window.fetch || !window.FormData) {
      return;
    }
    var answers = form.querySelectorAll("[data-tyonohjaus-answer]");
    var hasErrors = !!form.querySelector("[aria-invalid='true']");

    function toggleMore() {
      var no = form.querySelector("[data-tyonohjaus-answer][value='no']");
      more.hidden = !(hasErrors || (no && no.checked));
    }
    answers.forEach(function (input) {
      input.addEventListener("change", toggleMore);
    });
    toggleMore();

    var sending = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sending) {
        return;
      }
      sending = true;
      var button = form.querySelector("button[type='submit']");
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { status: response.status, data: data };
          });
        })
        .then(function (result) {
          sending = false;
          button.disabled = false;
          if (result.status === 200) {
            form.remove();
            showStatus(status, result.data.message);
          } else if (result.status === 400 && result.data.errors) {
            hasErrors = true;
            toggleMore();
            showErrors(form, result.data.errors);
          } else if (result.data && result.data.message) {
            showStatus(status, result.data.message);
          } else {
            form.submit();
          }
        })
        .catch(function () {
          form.submit();
        });
    });
  }

  function initAll() {
    document.querySelectorAll("[data-tyonohjaus-feedback]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
