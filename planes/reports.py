"""The whole plan as one document, in the order of the source document: cover, table of
contents, part A (background), part B (the service, diagnosis, implementation plan, with
every matrix and the budget), the narrative sections and the notes on the source where they
apply. Sections the data does not hold are left out; part headings stay.

`documento(plan=...)` composes the other reports' functions (matrices.reports,
presupuesto.reports), so the document shows exactly the tables their pages show.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from amc.excel import Column
from matrices import reports as mr
from matrices.models import Problema, Producto, Resultado
from planes.models import (
    AccionEstrategica, BaseLegal, Declaracion, Estrategia, FuncionNivel, HallazgoEvaluacion, MiembroEquipo,
    Objetivo, OrganoResponsable, Plan, SeccionNarrativa, ServicioPrestado,
)
from presupuesto import reports as pr


def _norm(numero: str) -> str:
    text = unicodedata.normalize("NFKD", numero or "").encode("ascii", "ignore").decode()
    return text.upper().replace(" ", "").rstrip(".")


@dataclass
class Seccion:
    """One heading of the document, with its narrative text, its table (kind + block), the
    narrative sub-sections that belong under it (11.1, 11.2) and its notes on the source."""

    key: str
    numero: str
    titulo: str
    nivel: int = 2  # 1 part, 2 section, 3 sub-section
    kind: str = ""
    block: Any = None
    texto: str = ""
    subsecciones: list[tuple[str, str, str]] = field(default_factory=list)  # (numero, titulo, texto)
    notas: list[mr.Nota] = field(default_factory=list)
    siempre: bool = False  # part headings are shown even when empty

    @property
    def anchor(self) -> str:
        return "sec-" + "".join(ch if ch.isalnum() else "-" for ch in self.key.lower())

    @property
    def encabezado(self) -> str:
        if not self.numero:
            return self.titulo
        return f"{self.numero} {self.titulo}"

    @property
    def tiene_contenido(self) -> bool:
        return bool(self.siempre or self.texto or self.subsecciones or self.notas or _has_rows(self.kind, self.block))


def _has_rows(kind: str, block) -> bool:
    if not kind or block is None:
        return False
    if kind in ("texto_plano",):
        return bool(block)
    if isinstance(block, (list, tuple, dict)):
        return bool(block)
    checks = {
        "analisis_causal": lambda b: bool(b.problemas),
        "alternativas": lambda b: any(p.grupos for p in b.problemas),
        "priorizadas": lambda b: any(p.grupos for p in b.priorizadas),
        "alineamiento": lambda b: bool(b.marcos),
        "roles": lambda b: bool(b.fases),
        "indicadores": lambda b: bool(b.resultados),
        "matriz_logica": lambda b: any(o for bl in b.bloques for o in bl.objetivos),
        "presupuesto": lambda b: bool(b.lineas),
    }
    return checks.get(kind, lambda b: True)(block)


@dataclass
class Miembro:
    nombre: str
    organo: str
    cargo: str
    en_representacion_de: str
    nota: str


@dataclass
class EquipoEntidad:
    entidad: str
    documento: str
    miembros: list[Miembro]


@dataclass
class Documento:
    plan: Plan
    entidades: list[mr.EntidadRef]
    secciones: list[Seccion]
    notas_sin_seccion: list[mr.Nota]

    @property
    def visibles(self) -> list[Seccion]:
        return [s for s in self.secciones if s.tiene_contenido]

    def seccion(self, key: str) -> Seccion | None:
        return next((s for s in self.secciones if s.key == key), None)


# The source document's skeleton: (key, numero, title, heading level, aliases of the
# narrative sections' `numero` that fill it).
SKELETON: list[tuple[str, str, str, int, tuple[str, ...]]] = [
    ("INTRO", "", "Introducción", 1, ("INTRODUCCION", "INTRO", "0")),
    ("A", "A.", "Antecedentes de la propuesta", 1, ("A",)),
    ("A.I", "I.", "Marco legal", 2, ("A.I",)),
    ("A.II", "II.", "Objetivo de políticas en materia de trabajo y promoción del empleo", 2, ("A.II",)),
    ("A.III", "III.", "Caracterización del servicio", 2, ("A.III",)),
    ("A.IV", "IV.", "Alcance de la propuesta", 2, ("A.IV",)),
    ("A.V", "V.", "Finalidad", 2, ("A.V",)),
    ("A.VI", "VI.", "Objetivos", 2, ("A.VI",)),
    ("A.VII", "VII.", "Estrategias", 2, ("A.VII",)),
    ("A.VIII", "VIII.", "Resultados generales de la evaluación del servicio", 2, ("A.VIII",)),
    ("A.IX", "IX.", "Resultados esperados", 2, ("A.IX",)),
    ("A.X", "X.", "Equipo de trabajo técnico intergubernamental", 2, ("A.X",)),
    ("A.XI", "XI.", "Coordinación intergubernamental", 2, ("A.XI",)),
    ("A.XII", "XII.", "Responsables de la implementación", 2, ("A.XII",)),
    ("B", "B.", "Diseño de acciones de mejora continua", 1, ("B",)),
    ("B.I", "I.", "Del servicio evaluado", 2, ("B.I",)),
    ("1", "1.", "Sector", 3, ("1",)),
    ("2", "2.", "Servicio evaluado", 3, ("2",)),
    ("3", "3.", "Gobierno Nacional", 3, ("3",)),
    ("4", "4.", "Gobierno Regional", 3, ("4",)),
    ("5", "5.", "Gobierno Local", 3, ("5",)),
    ("B.II", "II.", "Diagnóstico", 2, ("B.II",)),
    ("6", "6.", "Identificación de los problemas", 3, ("6",)),
    ("7", "7.", "Análisis causal de los problemas identificados", 3, ("7",)),
    ("8", "8.", "Alternativas de solución", 3, ("8",)),
    ("9", "9.", "Selección de alternativas de solución priorizadas", 3, ("9",)),
    ("B.III", "III.", "Plan de implementación", 2, ("B.III",)),
    ("10", "10.", "Diseño de la cadena de valor", 3, ("10",)),
    ("11", "11.", "Alineamiento a los objetivos de la política nacional", 3, ("11",)),
    ("12", "12.", "Roles, competencias y responsabilidades en los tres niveles de gobierno", 3, ("12",)),
    ("13", "13.", "Indicadores, línea de base, medios de verificación, metas y costos", 3, ("13",)),
    ("13.1", "13.1", "Matriz lógica Gobierno Nacional", 3, ("13.1",)),
    ("13.2", "13.2", "Matriz lógica Gobierno Regional", 3, ("13.2",)),
    ("13.L", "", "Matriz lógica Gobierno Local", 3, ()),
    ("13.3", "13.3", "Presupuesto", 3, ("13.3",)),
    ("14", "14.", "Asistencia técnica y/o capacitación", 3, ("14",)),
    ("15", "15.", "Acciones de coordinación y articulación intersectorial", 3, ("15",)),
    ("16", "16.", "Estrategias al cumplimiento de responsabilidades en los tres niveles de gobierno", 3, ("16",)),
    ("17", "17.", "Estrategias de intervenciones conjuntas en asociatividad", 3, ("17",)),
    ("18", "18.", "Cronograma", 3, ("18",)),
]
PARTS = {"A", "B", "B.I", "B.II", "B.III"}
#: Sections whose tables are wide: landscape pages in the (portrait) PDF.
WIDE_KINDS = ("analisis_causal", "alternativas", "priorizadas", "alineamiento", "roles", "indicadores", "matriz_logica",
              "presupuesto", "cadena_valor")


def documento(*, plan: Plan) -> Documento:
    """The whole plan in the document's order. Loads part A (legal basis, visions and
    missions, services, objectives with strategies and actions, findings, team, responsible
    units, functions per level), the narrative sections and all notes, problems and the value
    chain, then the section reports (7, 8-9, 11, 12, 13, 13.1, 13.2, local, 13.3), each at its
    own fixed cost, with the plan's entities, levels and notes read once: 47 queries
    whatever the plan's size (51 when the local level has rows, for its logical matrix)."""
    entidades = mr.participantes(plan)
    secciones = [Seccion(k, n, t, lvl, siempre=k in PARTS) for k, n, t, lvl, _ in SKELETON]
    by_key = {s.key: s for s in secciones}
    alias = {_norm(a): k for k, _, _, _, aliases in SKELETON for a in aliases}

    # Narrative sections: into their slot, or under the slot they are a sub-section of.
    otras: list[tuple[str, str, str]] = []
    for sn in SeccionNarrativa.objects.filter(plan=plan).order_by("orden"):
        key = alias.get(_norm(sn.numero))
        if key:
            s = by_key[key]
            s.texto = "\n\n".join(x for x in (s.texto, sn.texto) if x)
            if sn.titulo and not s.titulo:
                s.titulo = sn.titulo
            continue
        parent = _parent_slot(_norm(sn.numero), alias)
        if parent:
            by_key[parent].subsecciones.append((sn.numero, sn.titulo, sn.texto))
        else:
            otras.append((sn.numero, sn.titulo, sn.texto))

    # Notes on the source, where they apply.
    sin_seccion = []
    for nota in mr.todas_las_notas(plan):
        key = alias.get(_norm(nota.seccion)) or _parent_slot(_norm(nota.seccion), alias)
        if key:
            by_key[key].notas.append(nota)
        else:
            sin_seccion.append(nota)

    # Part A
    by_key["A.I"].kind, by_key["A.I"].block = "marco_legal", list(BaseLegal.objects.filter(plan=plan).order_by("orden"))
    decl = list(Declaracion.objects.filter(plan=plan).select_related("entidad__nivel").order_by("tipo", "entidad__nivel__orden", "entidad__nombre"))
    decl.sort(key=lambda d: (0 if d.tipo == Declaracion.Tipo.VISION else 1, d.entidad.nivel.orden))
    by_key["A.II"].kind, by_key["A.II"].block = "declaraciones", decl
    by_key["A.III"].kind, by_key["A.III"].block = "servicios", list(ServicioPrestado.objects.filter(plan=plan).order_by("letra"))
    for key, value in (("A.IV", plan.alcance), ("A.V", plan.finalidad), ("A.IX", plan.resultados_esperados)):
        if not by_key[key].texto and value:
            by_key[key].texto = value
    acciones = Prefetch("acciones", queryset=AccionEstrategica.objects.order_by("codigo"))
    estrategias = Prefetch("estrategias", queryset=Estrategia.objects.order_by("codigo").prefetch_related(acciones))
    objetivos = list(Objetivo.objects.filter(plan=plan).order_by("numero").prefetch_related(estrategias))
    by_key["A.VI"].kind, by_key["A.VI"].block = "objetivos", objetivos
    by_key["A.VII"].kind, by_key["A.VII"].block = "estrategias", [o for o in objetivos if not o.es_general and o.estrategias.all()]
    hallazgos = list(HallazgoEvaluacion.objects.filter(plan=plan).order_by("materia", "orden"))
    order = {v: i for i, v in enumerate(HallazgoEvaluacion.Materia.values)}
    hallazgos.sort(key=lambda h: (order.get(h.materia, 99), h.orden))
    by_key["A.VIII"].kind, by_key["A.VIII"].block = "hallazgos", _group(hallazgos, lambda h: h.get_materia_display())
    by_key["A.X"].kind, by_key["A.X"].block = "equipo", _equipo(plan)
    responsables = OrganoResponsable.objects.filter(plan=plan).select_related("organo__entidad__nivel").order_by(
        "organo__entidad__nivel__orden", "orden")
    by_key["A.XII"].kind, by_key["A.XII"].block = "responsables", _group(list(responsables), lambda r: r.organo.entidad.nombre)

    # Part B
    by_key["1"].kind, by_key["1"].block = "texto_plano", plan.sector
    by_key["2"].kind, by_key["2"].block = "texto_plano", plan.servicio
    funciones = list(FuncionNivel.objects.filter(plan=plan).select_related("nivel").order_by("nivel__orden", "orden"))
    for key, code in (("3", "GN"), ("4", "GR"), ("5", "GL")):
        by_key[key].kind = "funciones"
        by_key[key].block = _group([f for f in funciones if f.nivel.codigo == code], lambda f: f.apartado)
    by_key["6"].kind, by_key["6"].block = "problemas", list(Problema.objects.filter(plan=plan).order_by("numero"))
    by_key["7"].kind, by_key["7"].block = "analisis_causal", mr.analisis_causal(plan=plan)
    alternativas = mr.alternativas(plan=plan)
    by_key["8"].kind, by_key["8"].block = "alternativas", alternativas
    by_key["9"].kind, by_key["9"].block = "priorizadas", alternativas
    if alternativas.anios:
        by_key["9"].titulo += f" ({', '.join(str(a) for a in alternativas.anios)})"
    by_key["10"].kind, by_key["10"].block = "cadena_valor", _cadena_valor(plan)
    by_key["11"].kind, by_key["11"].block = "alineamiento", mr.alineamiento(plan=plan)
    by_key["12"].kind, by_key["12"].block = "roles", mr.roles(plan=plan)
    by_key["13"].kind, by_key["13"].block = "indicadores", mr.indicadores(plan=plan)
    con_filas = mr.niveles_con_filas(plan)
    for key, code in (("13.1", "GN"), ("13.2", "GR"), ("13.L", "GL")):
        if code in con_filas:
            by_key[key].kind, by_key[key].block = "matriz_logica", mr.matriz_logica(plan=plan, nivel=code)
            by_key[key].block.notas = []  # shown once, under the section heading
    by_key["13.3"].kind, by_key["13.3"].block = "presupuesto", pr.presupuesto(plan=plan)
    by_key["13.3"].block.notas = []
    # The section reports carry their own notes; in the document each note is shown once,
    # with its section (already collected above).
    for key in ("7", "11", "12", "13"):
        by_key[key].block.notas = []
    alternativas.notas, alternativas.notas_priorizadas = [], []

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


