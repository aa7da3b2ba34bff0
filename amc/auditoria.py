"""The audit trail of plan data: every change to a plan's structure and budget (admin, import,
services, management commands) is kept as a historical row with who, when, what the row held
after the change (so old and new values of each field) and, where the rules ask for one, the
reason. The library is django-simple-history; this module is the one place that configures it.

    auditar(Causa, Alternativa, ...)        # at the end of an app's models.py
    con_motivo(obj, "Modificación N° 1: ...") # before obj.save(): the reason kept with the change

History is append-only: the admin shows it (old → new per field) and offers no revert; on
PostgreSQL the database refuses to update or delete it (triggers installed after migrate,
see `proteger_historial`). The follow-up's own histories (values, progress, periods) are
kept by the seguimiento app as they were.
"""
from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

from django.db import models
from simple_history import register
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

TRIGGER = "amc_historial_solo_agrega"


def auditar(*modelos) -> None:
    """Keep the history of these models (call at the end of their app's models.py)."""
    for modelo in modelos:
        register(
            modelo,
            app=modelo._meta.app_label,
            records_class=HistoricalRecords,
            user_db_constraint=False,  # deleting a user must not rewrite the history
            history_change_reason_field=models.TextField(null=True),
            verbose_name=f"historial de {modelo._meta.verbose_name}",
            verbose_name_plural=f"historial de {modelo._meta.verbose_name_plural}",
        )


def con_motivo(obj, motivo: str):
    """Keep `motivo` with the next change saved of `obj` (returns `obj`)."""
    obj._change_reason = motivo
    return obj


@contextmanager
def con_usuario(usuario):
    """Name `usuario` in the history of what is saved inside, when no web request does (a
    service called from a command, a task or a test). Inside a request the middleware names
    the request's user."""
    contexto = HistoricalRecords.context
    anterior = getattr(contexto, "request", None)
    if anterior is None or not getattr(getattr(anterior, "user", None), "is_authenticated", False):
        contexto.request = SimpleNamespace(user=usuario)
    try:
        yield
    finally:
        if anterior is None:
            del contexto.request
        else:
            contexto.request = anterior


def crear_en_lote(objs, model, *, usuario=None, motivo: str | None = None, batch_size=None) -> list:
    """`bulk_create` that keeps each row's history (one more query per batch)."""
    from amc.versiones import datos_cambiados

    datos_cambiados()  # bulk writes send no signal: the reports' data version is raised here
    if not tiene_historial(model):
        return model._default_manager.bulk_create(objs, batch_size=batch_size)
    return bulk_create_with_history(objs, model, batch_size=batch_size, default_user=usuario, default_change_reason=motivo)


def actualizar_en_lote(objs, model, campos, *, usuario=None, motivo: str | None = None, batch_size=None) -> int:
    """`bulk_update` that keeps each row's history (one more query per batch)."""
    from amc.versiones import datos_cambiados

    datos_cambiados()
    if not tiene_historial(model):
        return model._default_manager.bulk_update(objs, campos, batch_size=batch_size)
    return bulk_update_with_history(objs, model, campos, batch_size=batch_size, default_user=usuario,
                                    default_change_reason=motivo)


def tiene_historial(model) -> bool:
    """Whether changes to `model` are kept (it was registered with `auditar`)."""
    return getattr(model._meta, "simple_history_manager_attribute", None) is not None


def es_historial(model) -> bool:
    return hasattr(model, "instance_type") and hasattr(model, "history_date")


def proteger_historial(sender=None, using="default", **kwargs) -> None:
    """On PostgreSQL, a trigger on every history table refuses UPDATE and DELETE (post_migrate).

    TRUNCATE (what a test database's flush runs) is not refused: only rows are protected."""
    from django.apps import apps
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cursor:
        cursor.execute(f"""
            CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger AS $$
            BEGIN
              RAISE EXCEPTION 'El historial de cambios no se modifica ni se borra (tabla %).', TG_TABLE_NAME;
            END;
            $$ LANGUAGE plpgsql;
        """)
        for model in apps.get_models():
            if not es_historial(model):
                continue
            table = conn.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
            cursor.execute(f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {table} "
                           f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()")
