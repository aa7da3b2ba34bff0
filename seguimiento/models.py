"""Follow-up of a plan once approved (seguimiento): reporting periods with their entry
windows, targets per period, indicator values filed by each entity with their evidence and
their review, activity progress, and budget execution per line and month.

Every transition of a value (submitted, returned, approved, reopened) and every change of a
value after it was submitted is kept in an append-only history: who, when, what and why.

How a filed record changes (the rules, their messages, the history rows) is in
`seguimiento/registros.py` and `seguimiento/rules.py`; the models say what a row is.
"""
from __future__ import annotations

import calendar
import datetime
import os
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from amc.auditoria import auditar
from amc.db import AmcModel
from amc.vocabulario import (
    Frecuencia, meses_del_periodo, mes_nombre, periodo_nombre, periodo_nombre_corto,
)
from matrices.models import Actividad, Indicador, non_negative
from planes.models import Entidad, Plan, year_check
from presupuesto.models import MONEY, LineaPresupuesto
from seguimiento.evidencia import validar_contenido
from seguimiento.querysets import AppendOnlyQuerySet, PeriodoReporteQuerySet, ReportadoQuerySet

# --- evidence files -------------------------------------------------------------------

EVIDENCIA_EXTENSIONES = ["pdf", "jpg", "jpeg", "png", "xlsx", "xls", "docx", "doc", "odt", "ods"]
def evidencia_max_bytes() -> int:
    return int(getattr(settings, "SEGUIMIENTO_EVIDENCIA_MAX_MB", 10)) * 1024 * 1024


def validate_evidencia(archivo) -> None:
    """Size limit, and the content checked for what the extension says (seguimiento/evidencia.py)."""
    limite = evidencia_max_bytes()
    if archivo.size is not None and archivo.size > limite:
        raise ValidationError(
            f"El archivo «{os.path.basename(archivo.name)}» pesa {archivo.size / 1048576:.1f} MB; "
            f"el máximo es {limite // 1048576} MB."
        )
    if isinstance(archivo, FieldFile):
        if archivo._committed:
            return  # already stored: checked when it was uploaded
        archivo = archivo.file
    ext = os.path.splitext(archivo.name)[1].lower().lstrip(".")
    pos = archivo.tell()
    archivo.seek(0)
    datos = archivo.read(limite + 1)
    archivo.seek(pos)
    try:
        validar_contenido(datos, ext)
    except ValueError as exc:
        raise ValidationError(f"El archivo «{os.path.basename(archivo.name)}» no es un {ext.upper()} válido: {exc}.") from None


evidencia_validators = [
    FileExtensionValidator(
        EVIDENCIA_EXTENSIONES,
        message="Tipo de archivo no aceptado (%(extension)s). Se aceptan: " + ", ".join(EVIDENCIA_EXTENSIONES) + ".",
    ),
    validate_evidencia,
]


def evidencia_path(instance, filename: str) -> str:
    """seguimiento/<plan>/<period>/<random>_<name>: a random prefix so names never collide
    and cannot be guessed; the files are served only through the access-checking view."""
    base = os.path.basename(filename)[-80:]
    periodo = instance.periodo
    return f"seguimiento/{periodo.plan_id}/{periodo.pk}/{uuid.uuid4().hex[:12]}_{base}"


# --- periods ----------------------------------------------------------------------------



class ConfiguracionSeguimiento(AmcModel):
    """How a plan is followed up: the reporting frequency chosen for it, how many days
    after a period ends its entity may still file, and how many days before that deadline
    the entities that have not submitted are reminded (`avisos`)."""

    plan = models.OneToOneField(Plan, models.CASCADE, related_name="configuracion_seguimiento", verbose_name="plan")
    frecuencia = models.CharField("frecuencia de reporte", max_length=12, choices=Frecuencia.choices, default=Frecuencia.TRIMESTRAL)
    dias_entrega = models.PositiveSmallIntegerField(
        "días para reportar", default=15,
        help_text="Días después del fin de cada periodo durante los que las entidades pueden registrar y enviar.",
    )
    dias_aviso = models.PositiveSmallIntegerField(
        "días de aviso antes del plazo", default=5,
        help_text="Cuántos días antes de que venza el plazo de un periodo se recuerda a las entidades que aún no envían "
                  "(aviso en AMC y correo).",
    )

    class RevisionLocales(models.TextChoices):
        MINISTERIO = "ministerio", "El ministerio (personal del ministerio)"
        DIRECCION_REGIONAL = "direccion_regional", "La dirección regional de su región (y el ministerio)"

    revisan_locales = models.CharField(
        "quién revisa a los gobiernos locales", max_length=20, choices=RevisionLocales.choices,
        default=RevisionLocales.MINISTERIO,
        help_text="Quién aprueba o devuelve lo que envían las municipalidades del plan: el ministerio, o también la "
                  "dirección regional de trabajo de la región de cada municipalidad (nunca la de otra región).",
    )

    natural_key_fields = ("plan",)
    owner_field = "plan__entidad_responsable"

    class Meta:
        verbose_name = "configuración de seguimiento"
        verbose_name_plural = "configuraciones de seguimiento"
        constraints = [
            models.CheckConstraint(
                condition=Q(dias_entrega__lte=120), name="config_dias_entrega_rango",
                violation_error_message="Los días para reportar van de 0 a 120.",
            ),
            models.CheckConstraint(
                condition=Q(dias_aviso__lte=60), name="config_dias_aviso_rango",
                violation_error_message="Los días de aviso antes del plazo van de 0 a 60.",
            ),
        ]

    def __str__(self):
        return f"Seguimiento {self.get_frecuencia_display().lower()} de {self.plan.codigo}"