def _group(items, key) -> list[tuple[str, list]]:
    groups: list[tuple[str, list]] = []
    for item in items:
        k = key(item)
        if not groups or groups[-1][0] != k:
            groups.append((k, []))
        groups[-1][1].append(item)
    return groups


def _equipo(plan: Plan) -> list[EquipoEntidad]:
    miembros = MiembroEquipo.objects.filter(plan=plan).select_related("entidad__nivel", "organo", "en_representacion_de").order_by(
        "entidad__nivel__orden", "entidad__nombre", "orden")
    result: list[EquipoEntidad] = []
    for m in miembros:
        if not result or result[-1].entidad != m.entidad.nombre:
            result.append(EquipoEntidad(m.entidad.nombre, m.documento_designacion, []))
        if m.documento_designacion and not result[-1].documento:
            result[-1].documento = m.documento_designacion
        result[-1].miembros.append(Miembro(m.nombre, m.organo.nombre if m.organo else "", m.cargo,
                                           m.en_representacion_de.nombre if m.en_representacion_de else "", m.nota))
    return result


@dataclass
class CadenaValor:
    finales: list[str]
    intermedios: list[tuple[str, list[str]]]  # (intermediate result, its products)


def _cadena_valor(plan: Plan) -> CadenaValor | None:
    resultados = list(Resultado.objects.filter(plan=plan).order_by("orden").prefetch_related(
        Prefetch("productos", queryset=Producto.objects.order_by("orden"))))
    if not resultados:
        return None
    return CadenaValor(
        [r.enunciado for r in resultados if r.tipo == Resultado.Tipo.FINAL],
        [(r.enunciado, [p.enunciado for p in r.productos.all()]) for r in resultados if r.tipo == Resultado.Tipo.INTERMEDIO],
    )


