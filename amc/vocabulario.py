"""The project's shared vocabulary, defined once: government levels, month names as Peru
writes them, and reporting frequencies with the months each period covers.

Every model, filter, import sheet, report and template takes these from here; a code list
typed where it is used drifts (the chart once said "Set" while the admin said "Septiembre").
"""
from __future__ import annotations

from django.db import models


class Nivel(models.TextChoices):
    """The three levels of government, by the codes the plans use."""

    NACIONAL = "GN", "Gobierno Nacional"
    REGIONAL = "GR", "Gobierno Regional"
    LOCAL = "GL", "Gobierno Local"

    @property
    def corto(self) -> str:
        """"Nacional", "Regional", "Local": how a filter or a column heads it."""
        return self.label.removeprefix("Gobierno ")


#: The codes in the documents' order (national, regional, local).
NIVELES = tuple(Nivel.values)


#: Head nouns of organ and entity names that are masculine: «del Despacho…», «de la Oficina…».
NOMBRES_MASCULINOS = ("Despacho", "Viceministerio", "Ministerio", "Gobierno", "Programa", "Servicio", "Centro",
                      "Consejo", "Comité", "Equipo", "Órgano", "Organismo", "Instituto", "Área", "Departamento")


def de_nombre(nombre: str) -> str:
    """«de» with the article a name takes, as the seed cites an organ: «del Despacho
    Viceministerial…», «de la Oficina de Planeamiento»."""
    nombre = (nombre or "").strip()
    if not nombre:
        return ""
    cabeza = nombre.split()[0]
    return f"del {nombre}" if cabeza in NOMBRES_MASCULINOS else f"de la {nombre}"


def nivel_nombre(codigo: str) -> str:
    """"Gobierno Regional" for "GR"; an unknown code is returned as it is."""
    return Nivel(codigo).label if codigo in NIVELES else codigo


def nivel_opciones(*, todos: bool = False) -> list[tuple[str, str]]:
    """(code, short name) for a report's level filter, with "Todos" first when asked."""
    opciones = [(n.value, n.corto) for n in Nivel]
    return [("", "Todos"), *opciones] if todos else opciones


# --- months ----------------------------------------------------------------------------------

#: Month names as Peru writes them (the ninth is *setiembre*), in lower case.
MESES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "setiembre", "octubre",
         "noviembre", "diciembre")
#: Their abbreviations, as Peru abbreviates them («Set.» for setiembre, not «Sep.»), written without
#: the period in table headings and dates ("Set 2015"), as INEI's tables do; imports accept both.
MESES_CORTOS = ("Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Set", "Oct", "Nov", "Dic")
#: (number, name) for a month field.
MES_CHOICES = [(i, nombre.capitalize()) for i, nombre in enumerate(MESES, start=1)]


def mes_nombre(mes: int) -> str:
    """"Setiembre" for 9."""
    return MESES[mes - 1].capitalize()


def mes_corto(mes: int) -> str:
    """"Set" for 9."""
    return MESES_CORTOS[mes - 1]


def _sin_punto(texto: str) -> str:
    return texto.strip().rstrip(".").lower()


#: How people write a month in a cell: "marzo", "Mar", "Mar.", "setiembre", "septiembre", "Sep".
MES_POR_NOMBRE = {
    **{nombre: i for i, nombre in enumerate(MESES, start=1)},
    **{_sin_punto(c): i for i, c in enumerate(MESES_CORTOS, start=1)},
    "septiembre": 9, "sep": 9, "sept": 9,
}


def mes_desde_texto(texto: str) -> int | None:
    """The month number of a name or abbreviation (accents and case as typed), else None."""
    return MES_POR_NOMBRE.get(_sin_punto(texto))


# --- reporting frequencies -----------------------------------------------------------------------

class Frecuencia(models.TextChoices):
    """How often a plan's indicators are reported."""

    MENSUAL = "mensual", "Mensual"
    TRIMESTRAL = "trimestral", "Trimestral"
    SEMESTRAL = "semestral", "Semestral"
    ANUAL = "anual", "Anual"


