"""The plan's diagnosis and design (seed part B): problems, causes per entity,
alternatives, prioritised alternatives, alignment to national objectives, the roles
matrix, the results chain with its logical matrix per level, and indicators."""
from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from amc.auditoria import auditar
from amc.db import AmcModel
from amc.vocabulario import Frecuencia
from planes.models import Entidad, NivelGobierno, Plan, PlanEntidad, PlanPiece, year_check

LETTER_RE = r"^[a-z]$"


def letter_check(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(letra__regex=LETTER_RE), name=name,
        violation_error_message="La letra es una sola letra minúscula (a, b, c…).",
    )


def non_negative(field: str, name: str, label: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True}), name=name,
        violation_error_message=f"{label} no puede ser negativo.",
    )


class Problema(PlanPiece):
    """A problem of the service identified in the diagnosis (section 6), numbered 1..n."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="problemas", verbose_name="plan")
    numero = models.PositiveSmallIntegerField("número")
    enunciado = models.TextField("enunciado")

    natural_key_fields = ("plan", "numero")

    class Meta:
        verbose_name = "problema"
        verbose_name_plural = "problemas"
        ordering = ["plan", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "numero"], name="problema_numero_unico"),
            models.CheckConstraint(condition=Q(numero__gte=1), name="problema_numero_positivo",
                                   violation_error_message="El número del problema empieza en 1."),
        ]

    def __str__(self):
        return f"{self.numero}. {self.enunciado}"


class Causa(AmcModel):
    """A cause of a problem as one entity sees it (section 7), lettered a, b, c …"""

    problema = models.ForeignKey(Problema, models.CASCADE, related_name="causas", verbose_name="problema")
    entidad = models.ForeignKey(Entidad, models.PROTECT, related_name="causas", verbose_name="entidad")
    # Letters skip in the source (DRTPE problem 3 goes a, b, e …); people cite causes by letter.
    letra = models.CharField("letra", max_length=1)
    texto = models.TextField("texto")

    natural_key_fields = ("problema", "entidad", "letra")
    owner_field = "entidad"
    plan_field = "problema__plan"

    class Meta:
        verbose_name = "causa"
        verbose_name_plural = "causas"
        ordering = ["problema__plan", "problema__numero", "entidad__nivel__orden", "entidad__nombre", "letra"]
        constraints = [
            models.UniqueConstraint(fields=["problema", "entidad", "letra"], name="causa_letra_unica"),
            letter_check("causa_letra_formato"),
        ]

    def __str__(self):
        return f"Causa {self.problema.numero}.{self.letra} ({self.entidad})"

    def clean(self):
        check_entity_in_plan(self.entidad_id, self.problema.plan_id if self.problema_id else None)


def check_entity_in_plan(entidad_id, plan_id, field: str = "entidad") -> None:
    if entidad_id and plan_id and not PlanEntidad.objects.filter(plan_id=plan_id, entidad_id=entidad_id).exists():
        raise ValidationError({field: "La entidad no participa en este plan."})


class SubpuntoCausa(AmcModel):
    """A sub-point that explains a cause (the bullets under a cause)."""

    causa = models.ForeignKey(Causa, models.CASCADE, related_name="subpuntos", verbose_name="causa")
    orden = models.PositiveSmallIntegerField("orden")
    texto = models.TextField("texto")

    natural_key_fields = ("causa", "orden")
    owner_field = "causa__entidad"
    plan_field = "causa__problema__plan"

    class Meta:
        verbose_name = "subpunto de causa"
        verbose_name_plural = "subpuntos de causa"
        ordering = ["causa", "orden"]
        constraints = [models.UniqueConstraint(fields=["causa", "orden"], name="subpunto_orden_unico")]

    def __str__(self):
        return f"{self.causa} · {self.orden}"


class Alternativa(AmcModel):
    """An alternative solution (section 8), lettered as the cause it answers; some have
    numbered sub-items instead of a text of their own."""

    problema = models.ForeignKey(Problema, models.CASCADE, related_name="alternativas", verbose_name="problema")
    entidad = models.ForeignKey(Entidad, models.PROTECT, related_name="alternativas", verbose_name="entidad")
    letra = models.CharField("letra", max_length=1)
    causa = models.ForeignKey(
        Causa, models.SET_NULL, null=True, blank=True, related_name="alternativas", verbose_name="causa",
        help_text="La causa que atiende, cuando el documento la identifica por su letra.",
    )
    texto = models.TextField("texto", blank=True)

    natural_key_fields = ("problema", "entidad", "letra")
    owner_field = "entidad"
    plan_field = "problema__plan"

    class Meta:
        verbose_name = "alternativa"
        verbose_name_plural = "alternativas"
        ordering = ["problema__plan", "problema__numero", "entidad__nivel__orden", "entidad__nombre", "letra"]
        constraints = [
            models.UniqueConstraint(fields=["problema", "entidad", "letra"], name="alternativa_letra_unica"),
            letter_check("alternativa_letra_formato"),
        ]

    def __str__(self):
        return f"Alternativa {self.problema.numero}.{self.letra} ({self.entidad})"

    def clean(self):
        check_entity_in_plan(self.entidad_id, self.problema.plan_id if self.problema_id else None)
        if self.causa_id and (self.causa.problema_id != self.problema_id or self.causa.entidad_id != self.entidad_id):
            raise ValidationError({"causa": "La causa debe ser del mismo problema y de la misma entidad."})


class SubitemAlternativa(AmcModel):
    """A numbered sub-item of an alternative (1., 2., 3.)."""

    alternativa = models.ForeignKey(Alternativa, models.CASCADE, related_name="subitems", verbose_name="alternativa")
    numero = models.PositiveSmallIntegerField("número")
    texto = models.TextField("texto")

    natural_key_fields = ("alternativa", "numero")
    owner_field = "alternativa__entidad"
    plan_field = "alternativa__problema__plan"

    class Meta:
        verbose_name = "subítem de alternativa"
        verbose_name_plural = "subítems de alternativa"
        ordering = ["alternativa", "numero"]
        constraints = [models.UniqueConstraint(fields=["alternativa", "numero"], name="subitem_numero_unico")]

    def __str__(self):
        return f"{self.alternativa} · {self.numero}"


class AlternativaPriorizada(AmcModel):
    """An alternative chosen for a year (section 9: prioritised for the short term, 2015).
    Section 9 letters its own list, so it keeps its own letter and text."""

    problema = models.ForeignKey(Problema, models.CASCADE, related_name="priorizadas", verbose_name="problema")
    entidad = models.ForeignKey(Entidad, models.PROTECT, related_name="priorizadas", verbose_name="entidad")
    anio = models.PositiveSmallIntegerField("año")
    letra = models.CharField("letra", max_length=1)
    texto = models.TextField("texto")
    alternativa = models.ForeignKey(
        Alternativa, models.SET_NULL, null=True, blank=True, related_name="priorizaciones", verbose_name="alternativa de origen",
    )

    natural_key_fields = ("problema", "entidad", "anio", "letra")
    owner_field = "entidad"
    plan_field = "problema__plan"

    class Meta:
        verbose_name = "alternativa priorizada"
        verbose_name_plural = "alternativas priorizadas"
        ordering = ["problema__plan", "anio", "problema__numero", "entidad__nivel__orden", "letra"]
        constraints = [
            models.UniqueConstraint(fields=["problema", "entidad", "anio", "letra"], name="priorizada_letra_unica"),
            letter_check("priorizada_letra_formato"),
            year_check("anio", "priorizada_anio_rango"),
        ]

    def __str__(self):
        return f"Priorizada {self.anio} {self.problema.numero}.{self.letra} ({self.entidad})"

    def clean(self):
        if self.problema_id:
            check_entity_in_plan(self.entidad_id, self.problema.plan_id)
            self.problema.plan.check_year(self.anio)


class ObjetivoNacional(PlanPiece):
    """A national policy objective the plan aligns to (section 11): an Acuerdo Nacional
    objective or a Plan Bicentenario specific objective."""

    class Marco(models.TextChoices):
        ACUERDO_NACIONAL = "acuerdo_nacional", "Acuerdo Nacional"
        PLAN_BICENTENARIO = "plan_bicentenario", "Plan Bicentenario"
        PLAN_BICENTENARIO_ACTUALIZADO = "plan_bicentenario_ceplan", "Plan Bicentenario (actualización CEPLAN)"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="objetivos_nacionales", verbose_name="plan")
    marco = models.CharField("marco", max_length=30, choices=Marco.choices)
    orden = models.PositiveSmallIntegerField("orden")
    codigo = models.CharField("código", max_length=40, blank=True, help_text="p. ej. «Objetivo específico 5».")
    enunciado = models.TextField("enunciado")
    detalle = models.TextField("política o detalle", blank=True)

    natural_key_fields = ("plan", "marco", "orden")

    class Meta:
        verbose_name = "objetivo nacional"
        verbose_name_plural = "alineamiento: objetivos nacionales"
        ordering = ["plan", "marco", "orden"]
        constraints = [models.UniqueConstraint(fields=["plan", "marco", "orden"], name="objetivo_nacional_unico")]

    def __str__(self):
        return f"{self.get_marco_display()}: {self.enunciado[:60]}"


class IndicadorNacional(PlanPiece):
    """An indicator of a national objective, with baseline, trend and targets as the source
    writes them ("42,7%", "51,6% (2009)")."""

    objetivo = models.ForeignKey(ObjetivoNacional, models.CASCADE, related_name="indicadores", verbose_name="objetivo nacional")
    numero = models.CharField("N°", max_length=10)
    nombre = models.TextField("indicador")
    formula = models.TextField("fórmula", blank=True)
    fuente = models.CharField("fuente de información", max_length=200, blank=True)
    linea_base = models.CharField("línea de base", max_length=60, blank=True)
    linea_base_anio = models.PositiveSmallIntegerField("año de la línea de base", null=True, blank=True)
    tendencia = models.CharField("tendencia al 2021", max_length=60, blank=True)

    natural_key_fields = ("objetivo", "numero")
    owner_field = "objetivo__plan__entidad_responsable"
    plan_field = "objetivo__plan"

    class Meta:
        verbose_name = "indicador nacional"
        verbose_name_plural = "indicadores nacionales"
        ordering = ["objetivo", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["objetivo", "numero"], name="indicador_nacional_unico"),
            year_check("linea_base_anio", "indicador_nacional_lb_anio", nullable=True),
        ]

    def __str__(self):
        return f"{self.numero}. {self.nombre}"


class MetaIndicadorNacional(PlanPiece):
    """A target of a national indicator for a year, as written ("64.5%")."""

    indicador = models.ForeignKey(IndicadorNacional, models.CASCADE, related_name="metas", verbose_name="indicador")
    anio = models.PositiveSmallIntegerField("año")
    valor = models.CharField("meta", max_length=60)

    natural_key_fields = ("indicador", "anio")
    owner_field = "indicador__objetivo__plan__entidad_responsable"
    plan_field = "indicador__objetivo__plan"

    class Meta:
        verbose_name = "meta de indicador nacional"
        verbose_name_plural = "metas de indicadores nacionales"
        ordering = ["indicador", "anio"]
        constraints = [
            models.UniqueConstraint(fields=["indicador", "anio"], name="meta_nacional_unica"),
            year_check("anio", "meta_nacional_anio_rango"),
        ]

    def __str__(self):
        return f"Meta {self.anio}: {self.valor}"


class Fase(models.TextChoices):
    """Phases of the roles matrix (section 12)."""

    POLITICA = "politica", "Política"
    PLANEAMIENTO = "planeamiento", "Planeamiento"
    FINANCIAMIENTO = "financiamiento", "Financiamiento"
    EJECUCION = "ejecucion", "Ejecución"
    MONITOREO = "monitoreo_evaluacion", "Monitoreo y evaluación"


FASE_ORDER = {value: i for i, value in enumerate(Fase.values)}


class FilaRoles(PlanPiece):
    """A row of the roles matrix (section 12): in one phase, what each level does."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="filas_roles", verbose_name="plan")
    fase = models.CharField("fase", max_length=30, choices=Fase.choices)
    orden = models.PositiveSmallIntegerField("orden")

    natural_key_fields = ("plan", "orden")

    class Meta:
        verbose_name = "fila de la matriz de roles"
        verbose_name_plural = "matriz de roles"
        ordering = ["plan", "orden"]
        constraints = [models.UniqueConstraint(fields=["plan", "orden"], name="fila_roles_orden_unico")]

    def __str__(self):
        return f"{self.get_fase_display()} · fila {self.orden}"


