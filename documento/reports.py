"""The whole plan as one document, in the order of the source document: cover, table of
contents, part A (background), part B (the service, diagnosis, implementation plan, with
every matrix and the budget), the narrative sections and the notes on the source where they
apply. Sections the data does not hold are left out; part headings stay.

The document is a registry of sections (`SECCIONES`): each entry names its place in the
source (key, number, title, heading level, the narrative sections that fill it) and, when it
holds a table or a list, its `Bloque` (the partial that renders it on the page and in the
PDF, the function that writes its Excel sheet, whether it has rows, whether it is wide) and
the loader that reads its data. The page, the PDF and the workbook iterate the same entries.
The matrices and the budget are the very report functions of their pages, asked for without
their notes (the document shows each note once, under its section).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable

from django.db.models import Prefetch

from amc.excel import Column
from amc.vocabulario import Nivel, de_nombre
from matrices import reports as mr
from matrices.models import Problema, Producto, Resultado
from planes.models import (
    AccionEstrategica, BaseLegal, Declaracion, Estrategia, FuncionNivel, HallazgoEvaluacion, MiembroEquipo,
    Objetivo, OrganoResponsable, Plan, SeccionNarrativa, ServicioPrestado,
)
from planes.reports import EntidadRef, Nota, participantes, todas_las_notas
from presupuesto import reports as pr


def _norm(numero: str) -> str:
    text = unicodedata.normalize("NFKD", numero or "").encode("ascii", "ignore").decode()
    return text.upper().replace(" ", "").rstrip(".")


# --- what a section may hold --------------------------------------------------------------------

@dataclass(frozen=True)
class Bloque:
    """A kind of table or list in the document: the partial that renders it (it gets the
    data as `data`), the function that writes its sheet(s) (`xlsx(data, workbook)`), whether
    the data has anything to show, and whether it needs landscape pages in the PDF."""

    partial: str
    xlsx: Callable[[Any, Any], None] | None = None
    tiene_filas: Callable[[Any], bool] = bool
    ancho: bool = False


@dataclass
class Seccion:
    """One heading of the document, with its narrative text, its block (table or list), the
    narrative sub-sections that belong under it (11.1, 11.2) and its notes on the source."""

    key: str
    numero: str
    titulo: str
    nivel: int = 2  # 1 part, 2 section, 3 sub-section
    bloque: Bloque | None = None
    block: Any = None
    texto: str = ""
    subsecciones: list[tuple[str, str, str]] = field(default_factory=list)  # (numero, titulo, texto)
    notas: list[Nota] = field(default_factory=list)
    siempre: bool = False  # part headings are shown even when empty
    titulo_propio: bool = False  # the title is the plan's (a narrative section's), not the registry's
    con_la_siguiente: bool = False  # PDF: a heading with nothing of its own shares the next section's pages

    def __getstate__(self) -> dict:
        # The block's kind holds functions (its Excel writer, lambdas, closures), which do not
        # pickle: a section pickles without it and finds it again in the registry by its key, so
        # the whole document can be kept in the cache (amc.versiones.por_version).
        return {**self.__dict__, "bloque": None}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        entrada = ENTRADAS.get(self.key)
        self.bloque = entrada.bloque if entrada is not None else None

    @property
    def anchor(self) -> str:
        return "sec-" + "".join(ch if ch.isalnum() else "-" for ch in self.key.lower())

    @property
    def encabezado(self) -> str:
        if not self.numero:
            return self.titulo
        return f"{self.numero} {self.titulo}"

    @property
    def tiene_filas(self) -> bool:
        return self.bloque is not None and self.block is not None and self.bloque.tiene_filas(self.block)

    @property
    def ancho(self) -> bool:
        return bool(self.bloque and self.bloque.ancho)

    @property
    def solo_titulo(self) -> bool:
        return not (self.texto or self.subsecciones or self.notas or self.tiene_filas)

    @property
    def tiene_contenido(self) -> bool:
        return bool(self.siempre or self.texto or self.subsecciones or self.notas or self.tiene_filas)


@dataclass
class Miembro:
    nombre: str
    organo: str
    cargo: str
    en_representacion_de: str
    nota: str
    organo_padre: str = ""

    @property
    def organo_completo(self) -> str:
        """«Oficina de Planeamiento de la Oficina General de Planeamiento y Presupuesto»."""
        return " ".join(x for x in (self.organo, de_nombre(self.organo_padre)) if x)

    @property
    def procedencia(self) -> str:
        """Where the member comes from, as the seed writes it: «de la Oficina de Planeamiento
        de la Oficina General de Planeamiento y Presupuesto», «del Despacho Viceministerial…»."""
        if not self.organo:
            return self.cargo
        return " ".join(x for x in (de_nombre(self.organo), de_nombre(self.organo_padre)) if x)


@dataclass
class EquipoEntidad:
    entidad: str
    documento: str
    miembros: list[Miembro]


@dataclass
class CadenaValor:
    finales: list[str]
    intermedios: list[tuple[str, list[str]]]  # (intermediate result, its products)


@dataclass
class Documento:
    plan: Plan
    entidades: list[EntidadRef]
    secciones: list[Seccion]
    notas_sin_seccion: list[Nota]

    @property
    def visibles(self) -> list[Seccion]:
        visibles = [s for s in self.secciones if s.tiene_contenido]
        # A part heading alone (III. Plan de implementación) takes the page orientation of the
        # section after it, so it is not left alone on a page of its own.
        for s, siguiente in zip(visibles, visibles[1:]):
            s.con_la_siguiente = s.solo_titulo and siguiente.ancho
        return visibles

    def seccion(self, key: str) -> Seccion | None:
        return next((s for s in self.secciones if s.key == key), None)


# --- loaders ----------------------------------------------------------------------------------------

class Carga:
    """What the section loaders read, for one plan; data shared by several sections (the
    objectives and their strategies, the alternatives and the prioritised ones, the functions
    of the three levels) is read once."""

    def __init__(self, plan: Plan):
        self.plan = plan

    @cached_property
    def objetivos(self) -> list[Objetivo]:
        acciones = Prefetch("acciones", queryset=AccionEstrategica.objects.order_by("codigo"))
        estrategias = Prefetch("estrategias", queryset=Estrategia.objects.order_by("codigo").prefetch_related(acciones))
        return list(Objetivo.objects.filter(plan=self.plan).order_by("numero").prefetch_related(estrategias))

    @cached_property
    def alternativas(self) -> mr.Alternativas:
        return mr.alternativas(plan=self.plan, con_notas=False)

    @cached_property
    def funciones(self) -> list[FuncionNivel]:
        return list(FuncionNivel.objects.filter(plan=self.plan).select_related("nivel").order_by("nivel__orden", "orden"))

    def funciones_de(self, nivel: str) -> list[tuple[str, list]]:
        return _group([f for f in self.funciones if f.nivel.codigo == nivel], lambda f: f.apartado)

    def matriz_logica(self, nivel: str) -> mr.MatrizLogica | None:
        if nivel not in mr.niveles_con_filas(self.plan):
            return None
        return mr.matriz_logica(plan=self.plan, nivel=nivel, con_notas=False)


def _group(items, key) -> list[tuple[str, list]]:
    groups: list[tuple[str, list]] = []
    for item in items:
        k = key(item)
        if not groups or groups[-1][0] != k:
            groups.append((k, []))
        groups[-1][1].append(item)
    return groups


def _declaraciones(c: Carga) -> list[Declaracion]:
    decl = list(Declaracion.objects.filter(plan=c.plan).select_related("entidad__nivel")
                .order_by("tipo", "entidad__nivel__orden", "entidad__nombre"))
    decl.sort(key=lambda d: (0 if d.tipo == Declaracion.Tipo.VISION else 1, d.entidad.nivel.orden))
    return decl


def _hallazgos(c: Carga) -> list[tuple[str, list]]:
    hallazgos = list(HallazgoEvaluacion.objects.filter(plan=c.plan).order_by("materia", "orden"))
    order = {v: i for i, v in enumerate(HallazgoEvaluacion.Materia.values)}
    hallazgos.sort(key=lambda h: (order.get(h.materia, 99), h.orden))
    return _group(hallazgos, lambda h: h.get_materia_display())


def _equipo(c: Carga) -> list[EquipoEntidad]:
    miembros = MiembroEquipo.objects.filter(plan=c.plan).select_related(
        "entidad__nivel", "organo__padre", "en_representacion_de").order_by("entidad__nivel__orden", "entidad__nombre", "orden")
    result: list[EquipoEntidad] = []
    for m in miembros:
        if not result or result[-1].entidad != m.entidad.nombre:
            result.append(EquipoEntidad(m.entidad.nombre, m.documento_designacion, []))
        if m.documento_designacion and not result[-1].documento:
            result[-1].documento = m.documento_designacion
        result[-1].miembros.append(Miembro(m.nombre, m.organo.nombre if m.organo else "", m.cargo,
                                           m.en_representacion_de.nombre if m.en_representacion_de else "", m.nota,
                                           _padre_citado(m.organo)))
    return result


def _padre_citado(organo) -> str:
    """The organ above, when a citation names it: an office is cited with its general office
    («Oficina de Planeamiento de la Oficina General de Planeamiento y Presupuesto», as the seed
    writes four members of the team); a general directorate stands alone, without the vice-
    ministry above it («de la Dirección General de Promoción del Empleo»)."""
    padre = organo.padre if organo is not None else None
    if padre is None or organo.nombre.split()[:1] != padre.nombre.split()[:1]:
        return ""
    return padre.nombre


def _responsables(c: Carga) -> list[tuple[str, list]]:
    responsables = OrganoResponsable.objects.filter(plan=c.plan).select_related("organo__entidad__nivel").order_by(
        "organo__entidad__nivel__orden", "orden")
    return _group(list(responsables), lambda r: r.organo.entidad.nombre)


def _cadena_valor(c: Carga) -> CadenaValor | None:
    resultados = list(Resultado.objects.filter(plan=c.plan).order_by("orden").prefetch_related(
        Prefetch("productos", queryset=Producto.objects.order_by("orden"))))
    if not resultados:
        return None
    return CadenaValor(
        [r.enunciado for r in resultados if r.tipo == Resultado.Tipo.FINAL],
        [(r.enunciado, [p.enunciado for p in r.productos.all()]) for r in resultados if r.tipo == Resultado.Tipo.INTERMEDIO],
    )


# --- Excel writers of the document's own blocks ------------------------------------------------------

def _marco_legal_xlsx(block, workbook) -> None:
    sheet = workbook.sheet("A.I Marco legal", [Column("N°", 6, "integer"), Column("Norma", 38), Column("Denominación", 90)])
    for b in block:
        sheet.row([b.orden, f"{b.tipo} {b.numero}".strip(), b.titulo])


def _declaraciones_xlsx(block, workbook) -> None:
    sheet = workbook.sheet("A.II Visión y misión", [Column("Tipo", 10), Column("Entidad", 40), Column("Texto", 100)])
    for d in block:
        sheet.row([d.get_tipo_display(), d.entidad.nombre, d.texto])


def _servicios_xlsx(block, workbook) -> None:
    sheet = workbook.sheet("A.III Servicios", [Column("Literal", 8), Column("Servicio", 70)])
    for x in block:
        sheet.row([x.letra, x.nombre])


def _objetivos_xlsx(block, workbook) -> None:
    """Objectives with their strategies and actions (A.VI and A.VII in one sheet)."""
    sheet = workbook.sheet("A.VI-VII Objetivos", [Column("Objetivo", 60), Column("Estrategia", 50), Column("Acción", 60)])
    for o in block:
        first = sheet.next_row
        label = f"{o}: {o.enunciado}"
        rows = [(e, a) for e in o.estrategias.all() for a in (list(e.acciones.all()) or [None])] or [(None, None)]
        for e, a in rows:
            sheet.row([label if sheet.next_row == first else None,
                       f"{e.codigo} {e.enunciado}" if e else None, f"{a.codigo} {a.enunciado}" if a else None])
        sheet.merge_down(1, first, sheet.next_row - 1)


def _hallazgos_xlsx(block, workbook) -> None:
    sheet = workbook.sheet("A.VIII Evaluación", [Column("Materia", 26), Column("Resultado de la evaluación", 110)])
    for materia, items in block:
        first = sheet.next_row
        for h in items:
            sheet.row([materia if sheet.next_row == first else None, h.texto])
        sheet.merge_down(1, first, sheet.next_row - 1)


def _equipo_xlsx(block, workbook) -> None:
    sheet = workbook.sheet("A.X Equipo técnico", [Column("Entidad", 36), Column("Designado con", 26), Column("Nombre", 30),
                                                  Column("Órgano", 50), Column("En representación de", 26), Column("Nota", 40)])
    for g in block:
        first = sheet.next_row
        for m in g.miembros:
            sheet.row([g.entidad if sheet.next_row == first else None, g.documento if sheet.next_row == first else None,
                       m.nombre, m.organo_completo or m.cargo, m.en_representacion_de, m.nota])
        sheet.merge_down(1, first, sheet.next_row - 1)
        sheet.merge_down(2, first, sheet.next_row - 1)


def _responsables_xlsx(block, workbook) -> None:
    sheet = workbook.sheet("A.XII Responsables", [Column("Entidad", 40), Column("Órgano", 60), Column("Función en el plan", 50)])
    for entidad, items in block:
        first = sheet.next_row
        for r in items:
            sheet.row([entidad if sheet.next_row == first else None, r.organo.nombre, r.funcion])
        sheet.merge_down(1, first, sheet.next_row - 1)


def _funciones_xlsx(numero: str, nivel: str) -> Callable[[Any, Any], None]:
    def write(block, workbook) -> None:
        sheet = workbook.sheet(f"{numero} Funciones {Nivel(nivel).label}",
                               [Column("Apartado", 34), Column("Literal", 8), Column("Función", 100)])
        for apartado, items in block:
            for f in items:
                sheet.row([apartado, f.literal, f.texto])
    return write


def _problemas_xlsx(block, workbook) -> None:
    sheet = workbook.sheet("6 Problemas", [Column("N°", 6, "integer"), Column("Problema", 100)])
    for p in block:
        sheet.row([p.numero, p.enunciado])


def _cadena_valor_xlsx(cadena: CadenaValor, workbook) -> None:
    sheet = workbook.sheet("10 Cadena de valor", [Column("Resultado final", 40), Column("Resultado intermedio", 45), Column("Producto", 50)])
    final = "\n".join(cadena.finales)
    first = sheet.next_row
    for intermedio, productos in cadena.intermedios or [("", [])]:
        i_first = sheet.next_row
        for producto in productos or [""]:
            sheet.row([final if sheet.next_row == first else None, intermedio if sheet.next_row == i_first else None, producto])
        sheet.merge_down(2, i_first, sheet.next_row - 1)
    sheet.merge_down(1, first, sheet.next_row - 1)


def _bloque(nombre: str, xlsx=None, tiene_filas: Callable[[Any], bool] = bool) -> Bloque:
    return Bloque(f"documento/bloques/{nombre}.html", xlsx, tiene_filas)


MARCO_LEGAL = _bloque("marco_legal", _marco_legal_xlsx)
DECLARACIONES = _bloque("declaraciones", _declaraciones_xlsx)
SERVICIOS = _bloque("servicios", _servicios_xlsx)
OBJETIVOS = _bloque("objetivos", _objetivos_xlsx)
ESTRATEGIAS = _bloque("estrategias")  # written with the objectives' sheet
HALLAZGOS = _bloque("hallazgos", _hallazgos_xlsx)
EQUIPO = _bloque("equipo", _equipo_xlsx)
RESPONSABLES = _bloque("responsables", _responsables_xlsx)
TEXTO = _bloque("texto_plano")
PROBLEMAS = _bloque("problemas", _problemas_xlsx)
CADENA_VALOR = Bloque("documento/bloques/cadena_valor.html", _cadena_valor_xlsx, ancho=True)
ANALISIS_CAUSAL = Bloque("matrices/reportes/_analisis_causal.html", mr.analisis_causal_xlsx, lambda b: bool(b.problemas), ancho=True)
ALTERNATIVAS = Bloque("matrices/reportes/_alternativas_tabla.html", mr.alternativas_solas_xlsx,
                      lambda b: any(p.grupos for p in b.problemas), ancho=True)
PRIORIZADAS = Bloque("matrices/reportes/_priorizadas_tabla.html", mr.priorizadas_xlsx,
                     lambda b: any(p.grupos for p in b.priorizadas), ancho=True)
ALINEAMIENTO = Bloque("matrices/reportes/_alineamiento.html", mr.alineamiento_xlsx, lambda b: bool(b.marcos), ancho=True)
ROLES = Bloque("matrices/reportes/_roles.html", mr.roles_xlsx, lambda b: bool(b.fases), ancho=True)
INDICADORES = Bloque("matrices/reportes/_indicadores.html", mr.indicadores_xlsx, lambda b: bool(b.resultados), ancho=True)
MATRIZ_LOGICA = Bloque("matrices/reportes/_matriz_logica.html", mr.matriz_logica_xlsx,
                       lambda b: any(o for bl in b.bloques for o in bl.objetivos), ancho=True)
PRESUPUESTO = Bloque("presupuesto/reportes/_presupuesto.html", pr.presupuesto_xlsx, lambda b: bool(b.lineas), ancho=True)


# --- the registry ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EntradaSeccion:
    """A section of the source document: key, number and title as the source prints them,
    heading level (1 part, 2 section, 3 sub-section), the `numero` of the narrative sections
    that fill it, and what it holds (a block and the loader of its data)."""

    key: str
    numero: str
    titulo: str
    nivel: int
    alias: tuple[str, ...] = ()
    bloque: Bloque | None = None
    cargar: Callable[[Carga], Any] | None = None
    sufijo: Callable[[Carga], str] | None = None  # added to the title from the data ("(2015)")
    siempre: bool = False  # a part's heading, shown even when empty


def _anios_priorizadas(c: Carga) -> str:
    anios = c.alternativas.anios
    return f" ({', '.join(str(a) for a in anios)})" if anios else ""


S = EntradaSeccion
SECCIONES: list[EntradaSeccion] = [
    S("INTRO", "", "Introducción", 1, ("INTRODUCCION", "INTRO", "0")),
    S("A", "A.", "Antecedentes de la propuesta", 1, ("A",), siempre=True),
    S("A.I", "I.", "Marco legal", 2, ("A.I",), MARCO_LEGAL, lambda c: list(BaseLegal.objects.filter(plan=c.plan).order_by("orden"))),
    S("A.II", "II.", "Objetivo de políticas en materia de trabajo y promoción del empleo", 2, ("A.II",), DECLARACIONES, _declaraciones),
    S("A.III", "III.", "Caracterización del servicio", 2, ("A.III",), SERVICIOS,
      lambda c: list(ServicioPrestado.objects.filter(plan=c.plan).order_by("letra"))),
    S("A.IV", "IV.", "Alcance de la propuesta", 2, ("A.IV",)),
    S("A.V", "V.", "Finalidad", 2, ("A.V",)),
    S("A.VI", "VI.", "Objetivos", 2, ("A.VI",), OBJETIVOS, lambda c: c.objetivos),
    S("A.VII", "VII.", "Estrategias", 2, ("A.VII",), ESTRATEGIAS,
      lambda c: [o for o in c.objetivos if not o.es_general and o.estrategias.all()]),
    S("A.VIII", "VIII.", "Resultados generales de la evaluación del servicio", 2, ("A.VIII",), HALLAZGOS, _hallazgos),
    S("A.IX", "IX.", "Resultados esperados", 2, ("A.IX",)),
    S("A.X", "X.", "Equipo de trabajo técnico intergubernamental", 2, ("A.X",), EQUIPO, _equipo),
    S("A.XI", "XI.", "Coordinación intergubernamental", 2, ("A.XI",)),
    S("A.XII", "XII.", "Responsables de la implementación", 2, ("A.XII",), RESPONSABLES, _responsables),
    S("B", "B.", "Diseño de acciones de mejora continua", 1, ("B",), siempre=True),
    S("B.I", "I.", "Del servicio evaluado", 2, ("B.I",), siempre=True),
    S("1", "1.", "Sector", 3, ("1",), TEXTO, lambda c: c.plan.sector),
    S("2", "2.", "Servicio evaluado", 3, ("2",), TEXTO, lambda c: c.plan.servicio),
    S("3", "3.", "Gobierno Nacional", 3, ("3",), _bloque("funciones", _funciones_xlsx("3", Nivel.NACIONAL)),
      lambda c: c.funciones_de(Nivel.NACIONAL)),
    S("4", "4.", "Gobierno Regional", 3, ("4",), _bloque("funciones", _funciones_xlsx("4", Nivel.REGIONAL)),
      lambda c: c.funciones_de(Nivel.REGIONAL)),
    S("5", "5.", "Gobierno Local", 3, ("5",), _bloque("funciones", _funciones_xlsx("5", Nivel.LOCAL)),
      lambda c: c.funciones_de(Nivel.LOCAL)),
    S("B.II", "II.", "Diagnóstico", 2, ("B.II",), siempre=True),
    S("6", "6.", "Identificación de los problemas", 3, ("6",), PROBLEMAS,
      lambda c: list(Problema.objects.filter(plan=c.plan).order_by("numero"))),
    S("7", "7.", "Análisis causal de los problemas identificados", 3, ("7",), ANALISIS_CAUSAL,
      lambda c: mr.analisis_causal(plan=c.plan, con_notas=False)),
    S("8", "8.", "Alternativas de solución", 3, ("8",), ALTERNATIVAS, lambda c: c.alternativas),
    S("9", "9.", "Selección de alternativas de solución priorizadas", 3, ("9",), PRIORIZADAS, lambda c: c.alternativas,
      sufijo=_anios_priorizadas),
    S("B.III", "III.", "Plan de implementación", 2, ("B.III",), siempre=True),
    S("10", "10.", "Diseño de la cadena de valor", 3, ("10",), CADENA_VALOR, _cadena_valor),
    S("11", "11.", "Alineamiento a los objetivos de la política nacional", 3, ("11",), ALINEAMIENTO,
      lambda c: mr.alineamiento(plan=c.plan, con_notas=False)),
    S("12", "12.", "Roles, competencias y responsabilidades en los tres niveles de gobierno", 3, ("12",), ROLES,
      lambda c: mr.roles(plan=c.plan, con_notas=False)),
    S("13", "13.", "Indicadores, línea de base, medios de verificación, metas y costos", 3, ("13",), INDICADORES,
      lambda c: mr.indicadores(plan=c.plan, con_notas=False)),
    S("13.1", "13.1", "Matriz lógica Gobierno Nacional", 3, ("13.1",), MATRIZ_LOGICA, lambda c: c.matriz_logica(Nivel.NACIONAL)),
    S("13.2", "13.2", "Matriz lógica Gobierno Regional", 3, ("13.2",), MATRIZ_LOGICA, lambda c: c.matriz_logica(Nivel.REGIONAL)),
    S("13.L", "", "Matriz lógica Gobierno Local", 3, (), MATRIZ_LOGICA, lambda c: c.matriz_logica(Nivel.LOCAL)),
    S("13.3", "13.3", "Presupuesto", 3, ("13.3",), PRESUPUESTO, lambda c: pr.presupuesto(plan=c.plan, con_notas=False)),
    S("14", "14.", "Asistencia técnica y/o capacitación", 3, ("14",)),
    S("15", "15.", "Acciones de coordinación y articulación intersectorial", 3, ("15",)),
    S("16", "16.", "Estrategias al cumplimiento de responsabilidades en los tres niveles de gobierno", 3, ("16",)),
    S("17", "17.", "Estrategias de intervenciones conjuntas en asociatividad", 3, ("17",)),
    S("18", "18.", "Cronograma", 3, ("18",)),
]
del S
ENTRADAS: dict[str, EntradaSeccion] = {e.key: e for e in SECCIONES}

#: Plan fields that fill a section when no narrative section does.
TEXTO_DEL_PLAN = {"A.IV": "alcance", "A.V": "finalidad", "A.IX": "resultados_esperados"}


def documento(*, plan: Plan) -> Documento:
    """The whole plan in the document's order. Loads part A (legal basis, visions and
    missions, services, objectives with strategies and actions, findings, team, responsible
    units, functions per level), the narrative sections and all notes, problems and the value
    chain, then the section reports (7, 8-9, 11, 12, 13, 13.1, 13.2, local, 13.3), each at its
    own fixed cost, with the plan's entities, levels and notes read once: 47 queries
    whatever the plan's size (51 when the local level has rows, for its logical matrix)."""
    entidades = participantes(plan)
    secciones = [Seccion(e.key, e.numero, e.titulo, e.nivel, e.bloque, siempre=e.siempre) for e in SECCIONES]
    by_key = {s.key: s for s in secciones}
    alias = {_norm(a): e.key for e in SECCIONES for a in e.alias}

    # Narrative sections: into their slot, or under the slot they are a sub-section of.
    otras: list[tuple[str, str, str]] = []
    for sn in SeccionNarrativa.objects.filter(plan=plan).order_by("orden"):
        key = alias.get(_norm(sn.numero))
        if key:
            s = by_key[key]
            s.texto = "\n\n".join(x for x in (s.texto, sn.texto) if x)
            if sn.titulo:  # the plan's own heading, as its document writes it, over the registry's generic one
                s.titulo, s.titulo_propio = sn.titulo, True
            continue
        parent = _parent_slot(_norm(sn.numero), alias)
        if parent:
            by_key[parent].subsecciones.append((sn.numero, sn.titulo, sn.texto))
        else:
            otras.append((sn.numero, sn.titulo, sn.texto))

    # Notes on the source, each once, under the section it concerns.
    sin_seccion = []
    for nota in todas_las_notas(plan):
        key = alias.get(_norm(nota.seccion)) or _parent_slot(_norm(nota.seccion), alias)
        if key:
            by_key[key].notas.append(nota)
        else:
            sin_seccion.append(nota)

    for key, campo in TEXTO_DEL_PLAN.items():
        if not by_key[key].texto and getattr(plan, campo):
            by_key[key].texto = getattr(plan, campo)

    carga = Carga(plan)
    for entrada in SECCIONES:
        s = by_key[entrada.key]
        if entrada.cargar is not None:
            s.block = entrada.cargar(carga)
        if entrada.sufijo is not None and not s.titulo_propio:
            s.titulo += entrada.sufijo(carga)

    if otras:
        secciones.append(Seccion("OTRAS", "", "Otras secciones", 1, subsecciones=otras))
    return Documento(plan, entidades, secciones, sin_seccion)


