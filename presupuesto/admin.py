from django.contrib import admin
from django.db.models import Sum
from simple_history.admin import SimpleHistoryAdmin

from amc import formatting
from amc.admin import BlankNamedAllValuesFieldListFilter, MensajesMixin, ScopedAdmin, ScopedTabularInline
from presupuesto import models as m


@admin.register(m.Clasificador)
class ClasificadorAdmin(MensajesMixin, SimpleHistoryAdmin):
    list_display = ("anio", "codigo", "nombre")
    list_filter = ("anio",)
    search_fields = ("codigo", "nombre")


class SublineaCostoInline(ScopedTabularInline):
    model = m.SublineaCosto
    fields = ("orden", "concepto", "unidad_medida", "costo_unitario", "cantidad", "especifica_gasto", "total")
    readonly_fields = ("total",)

    @admin.display(description="total")
    def total(self, obj):
        return formatting.soles(obj.total()) if obj.pk else "—"


@admin.register(m.LineaPresupuesto)
class LineaPresupuestoAdmin(ScopedAdmin):
    list_display = ("orden", "descripcion", "entidad", "unidad_medida", "costo", "cantidad", "total", "especifica_gasto")
    list_display_links = ("orden", "descripcion")
    list_select_related = ("plan", "entidad")
    list_filter = ("plan", "entidad__nivel", ("entidad", admin.RelatedOnlyFieldListFilter), "estado", ("especifica_gasto", BlankNamedAllValuesFieldListFilter))
    search_fields = ("descripcion", "especifica_gasto")
    autocomplete_fields = ("plan", "entidad", "actividad")
    inlines = [SublineaCostoInline]
    change_list_template = "admin/presupuesto/lineapresupuesto/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).with_totals()

    @admin.display(description="costo unitario", ordering="costo_unitario")
    def costo(self, obj):
        return formatting.soles(obj.costo_unitario, "–")

    @admin.display(description="total", ordering="total_calculado")
    def total(self, obj):
        if obj.estado == m.LineaPresupuesto.Estado.NO_DETERMINADO:
            return formatting.NO_DETERMINADO
        return formatting.soles(obj.total_calculado, "–")

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        cl = getattr(response, "context_data", {}).get("cl") if hasattr(response, "context_data") else None
        if cl is not None:
            rows = (
                cl.queryset.order_by().values("entidad__nivel__nombre", "entidad__nivel__orden")
                .annotate(suma=Sum("total_calculado")).order_by("entidad__nivel__orden")
            )
            response.context_data["totales_por_nivel"] = [
                (r["entidad__nivel__nombre"], formatting.soles(r["suma"] or 0)) for r in rows
            ]
            response.context_data["total_general"] = formatting.soles(
                cl.queryset.aggregate(s=Sum("total_calculado"))["s"] or 0
            )
        return response
