"""Reads of the follow-up pages: a plan's periods, an entity's entry for a period, the
review lists. Each function loads a fixed number of queries, whatever the number of
indicators, activities, entities or periods."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import ClassVar

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amc.vocabulario import mes_nombre
from matrices.models import Actividad, Indicador, MetaIndicador
from planes.models import Entidad, Plan, PlanEntidad
from presupuesto.models import LineaPresupuesto
from seguimiento import registros, rules
from seguimiento.desempeno import Desempeno, desempeno
from seguimiento.models import (
    AvanceActividad, CondicionValor, ConfiguracionSeguimiento, EjecucionPresupuestal, EstadoRevision, EventoPeriodo,
    HistorialAvance, HistorialValor, IndicadorDesagregacion, LogrosPeriodo, MetaPeriodo, PeriodoReporte, ValorIndicador,
)
from seguimiento.registros import AVANCE, EJECUCION, VALOR, TipoRegistro

E = EstadoRevision


def periodo_get(*, plan: Plan, periodo_id: int) -> PeriodoReporte:
    periodo = get_object_or_404(PeriodoReporte.objects.filter(plan=plan), pk=periodo_id)
    periodo.plan = plan
    return periodo


def entidad_get(*, plan: Plan, entidad_id: int) -> Entidad:
    """An entity taking part in `plan` (1 query); 404 otherwise."""
    return get_object_or_404(Entidad.objects.select_related("nivel").filter(participaciones__plan=plan), pk=entidad_id)


def periodo_actual(*, plan: Plan, hoy=None) -> PeriodoReporte | None:
    """The plan's latest period begun by `hoy` (today in Lima), or its first one (2 queries at most)."""
    hoy = hoy or timezone.localdate()
    periodos = PeriodoReporte.objects.of_plan(plan)
    periodo = periodos.filter(inicio__lte=hoy).order_by("-inicio").first() or periodos.first()
    if periodo is not None:
        periodo.plan = plan
    return periodo


@dataclass
class PeriodosPlan:
    plan: Plan
    configuracion: ConfiguracionSeguimiento | None
    periodos: list[PeriodoReporte]
    eventos: list[EventoPeriodo]


def periodo_list(*, plan: Plan) -> PeriodosPlan:
    """The plan's follow-up settings, its periods in time order and their events (3 queries)."""
    configuracion = ConfiguracionSeguimiento.objects.filter(plan=plan).first()
    periodos = list(PeriodoReporte.objects.of_plan(plan))
    eventos = list(EventoPeriodo.objects.filter(periodo__plan=plan).select_related("periodo", "usuario", "entidad")
                   .order_by("-fecha", "-pk")[:20])
    for p in periodos:
        p.plan = plan
    return PeriodosPlan(plan, configuracion, periodos, eventos)


# --- an entity's entry for a period ---------------------------------------------------------------

class FilaRegistro:
    """A row of an entry: an item (indicator or activity) and its record for the period, if
    filed. What the record allows is the model's (`editable`, `observacion`); what kind it is,
    its spec (`tipo`)."""

    tipo: ClassVar[TipoRegistro]

    @property
    def item(self):
        return getattr(self, self.tipo.item)

    @property
    def registro(self):
        raise NotImplementedError

    @property
    def prefix(self) -> str:
        return self.tipo.prefix(self.item.pk)

    @property
    def editable(self) -> bool:
        return self.registro is None or self.registro.editable

    @property
    def enviado_alguna_vez(self) -> bool:
        return bool(self.registro and self.registro.enviado_en)

    @property
    def observacion(self) -> str:
        return self.registro.observacion if self.registro else ""

    @property
    def ancla(self) -> str:
        """The id of its record on the review page ("valor-12"), where a review step brings the
        reviewer back; "" with nothing filed."""
        return registros.ancla(self.registro) if self.registro else ""


