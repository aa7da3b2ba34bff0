from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from amc.admin import MensajesMixin, ScopedAdmin, ScopedStackedInline, ScopedTabularInline
from planes import models as m


@admin.register(m.NivelGobierno)
class NivelGobiernoAdmin(MensajesMixin, SimpleHistoryAdmin):
    list_display = ("codigo", "nombre", "orden")
    search_fields = ("nombre", "codigo")


class OrganoInline(ScopedTabularInline):
    model = m.Organo
    fk_name = "entidad"
    show_change_link = False
    fields = ("nombre", "sigla", "padre")
    autocomplete_fields = ("padre",)


@admin.register(m.Entidad)
class EntidadAdmin(MensajesMixin, SimpleHistoryAdmin):
    list_display = ("nombre", "sigla", "nivel", "tipo", "region", "ubigeo", "padre")
    list_select_related = ("nivel", "padre")
    list_filter = ("nivel", "tipo", "region")
    search_fields = ("nombre", "sigla", "codigo", "ubigeo", "region")
    autocomplete_fields = ("padre",)
    inlines = [OrganoInline]


@admin.register(m.Organo)
class OrganoAdmin(ScopedAdmin):
    """An entity's units: its own staff change them (administrators any); everyone reads them."""

    list_display = ("nombre", "sigla", "entidad")
    list_select_related = ("entidad",)
    list_filter = (("entidad", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("nombre", "sigla", "entidad__nombre", "entidad__sigla")
    autocomplete_fields = ("entidad", "padre")


@admin.register(m.Usuario)
class UsuarioAdmin(MensajesMixin, UserAdmin):
    list_display = ("username", "first_name", "last_name", "entidad", "is_active", "is_staff")
    list_select_related = ("entidad",)
    list_filter = ("entidad__nivel", ("entidad", admin.RelatedOnlyFieldListFilter), "groups", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "entidad__nombre", "entidad__sigla")
    autocomplete_fields = ("entidad", "organo")
    fieldsets = UserAdmin.fieldsets + (("Entidad", {"fields": ("entidad", "organo")}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("Entidad", {"fields": ("entidad", "organo", "groups")}),)


class PlanEntidadInline(ScopedTabularInline):
    model = m.PlanEntidad
    fields = ("entidad", "rol", "orden")
    autocomplete_fields = ("entidad",)


@admin.register(m.Plan)
class PlanAdmin(ScopedAdmin):
    list_display = ("titulo", "codigo", "entidad_responsable", "anio_inicio", "anio_fin", "estado")
    list_select_related = ("entidad_responsable",)
    list_filter = ("estado", "anio_inicio", "sector")
    search_fields = ("titulo", "codigo", "servicio", "sector")
    autocomplete_fields = ("entidad_responsable",)
    inlines = [PlanEntidadInline]  # matrices/admin.py adds the plan's problems
    fieldsets = (
        (None, {"fields": ("codigo", "titulo", "servicio", "sector", "entidad_responsable", "estado")}),
        ("Periodo", {"fields": ("anio_inicio", "anio_fin", "fecha_concordancia")}),
        ("Propuesta", {"fields": ("alcance", "finalidad", "resultados_esperados"), "classes": ("collapse",)}),
        ("Ciclo del plan", {"fields": ("fecha_suscripcion", "documento_suscripcion", "firmantes", "suscrito_en",
                                       "fecha_cierre", "evaluacion_cierre", "modificacion_en_curso", "plan_anterior")}),
    )
    # The state changes only on the plan's «Ciclo del plan» page (ciclo/services.py): traced, by role.
    readonly_fields = ("estado", "fecha_suscripcion", "documento_suscripcion", "firmantes", "suscrito_en",
                       "fecha_cierre", "evaluacion_cierre", "modificacion_en_curso", "plan_anterior")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs | m.Plan.objects.visible_to(request.user)


class PlanPieceAdmin(ScopedAdmin):
    """A plan section listed per plan, in the document's order."""

    list_filter = ("plan",)
    list_select_related = ("plan",)
    autocomplete_fields = ("plan",)


@admin.register(m.SeccionNarrativa)
class SeccionNarrativaAdmin(PlanPieceAdmin):
    list_display = ("numero", "titulo", "plan")
    search_fields = ("titulo", "texto")


@admin.register(m.BaseLegal)
class BaseLegalAdmin(PlanPieceAdmin):
    list_display = ("orden", "tipo", "numero", "titulo", "plan")
    list_display_links = ("orden", "tipo")
    search_fields = ("tipo", "numero", "titulo")


@admin.register(m.Declaracion)
class DeclaracionAdmin(PlanPieceAdmin):
    list_display = ("tipo", "entidad", "plan")
    list_select_related = ("plan", "entidad")
    list_filter = ("plan", "tipo", ("entidad", admin.RelatedOnlyFieldListFilter))
    search_fields = ("texto",)
    autocomplete_fields = ("plan", "entidad")


@admin.register(m.ServicioPrestado)
class ServicioPrestadoAdmin(PlanPieceAdmin):
    list_display = ("letra", "nombre", "plan")
    search_fields = ("nombre",)


class EstrategiaInline(ScopedStackedInline):
    model = m.Estrategia
    fields = ("codigo", "enunciado")


@admin.register(m.Objetivo)
class ObjetivoAdmin(PlanPieceAdmin):
    list_display = ("__str__", "enunciado", "plan")
    search_fields = ("enunciado",)
    inlines = [EstrategiaInline]


class AccionInline(ScopedTabularInline):
    model = m.AccionEstrategica
    fields = ("codigo", "enunciado")


@admin.register(m.Estrategia)
class EstrategiaAdmin(ScopedAdmin):
    list_display = ("codigo", "enunciado", "objetivo")
    list_select_related = ("objetivo__plan",)
    list_filter = ("objetivo__plan",)
    search_fields = ("codigo", "enunciado")
    inlines = [AccionInline]


@admin.register(m.HallazgoEvaluacion)
class HallazgoEvaluacionAdmin(PlanPieceAdmin):
    list_display = ("materia", "orden", "texto", "plan")
    list_filter = ("plan", "materia")
    search_fields = ("texto",)


@admin.register(m.MiembroEquipo)
class MiembroEquipoAdmin(PlanPieceAdmin):
    list_display = ("orden", "nombre", "entidad", "organo", "documento_designacion", "plan")
    list_display_links = ("orden", "nombre")
    list_select_related = ("plan", "entidad", "organo")
    list_filter = ("plan", ("entidad", admin.RelatedOnlyFieldListFilter))
    search_fields = ("nombre", "cargo")
    autocomplete_fields = ("plan", "entidad", "organo")


@admin.register(m.OrganoResponsable)
class OrganoResponsableAdmin(PlanPieceAdmin):
    list_display = ("organo", "plan", "orden")
    list_select_related = ("plan", "organo__entidad")
    autocomplete_fields = ("plan", "organo")


@admin.register(m.FuncionNivel)
class FuncionNivelAdmin(PlanPieceAdmin):
    list_display = ("nivel", "apartado", "literal", "texto", "plan")
    list_select_related = ("plan", "nivel")
    list_filter = ("plan", "nivel")
    search_fields = ("texto", "apartado")


@admin.register(m.NotaFuente)
class NotaFuenteAdmin(PlanPieceAdmin):
    list_display = ("seccion", "titulo", "plan")
    search_fields = ("titulo", "descripcion")
