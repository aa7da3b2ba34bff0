"""Report data of the follow-up: targets against actuals per indicator and period, activity
progress, budget execution and completeness (`seguimiento`), the dashboard (`tablero`) and the
period's evaluation (`evaluacion`).
Each loads a fixed number of queries; the page, the PDF and the Excel file are drawn from
the same data by amc.reports.

How values add up over time follows each indicator's rule (`Indicador.agregacion`):
- summed (`suma`): the cumulative actual is the sum of the values up to the period, against
  the sum of the period targets; the year's figure is the sum of the year's values;
- last value (`ultimo`): the cumulative actual is the latest value reported up to the period,
  against the latest target; the year's figure is the last value reported;
- not cumulative (`no_acumulativo`): each period stands alone and there is no cumulative
  figure; the year's figure is the average of the values reported, against the yearly target.

% achieved, per period and cumulatively; for the year so far, the year's figure against the
target to date (the cumulative target up to the last period reported), and against the yearly
target. % achieved and the traffic light follow each indicator's direction (`Indicador.sentido`:
more is better, less is better, a level to hold); the formulas are `seguimiento.desempeno`'s.
"""
from __future__ import annotations

import datetime
from collections import defaultdict
import dataclasses
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.utils import timezone

from amc.excel import Column
from amc.formatting import percent, percent_number
from amc.versiones import por_version
from matrices.models import Actividad, Agregacion, Indicador, MetaIndicador, Sentido
from planes.models import Plan, PlanEntidad
from presupuesto.models import LineaPresupuesto
from seguimiento import charts, registros
from seguimiento.desempeno import SEMAFORO_EXPLICACION, SEMAFORO_LABEL, UMBRAL, logro, semaforo, sentido_nombre
from seguimiento.models import (
    AvanceActividad, CondicionValor, EjecucionPresupuestal, EstadoRevision, LogrosPeriodo, MetaPeriodo, PeriodoReporte,
    ValorIndicador,
)
from seguimiento.querysets import REPORTADOS

ESTADO_LABEL = dict(EstadoRevision.choices)
# % achieved and the traffic light are seguimiento.desempeno's (re-exported here: callers use
# reports.logro / reports.semaforo); `logro` with its default direction also gives financial
# progress (devengado / PIM).


def anios_con_periodos(*, plan: Plan) -> list[int]:
    """The years that have reporting periods (1 query)."""
    return sorted(set(PeriodoReporte.objects.filter(plan=plan).values_list("anio", flat=True)))


# --- targets vs actuals ---------------------------------------------------------------------------

@dataclass
class CeldaPeriodo:
    periodo: PeriodoReporte
    meta: Decimal | None
    valor: Decimal | None
    estado: str | None
    acumulado: Decimal | None
    meta_acumulada: Decimal | None
    sentido: str = Sentido.ASCENDENTE  # the indicator's direction

    @cached_property
    def logro(self):
        return logro(self.valor, self.meta, self.sentido)

    @cached_property
    def logro_acumulado(self):
        return logro(self.acumulado, self.meta_acumulada, self.sentido)

    @cached_property
    def semaforo(self):
        return semaforo(self.valor, self.meta, self.sentido)

    @cached_property
    def semaforo_acumulado(self):
        return semaforo(self.acumulado, self.meta_acumulada, self.sentido)

    @property
    def semaforo_label(self):
        return SEMAFORO_LABEL[self.semaforo]

    @property
    def semaforo_svg(self):
        return charts.semaforo(self.semaforo, self.semaforo_label)

    @property
    def estado_label(self):
        return ESTADO_LABEL.get(self.estado, "") if self.estado else "Sin reporte"


@dataclass
class FilaIndicador:
    indicador: Indicador
    meta_anual: Decimal | None
    celdas: list[CeldaPeriodo]
    total: Decimal | None  # the year's figure by the indicator's rule

    @cached_property
    def tiene_datos(self) -> bool:
        """Whether any period of the year has a target or a value."""
        return any(c.meta is not None or c.valor is not None for c in self.celdas)

    @property
    def regla(self) -> str:
        return {"suma": "Suma", "ultimo": "Último valor", "no_acumulativo": "No acumulativo"}[self.indicador.agregacion]

    @property
    def sentido(self) -> str:
        return sentido_nombre(self.indicador.sentido)

    @cached_property
    def meta_a_la_fecha(self):
        """The target the year's figure is judged against: the cumulative target up to the
        last period with a value (the average target of those periods, when not cumulative);
        the yearly target when there are no period targets."""
        reportadas = [c for c in self.celdas if c.valor is not None]
        if reportadas:
            if self.indicador.agregacion == Agregacion.NO_ACUMULATIVO:
                metas = [c.meta for c in reportadas if c.meta is not None]
                if metas:
                    return sum(metas, Decimal("0")) / len(metas)
            elif reportadas[-1].meta_acumulada is not None:
                return reportadas[-1].meta_acumulada
        return self.meta_anual

    @property
    def logro(self):
        """% achieved to date: the year's figure against the target to date."""
        return logro(self.total, self.meta_a_la_fecha, self.indicador.sentido)

    @property
    def logro_anual(self):
        """The year's figure against the yearly target."""
        return logro(self.total, self.meta_anual, self.indicador.sentido)

    @cached_property
    def semaforo(self):
        return semaforo(self.total, self.meta_a_la_fecha, self.indicador.sentido)

    @property
    def semaforo_label(self):
        return SEMAFORO_LABEL[self.semaforo]

    @property
    def semaforo_svg(self):
        return charts.semaforo(self.semaforo, self.semaforo_label)