def documento_xlsx(data: Documento, workbook) -> None:
    """Every table of the document, one sheet each, in the document's order; then the
    narrative texts and the notes on the source, so the workbook holds the whole plan."""
    s = data.seccion
    if s("A.I").block:
        sheet = workbook.sheet("A.I Marco legal", [Column("N°", 6, "integer"), Column("Norma", 38), Column("Denominación", 90)])
        for b in s("A.I").block:
            sheet.row([b.orden, f"{b.tipo} {b.numero}".strip(), b.titulo])
    if s("A.II").block:
        sheet = workbook.sheet("A.II Visión y misión", [Column("Tipo", 10), Column("Entidad", 40), Column("Texto", 100)])
        for d in s("A.II").block:
            sheet.row([d.get_tipo_display(), d.entidad.nombre, d.texto])
    if s("A.III").block:
        sheet = workbook.sheet("A.III Servicios", [Column("Literal", 8), Column("Servicio", 70)])
        for x in s("A.III").block:
            sheet.row([x.letra, x.nombre])
    if s("A.VI").block:
        sheet = workbook.sheet("A.VI-VII Objetivos", [Column("Objetivo", 60), Column("Estrategia", 50), Column("Acción", 60)])
        for o in s("A.VI").block:
            first = sheet.next_row
            label = f"{o}: {o.enunciado}"
            rows = [(e, a) for e in o.estrategias.all() for a in (list(e.acciones.all()) or [None])] or [(None, None)]
            for e, a in rows:
                sheet.row([label if sheet.next_row == first else None,
                           f"{e.codigo} {e.enunciado}" if e else None, f"{a.codigo} {a.enunciado}" if a else None])
            sheet.merge_down(1, first, sheet.next_row - 1)
    if s("A.VIII").block:
        sheet = workbook.sheet("A.VIII Evaluación", [Column("Materia", 26), Column("Resultado de la evaluación", 110)])
        for materia, items in s("A.VIII").block:
            first = sheet.next_row
            for h in items:
                sheet.row([materia if sheet.next_row == first else None, h.texto])
            sheet.merge_down(1, first, sheet.next_row - 1)
    if s("A.X").block:
        sheet = workbook.sheet("A.X Equipo técnico", [Column("Entidad", 36), Column("Designado con", 26), Column("Nombre", 30),
                                                      Column("Órgano", 50), Column("En representación de", 26), Column("Nota", 40)])
        for g in s("A.X").block:
            first = sheet.next_row
            for m in g.miembros:
                sheet.row([g.entidad if sheet.next_row == first else None, g.documento if sheet.next_row == first else None,
                           m.nombre, m.organo or m.cargo, m.en_representacion_de, m.nota])
            sheet.merge_down(1, first, sheet.next_row - 1)
            sheet.merge_down(2, first, sheet.next_row - 1)
    if s("A.XII").block:
        sheet = workbook.sheet("A.XII Responsables", [Column("Entidad", 40), Column("Órgano", 60), Column("Función en el plan", 50)])
        for entidad, items in s("A.XII").block:
            first = sheet.next_row
            for r in items:
                sheet.row([entidad if sheet.next_row == first else None, r.organo.nombre, r.funcion])
            sheet.merge_down(1, first, sheet.next_row - 1)
    funciones = [(s(k).titulo, s(k).block) for k in ("3", "4", "5") if s(k).block]
    if funciones:
        sheet = workbook.sheet("B.I Funciones por nivel", [Column("Nivel", 20), Column("Apartado", 34), Column("Literal", 8), Column("Función", 100)])
        for nivel, groups in funciones:
            for apartado, items in groups:
                for f in items:
                    sheet.row([nivel, apartado, f.literal, f.texto])
    if s("6").block:
        sheet = workbook.sheet("6 Problemas", [Column("N°", 6, "integer"), Column("Problema", 100)])
        for p in s("6").block:
            sheet.row([p.numero, p.enunciado])
    if _has_rows("analisis_causal", s("7").block):
        mr.analisis_causal_xlsx(s("7").block, workbook)
    if s("8").block is not None:
        mr.alternativas_xlsx(s("8").block, workbook)
    cadena = s("10").block
    if cadena:
        sheet = workbook.sheet("10 Cadena de valor", [Column("Resultado final", 40), Column("Resultado intermedio", 45), Column("Producto", 50)])
        final = "\n".join(cadena.finales)
        first = sheet.next_row
        for intermedio, productos in cadena.intermedios or [("", [])]:
            i_first = sheet.next_row
            for producto in productos or [""]:
                sheet.row([final if sheet.next_row == first else None, intermedio if sheet.next_row == i_first else None, producto])
            sheet.merge_down(2, i_first, sheet.next_row - 1)
        sheet.merge_down(1, first, sheet.next_row - 1)
    if _has_rows("alineamiento", s("11").block):
        mr.alineamiento_xlsx(s("11").block, workbook)
    if _has_rows("roles", s("12").block):
        mr.roles_xlsx(s("12").block, workbook)
    if _has_rows("indicadores", s("13").block):
        mr.indicadores_xlsx(s("13").block, workbook)
    for key in ("13.1", "13.2", "13.L"):
        if s(key).block is not None:
            mr.matriz_logica_xlsx(s(key).block, workbook)
    if _has_rows("presupuesto", s("13.3").block):
        pr.presupuesto_xlsx(s("13.3").block, workbook)

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
