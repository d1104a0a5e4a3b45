/* "Imprimer" buttons ([data-print]) open the browser's print dialog (the A4 print stylesheet applies). */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
