/* The admin's autocomplete boxes (select2) are named by the field's label: select2 points its
 * combobox at the box that shows the choice, which is empty until something is chosen, so a
 * screen reader heard a nameless field (axe-core: aria-input-field-name). The admin's scripts build
 * the boxes when they please (and again for a row added to an inline): a MutationObserver names
 * each box once it appears. */
(function () {
  "use strict";
  function nombrar(raiz) {
    Array.prototype.forEach.call((raiz || document).querySelectorAll("select.admin-autocomplete"), function (select) {
      var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
      var contenedor = select.nextElementSibling;
      if (!label || !contenedor || !contenedor.classList.contains("select2") || contenedor.dataset.amcNombrado) { return; }
      contenedor.dataset.amcNombrado = "1";
      var texto = label.textContent.replace(/[:\s]+$/, "").trim();
      if (!label.id) { label.id = select.id + "-etiqueta"; }
      var combo = contenedor.querySelector('[role="combobox"]');
      var elegido = contenedor.querySelector(".select2-selection__rendered");
      if (combo) {
        combo.setAttribute("aria-labelledby", label.id + (elegido && elegido.id ? " " + elegido.id : ""));
      }
      if (elegido) { elegido.setAttribute("aria-label", texto); }
    });
  }
  var pendiente = false;
  new MutationObserver(function () {
    if (pendiente) { return; }
    pendiente = true;
    window.setTimeout(function () { pendiente = false; nombrar(document); }, 0);
  }).observe(document.documentElement, { childList: true, subtree: true });
  nombrar(document);
})();
