"""Filters of the list of budget lines (django-filter)."""
from __future__ import annotations

import django_filters
from django.db.models import Q

from importacion.filters import ListaFilterSet
from presupuesto.models import LineaPresupuesto


class LineaPresupuestoFilter(ListaFilterSet):
    buscar_en = ("descripcion", "unidad_medida", "sublineas__concepto")
    estado = django_filters.ChoiceFilter(label="Estado", choices=LineaPresupuesto.Estado.choices, empty_label="Todos")
    especifica = django_filters.CharFilter(label="Especificación del gasto", method="filtrar_especifica",
                                           help_text="Un código o su comienzo: 2.3 trae todo bienes y servicios.")

    class Meta:
        model = LineaPresupuesto
        fields = ["plan", "nivel", "entidad", "estado", "especifica", "q"]

    def filtrar_especifica(self, queryset, name, value):
        value = value.strip().rstrip(".")
        if not value:
            return queryset
        # "2.3" matches 2.3.2.7.11.99 but not 2.31…: a whole code or its leading parts.
        condicion = Q()
        for campo in ("especifica_gasto", "sublineas__especifica_gasto"):
            condicion |= Q(**{campo: value}) | Q(**{f"{campo}__startswith": value + "."})
        return queryset.filter(condicion).distinct()

    def buscar(self, queryset, name, value):
        return super().buscar(queryset, name, value).distinct()


def lineas_lista(user):
    return LineaPresupuesto.objects.visible_to(user).with_totals().select_related(
        "plan", "entidad__nivel", "actividad").order_by("plan__codigo", "orden")
