"""Reads of what waits for each user: the home page's work queues, the navigation's counts and
the notices page.

Who sees which queue (`colas(user=...)`):
- whoever files for an entity (regional, local and ministry staff; not planners): the periods
  open for it, its drafts not sent and what came back with an observation;
- reviewers (ministry staff; administrators): the entries waiting for review in the plans their
  entity leads (administrators: every plan), and since when;
- planners and reviewers: the entities late or missing, whose window ended or ends within the
  plan's days of notice (`ConfiguracionSeguimiento.dias_aviso`) with nothing submitted.

Each queue is one queryset, evaluated for the home page (one query each, whatever the number
of plans, periods or entities) and counted inside the navigation's single query, so the count
in the navigation is the number of rows the home page lists.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    DateField, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value,
)
from django.db.models.functions import Coalesce, Least
from django.urls import reverse
from django.utils import timezone

from amc import access
from amc.versiones import por_version
from amc.access import Rol
from matrices.models import Actividad, Indicador
from planes.models import Entidad, Plan, Usuario
from seguimiento import registros
from seguimiento.models import AvanceActividad, ConfiguracionSeguimiento, EstadoRevision, PeriodoReporte, ValorIndicador

from avisos.models import Aviso

E = EstadoRevision
ABIERTO = PeriodoReporte.Estado.ABIERTO
DIAS_AVISO = ConfiguracionSeguimiento._meta.get_field("dias_aviso").default
REPORTADOS = (ValorIndicador, AvanceActividad)  # what an entity submits and the ministry reviews
ANCLA = {"indicador": "ind", "actividad": "act"}  # the entry page's row ids (#ind-12, #act-3)


# --- building blocks ------------------------------------------------------------------------------

def _contar(qs: QuerySet):
    """The number of rows of `qs`, as an expression (a scalar subquery) for another query."""
    return Coalesce(Subquery(qs.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")[:1]), 0,
                    output_field=IntegerField())


def _suma(model_filters: list[tuple[type, dict]]):
    """How many rows of several models match their filters, added up (one subquery each)."""
    total = None
    for model, filtros in model_filters:
        n = _contar(model.objects.filter(**filtros))
        total = n if total is None else total + n
    return total


class DiasHasta(Func):
    """Whole days from `hoy` to a date column (negative once it is past), as an integer on
    PostgreSQL (date - date) and SQLite (julianday difference)."""

    output_field = IntegerField()

    def __init__(self, columna, hoy: datetime.date):
        super().__init__(columna, Value(hoy, output_field=DateField()))

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)",
                              arg_joiner=") - julianday(", **extra_context)


def _pares(planes: QuerySet) -> QuerySet:
    """One row per period of `planes` and entity taking part in its plan: the period, with the
    entity's id annotated as `ent` (a join on the plan's participants)."""
    return PeriodoReporte.objects.filter(plan__in=planes).annotate(ent=F("plan__participaciones__entidad"))


def _con_items(qs: QuerySet, entidad=OuterRef("ent")) -> QuerySet:
    """Rows whose entity has something to report in the period's plan (indicators or activities)."""
    return qs.filter(Q(Exists(Indicador.objects.filter(plan=OuterRef("plan"), entidad=entidad)))
                     | Q(Exists(Actividad.objects.filter(plan=OuterRef("plan"), entidad=entidad))))


# --- the queues, as querysets -----------------------------------------------------------------------

def periodos_abiertos_qs(*, entidad_id: int, hoy: datetime.date) -> QuerySet:
    """The periods open today (window started, not ended, not closed) of the plans in which the
    entity has indicators or activities, with its counts of records in draft (`borradores`) and
    returned (`devueltos`), and the plan's days of notice (`dias_aviso`). What is due and sent is
    `registros.por_enviar`'s (see `periodos_abiertos`)."""
    def por_estado(*estados):
        return _suma([(m, {"periodo": OuterRef("pk"), "entidad": entidad_id, "estado__in": estados}) for m in REPORTADOS])

    qs = PeriodoReporte.objects.filter(
        estado=ABIERTO, entrega_desde__lte=hoy, entrega_hasta__gte=hoy, plan__participaciones__entidad=entidad_id,
    )
    return _con_items(qs, entidad_id).annotate(
        borradores=por_estado(E.BORRADOR),
        devueltos=por_estado(E.DEVUELTO),
        dias_aviso=Coalesce(F("plan__configuracion_seguimiento__dias_aviso"), DIAS_AVISO),
    )


