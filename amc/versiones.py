"""Reports computed once per data version, not once per request (issue 13, performance).

    data = por_version(("seguimiento", plan.pk, anio, entidad_id), lambda: reports.seguimiento(...))

The data version is one counter in the database (`amc.models.VersionDatos`, one row): every
save or delete of plan data (any `AmcModel` but those marked `cambia_version = False`, the
notices; seen by Django's signals) and every batch write
of the import (`amc.auditoria.crear_en_lote` / `actualizar_en_lote`) raises it once the
transaction commits, in its own short statement. Reading it is one query, so every process
(gunicorn workers, the task worker) sees a change at once, whatever the cache backend.

The computed report is kept in Django's cache (`CACHES`, from `AMC_CACHE_URL`: the process's
memory by default, Redis in production) under a key made of the version, today's date and what
the caller names; `AMC_CACHE_INFORMES_SEGUNDOS` bounds how long (a safety net: a write that
bypassed the signals is seen at the latest then). With Django's dummy cache (the tests' default)
nothing is read or stored: the report is computed every time, without the version's query.
"""
from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from amc.models import VersionDatos


def version_datos() -> int:
    """The current data version (1 query)."""
    return VersionDatos.objects.filter(pk=1).values_list("numero", flat=True).first() or 0


def datos_cambiados() -> None:
    """Raise the data version when the current transaction commits (once per atomic block)."""
    conexion = transaction.get_connection()
    if conexion.in_atomic_block:
        actual = set(conexion.savepoint_ids)
        if any(sids == actual and funcion is _subir for sids, funcion, *_ in conexion.run_on_commit):
            return  # already raised when this block commits (a rollback of the block drops it)
    transaction.on_commit(_subir)


def _subir() -> None:
    if not VersionDatos.objects.filter(pk=1).update(numero=F("numero") + 1):
        VersionDatos.objects.get_or_create(pk=1, defaults={"numero": 1})


def _al_cambiar(sender, instance=None, **kwargs) -> None:
    from amc.db import AmcModel

    if isinstance(instance, AmcModel) and instance.cambia_version:
        datos_cambiados()


def conectar() -> None:
    """Listen to every save and delete (called from `AmcConfig.ready`)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(_al_cambiar, dispatch_uid="amc_version_save")
    post_delete.connect(_al_cambiar, dispatch_uid="amc_version_delete")
    m2m_changed.connect(_al_cambiar, dispatch_uid="amc_version_m2m")


def por_version(partes: tuple, calcular):
    """`calcular()`'s result for the current data version and day, from the cache when there."""
    cache = caches["default"]
    if isinstance(cache, DummyCache):
        return calcular()
    firma = repr((version_datos(), timezone.localdate().isoformat(), *partes))
    clave = "amc:informe:" + hashlib.sha256(firma.encode()).hexdigest()
    valor = cache.get(clave)
    if valor is None:
        valor = calcular()
        cache.set(clave, valor, int(getattr(settings, "AMC_CACHE_INFORMES_SEGUNDOS", 600)))
    return valor