class PeriodoReporte(AmcModel):
    """A reporting period of a plan (a month, a quarter, a half-year or a year) with the
    window in which entities file their values. It is closed when its window has ended,
    or when every value of it has been approved; a reviewer may reopen it, with a reason."""

    class Estado(models.TextChoices):
        ABIERTO = "abierto", "Abierto"
        CERRADO = "cerrado", "Cerrado"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="periodos", verbose_name="plan")
    frecuencia = models.CharField("frecuencia", max_length=12, choices=Frecuencia.choices)
    anio = models.PositiveSmallIntegerField("año")
    numero = models.PositiveSmallIntegerField("número", help_text="Mes 1–12, trimestre 1–4, semestre 1–2 o 1 para el año.")
    inicio = models.DateField("inicio")
    fin = models.DateField("fin")
    entrega_desde = models.DateField("registro desde")
    entrega_hasta = models.DateField("registro hasta")
    estado = models.CharField("estado", max_length=10, choices=Estado.choices, default=Estado.ABIERTO)

    natural_key_fields = ("plan", "frecuencia", "anio", "numero")
    owner_field = "plan__entidad_responsable"

    objects = PeriodoReporteQuerySet.as_manager()

    class Meta:
        verbose_name = "periodo de reporte"
        verbose_name_plural = "periodos de reporte"
        ordering = ["plan", "inicio"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "frecuencia", "anio", "numero"], name="periodo_unico"),
            year_check("anio", "periodo_anio_rango"),
            models.CheckConstraint(
                condition=Q(fin__gte=F("inicio")), name="periodo_fechas_ordenadas",
                violation_error_message="El fin del periodo no puede ser anterior a su inicio.",
            ),
            models.CheckConstraint(
                condition=Q(entrega_hasta__gte=F("entrega_desde")) & Q(entrega_hasta__gte=F("fin")),
                name="periodo_ventana_ordenada",
                violation_error_message="El registro debe terminar después de empezar y no antes del fin del periodo.",
            ),
            models.CheckConstraint(
                condition=Q(numero__gte=1) & (
                    Q(frecuencia="mensual", numero__lte=12) | Q(frecuencia="trimestral", numero__lte=4)
                    | Q(frecuencia="semestral", numero__lte=2) | Q(frecuencia="anual", numero=1)
                ),
                name="periodo_numero_segun_frecuencia",
                violation_error_message="El número no corresponde a la frecuencia (meses 1–12, trimestres 1–4, semestres 1–2, año 1).",
            ),
        ]

    def __str__(self):
        return self.nombre

    @property
    def nombre(self) -> str:
        return periodo_nombre(self.frecuencia, self.anio, self.numero)

    @property
    def nombre_corto(self) -> str:
        return periodo_nombre_corto(self.frecuencia, self.anio, self.numero)

    @property
    def meses(self) -> list[int]:
        """The months of the year this period covers (budget execution is by month)."""
        return meses_del_periodo(self.frecuencia, self.numero)

    def situacion(self, hoy: datetime.date | None = None) -> str:
        """'abierto', 'por_abrir' (window not started), 'vencido' (window ended) or 'cerrado'."""
        hoy = hoy or timezone.localdate()
        if self.estado == self.Estado.CERRADO:
            return "cerrado"
        if hoy < self.entrega_desde:
            return "por_abrir"
        if hoy > self.entrega_hasta:
            return "vencido"
        return "abierto"

    def abierto(self, hoy: datetime.date | None = None) -> bool:
        return self.situacion(hoy) == "abierto"

    def situacion_display(self, hoy=None) -> str:
        return {
            "abierto": f"Abierto hasta el {self.entrega_hasta:%d/%m/%Y}",
            "por_abrir": f"Se abre el {self.entrega_desde:%d/%m/%Y}",
            "vencido": f"Cerrado: el plazo venció el {self.entrega_hasta:%d/%m/%Y}",
            "cerrado": "Cerrado: valores aprobados",
        }[self.situacion(hoy)]

    def clean(self):
        if self.plan_id and self.anio:
            self.plan.check_year(self.anio)

    @property
    def tiene_valores(self) -> bool:
        """Whether an entity filed anything for it (a value or an activity's progress, even a
        draft): its targets then change only with a reason, and it is not deleted."""
        return self.valores.exists() or self.avances.exists()

    def delete(self, *args, **kwargs):
        from seguimiento import rules

        if self.tiene_valores:
            raise ValidationError(rules.periodo_no_se_borra(self))
        return super().delete(*args, **kwargs)

    @classmethod
    def fechas(cls, frecuencia: str, anio: int, numero: int) -> tuple[datetime.date, datetime.date]:
        meses = meses_del_periodo(frecuencia, numero)
        primer_mes, ultimo_mes = meses[0], meses[-1]
        return (datetime.date(anio, primer_mes, 1),
                datetime.date(anio, ultimo_mes, calendar.monthrange(anio, ultimo_mes)[1]))


