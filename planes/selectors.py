"""Reads of plans: the one plan lookup every page uses, the home page's list and a plan's
overview with how many records each section holds."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from planes.models import Plan
from planes.secciones import secciones_contadas


def plan_list(*, user):
    """The plans `user` may read, with their rector entity and entity count (1 query)."""
    return Plan.objects.visible_to(user).for_home()


def plan_get(*, user, plan_id: int, con_participantes: bool = False) -> Plan:
    """A plan `user` may read, with its rector entity (1 query; 2 with its participating
    entities prefetched); 404 otherwise, so another region's plan is not even confirmed."""
    qs = Plan.objects.visible_to(user)
    qs = qs.for_overview() if con_participantes else qs.select_related("entidad_responsable")
    return get_object_or_404(qs, pk=plan_id)


@dataclass
class SeccionResumen:
    numero: str
    titulo: str
    cantidad: int
    url: str


def plan_sections(*, plan: Plan) -> list[SeccionResumen]:
    """The plan's sections with how many items each holds, in the document's order (one
    aggregate query over the plan). Each app registers its sections in `planes.secciones`."""
    secciones = secciones_contadas()
    # One scalar subquery per section: joining every relation in one query would multiply rows.
    counts = Plan.objects.filter(pk=plan.pk).values("pk").annotate(**{
        f"n{i}": Coalesce(Subquery(
            s.model.objects.filter(**{s.plan_path: OuterRef("pk")}).order_by().values(s.plan_path)
            .annotate(c=Count("pk")).values("c")
        ), 0)
        for i, s in enumerate(secciones)
    }).get()
    return [SeccionResumen(s.numero, s.titulo, counts[f"n{i}"], s.admin_url(plan)) for i, s in enumerate(secciones)]