def acumular(agregacion: str, metas: list, valores: list) -> tuple[list, list, Decimal | None]:
    """Cumulative actuals and targets per period, and the year's figure, by the rule.
    `metas` and `valores` are per period, None where missing."""
    acumulados, metas_acum = [], []
    if agregacion == Agregacion.SUMA:
        suma_v = suma_m = None
        for m, v in zip(metas, valores):
            if v is not None:
                suma_v = (suma_v or Decimal("0")) + v
            if m is not None:
                suma_m = (suma_m or Decimal("0")) + m
            acumulados.append(suma_v)
            metas_acum.append(suma_m)
        return acumulados, metas_acum, suma_v
    if agregacion == Agregacion.ULTIMO:
        ultimo_v = ultimo_m = None
        for m, v in zip(metas, valores):
            ultimo_v = v if v is not None else ultimo_v
            ultimo_m = m if m is not None else ultimo_m
            acumulados.append(ultimo_v)
            metas_acum.append(ultimo_m)
        return acumulados, metas_acum, ultimo_v
    reportados = [v for v in valores if v is not None]
    promedio = sum(reportados, Decimal("0")) / len(reportados) if reportados else None
    return [None] * len(valores), [None] * len(metas), promedio


# --- activities, budget, completeness --------------------------------------------------------------

@dataclass
class FilaActividad:
    actividad: Actividad
    avances: list[AvanceActividad | None]  # per period

    @property
    def ultimo(self) -> AvanceActividad | None:
        reportados = [a for a in self.avances if a is not None]
        return reportados[-1] if reportados else None

    @property
    def avance_fisico(self) -> Decimal | None:
        return self.ultimo.avance_fisico / 100 if self.ultimo else None


@dataclass
class FilaPresupuesto:
    linea: LineaPresupuesto
    programado: Decimal | None
    pim: Decimal
    certificado: Decimal
    devengado: Decimal
    avance_fisico: Decimal | None  # from the line's activity, a fraction

    @property
    def avance_financiero(self):
        return logro(self.devengado, self.pim)


@dataclass
class TotalPresupuesto:
    etiqueta: str
    programado: Decimal
    pim: Decimal
    certificado: Decimal
    devengado: Decimal
    avance_fisico: Decimal | None

    @property
    def avance_financiero(self):
        return logro(self.devengado, self.pim)


@dataclass
class CeldaCumplimiento:
    esperados: int
    enviados: int = 0
    aprobados: int = 0
    situacion: str = ""
    etiqueta: str = ""


@dataclass
class EntidadSeguimiento:
    entidad: object
    indicadores: list[FilaIndicador] = field(default_factory=list)
    actividades: list[FilaActividad] = field(default_factory=list)
    presupuesto: list[FilaPresupuesto] = field(default_factory=list)
    total_presupuesto: TotalPresupuesto | None = None


@dataclass
class Seguimiento:
    plan: Plan
    anio: int | None
    periodos: list[PeriodoReporte]
    entidades: list[EntidadSeguimiento]
    total_presupuesto: TotalPresupuesto | None
    cumplimiento: list[tuple[PeriodoReporte, list[CeldaCumplimiento]]]
    entidades_cumplimiento: list

    semaforo_explicacion = SEMAFORO_EXPLICACION

    @property
    def indicadores(self) -> list[FilaIndicador]:
        return [f for e in self.entidades for f in e.indicadores]

    @property
    def actividades(self) -> list[FilaActividad]:
        return [f for e in self.entidades for f in e.actividades]


def entidades_con_indicadores(plan: Plan) -> set[int]:
    """The ids of the entities that own indicators in the plan (1 query)."""
    return set(Indicador.objects.filter(plan=plan).order_by().values_list("entidad_id", flat=True).distinct())


