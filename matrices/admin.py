from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from amc.admin import ScopedAdmin, ScopedStackedInline, ScopedTabularInline
from matrices import models as m
from planes.admin import PlanAdmin


class CausaInline(ScopedTabularInline):
    model = m.Causa
    fields = ("entidad", "letra", "texto")


@admin.register(m.Problema)
class ProblemaAdmin(ScopedAdmin):
    list_display = ("numero", "enunciado", "plan")
    list_display_links = ("numero", "enunciado")
    list_select_related = ("plan",)
    list_filter = ("plan",)
    search_fields = ("enunciado",)
    autocomplete_fields = ("plan",)
    inlines = [CausaInline]


class SubpuntoCausaInline(ScopedTabularInline):
    model = m.SubpuntoCausa
    fields = ("orden", "texto")


class AlternativaInline(ScopedStackedInline):
    """A cause's alternatives: problem and entity come from the cause."""

    model = m.Alternativa
    fk_name = "causa"
    fields = ("letra", "texto")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class FromCause(formset):
            def _construct_form(self, i, **kw):
                form = super()._construct_form(i, **kw)
                form.instance.problema_id = self.instance.problema_id
                form.instance.entidad_id = self.instance.entidad_id
                return form

        return FromCause


@admin.register(m.Causa)
class CausaAdmin(ScopedAdmin):
    list_display = ("codigo", "texto_corto", "entidad", "problema_numero", "plan")
    list_select_related = ("problema__plan", "entidad")
    list_filter = ("problema__plan", ("entidad", admin.RelatedOnlyFieldListFilter), "problema__numero")
    search_fields = ("texto", "letra")
    autocomplete_fields = ("problema", "entidad")
    ordering = ("problema__plan", "problema__numero", "entidad__nivel__orden", "letra")
    inlines = [SubpuntoCausaInline, AlternativaInline]

    @admin.display(description="causa", ordering="letra")
    def codigo(self, obj):
        return f"{obj.problema.numero}.{obj.letra}"

    @admin.display(description="texto")
    def texto_corto(self, obj):
        return obj.texto if len(obj.texto) < 140 else obj.texto[:137] + "…"

    @admin.display(description="problema", ordering="problema__numero")
    def problema_numero(self, obj):
        return obj.problema.numero

    @admin.display(description="plan", ordering="problema__plan__codigo")
    def plan(self, obj):
        return obj.problema.plan.codigo


class SubitemAlternativaInline(ScopedTabularInline):
    model = m.SubitemAlternativa
    fields = ("numero", "texto")


@admin.register(m.Alternativa)
class AlternativaAdmin(ScopedAdmin):
    list_display = ("codigo", "texto", "entidad", "causa")
    list_select_related = ("problema__plan", "entidad", "causa__problema")
    list_filter = ("problema__plan", ("entidad", admin.RelatedOnlyFieldListFilter), "problema__numero")
    search_fields = ("texto", "subitems__texto")
    autocomplete_fields = ("problema", "entidad", "causa")
    inlines = [SubitemAlternativaInline]

    @admin.display(description="alternativa", ordering="letra")
    def codigo(self, obj):
        return f"{obj.problema.numero}.{obj.letra}"


@admin.register(m.AlternativaPriorizada)
class AlternativaPriorizadaAdmin(ScopedAdmin):
    list_display = ("anio", "problema", "letra", "texto", "entidad")
    list_select_related = ("problema", "entidad")
    list_filter = ("problema__plan", "anio", ("entidad", admin.RelatedOnlyFieldListFilter))
    search_fields = ("texto",)
    autocomplete_fields = ("problema", "entidad", "alternativa")


class IndicadorNacionalInline(ScopedStackedInline):
    model = m.IndicadorNacional


@admin.register(m.ObjetivoNacional)
class ObjetivoNacionalAdmin(ScopedAdmin):
    list_display = ("marco", "orden", "codigo", "enunciado", "plan")
    list_select_related = ("plan",)
    list_filter = ("plan", "marco")
    search_fields = ("enunciado", "codigo")
    inlines = [IndicadorNacionalInline]


class MetaIndicadorNacionalInline(ScopedTabularInline):
    model = m.MetaIndicadorNacional


@admin.register(m.IndicadorNacional)
class IndicadorNacionalAdmin(ScopedAdmin):
    list_display = ("numero", "nombre", "linea_base", "tendencia", "objetivo")
    list_select_related = ("objetivo",)
    list_filter = ("objetivo__plan", "objetivo__marco")
    search_fields = ("nombre",)
    inlines = [MetaIndicadorNacionalInline]


