"""The vocabulary every report shares: the plan's entities and levels as reports name them,
the notes on the source, and the level and entity filters of a report page.

Feature apps (matrices, presupuesto, cronograma, seguimiento) and the whole-plan document
build on these; none of them owns them.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Collection, Sequence

from amc.reports import FilterField, choice_param
from amc.vocabulario import nivel_nombre
from planes.models import NivelGobierno, NotaFuente, Plan, PlanEntidad


@dataclass(frozen=True)
class EntidadRef:
    id: int
    codigo: str
    nombre: str
    sigla: str
    nivel_codigo: str
    nivel_nombre: str
    # the entity it belongs to (Gobierno Regional de Puno), when read with it; not part of its identity
    padre_nombre: str = field(default="", compare=False)

    @property
    def corto(self) -> str:
        return self.sigla or self.nombre


@dataclass(frozen=True)
class NivelRef:
    codigo: str
    nombre: str
    entidades: tuple[str, ...] = ()  # short names of the plan's entities at this level

    @property
    def etiqueta(self) -> str:
        """"Nacional (MTPE)", as the document heads its level columns."""
        return f"{self.nombre} ({', '.join(self.entidades)})" if self.entidades else self.nombre


@dataclass(frozen=True)
class Nota:
    """A note on the source (planes.NotaFuente) shown with the section it concerns."""

    seccion: str
    titulo: str
    descripcion: str


def entidad_ref(entidad) -> EntidadRef:
    return EntidadRef(entidad.id, entidad.codigo, entidad.nombre, entidad.sigla, entidad.nivel.codigo, entidad.nivel.nombre)


def cached_per_plan(plan: Plan, key: str, load):
    """Read once per plan object: the plan document composes several section reports, and
    each would otherwise read the plan's entities, levels and notes again. The plan object
    lives for one request (or one call), so this never serves stale rows."""
    cache = plan.__dict__.setdefault("_amc_report_cache", {})
    if key not in cache:
        cache[key] = load()
    return cache[key]


def participantes(plan: Plan) -> list[EntidadRef]:
    """The plan's entities by level and their order in the plan (1 query, once per plan object)."""
    def load():
        rows = (
            PlanEntidad.objects.filter(plan=plan).select_related("entidad__nivel", "entidad__padre")
            .order_by("entidad__nivel__orden", "orden", "entidad__nombre")
        )
        return [replace(entidad_ref(pe.entidad), padre_nombre=pe.entidad.padre.nombre if pe.entidad.padre else "")
                for pe in rows]

    return list(cached_per_plan(plan, "participantes", load))


def _niveles(plan: Plan) -> list[tuple[int, str, str]]:
    """(key, code, name) of the three levels (1 query, once per plan object)."""
    return cached_per_plan(plan, "niveles", lambda: [(n.pk, n.codigo, n.nombre) for n in NivelGobierno.objects.order_by("orden")])


def niveles(plan: Plan, entidades: Sequence[EntidadRef]) -> list[NivelRef]:
    """The three levels, each with the plan's entities at it (1 query, once per plan object)."""
    return [NivelRef(c, nombre, tuple(e.corto for e in entidades if e.nivel_codigo == c)) for _, c, nombre in _niveles(plan)]


def codigos_de_nivel(plan: Plan) -> dict[int, str]:
    """The levels' codes by key (`niveles`' query, once per plan object)."""
    return {pk: c for pk, c, _ in _niveles(plan)}


def filas(modelo, a_la_fecha=None):
    """Today's rows of `modelo`, or its rows as they were at `a_la_fecha`, read from its history
    (the plan as signed: `version_filter`). The plan's structure (`ciclo.estructura`) has a
    history row of every row from the signing on; a row read from the history is an instance of
    `modelo` whose related objects are today's: a report reads them through its own queries."""
    return modelo.objects if a_la_fecha is None else modelo.history.as_of(a_la_fecha)


def agrupadas(filas_, campo: str) -> dict:
    """`filas_` grouped by the value of their `campo` (a foreign key's `..._id`), in their order."""
    grupos: dict = {}
    for fila in filas_:
        grupos.setdefault(getattr(fila, campo), []).append(fila)
    return grupos


def todas_las_notas(plan: Plan) -> list[Nota]:
    """All the plan's notes on the source, by section (1 query, once per plan object)."""
    return list(cached_per_plan(plan, "notas", lambda: [
        Nota(n.seccion, n.titulo, n.descripcion) for n in NotaFuente.objects.filter(plan=plan).order_by("seccion", "orden")
    ]))


def notas_fuente(plan: Plan, *secciones: str) -> list[Nota]:
    """The plan's notes on the source for these sections (see `todas_las_notas`)."""
    return [n for n in todas_las_notas(plan) if n.seccion in secciones]


