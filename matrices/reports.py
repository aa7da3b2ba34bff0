"""Report data of the plan's diagnosis and design (sections 7, 8, 9, 11, 12, 13, 13.1, 13.2).

Each function loads a fixed number of queries, whatever the plan's size, and returns
dataclasses; `amc.reports.render_report` renders them as a page, a PDF or an Excel workbook
(the `*_xlsx` functions below write the sheets). Filters (level, entity) are applied here,
so the three formats show the same rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from amc.excel import Column
from matrices.models import (
    Actividad, Alternativa, AlternativaPriorizada, Causa, CeldaRol, Fase, FilaRoles, Indicador,
    IndicadorNacional, IndicadorProducto, MetaIndicadorNacional, ObjetivoNacional, Problema, Producto, Resultado,
    SubitemAlternativa, SubpuntoCausa, TareaNivel,
)
from amc.vocabulario import Nivel, NIVELES, nivel_nombre
from planes.models import Plan
from planes.reports import (
    EntidadRef, NivelRef, Nota, agrupadas, cached_per_plan, codigos_de_nivel, filas, niveles, notas_fuente, notas_xlsx,
    participantes, titulo_version,
)

# --------------------------------------------------------------------------- 7 análisis causal


@dataclass
class CausaItem:
    letra: str
    texto: str
    subpuntos: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        lines = [f"{self.letra}. {self.texto}"] + [f"• {s}" for s in self.subpuntos]
        return "\n".join(lines)


@dataclass
class FilaCausal:
    """One letter of one problem: the cause of each entity with that letter (or None).
    The document's table lines causes up by letter (DRTPE skips c and d of problem 3)."""

    letra: str
    celdas: list[CausaItem | None]


@dataclass
class ProblemaCausal:
    numero: int
    enunciado: str
    filas: list[FilaCausal]

    @property
    def titulo(self) -> str:
        return f"{self.numero}. {self.enunciado}"

    @property
    def span(self) -> int:
        return max(len(self.filas), 1)


@dataclass
class AnalisisCausal:
    plan: Plan
    entidades: list[EntidadRef]
    problemas: list[ProblemaCausal]
    notas: list[Nota]
    a_la_fecha: object = None  # the plan as it was then (as signed), else today's

    @property
    def titulo(self) -> str:
        return titulo_version("7. Análisis causal de los problemas identificados", self.plan, self.a_la_fecha)

    @property
    def total_causas(self) -> int:
        return sum(1 for p in self.problemas for f in p.filas for c in f.celdas if c is not None)


def analisis_causal(*, plan: Plan, entidad: str = "", con_notas: bool = True, a_la_fecha=None) -> AnalisisCausal:
    """Section 7: problems x causes of each entity, lined up by letter, with their sub-points.

    Loads participants (1), problems (1), causes (1), sub-points (1), notes (1): 5 queries.
    `entidad` (code) keeps one entity's column. `a_la_fecha`: the plan as signed (`filas`)."""
    entidades = participantes(plan)
    if entidad:
        entidades = [e for e in entidades if e.codigo == entidad]
    loaded = list(filas(Problema, a_la_fecha).filter(plan=plan).order_by("numero"))
    causas = list(filas(Causa, a_la_fecha).filter(problema_id__in=[p.pk for p in loaded],
                                                   entidad_id__in=[e.id for e in entidades]).order_by("letra"))
    subpuntos = agrupadas(filas(SubpuntoCausa, a_la_fecha).filter(causa_id__in=[c.pk for c in causas]).order_by("orden"), "causa_id")
    causas_de = agrupadas(causas, "problema_id")
    if not entidad:
        # Columns for the entities that wrote causes; all of them when none did yet.
        with_causes = {c.entidad_id for c in causas}
        entidades = [e for e in entidades if e.id in with_causes] or entidades
    index = {e.id: i for i, e in enumerate(entidades)}
    result = []
    for p in loaded:
        by_letter: dict[str, list[CausaItem | None]] = {}
        for c in causas_de.get(p.pk, []):
            if c.entidad_id not in index:
                continue
            cells = by_letter.setdefault(c.letra, [None] * len(entidades))
            cells[index[c.entidad_id]] = CausaItem(c.letra, c.texto, [s.texto for s in subpuntos.get(c.pk, [])])
        filas_ = [FilaCausal(letra, by_letter[letra]) for letra in sorted(by_letter)]
        result.append(ProblemaCausal(p.numero, p.enunciado, filas_))
    return AnalisisCausal(plan, entidades, result, notas_fuente(plan, "6", "7") if con_notas else [], a_la_fecha)


