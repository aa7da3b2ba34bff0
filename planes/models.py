"""Government levels, entities and their units, users, and the plan with its background
sections (seed part A: legal basis, vision and mission, services, objectives, evaluation
findings, technical team, responsible units, legal functions per level)."""
from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from amc.auditoria import auditar
from amc.db import AmcModel, AmcQuerySet
from amc.vocabulario import Nivel

MIN_YEAR, MAX_YEAR = 2000, 2100


def year_check(field: str, name: str, *, nullable: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{field}__gte": MIN_YEAR, f"{field}__lte": MAX_YEAR})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(
        condition=condition,
        name=name,
        violation_error_message=f"El año debe estar entre {MIN_YEAR} y {MAX_YEAR}.",
    )


class NivelGobierno(AmcModel):
    """A level of government: Nacional (GN), Regional (GR), Local (GL)."""

    NACIONAL, REGIONAL, LOCAL = Nivel.NACIONAL, Nivel.REGIONAL, Nivel.LOCAL

    codigo = models.CharField("código", max_length=2, unique=True, choices=Nivel.choices)
    nombre = models.CharField("nombre", max_length=40, unique=True)
    orden = models.PositiveSmallIntegerField("orden", default=0)

    natural_key_fields = ("codigo",)
    owner_field = ""
    plan_field = None

    class Meta:
        verbose_name = "nivel de gobierno"
        verbose_name_plural = "niveles de gobierno"
        ordering = ["orden"]

    def __str__(self):
        return self.nombre


class EntidadQuerySet(AmcQuerySet):
    def usable_by(self, user, field_name: str = ""):
        """An entity a user's row is filed under ("entidad") is its own; other pointers to an
        entity (a parent, a plan's rector) may name any."""
        return self.filter(pk=user.entidad_id) if field_name == "entidad" else self


class OrganoQuerySet(AmcQuerySet):
    def usable_by(self, user, field_name: str = ""):
        """Only the units of the user's own entity."""
        return self.filter(entidad_id=user.entidad_id)


ubigeo_validator = RegexValidator(
    r"^([0-9]{2}|[0-9]{4}|[0-9]{6})$", "El ubigeo INEI tiene 2, 4 o 6 dígitos (p. ej. 2101)."
)


class Entidad(AmcModel):
    """An institution at one level of government: the ministry, a regional directorate,
    a regional government, a municipality."""

    class Tipo(models.TextChoices):
        MINISTERIO = "ministerio", "Ministerio"
        GOBIERNO_REGIONAL = "gobierno_regional", "Gobierno regional"
        DIRECCION_REGIONAL = "direccion_regional", "Dirección / Gerencia regional"
        MUNICIPALIDAD_PROVINCIAL = "municipalidad_provincial", "Municipalidad provincial"
        MUNICIPALIDAD_DISTRITAL = "municipalidad_distrital", "Municipalidad distrital"
        OTRA = "otra", "Otra"

    codigo = models.SlugField("código", max_length=40, unique=True, help_text="Identificador corto y estable, p. ej. mtpe, drtpe-puno.")
    nombre = models.CharField("nombre", max_length=300)
    sigla = models.CharField("sigla", max_length=60, blank=True)
    nivel = models.ForeignKey(NivelGobierno, models.PROTECT, related_name="entidades", verbose_name="nivel de gobierno")
    tipo = models.CharField("tipo", max_length=30, choices=Tipo.choices)
    padre = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="dependientes", verbose_name="entidad superior"
    )
    region = models.CharField("región (departamento)", max_length=60, blank=True)
    ubigeo = models.CharField("ubigeo INEI", max_length=6, blank=True, validators=[ubigeo_validator])

    natural_key_fields = ("codigo",)
    owner_field = "id"
    plan_field = None

    objects = EntidadQuerySet.as_manager()

    class Meta:
        verbose_name = "entidad"
        verbose_name_plural = "entidades"
        ordering = ["nivel__orden", "nombre"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ubigeo="") | Q(ubigeo__regex=r"^([0-9]{2}|[0-9]{4}|[0-9]{6})$"),
                name="entidad_ubigeo_formato",
                violation_error_message="El ubigeo INEI tiene 2, 4 o 6 dígitos (p. ej. 2101).",
            ),
            models.CheckConstraint(
                condition=~Q(padre=F("id")), name="entidad_no_es_su_padre",
                violation_error_message="Una entidad no puede depender de sí misma.",
            ),
        ]

    def __str__(self):
        return self.sigla or self.nombre

    @property
    def nombre_corto(self):
        return self.sigla or self.nombre

    def clean(self):
        # The tree follows the INEI codes: a department's regional government above its
        # directorates and the municipalities of its provinces, a province above its districts.
        if self.padre_id and self.padre_id == self.pk:
            raise ValidationError({"padre": "Una entidad no puede depender de sí misma."})
        if self.padre_id and self.ubigeo and self.padre.ubigeo and not self.ubigeo.startswith(self.padre.ubigeo):
            raise ValidationError({"padre": f"La entidad superior ({self.padre}, ubigeo {self.padre.ubigeo}) no es de la "
                                            f"región o provincia de esta entidad (ubigeo {self.ubigeo})."})