def devueltos_qs(tipo: registros.TipoRegistro, *, entidad_id: int) -> QuerySet:
    """The entity's records of kind `tipo` returned with an observation, with the reviewer's
    last observation (`obs`) and when it came (`devuelto_en`), oldest first."""
    ultima = tipo.historial.objects.filter(registro=OuterRef("pk"), accion__in=("devuelto", "reabierto")).order_by("-fecha", "-pk")
    return (tipo.model.objects.filter(entidad_id=entidad_id, estado=E.DEVUELTO)
            .annotate(obs=Subquery(ultima.values("motivo")[:1]), devuelto_en=Subquery(ultima.values("fecha")[:1]))
            .order_by("devuelto_en", "pk"))


def por_revisar_qs(*, planes: QuerySet) -> QuerySet:
    """Per period of `planes` and entity: how many of its records wait for review (`n`, more than
    none) and since when (`desde`: the oldest of them was last sent or changed then)."""
    def filtros():
        return {"periodo": OuterRef("pk"), "entidad": OuterRef("ent"), "estado": E.ENVIADO}

    desde = [Subquery(m.objects.filter(**filtros()).order_by("actualizado_en").values("actualizado_en")[:1]) for m in REPORTADOS]
    return _pares(planes).annotate(
        n=_suma([(m, filtros()) for m in REPORTADOS]),
        desde=Least(Coalesce(desde[0], desde[1]), Coalesce(desde[1], desde[0])),
    ).filter(n__gt=0)


def atrasos_qs(*, planes: QuerySet, hoy: datetime.date) -> QuerySet:
    """Per period of `planes` and entity with something to report in it: those with nothing
    submitted (no record ever sent) while the period's window has ended, or ends within the
    plan's days of notice (default 5). Closed periods (all approved) are not late."""
    qs = (_pares(planes).filter(estado=ABIERTO, entrega_desde__lte=hoy)
          .alias(dias_aviso=Coalesce(F("plan__configuracion_seguimiento__dias_aviso"), DIAS_AVISO), quedan=DiasHasta("entrega_hasta", hoy))
          .filter(quedan__lte=F("dias_aviso")))
    enviado = [Exists(m.objects.filter(periodo=OuterRef("pk"), entidad=OuterRef("ent"), enviado_en__isnull=False)) for m in REPORTADOS]
    return _con_items(qs).filter(~Q(enviado[0]), ~Q(enviado[1]))


# --- who sees which queue ---------------------------------------------------------------------------

def archiva(user) -> bool:
    """Files for its entity: anyone with an entity who is not only a planner."""
    return bool(getattr(user, "entidad_id", None)) and not access.is_read_only(user)


def revisa(user) -> bool:
    """Reviews what the entities file (`seguimiento.services.is_reviewer`)."""
    return access.is_admin(user) or Rol.MINISTERIO in access.role_names(user)


def vigila(user) -> bool:
    """Watches which entities are late: reviewers and planners."""
    return revisa(user) or Rol.PLANIFICADOR in access.role_names(user)


def planes_revisados(user) -> QuerySet:
    """The plans whose entries `user` reviews: those its entity leads (administrators: all)."""
    if access.is_admin(user):
        return Plan.objects.all()
    return Plan.objects.filter(entidad_responsable_id=user.entidad_id)


def planes_vigilados(user) -> QuerySet:
    """The plans whose late entities `user` is shown: every plan it reads for administrators and
    planners, the plans its entity leads for ministry staff."""
    if access.is_admin(user) or Rol.PLANIFICADOR in access.role_names(user):
        return Plan.objects.visible_to(user)
    return planes_revisados(user)


# --- the home page --------------------------------------------------------------------------------------

def _reportar_url(periodo, ancla: str = "") -> str:
    return reverse("seguimiento:reportar", args=[periodo.plan_id, periodo.pk]) + (f"#{ancla}" if ancla else "")


def dias_texto(quedan: int) -> str:
    """How a deadline `quedan` days away reads: «vence hoy», «venció hace 3 días»…"""
    if quedan == 0:
        return "vence hoy"
    if quedan == 1:
        return "vence mañana"
    if quedan > 1:
        return f"vence en {quedan} días"
    return "venció ayer" if quedan == -1 else f"venció hace {-quedan} días"