def analisis_causal_xlsx(data: AnalisisCausal, workbook) -> None:
    columns = [Column("Problema", 38)] + [Column(e.corto, 62) for e in data.entidades]
    sheet = workbook.sheet("7 Análisis causal", columns)
    for p in data.problemas:
        first = sheet.next_row
        if not p.filas:
            sheet.row([p.titulo])
            continue
        for i, fila in enumerate(p.filas):
            sheet.row([p.titulo if i == 0 else None] + [c.as_text() if c else None for c in fila.celdas])
        sheet.merge_down(1, first, sheet.next_row - 1)
    notas_xlsx(sheet, data.notas)


# --------------------------------------------------------------------------- 8 / 9 alternativas


@dataclass
class AlternativaItem:
    letra: str
    texto: str
    subitems: list[tuple[int, str]]
    causa: str  # "a. Ausencia de voluntad política…" or ""

    def as_text(self) -> str:
        lines = [f"{self.letra}. {self.texto}".rstrip()] + [f"{n}. {t}" for n, t in self.subitems]
        return "\n".join(lines)


@dataclass
class GrupoAlternativas:
    entidad: EntidadRef
    alternativas: list[AlternativaItem]


@dataclass
class ProblemaAlternativas:
    numero: int
    enunciado: str
    grupos: list[GrupoAlternativas]

    @property
    def titulo(self) -> str:
        return f"{self.numero}. {self.enunciado}"

    @property
    def span(self) -> int:
        return max(sum(len(g.alternativas) for g in self.grupos), 1)


@dataclass
class PriorizadaItem:
    anio: int
    letra: str
    texto: str

    def as_text(self) -> str:
        return f"{self.letra}. {self.texto}"


@dataclass
class GrupoPriorizadas:
    entidad: EntidadRef
    items: list[PriorizadaItem]


@dataclass
class ProblemaPriorizadas:
    numero: int
    enunciado: str
    grupos: list[GrupoPriorizadas]

    @property
    def titulo(self) -> str:
        return f"{self.numero}. {self.enunciado}"

    @property
    def span(self) -> int:
        return max(sum(len(g.items) for g in self.grupos), 1)


@dataclass
class Alternativas:
    plan: Plan
    entidades: list[EntidadRef]
    problemas: list[ProblemaAlternativas]
    priorizadas: list[ProblemaPriorizadas]
    anios: list[int]
    notas: list[Nota]
    notas_priorizadas: list[Nota]
    a_la_fecha: object = None  # the plan as it was then (as signed), else today's

    @property
    def titulo(self) -> str:
        return titulo_version("Alternativas de solución y alternativas priorizadas", self.plan, self.a_la_fecha)


