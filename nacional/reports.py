"""The national view (regions x catalogue indicators for one reporting period) and the trends of
one catalogue indicator over the years (issue 12). One data function each; the page, the PDF
and the workbook are drawn from it by `amc.reports.render_report`.

How a region's figure for a catalogue entry is made: the entity's indicators linked to the
entry (`Indicador.catalogo`) in the plan, their values reported for the period (sent or
approved, as the tracking report counts them) and their targets for the period
(`MetaPeriodo`), put together by the entry's rule (`IndicadorCatalogo.agregacion`): summed for
a count, averaged otherwise. % achieved and the traffic light are `seguimiento.desempeno`'s, by
the entry's direction.

The national figure follows the entry's rule too:
- suma: the regions' values and targets added up (a total);
- promedio: the simple average of the regions that reported;
- ponderado: each region's value weighted by its value of the denominator entry for the same
  period (and each target by the denominator's target); a region without a weight is left out
  of the weighted figure, and the note says how many were.

Completeness and timeliness count the indicator values due in the period (what
`seguimiento.rules.valor_exigido` says is due, as the period's evaluation report counts them),
timed by `seguimiento.reports.puntualidad`. Budget: programmed (the lines' computed totals) and
executed (PIM and devengado summed over the year's months up to the period's last month, as
the tracking report sums them).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Sum
from django.utils import timezone

from amc.excel import Column
from amc.formatting import percent_number
from amc.vocabulario import Frecuencia, meses_del_periodo, periodo_nombre_corto
from matrices.models import AgregacionEntidades, Indicador, IndicadorCatalogo, MetaIndicador
from nacional import charts
from planes.models import Plan
from presupuesto.models import LineaPresupuesto
from seguimiento import rules
from seguimiento.desempeno import SEMAFORO_EXPLICACION, SEMAFORO_LABEL, Desempeno, desempeno, sentido_nombre
from seguimiento.models import EjecucionPresupuestal, MetaPeriodo, PeriodoReporte, ValorIndicador
from seguimiento.querysets import REPORTADOS
from seguimiento.reports import Puntualidad, acumular, puntualidad

CERO = Decimal("0")

#: The sort orders of the national view: value -> label (the filter's options).
ORDENES = {
    "entidad": "Región (A-Z)",
    "logro": "% de logro (mayor primero)",
    "logro_asc": "% de logro (menor primero)",
    "completitud": "Completitud del reporte",
    "ejecucion": "Ejecución presupuestal",
}
#: The traffic-light filter: value -> label.
SEMAFOROS = {"en_meta": SEMAFORO_LABEL["en_meta"], "debajo": SEMAFORO_LABEL["debajo"],
             "encima": SEMAFORO_LABEL["encima"], "sin_datos": SEMAFORO_LABEL[None]}


def _decimales(entrada: IndicadorCatalogo) -> int:
    """A count that adds up is shown without decimals («Nº de servidores capacitados»: 14)."""
    return 0 if entrada.es_conteo and entrada.se_suma else 2


def _combinar(entrada: IndicadorCatalogo, cifras: list) -> Decimal | None:
    """Several figures of one entity (or of several regions, unweighted) by the entry's rule."""
    cifras = [c for c in cifras if c is not None]
    if not cifras:
        return None
    total = sum(cifras, CERO)
    return total if entrada.se_suma else total / len(cifras)


# --- the national view -------------------------------------------------------------------------

@dataclass
class Celda:
    """One region's figure for one catalogue entry in the period."""

    entrada: IndicadorCatalogo
    valor: Decimal | None
    meta: Decimal | None
    indicadores: int  # how many of the entity's indicators are linked to the entry
    url: str = ""  # the drill-down: the period's evaluation in the region's plan, narrowed to its entity

    @cached_property
    def desempeno(self) -> Desempeno:
        return desempeno(self.valor, self.meta, self.entrada.sentido)

    @property
    def logro(self):
        return self.desempeno.logro

    @property
    def semaforo(self):
        return self.desempeno.semaforo

    @property
    def semaforo_svg(self):
        return self.desempeno.semaforo_svg

    @property
    def filtro_semaforo(self) -> str:
        return self.semaforo or "sin_datos"

    @property
    def decimales(self) -> int:
        return _decimales(self.entrada)


