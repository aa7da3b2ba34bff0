"""Reads of plans for the home page and a plan's overview."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from planes.models import Plan


def plan_list(*, user):
    """The plans `user` may read, with their rector entity and entity count (1 query)."""
    return Plan.objects.visible_to(user).for_home()


def plan_get(*, user, plan_id: int) -> Plan:
    """One plan `user` may read, with its participating entities (2 queries); 404 otherwise."""
    return get_object_or_404(Plan.objects.visible_to(user).for_overview(), pk=plan_id)


@dataclass
class SeccionResumen:
    numero: str
    titulo: str
    cantidad: int
    url: str


def plan_sections(*, plan: Plan) -> list[SeccionResumen]:
    """The plan's sections with how many items each holds, in the document's order
    (one aggregate query over the plan)."""
    from matrices import models as mx
    from planes import models as pl
    from presupuesto.models import LineaPresupuesto

    counted = {
        "n_base_legal": (pl.BaseLegal, "plan"), "n_declaraciones": (pl.Declaracion, "plan"),
        "n_servicios": (pl.ServicioPrestado, "plan"), "n_objetivos": (pl.Objetivo, "plan"),
        "n_hallazgos": (pl.HallazgoEvaluacion, "plan"), "n_equipo": (pl.MiembroEquipo, "plan"),
        "n_problemas": (mx.Problema, "plan"), "n_causas": (mx.Causa, "problema__plan"),
        "n_alternativas": (mx.Alternativa, "problema__plan"), "n_priorizadas": (mx.AlternativaPriorizada, "problema__plan"),
        "n_objetivos_nacionales": (mx.ObjetivoNacional, "plan"), "n_filas_roles": (mx.FilaRoles, "plan"),
        "n_actividades": (mx.Actividad, "plan"), "n_indicadores": (mx.Indicador, "plan"),
        "n_lineas": (LineaPresupuesto, "plan"),
    }
    # One scalar subquery per section: joining every relation in one query would multiply rows.
    counts = Plan.objects.filter(pk=plan.pk).values("pk").annotate(**{
        name: Coalesce(Subquery(
            model.objects.filter(**{path: OuterRef("pk")}).order_by().values(path).annotate(c=Count("pk")).values("c")
        ), 0)
        for name, (model, path) in counted.items()
    }).get()
    a = "/admin/"
    p = plan.pk
    return [
        SeccionResumen("A.I", "Marco legal", counts["n_base_legal"], f"{a}planes/baselegal/?plan__id__exact={p}"),
        SeccionResumen("A.II", "Visión y misión", counts["n_declaraciones"], f"{a}planes/declaracion/?plan__id__exact={p}"),
        SeccionResumen("A.III", "Servicios del Centro de Empleo", counts["n_servicios"], f"{a}planes/servicioprestado/?plan__id__exact={p}"),
        SeccionResumen("A.VI", "Objetivos", counts["n_objetivos"], f"{a}planes/objetivo/?plan__id__exact={p}"),
        SeccionResumen("A.VIII", "Resultados de la evaluación", counts["n_hallazgos"], f"{a}planes/hallazgoevaluacion/?plan__id__exact={p}"),
        SeccionResumen("A.X", "Equipo técnico", counts["n_equipo"], f"{a}planes/miembroequipo/?plan__id__exact={p}"),
        SeccionResumen("6", "Problemas", counts["n_problemas"], f"{a}matrices/problema/?plan__id__exact={p}"),
        SeccionResumen("7", "Análisis causal", counts["n_causas"], f"{a}matrices/causa/?problema__plan__id__exact={p}"),
        SeccionResumen("8", "Alternativas de solución", counts["n_alternativas"], f"{a}matrices/alternativa/?problema__plan__id__exact={p}"),
        SeccionResumen("9", "Alternativas priorizadas", counts["n_priorizadas"], f"{a}matrices/alternativapriorizada/?problema__plan__id__exact={p}"),
        SeccionResumen("11", "Alineamiento", counts["n_objetivos_nacionales"], f"{a}matrices/objetivonacional/?plan__id__exact={p}"),
        SeccionResumen("12", "Roles por nivel de gobierno", counts["n_filas_roles"], f"{a}matrices/filaroles/?plan__id__exact={p}"),
        SeccionResumen("13", "Actividades de la matriz lógica", counts["n_actividades"], f"{a}matrices/actividad/?plan__id__exact={p}"),
        SeccionResumen("13", "Indicadores", counts["n_indicadores"], f"{a}matrices/indicador/?plan__id__exact={p}"),
        SeccionResumen("13.3", "Presupuesto", counts["n_lineas"], f"{a}presupuesto/lineapresupuesto/?plan__id__exact={p}"),
    ]