def alternativas(*, plan: Plan, entidad: str = "", anio: int | None = None, con_notas: bool = True,
                 a_la_fecha=None) -> Alternativas:
    """Section 8 (alternatives per cause, with their numbered sub-items) and section 9 (the
    alternatives prioritised per year), per problem and entity.

    The cause an alternative answers is its `causa`, else the entity's cause of the same
    problem with the same letter (the document: "por cada causa identificada, según el literal
    que corresponda"). Loads participants, problems, alternatives, sub-items, causes,
    prioritised, notes: 7 queries. `a_la_fecha`: the plan as signed (`filas`)."""
    entidades = participantes(plan)
    if entidad:
        entidades = [e for e in entidades if e.codigo == entidad]
    ids = [e.id for e in entidades]
    ents = {e.id: e for e in entidades}
    problemas = list(filas(Problema, a_la_fecha).filter(plan=plan).order_by("numero"))
    ids_problemas = [p.pk for p in problemas]
    alts = list(filas(Alternativa, a_la_fecha).filter(problema_id__in=ids_problemas, entidad_id__in=ids).order_by("letra"))
    subitems = agrupadas(filas(SubitemAlternativa, a_la_fecha).filter(alternativa_id__in=[a.pk for a in alts]).order_by("numero"),
                         "alternativa_id")
    todas_las_causas = list(filas(Causa, a_la_fecha).filter(problema_id__in=ids_problemas))
    causa_por_pk = {c.pk: c for c in todas_las_causas}
    causas = {(c.problema_id, c.entidad_id, c.letra): c for c in todas_las_causas}
    prior = filas(AlternativaPriorizada, a_la_fecha).filter(problema_id__in=ids_problemas, entidad_id__in=ids).order_by("anio", "letra")
    if anio:
        prior = prior.filter(anio=anio)
    prior = list(prior)
    order = {e.id: i for i, e in enumerate(entidades)}

    result = []
    for p in problemas:
        grupos: dict[int, GrupoAlternativas] = {}
        for a in alts:
            if a.problema_id != p.id:
                continue
            causa = causa_por_pk.get(a.causa_id) or causas.get((p.id, a.entidad_id, a.letra))
            item = AlternativaItem(a.letra, a.texto, [(s.numero, s.texto) for s in subitems.get(a.pk, [])],
                                   f"{causa.letra}. {causa.texto}" if causa else "")
            grupos.setdefault(a.entidad_id, GrupoAlternativas(ents[a.entidad_id], [])).alternativas.append(item)
        result.append(ProblemaAlternativas(p.numero, p.enunciado, sorted(grupos.values(), key=lambda g: order[g.entidad.id])))

    prior_result = []
    for p in problemas:
        grupos_p: dict[int, GrupoPriorizadas] = {}
        for a in prior:
            if a.problema_id == p.id:
                grupos_p.setdefault(a.entidad_id, GrupoPriorizadas(ents[a.entidad_id], [])).items.append(
                    PriorizadaItem(a.anio, a.letra, a.texto))
        prior_result.append(ProblemaPriorizadas(p.numero, p.enunciado, sorted(grupos_p.values(), key=lambda g: order[g.entidad.id])))
    anios = sorted({a.anio for a in prior})
    notas = notas_fuente(plan, "8", "9") if con_notas else []
    return Alternativas(plan, entidades, result, prior_result, anios,
                        [n for n in notas if n.seccion == "8"], [n for n in notas if n.seccion == "9"], a_la_fecha)


def alternativas_xlsx(data: Alternativas, workbook) -> None:
    """Sheets "8 Alternativas" and "9 Priorizadas"."""
    alternativas_solas_xlsx(data, workbook)
    priorizadas_xlsx(data, workbook)


def alternativas_solas_xlsx(data: Alternativas, workbook) -> None:
    sheet = workbook.sheet("8 Alternativas", [Column("Problema", 34), Column("Entidad", 16), Column("Causa", 50), Column("Alternativa de solución", 70)])
    for p in data.problemas:
        first = sheet.next_row
        if not p.grupos:
            sheet.row([p.titulo])
            continue
        for g in p.grupos:
            g_first = sheet.next_row
            for a in g.alternativas:
                sheet.row([p.titulo if sheet.next_row == first else None, g.entidad.corto if sheet.next_row == g_first else None,
                           a.causa or None, a.as_text()])
            sheet.merge_down(2, g_first, sheet.next_row - 1)
        sheet.merge_down(1, first, sheet.next_row - 1)
    notas_xlsx(sheet, data.notas)


def priorizadas_xlsx(data: Alternativas, workbook) -> None:
    sheet = workbook.sheet("9 Priorizadas", [Column("Problema", 34), Column("Entidad", 16), Column("Año", 8, "integer"), Column("Alternativa priorizada", 80)])
    for p in data.priorizadas:
        first = sheet.next_row
        if not p.grupos:
            sheet.row([p.titulo])
            continue
        for g in p.grupos:
            g_first = sheet.next_row
            for item in g.items:
                sheet.row([p.titulo if sheet.next_row == first else None, g.entidad.corto if sheet.next_row == g_first else None,
                           item.anio, item.as_text()])
            sheet.merge_down(2, g_first, sheet.next_row - 1)
        sheet.merge_down(1, first, sheet.next_row - 1)
    notas_xlsx(sheet, data.notas_priorizadas)


# --------------------------------------------------------------------------- 11 alineamiento


@dataclass
class IndicadorNac:
    numero: str
    nombre: str
    formula: str
    fuente: str
    linea_base: str
    tendencia: str
    metas: list[str]  # one per year of the block's `anios`


@dataclass
class ObjetivoNac:
    codigo: str
    enunciado: str
    detalle: str
    indicadores: list[IndicadorNac]

    @property
    def titulo(self) -> str:
        return f"{self.codigo}: {self.enunciado}" if self.codigo else self.enunciado

    @property
    def span(self) -> int:
        return max(len(self.indicadores), 1)