class CeldaRol(PlanPiece):
    """The role of one level in one row of the roles matrix."""

    fila = models.ForeignKey(FilaRoles, models.CASCADE, related_name="celdas", verbose_name="fila")
    nivel = models.ForeignKey(NivelGobierno, models.PROTECT, related_name="celdas_rol", verbose_name="nivel de gobierno")
    texto = models.TextField("rol")

    natural_key_fields = ("fila", "nivel")
    owner_field = "fila__plan__entidad_responsable"
    plan_field = "fila__plan"

    class Meta:
        verbose_name = "rol por nivel"
        verbose_name_plural = "roles por nivel"
        ordering = ["fila", "nivel__orden"]
        constraints = [models.UniqueConstraint(fields=["fila", "nivel"], name="celda_rol_unica")]

    def __str__(self):
        return f"{self.nivel}: {self.texto[:50]}"


class Resultado(PlanPiece):
    """A result of the results chain: the final result or an intermediate result."""

    class Tipo(models.TextChoices):
        FINAL = "final", "Resultado final"
        INTERMEDIO = "intermedio", "Resultado intermedio"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="resultados", verbose_name="plan")
    tipo = models.CharField("tipo", max_length=12, choices=Tipo.choices)
    orden = models.PositiveSmallIntegerField("orden")
    enunciado = models.TextField("enunciado")
    resultado_final = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="intermedios", verbose_name="resultado final",
        limit_choices_to={"tipo": "final"},
    )

    natural_key_fields = ("plan", "tipo", "orden")

    class Meta:
        verbose_name = "resultado"
        verbose_name_plural = "resultados"
        ordering = ["plan", "-tipo", "orden"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "tipo", "orden"], name="resultado_orden_unico"),
            models.CheckConstraint(
                condition=Q(tipo="final", resultado_final__isnull=True) | Q(tipo="intermedio"),
                name="resultado_final_sin_padre",
                violation_error_message="Un resultado final no depende de otro resultado.",
            ),
        ]

    def __str__(self):
        return self.enunciado

    def clean(self):
        if self.resultado_final_id and self.resultado_final.plan_id != self.plan_id:
            raise ValidationError({"resultado_final": "El resultado final debe ser del mismo plan."})


