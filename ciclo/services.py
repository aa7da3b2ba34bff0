"""A plan's life (issue 12, item 4): propuesta → suscrito → en ejecución → cerrado, and the
amendments of a signed plan.

- Transitions are made by the plan's rector entity's staff (or an administrator), one step at a
  time; each is saved with its reason in the plan's history (`amc.auditoria.con_motivo`).
- «Como se suscribió»: the plan as signed is its history as of `Plan.suscrito_en` (the moment the
  signing was recorded). Rows loaded from fixtures have no history of their own (django-simple-history
  skips raw saves), so signing writes one history row of every structural row of the plan, dated
  `suscrito_en`: the snapshot lives in the same history, and `Model.history.as_of(suscrito_en)` is
  the whole plan as signed. No second history is kept.
- An amendment is opened with its reason (refused without one, and then nothing changes); while
  it is open the guard (`planes.estructura`) lets the structure change by any of the usual ways
  (admin, import, services); closing it reads the history written since it was opened and records
  every old and new value (`CambioModificacion`).
"""
from __future__ import annotations

import datetime

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from amc import access
from amc.auditoria import con_motivo, con_usuario, crear_en_lote, tiene_historial
from ciclo.estructura import ESTRUCTURA
from ciclo.models import CambioModificacion, Modificacion
from planes.estructura import historial_al_suscribir
from planes.models import Plan

E = Plan.Estado

#: The one way forward from each state.
SIGUIENTE = {E.PROPUESTA: E.SUSCRITO, E.SUSCRITO: E.EN_EJECUCION, E.EN_EJECUCION: E.CERRADO}

#: Fields the amendment's old/new values leave out (bookkeeping, not content).
CAMPOS_OMITIDOS = {"id"}


def puede_gestionar(usuario, plan: Plan) -> bool:
    """Only the rector entity's staff (ministry staff of the plan) or an administrator change a
    plan's state, amend it or start the next plan from it; planners read, other entities take part."""
    if access.is_admin(usuario):
        return True
    return not access.is_read_only(usuario) and usuario.entidad_id == plan.entidad_responsable_id


def check_puede_gestionar(usuario, plan: Plan) -> None:
    """`puede_gestionar`, or PermissionDenied saying who may."""
    if not puede_gestionar(usuario, plan):
        raise PermissionDenied(
            f"No tiene permiso: el estado del plan y sus modificaciones los registra el personal de "
            f"{plan.entidad_responsable.nombre_corto}, la entidad rectora del plan.")