class Organo(AmcModel):
    """A unit inside an entity (órgano), e.g. Dirección General de Promoción del Empleo."""

    entidad = models.ForeignKey(Entidad, models.CASCADE, related_name="organos", verbose_name="entidad")
    nombre = models.CharField("nombre", max_length=300)
    sigla = models.CharField("sigla", max_length=40, blank=True)
    padre = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="suborganos", verbose_name="órgano superior")

    natural_key_fields = ("entidad", "nombre")
    owner_field = "entidad"
    plan_field = None

    objects = OrganoQuerySet.as_manager()

    class Meta:
        verbose_name = "órgano"
        verbose_name_plural = "órganos"
        ordering = ["entidad__nombre", "nombre"]
        constraints = [models.UniqueConstraint(fields=["entidad", "nombre"], name="organo_unico_por_entidad")]

    def __str__(self):
        return self.nombre

    def clean(self):
        if self.padre_id and self.entidad_id and self.padre.entidad_id != self.entidad_id:
            raise ValidationError({"padre": "El órgano superior debe ser de la misma entidad."})


class UsuarioManager(UserManager.from_queryset(AmcQuerySet)):
    pass


class Usuario(AbstractUser):
    """A person who logs in. Belongs to one entity; its groups are its roles."""

    entidad = models.ForeignKey(
        Entidad, models.PROTECT, null=True, blank=True, related_name="usuarios", verbose_name="entidad",
        help_text="Entidad a la que pertenece el usuario: solo podrá modificar lo que esa entidad tiene a su cargo.",
    )
    organo = models.ForeignKey(Organo, models.SET_NULL, null=True, blank=True, related_name="usuarios", verbose_name="órgano")

    objects = UsuarioManager()

    class Meta:
        verbose_name = "usuario"
        verbose_name_plural = "usuarios"

    def clean(self):
        super().clean()
        if not self.is_superuser and not self.entidad_id:
            raise ValidationError({"entidad": "Todo usuario pertenece a una entidad: elija una."})
        if self.organo_id and self.entidad_id and self.organo.entidad_id != self.entidad_id:
            raise ValidationError({"organo": "El órgano debe pertenecer a la entidad del usuario."})


class PlanQuerySet(AmcQuerySet):
    def for_home(self):
        """Plans with their rector entity and the count of entities taking part (1 query)."""
        return self.select_related("entidad_responsable").annotate(
            num_entidades=models.Count("participaciones", distinct=True)
        ).order_by("-anio_inicio", "titulo")

    def for_overview(self):
        """A plan with its rector and participating entities prefetched."""
        return self.select_related("entidad_responsable").prefetch_related(
            models.Prefetch("participaciones", queryset=PlanEntidad.objects.select_related("entidad__nivel"))
        )