class AppendOnly(AmcModel):
    """A row of the follow-up's own history (values, targets, periods, execution, achievements):
    written once, never changed or deleted; its queryset refuses bulk updates and deletes too."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_accion_display()} · {self.fecha:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("El historial solo admite nuevos registros: no se modifica.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("El historial no se borra.")


class EventoPeriodo(AppendOnly):
    """A change of a period's state (closed when its values were approved, reopened by a
    reviewer), with who, when and why. Append-only."""

    class Accion(models.TextChoices):
        CERRADO = "cerrado", "Cerrado"
        REABIERTO = "reabierto", "Reabierto"

    periodo = models.ForeignKey(PeriodoReporte, models.CASCADE, related_name="eventos", verbose_name="periodo")
    accion = models.CharField("acción", max_length=10, choices=Accion.choices)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="usuario")
    fecha = models.DateTimeField("fecha", default=timezone.now)
    motivo = models.TextField("motivo", blank=True)
    entidad = models.ForeignKey(Entidad, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="entidad",
                                help_text="Cuando se reabre solo para una entidad.")
    entrega_hasta = models.DateField("nuevo plazo", null=True, blank=True)

    natural_key_fields = ("periodo", "fecha", "accion")
    owner_field = "periodo__plan__entidad_responsable"
    plan_field = "periodo__plan"

    class Meta:
        verbose_name = "evento del periodo"
        verbose_name_plural = "eventos de los periodos"
        ordering = ["periodo", "fecha", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accion="cerrado") | ~Q(motivo=""), name="evento_reapertura_con_motivo",
                violation_error_message="Para reabrir un periodo escriba el motivo.",
            ),
        ]

    def __str__(self):
        return f"{self.get_accion_display()} {self.periodo} ({self.fecha:%d/%m/%Y})"



# --- targets and disaggregation ------------------------------------------------------------

class MetaPeriodo(AmcModel):
    """The target of an indicator for one reporting period (besides its yearly target)."""

    indicador = models.ForeignKey(Indicador, models.CASCADE, related_name="metas_periodo", verbose_name="indicador")
    periodo = models.ForeignKey(PeriodoReporte, models.CASCADE, related_name="metas", verbose_name="periodo")
    valor = models.DecimalField("meta del periodo", max_digits=14, decimal_places=2)

    natural_key_fields = ("indicador", "periodo")
    owner_field = "indicador__entidad"
    plan_field = "indicador__plan"

    class Meta:
        verbose_name = "meta del periodo"
        verbose_name_plural = "metas por periodo"
        ordering = ["indicador", "periodo__inicio"]
        constraints = [
            models.UniqueConstraint(fields=["indicador", "periodo"], name="meta_periodo_unica"),
            non_negative("valor", "meta_periodo_no_negativa", "La meta del periodo"),
        ]

    def __str__(self):
        return f"Meta {self.periodo}: {self.valor}"

    def clean(self):
        if self.indicador_id and self.periodo_id and self.indicador.plan_id != self.periodo.plan_id:
            raise ValidationError({"periodo": "El periodo debe ser del plan del indicador."})


class HistorialMetaPeriodo(AppendOnly):
    """A change of an indicator's target for a period: who, when, the target before and after,
    and why (required once the period has values, `rules.meta_cambio_rechazo`). Kept when the
    target is deleted. Append-only."""

    class Accion(models.TextChoices):
        CREADA = "creada", "Creada"
        CAMBIADA = "cambiada", "Cambiada"
        BORRADA = "borrada", "Borrada"

    indicador = models.ForeignKey(Indicador, models.CASCADE, related_name="historial_metas_periodo", verbose_name="indicador")
    periodo = models.ForeignKey(PeriodoReporte, models.CASCADE, related_name="historial_metas", verbose_name="periodo")
    accion = models.CharField("acción", max_length=10, choices=Accion.choices)
    valor_anterior = models.DecimalField("meta anterior", max_digits=14, decimal_places=2, null=True, blank=True)
    valor_nuevo = models.DecimalField("meta nueva", max_digits=14, decimal_places=2, null=True, blank=True)
    motivo = models.TextField("motivo", blank=True)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="usuario")
    fecha = models.DateTimeField("fecha", default=timezone.now)

    natural_key_fields = ("indicador", "periodo", "fecha", "accion")
    owner_field = "indicador__entidad"
    plan_field = "indicador__plan"

    class Meta:
        verbose_name = "historial de una meta del periodo"
        verbose_name_plural = "historial de metas por periodo"
        ordering = ["indicador", "periodo", "fecha", "pk"]



class TipoDesagregacion(AmcModel):
    """A way of breaking an indicator's value into parts: sex, disability, rural/urban."""

    codigo = models.SlugField("código", max_length=40, unique=True)
    nombre = models.CharField("nombre", max_length=100)

    natural_key_fields = ("codigo",)
    owner_field = ""
    plan_field = None

    class Meta:
        verbose_name = "tipo de desagregación"
        verbose_name_plural = "tipos de desagregación"
        ordering = ["nombre"]

    def __str__(self):
        return self.nombre