class CeldaRolInline(ScopedTabularInline):
    model = m.CeldaRol


@admin.register(m.FilaRoles)
class FilaRolesAdmin(ScopedAdmin):
    list_display = ("orden", "fase", "plan")
    list_select_related = ("plan",)
    list_filter = ("plan", "fase")
    search_fields = ("celdas__texto",)
    inlines = [CeldaRolInline]


@admin.register(m.Resultado)
class ResultadoAdmin(ScopedAdmin):
    list_display = ("tipo", "orden", "enunciado", "plan")
    list_select_related = ("plan",)
    list_filter = ("plan", "tipo")
    search_fields = ("enunciado",)


class TareaNivelInline(ScopedTabularInline):
    model = m.TareaNivel


@admin.register(m.IndicadorProducto)
class IndicadorProductoAdmin(ScopedAdmin):
    list_display = ("orden", "indicador", "meta", "producto")
    list_select_related = ("producto",)
    list_filter = ("producto__plan",)
    search_fields = ("indicador",)
    inlines = [TareaNivelInline]


@admin.register(m.Producto)
class ProductoAdmin(ScopedAdmin):
    list_display = ("orden", "enunciado", "resultado", "plan")
    list_select_related = ("plan", "resultado")
    list_filter = ("plan",)
    search_fields = ("enunciado",)


class IndicadorInline(ScopedStackedInline):
    model = m.Indicador
    fk_name = "actividad"
    fields = ("orden", "nombre", "unidad_medida", "catalogo", "formula", "linea_base_valor", "linea_base_anio",
              "medio_verificacion", "agregacion", "sentido", "frecuencia_reporte", "requiere_evidencia")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class FromActivity(formset):
            def _construct_form(self, i, **kw):
                form = super()._construct_form(i, **kw)
                form.instance.plan_id = self.instance.plan_id
                form.instance.entidad_id = self.instance.entidad_id
                return form

        return FromActivity


@admin.register(m.Actividad)
class ActividadAdmin(ScopedAdmin):
    list_display = ("orden", "__str__", "entidad", "nivel", "producto")
    list_display_links = ("orden", "__str__")
    list_select_related = ("plan", "entidad__nivel", "producto")
    list_filter = ("plan", "entidad__nivel", ("entidad", admin.RelatedOnlyFieldListFilter), "fase")
    search_fields = ("descripcion",)
    autocomplete_fields = ("plan", "producto", "entidad")
    inlines = [IndicadorInline]

    @admin.display(description="nivel de gobierno", ordering="entidad__nivel__orden")
    def nivel(self, obj):
        return obj.entidad.nivel


class MetaIndicadorInline(ScopedTabularInline):
    model = m.MetaIndicador
    fields = ("anio", "valor", "descripcion")


@admin.register(m.Indicador)
class IndicadorAdmin(ScopedAdmin):
    list_display = ("orden", "nombre", "entidad", "catalogo", "sentido", "plan")
    list_display_links = ("orden", "nombre")
    list_select_related = ("plan", "entidad", "catalogo")
    list_filter = ("plan", "entidad__nivel", ("entidad", admin.RelatedOnlyFieldListFilter), "sentido",
                   ("catalogo", admin.RelatedOnlyFieldListFilter))
    search_fields = ("nombre", "medio_verificacion")
    autocomplete_fields = ("plan", "entidad", "resultado", "producto", "actividad", "catalogo")
    inlines = [MetaIndicadorInline]


@admin.register(m.IndicadorCatalogo)
class IndicadorCatalogoAdmin(SimpleHistoryAdmin):
    """The national catalogue: the ministry keeps it (model permissions: ministry staff and
    administrators change it, everybody reads it); `IndicadorCatalogo.clean` refuses a
    percentage added up as a sum."""

    list_display = ("codigo", "nombre", "unidad", "sentido", "agregacion", "denominador")
    list_select_related = ("denominador",)
    list_filter = ("unidad", "agregacion")
    search_fields = ("codigo", "nombre")


class ProblemaInline(ScopedTabularInline):
    """A plan's problems (section 6), on the plan's page: planes, the base app, does not know
    them, so they are added to its admin from here."""

    model = m.Problema
    fields = ("numero", "enunciado")


PlanAdmin.inlines = [*PlanAdmin.inlines, ProblemaInline]