#: What a demo plan says of itself wherever it is shown (pages, PDF, Excel, the national view).
MARCA_DEMOSTRACION = ("Demostración: plan de ejemplo, no oficial. Sus datos se inventaron para mostrar la vista "
                      "nacional y las tendencias; no provienen de ningún documento.")


class Plan(AmcModel):
    """An improvement plan (Acciones de Mejora Continua) for one public service, agreed
    between the rector ministry and the entities taking part, over one or more years."""

    class Estado(models.TextChoices):
        BORRADOR = "borrador", "En formulación"
        APROBADO = "aprobado", "Aprobado"
        EN_EJECUCION = "en_ejecucion", "En ejecución"
        CERRADO = "cerrado", "Cerrado"

    codigo = models.SlugField("código", max_length=60, unique=True)
    titulo = models.CharField("título", max_length=400)
    servicio = models.CharField("servicio evaluado", max_length=300)
    sector = models.CharField("sector", max_length=300)
    entidad_responsable = models.ForeignKey(
        Entidad, models.PROTECT, related_name="planes_a_cargo", verbose_name="entidad rectora",
    )
    entidades = models.ManyToManyField(Entidad, through="PlanEntidad", related_name="planes", verbose_name="entidades participantes")
    anio_inicio = models.PositiveSmallIntegerField("año de inicio")
    anio_fin = models.PositiveSmallIntegerField("año de fin")
    estado = models.CharField("estado", max_length=20, choices=Estado.choices, default=Estado.BORRADOR)
    fecha_concordancia = models.DateField("fecha de concordancia", null=True, blank=True)
    finalidad = models.TextField("finalidad", blank=True)
    alcance = models.TextField("alcance", blank=True)
    resultados_esperados = models.TextField("resultados esperados", blank=True)
    # Demo plans (fixtures/demo/) are marked on every page, PDF and workbook that shows them.
    demostracion = models.BooleanField(
        "de demostración", default=False,
        help_text="Plan de ejemplo, no oficial: cada página, PDF y Excel que lo muestra lo dice.",
    )

    natural_key_fields = ("codigo",)
    owner_field = "entidad_responsable"
    plan_field = ""

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "plan"
        verbose_name_plural = "planes"
        ordering = ["-anio_inicio", "titulo"]
        constraints = [
            year_check("anio_inicio", "plan_anio_inicio_rango"),
            year_check("anio_fin", "plan_anio_fin_rango"),
            models.CheckConstraint(
                condition=Q(anio_fin__gte=F("anio_inicio")), name="plan_anios_ordenados",
                violation_error_message="El año de fin no puede ser anterior al año de inicio.",
            ),
        ]

    def __str__(self):
        return self.titulo

    @property
    def marca_demostracion(self) -> str:
        """The mark every page, PDF and workbook of a demo plan carries; "" for a real plan."""
        return MARCA_DEMOSTRACION if self.demostracion else ""

    @property
    def anios(self) -> range:
        return range(self.anio_inicio, self.anio_fin + 1)

    def check_year(self, anio, field: str = "anio") -> None:
        """Raise a field error unless `anio` is one of the plan's years."""
        if anio is not None and not (self.anio_inicio <= anio <= self.anio_fin):
            raise ValidationError({field: f"El año {anio} está fuera del plan ({self.anio_inicio}–{self.anio_fin})."})


class PlanEntidad(AmcModel):
    """An entity taking part in a plan, with its role in it."""

    class Rol(models.TextChoices):
        RECTOR = "rector", "Rector"
        PARTICIPANTE = "participante", "Participante"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="participaciones", verbose_name="plan")
    entidad = models.ForeignKey(Entidad, models.PROTECT, related_name="participaciones", verbose_name="entidad")
    rol = models.CharField("rol", max_length=20, choices=Rol.choices, default=Rol.PARTICIPANTE)
    orden = models.PositiveSmallIntegerField("orden", default=0)

    natural_key_fields = ("plan", "entidad")
    owner_field = "plan__entidad_responsable"

    class Meta:
        verbose_name = "entidad participante"
        verbose_name_plural = "entidades participantes"
        ordering = ["orden", "entidad__nombre"]
        constraints = [models.UniqueConstraint(fields=["plan", "entidad"], name="plan_entidad_unica")]

    def __str__(self):
        return f"{self.entidad} en {self.plan.codigo}"


