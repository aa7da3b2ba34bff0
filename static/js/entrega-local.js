/* Entry that survives a dropped connection (issue 11, item 9).
 *
 * What is typed on the entry page (seguimiento/reportar.html) is copied to this browser's
 * localStorage as it is typed, under a key naming the user, the plan, the entity and the period
 * (the form's data-copia-local). After a reload, a lost connection or a closed tab the copy is put
 * back into the form, and the status line (#estado-local, aria-live) says plainly what is only on
 * this computer and what reached the server. The copy is removed once the server has accepted a
 * save: the form sends a one-time id (envio_local) and the server's redirect after a save names it
 * (?recibido=<id>). Files cannot be kept by a browser: the status line says so.
 *
 * A field the server changed since the copy was taken (someone saved it from elsewhere) keeps the
 * server's value: the copy remembers what the server showed when typing began (`base`).
 */
(function () {
  "use strict";
  var form = document.getElementById("form-entrega");
  var estado = document.getElementById("estado-local");
  if (!form || !estado || !form.dataset.copiaLocal) { return; }
  var clave = form.dataset.copiaLocal;
  var almacen;
  try { almacen = window.localStorage; almacen.getItem(clave); } catch (e) { return; }

  function campos() {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled) { return false; }
      var tipo = (el.type || "").toLowerCase();
      return ["hidden", "file", "submit", "button", "reset"].indexOf(tipo) === -1;
    });
  }
  function valorDe(el) {
    var tipo = (el.type || "").toLowerCase();
    if (tipo === "checkbox" || tipo === "radio") { return el.checked ? "1" : ""; }
    return el.value;
  }
  function ponerValor(el, valor) {
    var tipo = (el.type || "").toLowerCase();
    if (tipo === "checkbox" || tipo === "radio") { el.checked = valor === "1"; } else { el.value = valor; }
  }
  function claveDe(el) {
    var tipo = (el.type || "").toLowerCase();
    return tipo === "radio" ? el.name + "=" + el.value : el.name;
  }
  function leer() {
    try { return JSON.parse(almacen.getItem(clave) || "null"); } catch (e) { return null; }
  }
  function escribir(copia) {
    try { almacen.setItem(clave, JSON.stringify(copia)); return true; } catch (e) { return false; }
  }
  function borrar() { try { almacen.removeItem(clave); } catch (e) { /* nothing kept */ } }
  function hora(ms) {
    var d = new Date(ms);
    function dos(n) { return (n < 10 ? "0" : "") + n; }
    return dos(d.getDate()) + "/" + dos(d.getMonth() + 1) + "/" + d.getFullYear() + " " + dos(d.getHours()) + ":" + dos(d.getMinutes());
  }
  function decir(texto, tipo) {
    estado.hidden = false;
    estado.textContent = texto;
    estado.className = "estado-local " + tipo;
  }

  // What the server sent: the fields' values as the page came (defaultValue, defaultSelected,
  // defaultChecked), not as they are now: a person may type before this script runs on a slow page,
  // and what was typed is not the server's. A page that comes back with errors (data-no-guardado)
  // shows what was posted, not what the server keeps: it is not a reference.
  function valorServidor(el) {
    var tipo = (el.type || "").toLowerCase();
    if (tipo === "checkbox" || tipo === "radio") { return el.defaultChecked ? "1" : ""; }
    if (el.tagName === "SELECT") {
      for (var i = 0; i < el.options.length; i++) {
        if (el.options[i].defaultSelected) { return el.options[i].value; }
      }
      return el.options.length && !el.multiple ? el.options[0].value : "";
    }
    return el.defaultValue;
  }
  var noGuardado = form.dataset.noGuardado === "1";
  var servidor = {};
  campos().forEach(function (el) { servidor[claveDe(el)] = valorServidor(el); });
  var archivos = form.querySelector("input[type=file]") !== null;
  var NOTA_ARCHIVOS = archivos ? " Los archivos adjuntos no se guardan en esta computadora: adjúntelos al enviar." : "";

  function pendientes(copia) {
    var ref = noGuardado ? (copia.base || {}) : servidor;
    return Object.keys(copia.valores).filter(function (k) { return (ref[k] || "") !== copia.valores[k]; }).length;
  }

  function guardarCopia() {
    var copia = leer() || { base: noGuardado ? {} : servidor, valores: {} };
    campos().forEach(function (el) { copia.valores[claveDe(el)] = valorDe(el); });
    copia.guardado = Date.now();
    delete copia.envio;
    var n = pendientes(copia);
    if (n === 0) { borrar(); decir("Todo lo que ve está guardado en el servidor.", "en-servidor"); return; }
    if (escribir(copia)) {
      decir("Cambios guardados solo en esta computadora (" + hora(copia.guardado) + "): " + n +
            " campo(s) aún no llegaron al servidor. Pulse «Guardar borrador» o «Enviar al ministerio»." + NOTA_ARCHIVOS, "solo-local");
    } else {
      decir("Este navegador no permite guardar una copia en esta computadora: guarde el borrador a menudo.", "sin-copia");
    }
  }

  // The server accepted the save this copy was sent with: the copy is no longer needed.
  var url = new URL(window.location.href);
  var recibido = url.searchParams.get("recibido");
  if (recibido !== null) {
    url.searchParams.delete("recibido");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  }
  var copia = leer();
  if (copia && recibido && copia.envio === recibido) {
    borrar();
    copia = null;
    decir("Guardado en el servidor: lo escrito ya no queda solo en esta computadora.", "en-servidor");
  } else if (copia && noGuardado) {
    decir("No se guardó nada en el servidor (vea los errores): lo escrito sigue guardado solo en esta computadora." + NOTA_ARCHIVOS, "solo-local");
  } else if (copia && copia.valores) {
    var conservados = 0;
    campos().forEach(function (el) {
      var k = claveDe(el);
      if (!(k in copia.valores)) { return; }
      var base = copia.base ? copia.base[k] : undefined;
      if (base !== undefined && servidor[k] !== base && servidor[k] !== copia.valores[k]) {
        conservados += 1;  // changed on the server since: the server's value stays
        delete copia.valores[k];
        return;
      }
      ponerValor(el, copia.valores[k]);
    });
    var n = pendientes(copia);
    if (n === 0) {
      borrar();
    } else {
      escribir(copia);
      decir("Se recuperó lo que escribió en esta computadora el " + hora(copia.guardado) + ": " + n +
            " campo(s) todavía no llegaron al servidor. Revise y pulse «Guardar borrador» o «Enviar al ministerio»." +
            (conservados ? " " + conservados + " campo(s) cambiaron en el servidor desde entonces y se muestra el valor del servidor." : "") +
            NOTA_ARCHIVOS, "solo-local");
    }
  }

  // Typed before this script ran (no copy restored): kept on this computer now, as if typed after.
  if (!copia && campos().some(function (el) { return valorDe(el) !== servidor[claveDe(el)]; })) { guardarCopia(); }

  form.addEventListener("input", guardarCopia);
  form.addEventListener("change", guardarCopia);

  form.addEventListener("submit", function (ev) {
    var copiaActual = leer();
    if (!navigator.onLine) {
      ev.preventDefault();
      guardarCopia();
      decir("Sin conexión: no se envió nada al servidor. Lo escrito queda guardado en esta computadora; " +
            "envíelo cuando vuelva la conexión." + NOTA_ARCHIVOS, "sin-conexion");
      estado.focus();
      return;
    }
    if (!copiaActual) { return; }  // nothing typed since the page came from the server
    var id = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    copiaActual.envio = id;
    escribir(copiaActual);
    var campo = form.querySelector("input[name=envio_local]");
    if (!campo) {
      campo = document.createElement("input");
      campo.type = "hidden";
      campo.name = "envio_local";
      form.appendChild(campo);
    }
    campo.value = id;
    decir("Enviando al servidor… Si la conexión se corta, lo escrito sigue guardado en esta computadora.", "enviando");
  });

  window.addEventListener("offline", function () {
    decir("Sin conexión. Lo que escriba se guarda en esta computadora hasta que pueda enviarlo.", "sin-conexion");
  });
  window.addEventListener("online", function () {
    var c = leer();
    decir(c ? "Conexión restablecida. Lo escrito sigue solo en esta computadora: pulse «Guardar borrador» o «Enviar al ministerio»."
            : "Conexión restablecida.", c ? "solo-local" : "en-servidor");
  });
})();