@dataclass
class MarcoNac:
    marco: str
    etiqueta: str
    objetivos: list[ObjetivoNac]
    anios: list[int]

    @property
    def con_indicadores(self) -> bool:
        return any(o.indicadores for o in self.objetivos)

    @property
    def tendencia_titulo(self) -> str:
        """«Tendencia al 2021»: the trend runs to the last year with a target, as the seed heads it."""
        return f"Tendencia al {self.anios[-1]}" if self.anios else "Tendencia"


@dataclass
class Alineamiento:
    plan: Plan
    marcos: list[MarcoNac]
    notas: list[Nota]


def alineamiento(*, plan: Plan, con_notas: bool = True) -> Alineamiento:
    """Section 11: the national objectives the plan aligns to, by framework (Acuerdo Nacional,
    Plan Bicentenario, its CEPLAN update), with their indicators, baselines and targets.
    Loads objectives, indicators, targets, notes: 4 queries."""
    metas = Prefetch("metas", queryset=MetaIndicadorNacional.objects.order_by("anio"))
    inds = Prefetch("indicadores", queryset=IndicadorNacional.objects.order_by("numero").prefetch_related(metas))
    objetivos = ObjetivoNacional.objects.filter(plan=plan).order_by("marco", "orden").prefetch_related(inds)
    labels = dict(ObjetivoNacional.Marco.choices)
    order = {v: i for i, v in enumerate(ObjetivoNacional.Marco.values)}
    marcos: dict[str, list] = {}
    for o in objetivos:
        marcos.setdefault(o.marco, []).append(o)
    result = []
    for marco in sorted(marcos, key=lambda m: order.get(m, 99)):
        objs = marcos[marco]
        anios = sorted({m.anio for o in objs for i in o.indicadores.all() for m in i.metas.all()})
        objetivos_nac = []
        for o in objs:
            indicadores = []
            for i in o.indicadores.all():
                by_year = {m.anio: m.valor for m in i.metas.all()}
                base = i.linea_base
                if i.linea_base_anio and str(i.linea_base_anio) not in base:
                    base = f"{base} ({i.linea_base_anio})"
                indicadores.append(IndicadorNac(i.numero, i.nombre, i.formula, i.fuente, base, i.tendencia,
                                                [by_year.get(y, "") for y in anios]))
            objetivos_nac.append(ObjetivoNac(o.codigo, o.enunciado, o.detalle, indicadores))
        result.append(MarcoNac(marco, labels.get(marco, marco), objetivos_nac, anios))
    return Alineamiento(plan, result, notas_fuente(plan, "11", "11.1", "11.2") if con_notas else [])


def alineamiento_xlsx(data: Alineamiento, workbook) -> None:
    short = {"acuerdo_nacional": "11 Acuerdo Nacional", "plan_bicentenario": "11 Plan Bicentenario",
             "plan_bicentenario_ceplan": "11 Bicentenario CEPLAN"}
    for m in data.marcos:
        title = short.get(m.marco, f"11 {m.etiqueta}")
        if not m.con_indicadores:
            sheet = workbook.sheet(title, [Column("Objetivo", 50), Column("Política o detalle", 70)])
            for o in m.objetivos:
                sheet.row([o.titulo, o.detalle])
            continue
        columns = [Column("Objetivo", 40), Column("N°", 6), Column("Indicador", 34), Column("Fórmula", 28), Column("Fuente de información", 18),
                   Column("Línea de base", 14), Column(m.tendencia_titulo, 12)] + [Column(f"Meta {y}", 11) for y in m.anios]
        sheet = workbook.sheet(title, columns)
        for o in m.objetivos:
            first = sheet.next_row
            if not o.indicadores:
                sheet.row([o.titulo])
                continue
            for i in o.indicadores:
                sheet.row([o.titulo if sheet.next_row == first else None, i.numero, i.nombre, i.formula, i.fuente,
                           i.linea_base, i.tendencia, *i.metas])
            sheet.merge_down(1, first, sheet.next_row - 1)
    if data.marcos:
        notas_xlsx(sheet, data.notas)


# --------------------------------------------------------------------------- 12 roles


@dataclass
class FaseRoles:
    fase: str
    etiqueta: str
    filas: list[list[str]]  # one text per shown level

    @property
    def span(self) -> int:
        return max(len(self.filas), 1)