@dataclass
class FilaPeriodo:
    """An open period for the user's entity: how much of its entry is done."""

    periodo: PeriodoReporte
    esperados: int
    enviados: int
    borradores: int
    devueltos: int
    quedan: int  # days until the deadline (0: today)
    dias_aviso: int  # the plan's days of notice before the deadline
    url: str

    @property
    def por_enviar(self) -> int:
        return self.esperados - self.enviados

    @property
    def plazo_texto(self) -> str:
        return dias_texto(self.quedan)

    @property
    def urgente(self) -> bool:
        """Something left to send and the deadline within the plan's days of notice."""
        return self.por_enviar > 0 and self.quedan <= self.dias_aviso


@dataclass
class FilaDevuelto:
    """A value or an activity's progress returned to the user's entity with an observation."""

    tipo: str  # "Indicador", "Actividad"
    nombre: str
    periodo: PeriodoReporte
    observacion: str
    fecha: datetime.datetime | None
    url: str


@dataclass
class FilaEntrega:
    """An entity's entry for a period, in a reviewer's or planner's queue."""

    periodo: PeriodoReporte
    entidad: Entidad
    url: str
    n: int = 0  # records waiting for review
    desde: datetime.datetime | None = None  # the oldest of them was last sent then
    dias: int = 0  # days waiting (review) or until the deadline, negative once past (late)

    @property
    def plazo_texto(self) -> str:
        return dias_texto(self.dias)


@dataclass
class Colas:
    """What waits for a user. A queue the user's role does not have is None."""

    entidad: Entidad | None
    periodos: list[FilaPeriodo] | None = None
    devueltos: list[FilaDevuelto] | None = None
    por_revisar: list[FilaEntrega] | None = None
    atrasos: list[FilaEntrega] | None = None

    @property
    def borradores(self) -> list[FilaPeriodo]:
        return [f for f in self.periodos or [] if f.borradores]

    @property
    def periodos_por_enviar(self) -> list[FilaPeriodo]:
        return [f for f in self.periodos or [] if f.por_enviar > 0]

    @property
    def total(self) -> int:
        """What the navigation counts: periods with something to send, returned records,
        entries to review, late entities."""
        return (len(self.periodos_por_enviar) + len(self.devueltos or []) + len(self.por_revisar or [])
                + len(self.atrasos or []))

    @property
    def alguna(self) -> bool:
        return any(c is not None for c in (self.periodos, self.por_revisar, self.atrasos))


def periodos_abiertos(*, entidad_id: int, hoy: datetime.date) -> list[FilaPeriodo]:
    """The entity's open periods, soonest deadline first, each with what is due in it and how
    much of that was sent (`registros.por_enviar`: only what is due counts, so a period with
    everything due sent is not pending though an optional item was left blank). 8 queries when
    some period is open (the periods, then 7 for what is due and sent), 1 otherwise; whatever the
    number of plans, periods and items."""
    periodos = list(periodos_abiertos_qs(entidad_id=entidad_id, hoy=hoy).select_related("plan").order_by("entrega_hasta", "plan_id"))
    cuentas = registros.por_enviar(periodos=periodos, entidad=entidad_id)
    filas = []
    for p in periodos:
        cuenta = cuentas.get((p.pk, entidad_id), registros.PorEnviar())
        filas.append(FilaPeriodo(p, cuenta.esperados, cuenta.enviados, p.borradores, p.devueltos,
                                 (p.entrega_hasta - hoy).days, p.dias_aviso, _reportar_url(p)))
    return filas


def _con_entidad(qs: QuerySet) -> QuerySet:
    """Pairs (see `_pares`) with their plan and their entity's names, in plan and time order."""
    return (qs.select_related("plan")
            .annotate(ent_sigla=F("plan__participaciones__entidad__sigla"), ent_nombre=F("plan__participaciones__entidad__nombre"))
            .order_by("plan__titulo", "plan_id", "inicio", "ent_sigla", "ent"))


def _entidad(fila) -> Entidad:
    return Entidad(pk=fila.ent, sigla=fila.ent_sigla, nombre=fila.ent_nombre)