@dataclass
class FilaIndicador(FilaRegistro):
    tipo: ClassVar[TipoRegistro] = VALOR

    indicador: Indicador
    meta_anual: Decimal | None
    meta_periodo: Decimal | None
    anteriores: list[ValorIndicador]
    valor: ValorIndicador | None
    desagregaciones: list[IndicadorDesagregacion]
    exigido: str = ""  # why it must be reported in the period ("" : optional), rules.valor_exigido

    @property
    def registro(self) -> ValorIndicador | None:
        return self.valor

    @property
    def numero(self) -> Decimal | None:
        """The number filed (None: nothing filed, or «No aplica» / «Sin información»)."""
        return self.valor.valor if self.valor is not None and self.valor.condicion == CondicionValor.VALOR else None

    @property
    def logro(self) -> Decimal | None:
        """% achieved of the period's target (see `desempeno`)."""
        return self.desempeno.logro

    @property
    def semaforo(self) -> str | None:
        return self.desempeno.semaforo

    @property
    def semaforo_svg(self):
        return self.desempeno.semaforo_svg

    @property
    def partes(self) -> dict[int, Decimal]:
        return {p.categoria_id: p.cantidad for p in self.valor.partes.all()} if self.valor else {}

    @cached_property
    def desempeno(self) -> Desempeno:
        """The number stored (even a draft) against the period's target, by the indicator's
        direction (`seguimiento.desempeno`, the tracking report's rule): the review page shows it;
        off track, the entry page asks for difficulties and corrective measures."""
        return desempeno(self.numero, self.meta_periodo, self.indicador.sentido)


@dataclass
class FilaActividad(FilaRegistro):
    tipo: ClassVar[TipoRegistro] = AVANCE

    actividad: Actividad
    avance: AvanceActividad | None
    anterior: AvanceActividad | None  # its latest progress submitted in an earlier period
    exigido: str = ""  # why it must be reported in the period ("" : optional), rules.avance_exigido

    @property
    def registro(self) -> AvanceActividad | None:
        return self.avance


@dataclass
class MesEjecucion:
    linea: LineaPresupuesto
    mes: int
    ejecucion: EjecucionPresupuestal | None

    @property
    def prefix(self) -> str:
        return EJECUCION.prefix((self.linea.pk, self.mes))

    @property
    def nombre_mes(self) -> str:
        return mes_nombre(self.mes)


@dataclass
class FilaLinea:
    linea: LineaPresupuesto
    meses: list[MesEjecucion]


@dataclass
class Entrega:
    """What an entity files for a period: its indicators, its activities, its budget lines."""

    plan: Plan
    periodo: PeriodoReporte
    entidad: Entidad
    indicadores: list[FilaIndicador]
    actividades: list[FilaActividad]
    lineas: list[FilaLinea]

    @property
    def registros(self):
        return [f.registro for f in self.indicadores + self.actividades if f.registro]

    @property
    def aprobada(self) -> bool:
        """Every indicator value and activity progress approved: the entity's entry is locked."""
        filas = self.indicadores + self.actividades
        return bool(filas) and not any(f.editable for f in filas)

    @property
    def devueltos(self) -> int:
        return sum(1 for r in self.registros if r.estado == E.DEVUELTO)

    @property
    def indicadores_exigidos(self) -> int:
        return sum(1 for f in self.indicadores if f.exigido)

    @property
    def actividades_exigidas(self) -> int:
        return sum(1 for f in self.actividades if f.exigido)


def _historial_prefetch(model):
    return Prefetch("historial", queryset=model.objects.select_related("usuario").order_by("fecha", "pk"))