def seguimiento(*, plan: Plan, anio: int | None, hoy=None, entidad_id: int | None = None) -> Seguimiento:
    """The tracking report of a plan for a year, of one entity (`entidad_id`) or all (17 queries,
    whatever the number of indicators, entities and periods): periods; indicators with their entity and yearly
    target; period targets; reported values; activities; reported progress; budget lines
    with their planned totals; execution summed per line; entities; what was due in each
    period (`registros.exigidos`, 5) and what of it was submitted (2). That compliance table is
    every entity's whichever entity the report shows, computed once per data version
    (`amc.versiones.por_version`: 1 query instead of 7 while the data do not change)."""
    hoy = hoy or timezone.localdate()
    periodos = list(PeriodoReporte.objects.of_plan(plan, anio)) if anio else []
    for p in periodos:
        p.plan = plan
    pos = {p.pk: i for i, p in enumerate(periodos)}
    n = len(periodos)

    de_la_entidad = {"entidad_id": entidad_id} if entidad_id else {}
    indicadores = list(
        Indicador.objects.filter(plan=plan, **de_la_entidad).select_related("entidad__nivel")
        .prefetch_related(Prefetch("metas", queryset=MetaIndicador.objects.filter(anio=anio), to_attr="metas_del_anio"))
        .order_by("entidad__nivel__orden", "entidad__nombre", "orden")
    )
    metas = defaultdict(lambda: [None] * n)
    for ind_id, per_id, valor in MetaPeriodo.objects.filter(periodo__in=periodos, **_de("indicador__", entidad_id)).values_list("indicador_id", "periodo_id", "valor"):
        metas[ind_id][pos[per_id]] = valor
    valores = defaultdict(lambda: [None] * n)
    estados = defaultdict(lambda: [None] * n)
    for ind_id, per_id, valor, estado in (ValorIndicador.objects.filter(periodo__in=periodos, **_de("indicador__", entidad_id)).reportados()
                                          .values_list("indicador_id", "periodo_id", "valor", "estado")):
        valores[ind_id][pos[per_id]] = valor
        estados[ind_id][pos[per_id]] = estado

    por_entidad: dict[int, EntidadSeguimiento] = {}

    def bloque(entidad):
        if entidad.pk not in por_entidad:
            por_entidad[entidad.pk] = EntidadSeguimiento(entidad)
        return por_entidad[entidad.pk]

    for ind in indicadores:
        m, v = metas[ind.pk], valores[ind.pk]
        acumulados, metas_acum, total = acumular(ind.agregacion, m, v)
        celdas = [CeldaPeriodo(p, m[i], v[i], estados[ind.pk][i], acumulados[i], metas_acum[i], ind.sentido)
                  for i, p in enumerate(periodos)]
        meta_anual = ind.metas_del_anio[0].valor if ind.metas_del_anio else None
        bloque(ind.entidad).indicadores.append(FilaIndicador(ind, meta_anual, celdas, total))

    actividades = list(Actividad.objects.filter(plan=plan, **de_la_entidad).select_related("entidad__nivel")
                       .order_by("entidad__nivel__orden", "entidad__nombre", "orden"))
    avances = defaultdict(lambda: [None] * n)
    for a in AvanceActividad.objects.filter(periodo__in=periodos, **_de("actividad__", entidad_id)).reportados().only(
            "actividad_id", "periodo_id", "situacion", "avance_fisico", "estado"):
        avances[a.actividad_id][pos[a.periodo_id]] = a
    filas_act = {}
    for act in actividades:
        fila = FilaActividad(act, avances[act.pk])
        filas_act[act.pk] = fila
        bloque(act.entidad).actividades.append(fila)

    lineas = list(LineaPresupuesto.objects.filter(plan=plan, **de_la_entidad).with_totals().select_related("entidad__nivel")
                  .order_by("entidad__nivel__orden", "entidad__nombre", "orden"))
    ejec = {r["linea"]: r for r in EjecucionPresupuestal.objects.filter(linea__plan=plan, anio=anio, **_de("linea__", entidad_id)).order_by()
            .values("linea").annotate(pim=Sum("pim"), certificado=Sum("certificado"), devengado=Sum("devengado"))}
    cero = Decimal("0")
    for linea in lineas:
        r = ejec.get(linea.pk, {})
        fila_act = filas_act.get(linea.actividad_id)
        bloque(linea.entidad).presupuesto.append(FilaPresupuesto(
            linea, linea.total_calculado, r.get("pim") or cero, r.get("certificado") or cero, r.get("devengado") or cero,
            fila_act.avance_fisico if fila_act else None,
        ))
    for b in por_entidad.values():
        b.total_presupuesto = _total(f"Total {b.entidad.nombre_corto}", b.presupuesto, b.actividades) if b.presupuesto else None
    todas_lineas = [f for b in por_entidad.values() for f in b.presupuesto]
    total = _total("Total del plan" if not entidad_id else "Total de la entidad", todas_lineas, [f for b in por_entidad.values() for f in b.actividades]) if todas_lineas else None

    participantes = [pe.entidad for pe in PlanEntidad.objects.filter(plan=plan).select_related("entidad").order_by("orden")]

    def calcular_cumplimiento():  # every entity's, whichever the report shows: once per data version
        debidos = registros.exigidos(periodos=periodos)
        con_reporte = [e for e in participantes if any(entidad_pk == e.pk for _, entidad_pk in debidos)]
        return con_reporte, _cumplimiento(periodos, con_reporte, debidos, hoy)

    con_reporte, cumplimiento = por_version(("cumplimiento", plan.pk, anio, hoy), calcular_cumplimiento)
    orden = {e.pk: i for i, e in enumerate(participantes)}
    entidades = sorted(por_entidad.values(), key=lambda b: (orden.get(b.entidad.pk, 999), b.entidad.nombre))
    return Seguimiento(plan, anio, periodos, entidades, total, cumplimiento, con_reporte)


