"""Heavy exports (PDF, large Excel files) leave the web request: the worker of the task engine
(Django's Tasks API through the django-tasks backport; `manage.py db_worker`) makes the file
while the user watches a progress page, and the same export of unchanged data is served at
once from the stored file.

    request → view → report function (data) → render_report
        └ formato pdf/xlsx in the background: solicitar() → Exportacion (keyed by the data)
              · finished before: the file at once
              · new: tareas.exportar.enqueue() and a redirect to the progress page
    worker → tareas.exportar → procesar(): calls the same view for the same user with the
             same filters (one code path for the file), stores the file, reports its progress

`limpiar()` (command `limpiar_exportaciones`, from cron) deletes files older than
AMC_EXPORTACIONES_DIAS days. How many files are made at once is bounded by the number of
worker processes, so a month-end rush queues instead of exhausting the server's memory.
"""
from __future__ import annotations

import datetime
import decimal
import hashlib
import logging
from dataclasses import fields, is_dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models.query import QuerySet
from django.shortcuts import redirect
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone
from django_tasks import task

from amc.models import Exportacion

logger = logging.getLogger(__name__)

#: What render_report sends to the worker when the setting is on (a cheap page stays direct).
FORMATOS_EN_SEGUNDO_PLANO = ("pdf", "pdfa", "xlsx")


def en_segundo_plano(request, formato: str) -> bool:
    """Whether this request's file is made by the worker (not inside a worker already)."""
    return (getattr(settings, "AMC_EXPORTACIONES_EN_SEGUNDO_PLANO", True) and formato in FORMATOS_EN_SEGUNDO_PLANO
            and not getattr(request, "amc_en_tarea", False))


# --- the fingerprint of a report's data -------------------------------------------------------------

def huella_de_datos(data) -> str:
    """A digest of everything a report's data holds (dataclasses, model rows with the related
    rows and annotations loaded with them, numbers, dates, texts), the same in every process:
    two exports with equal digests show the same content."""
    h = hashlib.sha256()
    _canon(data, h, set())
    return h.hexdigest()


_SIMPLES = (str, int, float, bool, decimal.Decimal, datetime.date, datetime.datetime, datetime.time, type(None))


def _canon(obj, h, vistos: set) -> None:
    if isinstance(obj, _SIMPLES):
        h.update(f"{type(obj).__name__}:{obj!r};".encode())
    elif isinstance(obj, models.Model):
        marca = f"<{obj._meta.label}#{obj.pk}>"
        h.update(marca.encode())
        if id(obj) in vistos:
            return
        vistos.add(id(obj))
        estado = obj.__dict__
        for clave in sorted(k for k in estado if k != "_state"):
            h.update(clave.encode())
            _canon(estado[clave], h, vistos)
        for clave, relacionado in sorted(obj._state.fields_cache.items()):
            h.update(f"~{clave}".encode())
            _canon(relacionado, h, vistos)
    elif is_dataclass(obj) and not isinstance(obj, type):
        h.update(f"{type(obj).__qualname__}(".encode())
        for f in fields(obj):
            h.update(f.name.encode())
            _canon(getattr(obj, f.name), h, vistos)
        h.update(b")")
    elif isinstance(obj, dict):
        h.update(b"{")
        for clave, valor in sorted(obj.items(), key=lambda kv: repr(kv[0])):
            _canon(clave, h, vistos)
            _canon(valor, h, vistos)
        h.update(b"}")
    elif isinstance(obj, QuerySet):
        _canon(list(obj), h, vistos)
    elif isinstance(obj, (list, tuple, range)):
        h.update(b"[")
        for item in obj:
            _canon(item, h, vistos)
        h.update(b"]")
    elif isinstance(obj, (set, frozenset)):
        _canon(sorted(obj, key=repr), h, vistos)
    elif isinstance(obj, type) or callable(obj) and hasattr(obj, "__qualname__"):
        # a function or class (a section's Excel writer...): by its name, the same in every
        # process, not by its repr (which holds a memory address that differs per process)
        h.update(f"<{getattr(obj, '__module__', '')}.{obj.__qualname__}>;".encode())
    else:
        h.update(f"{type(obj).__qualname__}:{obj!r};".encode())


def _consulta(request) -> str:
    """The report's filters, in a fixed order, without the format."""
    return urlencode(sorted((k, v) for k, v in request.GET.items() if k != "formato"))


# --- the request side ----------------------------------------------------------------------------------