class CategoriaDesagregacion(AmcModel):
    """A part of a disaggregation (Mujeres, Hombres; Rural, Urbano)."""

    tipo = models.ForeignKey(TipoDesagregacion, models.CASCADE, related_name="categorias", verbose_name="tipo")
    codigo = models.SlugField("código", max_length=40)
    nombre = models.CharField("nombre", max_length=100)
    orden = models.PositiveSmallIntegerField("orden", default=0)

    natural_key_fields = ("tipo", "codigo")
    owner_field = ""
    plan_field = None

    class Meta:
        verbose_name = "categoría de desagregación"
        verbose_name_plural = "categorías de desagregación"
        ordering = ["tipo", "orden", "nombre"]
        constraints = [models.UniqueConstraint(fields=["tipo", "codigo"], name="categoria_desagregacion_unica")]

    def __str__(self):
        return f"{self.tipo}: {self.nombre}"


class IndicadorDesagregacion(AmcModel):
    """An indicator whose values may be broken down one way (its parts must add up)."""

    indicador = models.ForeignKey(Indicador, models.CASCADE, related_name="desagregaciones", verbose_name="indicador")
    tipo = models.ForeignKey(TipoDesagregacion, models.PROTECT, related_name="+", verbose_name="tipo de desagregación")
    obligatoria = models.BooleanField("obligatoria al enviar", default=False)

    natural_key_fields = ("indicador", "tipo")
    owner_field = "indicador__entidad"
    plan_field = "indicador__plan"

    class Meta:
        verbose_name = "desagregación del indicador"
        verbose_name_plural = "desagregaciones del indicador"
        ordering = ["indicador", "tipo__nombre"]
        constraints = [models.UniqueConstraint(fields=["indicador", "tipo"], name="indicador_desagregacion_unica")]

    def __str__(self):
        return f"{self.indicador} por {self.tipo}"


# --- what entities file ------------------------------------------------------------------------

class EstadoRevision(models.TextChoices):
    BORRADOR = "borrador", "Borrador"
    ENVIADO = "enviado", "Enviado"
    DEVUELTO = "devuelto", "Devuelto con observación"
    APROBADO = "aprobado", "Aprobado"