class Producto(PlanPiece):
    """A product of the results chain, under an intermediate result."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="productos", verbose_name="plan")
    resultado = models.ForeignKey(Resultado, models.PROTECT, related_name="productos", verbose_name="resultado intermedio",
                                  limit_choices_to={"tipo": "intermedio"})
    orden = models.PositiveSmallIntegerField("orden")
    enunciado = models.TextField("enunciado")

    natural_key_fields = ("plan", "orden")

    class Meta:
        verbose_name = "producto"
        verbose_name_plural = "productos"
        ordering = ["plan", "orden"]
        constraints = [models.UniqueConstraint(fields=["plan", "orden"], name="producto_orden_unico")]

    def __str__(self):
        return self.enunciado

    def clean(self):
        if self.resultado_id and self.resultado.plan_id != self.plan_id:
            raise ValidationError({"resultado": "El resultado debe ser del mismo plan."})


class Actividad(AmcModel):
    """An activity of the logical matrix, owned by one entity (and so by its level of
    government), under a product."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="actividades", verbose_name="plan")
    producto = models.ForeignKey(Producto, models.PROTECT, null=True, blank=True, related_name="actividades", verbose_name="producto")
    entidad = models.ForeignKey(Entidad, models.PROTECT, related_name="actividades", verbose_name="entidad responsable")
    orden = models.PositiveSmallIntegerField("orden")
    # Two rows of 13.1 have no objective (a split table row in the source): kept empty.
    descripcion = models.TextField("actividad", blank=True)
    fase = models.CharField("fase", max_length=30, choices=Fase.choices, blank=True)

    natural_key_fields = ("plan", "entidad", "orden")
    owner_field = "entidad"

    class Meta:
        verbose_name = "actividad"
        verbose_name_plural = "actividades"
        ordering = ["plan", "entidad__nivel__orden", "entidad__nombre", "orden"]
        constraints = [models.UniqueConstraint(fields=["plan", "entidad", "orden"], name="actividad_orden_unico")]

    def __str__(self):
        return self.descripcion or f"(fila {self.orden} sin objetivo en la fuente)"

    def clean(self):
        check_entity_in_plan(self.entidad_id, self.plan_id)
        if self.producto_id and self.producto.plan_id != self.plan_id:
            raise ValidationError({"producto": "El producto debe ser del mismo plan."})