class PlanPiece(AmcModel):
    """A piece of a plan owned by the plan's rector entity."""

    owner_field = "plan__entidad_responsable"

    class Meta:
        abstract = True


class SeccionNarrativa(PlanPiece):
    """A narrative section of the plan kept as text (introduction, antecedentes, sections
    14-17 ...), in the document's order."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="secciones", verbose_name="plan")
    numero = models.CharField("numeración", max_length=20, help_text="Como la escribe el documento: «A.IV», «14».")
    titulo = models.CharField("título", max_length=300)
    texto = models.TextField("texto", blank=True)
    orden = models.PositiveSmallIntegerField("orden", default=0)

    natural_key_fields = ("plan", "numero")

    class Meta:
        verbose_name = "sección narrativa"
        verbose_name_plural = "secciones narrativas"
        ordering = ["plan", "orden"]
        constraints = [models.UniqueConstraint(fields=["plan", "numero"], name="seccion_numero_unico")]

    def __str__(self):
        return f"{self.numero}. {self.titulo}"


class BaseLegal(PlanPiece):
    """A norm of the plan's legal basis (A.I Marco legal)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="bases_legales", verbose_name="plan")
    orden = models.PositiveSmallIntegerField("orden")
    tipo = models.CharField("tipo de norma", max_length=120, help_text="Ley, Decreto Supremo, Resolución Ministerial…")
    numero = models.CharField("número", max_length=60, blank=True)
    titulo = models.TextField("denominación")

    natural_key_fields = ("plan", "orden")

    class Meta:
        verbose_name = "base legal"
        verbose_name_plural = "marco legal"
        ordering = ["plan", "orden"]
        constraints = [models.UniqueConstraint(fields=["plan", "orden"], name="base_legal_orden_unico")]

    def __str__(self):
        return f"{self.tipo} {self.numero}".strip()


class Declaracion(AmcModel):
    """An entity's vision or mission as the plan states it (A.II)."""

    class Tipo(models.TextChoices):
        VISION = "vision", "Visión"
        MISION = "mision", "Misión"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="declaraciones", verbose_name="plan")
    entidad = models.ForeignKey(Entidad, models.PROTECT, related_name="declaraciones", verbose_name="entidad")
    tipo = models.CharField("tipo", max_length=10, choices=Tipo.choices)
    texto = models.TextField("texto")

    natural_key_fields = ("plan", "entidad", "tipo")
    owner_field = "entidad"

    class Meta:
        verbose_name = "visión o misión"
        verbose_name_plural = "visión y misión"
        ordering = ["plan", "tipo", "entidad__nivel__orden"]
        constraints = [models.UniqueConstraint(fields=["plan", "entidad", "tipo"], name="declaracion_unica")]

    def __str__(self):
        return f"{self.get_tipo_display()} de {self.entidad}"


class ServicioPrestado(PlanPiece):
    """One of the services the evaluated service groups (A.III: the 12 services of the
    Centro de Empleo, a..l)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="servicios", verbose_name="plan")
    letra = models.CharField("literal", max_length=2)
    nombre = models.CharField("nombre", max_length=300)

    natural_key_fields = ("plan", "letra")

    class Meta:
        verbose_name = "servicio prestado"
        verbose_name_plural = "servicios prestados"
        ordering = ["plan", "letra"]
        constraints = [models.UniqueConstraint(fields=["plan", "letra"], name="servicio_letra_unica")]

    def __str__(self):
        return f"{self.letra}) {self.nombre}"


class Objetivo(PlanPiece):
    """The plan's general objective (numero 0) or a specific objective (1, 2, 3 …)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="objetivos", verbose_name="plan")
    numero = models.PositiveSmallIntegerField("número", help_text="0 para el objetivo general.")
    enunciado = models.TextField("enunciado")
    enunciado_estrategias = models.TextField(
        "enunciado en «Estrategias»", blank=True,
        help_text="Cuando la sección de estrategias redacta el objetivo de otro modo, como lo escribe.",
    )

    natural_key_fields = ("plan", "numero")

    class Meta:
        verbose_name = "objetivo"
        verbose_name_plural = "objetivos"
        ordering = ["plan", "numero"]
        constraints = [models.UniqueConstraint(fields=["plan", "numero"], name="objetivo_numero_unico")]

    def __str__(self):
        return "Objetivo general" if self.numero == 0 else f"Objetivo específico {self.numero}"

    @property
    def es_general(self) -> bool:
        return self.numero == 0


