"""The schedule's Gantt chart (section 18): one data source for the page, the PDF and the Excel
file (amc.reports.render_report).

Delay: an activity is delayed when its actual progress is behind the progress programmed for
the cut-off date ("hoy", today in Lima unless a planner picks another cut-off):

- programmed progress = the physical target programmed in the months up to and including the
  cut-off month, over the activity's physical target, as a percentage. The cut-off month counts
  whole: its programming is what must be done by its end, and the chart is there to warn early;
- actual progress = the physical progress (%) of the latest reporting period that had begun by
  the cut-off date, among the values its entity submitted or the ministry approved (as the
  tracking report counts them). Nothing reported counts as 0%;
- delay = programmed − actual, in percentage points (one decimal); delayed when it is > 0.
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from amc import formatting
from amc.excel import Column
from amc.vocabulario import nivel_nombre
from cronograma.models import CERO, Cuadre, Hito, Mes, Presupuesto, ProgramacionMensual, revisar
from cronograma.selectors import AvanceReal, avances_reales, presupuestos
from matrices.models import Actividad
from planes.models import Plan

CIEN = Decimal("100")
UNA_CIFRA = Decimal("0.1")
SIN_REPORTE = "sin_reporte"
SITUACIONES = [
    ("no_iniciada", "No iniciada"),
    ("en_proceso", "En proceso"),
    ("concluida", "Concluida"),
    ("retrasada", "Retrasada (según la entidad)"),
    (SIN_REPORTE, "Sin avance reportado"),
]
SITUACION_LABEL = dict(SITUACIONES)
COLUMNAS_ANTES_DE_MESES = 6  # activity, start-end, target, % programmed, % actual, delay


# --- the computation ---------------------------------------------------------------------------

def programado_a_la_fecha(meses: dict[Mes, Decimal], meta: Decimal | None, hoy: datetime.date) -> Decimal | None:
    """Percentage of the physical target programmed up to and including `hoy`'s month (0-100);
    None without a target."""
    if not meta:
        return None
    corte = Mes.de_fecha(hoy)
    acumulado = sum((v for m, v in meses.items() if m <= corte), CERO)
    return min(acumulado / meta * CIEN, CIEN)


def retraso(programado: Decimal | None, real: Decimal | None) -> Decimal | None:
    """Percentage points by which the actual progress (None: nothing reported, counts as 0) is
    behind the programmed progress, to one decimal; negative when ahead; None without a
    programme."""
    if programado is None:
        return None
    return (programado - (real if real is not None else CERO)).quantize(UNA_CIFRA, rounding=ROUND_HALF_UP)


# --- the data ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Columna:
    """A month across the chart."""

    mes: Mes
    es_hoy: bool

    @property
    def etiqueta(self) -> str:
        return self.mes.etiqueta

    @property
    def corto(self) -> str:
        return self.mes.corto


@dataclass
class Celda:
    """One activity in one month: inside its planned span or not, what is programmed, how much
    of the actual-progress bar falls in it (percent of the cell's width), its milestones."""

    mes: Mes | None = None
    en_plan: bool = False
    meta: Decimal | None = None
    monto: Decimal | None = None
    real: int = 0
    hitos: list[str] = field(default_factory=list)
    hoy: bool = False

    @property
    def vacia(self) -> bool:
        """Nothing to draw in it (most cells: the template writes them on a short path)."""
        return not (self.en_plan or self.meta or self.hitos)

    @property
    def clases(self) -> str:
        out = ["m"]
        if self.en_plan:
            out.append("p")
        if self.hoy:
            out.append("hoy")
        return " ".join(out)

    @property
    def meta_texto(self) -> str:
        return numero_corto(self.meta) if self.meta else ""

    @property
    def titulo(self) -> str:
        """What the page shows on hover: the month, what is programmed in it, its milestones."""
        partes = [self.mes.corto if self.mes else ""]
        if self.meta or self.monto:
            partes.append(f"meta física {numero_corto(self.meta or 0)}, {formatting.soles(self.monto or 0)}")
        partes += [f"hito: {h}" for h in self.hitos]
        return " · ".join(partes)


@dataclass
class Fila:
    """An activity of the chart."""

    actividad: Actividad
    cronograma: object  # cronograma.models.Cronograma or None
    presupuesto: Presupuesto
    cuadre: Cuadre | None
    programado: Decimal | None  # percent of the target programmed to date
    real: AvanceReal | None
    celdas: list[Celda]
    hitos: list[Hito]
    anios: set[int] = field(default_factory=set)  # years in which the chart draws something for it

    @property
    def orden(self) -> int:
        return self.actividad.orden

    @property
    def descripcion(self) -> str:
        return str(self.actividad)

    @property
    def entidad(self):
        return self.actividad.entidad

    @property
    def producto(self) -> str:
        p = self.actividad.producto
        return f"Producto {p.orden}: {p.enunciado}" if p else "Sin producto"

    @property
    def avance(self) -> Decimal | None:
        return self.real.avance_fisico if self.real else None

    @property
    def retraso(self) -> Decimal | None:
        return retraso(self.programado, self.avance)

    @property
    def retrasada(self) -> bool:
        r = self.retraso
        return r is not None and r > 0

    @property
    def situacion(self) -> str:
        return self.real.situacion if self.real else SIN_REPORTE

    @property
    def situacion_label(self) -> str:
        return self.real.situacion_label if self.real else SITUACION_LABEL[SIN_REPORTE]

    @property
    def inicio_fin(self) -> str:
        c = self.cronograma
        return f"{c.inicio.corto} – {c.fin.corto}" if c else "Sin cronograma"

    @property
    def meta_texto(self) -> str:
        c = self.cronograma
        if not c:
            return ""
        return f"{numero_corto(c.meta_fisica)} {c.unidad_medida}".strip()

    @property
    def avisos(self) -> list[str]:
        """What does not add up. Errors too: a budget line lowered after the months were
        programmed leaves them above the budget, and the chart must say so."""
        return [*self.cuadre.mensajes_error, *self.cuadre.avisos] if self.cuadre else []

    @property
    def demostracion(self) -> bool:
        return bool(self.cronograma and self.cronograma.demostracion)

    @property
    def programado_texto(self) -> str:
        return "" if self.programado is None else f"{_redondo(self.programado)}%"

    @property
    def avance_texto(self) -> str:
        return "Sin reporte" if self.real is None else f"{_redondo(self.avance)}%"

    @property
    def retraso_texto(self) -> str:
        r = self.retraso
        if r is None:
            return ""
        if r > 0:
            return f"Retrasada {r} pts"
        return "Al día" if r == 0 else f"Adelantada {-r} pts"


@dataclass
class Grupo:
    """The activities of one entity under one product (the chart's grouping rows)."""

    nivel: str
    entidad: str
    producto: str
    filas: list[Fila]
    primero_de_entidad: bool = True

    @property
    def titulo_entidad(self) -> str:
        return f"{nivel_nombre(self.nivel)} · {self.entidad}"


@dataclass(frozen=True)
class Tramo:
    """The months one table of the chart shows: all of them on the page, a year per table in
    the PDF (so a page holds 12 months at a readable width and the names repeat)."""

    anio: int | None
    columnas: list[Columna]
    corte: str  # slice of a row's cells, "0:12"
    grupos: list[Grupo]  # the activities this table shows

    @property
    def anios(self) -> list[tuple[int, int]]:
        """(year, number of its months) for the header's year row."""
        out: list[list[int]] = []
        for c in self.columnas:
            if out and out[-1][0] == c.mes.anio:
                out[-1][1] += 1
            else:
                out.append([c.mes.anio, 1])
        return [tuple(x) for x in out]

    @property
    def colspan(self) -> int:
        return COLUMNAS_ANTES_DE_MESES + len(self.columnas)


@dataclass
class CronogramaPlan:
    plan: Plan
    hoy: datetime.date
    columnas: list[Columna]
    grupos: list[Grupo]

    @property
    def filas(self) -> list[Fila]:
        return [f for g in self.grupos for f in g.filas]

    @property
    def anios(self) -> list[int]:
        return sorted({c.mes.anio for c in self.columnas})

    @property
    def retrasadas(self) -> int:
        return sum(1 for f in self.filas if f.retrasada)

    @property
    def con_cronograma(self) -> int:
        return sum(1 for f in self.filas if f.cronograma)

    @property
    def de_demostracion(self) -> int:
        return sum(1 for f in self.filas if f.demostracion)

    @property
    def con_avisos(self) -> int:
        return sum(1 for f in self.filas if f.avisos)

    @property
    def hitos(self) -> list[tuple[Fila, Hito]]:
        return [(f, h) for f in self.filas for h in f.hitos]

    @property
    def hoy_en_plan(self) -> bool:
        return any(c.es_hoy for c in self.columnas)

    @property
    def hoy_posicion(self) -> int:
        """Where today falls in its month's column, in percent of the width (the today line)."""
        m = Mes.de_fecha(self.hoy)
        return round((self.hoy.day - 0.5) / m.dias * 100)

    @property
    def hoy_clase(self) -> str:
        """The class that draws the today line in its month's cells, `hoy-N` for N% into the
        month (static/css/cronograma.css: a hard-stop gradient, 4% wide, up to 96%)."""
        return f"hoy-{min(max(self.hoy_posicion, 0), 96)}"

    @property
    def hoy_texto(self) -> str:
        return f"{self.hoy:%d/%m/%Y}"

    def tramos(self, por_anio: bool) -> list[Tramo]:
        """The tables of the chart. By year (the PDF of a plan of several years), a year's table
        holds the activities that have something in it (their span, a month programmed, a
        milestone); those without a schedule are listed in the first year's."""
        if not por_anio or len(self.anios) <= 1:
            return [Tramo(None, self.columnas, f"0:{len(self.columnas)}", self.grupos)]
        out, i = [], 0
        for anio in self.anios:
            cols = [c for c in self.columnas if c.mes.anio == anio]
            primero = anio == self.anios[0]
            grupos, vistas = [], set()
            for g in self.grupos:
                filas = [f for f in g.filas if anio in f.anios or (primero and not f.anios)]
                if filas:
                    grupos.append(Grupo(g.nivel, g.entidad, g.producto, filas, primero_de_entidad=g.entidad not in vistas))
                    vistas.add(g.entidad)
            out.append(Tramo(anio, cols, f"{i}:{i + len(cols)}", grupos))
            i += len(cols)
        return out


def numero_corto(value) -> str:
    """8.00 -> '8', 8.50 -> '8.5', 1234.5 -> '1,234.5'."""
    if value is None:
        return ""
    text = f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"
    return text.rstrip("0").rstrip(".")


def hoy_lima() -> datetime.date:
    return timezone.localdate()


def entidades_con_actividades(plan: Plan) -> set[int]:
    """The ids of the entities that own activities in the plan (1 query)."""
    return set(Actividad.objects.filter(plan=plan).order_by().values_list("entidad_id", flat=True).distinct())


def cronograma(*, plan: Plan, hoy: datetime.date | None = None, nivel: str = "", entidad: str = "", situacion: str = "",
               solo_retrasadas: bool = False) -> CronogramaPlan:
    """The Gantt chart of `plan` as of `hoy` (default: today in Lima), filtered by level and
    entity code (in the database), by follow-up status and to the delayed activities (on the
    computed rows), so the three formats show the same rows.

    Loads 5 queries, whatever the number of activities and months: the plan's activities with
    entity, level, product and schedule (1); their monthly programming (1); their milestones
    (1); the budget of each (lines with `with_totals()`, 1); the latest reported progress of
    each up to `hoy` (1)."""
    hoy = hoy or hoy_lima()
    actividades_qs = (Actividad.objects.filter(plan=plan)
                      .select_related("entidad__nivel", "producto", "cronograma")
                      .order_by("entidad__nivel__orden", "entidad__nombre", "producto__orden", "orden"))
    filtro = {}
    if nivel:
        filtro["entidad__nivel__codigo"] = nivel
    if entidad:
        filtro["entidad__codigo"] = entidad
    actividades = list(actividades_qs.filter(**filtro))

    prefijo = {f"actividad__{k}": v for k, v in filtro.items()}
    programacion: dict[int, list[ProgramacionMensual]] = defaultdict(list)
    for p in ProgramacionMensual.objects.filter(actividad__plan=plan, **prefijo).order_by("anio", "mes"):
        programacion[p.actividad_id].append(p)
    hitos: dict[int, list[Hito]] = defaultdict(list)
    for h in Hito.objects.filter(actividad__plan=plan, **prefijo).order_by("anio", "mes", "fecha", "nombre"):
        hitos[h.actividad_id].append(h)
    budget = presupuestos(plan=plan)
    reales = avances_reales(plan=plan, hoy=hoy)

    meses_plan = Mes(plan.anio_inicio, 1).hasta(Mes(plan.anio_fin, 12))
    hoy_mes = Mes.de_fecha(hoy)
    columnas = [Columna(m, m == hoy_mes) for m in meses_plan]
    posicion = {m: i for i, m in enumerate(meses_plan)}

    grupos: list[Grupo] = []
    por_clave: dict[tuple, Grupo] = {}
    entidades_vistas: set[int] = set()
    for act in actividades:
        try:
            crono = act.cronograma
        except Actividad.cronograma.RelatedObjectDoesNotExist:
            crono = None
        if crono is not None:
            crono.actividad = act
        meses = programacion.get(act.pk, [])
        presupuesto = budget.get(act.pk, Presupuesto())
        real = reales.get(act.pk)
        celdas = [Celda(mes=c.mes, hoy=c.es_hoy) for c in columnas]
        programado = cuadre = None
        if crono is not None:
            metas = {p.periodo: p.meta_fisica for p in meses}
            programado = programado_a_la_fecha(metas, crono.meta_fisica, hoy)
            cuadre = revisar(plan=plan, inicio=crono.inicio, fin=crono.fin, meta=crono.meta_fisica,
                             meses=[(p.periodo, p.meta_fisica, p.monto) for p in meses], presupuesto=presupuesto)
            span = [m for m in crono.meses if m in posicion]
            for m in span:
                celdas[posicion[m]].en_plan = True
            # The actual-progress bar covers the same share of the planned span as the progress
            # reported: 50% of a six-month activity fills its first three months.
            cubierto = (real.avance_fisico if real else CERO) / CIEN * len(span)
            for k, m in enumerate(span):
                parte = min(max(cubierto - k, CERO), Decimal(1))
                celdas[posicion[m]].real = int((parte * CIEN).to_integral_value(rounding=ROUND_HALF_UP))
        for p in meses:
            if p.periodo in posicion:
                celda = celdas[posicion[p.periodo]]
                celda.meta, celda.monto = p.meta_fisica, p.monto
        for h in hitos.get(act.pk, []):
            if h.periodo in posicion:
                celdas[posicion[h.periodo]].hitos.append(h.nombre)
        anios = {c.mes.anio for c, celda in zip(columnas, celdas) if celda.en_plan or celda.meta or celda.hitos}
        fila = Fila(act, crono, presupuesto, cuadre, programado, real, celdas, hitos.get(act.pk, []), anios)
        if situacion and fila.situacion != situacion:
            continue
        if solo_retrasadas and not fila.retrasada:
            continue
        clave = (act.entidad_id, act.producto_id)
        grupo = por_clave.get(clave)
        if grupo is None:
            grupo = Grupo(act.entidad.nivel.codigo, act.entidad.nombre_corto, fila.producto, [],
                          primero_de_entidad=act.entidad_id not in entidades_vistas)
            entidades_vistas.add(act.entidad_id)
            por_clave[clave] = grupo
            grupos.append(grupo)
        grupo.filas.append(fila)
    return CronogramaPlan(plan, hoy, columnas, grupos)


# --- Excel ---------------------------------------------------------------------------------------

COLUMNAS_XLSX = [
    Column("N°", 5, "integer"), Column("Actividad", 48), Column("Inicio", 9), Column("Fin", 9),
    Column("Meta física", 10, "number"), Column("Unidad", 12), Column("% programado a la fecha", 11, "number"),
    Column("% avance real", 10, "number"), Column("Retraso (puntos)", 10, "number"), Column("Situación", 14),
    Column("Avisos", 30),
]
COLUMNAS_FRIAS = 2  # N° and the activity's name stay on screen (frozen) while scrolling the months


def cronograma_xlsx(data: CronogramaPlan, workbook) -> None:
    """Sheet «Cronograma»: one row per activity and one column per month, the months of its
    span filled as a hand-drawn Gantt with the physical target programmed in each; a second
    sheet with the amounts programmed per month; a third with the milestones."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    fill_plan = PatternFill("solid", fgColor="9CC3E6")
    fill_hoy = PatternFill("solid", fgColor="F8D7DA")
    rojo = Font(name="Calibri", size=10, bold=True, color="B71C1C")
    meses = [Column(f"{c.etiqueta}\n{c.mes.anio}", 6.5, "number") for c in data.columnas]

    def hoja(titulo: str, valor):
        sheet = workbook.sheet(titulo, COLUMNAS_XLSX + meses)
        ws = sheet.ws
        primera_mes = len(COLUMNAS_XLSX) + 1
        for j, c in enumerate(data.columnas):
            if c.es_hoy:
                ws.cell(row=sheet.header_row, column=primera_mes + j).fill = fill_hoy
        for grupo in data.grupos:
            if grupo.primero_de_entidad:
                sheet.section(grupo.titulo_entidad)
            sheet.section(grupo.producto)
            for f in grupo.filas:
                c = f.cronograma
                r = sheet.row([
                    f.orden, f.descripcion + (" [demostración]" if f.demostracion else ""),
                    c.inicio.corto if c else "Sin cronograma", c.fin.corto if c else "",
                    c.meta_fisica if c else None, c.unidad_medida if c else "",
                    _redondo(f.programado), _redondo(f.avance), f.retraso, f.situacion_label, " ".join(f.avisos),
                    *[valor(celda) for celda in f.celdas],
                ])
                if f.retrasada:
                    ws.cell(row=r, column=9).font = rojo
                for j, celda in enumerate(f.celdas):
                    if celda.en_plan:
                        ws.cell(row=r, column=primera_mes + j).fill = fill_plan
        ws.freeze_panes = f"{get_column_letter(COLUMNAS_FRIAS + 1)}{sheet.first_data_row}"
        return sheet

    hoja("Cronograma", lambda celda: celda.meta if celda.meta else ("◆" if celda.hitos else None))
    hoja("Montos por mes", lambda celda: celda.monto if celda.monto else None)

    sheet = workbook.sheet("Hitos", [Column("Entidad", 14), Column("N°", 5, "integer"), Column("Actividad", 50),
                                     Column("Hito", 40), Column("Mes", 12), Column("Fecha", 12, "date")])
    for f, h in data.hitos:
        sheet.row([f.entidad.nombre_corto, f.orden, f.descripcion, h.nombre, h.periodo.corto, h.fecha])


def _redondo(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(UNA_CIFRA, rounding=ROUND_HALF_UP)
