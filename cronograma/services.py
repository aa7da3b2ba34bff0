"""Writes of the schedule. The admin's inlines and the Excel import reach the same rules
(`cronograma.models.revisar`); this is the entry point for code."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from amc import access
from cronograma.models import Cronograma, Hito, ProgramacionMensual, revisar
from cronograma.selectors import presupuesto_de


@dataclass(frozen=True)
class MesProgramado:
    anio: int
    mes: int
    meta_fisica: Decimal = Decimal("0")
    monto: Decimal = Decimal("0")


@dataclass(frozen=True)
class HitoDatos:
    nombre: str
    anio: int
    mes: int
    fecha: object = None


def cronograma_save(*, user, actividad, inicio: tuple[int, int], fin: tuple[int, int], meta_fisica, unidad_medida: str = "",
                    meses: Sequence[MesProgramado] = (), hitos: Iterable[HitoDatos] | None = None) -> Cronograma:
    """Set an activity's schedule: start and end month, physical target, the monthly programming
    (replaces the months it had) and, when given, its milestones (replace those it had).

    All or nothing: any field error, a month outside the plan or the activity, or months that
    add up to more than the target or the budget raise ValidationError and nothing changes."""
    access.check_can_edit(user, actividad)
    with transaction.atomic():
        cronograma = Cronograma.objects.filter(actividad=actividad).first() or Cronograma(actividad=actividad)
        cronograma.actividad = actividad
        cronograma.inicio_anio, cronograma.inicio_mes = inicio
        cronograma.fin_anio, cronograma.fin_mes = fin
        cronograma.meta_fisica = Decimal(meta_fisica)
        cronograma.unidad_medida = unidad_medida
        cronograma.full_clean()
        filas = [ProgramacionMensual(actividad=actividad, anio=m.anio, mes=m.mes, meta_fisica=Decimal(m.meta_fisica),
                                     monto=Decimal(m.monto)) for m in meses]
        errores: dict[str, list[str]] = {}
        for fila in filas:
            try:
                fila.full_clean(exclude=["actividad"], validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                nombre = fila.periodo.nombre.capitalize() if 1 <= (fila.mes or 0) <= 12 else f"Mes {fila.mes} de {fila.anio}"
                for mensaje in exc.messages:
                    errores.setdefault("meses", []).append(f"{nombre}: {mensaje}")
        if errores:
            raise ValidationError(errores)
        cuadre = revisar(plan=actividad.plan, inicio=cronograma.inicio, fin=cronograma.fin, meta=cronograma.meta_fisica,
                         meses=[(f.periodo, f.meta_fisica, f.monto) for f in filas], presupuesto=presupuesto_de(actividad))
        if cuadre.errores:
            raise ValidationError(cuadre.error_dict())
        cronograma.save()
        ProgramacionMensual.objects.filter(actividad=actividad).delete()
        ProgramacionMensual.objects.bulk_create(filas)
        if hitos is not None:
            nuevos = [Hito(actividad=actividad, nombre=h.nombre, anio=h.anio, mes=h.mes, fecha=h.fecha) for h in hitos]
            for hito in nuevos:
                # Uniqueness is the name check below (the old milestones are replaced); the
                # month and year ranges are the fields' choices and clean().
                try:
                    hito.full_clean(exclude=["actividad"], validate_unique=False, validate_constraints=False)
                except ValidationError as exc:
                    raise ValidationError({"hitos": [f"Hito «{hito.nombre}»: {m}" for m in exc.messages]}) from None
            nombres = [h.nombre for h in nuevos]
            if len(set(nombres)) != len(nombres):
                raise ValidationError({"hitos": "Dos hitos tienen el mismo nombre: cada hito de la actividad se nombra distinto."})
            Hito.objects.filter(actividad=actividad).delete()
            Hito.objects.bulk_create(nuevos)
    return cronograma


def cronograma_delete(*, user, actividad) -> None:
    """Remove an activity's schedule, its months and its milestones."""
    access.check_can_edit(user, actividad)
    with transaction.atomic():
        Cronograma.objects.filter(actividad=actividad).delete()
        ProgramacionMensual.objects.filter(actividad=actividad).delete()
        Hito.objects.filter(actividad=actividad).delete()