@dataclass
class Roles:
    plan: Plan
    niveles: list[NivelRef]
    fases: list[FaseRoles]
    notas: list[Nota]

    @property
    def total_filas(self) -> int:
        return sum(len(f.filas) for f in self.fases)


def roles(*, plan: Plan, nivel: str = "", con_notas: bool = True) -> Roles:
    """Section 12: phases x levels of government, each cell what that level does. Rows keep
    their order; consecutive rows of one phase form its block (EJECUCIÓN spans many rows).
    `nivel` keeps that level's column and its non-empty rows. Loads participants, levels,
    rows with their cells, notes: 5 queries."""
    niv = niveles(plan, participantes(plan))
    if nivel:
        niv = [n for n in niv if n.codigo == nivel]
    codes = [n.codigo for n in niv]
    filas_roles = FilaRoles.objects.filter(plan=plan).order_by("orden").prefetch_related(
        Prefetch("celdas", queryset=CeldaRol.objects.select_related("nivel"))
    )
    labels = dict(Fase.choices)
    fases: list[FaseRoles] = []
    for fila in filas_roles:
        texts = {c.nivel.codigo: c.texto for c in fila.celdas.all()}
        row = [texts.get(code, "") for code in codes]
        if nivel and not any(row):
            continue
        if not fases or fases[-1].fase != fila.fase:
            fases.append(FaseRoles(fila.fase, labels.get(fila.fase, fila.fase), []))
        fases[-1].filas.append(row)
    return Roles(plan, niv, fases, notas_fuente(plan, "12") if con_notas else [])


def roles_xlsx(data: Roles, workbook) -> None:
    sheet = workbook.sheet("12 Roles", [Column("Fase", 18)] + [Column(n.etiqueta, 55) for n in data.niveles])
    for f in data.fases:
        first = sheet.next_row
        for i, row in enumerate(f.filas):
            sheet.row([f.etiqueta.upper() if i == 0 else None, *row])
        sheet.merge_down(1, first, sheet.next_row - 1)
    notas_xlsx(sheet, data.notas)


# --------------------------------------------------------------------------- 13 indicadores


@dataclass
class FilaIndicadorProducto:
    indicador: str
    meta: str
    tareas: list[str]  # one per shown level


@dataclass
class ProductoInd:
    enunciado: str
    filas: list[FilaIndicadorProducto]

    @property
    def span(self) -> int:
        return max(len(self.filas), 1)


@dataclass
class ResultadoInd:
    enunciado: str
    productos: list[ProductoInd]

    @property
    def span(self) -> int:
        return max(sum(p.span for p in self.productos), 1)


@dataclass
class Indicadores:
    plan: Plan
    niveles: list[NivelRef]
    resultados: list[ResultadoInd]
    notas: list[Nota]
    a_la_fecha: object = None  # the plan as it was then (as signed), else today's

    @property
    def titulo(self) -> str:
        return titulo_version("13. Indicadores, metas y roles por nivel de gobierno", self.plan, self.a_la_fecha)


def indicadores(*, plan: Plan, nivel: str = "", con_notas: bool = True, a_la_fecha=None) -> Indicadores:
    """Section 13: intermediate result -> product -> indicator and target, with what each
    level of government does for it. `nivel` keeps that level's column. Loads participants,
    levels, intermediate results, products, indicator rows, their tasks, notes: 7 queries.
    `a_la_fecha`: the plan as signed (`filas`)."""
    niv = niveles(plan, participantes(plan))
    if nivel:
        niv = [n for n in niv if n.codigo == nivel]
    codes = [n.codigo for n in niv]
    codigo = codigos_de_nivel(plan)
    resultados = list(filas(Resultado, a_la_fecha).filter(plan=plan, tipo=Resultado.Tipo.INTERMEDIO).order_by("orden"))
    productos = agrupadas(filas(Producto, a_la_fecha).filter(resultado_id__in=[r.pk for r in resultados]).order_by("orden"),
                          "resultado_id")
    inds = agrupadas(filas(IndicadorProducto, a_la_fecha).filter(
        producto_id__in=[p.pk for ps in productos.values() for p in ps]).order_by("orden"), "producto_id")
    tareas = agrupadas(filas(TareaNivel, a_la_fecha).filter(indicador_id__in=[i.pk for fs in inds.values() for i in fs]),
                       "indicador_id")
    result = []
    for r in resultados:
        productos_ = []
        for p in productos.get(r.pk, []):
            filas_ = []
            for ind in inds.get(p.pk, []):
                por_nivel = {codigo[t.nivel_id]: t.texto for t in tareas.get(ind.pk, [])}
                filas_.append(FilaIndicadorProducto(ind.indicador, ind.meta, [por_nivel.get(c, "") for c in codes]))
            productos_.append(ProductoInd(p.enunciado, filas_))
        result.append(ResultadoInd(r.enunciado, productos_))
    return Indicadores(plan, niv, result, notas_fuente(plan, "13") if con_notas else [], a_la_fecha)