def entrega_get(*, periodo: PeriodoReporte, entidad: Entidad, con_anteriores: bool = True) -> Entrega:
    """Everything an entity's entry page for a period shows (16 queries, whatever the size):
    its indicators with their yearly target, target for the period, disaggregations and their
    categories, and whether each is due in the period; its values for this period with their
    parts and history and, with `con_anteriores` (the entry page; the review page shows none),
    the earlier periods' values; its activities with their progress and history, and whether
    each is due (programmed in the schedule, or under way); its budget lines with the period's
    months."""
    plan = periodo.plan
    metas_anuales = Prefetch("metas", queryset=MetaIndicador.objects.filter(anio=periodo.anio), to_attr="metas_del_anio")
    desagregaciones = Prefetch(
        "desagregaciones",
        queryset=IndicadorDesagregacion.objects.select_related("tipo").prefetch_related("tipo__categorias"),
    )
    indicadores = list(
        Indicador.objects.filter(plan=plan, entidad=entidad).order_by("orden").prefetch_related(metas_anuales, desagregaciones)
    )  # 4 queries: indicators, yearly targets, disaggregations, categories
    metas_periodo = dict(
        MetaPeriodo.objects.filter(periodo=periodo, indicador__plan=plan, indicador__entidad=entidad).values_list("indicador_id", "valor")
    )
    valores = (
        ValorIndicador.objects.filter(entidad=entidad, periodo__plan=plan, periodo__inicio__lte=periodo.inicio)
        .select_related("periodo").order_by("periodo__inicio")
    )
    if not con_anteriores:
        valores = valores.filter(periodo=periodo)
    por_indicador: dict[int, list[ValorIndicador]] = defaultdict(list)
    actual: dict[int, ValorIndicador] = {}
    for v in valores:
        if v.periodo_id == periodo.pk:
            actual[v.indicador_id] = v
        else:
            por_indicador[v.indicador_id].append(v)
    # parts and history of this period's values only: the earlier ones show their number and state
    # (a year of monthly values is 12 times as many rows)
    prefetch_related_objects(list(actual.values()), "partes", _historial_prefetch(HistorialValor))  # 3 queries in all
    filas_ind = []
    for ind in indicadores:
        meta = ind.metas_del_anio[0].valor if ind.metas_del_anio else None
        meta_periodo = metas_periodo.get(ind.pk)
        filas_ind.append(FilaIndicador(ind, meta, meta_periodo, por_indicador.get(ind.pk, []), actual.get(ind.pk),
                                       list(ind.desagregaciones.all()), rules.valor_exigido(ind, periodo, meta_periodo)))

    actividades = list(Actividad.objects.filter(plan=plan, entidad=entidad).order_by("orden"))
    avances = (
        AvanceActividad.objects.filter(entidad=entidad, periodo__plan=plan, periodo__inicio__lte=periodo.inicio)
        .select_related("periodo").order_by("periodo__inicio")
    )
    av_actual, av_anteriores = {}, defaultdict(list)
    for a in avances:
        if a.periodo_id == periodo.pk:
            av_actual[a.actividad_id] = a
        else:
            av_anteriores[a.actividad_id].append(a)
    prefetch_related_objects(list(av_actual.values()), _historial_prefetch(HistorialAvance))  # 2 queries in all
    programadas = registros.actividades_programadas(periodos=[periodo])[periodo.pk]  # 1 query with the schedule
    filas_act = []
    for a in actividades:
        anterior = rules.ultimo_enviado(av_anteriores.get(a.pk, []))
        filas_act.append(FilaActividad(a, av_actual.get(a.pk), anterior,
                                       rules.avance_exigido(programada=a.pk in programadas, anterior=anterior)))

    lineas = list(LineaPresupuesto.objects.filter(plan=plan, entidad=entidad).order_by("orden"))
    ejecuciones = {(e.linea_id, e.mes): e for e in EjecucionPresupuestal.objects.filter(
        linea__plan=plan, linea__entidad=entidad, anio=periodo.anio, mes__in=periodo.meses)}
    filas_lin = [FilaLinea(linea, [MesEjecucion(linea, m, ejecuciones.get((linea.pk, m))) for m in periodo.meses]) for linea in lineas]
    return Entrega(plan, periodo, entidad, filas_ind, filas_act, filas_lin)


def logros_get(*, periodo: PeriodoReporte, entidad: Entidad) -> LogrosPeriodo | None:
    """The entity's summary of achievements for the period, with who changed it last (1 query)."""
    return LogrosPeriodo.objects.filter(periodo=periodo, entidad=entidad).select_related("actualizado_por").first()


