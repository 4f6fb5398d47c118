// A warning before the session's idle limit (WCAG 2.2.1): a dialog with "Stay logged in" and
// "Log out", shortly before the end. The page gives the seconds left and the texts (in the
// user's language) in <template id="session-timeout">. Before warning, the script asks the
// server how much time is really left (another tab may have been active); that question does
// not count as activity, "Stay logged in" does. Without script there is no warning, and a form
// posted after the end still comes back after logging in again.
(function () {
  "use strict";
  var source = document.getElementById("session-timeout");
  if (!source || !("content" in source) || !window.fetch) {
    return;
  }
  var MAX_DELAY = 2147483647; // the longest setTimeout delay (about 24 days)
  var SLACK = 5000;
  var warning = Number(source.getAttribute("data-warning")) * 1000;
  var statusUrl = source.getAttribute("data-status-url");
  var extendUrl = source.getAttribute("data-extend-url");
  var dialog = null;
  var returnFocus = null;
  var timer = null;
  var endTimer = null;

  function later(callback, delay) {
    return window.setTimeout(callback, Math.min(MAX_DELAY, Math.max(0, delay)));
  }

  function schedule(seconds) {
    window.clearTimeout(timer);
    timer = later(check, seconds * 1000 - warning);
  }

  // The seconds left from the server's answer, or null when the session has ended (the server
  // then answers with the login page instead).
  function secondsLeft(response) {
    var type = response.headers.get("Content-Type") || "";
    if (!response.ok || response.redirected || type.indexOf("application/json") === -1) {
      return null;
    }
    return response.json().then(function (data) {
      return typeof data.remaining === "number" ? data.remaining : null;
    });
  }

  function check() {
    window
      .fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(secondsLeft)
      .then(function (seconds) {
        if (seconds === null) {
          open("expired");
        } else if (seconds * 1000 > warning + SLACK) {
          schedule(seconds);
        } else {
          open("warning");
          window.clearTimeout(endTimer);
          endTimer = later(function () {
            show("expired");
          }, seconds * 1000);
        }
      })
      .catch(function () {
        open("warning");
      });
  }

  function extend() {
    var token = dialog.querySelector("input[name='csrf_token']");
    window
      .fetch(extendUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
      })
      .then(secondsLeft)
      .then(function (seconds) {
        if (seconds === null) {
          show("expired");
          return;
        }
        window.clearTimeout(endTimer);
        close();
        schedule(seconds);
      })
      .catch(function () {
        show("expired");
      });
  }

  function build() {
    dialog = source.content.querySelector("dialog").cloneNode(true);
    document.body.appendChild(dialog);
    dialog.querySelector("[data-action='extend']").addEventListener("click", extend);
    dialog.querySelector("[data-action='close']").addEventListener("click", close);
    dialog.addEventListener("close", function () {
      if (returnFocus && document.contains(returnFocus)) {
        returnFocus.focus();
      }
      returnFocus = null;
    });
  }

  // Show the texts and buttons of one state ("warning" or "expired"), name the dialog by them,
  // and put the focus on its first button.
  function show(state) {
    if (!dialog) {
      return;
    }
    var parts = dialog.querySelectorAll("[data-when]");
    for (var i = 0; i < parts.length; i++) {
      parts[i].hidden = parts[i].getAttribute("data-when") !== state;
    }
    var title = dialog.querySelector("h2[data-when='" + state + "']");
    var text = dialog.querySelector("p[data-when='" + state + "']");
    dialog.setAttribute("aria-labelledby", title.id);
    dialog.setAttribute("aria-describedby", text.id);
    var button = dialog.querySelector("button[data-when='" + state + "']");
    if (button && dialog.open) {
      button.focus();
    }
  }

  function open(state) {
    if (!dialog) {
      build();
    }
    if (!dialog.open) {
      returnFocus = document.activeElement;
      if (typeof dialog.showModal === "function") {
        dialog.showModal();
      } else {
        dialog.setAttribute("open", "");
      }
    }
    show(state);
  }

  function close() {
    if (!dialog || !dialog.open) {
      return;
    }
    if (typeof dialog.close === "function") {
      dialog.close();
    } else {
      dialog.removeAttribute("open");
      dialog.dispatchEvent(new Event("close"));
    }
  }

  schedule(Number(source.getAttribute("data-remaining")));
})();