def seguimiento_partes(data: Seguimiento) -> list[tuple[Seguimiento, str]]:
    """The tracking report of every entity split by entity, for a PDF laid out in parts
    (`amc.reports.unir_pdf`): each part one entity's indicators, activities and budget; the
    last one also the plan's total and the compliance table. Returns (part, entity code)."""
    partes = []
    for k, bloque in enumerate(data.entidades):
        ultima = k == len(data.entidades) - 1
        partes.append((dataclasses.replace(
            data, entidades=[bloque], total_presupuesto=data.total_presupuesto if ultima else None,
            cumplimiento=data.cumplimiento if ultima else [],
            entidades_cumplimiento=data.entidades_cumplimiento if ultima else []), bloque.entidad.codigo))
    return partes


def _de(ruta: str, entidad_id: int | None) -> dict:
    """The lookup that keeps one entity's rows (`ruta` leads to the row's `entidad`), or none."""
    return {f"{ruta}entidad_id": entidad_id} if entidad_id else {}


def _total(etiqueta, filas: list[FilaPresupuesto], actividades: list[FilaActividad]) -> TotalPresupuesto:
    cero = Decimal("0")
    fisicos = [a.avance_fisico for a in actividades if a.avance_fisico is not None]
    return TotalPresupuesto(
        etiqueta, sum((f.programado or cero for f in filas), cero), sum((f.pim for f in filas), cero),
        sum((f.certificado for f in filas), cero), sum((f.devengado for f in filas), cero),
        sum(fisicos, cero) / len(fisicos) if fisicos else None,
    )


def _cumplimiento(periodos, entidades, debidos, hoy) -> list:
    """Per period and entity: what was due (`registros.exigidos`) submitted on time, late,
    incomplete, approved or missing; an item filed though not due does not make up for one due
    (2 queries: the values and the progress submitted)."""
    enviados: dict[tuple[str, int, int, int], tuple] = {}
    for model, item in ((ValorIndicador, "indicador_id"), (AvanceActividad, "actividad_id")):
        clave = "valor" if model is ValorIndicador else "avance"
        for periodo_id, entidad_id, item_id, enviado_en, estado in (
                model.objects.filter(periodo__in=periodos, enviado_en__isnull=False).order_by()
                .values_list("periodo_id", "entidad_id", item, "enviado_en", "estado")):
            enviados[(clave, periodo_id, entidad_id, item_id)] = (enviado_en, estado)
    filas = []
    for p in periodos:
        celdas = []
        for e in entidades:
            debido = debidos.get((p.pk, e.pk))
            hechos = [enviados[k] for k in (
                [("valor", p.pk, e.pk, i) for i in (debido.valor if debido else ())]
                + [("avance", p.pk, e.pk, a) for a in (debido.avance if debido else ())]) if k in enviados]
            celda = CeldaCumplimiento(len(debido) if debido else 0, len(hechos),
                                      sum(1 for _, estado in hechos if estado == EstadoRevision.APROBADO))
            if not celda.esperados:
                celda.situacion, celda.etiqueta = "sin_debidos", "Nada que reportar"
            else:
                punt = puntualidad(esperados=celda.esperados, enviados=celda.enviados,
                                   ultimo_envio=max((f for f, _ in hechos), default=None), periodo=p, hoy=hoy)
                celda.situacion, celda.etiqueta = punt.situacion, punt.etiqueta
                if punt.completo and celda.aprobados >= celda.esperados:
                    celda.etiqueta += " · aprobado"
            celdas.append(celda)
        filas.append((p, celdas))
    return filas


@dataclass(frozen=True)
class Puntualidad:
    """Whether an entity filed what was due for a period, and when."""

    situacion: str  # a_tiempo, tarde, incompleto, no_presentado, pendiente
    etiqueta: str
    completo: bool = False
    fecha: datetime.date | None = None  # the day the last of what was due was first sent
    dias_retraso: int = 0  # days after the deadline it was complete (or, still missing, days overdue so far)

    @property
    def con_dias(self) -> str:
        """The label with the days overdue of what is still missing (the evaluation report)."""
        if self.completo or not self.dias_retraso:
            return self.etiqueta
        dias = f"{self.dias_retraso} día{'s' if self.dias_retraso != 1 else ''}"
        if self.situacion == "no_presentado":
            return f"No presentado: el plazo venció hace {dias}"
        return f"{self.etiqueta}; el plazo venció hace {dias}"


def puntualidad(*, esperados: int, enviados: int, ultimo_envio, periodo: PeriodoReporte, hoy) -> Puntualidad:
    """The one rule of timeliness: complete when every one of `esperados` was sent at least
    once; on time when the last of them was first sent by the period's deadline
    (`entrega_hasta`, which a reopening moves), late by the days after it otherwise."""
    plazo = periodo.entrega_hasta
    if esperados and enviados >= esperados:
        fecha = timezone.localtime(ultimo_envio).date()
        dias = max(0, (fecha - plazo).days)
        if not dias:
            return Puntualidad("a_tiempo", f"Enviado a tiempo ({fecha:%d/%m/%Y})", True, fecha)
        return Puntualidad("tarde", f"Enviado con retraso ({fecha:%d/%m/%Y}): {dias} día{'s' if dias != 1 else ''} después del plazo",
                           True, fecha, dias)
    vencido = max(0, (hoy - plazo).days)
    if enviados:
        return Puntualidad("incompleto", f"Incompleto: {enviados} de {esperados} enviados", dias_retraso=vencido)
    if vencido:
        return Puntualidad("no_presentado", "No presentado (plazo vencido)", dias_retraso=vencido)
    return Puntualidad("pendiente", "Pendiente" if hoy >= periodo.entrega_desde else "Aún no corresponde")