def indicadores_xlsx(data: Indicadores, workbook) -> None:
    columns = [Column("Resultado intermedio", 30), Column("Producto", 30), Column("Indicador", 45), Column("Meta", 18)]
    columns += [Column(n.etiqueta, 42) for n in data.niveles]
    sheet = workbook.sheet("13 Indicadores", columns)
    for r in data.resultados:
        r_first = sheet.next_row
        if not r.productos:
            sheet.row([r.enunciado])
        for p in r.productos:
            p_first = sheet.next_row
            if not p.filas:
                sheet.row([r.enunciado if sheet.next_row == r_first else None, p.enunciado])
            for f in p.filas:
                sheet.row([r.enunciado if sheet.next_row == r_first else None, p.enunciado if sheet.next_row == p_first else None,
                           f.indicador, f.meta, *f.tareas])
            sheet.merge_down(2, p_first, sheet.next_row - 1)
        sheet.merge_down(1, r_first, sheet.next_row - 1)
    notas_xlsx(sheet, data.notas)


# --------------------------------------------------------------------------- 13.1 / 13.2 matriz lógica

#: The section number the document gives each level's logical matrix (the local one has none).
NUMERO_MATRIZ = {Nivel.NACIONAL: "13.1", Nivel.REGIONAL: "13.2"}


@dataclass
class IndicadorML:
    nombre: str
    medio: str
    entidad: str


#: How the matrix marks an activity carried over from the previous plan (page, PDF, Excel).
MARCA_ARRASTRE = "Arrastrada del plan anterior"


@dataclass
class ObjetivoML:
    texto: str
    indicadores: list[IndicadorML]
    entidad: str = ""
    arrastrada: bool = False

    @property
    def marca(self) -> str:
        return MARCA_ARRASTRE if self.arrastrada else ""

    @property
    def span(self) -> int:
        return max(len(self.indicadores), 1)

    def filas(self) -> list[tuple[str | None, str, str]]:
        """(objective or None when spanned, indicator, means of verification) rows."""
        if not self.indicadores:
            return [(self.texto, "", "")]
        return [(self.texto if i == 0 else None, ind.nombre, ind.medio) for i, ind in enumerate(self.indicadores)]


@dataclass
class BloqueML:
    etiqueta: str
    objetivos: list[ObjetivoML]


@dataclass
class MatrizLogica:
    plan: Plan
    nivel: str
    nivel_nombre: str
    numero: str
    entidades: list[EntidadRef]
    bloques: list[BloqueML]
    niveles_con_filas: list[str]
    notas: list[Nota]
    a_la_fecha: object = None  # the plan as it was then (as signed), else today's

    @property
    def titulo(self) -> str:
        base = f"Matriz lógica {nivel_nombre(self.nivel)}"
        return titulo_version(f"{self.numero} {base}" if self.numero else base, self.plan, self.a_la_fecha)

    @property
    def actividades(self) -> list[ObjetivoML]:
        return self.bloques[-1].objetivos if self.bloques else []

    @property
    def total_filas(self) -> int:
        return sum(o.span for b in self.bloques for o in b.objetivos)


def niveles_con_filas(plan: Plan) -> list[str]:
    """Levels whose entities have activities or indicators in the plan (1 query, once per
    plan object)."""
    def load():
        acts = Actividad.objects.filter(plan=plan).order_by().values_list("entidad__nivel__codigo", flat=True)
        inds = Indicador.objects.filter(plan=plan).order_by().values_list("entidad__nivel__codigo", flat=True)
        found = set(acts.union(inds))
        return [c for c in NIVELES if c in found]

    return list(cached_per_plan(plan, "niveles_con_filas", load))


