"""Filters of the list of indicator values (django-filter)."""
from __future__ import annotations

import django_filters

from importacion.filters import ListaFilterSet
from seguimiento.models import EstadoRevision, PeriodoReporte, ValorIndicador


def periodos_visibles(request):
    return PeriodoReporte.objects.visible_to(request.user).select_related("plan").order_by("plan__codigo", "inicio") \
        if request else PeriodoReporte.objects.none()


class ValorIndicadorFilter(ListaFilterSet):
    plan_path = "periodo__plan"
    buscar_en = ("indicador__nombre", "comentario")
    periodo = django_filters.ModelChoiceFilter(label="Periodo", queryset=periodos_visibles, empty_label="Todos")
    anio = django_filters.NumberFilter(label="Año", field_name="periodo__anio")
    estado = django_filters.ChoiceFilter(label="Estado", choices=EstadoRevision.choices, empty_label="Todos")

    class Meta:
        model = ValorIndicador
        fields = ["plan", "nivel", "entidad", "periodo", "anio", "estado", "q"]


def valores_lista(user):
    return ValorIndicador.objects.visible_to(user).select_related("periodo__plan", "entidad__nivel", "indicador").order_by(
        "periodo__plan__codigo", "periodo__inicio", "entidad__nombre", "indicador__orden")
