/* The progress pages of the task worker's jobs (an export: templates/exportaciones/estado.html; a
 * large import: templates/importacion/progreso.html): while the job runs (the box's
 * data-en-espera="1"), ask the server for the page again every 2 seconds and replace the box in place
 * (role=status: a screen reader hears the new stage). A timed reload of the whole page
 * (<meta http-equiv=refresh>) would move the reader back to the top every time, which axe-core
 * counts as a critical failure (WCAG 2.2.1). Without JavaScript the page offers an «Actualizar» link. */
(function () {
  "use strict";
  var caja = document.querySelector("[data-en-espera]");
  if (!caja || caja.dataset.enEspera !== "1" || !window.fetch || !window.DOMParser) { return; }
  function consultar() {
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var nueva = new DOMParser().parseFromString(html, "text/html").getElementById(caja.id);
        if (!nueva) { window.location.reload(); return; }  // the job is done and the page is another one (an import's preview)
        caja.replaceChildren.apply(caja, Array.prototype.slice.call(nueva.childNodes));
        caja.dataset.estado = nueva.dataset.estado;
        caja.dataset.enEspera = nueva.dataset.enEspera;
        if (nueva.dataset.enEspera === "1") { window.setTimeout(consultar, 2000); }
      })
      .catch(function () { window.setTimeout(consultar, 5000); });  // connection lost: try again later
  }
  window.setTimeout(consultar, 2000);
})();