#: How many months a period of each frequency covers.
MESES_POR_PERIODO = {Frecuencia.MENSUAL: 1, Frecuencia.TRIMESTRAL: 3, Frecuencia.SEMESTRAL: 6, Frecuencia.ANUAL: 12}
ROMANOS = ("I", "II", "III", "IV")


def periodos_por_anio(frecuencia: str) -> int:
    """12 months, 4 quarters, 2 half-years or 1 year."""
    return 12 // MESES_POR_PERIODO[frecuencia]


def meses_del_periodo(frecuencia: str, numero: int) -> list[int]:
    """The months of the year (1-12) that period `numero` of `frecuencia` covers."""
    n = MESES_POR_PERIODO[frecuencia]
    return list(range((numero - 1) * n + 1, numero * n + 1))


def periodo_nombre(frecuencia: str, anio: int, numero: int) -> str:
    """"Marzo 2015", "I trimestre 2015", "II semestre 2015", "Año 2015"."""
    if frecuencia == Frecuencia.MENSUAL:
        return f"{mes_nombre(numero)} {anio}"
    if frecuencia == Frecuencia.TRIMESTRAL:
        return f"{ROMANOS[numero - 1]} trimestre {anio}"
    if frecuencia == Frecuencia.SEMESTRAL:
        return f"{ROMANOS[numero - 1]} semestre {anio}"
    return f"Año {anio}"


def periodo_nombre_corto(frecuencia: str, anio: int, numero: int) -> str:
    """"Mar 2015", "T1 2015", "S2 2015", "2015"."""
    if frecuencia == Frecuencia.MENSUAL:
        return f"{mes_corto(numero)} {anio}"
    prefijo = {Frecuencia.TRIMESTRAL: "T", Frecuencia.SEMESTRAL: "S"}.get(frecuencia)
    return f"{prefijo}{numero} {anio}" if prefijo else str(anio)


#: "cada trimestre": how a message says how often something is reported.
FRECUENCIA_CADA = {Frecuencia.MENSUAL: "cada mes", Frecuencia.TRIMESTRAL: "cada trimestre",
                   Frecuencia.SEMESTRAL: "cada semestre", Frecuencia.ANUAL: "cada año"}


def cierra_en(frecuencia: str, meses) -> bool:
    """Whether a period of `frecuencia` ends in one of `meses` (months of the year, 1-12): a
    half-yearly indicator is reported in the quarters that end in June and December, a yearly
    one in the period that holds December, a monthly one in every period."""
    n = MESES_POR_PERIODO[frecuencia]
    return any(mes % n == 0 for mes in meses)


# Nouns whose gender their ending does not tell («el problema», «la base legal»).
_MASCULINOS_EN_A = frozenset({"problema", "sistema", "programa", "tema", "día", "mapa", "esquema"})
_FEMENINOS = frozenset({"base", "fuente", "clase", "red", "parte", "gente"})


def articulo(nombre: str) -> str:
    """The definite article of a model's verbose name, capitalised to open a sentence: «La» for
    «actividad» or «línea de presupuesto», «El» for «indicador» or «problema», «Los»/«Las» for a
    plural («logros del periodo»). The admin's messages use it (amc.admin.MensajesMixin)."""
    palabra = (nombre.split() or [""])[0].lower()
    plural = palabra.endswith("s") and not palabra.endswith(("és", "ís", "ós", "ús", "mes"))
    singular = palabra
    if plural:  # «entidades» → «entidad», «logros» → «logro»
        singular = palabra[:-2] if palabra.endswith("es") and palabra[-3] not in "aeiouáéíóú" else palabra[:-1]
    femenino = singular in _FEMENINOS or (
        singular not in _MASCULINOS_EN_A and singular.endswith(("a", "ción", "sión", "dad", "tud", "umbre")))
    if plural:
        return "Las" if femenino else "Los"
    return "La" if femenino else "El"
