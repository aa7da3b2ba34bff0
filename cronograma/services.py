"""Writes of the schedule, and the check every write of it goes through.

`cronograma_check` is the one place on the way to a write where an activity's schedule and
months are checked as a whole (the adding-up rules, `cronograma.models.revisar`):
`cronograma_save` calls it before writing, the admin's form (cronograma/admin.py) while the
page is validated, before anything is saved, and the Excel import (cronograma/resources.py)
for each activity of a file, with the budgets it loaded once for the whole file.

The admin writes through `cronograma_save` / `cronograma_delete`. The import writes its rows
with the import machinery (amc/resources.py: `full_clean()` on every row, `bulk_create` /
`bulk_update` by batches, one transaction for the whole file), because a file adds and updates
months without removing the others and its cost must not grow with its activities; it shares
this module's check, so the rules are the same.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from amc import access
from amc.auditoria import con_usuario, crear_en_lote
from cronograma.models import Cronograma, Cuadre, Hito, Mes, Presupuesto, ProgramacionMensual, revisar
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


def cronograma_check(*, actividad, cronograma: Cronograma | None,
                     meses: Iterable[tuple[Mes, Decimal | None, Decimal | None]],
                     presupuesto: Presupuesto | None = None) -> Cuadre:
    """How an activity's schedule and months, as they would stand once written, add up
    (`revisar`): errors (nothing may be written) and warnings.

    cronograma: the schedule as it would be (None: none, or removed). meses: (month, physical
    target, amount) of every month the activity would have. presupuesto: the activity's budget
    when the caller has it (the import loads every activity's at once); else it is read here
    (1 query; none for an activity not saved yet, which has no budget lines)."""
    if presupuesto is None:
        presupuesto = presupuesto_de(actividad) if actividad.pk else Presupuesto()
    c = cronograma
    return revisar(plan=actividad.plan, inicio=c.inicio if c else None, fin=c.fin if c else None,
                   meta=c.meta_fisica if c else None, meses=meses, presupuesto=presupuesto)


def cronograma_save(*, user, actividad, inicio: tuple[int, int], fin: tuple[int, int], meta_fisica, unidad_medida: str = "",
                    meses: Sequence[MesProgramado] = (), hitos: Iterable[HitoDatos] | None = None) -> Cronograma:
    """Set an activity's schedule: start and end month, physical target, the monthly programming
    (replaces the months it had) and, when given, its milestones (replace those it had).

    All or nothing: any field error, a month outside the plan or the activity, or months that
    add up to more than the target or the budget raise ValidationError and nothing changes."""
    access.check_can_edit(user, actividad)
    with transaction.atomic(), con_usuario(user):
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
        cuadre = cronograma_check(actividad=actividad, cronograma=cronograma,
                                  meses=[(f.periodo, f.meta_fisica, f.monto) for f in filas])
        if cuadre.errores:
            raise ValidationError(cuadre.error_dict())
        cronograma.save()
        ProgramacionMensual.objects.filter(actividad=actividad).delete()
        crear_en_lote(filas, ProgramacionMensual, usuario=user)
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
            crear_en_lote(nuevos, Hito, usuario=user)
    return cronograma


def cronograma_delete(*, user, actividad, hitos: bool = True) -> None:
    """Remove an activity's schedule and its months, and its milestones unless `hitos` is
    False (the admin edits them apart, on the same page)."""
    access.check_can_edit(user, actividad)
    with transaction.atomic(), con_usuario(user):
        Cronograma.objects.filter(actividad=actividad).delete()
        ProgramacionMensual.objects.filter(actividad=actividad).delete()
        if hitos:
            Hito.objects.filter(actividad=actividad).delete()
