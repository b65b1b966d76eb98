/* Progress of a purge run (RT-6): polls the run's status.json every second, updates the
   <progress> bar and the text, and reloads the page when the run has finished so the counts per
   category are rendered by the server. Without JavaScript the page offers a "Vernieuwen" link. */
(function () {
  "use strict";

  function start() {
    var section = document.getElementById("purge-progress");
    if (!section || section.dataset.finished === "true") {
      return;
    }
    var url = section.dataset.statusUrl;
    var bar = document.getElementById("purge-progress-bar");
    var text = document.getElementById("purge-progress-text");
    var refresh = document.getElementById("purge-refresh");
    if (refresh) {
      refresh.hidden = true;
    }

    function show(status) {
      if (status.total > 0) {
        bar.max = status.total;
        bar.value = status.done;
      } else {
        bar.max = 1;
        bar.value = status.finished ? 1 : 0;
      }
      bar.textContent = status.done + " van " + status.total;
      if (status.finished) {
        text.textContent = "Klaar: " + status.done + " van " + status.total + " records verwijderd.";
      } else if (status.total > 0) {
        text.textContent = status.done + " van " + status.total + " records verwijderd" +
          (status.current ? " \u2014 bezig met " + status.current : "") + ".";
      }
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("status " + response.status);
          }
          return response.json();
        })
        .then(function (status) {
          show(status);
          if (status.finished) {
            window.location.reload();
          } else {
            window.setTimeout(poll, 1000);
          }
        })
        .catch(function () {
          // Keep the page usable: show the manual link again and try once more later.
          if (refresh) {
            refresh.hidden = false;
          }
          window.setTimeout(poll, 5000);
        });
    }

    window.setTimeout(poll, 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