def matriz_logica(*, plan: Plan, nivel: str = Nivel.NACIONAL, entidad: str = "", con_notas: bool = True,
                  a_la_fecha=None) -> MatrizLogica:
    """Sections 13.1 / 13.2 (and local when it has rows): the logical matrix of one level of
    government. RESULTADO FINAL, RESULTADO INTERMEDIO and PRODUCTO are the plan's, with the
    indicators of the level's entities; ACTIVIDADES are the level's entities' activities with
    their indicators and means of verification. An activity the source leaves without an
    objective keeps an empty cell (see the note on 13.1). `entidad` keeps one entity.
    `a_la_fecha`: the plan as it was then, read from its history (the plan as signed:
    `planes.reports.version_filter`); an activity carried over from the previous plan is marked.

    Loads participants, levels with rows, results, products, activities, indicators, notes:
    7 queries."""
    entidades = [e for e in participantes(plan) if e.nivel_codigo == nivel]
    if entidad:
        entidades = [e for e in entidades if e.codigo == entidad]
    ids = [e.id for e in entidades]
    siglas = {e.id: e.corto for e in entidades}
    con_filas = niveles_con_filas(plan)
    resultados = list(filas(Resultado, a_la_fecha).filter(plan=plan).order_by("orden"))
    productos = list(filas(Producto, a_la_fecha).filter(plan=plan).order_by("orden"))
    actividades = list(filas(Actividad, a_la_fecha).filter(plan=plan, entidad_id__in=ids).order_by("orden"))
    por_entidad_orden = {e.id: i for i, e in enumerate(entidades)}
    actividades.sort(key=lambda a: (por_entidad_orden[a.entidad_id], a.orden))
    inds = filas(Indicador, a_la_fecha).filter(plan=plan, entidad_id__in=ids).order_by("orden")
    by_target: dict[tuple[str, int], list[IndicadorML]] = {}
    for i in inds:
        key = ("r", i.resultado_id) if i.resultado_id else ("p", i.producto_id) if i.producto_id else ("a", i.actividad_id)
        by_target.setdefault(key, []).append(IndicadorML(i.nombre, i.medio_verificacion, siglas.get(i.entidad_id, "")))

    def obj(texto, key, entidad_sigla="", arrastrada=False):
        return ObjetivoML(texto, by_target.get(key, []), entidad_sigla, arrastrada)

    finales = [r for r in resultados if r.tipo == Resultado.Tipo.FINAL]
    intermedios = [r for r in resultados if r.tipo == Resultado.Tipo.INTERMEDIO]
    varias = len(entidades) > 1
    bloques = [
        BloqueML("Resultado final", [obj(r.enunciado, ("r", r.id)) for r in finales]),
        BloqueML("Resultado intermedio", [obj(r.enunciado, ("r", r.id)) for r in intermedios]),
        BloqueML("Producto", [obj(p.enunciado, ("p", p.id)) for p in productos]),
        BloqueML("Actividades", [obj(a.descripcion, ("a", a.id), siglas[a.entidad_id] if varias else "",
                                     a.arrastrada_de_id is not None) for a in actividades]),
    ]
    numero = NUMERO_MATRIZ.get(nivel, "")
    return MatrizLogica(plan, nivel, nivel_nombre(nivel), numero, entidades, bloques, con_filas,
                        notas_fuente(plan, numero) if numero and con_notas else [], a_la_fecha)


def matriz_logica_xlsx(data: MatrizLogica, workbook) -> None:
    sheet = workbook.sheet(f"{data.numero or '13'} Matriz lógica {data.nivel}",
                           [Column("Objetivos", 60), Column("Indicadores", 55), Column("Medios de verificación", 28)])
    _matriz_rows(sheet, data)
    notas_xlsx(sheet, data.notas)


def _matriz_rows(sheet, data: MatrizLogica) -> None:
    for bloque in data.bloques:
        sheet.section(bloque.etiqueta.upper())
        for o in bloque.objetivos:
            first = sheet.next_row
            for objetivo, indicador, medio in o.filas():
                texto = objetivo
                if objetivo is not None and o.entidad:
                    texto = f"[{o.entidad}] {objetivo}"
                if objetivo is not None and o.marca:
                    texto = f"{texto} ({o.marca})"
                sheet.row([texto, indicador, medio])
            sheet.merge_down(1, first, sheet.next_row - 1)