class Estrategia(PlanPiece):
    """A strategy under a specific objective (1.1, 2.1 …)."""

    objetivo = models.ForeignKey(Objetivo, models.CASCADE, related_name="estrategias", verbose_name="objetivo")
    codigo = models.CharField("código", max_length=10)
    enunciado = models.TextField("enunciado")

    natural_key_fields = ("objetivo", "codigo")
    owner_field = "objetivo__plan__entidad_responsable"
    plan_field = "objetivo__plan"

    class Meta:
        verbose_name = "estrategia"
        verbose_name_plural = "estrategias"
        ordering = ["objetivo__numero", "codigo"]
        constraints = [models.UniqueConstraint(fields=["objetivo", "codigo"], name="estrategia_codigo_unico")]

    def __str__(self):
        return f"Estrategia {self.codigo}"


class AccionEstrategica(PlanPiece):
    """An action under a strategy (1.1.1, 2.1.2 …)."""

    estrategia = models.ForeignKey(Estrategia, models.CASCADE, related_name="acciones", verbose_name="estrategia")
    codigo = models.CharField("código", max_length=12)
    enunciado = models.TextField("enunciado")

    natural_key_fields = ("estrategia", "codigo")
    owner_field = "estrategia__objetivo__plan__entidad_responsable"
    plan_field = "estrategia__objetivo__plan"

    class Meta:
        verbose_name = "acción estratégica"
        verbose_name_plural = "acciones estratégicas"
        ordering = ["estrategia__codigo", "codigo"]
        constraints = [models.UniqueConstraint(fields=["estrategia", "codigo"], name="accion_codigo_unico")]

    def __str__(self):
        return f"Acción {self.codigo}"


class HallazgoEvaluacion(PlanPiece):
    """A finding of the service's evaluation, by materia (A.VIII)."""

    class Materia(models.TextChoices):
        RECTORIA = "rectoria", "Rectoría"
        ORGANIZACION = "organizacion", "Organización"
        CALIDAD = "calidad_servicio", "Calidad del servicio"
        MONITOREO = "monitoreo_evaluacion", "Monitoreo y evaluación"
        CAPACIDADES = "desarrollo_capacidades", "Desarrollo de capacidades"
        GESTION = "gestion_descentralizada", "Gestión descentralizada"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="hallazgos", verbose_name="plan")
    materia = models.CharField("materia", max_length=30, choices=Materia.choices)
    orden = models.PositiveSmallIntegerField("orden")
    texto = models.TextField("texto")

    natural_key_fields = ("plan", "materia", "orden")

    class Meta:
        verbose_name = "resultado de la evaluación"
        verbose_name_plural = "resultados de la evaluación"
        ordering = ["plan", "materia", "orden"]
        constraints = [models.UniqueConstraint(fields=["plan", "materia", "orden"], name="hallazgo_orden_unico")]

    def __str__(self):
        return f"{self.get_materia_display()} ({self.orden})"