class Reportado(AmcModel):
    """What an entity files for a period and the ministry reviews: evidence, a comment and
    the review state."""

    # Subclasses declare `entidad` and `periodo` (each with its own related_name) and have a
    # history (`Historial` subclass) under related_name="historial".
    evidencia = models.FileField("medio de verificación (archivo)", upload_to=evidencia_path, blank=True, max_length=300,
                                 validators=evidencia_validators)
    evidencia_url = models.URLField("medio de verificación (enlace)", max_length=500, blank=True)
    comentario = models.TextField("comentario", blank=True)
    estado = models.CharField("estado", max_length=10, choices=EstadoRevision.choices, default=EstadoRevision.BORRADOR)
    enviado_en = models.DateTimeField("enviado por primera vez", null=True, blank=True)
    actualizado_en = models.DateTimeField("actualizado", auto_now=True)
    actualizado_por = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                        verbose_name="actualizado por")

    owner_field = "entidad"
    plan_field = "periodo__plan"

    objects = ReportadoQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def has_evidence(self) -> bool:
        """A file or a link backs it (submitting needs one)."""
        return bool(self.evidencia) or bool(self.evidencia_url)

    @property
    def vacio(self) -> bool:
        """Nothing filed in it (a value left blank); a record that says anything is filed."""
        return False

    @property
    def editable(self) -> bool:
        """Its entity may still change it: everything but what was approved."""
        return self.estado != EstadoRevision.APROBADO

    @property
    def observacion(self) -> str:
        """The reviewer's last observation while it is returned (from its history, which
        the entry page prefetches)."""
        if self.estado != EstadoRevision.DEVUELTO:
            return ""
        devoluciones = [h for h in self.historial.all() if h.accion in ("devuelto", "reabierto")]
        return devoluciones[-1].motivo if devoluciones else ""


class CondicionValor(models.TextChoices):
    """What an entity files for an indicator in a period: a number, or why there is none."""

    VALOR = "valor", "Con valor"
    NO_APLICA = "no_aplica", "No aplica"
    SIN_INFORMACION = "sin_informacion", "Sin información"


class ValorIndicador(Reportado):
    """The value an entity files for one of its indicators in a period, with its evidence
    (medio de verificación), reviewed by the ministry; or «No aplica» / «Sin información»
    with the reason (no number, no evidence), which counts as filed."""

    indicador = models.ForeignKey(Indicador, models.PROTECT, related_name="valores", verbose_name="indicador")
    entidad = models.ForeignKey(Entidad, models.PROTECT, related_name="valores_indicador", verbose_name="entidad")
    periodo = models.ForeignKey(PeriodoReporte, models.PROTECT, related_name="valores", verbose_name="periodo")
    condicion = models.CharField("qué se reporta", max_length=16, choices=CondicionValor.choices, default=CondicionValor.VALOR)
    valor = models.DecimalField("valor", max_digits=14, decimal_places=2, null=True, blank=True)
    justificacion = models.TextField("por qué no hay valor", blank=True,
                                     help_text="Obligatorio con «No aplica» o «Sin información».")
    # The period's evaluation: when the value is off its target, what got in the way and what
    # the entity will do about it (asked for on the entry page, read in the evaluation report).
    dificultades = models.TextField("dificultades", blank=True,
                                    help_text="Si el indicador está por debajo de la meta: qué impidió alcanzarla.")
    medidas_correctivas = models.TextField("medidas correctivas", blank=True,
                                           help_text="Qué hará la entidad para alcanzar la meta.")

    natural_key_fields = ("indicador", "entidad", "periodo")

    class Meta:
        verbose_name = "valor de indicador"
        verbose_name_plural = "valores de indicadores"
        ordering = ["periodo__inicio", "indicador__orden"]
        # The work queues and the review count values by period, entity and state (issue 13:
        # without it the navigation's query scans a national plan's values on every page).
        indexes = [models.Index(fields=["periodo", "entidad", "estado"], name="valor_periodo_entidad_estado")]
        constraints = [
            models.UniqueConstraint(fields=["indicador", "entidad", "periodo"], name="valor_indicador_unico"),
            non_negative("valor", "valor_indicador_no_negativo", "El valor"),
            models.CheckConstraint(
                condition=Q(estado="borrador") | Q(valor__isnull=False) | ~Q(condicion="valor"), name="valor_enviado_tiene_valor",
                violation_error_message="Un valor enviado debe tener un número (o «No aplica» / «Sin información»).",
            ),
            # Whether a submitted value needs evidence is the indicator's (`requiere_evidencia`):
            # seguimiento.rules.falta_para_enviar checks it.
            models.CheckConstraint(
                condition=Q(condicion="valor") | Q(valor__isnull=True), name="valor_sin_numero_si_no_hay_valor",
                violation_error_message="«No aplica» y «Sin información» no llevan número: borre el valor o elija «Con valor».",
            ),
            models.CheckConstraint(
                condition=Q(condicion="valor") | ~Q(justificacion=""), name="valor_sin_valor_con_motivo",
                violation_error_message="«No aplica» y «Sin información» llevan su motivo.",
            ),
            models.CheckConstraint(
                condition=Q(estado="borrador") | Q(enviado_en__isnull=False), name="valor_enviado_tiene_fecha",
                violation_error_message="Un valor enviado registra su fecha de envío.",
            ),
        ]

    def __str__(self):
        return f"{self.indicador} · {self.periodo}: {self.valor if self.condicion == CondicionValor.VALOR else self.get_condicion_display()}"

    @property
    def vacio(self) -> bool:
        """Nothing filed in it: no number, no «No aplica», no evidence, no comment."""
        return (self.condicion == CondicionValor.VALOR and self.valor is None and not self.has_evidence
                and not self.comentario.strip() and not self.justificacion.strip())

    def clean(self):
        if self.indicador_id and self.periodo_id and self.indicador.plan_id != self.periodo.plan_id:
            raise ValidationError({"periodo": "El periodo debe ser del plan del indicador."})
        if self.indicador_id and self.entidad_id and self.indicador.entidad_id != self.entidad_id:
            raise ValidationError({"entidad": "Solo la entidad responsable del indicador registra sus valores."})


