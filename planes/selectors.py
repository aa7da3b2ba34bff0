"""Reads of plans for the home page and a plan's overview."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
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
    counts = Plan.objects.filter(pk=plan.pk).aggregate(
        n_base_legal=Count("bases_legales", distinct=True),
        n_declaraciones=Count("declaraciones", distinct=True),
        n_servicios=Count("servicios", distinct=True),
        n_objetivos=Count("objetivos", distinct=True),
        n_hallazgos=Count("hallazgos", distinct=True),
        n_equipo=Count("equipo", distinct=True),
        n_problemas=Count("problemas", distinct=True),
        n_causas=Count("problemas__causas", distinct=True),
        n_alternativas=Count("problemas__alternativas", distinct=True),
        n_priorizadas=Count("problemas__priorizadas", distinct=True),
        n_objetivos_nacionales=Count("objetivos_nacionales", distinct=True),
        n_filas_roles=Count("filas_roles", distinct=True),
        n_actividades=Count("actividades", distinct=True),
        n_indicadores=Count("indicadores", distinct=True),
        n_lineas=Count("lineas_presupuesto", distinct=True),
    )
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
