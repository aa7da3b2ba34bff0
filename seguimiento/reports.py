"""Report data of the follow-up: targets against actuals per indicator and period, activity
progress, budget execution and completeness (`seguimiento`), and the dashboard (`tablero`).
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

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q, Sum
from django.utils import timezone

from amc.excel import Column
from amc.formatting import percent
from matrices.models import Actividad, Agregacion, Indicador, MetaIndicador, Sentido
from planes.models import Plan, PlanEntidad
from presupuesto.models import LineaPresupuesto
from seguimiento import charts
from seguimiento.desempeno import SEMAFORO_EXPLICACION, SEMAFORO_LABEL, UMBRAL, logro, semaforo, sentido_nombre
from seguimiento.models import (
    AvanceActividad, EjecucionPresupuestal, EstadoRevision, MetaPeriodo, PeriodoReporte, ValorIndicador,
)

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


def seguimiento(*, plan: Plan, anio: int | None, hoy=None) -> Seguimiento:
    """The tracking report of a plan for a year (12 queries, whatever the number of
    indicators, entities and periods): periods; indicators with their entity and yearly
    target; period targets; reported values; activities; reported progress; budget lines
    with their planned totals; execution summed per line; entities; completeness counts."""
    hoy = hoy or timezone.localdate()
    periodos = list(PeriodoReporte.objects.of_plan(plan, anio)) if anio else []
    for p in periodos:
        p.plan = plan
    pos = {p.pk: i for i, p in enumerate(periodos)}
    n = len(periodos)

    indicadores = list(
        Indicador.objects.filter(plan=plan).select_related("entidad__nivel")
        .prefetch_related(Prefetch("metas", queryset=MetaIndicador.objects.filter(anio=anio), to_attr="metas_del_anio"))
        .order_by("entidad__nivel__orden", "entidad__nombre", "orden")
    )
    metas = defaultdict(lambda: [None] * n)
    for ind_id, per_id, valor in MetaPeriodo.objects.filter(periodo__in=periodos).values_list("indicador_id", "periodo_id", "valor"):
        metas[ind_id][pos[per_id]] = valor
    valores = defaultdict(lambda: [None] * n)
    estados = defaultdict(lambda: [None] * n)
    for ind_id, per_id, valor, estado in (ValorIndicador.objects.filter(periodo__in=periodos).reportados()
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

    actividades = list(Actividad.objects.filter(plan=plan).select_related("entidad__nivel")
                       .order_by("entidad__nivel__orden", "entidad__nombre", "orden"))
    avances = defaultdict(lambda: [None] * n)
    for a in AvanceActividad.objects.filter(periodo__in=periodos).reportados().only(
            "actividad_id", "periodo_id", "situacion", "avance_fisico", "estado"):
        avances[a.actividad_id][pos[a.periodo_id]] = a
    filas_act = {}
    for act in actividades:
        fila = FilaActividad(act, avances[act.pk])
        filas_act[act.pk] = fila
        bloque(act.entidad).actividades.append(fila)

    lineas = list(LineaPresupuesto.objects.filter(plan=plan).with_totals().select_related("entidad__nivel")
                  .order_by("entidad__nivel__orden", "entidad__nombre", "orden"))
    ejec = {r["linea"]: r for r in EjecucionPresupuestal.objects.filter(linea__plan=plan, anio=anio).order_by()
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
    total = _total("Total del plan", todas_lineas, [f for b in por_entidad.values() for f in b.actividades]) if todas_lineas else None

    participantes = [pe.entidad for pe in PlanEntidad.objects.filter(plan=plan).select_related("entidad").order_by("orden")]
    esperados = defaultdict(int)
    for b in por_entidad.values():
        esperados[b.entidad.pk] = len(b.indicadores) + len(b.actividades)
    con_reporte = [e for e in participantes if esperados.get(e.pk)]
    cumplimiento = _cumplimiento(periodos, con_reporte, esperados, hoy)
    orden = {e.pk: i for i, e in enumerate(participantes)}
    entidades = sorted(por_entidad.values(), key=lambda b: (orden.get(b.entidad.pk, 999), b.entidad.nombre))
    return Seguimiento(plan, anio, periodos, entidades, total, cumplimiento, con_reporte)


def _total(etiqueta, filas: list[FilaPresupuesto], actividades: list[FilaActividad]) -> TotalPresupuesto:
    cero = Decimal("0")
    fisicos = [a.avance_fisico for a in actividades if a.avance_fisico is not None]
    return TotalPresupuesto(
        etiqueta, sum((f.programado or cero for f in filas), cero), sum((f.pim for f in filas), cero),
        sum((f.certificado for f in filas), cero), sum((f.devengado for f in filas), cero),
        sum(fisicos, cero) / len(fisicos) if fisicos else None,
    )


def _cumplimiento(periodos, entidades, esperados, hoy) -> list:
    """Per period and entity: submitted on time, late, incomplete, approved or missing
    (2 grouped queries)."""
    cuenta = defaultdict(lambda: {"enviados": 0, "aprobados": 0, "ultimo": None})
    for model in (ValorIndicador, AvanceActividad):
        rows = (model.objects.filter(periodo__in=periodos).order_by().values("periodo", "entidad")
                .annotate(enviados=Count("pk", filter=Q(enviado_en__isnull=False)),
                          aprobados=Count("pk", filter=Q(estado=EstadoRevision.APROBADO)),
                          ultimo=Max("enviado_en")))
        for r in rows:
            c = cuenta[(r["periodo"], r["entidad"])]
            c["enviados"] += r["enviados"]
            c["aprobados"] += r["aprobados"]
            if r["ultimo"] and (c["ultimo"] is None or r["ultimo"] > c["ultimo"]):
                c["ultimo"] = r["ultimo"]
    filas = []
    for p in periodos:
        celdas = []
        for e in entidades:
            c = cuenta[(p.pk, e.pk)]
            celda = CeldaCumplimiento(esperados[e.pk], c["enviados"], c["aprobados"], c["ultimo"])
            ultimo = timezone.localtime(c["ultimo"]).date() if c["ultimo"] else None
            if celda.enviados >= celda.esperados:
                a_tiempo = ultimo is not None and ultimo <= p.entrega_hasta
                celda.situacion = "a_tiempo" if a_tiempo else "tarde"
                celda.etiqueta = ("Enviado a tiempo" if a_tiempo else "Enviado con retraso") + f" ({ultimo:%d/%m/%Y})"
                if celda.aprobados >= celda.esperados:
                    celda.etiqueta += " · aprobado"
            elif celda.enviados:
                celda.situacion = "incompleto"
                celda.etiqueta = f"Incompleto: {celda.enviados} de {celda.esperados} enviados"
            elif hoy > p.entrega_hasta:
                celda.situacion = "no_presentado"
                celda.etiqueta = "No presentado (plazo vencido)"
            else:
                celda.situacion = "pendiente"
                celda.etiqueta = "Pendiente" if hoy >= p.entrega_desde else "Aún no corresponde"
            celdas.append(celda)
        filas.append((p, celdas))
    return filas


def _pct(fraccion) -> Decimal | None:
    """A fraction as a percentage number for Excel (85.7), rounded to one decimal."""
    return None if fraccion is None else (Decimal(fraccion) * 100).quantize(Decimal("0.1"))


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
                     f.indicador.linea_base_valor, f.meta_anual, f.meta_a_la_fecha, f.total, _pct(f.logro),
                     _pct(f.logro_anual), f.semaforo_label, f.sentido])
    detalle = workbook.sheet("Indicadores por periodo", [
        Column("Entidad", 16), Column("N°", 5, "integer"), Column("Indicador", 44), Column("Periodo", 14),
        Column("Meta del periodo", 12, "number"), Column("Valor", 12, "number"), Column("Estado", 14),
        Column("Acumulado", 12, "number"), Column("Meta acumulada", 12, "number"), Column("% logro del periodo", 11, "number"),
        Column("% logro acumulado", 11, "number"), Column("Semáforo", 12), Column("Sentido", 13),
    ])
    for f in data.indicadores:
        for c in f.celdas:
            detalle.row([f.indicador.entidad.nombre_corto, f.indicador.orden, f.indicador.nombre, c.periodo.nombre, c.meta,
                         c.valor, c.estado_label, c.acumulado, c.meta_acumulada, _pct(c.logro), _pct(c.logro_acumulado),
                         c.semaforo_label, f.sentido])
    act = workbook.sheet("Actividades", [
        Column("Entidad", 16), Column("N°", 5, "integer"), Column("Actividad", 50),
        *[Column(p.nombre_corto, 12) for p in data.periodos], Column("Avance físico %", 10, "number"),
    ])
    for f in data.actividades:
        act.row([f.actividad.entidad.nombre_corto, f.actividad.orden, str(f.actividad),
                 *[f"{a.get_situacion_display()} {a.avance_fisico.normalize():f}%" if a else "" for a in f.avances],
                 _pct(f.avance_fisico)])
    pres = workbook.sheet("Ejecución presupuestal", [
        Column("Entidad", 16), Column("N°", 5, "integer"), Column("Línea", 44), Column("Programado (S/)", 14, "money"),
        Column("PIM (S/)", 14, "money"), Column("Certificado (S/)", 14, "money"), Column("Devengado (S/)", 14, "money"),
        Column("% avance financiero", 11, "number"), Column("% avance físico", 11, "number"),
    ])
    for b in data.entidades:
        for f in b.presupuesto:
            pres.row([b.entidad.nombre_corto, f.linea.orden, f.linea.descripcion, f.programado, f.pim, f.certificado, f.devengado,
                      _pct(f.avance_financiero), _pct(f.avance_fisico)])
        if b.total_presupuesto:
            t = b.total_presupuesto
            pres.row([t.etiqueta, None, "", t.programado, t.pim, t.certificado, t.devengado, _pct(t.avance_financiero),
                      _pct(t.avance_fisico)], style="total")
    if data.total_presupuesto:
        t = data.total_presupuesto
        pres.row([t.etiqueta, None, "", t.programado, t.pim, t.certificado, t.devengado, _pct(t.avance_financiero),
                  _pct(t.avance_fisico)], style="total")
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


def tablero(*, plan: Plan, anio: int | None) -> Tablero:
    """The dashboard: per entity, progress bars (indicators on track, physical and financial
    progress) and, per indicator, target vs actual per period as SVG. Built from the tracking
    report's data (same queries)."""
    data = seguimiento(plan=plan, anio=anio)
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
        sheet.row([b.entidad.nombre_corto, b.total_indicadores, b.en_meta, _pct(b.fraccion_en_meta), _pct(b.avance_fisico),
                   _pct(b.avance_financiero)])
    seguimiento_xlsx(data.seguimiento, workbook)


__all__ = ["seguimiento", "seguimiento_xlsx", "tablero", "tablero_xlsx", "logro", "semaforo", "acumular", "percent",
           "UMBRAL", "SEMAFORO_LABEL"]
