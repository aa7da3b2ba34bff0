"""Filters of the lists of activities, indicators and causes (django-filter), and the rows
each list shows (what the user may read, with what the columns need)."""
from __future__ import annotations

import django_filters

from importacion.filters import ListaFilterSet
from matrices.models import Actividad, Causa, Fase, Indicador


class ActividadFilter(ListaFilterSet):
    buscar_en = ("descripcion",)
    fase = django_filters.ChoiceFilter(label="Fase", choices=Fase.choices, empty_label="Todas")

    class Meta:
        model = Actividad
        fields = ["plan", "nivel", "entidad", "fase", "q"]


class IndicadorFilter(ListaFilterSet):
    buscar_en = ("nombre", "medio_verificacion")
    mide = django_filters.ChoiceFilter(label="Mide", method="filtrar_mide", empty_label="Todo",
                                       choices=[("resultado", "Resultados"), ("producto", "Productos"), ("actividad", "Actividades")])
    anio = django_filters.NumberFilter(label="Año con meta", field_name="metas__anio", distinct=True)

    class Meta:
        model = Indicador
        fields = ["plan", "nivel", "entidad", "mide", "anio", "q"]

    def filtrar_mide(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False}) if value else queryset


class CausaFilter(ListaFilterSet):
    plan_path = "problema__plan"
    buscar_en = ("texto",)
    problema = django_filters.NumberFilter(label="Problema N°", field_name="problema__numero")

    class Meta:
        model = Causa
        fields = ["plan", "nivel", "entidad", "problema", "q"]


def actividades_lista(user):
    return Actividad.objects.visible_to(user).select_related("plan", "entidad__nivel", "producto").order_by(
        "plan__codigo", "entidad__nivel__orden", "entidad__nombre", "orden")


def indicadores_lista(user):
    return Indicador.objects.visible_to(user).select_related(
        "plan", "entidad__nivel", "resultado", "producto", "actividad").order_by(
        "plan__codigo", "entidad__nivel__orden", "entidad__nombre", "orden")


def causas_lista(user):
    return Causa.objects.visible_to(user).select_related("problema__plan", "entidad__nivel").order_by(
        "problema__plan__codigo", "problema__numero", "entidad__nivel__orden", "entidad__nombre", "letra")