@dataclass
class FilaRegion:
    """A region (an entity of one plan) in the period: its cells, its filing, its budget."""

    plan: Plan
    entidad: object
    celdas: dict[int, Celda]  # catalogue entry pk -> cell
    esperados: int
    enviados: int
    puntualidad: Puntualidad
    programado: Decimal | None
    pim: Decimal
    devengado: Decimal
    url: str = ""
    columnas: list = field(default_factory=list)  # the cells in the order of the view's entries (None: not linked)

    @property
    def completitud(self) -> Decimal | None:
        return Decimal(self.enviados) / self.esperados if self.esperados else None

    @property
    def avance_financiero(self) -> Decimal | None:
        return self.devengado / self.pim if self.pim else None

    @property
    def demostracion(self) -> bool:
        return self.plan.demostracion

    def logro_de(self, entradas) -> Decimal | None:
        """The % achieved the row sorts by: of the one entry shown, else the mean of its cells'."""
        logros = [self.celdas[e.pk].logro for e in entradas if e.pk in self.celdas and self.celdas[e.pk].logro is not None]
        return sum(logros, CERO) / len(logros) if logros else None


@dataclass
class TotalNacional:
    entrada: IndicadorCatalogo
    valor: Decimal | None
    meta: Decimal | None
    regiones: int  # regions counted in the figure
    sin_peso: int = 0  # regions left out of a weighted figure (no denominator value)

    @cached_property
    def desempeno(self) -> Desempeno:
        return desempeno(self.valor, self.meta, self.entrada.sentido)

    @property
    def decimales(self) -> int:
        return _decimales(self.entrada)

    @property
    def etiqueta(self) -> str:
        return {AgregacionEntidades.SUMA: "Total nacional", AgregacionEntidades.PROMEDIO: "Promedio nacional",
                AgregacionEntidades.PONDERADO: "Promedio ponderado nacional"}[self.entrada.agregacion]


@dataclass
class VistaNacional:
    anio: int
    frecuencia: str
    numero: int
    entradas: list[IndicadorCatalogo]  # the columns (all entries, or the one filtered)
    filas: list[FilaRegion]
    totales: dict[int, TotalNacional]  # entry pk -> national figure (over the rows of the level, before the light filter)
    grafico_entrada: IndicadorCatalogo | None
    plan = None  # not one plan's report: the renderers print no plan title

    semaforo_explicacion = SEMAFORO_EXPLICACION

    @property
    def periodo_nombre(self) -> str:
        return periodo_nombre_corto(self.frecuencia, self.anio, self.numero)

    @property
    def hay_demostracion(self) -> bool:
        return any(f.demostracion for f in self.filas)

    @property
    def columnas(self) -> list[tuple[IndicadorCatalogo, TotalNacional]]:
        return [(e, self.totales[e.pk]) for e in self.entradas]

    @cached_property
    def grafico(self):
        """Regions compared on one entry: value and target per region (SVG)."""
        e = self.grafico_entrada
        if e is None:
            return ""
        filas = [f for f in self.filas if e.pk in f.celdas]
        return charts.barras_regiones(
            f"{e.nombre} · {self.periodo_nombre}", [f.entidad.nombre_corto + (" (demo)" if f.demostracion else "") for f in filas],
            [f.celdas[e.pk].meta for f in filas], [f.celdas[e.pk].valor for f in filas])

    @property
    def total_programado(self) -> Decimal:
        return sum((f.programado or CERO for f in self.filas), CERO)

    @property
    def total_devengado(self) -> Decimal:
        return sum((f.devengado for f in self.filas), CERO)

    @property
    def total_pim(self) -> Decimal:
        return sum((f.pim for f in self.filas), CERO)


def periodos_disponibles(*, user) -> list[tuple[int, str, int]]:
    """(year, frequency, number) of every reporting period of the plans `user` reads, newest
    first (1 query): the national view's period filter."""
    filas = (PeriodoReporte.objects.filter(plan__in=Plan.objects.visible_to(user)).order_by()
             .values_list("anio", "frecuencia", "numero").distinct())
    orden = {f: i for i, f in enumerate(Frecuencia.values)}
    return sorted(set(filas), key=lambda t: (-t[0], orden.get(t[1], 9), -t[2]))


