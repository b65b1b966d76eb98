/* Draws every chart on the page with Chart.js (static/vendor/chartjs/): each
   <canvas data-chart="ID"> reads its data from the JSON block <script id="ID"
   type="application/json"> that the template writes with {{ chart|json_script:"ID" }}
   (core/charts.py builds it). No inline script, no style attribute (CSP). A null value is a
   number suppressed for k-anonymity (DG-5): no bar, and the tooltip says "<k". The table beside
   each chart holds the same numbers for screen readers and without JavaScript. */
(function () {
  "use strict";

  var COLOURS = ["#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be123c", "#0e7490"];

  function formatter(decimals) {
    var format = new Intl.NumberFormat("nl-NL", {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    return function (value) {
      return format.format(value);
    };
  }

  function config(spec) {
    var unit = spec.unit || "";
    var tooltipNumber = formatter(spec.decimals || 0);
    var tickNumber = new Intl.NumberFormat("nl-NL", { maximumFractionDigits: 2 });
    var line = spec.type === "line";
    // A label whose every value is suppressed says so on the axis ("Directie (<5)").
    function suppressedAt(index) {
      return (
        Boolean(spec.suppressed) &&
        spec.datasets.every(function (dataset) {
          return dataset.data[index] === null;
        })
      );
    }
    var datasets = spec.datasets.map(function (dataset, i) {
      var colour = COLOURS[i % COLOURS.length];
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: line ? 2 : 0,
        pointRadius: line ? 3 : 0,
        spanGaps: false,
      };
    });
    return {
      type: line ? "line" : "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: "nl-NL",
        scales: {
          x: {
            stacked: spec.stacked,
            ticks: {
              autoSkip: true,
              maxRotation: 45,
              callback: function (value, index) {
                var label = this.getLabelForValue(value);
                return suppressedAt(index) ? label + " (" + spec.suppressed + ")" : label;
              },
            },
          },
          y: {
            stacked: spec.stacked,
            beginAtZero: true,
            ticks: {
              precision: spec.decimals ? undefined : 0, // counts: whole numbers on the axis
              callback: function (value) {
                return tickNumber.format(value) + unit;
              },
            },
          },
        },
        plugins: {
          legend: { display: datasets.length > 1 },
          tooltip: {
            callbacks: {
              label: function (context) {
                var shown =
                  context.raw === null
                    ? spec.suppressed || "onbekend"
                    : tooltipNumber(context.raw) + unit;
                return context.dataset.label + ": " + shown;
              },
            },
          },
        },
      },
    };
  }

  function draw() {
    if (typeof window.Chart === "undefined") {
      return; // the tables still carry every number
    }
    var canvases = document.querySelectorAll("canvas[data-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var block = document.getElementById(canvas.dataset.chart);
      if (!block) {
        return;
      }
      new window.Chart(canvas, config(JSON.parse(block.textContent)));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