class Agregacion(models.TextChoices):
    """How an indicator's values over periods add up."""

    SUMA = "suma", "Se suman (p. ej. personas capacitadas en cada periodo)"
    ULTIMO = "ultimo", "Vale el último valor (p. ej. centros implementados a la fecha)"
    NO_ACUMULATIVO = "no_acumulativo", "No se acumulan (p. ej. un porcentaje de cada periodo)"


class Sentido(models.TextChoices):
    """Which way an indicator should move. % achieved and the traffic light of follow-up read
    it (`seguimiento.desempeno`, where the formulas are)."""

    ASCENDENTE = "ascendente", "Ascendente: más es mejor"
    DESCENDENTE = "descendente", "Descendente: menos es mejor (p. ej. una tasa de informalidad)"
    CONSTANTE = "constante", "Constante: mantener el nivel de la meta"


class UnidadCatalogo(models.TextChoices):
    """The units of CEPLAN's planning system (DOMAIN.md): what a catalogue entry measures."""

    NUMERO = "numero", "Número (conteo)"
    CANTIDAD = "cantidad", "Cantidad"
    PORCENTAJE = "porcentaje", "Porcentaje"
    RATIO = "ratio", "Ratio"
    TASA = "tasa", "Tasa"
    INDICE = "indice", "Índice"
    TASA_VARIACION = "tasa_variacion", "Tasa de variación"


