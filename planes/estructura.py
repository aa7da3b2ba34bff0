"""The one guard of a signed plan's structure (issue 12, item 4).

Once a plan is signed (suscrito, then en ejecución, cerrado), its structure (problems, causes,
alternatives, activities, indicators, targets, budget) changes only through an amendment
(`ciclo.Modificacion`): while one is open, `Plan.modificacion_en_curso` is set and the rows may
change; otherwise every write is refused with `MENSAJE`.

Which models are the structure is said once, by the app above them that guards the plan's
life (`ciclo/apps.py` calls `registrar`). The guard itself is here, low in the layers, so that
every way of writing reaches it:

- every save and delete of a registered model (admin, services, shell, commands): the
  `pre_save` / `pre_delete` receivers connected by `registrar` (one query per saved row to
  read its plan's state; a cascade from a deleted plan or row reads it once);
- the Excel import, which writes in batches without signals: `importacion.services` calls
  `estructura_check(plan, modelos)` before reading the file;
- `cargar_seed`, which loads fixtures raw: it calls `estructura_check` on the seed plan.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_delete, pre_save

MENSAJE = ("El plan {plan} está {estado}: su estructura (problemas, causas, alternativas, actividades, indicadores, "
           "metas y presupuesto) solo cambia mediante una modificación, que registra su motivo. Abra una modificación "
           "en la página «Ciclo del plan» y vuelva a intentarlo.")

_ESTRUCTURA: list[type] = []


class EstructuraBloqueada(PermissionDenied):
    """A write to the structure of a signed plan with no amendment open. A PermissionDenied, so
    the admin and the pages answer it with a 403 page that shows the message."""


def mensaje(plan) -> str:
    return MENSAJE.format(plan=plan.codigo, estado=plan.get_estado_display().lower())


def registrar(*modelos) -> None:
    """Make these models part of the plan's structure: their writes are guarded."""
    for modelo in modelos:
        if modelo in _ESTRUCTURA:
            continue
        _ESTRUCTURA.append(modelo)
        pre_save.connect(_antes_de_guardar, sender=modelo, dispatch_uid=f"estructura-save-{modelo._meta.label}")
        pre_delete.connect(_antes_de_borrar, sender=modelo, dispatch_uid=f"estructura-delete-{modelo._meta.label}")


def modelos() -> tuple[type, ...]:
    return tuple(_ESTRUCTURA)


def es_estructura(modelo) -> bool:
    return modelo in _ESTRUCTURA


def estructura_check(plan, modelos_escritos=None, *, releer: bool = False) -> None:
    """Raise `EstructuraBloqueada` when `plan`'s structure is locked and any of `modelos_escritos`
    (all structural models when None) is part of it. `releer`: read the plan's state from the
    database first (1 query), for a caller holding a plan object loaded earlier."""
    if modelos_escritos is not None and not any(es_estructura(m) for m in modelos_escritos):
        return
    if releer:
        plan.refresh_from_db(fields=["estado", "modificacion_en_curso"])
    if plan.estructura_bloqueada:
        raise EstructuraBloqueada(mensaje(plan))


def _plan_de(instance):
    """The plan of a structural row, with only what the guard reads (1 query)."""
    from planes.models import Plan

    path = instance.plan_field
    first, _, rest = path.partition("__")
    field = instance._meta.get_field(first)
    target_id = getattr(instance, field.attname)
    if target_id is None:
        return None
    qs = Plan.objects.filter(pk=target_id) if not rest else Plan.objects.filter(**{_inversa(field.related_model, rest): target_id})
    return qs.only("codigo", "estado", "modificacion_en_curso").first()


def _inversa(model, path: str) -> str:
    """The lookup from Plan back to `model`'s primary key along `path` (model -> ... -> plan)."""
    parts = path.split("__")
    names = []
    current = model
    for part in parts:
        field = current._meta.get_field(part)
        names.append(field.related_query_name())
        current = field.related_model
    return "__".join(reversed(names)) + "__pk"


def _antes_de_guardar(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures: cargar_seed checks the plan itself
        return
    plan = _plan_de(instance)
    if plan is not None:
        estructura_check(plan)


def _antes_de_borrar(sender, instance, origin=None, **kwargs):
    from planes.models import Plan

    if isinstance(origin, Plan):  # a cascade from the plan itself: its state is at hand
        estructura_check(origin)
        return
    memo = getattr(origin, "_estructura_plan", None) if origin is not None and not hasattr(origin, "query") else None
    if memo is None:
        memo = _plan_de(instance)
        if origin is not None and not hasattr(origin, "query"):
            origin._estructura_plan = memo
    if memo is not None:
        estructura_check(memo)


def historial_al_suscribir(plan, *, usuario=None, motivo: str = "Estado del plan al suscribirse") -> None:
    """One history row of every structural row of `plan`, dated `plan.suscrito_en`: the plan «como
    se suscribió» is its history as of that moment, and rows loaded from fixtures have no history
    of their own (django-simple-history skips raw saves). A query per model and batch."""
    from amc.auditoria import tiene_historial

    for modelo in _ESTRUCTURA:
        if not tiene_historial(modelo):
            continue
        filas = list(modelo._default_manager.filter(**{modelo.plan_field or "plan": plan.pk}).order_by("pk"))
        if filas:
            modelo.history.bulk_history_create(filas, batch_size=500, update=True, default_user=usuario,
                                               default_change_reason=motivo, default_date=plan.suscrito_en)


def sin_historial_al_suscribir(plan) -> bool:
    """A signed plan whose signing left no history (loaded signed from fixtures, e.g. the demo)."""
    from amc.auditoria import tiene_historial

    if plan.suscrito_en is None:
        return False
    return not any(m.history.filter(**{m.plan_field or "plan": plan.pk}, history_date=plan.suscrito_en).exists()
                   for m in _ESTRUCTURA if tiene_historial(m))
