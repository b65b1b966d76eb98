// RI-11: the "Afdrukken" button of a printable page (no inline script: CSP).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