def vista_nacional(*, user, anio: int, frecuencia: str, numero: int, nivel: str = "", catalogo: str = "",
                   semaforo: str = "", orden: str = "entidad", url_region=None, hoy=None) -> VistaNacional:
    """Regions x catalogue entries for one period of the plans `user` reads. 7 queries, whatever
    the number of plans, regions, indicators and values: the periods (with their plans), the
    catalogue, the plans' indicators (with entity and level), their targets for the period,
    the values filed for it, the budget programmed and the budget executed per plan and entity.

    nivel: only entities of that level of government ("" all). catalogo: one entry's code ("" all
    entries). semaforo: only the regions with a cell of that light (en_meta, debajo, encima,
    sin_datos). orden: a key of ORDENES. url_region(periodo, entidad): the drill-down link."""
    hoy = hoy or timezone.localdate()
    periodos = list(PeriodoReporte.objects.filter(plan__in=Plan.objects.visible_to(user), anio=anio,
                                                  frecuencia=frecuencia, numero=numero).select_related("plan"))
    por_plan = {p.plan_id: p for p in periodos}
    entradas_todas = list(IndicadorCatalogo.objects.select_related("denominador"))
    indicadores = list(Indicador.objects.filter(plan_id__in=por_plan).select_related("entidad__nivel"))
    if nivel:
        indicadores = [i for i in indicadores if i.entidad.nivel.codigo == nivel]
    metas = dict(((i, p), v) for i, p, v in MetaPeriodo.objects.filter(periodo__in=periodos)
                 .values_list("indicador_id", "periodo_id", "valor"))
    valores, envios = {}, {}
    for ind_id, valor, estado, enviado_en in (ValorIndicador.objects.filter(periodo__in=periodos).order_by()
                                              .values_list("indicador_id", "valor", "estado", "enviado_en")):
        if estado in REPORTADOS:
            valores[ind_id] = valor
        if enviado_en is not None:
            envios[ind_id] = enviado_en
    ultimo_mes = max(meses_del_periodo(frecuencia, numero))
    programado = {(r["plan"], r["entidad"]): r["suma"] for r in LineaPresupuesto.objects.filter(plan_id__in=por_plan)
                  .with_totals().order_by().values("plan", "entidad").annotate(suma=Sum("total_calculado"))}
    ejecutado = {(r["linea__plan"], r["linea__entidad"]): r for r in EjecucionPresupuestal.objects.filter(
        linea__plan_id__in=por_plan, anio=anio, mes__lte=ultimo_mes).order_by()
        .values("linea__plan", "linea__entidad").annotate(pim=Sum("pim"), devengado=Sum("devengado"))}

    por_region: dict[tuple[int, int], list[Indicador]] = defaultdict(list)
    for ind in indicadores:
        por_region[(ind.plan_id, ind.entidad_id)].append(ind)
    entradas_por_pk = {e.pk: e for e in entradas_todas}
    filas: list[FilaRegion] = []
    for (plan_id, entidad_id), inds in por_region.items():
        vinculados = [i for i in inds if i.catalogo_id]
        if not vinculados:
            continue
        periodo = por_plan[plan_id]
        entidad = inds[0].entidad
        url = url_region(periodo, entidad) if url_region else ""
        celdas = {}
        por_entrada = defaultdict(list)
        for i in vinculados:
            por_entrada[i.catalogo_id].append(i)
        for entrada_pk, grupo in por_entrada.items():
            entrada = entradas_por_pk[entrada_pk]
            celdas[entrada_pk] = Celda(entrada, _combinar(entrada, [valores.get(i.pk) for i in grupo]),
                                       _combinar(entrada, [metas.get((i.pk, periodo.pk)) for i in grupo]), len(grupo), url)
        # Filing: the entity's indicators due in the period (linked or not), as the evaluation counts them.
        due = [i for i in inds if rules.valor_exigido(i, periodo, metas.get((i.pk, periodo.pk)))]
        hechos = [envios[i.pk] for i in due if i.pk in envios]
        ejec = ejecutado.get((plan_id, entidad_id), {})
        filas.append(FilaRegion(
            periodo.plan, entidad, celdas, len(due), len(hechos),
            puntualidad(esperados=len(due), enviados=len(hechos), ultimo_envio=max(hechos, default=None), periodo=periodo, hoy=hoy),
            programado.get((plan_id, entidad_id)), ejec.get("pim") or CERO, ejec.get("devengado") or CERO, url))

    con_datos = {pk for f in filas for pk in f.celdas}
    entradas = [e for e in entradas_todas if e.pk in con_datos and (not catalogo or e.codigo == catalogo)]
    totales = {e.pk: total_nacional(e, filas) for e in entradas}
    if semaforo:
        filas = [f for f in filas if any(f.celdas[e.pk].filtro_semaforo == semaforo for e in entradas if e.pk in f.celdas)]
    filas = ordenar(filas, orden, entradas)
    for f in filas:
        f.columnas = [f.celdas.get(e.pk) for e in entradas]
    return VistaNacional(anio, frecuencia, numero, entradas, filas, totales, entradas[0] if entradas else None)