class ValorDesagregado(AmcModel):
    """A part of a value (e.g. how many of the trained staff are women)."""

    valor = models.ForeignKey(ValorIndicador, models.CASCADE, related_name="partes", verbose_name="valor")
    categoria = models.ForeignKey(CategoriaDesagregacion, models.PROTECT, related_name="+", verbose_name="categoría")
    cantidad = models.DecimalField("cantidad", max_digits=14, decimal_places=2)

    natural_key_fields = ("valor", "categoria")
    owner_field = "valor__entidad"
    plan_field = "valor__periodo__plan"

    class Meta:
        verbose_name = "valor desagregado"
        verbose_name_plural = "valores desagregados"
        ordering = ["valor", "categoria__tipo__nombre", "categoria__orden"]
        constraints = [
            models.UniqueConstraint(fields=["valor", "categoria"], name="valor_desagregado_unico"),
            non_negative("cantidad", "valor_desagregado_no_negativo", "La cantidad"),
        ]

    def __str__(self):
        return f"{self.categoria}: {self.cantidad}"


class AvanceActividad(Reportado):
    """An activity's progress in a period as its entity reports it: status, physical
    progress (%) and evidence."""

    class EstadoActividad(models.TextChoices):
        NO_INICIADA = "no_iniciada", "No iniciada"
        EN_PROCESO = "en_proceso", "En proceso"
        CONCLUIDA = "concluida", "Concluida"
        RETRASADA = "retrasada", "Retrasada"

    actividad = models.ForeignKey(Actividad, models.PROTECT, related_name="avances", verbose_name="actividad")
    entidad = models.ForeignKey(Entidad, models.PROTECT, related_name="avances_actividad", verbose_name="entidad")
    periodo = models.ForeignKey(PeriodoReporte, models.PROTECT, related_name="avances", verbose_name="periodo")
    situacion = models.CharField("situación", max_length=12, choices=EstadoActividad.choices, default=EstadoActividad.NO_INICIADA)
    avance_fisico = models.DecimalField(
        "avance físico (%)", max_digits=5, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(0, "El avance no puede ser negativo."), MaxValueValidator(100, "El avance no puede pasar de 100%%.")],
    )

    natural_key_fields = ("actividad", "periodo")

    class Meta:
        verbose_name = "avance de actividad"
        verbose_name_plural = "avances de actividades"
        ordering = ["periodo__inicio", "actividad__orden"]
        indexes = [models.Index(fields=["periodo", "entidad", "estado"], name="avance_periodo_entidad_estado")]
        constraints = [
            models.UniqueConstraint(fields=["actividad", "periodo"], name="avance_actividad_unico"),
            models.CheckConstraint(
                condition=Q(avance_fisico__gte=0, avance_fisico__lte=100), name="avance_fisico_porcentaje",
                violation_error_message="El avance físico es un porcentaje entre 0 y 100.",
            ),
            models.CheckConstraint(
                condition=~Q(situacion="concluida") | Q(avance_fisico=100), name="avance_concluida_es_100",
                violation_error_message="Una actividad concluida tiene 100%% de avance físico.",
            ),
            models.CheckConstraint(
                condition=~Q(situacion="no_iniciada") | Q(avance_fisico=0), name="avance_no_iniciada_es_0",
                violation_error_message="Una actividad no iniciada tiene 0%% de avance físico.",
            ),
            models.CheckConstraint(
                condition=Q(estado="borrador") | Q(enviado_en__isnull=False), name="avance_enviado_tiene_fecha",
                violation_error_message="Un avance enviado registra su fecha de envío.",
            ),
        ]

    def __str__(self):
        return f"{self.actividad} · {self.periodo}: {self.avance_fisico}%"

    def clean(self):
        if self.actividad_id and self.periodo_id and self.actividad.plan_id != self.periodo.plan_id:
            raise ValidationError({"periodo": "El periodo debe ser del plan de la actividad."})
        if self.actividad_id and self.entidad_id and self.actividad.entidad_id != self.entidad_id:
            raise ValidationError({"entidad": "Solo la entidad responsable de la actividad registra su avance."})