#: Counts: a «Nº de…» indicator and one whose unit says «cantidad» measure the same kind of thing.
UNIDADES_CONTEO = frozenset({UnidadCatalogo.NUMERO, UnidadCatalogo.CANTIDAD})

#: How an indicator's own «unidad de medida» (free text) is read; a word not here is a thing
#: counted («Persona», «Servidor», «Taller»), so a count.
_UNIDAD_POR_TEXTO = {
    "%": UnidadCatalogo.PORCENTAJE, "porcentaje": UnidadCatalogo.PORCENTAJE, "por ciento": UnidadCatalogo.PORCENTAJE,
    "ratio": UnidadCatalogo.RATIO, "razon": UnidadCatalogo.RATIO, "tasa": UnidadCatalogo.TASA,
    "indice": UnidadCatalogo.INDICE, "tasa de variacion": UnidadCatalogo.TASA_VARIACION,
    "cantidad": UnidadCatalogo.CANTIDAD, "numero": UnidadCatalogo.NUMERO,
}


def _sin_tildes(texto: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", texto.lower()) if unicodedata.category(c) != "Mn").strip()


class AgregacionEntidades(models.TextChoices):
    """How the values of several entities (regions) add up to a national figure."""

    SUMA = "suma", "Se suman (p. ej. servidores capacitados en cada región)"
    PROMEDIO = "promedio", "Promedio simple de las entidades"
    PONDERADO = "ponderado", "Promedio ponderado por un denominador (otra entrada del catálogo)"


#: The one message of each catalogue rule (the admin, the import and the tests read them here).
NO_SE_SUMA = ("Un {unidad} no se suma entre entidades: dos regiones con 50% no hacen 100%. Elija «promedio» o "
              "«ponderado» (con su denominador).")
FALTA_DENOMINADOR = "Un promedio ponderado necesita su denominador: la entrada del catálogo que da el peso de cada entidad."
DENOMINADOR_SIN_PONDERADO = "El denominador solo se usa en un promedio ponderado: quítelo o elija «ponderado»."
DENOMINADOR_CONTEO = "El denominador debe ser un conteo que se suma (unidad número o cantidad, agregación «suma»)."
UNIDAD_DISTINTA = ("El indicador se mide en {propia} y la entrada «{codigo}» del catálogo en {catalogo}: no se pueden "
                   "comparar ni sumar. Vincúlelo a una entrada de la misma unidad o corrija su unidad de medida.")
SENTIDO_DISTINTO = ("El indicador es {propio} y la entrada «{codigo}» del catálogo es {catalogo}: el % de logro se "
                    "calcularía distinto en cada región. Corrija el sentido del indicador o elija otra entrada.")


class IndicadorCatalogo(AmcModel):
    """An entry of the national indicator catalogue: indicators of different plans that mean
    the same thing («Nº de servidores capacitados» in Puno, Cusco, Arequipa…) link to it, so
    their values can be put side by side and added up by one rule (`agregacion`). Reference
    data, like the entities: the ministry keeps it in the admin."""

    codigo = models.SlugField("código", max_length=60, unique=True)
    nombre = models.CharField("nombre", max_length=300)
    unidad = models.CharField("unidad", max_length=16, choices=UnidadCatalogo.choices)
    sentido = models.CharField("sentido", max_length=12, choices=Sentido.choices, default=Sentido.ASCENDENTE)
    agregacion = models.CharField("cómo se suman las entidades", max_length=10, choices=AgregacionEntidades.choices,
                                  help_text="Cómo se obtiene la cifra nacional a partir de las de cada región.")
    denominador = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="ponderados",
                                    verbose_name="denominador (peso)",
                                    help_text="Solo para el promedio ponderado: la entrada cuyo valor en cada región "
                                              "es el peso de esa región (p. ej. servidores capacitados).")
    descripcion = models.TextField("descripción", blank=True)
    orden = models.PositiveSmallIntegerField("orden", default=0)

    natural_key_fields = ("codigo",)
    owner_field = ""
    plan_field = None

    class Meta:
        verbose_name = "indicador del catálogo"
        verbose_name_plural = "catálogo de indicadores"
        ordering = ["orden", "codigo"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(agregacion="suma") | Q(unidad__in=["numero", "cantidad"]),
                name="catalogo_solo_conteos_se_suman",
                violation_error_message="Solo los conteos (número, cantidad) se suman entre entidades.",
            ),
            models.CheckConstraint(
                condition=Q(agregacion="ponderado", denominador__isnull=False) | (~Q(agregacion="ponderado") & Q(denominador__isnull=True)),
                name="catalogo_denominador_solo_ponderado",
                violation_error_message=FALTA_DENOMINADOR,
            ),
        ]

    def __str__(self):
        return f"{self.codigo} · {self.nombre}"

    @property
    def es_conteo(self) -> bool:
        return self.unidad in UNIDADES_CONTEO

    @property
    def se_suma(self) -> bool:
        """Whether a national total adds up (every rule gives one; `suma` is a total proper)."""
        return self.agregacion == AgregacionEntidades.SUMA

    def clean(self):
        errores = {}
        if self.agregacion == AgregacionEntidades.SUMA and self.unidad and self.unidad not in UNIDADES_CONTEO:
            errores["agregacion"] = NO_SE_SUMA.format(unidad=UnidadCatalogo(self.unidad).label.lower())
        if self.agregacion == AgregacionEntidades.PONDERADO:
            if not self.denominador_id:
                errores["denominador"] = FALTA_DENOMINADOR
            elif self.denominador_id == self.pk or not (self.denominador.es_conteo and self.denominador.se_suma):
                errores["denominador"] = DENOMINADOR_CONTEO
        elif self.denominador_id:
            errores["denominador"] = DENOMINADOR_SIN_PONDERADO
        if errores:
            raise ValidationError(errores)


