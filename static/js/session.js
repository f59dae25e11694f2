// The session's idle limit: a warning before it runs out with "Stay logged in", and nothing
// typed lost when it runs out anyway. A form marked data-keep-input is saved to this tab's
// sessionStorage as it is typed (keyed by the address it is sent to); when the session has ended
// and the login page has sent the user back to the form, the values are put back.
(function () {
  "use strict";

  var PREFIX = "keep-input:";
  var SKIP = { csrfmiddlewaretoken: true };

  function storage() {
    try {
      return window.sessionStorage;
    } catch (error) {
      return null; // storage switched off: the forms work as before
    }
  }

  function keyOf(form) {
    return PREFIX + new URL(form.action || window.location.href, window.location.href).pathname;
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && !SKIP[field.name] && field.type !== "file" && field.type !== "password"
        && field.type !== "submit" && field.type !== "button";
    });
  }

  function read(form) {
    var values = {};
    fieldsOf(form).forEach(function (field) {
      var list = (values[field.name] = values[field.name] || []);
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked) list.push(field.value);
      } else if (field.multiple) {
        Array.prototype.forEach.call(field.selectedOptions, function (option) {
          list.push(option.value);
        });
      } else {
        list.push(field.value);
      }
    });
    return values;
  }

  function write(form, values) {
    var seen = {};
    fieldsOf(form).forEach(function (field) {
      var saved = values[field.name];
      if (!saved) return;
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = saved.indexOf(field.value) !== -1;
      } else if (field.multiple) {
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = saved.indexOf(option.value) !== -1;
        });
      } else {
        var index = seen[field.name] || 0;
        if (index < saved.length) field.value = saved[index];
        seen[field.name] = index + 1;
      }
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function keepInput(store) {
    var forms = document.querySelectorAll("form[data-keep-input]");
    var keys = {};
    forms.forEach(function (form) {
      var key = keyOf(form);
      keys[key] = true;
      var saved = null;
      try {
        saved = JSON.parse(store.getItem(key) || "null");
      } catch (error) {
        saved = null;
      }
      // A form the server sent back (with errors) shows what was sent: keep saving that. A fresh
      // form gets back what was typed before the session ended.
      if (saved && !form.hasAttribute("data-bound")) {
        write(form, saved.values);
        var notice = document.getElementById("keep-input-restored");
        if (notice) {
          form.parentNode.insertBefore(notice, form);
          notice.hidden = false;
        }
      }
      function save(submitted) {
        store.setItem(key, JSON.stringify({ values: read(form), submitted: submitted }));
      }
      form.addEventListener("input", function () {
        save(false);
      });
      form.addEventListener("change", function () {
        save(false);
      });
      form.addEventListener("submit", function () {
        save(true);
      });
      form.querySelectorAll("[data-discard-input]").forEach(function (link) {
        link.addEventListener("click", function () {
          store.removeItem(key);
        });
      });
    });
    // Logging out on purpose leaves nothing typed behind in the tab.
    document.querySelectorAll("form").forEach(function (form) {
      if (!/\/logout\/$/.test(new URL(form.action, window.location.href).pathname)) return;
      form.addEventListener("submit", function () {
        for (var i = store.length - 1; i >= 0; i--) {
          if (store.key(i).indexOf(PREFIX) === 0) store.removeItem(store.key(i));
        }
      });
    });
    // A form sent from this tab whose page is gone: it was saved (the success page), unless this
    // is the login page, which the user passes on the way back to the form.
    if (document.querySelector("form[data-login-form]")) return;
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (key.indexOf(PREFIX) !== 0 || keys[key]) continue;
      try {
        if (JSON.parse(store.getItem(key)).submitted) store.removeItem(key);
      } catch (error) {
        store.removeItem(key);
      }
    }
  }

  // The warning: shown a little before the session's idle limit (data-session-seconds on
  // <body>, the seconds left when the page was made); "Stay logged in" renews the session.
  function sessionWarning() {
    var seconds = parseInt(document.body.dataset.sessionSeconds, 10);
    var dialog = document.getElementById("session-warning");
    if (!dialog || !(seconds > 0)) return;
    var stay = dialog.querySelector("[data-session-stay]");
    var login = dialog.querySelector("[data-session-login]");
    var warning = dialog.querySelectorAll("[data-session-warning]");
    var ended = dialog.querySelectorAll("[data-session-ended]");
    var timers = [];
    var lead = Math.min(120, Math.floor(seconds / 2));

    function schedule(left) {
      timers.forEach(window.clearTimeout);
      timers = [
        window.setTimeout(warn, Math.max(0, left - lead) * 1000),
        window.setTimeout(end, left * 1000),
      ];
    }
    function warn() {
      dialog.hidden = false;
      dialog.focus();
    }
    function end() {
      warning.forEach(function (element) {
        element.hidden = true;
      });
      ended.forEach(function (element) {
        element.hidden = false;
      });
      stay.hidden = true;
      login.hidden = false;
      dialog.hidden = false;
      dialog.focus();
    }
    function close() {
      dialog.hidden = true;
    }
    dialog.querySelector("[data-session-close]").addEventListener("click", close);
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close();
    });
    stay.addEventListener("click", function () {
      var token = document.querySelector("input[name=csrfmiddlewaretoken]");
      fetch(dialog.dataset.keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-CSRFToken": token ? token.value : "" },
      }).then(
        function (response) {
          if (response.status === 204) {
            dialog.hidden = true;
            schedule(seconds);
          } else {
            end();
          }
        },
        function () {
          end();
        }
      );
    });
    schedule(seconds);
  }

  function start() {
    var store = storage();
    if (store) keepInput(store);
    sessionWarning();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