def total_nacional(entrada: IndicadorCatalogo, filas: list[FilaRegion]) -> TotalNacional:
    """The national figure of one entry over `filas`, by the entry's rule (see the module)."""
    celdas = [f.celdas[entrada.pk] for f in filas if entrada.pk in f.celdas]
    regiones = sum(1 for c in celdas if c.valor is not None)
    if entrada.agregacion != AgregacionEntidades.PONDERADO:
        return TotalNacional(entrada, _combinar(entrada, [c.valor for c in celdas]),
                             _combinar(entrada, [c.meta for c in celdas]), regiones)
    den = entrada.denominador_id
    pares_v = [(f.celdas[entrada.pk].valor, f.celdas[den].valor) for f in filas if entrada.pk in f.celdas and den in f.celdas]
    pares_m = [(f.celdas[entrada.pk].meta, f.celdas[den].meta) for f in filas if entrada.pk in f.celdas and den in f.celdas]
    con_peso = [(v, w) for v, w in pares_v if v is not None and w]
    return TotalNacional(entrada, _ponderar(con_peso), _ponderar([(m, w) for m, w in pares_m if m is not None and w]),
                         len(con_peso), sin_peso=regiones - len(con_peso))


def _ponderar(pares) -> Decimal | None:
    peso = sum((w for _, w in pares), CERO)
    return sum((v * w for v, w in pares), CERO) / peso if peso else None


def ordenar(filas: list[FilaRegion], orden: str, entradas) -> list[FilaRegion]:
    """Rows in the chosen order; rows without the figure go last, then by region name."""
    nombre = lambda f: (f.entidad.nombre, f.plan.codigo)  # noqa: E731
    clave = {
        "logro": lambda f: f.logro_de(entradas),
        "logro_asc": lambda f: f.logro_de(entradas),
        "completitud": lambda f: f.completitud,
        "ejecucion": lambda f: f.avance_financiero,
    }.get(orden)
    filas = sorted(filas, key=nombre)
    if clave is None:
        return filas
    con = [f for f in filas if clave(f) is not None]
    sin = [f for f in filas if clave(f) is None]
    return sorted(con, key=clave, reverse=orden != "logro_asc") + sin