def _parent_slot(numero: str, alias: dict[str, str]) -> str | None:
    parts = numero.split(".")
    while len(parts) > 1:
        parts.pop()
        key = alias.get(".".join(parts))
        if key:
            return key
    return None


def documento_xlsx(data: Documento, workbook) -> None:
    """Every table of the document, one sheet each, in the document's order (each section's
    block writes its own); then the narrative texts and the notes on the source, so the
    workbook holds the whole plan."""
    for s in data.secciones:
        if s.tiene_filas and s.bloque.xlsx is not None:
            s.bloque.xlsx(s.block, workbook)

    textos = [(x.encabezado, x.texto) for x in data.secciones if x.texto]
    textos += [(f"{n} {t}".strip(), tx) for x in data.secciones for n, t, tx in x.subsecciones]
    if textos:
        sheet = workbook.sheet("Textos del plan", [Column("Sección", 40), Column("Texto", 120)])
        for titulo, texto in textos:
            sheet.row([titulo, texto])
    notas = [n for x in data.secciones for n in x.notas] + data.notas_sin_seccion
    if notas:
        sheet = workbook.sheet("Notas sobre la fuente", [Column("Sección", 10), Column("Título", 40), Column("Descripción", 110)])
        for n in notas:
            sheet.row([n.seccion, n.titulo, n.descripcion])
