"""Reads of the schedule: each activity's budget and the actual progress reported for it.
Each function makes one query, whatever the number of activities."""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from amc.vocabulario import periodo_nombre_corto
from cronograma.models import CERO, Cronograma, Mes, Presupuesto
from presupuesto.models import LineaPresupuesto
from seguimiento.models import AvanceActividad


def presupuestos(*, actividad_ids=None, plan=None) -> dict[int, Presupuesto]:
    """The budget of each activity (`actividad_ids`, or every activity of `plan`): the total of
    its budget lines with an amount (`with_totals()`), its number of lines and how many have no
    amount. Activities without lines are absent (their budget is `Presupuesto()`). 1 query."""
    qs = LineaPresupuesto.objects.filter(actividad__isnull=False).with_totals()
    if actividad_ids is not None:
        qs = qs.filter(actividad_id__in=list(actividad_ids))
    if plan is not None:
        qs = qs.filter(plan=plan)
    acumulado: dict[int, list] = {}
    for actividad_id, total in qs.order_by().values_list("actividad_id", "total_calculado"):
        fila = acumulado.setdefault(actividad_id, [None, 0, 0])
        fila[1] += 1
        if total is None:
            fila[2] += 1
        else:
            fila[0] = (fila[0] or CERO) + total
    return {a: Presupuesto(total, lineas, sin_monto) for a, (total, lineas, sin_monto) in acumulado.items()}


def presupuesto_de(actividad) -> Presupuesto:
    return presupuestos(actividad_ids=[actividad.pk]).get(actividad.pk, Presupuesto())


@dataclass(frozen=True)
class AvanceReal:
    """The latest progress an activity's entity reported up to a date (submitted or approved)."""

    avance_fisico: Decimal  # percent, 0-100
    situacion: str
    situacion_label: str
    periodo: str


def avances_reales(*, plan, hoy: datetime.date) -> dict[int, AvanceReal]:
    """For each activity of `plan`, the progress of the latest reporting period that had begun
    by `hoy`, among values submitted or approved (drafts and returned values do not count, as
    in the tracking report). 1 query."""
    labels = dict(AvanceActividad.EstadoActividad.choices)
    filas = (AvanceActividad.objects.reportados()
             .filter(actividad__plan=plan, periodo__inicio__lte=hoy)
             .order_by("actividad_id", "-periodo__fin", "-periodo__inicio")
             .values_list("actividad_id", "avance_fisico", "situacion", "periodo__frecuencia", "periodo__anio",
                          "periodo__numero"))
    out: dict[int, AvanceReal] = {}
    for actividad_id, avance, situacion, frecuencia, anio, numero in filas:
        if actividad_id in out:
            continue
        out[actividad_id] = AvanceReal(avance, situacion, labels.get(situacion, situacion),
                                       periodo_nombre_corto(frecuencia, anio, numero))
    return out


def actividades_programadas(*, periodos) -> dict[int, set[int]]:
    """For each reporting period (objects with `pk`, `plan_id`, `anio` and `meses`; of one plan
    or several), the activities of its plan whose schedule runs in one of its months (from its
    start month to its end month). Follow-up asks these for their progress in the period
    (registered in `seguimiento.registros` from CronogramaConfig.ready()). 1 query."""
    tramos: dict[int, list] = defaultdict(list)
    for actividad_id, plan_id, ia, im, fa, fm in Cronograma.objects.filter(
            actividad__plan_id__in={p.plan_id for p in periodos}).values_list(
            "actividad_id", "actividad__plan_id", "inicio_anio", "inicio_mes", "fin_anio", "fin_mes"):
        tramos[plan_id].append((actividad_id, Mes(ia, im), Mes(fa, fm)))
    out: dict[int, set[int]] = {}
    for periodo in periodos:
        primero, ultimo = Mes(periodo.anio, periodo.meses[0]), Mes(periodo.anio, periodo.meses[-1])
        out[periodo.pk] = {a for a, inicio, fin in tramos[periodo.plan_id] if inicio <= ultimo and fin >= primero}
    return out
