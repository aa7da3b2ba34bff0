"""The filters every list has (django-filter): plan, level, entity and text. The choices of
plan and entity come from what the user may read. Each app's lists extend `ListaFilterSet`
in its own filters.py."""
from __future__ import annotations

import django_filters
from django.db.models import Q

from planes.models import Entidad, NivelGobierno, Plan


def planes_visibles(request):
    return Plan.objects.visible_to(request.user).order_by("-anio_inicio", "codigo") if request else Plan.objects.none()


def entidades(request):
    """The entities taking part in the plans the user may read (another region's are not named)."""
    if request is None:
        return Entidad.objects.none()
    planes = Plan.objects.visible_to(request.user).values("pk")
    return Entidad.objects.filter(participaciones__plan__in=planes).distinct().order_by("nivel__orden", "nombre")


class ListaFilterSet(django_filters.FilterSet):
    """Plan, level, entity and text: the filters every list of the plan has.
    `entidad_path`: the lookup from the listed model to its owning entity."""

    entidad_path = "entidad"
    plan_path = "plan"
    buscar_en: tuple[str, ...] = ()

    plan = django_filters.ModelChoiceFilter(label="Plan", queryset=planes_visibles, method="filtrar_plan", empty_label="Todos")
    nivel = django_filters.ModelChoiceFilter(label="Nivel de gobierno", queryset=NivelGobierno.objects.order_by("orden"),
                                             method="filtrar_nivel", empty_label="Todos")
    entidad = django_filters.ModelChoiceFilter(label="Entidad", queryset=entidades, method="filtrar_entidad", empty_label="Todas")
    q = django_filters.CharFilter(label="Buscar", method="buscar")

    def filtrar_plan(self, queryset, name, value):
        return queryset.filter(**{self.plan_path: value}) if value else queryset

    def filtrar_nivel(self, queryset, name, value):
        return queryset.filter(**{f"{self.entidad_path}__nivel": value}) if value else queryset

    def filtrar_entidad(self, queryset, name, value):
        return queryset.filter(**{self.entidad_path: value}) if value else queryset

    def buscar(self, queryset, name, value):
        condicion = Q()
        for campo in self.buscar_en:
            condicion |= Q(**{f"{campo}__icontains": value.strip()})
        return queryset.filter(condicion) if value.strip() else queryset
