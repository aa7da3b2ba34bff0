"""Reads of the follow-up pages: a plan's periods, an entity's entry for a period, the
review lists. Each function loads a fixed number of queries, whatever the number of
indicators, activities, entities or periods."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import ClassVar

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amc.vocabulario import mes_nombre
from matrices.models import Actividad, Indicador, MetaIndicador
from planes.models import Entidad, Plan, PlanEntidad
from presupuesto.models import LineaPresupuesto
from seguimiento import registros
from seguimiento.desempeno import Desempeno, desempeno
from seguimiento.models import (
    AvanceActividad, ConfiguracionSeguimiento, EjecucionPresupuestal, EstadoRevision, EventoPeriodo,
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
    return get_object_or_404(Entidad.objects.filter(participaciones__plan=plan), pk=entidad_id)


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


@dataclass
class FilaIndicador(FilaRegistro):
    tipo: ClassVar[TipoRegistro] = VALOR

    indicador: Indicador
    meta_anual: Decimal | None
    meta_periodo: Decimal | None
    anteriores: list[ValorIndicador]
    valor: ValorIndicador | None
    desagregaciones: list[IndicadorDesagregacion]

    @property
    def registro(self) -> ValorIndicador | None:
        return self.valor

    @property
    def partes(self) -> dict[int, Decimal]:
        return {p.categoria_id: p.cantidad for p in self.valor.partes.all()} if self.valor else {}

    @cached_property
    def desempeno(self) -> Desempeno:
        """The stored value (even a draft) against the period's target, by the indicator's
        direction: off track asks for difficulties and corrective measures."""
        valor = self.valor.valor if self.valor else None
        return desempeno(valor, self.meta_periodo, self.indicador.sentido)


@dataclass
class FilaActividad(FilaRegistro):
    tipo: ClassVar[TipoRegistro] = AVANCE

    actividad: Actividad
    avance: AvanceActividad | None
    anterior: AvanceActividad | None

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


def _historial_prefetch(model):
    return Prefetch("historial", queryset=model.objects.select_related("usuario").order_by("fecha", "pk"))


def entrega_get(*, periodo: PeriodoReporte, entidad: Entidad) -> Entrega:
    """Everything an entity's entry page for a period shows (10 queries, whatever the size):
    its indicators with their yearly target, target for the period, disaggregations and their
    categories; its values for this and earlier periods with their parts and history; its
    activities with their progress and history; its budget lines with the period's months."""
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
        .select_related("periodo").prefetch_related("partes", _historial_prefetch(HistorialValor))
        .order_by("periodo__inicio")
    )  # 3 queries
    por_indicador: dict[int, list[ValorIndicador]] = defaultdict(list)
    actual: dict[int, ValorIndicador] = {}
    for v in valores:
        if v.periodo_id == periodo.pk:
            actual[v.indicador_id] = v
        else:
            por_indicador[v.indicador_id].append(v)
    filas_ind = []
    for ind in indicadores:
        meta = ind.metas_del_anio[0].valor if ind.metas_del_anio else None
        filas_ind.append(FilaIndicador(ind, meta, metas_periodo.get(ind.pk), por_indicador.get(ind.pk, []), actual.get(ind.pk),
                                       list(ind.desagregaciones.all())))

    actividades = list(Actividad.objects.filter(plan=plan, entidad=entidad).order_by("orden"))
    avances = (
        AvanceActividad.objects.filter(entidad=entidad, periodo__plan=plan, periodo__inicio__lte=periodo.inicio)
        .select_related("periodo").prefetch_related(_historial_prefetch(HistorialAvance)).order_by("periodo__inicio")
    )  # 2 queries
    av_actual, av_anterior = {}, {}
    for a in avances:
        (av_actual if a.periodo_id == periodo.pk else av_anterior)[a.actividad_id] = a
    filas_act = [FilaActividad(a, av_actual.get(a.pk), av_anterior.get(a.pk)) for a in actividades]

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
    """How far one entity's entry for one period has got."""

    entidad: Entidad
    periodo: PeriodoReporte
    esperados: int
    cuenta: dict[str, int] = field(default_factory=dict)

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
        if not self.esperados:
            return "Nada que reportar"
        if self.aprobados >= self.esperados:
            return "Aprobado"
        if self.por_revisar:
            return f"{self.por_revisar} por revisar"
        if self.devueltos:
            return f"{self.devueltos} devuelto(s)"
        enviados = self.aprobados + self.por_revisar
        return "Sin enviar" if not enviados else f"{self.aprobados} de {self.esperados} aprobados"


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
    (6 queries: periods, entities, indicator and activity counts, two grouped counts)."""
    periodos = list(PeriodoReporte.objects.of_plan(plan))
    entidades = [pe.entidad for pe in PlanEntidad.objects.filter(plan=plan).select_related("entidad").order_by("orden")]
    esperados = defaultdict(int)
    for model in (Indicador, Actividad):
        for row in model.objects.filter(plan=plan).order_by().values("entidad").annotate(n=Count("pk")):
            esperados[row["entidad"]] += row["n"]
    celdas = {(p.pk, e.pk): CeldaRevision(e, p, esperados.get(e.pk, 0), {}) for p in periodos for e in entidades}
    for model in (ValorIndicador, AvanceActividad):
        rows = model.objects.filter(periodo__plan=plan).order_by().values("periodo", "entidad", "estado").annotate(n=Count("pk"))
        for row in rows:
            celda = celdas.get((row["periodo"], row["entidad"]))
            if celda is not None:
                celda.cuenta[row["estado"]] = celda.cuenta.get(row["estado"], 0) + row["n"]
    for p in periodos:
        p.plan = plan
    return Revision(plan, periodos, [e for e in entidades if esperados.get(e.pk)], celdas)


def evidencia_get(*, user, tipo: str, pk: int):
    """A filed value or progress whose evidence `user` may read (its plan is visible); 404."""
    spec = registros.tipo_por_clave(tipo)
    if spec is None or not spec.revisado:
        raise Http404("Tipo de evidencia desconocido.")
    return get_object_or_404(spec.model.objects.visible_to(user).filter(~Q(evidencia="")), pk=pk)
