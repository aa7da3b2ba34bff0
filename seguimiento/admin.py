"""Admin of the follow-up. Settings (frequency, periods, targets per period, disaggregations)
are edited here; what entities file and reviewers decide is read-only here: it changes only
through the entry and review pages, whose services keep the history.

What changes the score is locked and traced: a period's dates and window are read-only (its
window changes by reopening it, with a reason, from the review page), a period with values is
not deleted, and a target per period changes through `services.meta_periodo_save` (with a reason
once its period has values), which keeps its history."""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from amc import formatting
from amc.admin import MensajesMixin, ScopedAdmin, ScopedTabularInline
from seguimiento import models as m
from seguimiento import rules, services


@admin.register(m.ConfiguracionSeguimiento)
class ConfiguracionSeguimientoAdmin(ScopedAdmin):
    list_display = ("plan", "frecuencia", "dias_entrega", "dias_aviso", "revisan_locales")
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


def _sin_borrar_si(admin_obj, request, object_id, mensaje_de):
    """The admin's delete page of a row that may not be deleted: back to its page with the
    reason (`mensaje_de(obj)` is "" when it may be deleted); None to go on."""
    obj = admin_obj.get_object(request, unquote(object_id))
    mensaje = mensaje_de(obj) if obj is not None else ""
    if not mensaje:
        return None
    admin_obj.message_user(request, mensaje, messages.ERROR)
    opts = admin_obj.model._meta
    return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))


def _sin_borrado_en_lote(actions):
    actions.pop("delete_selected", None)  # each deletion goes through its rule, with its message
    return actions


@admin.register(m.PeriodoReporte)
class PeriodoReporteAdmin(ScopedAdmin):
    list_display = ("__str__", "plan", "inicio", "fin", "entrega_desde", "entrega_hasta", "estado")
    list_select_related = ("plan",)
    list_filter = ("plan", "frecuencia", "anio", "estado")
    search_fields = ("plan__titulo", "plan__codigo")
    autocomplete_fields = ("plan",)
    inlines = [EventoPeriodoInline]

    def get_readonly_fields(self, request, obj=None):
        # Closed by approvals; its dates and window change only by reopening it from the review
        # page, with a reason (kept in «Cierres y reaperturas»).
        if obj is None:
            return ("estado",)
        return ("plan", "frecuencia", "anio", "numero", "inicio", "fin", "entrega_desde", "entrega_hasta", "estado",
                "como_cambiar_el_plazo")

    @admin.display(description="cómo cambiar el plazo")
    def como_cambiar_el_plazo(self, obj):
        return rules.VENTANA_SOLO_AL_REABRIR

    def delete_view(self, request, object_id, extra_context=None):
        return (_sin_borrar_si(self, request, object_id, lambda p: rules.periodo_no_se_borra(p) if p.tiene_valores else "")
                or super().delete_view(request, object_id, extra_context))

    def get_actions(self, request):
        return _sin_borrado_en_lote(super().get_actions(request))


class MetaPeriodoForm(forms.ModelForm):
    motivo = forms.CharField(
        label="Motivo del cambio", required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Obligatorio si el periodo ya tiene valores registrados; queda en el historial de la meta.",
    )

    class Meta:
        model = m.MetaPeriodo
        fields = ("indicador", "periodo", "valor")

    def clean(self):
        cd = super().clean()
        periodo = cd.get("periodo") or (self.instance.periodo if self.instance.periodo_id else None)
        cambia = self.instance.pk is None or cd.get("valor") != self.instance.valor
        if periodo is not None and cambia and cd.get("valor") is not None:
            rechazo = rules.meta_cambio_rechazo(periodo, tiene_valores=periodo.tiene_valores, motivo=cd.get("motivo", ""))
            if rechazo:
                self.add_error("motivo", rechazo)
        return cd


@admin.register(m.MetaPeriodo)
class MetaPeriodoAdmin(ScopedAdmin):
    form = MetaPeriodoForm
    list_display = ("indicador", "periodo", "valor")
    list_select_related = ("indicador", "periodo")
    list_filter = ("periodo__plan", "periodo__anio")
    autocomplete_fields = ("indicador",)
    search_fields = ("indicador__nombre",)

    def get_fields(self, request, obj=None):
        return ("indicador", "periodo", "valor", "motivo") + (("historial",) if obj else ())

    def get_readonly_fields(self, request, obj=None):
        return ("indicador", "periodo", "historial") if obj else ()

    @admin.display(description="historial")
    def historial(self, obj):
        filas = m.HistorialMetaPeriodo.objects.filter(indicador_id=obj.indicador_id, periodo_id=obj.periodo_id).select_related("usuario")
        if not filas:
            return "—"
        return format_html("<ol>{}</ol>", format_html_join("", "<li>{} · {}: {} ({} → {}){}</li>", (
            (f"{h.fecha:%d/%m/%Y %H:%M}", h.usuario.get_full_name() or h.usuario.username, h.get_accion_display(),
             formatting.number(h.valor_anterior) or "—", formatting.number(h.valor_nuevo) or "—",
             f" — «{h.motivo}»" if h.motivo else "") for h in filas)))

    def save_model(self, request, obj, form, change):
        services.meta_periodo_save(meta=obj, user=request.user, motivo=form.cleaned_data.get("motivo", ""))

    def delete_model(self, request, obj):
        services.meta_periodo_delete(meta=obj, user=request.user)

    def delete_view(self, request, object_id, extra_context=None):
        def mensaje(meta):
            return rules.meta_cambio_rechazo(meta.periodo, tiene_valores=meta.periodo.tiene_valores, motivo="", borrar=True)
        return _sin_borrar_si(self, request, object_id, mensaje) or super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        return _sin_borrado_en_lote(super().get_actions(request))


class CategoriaInline(admin.TabularInline):
    model = m.CategoriaDesagregacion
    extra = 0


@admin.register(m.TipoDesagregacion)
class TipoDesagregacionAdmin(MensajesMixin, SimpleHistoryAdmin):
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


class HistorialEjecucionInline(ReadOnlyMixin, ScopedTabularInline):
    model = m.HistorialEjecucion
    fields = ("fecha", "usuario", "accion", "pim_anterior", "pim_nuevo", "certificado_anterior", "certificado_nuevo",
              "devengado_anterior", "devengado_nuevo", "detalle")
    readonly_fields = fields
    show_change_link = False


@admin.register(m.EjecucionPresupuestal)
class EjecucionPresupuestalAdmin(ReadOnlyMixin, ScopedAdmin):
    list_display = ("linea", "anio", "mes", "pim", "certificado", "devengado")
    list_select_related = ("linea",)
    list_filter = ("linea__plan", "anio", "mes")
    inlines = [HistorialEjecucionInline]


@admin.register(m.HistorialMetaPeriodo)
class HistorialMetaPeriodoAdmin(ReadOnlyMixin, ScopedAdmin):
    list_display = ("fecha", "indicador", "periodo", "accion", "valor_anterior", "valor_nuevo", "motivo", "usuario")
    list_select_related = ("indicador", "periodo", "usuario")
    list_filter = ("periodo__plan", "accion")
    search_fields = ("indicador__nombre", "motivo")


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