def _bloquear(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("entidad_responsable").get(pk=plan.pk)


def _check_paso(plan: Plan, destino: str) -> None:
    if SIGUIENTE.get(plan.estado) != destino:
        raise ValidationError(
            f"El plan está {plan.get_estado_display().lower()}: no puede pasar a "
            f"«{E(destino).label.lower()}». El orden es propuesta → suscrito → en ejecución → cerrado.")


def _check_fecha(fecha, campo: str, que: str) -> None:
    if fecha is None:
        raise ValidationError({campo: f"Indique la fecha de {que} (dd/mm/aaaa)."})
    if fecha > timezone.localdate():
        raise ValidationError({campo: f"La fecha de {que} no puede ser posterior a hoy."})


def plan_suscribir(*, plan: Plan, usuario, fecha: datetime.date, documento: str, firmantes: str) -> Plan:
    """Sign the plan: record the date, the resolution or agreement and the signatories, and keep
    the plan as signed in its history (see the module's docstring)."""
    check_puede_gestionar(usuario, plan)
    documento, firmantes = (documento or "").strip(), (firmantes or "").strip()
    _check_fecha(fecha, "fecha", "suscripción")
    errores = {}
    if not documento:
        errores["documento"] = "Indique el número de la resolución o del convenio que suscribe el plan."
    if not firmantes:
        errores["firmantes"] = "Indique quiénes firman el plan (nombre y cargo, uno por línea)."
    if errores:
        raise ValidationError(errores)
    with transaction.atomic(), con_usuario(usuario):
        plan = _bloquear(plan)
        _check_paso(plan, E.SUSCRITO)
        ahora = timezone.now()
        plan.estado, plan.fecha_suscripcion, plan.documento_suscripcion = E.SUSCRITO, fecha, documento
        plan.firmantes, plan.suscrito_en = firmantes, ahora
        plan.full_clean()
        con_motivo(plan, f"Suscripción: {documento} del {fecha:%d/%m/%Y}").save()
        historial_al_suscribir(plan, usuario=usuario)
    return plan


def plan_iniciar_ejecucion(*, plan: Plan, usuario) -> Plan:
    check_puede_gestionar(usuario, plan)
    with transaction.atomic(), con_usuario(usuario):
        plan = _bloquear(plan)
        _check_paso(plan, E.EN_EJECUCION)
        plan.estado = E.EN_EJECUCION
        con_motivo(plan, "Inicio de la ejecución").save()
    return plan


def plan_cerrar(*, plan: Plan, usuario, fecha: datetime.date, evaluacion: str) -> Plan:
    """Close the plan with its closing evaluation."""
    check_puede_gestionar(usuario, plan)
    evaluacion = (evaluacion or "").strip()
    _check_fecha(fecha, "fecha", "cierre")
    if not evaluacion:
        raise ValidationError({"evaluacion": "Escriba la evaluación de cierre del plan: qué se logró y qué quedó pendiente."})
    with transaction.atomic(), con_usuario(usuario):
        plan = _bloquear(plan)
        _check_paso(plan, E.CERRADO)
        if plan.modificacion_en_curso:
            raise ValidationError("El plan tiene una modificación abierta: ciérrela antes de cerrar el plan.")
        if plan.fecha_suscripcion and fecha < plan.fecha_suscripcion:
            raise ValidationError({"fecha": "La fecha de cierre no puede ser anterior a la de suscripción."})
        plan.estado, plan.fecha_cierre, plan.evaluacion_cierre = E.CERRADO, fecha, evaluacion
        plan.full_clean()
        con_motivo(plan, "Cierre del plan").save()
    return plan


# --- amendments -----------------------------------------------------------------------------------

def modificacion_abrir(*, plan: Plan, usuario, motivo: str, documento: str = "") -> Modificacion:
    """Open an amendment of a signed plan. Without a reason it is refused and nothing changes."""
    check_puede_gestionar(usuario, plan)
    motivo, documento = (motivo or "").strip(), (documento or "").strip()
    if not motivo:
        raise ValidationError({"motivo": "Indique el motivo de la modificación: sin motivo no se modifica un plan suscrito."})
    with transaction.atomic(), con_usuario(usuario):
        plan = _bloquear(plan)
        if plan.estado not in (E.SUSCRITO, E.EN_EJECUCION):
            raise ValidationError(f"Solo se modifica un plan suscrito o en ejecución; este está "
                                  f"{plan.get_estado_display().lower()}.")
        if plan.modificacion_en_curso:
            raise ValidationError("El plan ya tiene una modificación abierta: ciérrela primero.")
        numero = plan.modificaciones.count() + 1
        mod = Modificacion(plan=plan, numero=numero, motivo=motivo, documento=documento, abierta_en=timezone.now(),
                           abierta_por=usuario)
        mod.full_clean()
        mod.save()
        plan.modificacion_en_curso = True
        con_motivo(plan, f"Modificación N° {numero} abierta: {motivo}").save(update_fields=["modificacion_en_curso"])
    return mod


def modificacion_cerrar(*, modificacion: Modificacion, usuario) -> Modificacion:
    """Close the amendment: record every old and new value written since it was opened, and lock
    the plan's structure again."""
    plan = modificacion.plan
    check_puede_gestionar(usuario, plan)
    with transaction.atomic(), con_usuario(usuario):
        plan = _bloquear(plan)
        mod = Modificacion.objects.select_for_update().get(pk=modificacion.pk)
        if not mod.abierta:
            raise ValidationError(f"La modificación N° {mod.numero} ya está cerrada.")
        ahora = timezone.now()
        cambios = [CambioModificacion(modificacion=mod, orden=i, **c)
                   for i, c in enumerate(cambios_desde(plan, mod.abierta_en, ahora), start=1)]
        crear_en_lote(cambios, CambioModificacion, batch_size=500)
        mod.cerrada_en, mod.cerrada_por = ahora, usuario
        mod.save(update_fields=["cerrada_en", "cerrada_por"])
        plan.modificacion_en_curso = False
        con_motivo(plan, f"Modificación N° {mod.numero} cerrada ({len(cambios)} cambios)").save(
            update_fields=["modificacion_en_curso"])
    return mod


def plan_modificar(*, plan: Plan, usuario, motivo: str, cambios, documento: str = "") -> Modificacion:
    """Open an amendment, run `cambios()` (the writes), close it: all or nothing."""
    with transaction.atomic():
        mod = modificacion_abrir(plan=plan, usuario=usuario, motivo=motivo, documento=documento)
        with con_usuario(usuario):
            cambios()
        return modificacion_cerrar(modificacion=mod, usuario=usuario)


#: The foreign keys that name a structural row without a text of its own (an indicator's target,
#: yearly or for a period): the target's indicator and its period.
_NOMBRADO_POR = ("indicador", "periodo")


def _nombres(modelo, filas) -> dict[str, dict]:
    """For `_describir`: the names of the rows that `filas` (history rows of `modelo`) point to
    by the keys of _NOMBRADO_POR, one query per key whatever the number of rows."""
    nombres: dict[str, dict] = {}
    for campo in _NOMBRADO_POR:
        try:
            destino = modelo._meta.get_field(campo).related_model
        except FieldDoesNotExist:
            continue
        if destino is None:  # a text column of that name (the results chain's «indicador»)
            continue
        ids = {getattr(f, f"{campo}_id") for f in filas} - {None}
        # An indicator by its name; a row of the indicator table (a task's `indicador`), a period: as they print.
        nombres[campo] = {o.pk: getattr(o, "nombre", None) or str(o) for o in destino._default_manager.filter(pk__in=ids)}
    return nombres


def _describir(fila, nombres: dict[str, dict]) -> str:
    for campo in ("enunciado", "descripcion", "texto", "nombre", "indicador"):
        valor = getattr(fila, campo, None)
        if isinstance(valor, str) and valor.strip():
            return valor.strip()
    indicador = nombres.get("indicador", {}).get(getattr(fila, "indicador_id", None))
    if indicador:  # an indicator's target (yearly or for a period): named by both
        cuando = nombres.get("periodo", {}).get(getattr(fila, "periodo_id", None)) or getattr(fila, "anio", None)
        return f"{indicador} · {cuando}" if cuando else indicador
    return f"{fila.instance_type._meta.verbose_name} {fila.id}"


def _valor(fila, campo) -> str:
    valor = getattr(fila, campo.attname)
    return "" if valor is None else str(valor)


def cambios_desde(plan: Plan, desde, hasta) -> list[dict]:
    """What changed in `plan`'s structure between `desde` and `hasta`, from its history: rows
    added, rows removed, and each changed field's old and new value (2 queries per model, and
    one per key naming a target: `_nombres`)."""
    resultado: list[dict] = []
    for modelo in ESTRUCTURA:
        if not tiene_historial(modelo):
            continue
        historial = modelo.history.model
        ventana = list(historial.objects.filter(**{modelo.plan_field or "plan": plan.pk}, history_date__gt=desde,
                                                history_date__lte=hasta).order_by("history_date", "history_id"))
        if not ventana:
            continue
        ultima = {}
        for fila in ventana:
            ultima[fila.id] = fila
        previas = {}
        for fila in historial.objects.filter(id__in=list(ultima), history_date__lte=desde).order_by("history_date", "history_id"):
            previas[fila.id] = fila
        campos = [f for f in modelo._meta.concrete_fields if f.name not in CAMPOS_OMITIDOS]
        nombre = str(modelo._meta.verbose_name)
        nombres = _nombres(modelo, [*ultima.values(), *previas.values()])
        for pk, despues in ultima.items():
            antes = previas.get(pk)
            if antes is not None and antes.history_type == "-":
                antes = None
            base = {"modelo": nombre, "objeto_id": pk}
            if despues.history_type == "-":
                if antes is not None:
                    resultado.append({**base, "objeto": _describir(antes, nombres), "accion": CambioModificacion.Accion.BAJA})
                continue
            if antes is None:
                resultado.append({**base, "objeto": _describir(despues, nombres), "accion": CambioModificacion.Accion.ALTA})
                continue
            for campo in campos:
                viejo, nuevo = _valor(antes, campo), _valor(despues, campo)
                if viejo != nuevo:
                    resultado.append({**base, "objeto": _describir(despues, nombres), "accion": CambioModificacion.Accion.CAMBIO,
                                      "campo": str(campo.verbose_name), "anterior": viejo, "nuevo": nuevo})
    return resultado