class MiembroEquipo(AmcModel):
    """A member of the intergovernmental technical team (A.X), designated by its entity."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="equipo", verbose_name="plan")
    entidad = models.ForeignKey(Entidad, models.PROTECT, related_name="miembros_equipo", verbose_name="entidad")
    orden = models.PositiveSmallIntegerField("orden")
    nombre = models.CharField("nombre", max_length=200)
    organo = models.ForeignKey(Organo, models.PROTECT, null=True, blank=True, related_name="miembros_equipo", verbose_name="órgano")
    cargo = models.CharField("cargo", max_length=300, blank=True)
    documento_designacion = models.CharField("documento de designación", max_length=200, blank=True)
    en_representacion_de = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="representantes", verbose_name="en representación de",
    )
    nota = models.TextField("nota", blank=True)

    natural_key_fields = ("plan", "entidad", "orden")
    owner_field = "entidad"

    class Meta:
        verbose_name = "miembro del equipo técnico"
        verbose_name_plural = "equipo técnico"
        ordering = ["plan", "entidad__nivel__orden", "orden"]
        constraints = [models.UniqueConstraint(fields=["plan", "entidad", "orden"], name="miembro_orden_unico")]

    def __str__(self):
        return self.nombre


class OrganoResponsable(PlanPiece):
    """A unit in charge of carrying out the plan (A.XII)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="organos_responsables", verbose_name="plan")
    organo = models.ForeignKey(Organo, models.PROTECT, related_name="responsabilidades", verbose_name="órgano")
    orden = models.PositiveSmallIntegerField("orden", default=0)
    funcion = models.TextField("función en el plan", blank=True, help_text="p. ej. seguimiento y evaluación.")

    natural_key_fields = ("plan", "organo")

    class Meta:
        verbose_name = "órgano responsable"
        verbose_name_plural = "órganos responsables"
        ordering = ["plan", "organo__entidad__nivel__orden", "orden"]
        constraints = [models.UniqueConstraint(fields=["plan", "organo"], name="organo_responsable_unico")]

    def __str__(self):
        return str(self.organo)


class FuncionNivel(PlanPiece):
    """A legal function of one level of government for the service (B.I 3-5)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="funciones", verbose_name="plan")
    nivel = models.ForeignKey(NivelGobierno, models.PROTECT, related_name="funciones", verbose_name="nivel de gobierno")
    apartado = models.CharField("apartado", max_length=200, help_text="p. ej. «3.1 Funciones rectoras», «Artículo 73°».")
    literal = models.CharField("literal", max_length=10, blank=True)
    texto = models.TextField("texto")
    orden = models.PositiveSmallIntegerField("orden")

    natural_key_fields = ("plan", "nivel", "orden")

    class Meta:
        verbose_name = "función por nivel"
        verbose_name_plural = "funciones por nivel"
        ordering = ["plan", "nivel__orden", "orden"]
        constraints = [models.UniqueConstraint(fields=["plan", "nivel", "orden"], name="funcion_orden_unico")]

    def __str__(self):
        return f"{self.apartado} {self.literal}".strip()


class NotaFuente(PlanPiece):
    """Where the source document is silent, broken or contradicts itself, and what the data
    holds instead: the gap of section 8, the two readings of DRTPE problem 3 …"""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="notas_fuente", verbose_name="plan")
    seccion = models.CharField("sección", max_length=20)
    orden = models.PositiveSmallIntegerField("orden", default=0)
    titulo = models.CharField("título", max_length=200)
    descripcion = models.TextField("descripción")

    natural_key_fields = ("plan", "seccion", "orden")

    class Meta:
        verbose_name = "nota sobre la fuente"
        verbose_name_plural = "notas sobre la fuente"
        ordering = ["plan", "seccion", "orden"]
        constraints = [models.UniqueConstraint(fields=["plan", "seccion", "orden"], name="nota_fuente_unica")]

    def __str__(self):
        return f"{self.seccion}: {self.titulo}"


# Every change to these is kept with who, when, the values and the reason (amc/auditoria.py).
auditar(
    NivelGobierno, Entidad, Organo, Plan, PlanEntidad, SeccionNarrativa, BaseLegal, Declaracion, ServicioPrestado,
    Objetivo, Estrategia, AccionEstrategica, HallazgoEvaluacion, MiembroEquipo, OrganoResponsable, FuncionNivel,
    NotaFuente,
)