def seguimiento_xlsx(data: Seguimiento, workbook) -> None:
    """Sheets: indicators summary, indicators by period, activities, budget execution, completeness."""
    resumen = workbook.sheet("Indicadores", [
        Column("Entidad", 16), Column("N°", 5, "integer"), Column("Indicador", 50), Column("Regla", 14),
        Column("Línea de base", 12, "number"), Column("Meta anual", 12, "number"), Column("Meta a la fecha", 12, "number"),
        Column("Valor del año", 12, "number"), Column("% de logro a la fecha", 11, "number"),
        Column("% de la meta anual", 11, "number"), Column("Semáforo", 12), Column("Sentido", 13),
    ])
    for f in data.indicadores:
        resumen.row([f.indicador.entidad.nombre_corto, f.indicador.orden, f.indicador.nombre, f.regla,
                     f.indicador.linea_base_valor, f.meta_anual, f.meta_a_la_fecha, f.total, percent_number(f.logro),
                     percent_number(f.logro_anual), f.semaforo_label, f.sentido])
    detalle = workbook.sheet("Indicadores por periodo", [
        Column("Entidad", 16), Column("N°", 5, "integer"), Column("Indicador", 44), Column("Periodo", 14),
        Column("Meta del periodo", 12, "number"), Column("Valor", 12, "number"), Column("Estado", 14),
        Column("Acumulado", 12, "number"), Column("Meta acumulada", 12, "number"), Column("% logro del periodo", 11, "number"),
        Column("% logro acumulado", 11, "number"), Column("Semáforo", 12), Column("Sentido", 13),
    ])
    for f in data.indicadores:
        for c in f.celdas:
            detalle.row([f.indicador.entidad.nombre_corto, f.indicador.orden, f.indicador.nombre, c.periodo.nombre, c.meta,
                         c.valor, c.estado_label, c.acumulado, c.meta_acumulada, percent_number(c.logro), percent_number(c.logro_acumulado),
                         c.semaforo_label, f.sentido])
    act = workbook.sheet("Actividades", [
        Column("Entidad", 16), Column("N°", 5, "integer"), Column("Actividad", 50),
        *[Column(p.nombre_corto, 12) for p in data.periodos], Column("Avance físico %", 10, "number"),
    ])
    for f in data.actividades:
        act.row([f.actividad.entidad.nombre_corto, f.actividad.orden, str(f.actividad),
                 *[f"{a.get_situacion_display()} {a.avance_fisico.normalize():f}%" if a else "" for a in f.avances],
                 percent_number(f.avance_fisico)])
    pres = workbook.sheet("Ejecución presupuestal", [
        Column("Entidad", 16), Column("N°", 5, "integer"), Column("Línea", 44), Column("Programado (S/)", 14, "money"),
        Column("PIM (S/)", 14, "money"), Column("Certificado (S/)", 14, "money"), Column("Devengado (S/)", 14, "money"),
        Column("% avance financiero", 11, "number"), Column("% avance físico", 11, "number"),
    ])
    for b in data.entidades:
        for f in b.presupuesto:
            pres.row([b.entidad.nombre_corto, f.linea.orden, f.linea.descripcion, f.programado, f.pim, f.certificado, f.devengado,
                      percent_number(f.avance_financiero), percent_number(f.avance_fisico)])
        if b.total_presupuesto:
            t = b.total_presupuesto
            pres.row([t.etiqueta, None, "", t.programado, t.pim, t.certificado, t.devengado, percent_number(t.avance_financiero),
                      percent_number(t.avance_fisico)], style="total")
    if data.total_presupuesto:
        t = data.total_presupuesto
        pres.row([t.etiqueta, None, "", t.programado, t.pim, t.certificado, t.devengado, percent_number(t.avance_financiero),
                  percent_number(t.avance_fisico)], style="total")
    cum = workbook.sheet("Cumplimiento", [Column("Periodo", 16), Column("Plazo", 12, "date"),
                                          *[Column(e.nombre_corto, 30) for e in data.entidades_cumplimiento]])
    for p, celdas in data.cumplimiento:
        cum.row([p.nombre, p.entrega_hasta, *[c.etiqueta for c in celdas]])


# --- dashboard --------------------------------------------------------------------------------------

@dataclass
class BarraEntidad:
    entidad: object
    en_meta: int
    con_datos: int
    total_indicadores: int
    avance_fisico: Decimal | None
    avance_financiero: Decimal | None

    @property
    def fraccion_en_meta(self):
        return Decimal(self.en_meta) / self.total_indicadores if self.con_datos else None

    def barras(self):
        return [
            ("Indicadores en meta", charts.barra(self.fraccion_en_meta, "Indicadores en meta"),
             f"{self.en_meta} de {self.total_indicadores}"),
            ("Avance físico (promedio de actividades)", charts.barra(self.avance_fisico, "Avance físico"), ""),
            ("Avance financiero (devengado / PIM)", charts.barra(self.avance_financiero, "Avance financiero"), ""),
        ]


