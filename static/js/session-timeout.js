/* The idle warning (SE-8, issue 18 item 5). The session ends after `data-seconds` without a
   request. Two minutes before, a dialog offers "Blijf ingelogd": one POST to the session
   address renews it. Before a form is sent, one GET there asks whether the session still lives
   (and fetches the CSRF token that goes with it now, which a login in another tab changes);
   if not, the form is not sent: the page keeps what was typed and says how to log in again in
   a new tab. Nothing typed is ever stored in the browser (no localStorage, no sessionStorage).
   Other tabs of this site hear of activity through a BroadcastChannel and restart their count. */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) {
    return;
  }
  var seconds = parseInt(script.dataset.seconds, 10);
  var sessionUrl = script.dataset.sessionUrl;
  var loginUrl = script.dataset.loginUrl;
  var logoutUrl = script.dataset.logoutUrl;
  var WARN_BEFORE = 120;

  var expiresAt = Date.now() + seconds * 1000;
  var warnTimer = null;
  var endTimer = null;
  var tickTimer = null;
  var dialog = null;
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("vk-session") : null;

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setCsrfToken(token) {
    if (!token) {
      return;
    }
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      input.value = token;
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function loginLink() {
    return el(
      "a",
      { href: loginUrl, target: "_blank", rel: "noopener" },
      "Log opnieuw in (opent in een nieuw tabblad)"
    );
  }

  function buildDialog() {
    dialog = el("dialog", { id: "sessie-waarschuwing", "aria-labelledby": "sessie-titel" });
    var article = el("article");
    article.appendChild(el("h2", { id: "sessie-titel" }, "Uw sessie verloopt bijna"));
    var text = el("p", { id: "sessie-tekst", role: "status" });
    article.appendChild(text);
    var footer = el("footer");
    var stay = el("button", { type: "button", id: "sessie-blijf" }, "Blijf ingelogd");
    stay.addEventListener("click", keepAlive);
    footer.appendChild(stay);
    article.appendChild(footer);
    dialog.appendChild(article);
    document.body.appendChild(dialog);
  }

  function minutesText(left) {
    if (left >= 60) {
      var minutes = Math.ceil(left / 60);
      return minutes + (minutes === 1 ? " minuut" : " minuten");
    }
    return left + (left === 1 ? " seconde" : " seconden");
  }

  function showWarning() {
    if (!dialog) {
      buildDialog();
    }
    var text = document.getElementById("sessie-tekst");
    function tick() {
      var left = Math.max(0, Math.round((expiresAt - Date.now()) / 1000));
      text.textContent =
        "Zonder activiteit wordt u over " +
        minutesText(left) +
        " uitgelogd. Wat u hebt ingevuld en nog niet verstuurd, blijft alleen bewaard als u " +
        "ingelogd blijft.";
    }
    tick();
    tickTimer = window.setInterval(tick, 1000);
    if (!dialog.open) {
      if (dialog.showModal) {
        dialog.showModal();
      } else {
        dialog.setAttribute("open", "");
      }
    }
    document.getElementById("sessie-blijf").focus();
  }

  function showExpired(place) {
    var box = el("div", { class: "session-expired", role: "alert" });
    box.appendChild(
      el(
        "p",
        {},
        "Uw sessie is verlopen; er is niets verstuurd. Uw invoer staat nog op deze pagina. " +
          "Log in een nieuw tabblad opnieuw in, kom daarna terug naar dit tabblad en verstuur " +
          "opnieuw."
      )
    );
    box.appendChild(loginLink());
    var old = place.querySelector(".session-expired");
    if (old) {
      old.remove();
    }
    place.insertBefore(box, place.firstChild);
    box.setAttribute("tabindex", "-1");
    box.focus();
  }

  function expired() {
    window.clearInterval(tickTimer);
    if (dialog && dialog.open) {
      dialog.close();
    }
    showExpired(document.getElementById("inhoud") || document.body);
  }

  function schedule(fromNow) {
    expiresAt = Date.now() + fromNow * 1000;
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    window.clearInterval(tickTimer);
    warnTimer = window.setTimeout(showWarning, Math.max(0, fromNow - WARN_BEFORE) * 1000);
    endTimer = window.setTimeout(expired, fromNow * 1000);
  }

  function heard(left) {
    if (dialog && dialog.open) {
      dialog.close();
    }
    document.querySelectorAll("#inhoud > .session-expired").forEach(function (box) {
      box.remove();
    });
    schedule(left);
  }

  function askSession(method) {
    var options = { method: method, credentials: "same-origin", redirect: "manual" };
    options.headers = { Accept: "application/json" };
    if (method === "POST") {
      options.headers["X-CSRFToken"] = csrfToken();
    }
    return fetch(sessionUrl, options).then(function (response) {
      if (response.type === "opaqueredirect" || !response.ok) {
        return null;
      }
      return response.json();
    });
  }

  function keepAlive() {
    askSession("POST")
      .then(function (state) {
        if (!state) {
          expired();
          return;
        }
        setCsrfToken(state.csrf_token);
        heard(state.seconds_left);
        if (channel) {
          channel.postMessage({ seconds_left: state.seconds_left });
        }
      })
      .catch(function () {
        /* offline: the count goes on; the check before sending still protects the form */
      });
  }

  /* Before a form is sent: is the session still alive? If not, keep the page. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.sessionChecked === "1") {
      form.dataset.sessionChecked = "";
      return;
    }
    var method = (form.getAttribute("method") || "get").toLowerCase();
    if (method !== "post" || form.getAttribute("action") === logoutUrl) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter || null;
    askSession("GET")
      .then(function (state) {
        if (!state) {
          showExpired(form);
          return;
        }
        setCsrfToken(state.csrf_token);
        if (channel) {
          channel.postMessage({ seconds_left: state.seconds_left });
        }
        form.dataset.sessionChecked = "1";
        if (form.requestSubmit) {
          form.requestSubmit(submitter);
        } else {
          form.submit();
        }
      })
      .catch(function () {
        /* the check itself failed (network): send as the browser would have */
        form.dataset.sessionChecked = "1";
        if (form.requestSubmit) {
          form.requestSubmit(submitter);
        } else {
          form.submit();
        }
      });
  });

  if (channel) {
    channel.onmessage = function (message) {
      if (message.data && typeof message.data.seconds_left === "number") {
        heard(message.data.seconds_left);
      }
    };
    channel.postMessage({ seconds_left: seconds });
  }

  document.querySelectorAll("[data-history-back]").forEach(function (item) {
    if (window.history.length < 2) {
      return;
    }
    item.hidden = false;
    item.querySelector("a").addEventListener("click", function (event) {
      event.preventDefault();
      window.history.back();
    });
  });

  if (seconds > 0) {
    schedule(seconds);
  }
})();