def vista_nacional_xlsx(data: VistaNacional, workbook) -> None:
    """Sheets: the regions x entries (value, target, % achieved, light per entry), the national
    figures, filing and budget per region."""
    columnas = [Column("Región / entidad", 30), Column("Nivel", 7), Column("Plan", 22), Column("Demostración", 12)]
    for e in data.entradas:
        corto = e.nombre if len(e.nombre) <= 40 else e.nombre[:39] + "…"
        columnas += [Column(f"{corto}: valor", 12, "number"), Column(f"{corto}: meta", 12, "number"),
                     Column(f"{corto}: % logro", 10, "number"), Column(f"{corto}: semáforo", 12)]
    hoja = workbook.sheet("Vista nacional", columnas)
    for f in data.filas:
        fila = [f.entidad.nombre, f.entidad.nivel.codigo, f.plan.codigo, "Sí" if f.demostracion else ""]
        for e in data.entradas:
            c = f.celdas.get(e.pk)
            fila += [c.valor, c.meta, percent_number(c.logro), SEMAFORO_LABEL[c.semaforo]] if c else [None, None, None, "No lo tiene"]
        hoja.row(fila)
    fila = ["Nacional", "", "", ""]
    for e in data.entradas:
        t = data.totales[e.pk]
        fila += [t.valor, t.meta, percent_number(t.desempeno.logro), SEMAFORO_LABEL[t.desempeno.semaforo]]
    hoja.row(fila)
    hoja.note(data.semaforo_explicacion)

    nac = workbook.sheet("Cifra nacional", [
        Column("Código", 28), Column("Indicador del catálogo", 44), Column("Unidad", 14), Column("Sentido", 12),
        Column("Cómo se suman las regiones", 30), Column("Cifra", 26), Column("Valor", 12, "number"),
        Column("Meta", 12, "number"), Column("% logro", 10, "number"), Column("Semáforo", 12), Column("Regiones", 9, "integer"),
    ])
    for e in data.entradas:
        t = data.totales[e.pk]
        nac.row([e.codigo, e.nombre, e.get_unidad_display(), sentido_nombre(e.sentido), e.get_agregacion_display(), t.etiqueta,
                 t.valor, t.meta, percent_number(t.desempeno.logro), SEMAFORO_LABEL[t.desempeno.semaforo], t.regiones])

    rep = workbook.sheet("Reporte y presupuesto", [
        Column("Región / entidad", 30), Column("Plan", 22), Column("Valores debidos", 10, "integer"),
        Column("Enviados", 10, "integer"), Column("% reportado", 10, "number"), Column("Puntualidad", 40),
        Column("Programado (S/)", 14, "money"), Column("PIM (S/)", 14, "money"), Column("Devengado (S/)", 14, "money"),
        Column("Avance financiero %", 10, "number"),
    ])
    for f in data.filas:
        rep.row([f.entidad.nombre, f.plan.codigo, f.esperados, f.enviados, percent_number(f.completitud), f.puntualidad.etiqueta,
                 f.programado, f.pim, f.devengado, percent_number(f.avance_financiero)])
    rep.row(["Total", "", None, None, None, "", data.total_programado, data.total_pim, data.total_devengado,
             percent_number(data.total_devengado / data.total_pim if data.total_pim else None)])


# --- trends -----------------------------------------------------------------------------------------

@dataclass
class PuntoAnual:
    anio: int
    valor: Decimal | None
    meta: Decimal | None
    plan: Plan

    sentido: str = "ascendente"
    decimales: int = 2

    @cached_property
    def desempeno(self) -> Desempeno:
        return desempeno(self.valor, self.meta, self.sentido)


@dataclass
class SerieEntidad:
    entidad: object
    puntos: list[PuntoAnual] = field(default_factory=list)

    @property
    def demostracion(self) -> bool:
        return any(p.plan.demostracion for p in self.puntos)

    def punto(self, anio: int) -> PuntoAnual | None:
        return next((p for p in self.puntos if p.anio == anio), None)

    columnas: list = field(default_factory=list)  # the points in the order of the years shown (None: no data)


@dataclass
class Tendencias:
    entrada: IndicadorCatalogo
    anios: list[int]
    series: list[SerieEntidad]
    plan = None

    @property
    def hay_demostracion(self) -> bool:
        return any(s.demostracion for s in self.series)

    @cached_property
    def grafico(self):
        return charts.lineas(f"{self.entrada.nombre}: valor por año", self.anios,
                             [(s.entidad.nombre_corto + (" (demo)" if s.demostracion else ""),
                               [s.punto(a).valor if s.punto(a) else None for a in self.anios],
                               [s.punto(a).meta if s.punto(a) else None for a in self.anios]) for s in self.series])


def tendencias_entidades(*, user, entrada: IndicadorCatalogo) -> dict[str, tuple[int, str]]:
    """The entities whose indicators link to `entrada` in the plans `user` reads, by code: (pk,
    name), by name (1 query): the trends' entity filter, and all a forged code may name."""
    filas = (Indicador.objects.filter(plan__in=Plan.objects.visible_to(user), catalogo=entrada)
             .values_list("entidad_id", "entidad__codigo", "entidad__nombre"))
    return {c: (pk, n) for pk, c, n in sorted(set(filas), key=lambda t: t[2])}