def solicitar(request, *, data, titulo: str, formato: str, huella_extra: str = ""):
    """The response to a request for a report's file: the finished file at once, or the progress
    page of the export (made by the worker). A double click finds the same export."""
    hoy = timezone.localdate()
    clave = hashlib.sha256("|".join([
        request.path, _consulta(request), formato, str(request.user.pk), hoy.isoformat(), huella_extra,
        huella_de_datos(data),
    ]).encode()).hexdigest()
    exportacion = Exportacion.objects.filter(clave=clave).first()
    if exportacion is not None and exportacion.terminada_bien and exportacion.archivo.storage.exists(exportacion.archivo.name):
        return redirect("exportacion_archivo", exportacion.pk)
    if exportacion is not None and exportacion.en_espera:
        return redirect("exportacion", exportacion.pk)
    try:
        with transaction.atomic():
            if exportacion is None:
                exportacion = Exportacion.objects.create(clave=clave, usuario=request.user, titulo=titulo[:300],
                                                         ruta=request.path, consulta=_consulta(request), formato=formato,
                                                         etapa="En cola")
            else:  # it failed, or its file was cleaned up: made again
                exportacion.estado, exportacion.progreso, exportacion.etapa = Exportacion.Estado.PENDIENTE, 0, "En cola"
                exportacion.error, exportacion.archivo = "", ""
                exportacion.save()
            transaction.on_commit(lambda pk=exportacion.pk: exportar.enqueue(pk))
    except IntegrityError:  # the same request, a moment earlier (a double click)
        exportacion = Exportacion.objects.get(clave=clave)
    return redirect("exportacion", exportacion.pk)


# --- the worker side -------------------------------------------------------------------------------------

def avance(exportacion: Exportacion, progreso: int, etapa: str) -> None:
    exportacion.progreso, exportacion.etapa = progreso, etapa
    Exportacion.objects.filter(pk=exportacion.pk).update(progreso=progreso, etapa=etapa)


def procesar(exportacion_id: int) -> str:
    """Make an export's file by calling the report's own view for its user, with its filters;
    store the file and say how it went. Returns the new state."""
    exportacion = Exportacion.objects.select_related("usuario").get(pk=exportacion_id)
    if exportacion.estado == Exportacion.Estado.LISTA:
        return exportacion.estado
    exportacion.estado, exportacion.iniciada = Exportacion.Estado.EN_CURSO, timezone.now()
    exportacion.save(update_fields=["estado", "iniciada"])
    avance(exportacion, 10, "Leyendo los datos del informe")
    try:
        request = RequestFactory().get(exportacion.ruta + "?" + "&".join(
            x for x in (exportacion.consulta, urlencode({"formato": exportacion.formato})) if x))
        request.user = exportacion.usuario
        request.amc_en_tarea = True
        request.amc_avance = lambda progreso, etapa: avance(exportacion, progreso, etapa)
        match = resolve(exportacion.ruta)
        response = match.func(request, *match.args, **match.kwargs)
        if response.status_code != 200:
            raise RuntimeError(_mensaje_de(response))
        avance(exportacion, 95, "Guardando el archivo")
        nombre = _nombre_de(response) or f"informe.{exportacion.formato}"
        exportacion.archivo.save(nombre, ContentFile(response.content), save=False)
        exportacion.nombre_archivo = nombre
        exportacion.estado, exportacion.progreso, exportacion.etapa = Exportacion.Estado.LISTA, 100, "Listo"
    except Exception as exc:  # the user reads why on the progress page; the log keeps the traceback
        logger.exception("Exportación %s falló", exportacion.pk)
        exportacion.estado, exportacion.etapa = Exportacion.Estado.ERROR, "No se pudo generar"
        exportacion.error = str(exc) or type(exc).__name__
    exportacion.terminada = timezone.now()
    exportacion.save()
    return exportacion.estado


def _nombre_de(response) -> str:
    disposition = response.get("Content-Disposition", "")
    if "filename=" not in disposition:
        return ""
    nombre = disposition.split("filename=", 1)[1].strip().strip('"')
    return nombre.removeprefix("utf-8''")


def _mensaje_de(response) -> str:
    import re

    texto = response.content.decode("utf-8", "replace")
    m = re.search(r'id="mensaje-solicitud">(.*?)</p>', texto, re.S)
    return (m.group(1).strip() if m else f"El informe respondió con el código {response.status_code}.")


# --- cleaning up -------------------------------------------------------------------------------------------

def limpiar(*, dias: int | None = None, ahora=None) -> int:
    """Delete exports (and their files) older than `dias` days; returns how many."""
    dias = dias if dias is not None else int(getattr(settings, "AMC_EXPORTACIONES_DIAS", 7))
    limite = (ahora or timezone.now()) - datetime.timedelta(days=dias)
    viejas = list(Exportacion.objects.filter(creada__lt=limite))
    for exportacion in viejas:
        if exportacion.archivo:
            exportacion.archivo.delete(save=False)
        exportacion.delete()
    return len(viejas)


@task()
def exportar(exportacion_id: int) -> str:
    """The task the worker runs: make one export's file."""
    return procesar(exportacion_id)