def unidad_del_indicador(indicador) -> str | None:
    """The catalogue unit an indicator is measured in: its «unidad de medida» when it names one
    («%», «porcentaje», «tasa»…; any other word is a thing counted: a count), else read from its
    name («% de…» a percentage, «Nº de…» a count); None when neither says."""
    texto = _sin_tildes(indicador.unidad_medida or "")
    if texto:
        return _UNIDAD_POR_TEXTO.get(texto, UnidadCatalogo.NUMERO)
    nombre = (indicador.nombre or "").strip()
    if nombre.startswith("%") or _sin_tildes(nombre).startswith("porcentaje"):
        return UnidadCatalogo.PORCENTAJE
    if indicador.es_conteo:
        return UnidadCatalogo.NUMERO
    return None


def catalogo_check(indicador) -> dict[str, str]:
    """Why `indicador` may not link to its catalogue entry, by field ({} when it may): the
    same unit (counts with counts) and the same direction."""
    entrada = indicador.catalogo
    if entrada is None:
        return {}
    propia = unidad_del_indicador(indicador)
    mismas = propia == entrada.unidad or (propia in UNIDADES_CONTEO and entrada.unidad in UNIDADES_CONTEO)
    if not mismas:
        nombre = UnidadCatalogo(propia).label.lower() if propia else "una unidad que no se indica (escriba su unidad de medida)"
        return {"catalogo": UNIDAD_DISTINTA.format(propia=nombre, codigo=entrada.codigo,
                                                   catalogo=UnidadCatalogo(entrada.unidad).label.lower())}
    if indicador.sentido != entrada.sentido:
        return {"catalogo": SENTIDO_DISTINTO.format(propio=_sentido_corto(indicador.sentido), codigo=entrada.codigo,
                                                    catalogo=_sentido_corto(entrada.sentido))}
    return {}


def _sentido_corto(sentido: str) -> str:
    return str(Sentido(sentido).label).split(":")[0].lower()