@dataclass
class GraficoIndicador:
    fila: FilaIndicador
    svg: str


@dataclass
class Tablero:
    plan: Plan
    anio: int | None
    barras: list[BarraEntidad]
    graficos: list[GraficoIndicador]
    seguimiento: Seguimiento
    sin_datos: int = 0  # indicators with neither targets nor values in the year: no chart


def tablero(*, plan: Plan, anio: int | None, entidad_id: int | None = None) -> Tablero:
    """The dashboard: per entity, progress bars (indicators on track, physical and financial
    progress) and, per indicator, target vs actual per period as SVG. Built from the tracking
    report's data (same queries)."""
    data = seguimiento(plan=plan, anio=anio, entidad_id=entidad_id)
    etiquetas = [p.nombre_corto for p in data.periodos]
    barras, graficos, sin_datos = [], [], 0
    for b in data.entidades:
        if not (b.indicadores or b.actividades or b.presupuesto):
            continue
        en_meta = sum(1 for f in b.indicadores if f.semaforo == "en_meta")
        con_datos = sum(1 for f in b.indicadores if f.total is not None)
        t = b.total_presupuesto
        fisicos = [a.avance_fisico for a in b.actividades if a.avance_fisico is not None]
        barras.append(BarraEntidad(b.entidad, en_meta, con_datos, len(b.indicadores),
                                   sum(fisicos, Decimal("0")) / len(fisicos) if fisicos else None,
                                   t.avance_financiero if t else None))
        for f in b.indicadores:
            if not f.tiene_datos:
                sin_datos += 1
                continue
            acumulativo = f.indicador.agregacion != Agregacion.NO_ACUMULATIVO
            metas = [c.meta_acumulada if acumulativo else c.meta for c in f.celdas]
            reales = [c.acumulado if acumulativo else c.valor for c in f.celdas]
            titulo = f"{b.entidad.nombre_corto} {f.indicador.orden}. {f.indicador.nombre}"
            graficos.append(GraficoIndicador(f, charts.meta_vs_real(titulo, etiquetas, metas, reales)))
    return Tablero(plan, anio, barras, graficos, data, sin_datos)


def tablero_xlsx(data: Tablero, workbook) -> None:
    sheet = workbook.sheet("Tablero", [
        Column("Entidad", 24), Column("Indicadores", 10, "integer"), Column("En meta", 10, "integer"),
        Column("% en meta", 10, "number"), Column("% avance físico", 12, "number"), Column("% avance financiero", 12, "number"),
    ])
    for b in data.barras:
        sheet.row([b.entidad.nombre_corto, b.total_indicadores, b.en_meta, percent_number(b.fraccion_en_meta), percent_number(b.avance_fisico),
                   percent_number(b.avance_financiero)])
    seguimiento_xlsx(data.seguimiento, workbook)


# --- the period's evaluation report -----------------------------------------------------------------

@dataclass
class FilaEvaluacion:
    """One indicator in the period's evaluation: its figures for the period (the tracking
    report's cell: target, value, cumulative, % achieved, light) and what its entity wrote."""

    indicador: Indicador
    meta_anual: Decimal | None
    celda: CeldaPeriodo
    enviado: bool = False  # its value for the period was sent (at least once)
    estado: str | None = None  # the value's review state, also when returned
    dificultades: str = ""
    medidas_correctivas: str = ""
    exigido: str = ""  # why its value was due in the period ("": optional), `registros.exigidos`
    condicion: str = ""  # «No aplica» / «Sin información» (CondicionValor) instead of a number
    justificacion: str = ""  # and why

    @property
    def sin_valor(self) -> str:
        """«No aplica» or «Sin información» when the entity filed no number and said why; ""."""
        return CondicionValor(self.condicion).label if self.condicion and self.condicion != CondicionValor.VALOR else ""

    @property
    def sentido(self) -> str:
        return sentido_nombre(self.indicador.sentido)

    @property
    def estado_label(self) -> str:
        return ESTADO_LABEL.get(self.estado, "") if self.estado else "Sin reporte"

    @property
    def fuera_de_meta(self) -> bool:
        return self.celda.semaforo == "debajo"

    @property
    def sin_explicar(self) -> bool:
        """Off track, and the entity wrote neither difficulties nor measures."""
        return self.fuera_de_meta and not (self.dificultades or self.medidas_correctivas)


@dataclass
class ResumenEntidad:
    """An entity's figures for the period, which every reader of the plan sees: how many of
    its due indicators it filed, when, and how many are on track."""

    entidad: object
    esperados: int
    enviados: int
    puntualidad: Puntualidad
    en_meta: int = 0
    debajo: int = 0
    encima: int = 0

    @property
    def sin_semaforo(self) -> int:
        """Without a light: no value reported, or no target for the period."""
        return self.esperados - self.en_meta - self.debajo - self.encima

    @property
    def completitud(self) -> Decimal | None:
        return Decimal(self.enviados) / self.esperados if self.esperados else None