class Historial(AppendOnly):
    """One step in the life of a filed value: a transition (submitted, returned with an
    observation, approved, reopened) or a change after submission, with its reason."""

    class Accion(models.TextChoices):
        ENVIADO = "enviado", "Enviado"
        CAMBIADO = "cambiado", "Cambiado después del envío"
        DEVUELTO = "devuelto", "Devuelto con observación"
        APROBADO = "aprobado", "Aprobado"
        REABIERTO = "reabierto", "Reabierto"

    accion = models.CharField("acción", max_length=10, choices=Accion.choices)
    estado_anterior = models.CharField("estado anterior", max_length=10, choices=EstadoRevision.choices)
    estado_nuevo = models.CharField("estado nuevo", max_length=10, choices=EstadoRevision.choices)
    detalle = models.TextField("qué cambió", blank=True)
    motivo = models.TextField("motivo u observación", blank=True)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="usuario")
    fecha = models.DateTimeField("fecha", default=timezone.now)

    # Subclasses declare `registro`, the record whose history it is (related_name="historial").
    natural_key_fields = ("registro", "fecha", "accion")
    owner_field = "registro__entidad"
    plan_field = "registro__periodo__plan"

    class Meta:
        abstract = True



def _historial_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=~Q(accion__in=["devuelto", "cambiado", "reabierto"]) | ~Q(motivo=""), name=f"{prefix}_motivo_requerido",
            violation_error_message="Una devolución, un cambio después del envío o una reapertura lleva su motivo.",
        ),
    ]


class HistorialValor(Historial):
    registro = models.ForeignKey(ValorIndicador, models.PROTECT, related_name="historial", verbose_name="valor")
    valor_anterior = models.DecimalField("valor anterior", max_digits=14, decimal_places=2, null=True, blank=True)
    valor_nuevo = models.DecimalField("valor nuevo", max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "historial de un valor"
        verbose_name_plural = "historial de valores"
        ordering = ["registro", "fecha", "pk"]
        constraints = _historial_constraints("historial_valor")


class HistorialAvance(Historial):
    registro = models.ForeignKey(AvanceActividad, models.PROTECT, related_name="historial", verbose_name="avance")

    class Meta:
        verbose_name = "historial de un avance"
        verbose_name_plural = "historial de avances"
        ordering = ["registro", "fecha", "pk"]
        constraints = _historial_constraints("historial_avance")


# --- the period's achievements ---------------------------------------------------------------

LOGROS_MAX = 3000


class LogrosPeriodo(AmcModel):
    """An entity's short summary of what it achieved in a period («Logros del periodo»),
    written on its entry page and read in the period's evaluation report. Sent with the
    entity's entry; every change is kept in its history."""

    periodo = models.ForeignKey(PeriodoReporte, models.PROTECT, related_name="logros", verbose_name="periodo")
    entidad = models.ForeignKey(Entidad, models.PROTECT, related_name="logros_periodo", verbose_name="entidad")
    texto = models.TextField("logros del periodo", blank=True, validators=[MaxLengthValidator(
        LOGROS_MAX, f"El resumen de logros es breve: hasta {LOGROS_MAX} caracteres (tiene %(show_value)d). Acórtelo.")])
    enviado_en = models.DateTimeField("enviado por primera vez", null=True, blank=True)
    actualizado_en = models.DateTimeField("actualizado", auto_now=True)
    actualizado_por = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                        verbose_name="actualizado por")

    natural_key_fields = ("periodo", "entidad")
    owner_field = "entidad"
    plan_field = "periodo__plan"

    class Meta:
        verbose_name = "logros del periodo"
        verbose_name_plural = "logros de los periodos"
        ordering = ["periodo__inicio", "entidad__nombre"]
        constraints = [models.UniqueConstraint(fields=["periodo", "entidad"], name="logros_periodo_unico")]

    def __str__(self):
        return f"Logros de {self.entidad.nombre_corto} · {self.periodo}"


class HistorialLogros(AppendOnly):
    """One change of an entity's summary of achievements: who, when, the text before and after.
    Append-only."""

    class Accion(models.TextChoices):
        REDACTADO = "redactado", "Redactado (borrador)"
        ENVIADO = "enviado", "Enviado"
        CAMBIADO = "cambiado", "Cambiado después del envío"

    registro = models.ForeignKey(LogrosPeriodo, models.PROTECT, related_name="historial", verbose_name="logros")
    accion = models.CharField("acción", max_length=10, choices=Accion.choices)
    texto_anterior = models.TextField("texto anterior", blank=True)
    texto_nuevo = models.TextField("texto nuevo", blank=True)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="usuario")
    fecha = models.DateTimeField("fecha", default=timezone.now)

    natural_key_fields = ("registro", "fecha", "accion")
    owner_field = "registro__entidad"
    plan_field = "registro__periodo__plan"

    class Meta:
        verbose_name = "historial de los logros"
        verbose_name_plural = "historial de los logros"
        ordering = ["registro", "fecha", "pk"]