def tendencias(*, user, entrada: IndicadorCatalogo, entidad_id: int | None = None, desde: int | None = None,
               hasta: int | None = None) -> Tendencias:
    """Per entity, the year's figure and the year's target of the indicators linked to `entrada`
    in every plan `user` reads, over the years (5 queries, whatever the number of plans, years
    and values): the indicators (with entity and plan), the periods, the period targets, the
    values reported (sent or approved), the yearly targets.

    A year's figure per indicator follows its own rule over the year's periods (the tracking
    report's `acumular`: summed, last value, or the average); the entity's indicators linked to
    the entry are then put together by the entry's rule. The year's target is the yearly
    target (`MetaIndicador`); without one, the period targets by the same rules.
    `desde`/`hasta` bound the years (by default the last five with data)."""
    inds = Indicador.objects.filter(plan__in=Plan.objects.visible_to(user), catalogo=entrada)
    if entidad_id:
        inds = inds.filter(entidad_id=entidad_id)
    inds = list(inds.select_related("entidad__nivel", "plan"))
    ids = [i.pk for i in inds]
    periodos = defaultdict(list)  # plan -> its periods in order
    for p in PeriodoReporte.objects.filter(plan_id__in={i.plan_id for i in inds}).order_by("anio", "inicio"):
        periodos[p.plan_id].append(p)
    metas_p = {(i, p): v for i, p, v in MetaPeriodo.objects.filter(indicador_id__in=ids).values_list("indicador_id", "periodo_id", "valor")}
    valores = {(i, p): v for i, p, v in ValorIndicador.objects.filter(indicador_id__in=ids, estado__in=REPORTADOS)
               .values_list("indicador_id", "periodo_id", "valor")}
    metas_a = {(i, a): v for i, a, v in MetaIndicador.objects.filter(indicador_id__in=ids).values_list("indicador_id", "anio", "valor")}

    # (entity, year) -> [(figure, target, plan)] of each linked indicator
    cifras: dict[tuple[int, int], list] = defaultdict(list)
    entidades = {}
    for ind in inds:
        entidades[ind.entidad_id] = ind.entidad
        por_anio = defaultdict(list)
        for p in periodos[ind.plan_id]:
            por_anio[p.anio].append(p)
        for anio in sorted(set(por_anio) | {a for (i, a) in metas_a if i == ind.pk}):
            ps = por_anio.get(anio, [])
            m = [metas_p.get((ind.pk, p.pk)) for p in ps]
            v = [valores.get((ind.pk, p.pk)) for p in ps]
            _, _, figura = acumular(ind.agregacion, m, v)
            _, _, meta_periodos = acumular(ind.agregacion, m, m)
            meta = metas_a.get((ind.pk, anio), meta_periodos)
            cifras[(ind.entidad_id, anio)].append((figura, meta, ind.plan))
    anios_con = sorted({a for (_, a) in cifras})
    if desde is None and hasta is None:
        anios = anios_con[-5:]
    else:
        anios = [a for a in anios_con if (desde is None or a >= desde) and (hasta is None or a <= hasta)]
    series = []
    for entidad_pk, entidad in sorted(entidades.items(), key=lambda kv: kv[1].nombre):
        serie = SerieEntidad(entidad)
        for anio in anios:
            grupo = cifras.get((entidad_pk, anio))
            if grupo:
                serie.puntos.append(PuntoAnual(anio, _combinar(entrada, [g[0] for g in grupo]),
                                               _combinar(entrada, [g[1] for g in grupo]), grupo[0][2], entrada.sentido,
                                               _decimales(entrada)))
        if serie.puntos:
            serie.columnas = [serie.punto(a) for a in anios]
            series.append(serie)
    return Tendencias(entrada, anios, series)


def tendencias_xlsx(data: Tendencias, workbook) -> None:
    """One row per entity and year: value, target, % achieved, light, plan."""
    hoja = workbook.sheet("Tendencias", [
        Column("Entidad", 30), Column("Año", 7, "integer"), Column("Valor", 12, "number"), Column("Meta", 12, "number"),
        Column("% logro", 10, "number"), Column("Semáforo", 12), Column("Plan", 24), Column("Demostración", 12),
    ])
    for s in data.series:
        for p in s.puntos:
            hoja.row([s.entidad.nombre, p.anio, p.valor, p.meta, percent_number(p.desempeno.logro), SEMAFORO_LABEL[p.desempeno.semaforo],
                      p.plan.codigo, "Sí" if p.plan.demostracion else ""])
    hoja.note(SEMAFORO_EXPLICACION)