def notas_xlsx(sheet, notas: Sequence[Nota], *, skip: bool = True) -> None:
    """The notes on the source under a sheet's table, after an empty row."""
    if notas and skip:
        sheet.skip()
    for n in notas:
        sheet.note(f"Nota sobre la fuente ({n.seccion}) – {n.titulo}: {n.descripcion}")


# --- the filters of a report page -----------------------------------------------------------------

def entidad_options(entidades: Sequence[EntidadRef]) -> list[tuple[str, str]]:
    return [("", "Todas")] + [(e.codigo, e.corto) for e in entidades]


def entidad_filter(request, entidades: Sequence[EntidadRef]) -> tuple[str, FilterField]:
    """`?entidad=<code>` among `entidades` ("" for all), and its filter field."""
    codigo = choice_param(request, "entidad", [e.codigo for e in entidades], label="Entidad")
    return codigo, FilterField("entidad", "Entidad", entidad_options(entidades), codigo)


#: A report page that would show more entities than this opens on one of them (with a chooser):
#: a national plan's tracking report or dashboard whole is thousands of rows, too heavy for a page.
ENTIDADES_EN_UNA_PAGINA = 5
#: The chooser's value for «all the entities» on such a page (files and small plans need none).
TODAS = "todas"


def entidad_filter_paginado(request, entidades: Sequence[EntidadRef], *, pagina: bool,
                            con_datos: Callable[[], Collection[int]] = tuple) -> tuple[str, FilterField]:
    """The entity filter of a report that may be too large for one page: `?entidad=<code>`, or
    `?entidad=todas` for all. Absent, a page (`pagina`) of a plan with more than
    ENTIDADES_EN_UNA_PAGINA entities shows the user's own entity when it has data in the report
    (`con_datos()`: entity ids, called only then), else the first entity that has, else the
    first; a smaller plan's page and every file (PDF, Excel) show them all.
    Returns the chosen code ("" for all) and the filter field."""
    codigos = [e.codigo for e in entidades]
    codigo = choice_param(request, "entidad", [TODAS, *codigos], label="Entidad")
    if not codigo and pagina and len(entidades) > ENTIDADES_EN_UNA_PAGINA:
        propia = getattr(request.user, "entidad_id", None)
        ids = con_datos()
        elegibles = [e for e in entidades if e.id in ids] or list(entidades)
        codigo = next((e.codigo for e in elegibles if e.id == propia), elegibles[0].codigo)
    codigo = "" if codigo == TODAS else codigo
    opciones = [(TODAS, "Todas")] + [(e.codigo, e.corto) for e in entidades]
    return codigo, FilterField("entidad", "Entidad", opciones, codigo or TODAS)


#: `?version=` of a report of a signed plan: the plan as signed, or as amended today.
VERSION_SUSCRITA, VERSION_VIGENTE = "suscrito", "vigente"


def titulo_version(titulo: str, plan: Plan, a_la_fecha) -> str:
    """A report's title, naming the version when it shows the plan as signed."""
    if a_la_fecha is not None and plan.fecha_suscripcion:
        return f"{titulo}, como se suscribió el {plan.fecha_suscripcion:%d/%m/%Y}"
    return titulo


def con_version(filtros: list, filtro_version: FilterField | None) -> list:
    """A report's filters, with «Versión» when the plan is signed (`version_filter`)."""
    return filtros + [filtro_version] if filtro_version is not None else filtros


def version_filter(request, plan: Plan) -> tuple[object, FilterField | None]:
    """`?version=suscrito|vigente` on a signed plan: the moment to read the plan's history as of
    (`Plan.suscrito_en`, the signing as recorded; None for today's plan) and its filter field. A
    proposal has one version: no filter, and `?version=suscrito` is refused (a 400)."""
    if plan.suscrito_en is None:
        choice_param(request, "version", [VERSION_VIGENTE], label="Versión")
        return None, None
    opciones = [(VERSION_VIGENTE, "Con modificaciones a hoy"),
                (VERSION_SUSCRITA, f"Como se suscribió ({plan.fecha_suscripcion:%d/%m/%Y})")]
    version = choice_param(request, "version", [v for v, _ in opciones], default=VERSION_VIGENTE, label="Versión")
    return (plan.suscrito_en if version == VERSION_SUSCRITA else None), FilterField("version", "Versión", opciones, version)


__all__ = [
    "EntidadRef", "NivelRef", "Nota", "cached_per_plan", "entidad_ref", "participantes", "niveles", "todas_las_notas", "notas_fuente",
    "notas_xlsx", "entidad_options", "entidad_filter", "nivel_nombre", "ENTIDADES_EN_UNA_PAGINA", "TODAS",
    "entidad_filter_paginado", "version_filter", "con_version", "titulo_version", "filas", "agrupadas", "codigos_de_nivel", "VERSION_SUSCRITA", "VERSION_VIGENTE",
]
