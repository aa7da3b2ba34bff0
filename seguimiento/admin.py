"""Admin of the follow-up. Settings (frequency, periods, targets per period, disaggregations)
are edited here; what entities file and reviewers decide is read-only here: it changes only
through the entry and review pages, whose services keep the history."""
from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from amc.admin import ScopedAdmin, ScopedTabularInline
from seguimiento import models as m


@admin.register(m.ConfiguracionSeguimiento)
class ConfiguracionSeguimientoAdmin(ScopedAdmin):
    list_display = ("plan", "frecuencia", "dias_entrega", "dias_aviso")
    list_select_related = ("plan",)
    autocomplete_fields = ("plan",)


class EventoPeriodoInline(admin.TabularInline):
    model = m.EventoPeriodo
    extra = 0
    can_delete = False
    fields = ("fecha", "accion", "usuario", "entidad", "motivo", "entrega_hasta")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(m.PeriodoReporte)
class PeriodoReporteAdmin(ScopedAdmin):
    list_display = ("__str__", "plan", "inicio", "fin", "entrega_desde", "entrega_hasta", "estado")
    list_select_related = ("plan",)
    list_filter = ("plan", "frecuencia", "anio", "estado")
    search_fields = ("plan__titulo", "plan__codigo")
    autocomplete_fields = ("plan",)
    readonly_fields = ("estado",)  # closed by approvals, reopened from the review page (with a reason)
    inlines = [EventoPeriodoInline]


@admin.register(m.MetaPeriodo)
class MetaPeriodoAdmin(ScopedAdmin):
    list_display = ("indicador", "periodo", "valor")
    list_select_related = ("indicador", "periodo")
    list_filter = ("periodo__plan", "periodo__anio")
    autocomplete_fields = ("indicador",)
    search_fields = ("indicador__nombre",)


class CategoriaInline(admin.TabularInline):
    model = m.CategoriaDesagregacion
    extra = 0


@admin.register(m.TipoDesagregacion)
class TipoDesagregacionAdmin(SimpleHistoryAdmin):
    list_display = ("nombre", "codigo")
    inlines = [CategoriaInline]


@admin.register(m.IndicadorDesagregacion)
class IndicadorDesagregacionAdmin(ScopedAdmin):
    list_display = ("indicador", "tipo", "obligatoria")
    list_select_related = ("indicador", "tipo")
    list_filter = ("tipo", "indicador__plan")
    autocomplete_fields = ("indicador",)


class ReadOnlyMixin:
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistorialValorInline(ReadOnlyMixin, ScopedTabularInline):
    model = m.HistorialValor
    fields = ("fecha", "usuario", "accion", "estado_anterior", "estado_nuevo", "valor_anterior", "valor_nuevo", "detalle", "motivo")
    readonly_fields = fields
    show_change_link = False


class ValorDesagregadoInline(ReadOnlyMixin, ScopedTabularInline):
    model = m.ValorDesagregado
    fields = ("categoria", "cantidad")
    readonly_fields = fields
    show_change_link = False


@admin.register(m.ValorIndicador)
class ValorIndicadorAdmin(ReadOnlyMixin, ScopedAdmin):
    list_display = ("indicador", "entidad", "periodo", "valor", "estado", "enviado_en")
    list_select_related = ("indicador", "entidad", "periodo")
    list_filter = ("periodo__plan", "estado", ("entidad", admin.RelatedOnlyFieldListFilter))
    search_fields = ("indicador__nombre",)
    inlines = [ValorDesagregadoInline, HistorialValorInline]


class HistorialAvanceInline(ReadOnlyMixin, ScopedTabularInline):
    model = m.HistorialAvance
    fields = ("fecha", "usuario", "accion", "estado_anterior", "estado_nuevo", "detalle", "motivo")
    readonly_fields = fields
    show_change_link = False


@admin.register(m.AvanceActividad)
class AvanceActividadAdmin(ReadOnlyMixin, ScopedAdmin):
    list_display = ("actividad", "entidad", "periodo", "situacion", "avance_fisico", "estado")
    list_select_related = ("actividad", "entidad", "periodo")
    list_filter = ("periodo__plan", "estado", "situacion")
    inlines = [HistorialAvanceInline]


@admin.register(m.EjecucionPresupuestal)
class EjecucionPresupuestalAdmin(ReadOnlyMixin, ScopedAdmin):
    list_display = ("linea", "anio", "mes", "pim", "certificado", "devengado")
    list_select_related = ("linea",)
    list_filter = ("linea__plan", "anio", "mes")


class HistorialLogrosInline(ReadOnlyMixin, ScopedTabularInline):
    model = m.HistorialLogros
    fields = ("fecha", "usuario", "accion", "texto_anterior", "texto_nuevo")
    readonly_fields = fields
    show_change_link = False


@admin.register(m.LogrosPeriodo)
class LogrosPeriodoAdmin(ReadOnlyMixin, ScopedAdmin):
    """Read here; written on the entry page (services.logros_save keeps its history)."""

    list_display = ("entidad", "periodo", "enviado_en", "actualizado_en")
    list_select_related = ("entidad", "periodo")
    list_filter = ("periodo__plan", ("entidad", admin.RelatedOnlyFieldListFilter))
    search_fields = ("texto",)
    inlines = [HistorialLogrosInline]