# --- review --------------------------------------------------------------------------------------

@dataclass
class CeldaRevision:
    """How far one entity's entry for one period has got: its records by review state, and
    how many of the items due in the period (`registros.exigidos`) are filed and approved."""

    entidad: Entidad
    periodo: PeriodoReporte
    esperados: int  # items due in the period
    cuenta: dict[str, int] = field(default_factory=dict)  # records by review state
    debidos_enviados: int = 0  # due items submitted or approved
    debidos_aprobados: int = 0

    @property
    def por_revisar(self) -> int:
        return self.cuenta.get(E.ENVIADO, 0)

    @property
    def aprobados(self) -> int:
        return self.cuenta.get(E.APROBADO, 0)

    @property
    def devueltos(self) -> int:
        return self.cuenta.get(E.DEVUELTO, 0)

    @property
    def resumen(self) -> str:
        if self.por_revisar:
            return f"{self.por_revisar} por revisar"
        if self.devueltos:
            return f"{self.devueltos} devuelto(s)"
        if not self.esperados:
            return f"{self.aprobados} aprobado(s), nada obligatorio" if self.aprobados else "Nada obligatorio que reportar"
        if self.debidos_aprobados >= self.esperados:
            return "Aprobado"
        if not self.debidos_enviados:
            return f"Sin enviar ({self.esperados} obligatorio(s))"
        return f"{self.debidos_aprobados} de {self.esperados} obligatorios aprobados"


@dataclass
class Revision:
    plan: Plan
    periodos: list[PeriodoReporte]
    entidades: list[Entidad]
    celdas: dict[tuple[int, int], CeldaRevision]

    def filas(self):
        return [(p, [self.celdas[(p.pk, e.pk)] for e in self.entidades]) for p in self.periodos]


def revision_list(*, plan: Plan) -> Revision:
    """Per period and entity, how many values and progress reports are in each review state
    and how many of the items due are filed and approved (11 queries: periods, entities,
    indicator and activity counts, what is due (5), the records' states of each kind)."""
    periodos = list(PeriodoReporte.objects.of_plan(plan))
    entidades = [pe.entidad for pe in PlanEntidad.objects.filter(plan=plan).select_related("entidad__nivel").order_by("orden")]
    con_items = set()
    for model in (Indicador, Actividad):
        con_items.update(model.objects.filter(plan=plan).order_by().values_list("entidad", flat=True).distinct())
    debidos = registros.exigidos(periodos=periodos)
    celdas = {(p.pk, e.pk): CeldaRevision(e, p, len(debidos.get((p.pk, e.pk), ()))) for p in periodos for e in entidades}
    for tipo in registros.REVISADOS:
        filas = tipo.model.objects.filter(periodo__plan=plan).order_by().values_list("periodo", "entidad", f"{tipo.item}_id", "estado")
        for periodo_id, entidad_id, item_id, estado in filas:
            celda = celdas.get((periodo_id, entidad_id))
            if celda is None:
                continue
            celda.cuenta[estado] = celda.cuenta.get(estado, 0) + 1
            exigidos = debidos.get((periodo_id, entidad_id))
            if exigidos is not None and item_id in exigidos.de(tipo):
                celda.debidos_enviados += estado in registros.ENVIADOS
                celda.debidos_aprobados += estado == E.APROBADO
    for p in periodos:
        p.plan = plan
    return Revision(plan, periodos, [e for e in entidades if e.pk in con_items], celdas)


def evidencia_get(*, user, tipo: str, pk: int):
    """A filed value or progress whose evidence `user` may read (its plan is visible); 404."""
    spec = registros.tipo_por_clave(tipo)
    if spec is None or not spec.revisado:
        raise Http404("Tipo de evidencia desconocido.")
    return get_object_or_404(spec.model.objects.visible_to(user).filter(~Q(evidencia="")), pk=pk)
