// Application form: find colleagues by name or e-mail and add their address to the list.
// Progressive enhancement: without JavaScript the addresses are typed one per line, and the
// server accepts only active colleagues either way.
(function () {
  "use strict";

  function init(form) {
    var textarea = form.querySelector("textarea[name='co_applicants']");
    var searchUrl = form.getAttribute("data-tyonohjaus-people-url");
    if (!textarea || !searchUrl || !window.fetch) {
      return;
    }
    var wrapper = document.createElement("div");
    wrapper.className = "tyonohjaus-people";
    var label = document.createElement("label");
    label.htmlFor = "tyonohjaus-people-search";
    label.textContent = form.getAttribute("data-tyonohjaus-people-label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = "tyonohjaus-people-search";
    input.setAttribute("list", "tyonohjaus-people-options");
    input.setAttribute("autocomplete", "off");
    var options = document.createElement("datalist");
    options.id = "tyonohjaus-people-options";
    var status = document.createElement("p");
    status.className = "tyonohjaus-help";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    wrapper.append(label, input, options, status);
    textarea.parentNode.insertBefore(wrapper, textarea);

    var latest = 0;
    var timer = null;
    var found = {};

    function search() {
      var query = input.value.trim();
      if (query.length < 2 || found[query.toLowerCase()]) {
        return;
      }
      var ticket = ++latest;
      fetch(searchUrl + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.json();
        })
        .then(function (data) {
          if (ticket !== latest) {
            return;
          }
          options.replaceChildren();
          found = {};
          (data.results || []).forEach(function (person) {
            var option = document.createElement("option");
            option.value = person.email;
            option.label = person.name;
            option.textContent = person.name;
            options.appendChild(option);
            found[person.email.toLowerCase()] = person;
          });
        })
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      var person = found[input.value.trim().toLowerCase()];
      if (person) {
        var lines = textarea.value.split(/\s+/).filter(Boolean);
        if (lines.indexOf(person.email) === -1) {
          lines.push(person.email);
          textarea.value = lines.join("\n");
        }
        status.textContent = form.getAttribute("data-tyonohjaus-people-added").replace(
          "%(name)s",
          person.name
        );
        input.value = "";
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });
  }

  function initAll() {
    document.querySelectorAll("form[data-tyonohjaus-people-url]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