# --- budget execution ------------------------------------------------------------------------

class EjecucionPresupuestal(AmcModel):
    """What was budgeted and spent on a budget line in one month, as SIAF reports it:
    PIM (modified budget programmed for the month), certified and accrued (devengado)."""

    linea = models.ForeignKey(LineaPresupuesto, models.CASCADE, related_name="ejecuciones", verbose_name="línea de presupuesto")
    anio = models.PositiveSmallIntegerField("año")
    mes = models.PositiveSmallIntegerField("mes")
    pim = models.DecimalField("PIM (S/)", default=Decimal("0"), **MONEY)
    certificado = models.DecimalField("certificado (S/)", default=Decimal("0"), **MONEY)
    devengado = models.DecimalField("devengado (S/)", default=Decimal("0"), **MONEY)
    actualizado_en = models.DateTimeField("actualizado", auto_now=True)
    actualizado_por = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                        verbose_name="actualizado por")

    natural_key_fields = ("linea", "anio", "mes")
    owner_field = "linea__entidad"
    plan_field = "linea__plan"

    class Meta:
        verbose_name = "ejecución presupuestal"
        verbose_name_plural = "ejecución presupuestal"
        ordering = ["linea", "anio", "mes"]
        constraints = [
            models.UniqueConstraint(fields=["linea", "anio", "mes"], name="ejecucion_linea_mes_unica"),
            year_check("anio", "ejecucion_anio_rango"),
            models.CheckConstraint(condition=Q(mes__gte=1, mes__lte=12), name="ejecucion_mes_rango",
                                   violation_error_message="El mes va de 1 a 12."),
            non_negative("pim", "ejecucion_pim_no_negativo", "El PIM"),
            non_negative("certificado", "ejecucion_certificado_no_negativo", "El monto certificado"),
            non_negative("devengado", "ejecucion_devengado_no_negativo", "El monto devengado"),
        ]

    def __str__(self):
        return f"{self.linea} · {mes_nombre(self.mes).lower()} {self.anio}"

    def clean(self):
        if self.linea_id and self.anio:
            self.linea.plan.check_year(self.anio)


class HistorialEjecucion(AppendOnly):
    """A change of a budget line's execution in a month: who, when, what (PIM, certified,
    accrued: before and after). Written by every change through the entry page
    (`registros.EJECUCION`). Append-only."""

    class Accion(models.TextChoices):
        REGISTRADO = "registrado", "Registrado"
        CAMBIADO = "cambiado", "Cambiado"

    registro = models.ForeignKey(EjecucionPresupuestal, models.PROTECT, related_name="historial", verbose_name="ejecución")
    accion = models.CharField("acción", max_length=10, choices=Accion.choices)
    detalle = models.TextField("qué cambió", blank=True)
    motivo = models.TextField("motivo", blank=True)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="usuario")
    fecha = models.DateTimeField("fecha", default=timezone.now)
    pim_anterior = models.DecimalField("PIM anterior", null=True, blank=True, **MONEY)
    pim_nuevo = models.DecimalField("PIM nuevo", null=True, blank=True, **MONEY)
    certificado_anterior = models.DecimalField("certificado anterior", null=True, blank=True, **MONEY)
    certificado_nuevo = models.DecimalField("certificado nuevo", null=True, blank=True, **MONEY)
    devengado_anterior = models.DecimalField("devengado anterior", null=True, blank=True, **MONEY)
    devengado_nuevo = models.DecimalField("devengado nuevo", null=True, blank=True, **MONEY)

    natural_key_fields = ("registro", "fecha", "accion")
    owner_field = "registro__linea__entidad"
    plan_field = "registro__linea__plan"

    class Meta:
        verbose_name = "historial de la ejecución"
        verbose_name_plural = "historial de la ejecución presupuestal"
        ordering = ["registro", "fecha", "pk"]



# How a plan is followed up (its settings and disaggregations) and its targets per period, part
# of its structure (ciclo.estructura), keep their history like the plan's structure
# (amc/auditoria.py): an amendment lists their old and new values. What entities file keeps the
# follow-up's own append-only histories above (HistorialValor, HistorialAvance, EventoPeriodo);
# HistorialMetaPeriodo is the target lock's record with its reason, shown beside the target.
auditar(ConfiguracionSeguimiento, TipoDesagregacion, CategoriaDesagregacion, IndicadorDesagregacion, MetaPeriodo)