def colas(*, user, hoy: datetime.date | None = None) -> Colas:
    """What waits for `user`, queue by queue (see the module's docstring), in a fixed number of
    queries whatever the number of plans, periods, entities or records: open periods 8
    (`periodos_abiertos`), returned records 2 (values, activities), entries to review 1, late
    entities 1."""
    hoy = hoy or timezone.localdate()
    entidad = getattr(user, "entidad", None) if getattr(user, "entidad_id", None) else None
    resultado = Colas(entidad)
    if archiva(user):
        resultado.periodos = periodos_abiertos(entidad_id=user.entidad_id, hoy=hoy)
        resultado.devueltos = []
        for tipo in registros.REVISADOS:
            for r in devueltos_qs(tipo, entidad_id=user.entidad_id).select_related(tipo.item, "periodo__plan"):
                item = getattr(r, tipo.item)
                resultado.devueltos.append(FilaDevuelto(
                    item._meta.verbose_name.capitalize(), str(item), r.periodo, r.obs or "",
                    r.devuelto_en, _reportar_url(r.periodo, f"{ANCLA[tipo.item]}-{item.pk}")))
    if revisa(user):
        resultado.por_revisar = [
            FilaEntrega(p, _entidad(p), reverse("seguimiento:revision_entrega", args=[p.plan_id, p.pk, p.ent]), n=p.n, desde=p.desde,
                        dias=(hoy - timezone.localtime(p.desde).date()).days if p.desde else 0)
            for p in _con_entidad(por_revisar_qs(planes=planes_revisados(user)))
        ]
    if vigila(user):
        resultado.atrasos = [
            FilaEntrega(p, _entidad(p), _atraso_url(user, p), dias=(p.entrega_hasta - hoy).days)
            for p in _con_entidad(atrasos_qs(planes=planes_vigilados(user), hoy=hoy))
        ]
    return resultado


def _atraso_url(user, periodo) -> str:
    """Reviewers open the entity's entry; planners the plan's tracking report."""
    if revisa(user):
        return reverse("seguimiento:revision_entrega", args=[periodo.plan_id, periodo.pk, periodo.ent])
    return reverse("seguimiento:reporte", args=[periodo.plan_id])


# --- the navigation ---------------------------------------------------------------------------------------

@dataclass
class Contadores:
    avisos: int = 0  # unread notices
    pendientes: int = 0  # what the home page's queues list (Colas.total)


def contadores(*, user, hoy: datetime.date | None = None, colas: Colas | None = None) -> Contadores:
    """The navigation's counts for `user`: the unread notices (1 query) and what the home page's
    queues list (`Colas.total`). Given the home page's `colas` they are counted from it; otherwise
    by `pendientes`, once per data version and day with a cache (1 query: the version)."""
    hoy = hoy or timezone.localdate()
    avisos = Aviso.objects.de(user).no_leidos().count() if getattr(user, "entidad_id", None) else 0
    if colas is not None:
        return Contadores(avisos=avisos, pendientes=colas.total)
    clave = ("avisos:pendientes", user.pk, user.entidad_id, tuple(sorted(access.role_names(user))), hoy)
    return Contadores(avisos=avisos, pendientes=por_version(clave, lambda: pendientes(user=user, hoy=hoy)))


def pendientes(*, user, hoy: datetime.date) -> int:
    """How many rows the home page's queues would list for `user` (`Colas.total`) without listing
    them: each queue counted as a subquery of one query, but the open periods with something due
    still to send, which follow `registros.exigidos` (Python): those are `periodos_abiertos`' (8
    queries when a period is open, 1 otherwise). Building the query is most of its cost (about 20
    ms of Python for a reviewer at national scale): the navigation asks it once per data version."""
    cuentas = {}
    por_enviar = 0
    if archiva(user):
        por_enviar = sum(1 for f in periodos_abiertos(entidad_id=user.entidad_id, hoy=hoy) if f.por_enviar > 0)
        for tipo in registros.REVISADOS:
            cuentas[f"n_devueltos_{tipo.clave}"] = _contar(devueltos_qs(tipo, entidad_id=user.entidad_id))
    if revisa(user):
        cuentas["n_por_revisar"] = _contar(por_revisar_qs(planes=planes_revisados(user)))
    if vigila(user):
        cuentas["n_atrasos"] = _contar(atrasos_qs(planes=planes_vigilados(user), hoy=hoy))
    if not cuentas:
        return por_enviar
    # The user's row only carries the subqueries (the user was loaded with the request).
    fila = Usuario.objects.filter(pk=user.pk).values(**cuentas).first() or {}
    return por_enviar + sum(fila.values())


# --- the notices page ----------------------------------------------------------------------------------

def avisos_de(*, user) -> QuerySet:
    """The notices of `user` (its own, within its entity), newest first, with their plan."""
    return Aviso.objects.de(user).select_related("plan", "periodo")