@dataclass
class EntidadEvaluacion:
    entidad: object
    resumen: ResumenEntidad
    filas: list[FilaEvaluacion]
    logros: object | None  # LogrosPeriodo, when sent

    @property
    def fuera_de_meta(self) -> list[FilaEvaluacion]:
        return [f for f in self.filas if f.fuera_de_meta]

    @property
    def sin_valor(self) -> list[FilaEvaluacion]:
        return [f for f in self.filas if f.sin_valor]

    @property
    def sin_explicar(self) -> int:
        return sum(1 for f in self.filas if f.sin_explicar)


@dataclass
class Evaluacion:
    plan: Plan
    periodo: PeriodoReporte
    resumen: list[ResumenEntidad]  # every entity with indicators: plan-wide figures
    entidades: list[EntidadEvaluacion]  # the parts the reader may read (all, or its own entity's)
    total: ResumenEntidad | None
    solo_propia: bool = False  # a reader who sees its own entity's part only

    semaforo_explicacion = SEMAFORO_EXPLICACION


def evaluacion(*, plan: Plan, periodo: PeriodoReporte, entidad_id: int | None = None, solo_entidad_id: int | None = None,
               hoy=None) -> Evaluacion:
    """The period's evaluation report (12 queries, whatever the number of indicators, entities
    and periods): the year's periods up to this one; indicators with their entity and yearly
    target (2); targets per period; the values reported up to the period and those sent for it
    (with difficulties and measures); the entities' summaries of achievements sent for it; the
    plan's entities; what was due in the period (`registros.exigidos`, 5): completeness counts
    the values due that were sent.

    Per entity: each indicator's target, value, % achieved and light for the period and
    cumulatively (the tracking report's rules: `acumular`, `CeldaPeriodo`), the difficulties
    and corrective measures of those off track, its summary of achievements, completeness
    (how many of its indicators' values for the period were sent) and timeliness
    (`puntualidad`). Figures count values sent or approved, as the tracking report does; a
    returned value counts as filed but has no figure until it is sent again.

    `entidad_id` narrows the entities' parts to one; `solo_entidad_id` is a reader who may
    read its own entity's part only (its difficulties, measures and summary); the plan-wide
    figures (`resumen`) are every entity's either way, as the tracking report shows them."""
    hoy = hoy or timezone.localdate()
    periodos = list(PeriodoReporte.objects.filter(plan=plan, anio=periodo.anio, frecuencia=periodo.frecuencia,
                                                  inicio__lte=periodo.inicio).order_by("inicio"))
    pos = {p.pk: i for i, p in enumerate(periodos)}
    n, actual = len(periodos), pos[periodo.pk]
    for p in periodos:
        p.plan = plan

    indicadores = list(
        Indicador.objects.filter(plan=plan).select_related("entidad__nivel")
        .prefetch_related(Prefetch("metas", queryset=MetaIndicador.objects.filter(anio=periodo.anio), to_attr="metas_del_anio"))
        .order_by("entidad__nivel__orden", "entidad__nombre", "orden")
    )
    metas = defaultdict(lambda: [None] * n)
    for ind_id, per_id, valor in MetaPeriodo.objects.filter(periodo__in=periodos).values_list("indicador_id", "periodo_id", "valor"):
        metas[ind_id][pos[per_id]] = valor
    valores = defaultdict(lambda: [None] * n)
    enviados: dict[int, dict] = {}
    filas_valor = (ValorIndicador.objects.filter(periodo__in=periodos)
                   .filter(Q(estado__in=REPORTADOS) | Q(periodo=periodo, enviado_en__isnull=False))
                   .values("indicador_id", "periodo_id", "valor", "estado", "enviado_en", "dificultades", "medidas_correctivas",
                           "condicion", "justificacion"))
    for r in filas_valor:
        i = pos[r["periodo_id"]]
        if r["estado"] in REPORTADOS:
            valores[r["indicador_id"]][i] = r["valor"]
        if i == actual and r["enviado_en"] is not None:
            enviados[r["indicador_id"]] = r
    logros = {lg.entidad_id: lg for lg in LogrosPeriodo.objects.filter(periodo=periodo, enviado_en__isnull=False)}
    debidos = registros.exigidos(periodos=[periodo])
    participantes = [pe.entidad for pe in PlanEntidad.objects.filter(plan=plan).select_related("entidad").order_by("orden")]

    por_entidad: dict[int, list[FilaEvaluacion]] = defaultdict(list)
    entidades = {}
    for ind in indicadores:
        m, v = metas[ind.pk], valores[ind.pk]
        acumulados, metas_acum, _ = acumular(ind.agregacion, m, v)
        r = enviados.get(ind.pk)
        celda = CeldaPeriodo(periodo, m[actual], v[actual], r["estado"] if r and r["estado"] in REPORTADOS else None,
                             acumulados[actual], metas_acum[actual], ind.sentido)
        fila = FilaEvaluacion(ind, ind.metas_del_anio[0].valor if ind.metas_del_anio else None, celda, enviado=r is not None,
                              estado=r["estado"] if r else None, dificultades=r["dificultades"] if r else "",
                              medidas_correctivas=r["medidas_correctivas"] if r else "",
                              condicion=r["condicion"] if r else "", justificacion=r["justificacion"] if r else "")
        por_entidad[ind.entidad_id].append(fila)
        entidades[ind.entidad_id] = ind.entidad

    orden = {e.pk: i for i, e in enumerate(participantes)}
    resumen, partes = [], []
    for entidad_pk in sorted(por_entidad, key=lambda pk: (orden.get(pk, 999), entidades[pk].nombre)):
        filas = por_entidad[entidad_pk]
        debido = debidos.get((periodo.pk, entidad_pk))
        due = debido.valor if debido else {}
        for f in filas:
            f.exigido = due.get(f.indicador.pk, "")
        # Completeness counts what was due (`registros.exigidos`); optional values are shown too.
        envios = [enviados[f.indicador.pk]["enviado_en"] for f in filas if f.enviado and f.exigido]
        res = ResumenEntidad(entidades[entidad_pk], len(due), len(envios),
                             puntualidad(esperados=len(due), enviados=len(envios), ultimo_envio=max(envios, default=None),
                                         periodo=periodo, hoy=hoy))
        for f in filas:
            luz = f.celda.semaforo
            res.en_meta += luz == "en_meta"
            res.debajo += luz == "debajo"
            res.encima += luz == "encima"
        resumen.append(res)
        legible = solo_entidad_id is None or entidad_pk == solo_entidad_id
        if legible and (entidad_id is None or entidad_pk == entidad_id):
            partes.append(EntidadEvaluacion(entidades[entidad_pk], res, filas, logros.get(entidad_pk)))
    total = None
    if resumen:
        total = ResumenEntidad("Total del plan", sum(r.esperados for r in resumen), sum(r.enviados for r in resumen),
                               Puntualidad("", ""), sum(r.en_meta for r in resumen), sum(r.debajo for r in resumen),
                               sum(r.encima for r in resumen))
    return Evaluacion(plan, periodo, resumen, partes, total, solo_propia=solo_entidad_id is not None)


