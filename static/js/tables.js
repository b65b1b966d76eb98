// Issue 18: on a phone a wide table scrolls inside its own box (app.css). A box that scrolls must
// be reachable by keyboard (WCAG 2.1.1, axe "scrollable-region-focusable"): such tables get
// tabindex="0", the others none, checked again when the width changes (rotation, resizing).
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) {
        table.setAttribute("tabindex", "0");
      } else if (table.getAttribute("tabindex") === "0") {
        table.removeAttribute("tabindex");
      }
    });
  }
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(mark, 150);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
})();