#: How the plans name a count: «Nº de…», «N° de…», «Nª de…», «No. de…», «Número de…».
CONTEO_RE = re.compile(r"^\s*(n\s*[°ºª]|no\.|número|numero)\s*(de\b|\S)", re.IGNORECASE)


class Indicador(AmcModel):
    """An indicator of the logical matrix of one entity's level, measuring a result, a
    product or an activity; with its unit, formula, baseline and yearly targets."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="indicadores", verbose_name="plan")
    entidad = models.ForeignKey(Entidad, models.PROTECT, related_name="indicadores", verbose_name="entidad responsable")
    orden = models.PositiveSmallIntegerField("orden")
    resultado = models.ForeignKey(Resultado, models.CASCADE, null=True, blank=True, related_name="indicadores", verbose_name="resultado")
    producto = models.ForeignKey(Producto, models.CASCADE, null=True, blank=True, related_name="indicadores", verbose_name="producto")
    actividad = models.ForeignKey(Actividad, models.CASCADE, null=True, blank=True, related_name="indicadores", verbose_name="actividad")
    nombre = models.TextField("indicador")
    unidad_medida = models.CharField("unidad de medida", max_length=120, blank=True)
    # The national catalogue entry it reports to (nacional compares regions by it).
    catalogo = models.ForeignKey(IndicadorCatalogo, models.PROTECT, null=True, blank=True, related_name="indicadores",
                                 verbose_name="indicador del catálogo",
                                 help_text="La entrada del catálogo nacional que este indicador mide: así sus valores se "
                                           "comparan y suman con los de otras regiones. Debe ser de la misma unidad y sentido.")
    formula = models.TextField("fórmula", blank=True)
    linea_base_valor = models.DecimalField("línea de base", max_digits=14, decimal_places=2, null=True, blank=True)
    linea_base_anio = models.PositiveSmallIntegerField("año de la línea de base", null=True, blank=True)
    medio_verificacion = models.CharField("medio de verificación", max_length=300, blank=True)
    # How the values filed each period add up over time (seguimiento reads it for its
    # cumulative figures and % achieved).
    agregacion = models.CharField("cómo se acumulan sus valores", max_length=16, choices=Agregacion.choices,
                                  default=Agregacion.SUMA)
    # Whether more is better, less is better or the target is a level to hold (seguimiento
    # reads it for % achieved and the traffic light).
    sentido = models.CharField("sentido", max_length=12, choices=Sentido.choices, default=Sentido.ASCENDENTE,
                               help_text="Ascendente si más es mejor; descendente si menos es mejor (una tasa a reducir); "
                                         "constante si la meta es un nivel que se mantiene.")
    # When its value is due in follow-up and what backs it (seguimiento.rules reads them).
    frecuencia_reporte = models.CharField(
        "se reporta", max_length=12, blank=True, default="",
        choices=[("", "Solo en los periodos con meta del periodo"), *Frecuencia.choices],
        help_text="Cada cuánto debe reportarse su valor. Además, siempre se debe reportar en un periodo en que tiene meta.",
    )
    requiere_evidencia = models.BooleanField(
        "requiere medio de verificación", default=True,
        help_text="Para enviar un valor hay que adjuntar el archivo o el enlace que lo respalda.",
    )

    natural_key_fields = ("plan", "entidad", "orden")
    owner_field = "entidad"

    class Meta:
        verbose_name = "indicador"
        verbose_name_plural = "indicadores"
        ordering = ["plan", "entidad__nivel__orden", "entidad__nombre", "orden"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "entidad", "orden"], name="indicador_orden_unico"),
            models.CheckConstraint(
                condition=(
                    Q(resultado__isnull=False, producto__isnull=True, actividad__isnull=True)
                    | Q(resultado__isnull=True, producto__isnull=False, actividad__isnull=True)
                    | Q(resultado__isnull=True, producto__isnull=True, actividad__isnull=False)
                ),
                name="indicador_mide_una_cosa",
                violation_error_message="Un indicador mide exactamente una cosa: un resultado, un producto o una actividad.",
            ),
            year_check("linea_base_anio", "indicador_lb_anio_rango", nullable=True),
        ]

    def __str__(self):
        return self.nombre

    @property
    def medido(self):
        return self.resultado or self.producto or self.actividad

    @property
    def es_conteo(self) -> bool:
        """A whole-number quantity («Nº de servidores capacitados», «N° de documentos…»): its
        values and targets are shown without decimals."""
        return bool(CONTEO_RE.match(self.nombre or ""))

    def clean(self):
        check_entity_in_plan(self.entidad_id, self.plan_id)
        for field in ("resultado", "producto", "actividad"):
            target = getattr(self, field) if getattr(self, field + "_id") else None
            if target is not None and target.plan_id != self.plan_id:
                raise ValidationError({field: "Debe ser del mismo plan que el indicador."})
        if self.actividad_id and self.actividad.entidad_id != self.entidad_id:
            raise ValidationError({"entidad": "El indicador de una actividad es de la entidad responsable de la actividad."})
        if self.catalogo_id and (errores := catalogo_check(self)):
            raise ValidationError(errores)


class MetaIndicador(AmcModel):
    """The target of an indicator for one year of the plan."""

    indicador = models.ForeignKey(Indicador, models.CASCADE, related_name="metas", verbose_name="indicador")
    anio = models.PositiveSmallIntegerField("año")
    valor = models.DecimalField("meta", max_digits=14, decimal_places=2)
    descripcion = models.CharField("meta como se escribe", max_length=300, blank=True)

    natural_key_fields = ("indicador", "anio")
    owner_field = "indicador__entidad"
    plan_field = "indicador__plan"

    class Meta:
        verbose_name = "meta anual"
        verbose_name_plural = "metas anuales"
        ordering = ["indicador", "anio"]
        constraints = [
            models.UniqueConstraint(fields=["indicador", "anio"], name="meta_anio_unica"),
            year_check("anio", "meta_anio_rango"),
            non_negative("valor", "meta_valor_no_negativo", "La meta"),
        ]

    def __str__(self):
        return f"Meta {self.anio}: {self.valor}"

    def clean(self):
        if self.indicador_id and self.anio:
            self.indicador.plan.check_year(self.anio)


class IndicadorProducto(PlanPiece):
    """A row of the section-13 table: a product's indicator and target, with what each
    level of government does for it."""

    producto = models.ForeignKey(Producto, models.CASCADE, related_name="indicadores_tabla", verbose_name="producto")
    orden = models.PositiveSmallIntegerField("orden")
    indicador = models.TextField("indicador")
    meta = models.CharField("meta como se escribe", max_length=300, blank=True)
    meta_valor = models.DecimalField("meta (número)", max_digits=14, decimal_places=2, null=True, blank=True)

    natural_key_fields = ("producto", "orden")
    owner_field = "producto__plan__entidad_responsable"
    plan_field = "producto__plan"

    class Meta:
        verbose_name = "indicador del producto (sección 13)"
        verbose_name_plural = "indicadores y metas (sección 13)"
        ordering = ["producto", "orden"]
        constraints = [
            models.UniqueConstraint(fields=["producto", "orden"], name="indicador_producto_unico"),
            non_negative("meta_valor", "indicador_producto_meta_no_negativa", "La meta"),
        ]

    def __str__(self):
        return self.indicador


class TareaNivel(PlanPiece):
    """What one level of government does for a section-13 indicator."""

    indicador = models.ForeignKey(IndicadorProducto, models.CASCADE, related_name="tareas", verbose_name="indicador")
    nivel = models.ForeignKey(NivelGobierno, models.PROTECT, related_name="tareas", verbose_name="nivel de gobierno")
    texto = models.TextField("qué hace")

    natural_key_fields = ("indicador", "nivel")
    owner_field = "indicador__producto__plan__entidad_responsable"
    plan_field = "indicador__producto__plan"

    class Meta:
        verbose_name = "tarea por nivel"
        verbose_name_plural = "tareas por nivel"
        ordering = ["indicador", "nivel__orden"]
        constraints = [models.UniqueConstraint(fields=["indicador", "nivel"], name="tarea_nivel_unica")]

    def __str__(self):
        return f"{self.nivel}: {self.texto[:50]}"


# Every change to these is kept with who, when, the values and the reason (amc/auditoria.py).
auditar(
    Problema, Causa, SubpuntoCausa, Alternativa, SubitemAlternativa, AlternativaPriorizada, ObjetivoNacional,
    IndicadorNacional, MetaIndicadorNacional, FilaRoles, CeldaRol, Resultado, Producto, Actividad, Indicador,
    MetaIndicador, IndicadorProducto, TareaNivel, IndicadorCatalogo,
)