def evaluacion_xlsx(data: Evaluacion, workbook) -> None:
    """Sheets: the plan-wide summary per entity, the indicators of the parts shown, the summaries of achievements."""
    res = workbook.sheet("Resumen", [
        Column("Entidad", 24), Column("Indicadores", 11, "integer"), Column("Reportados", 11, "integer"),
        Column("% reportado", 10, "number"), Column("En meta", 9, "integer"), Column("Por debajo", 9, "integer"),
        Column("Por encima", 9, "integer"), Column("Sin semáforo", 10, "integer"), Column("Plazo", 12, "date"),
        Column("Envío completo el", 12, "date"), Column("Puntualidad", 40), Column("Días de retraso", 9, "integer"),
    ])
    plazo = data.periodo.entrega_hasta
    for r in data.resumen:
        p = r.puntualidad
        res.row([r.entidad.nombre_corto, r.esperados, r.enviados, percent_number(r.completitud), r.en_meta, r.debajo, r.encima,
                 r.sin_semaforo, plazo, p.fecha, p.con_dias, p.dias_retraso])
    if data.total:
        t = data.total
        res.row([t.entidad, t.esperados, t.enviados, percent_number(t.completitud), t.en_meta, t.debajo, t.encima, t.sin_semaforo,
                 None, None, "", None], style="total")
    ind = workbook.sheet("Indicadores", [
        Column("Entidad", 16), Column("N°", 5, "integer"), Column("Indicador", 44), Column("Sentido", 12),
        Column("Meta del periodo", 11, "number"), Column("Valor", 11, "number"), Column("Estado", 14),
        Column("% logro", 9, "number"), Column("Semáforo", 11), Column("Acumulado", 11, "number"),
        Column("Meta acumulada", 11, "number"), Column("% logro acumulado", 10, "number"), Column("Meta anual", 11, "number"),
        Column("Dificultades", 40), Column("Medidas correctivas", 40), Column("Sin valor: por qué", 40),
    ])
    for b in data.entidades:
        for f in b.filas:
            c = f.celda
            ind.row([b.entidad.nombre_corto, f.indicador.orden, f.indicador.nombre, f.sentido, c.meta, c.valor, f.estado_label,
                     percent_number(c.logro), c.semaforo_label, c.acumulado, c.meta_acumulada, percent_number(c.logro_acumulado), f.meta_anual,
                     f.dificultades, f.medidas_correctivas, f"{f.sin_valor}: {f.justificacion}" if f.sin_valor else ""])
    log = workbook.sheet("Logros", [Column("Entidad", 24), Column("Logros del periodo", 100), Column("Enviado el", 12, "date")])
    for b in data.entidades:
        lg = b.logros
        log.row([b.entidad.nombre_corto, lg.texto if lg else "Sin resumen de logros enviado.",
                 timezone.localtime(lg.enviado_en).date() if lg else None])


__all__ = ["seguimiento", "seguimiento_xlsx", "tablero", "tablero_xlsx", "evaluacion", "evaluacion_xlsx", "puntualidad",
           "logro", "semaforo", "acumular", "percent", "UMBRAL", "SEMAFORO_LABEL"]
