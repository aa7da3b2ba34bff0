"""Admin machinery shared by the apps: every list, form and inline scoped to the user's
entity, and a refusal (403) that says whose the row is when a URL reaches for another
entity's row."""
from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from amc import access
from amc.auditoria import tiene_historial
from amc.db import AmcModel

admin.site.site_header = "AMC · Acciones de Mejora Continua"
admin.site.site_title = "AMC"
admin.site.index_title = "Registro de planes"


def _scope_foreign_key(db_field, request, kwargs):
    """Limit a foreign key's choices to what the user may use (the target model's
    `usable_by`: its own entity and units, rows of the plans it may read)."""
    model, user = db_field.related_model, request.user
    if access.is_admin(user) or not issubclass(model, AmcModel):
        return kwargs
    kwargs["queryset"] = (kwargs.get("queryset") or model._default_manager.all()).usable_by(user, db_field.name)
    return kwargs


class ScopedAdmin(SimpleHistoryAdmin):
    """A ModelAdmin whose lists hold what the user may read, whose forms offer only what it
    may use, and which refuses, naming the owner, another entity's row. Its «Historial» page
    shows every change (who, when, old → new, reason) of a model whose history is kept
    (amc/auditoria.py), and only to those who may open the row itself."""

    list_per_page = 50

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if access.reads_all_plans(request.user):
            return qs
        if request.path.endswith("/autocomplete/"):
            # Choosing a row to point at (a cause's problem) needs only to read it.
            return qs.visible_to(request.user)
        return qs.owned_by(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            model = self.model
            field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
            try:
                other = model._default_manager.get(**{field.name: field.to_python(object_id)})
            except (model.DoesNotExist, ValueError, Exception):
                return None
            raise PermissionDenied(access.refusal_message(other))
        return obj

    def history_view(self, request, object_id, extra_context=None):
        # The row first, through the scoped lookup: another entity's row is refused (403,
        # naming its owner) before any of its history is read.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("No existe ese registro.")
        if not tiene_historial(self.model):
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            # simple-history would save the old version over the row (a revert): the history
            # is read-only, a row changes on its own page.
            raise PermissionDenied("El historial es de solo lectura: para cambiar el registro, ábralo y modifíquelo.")
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("No existe ese registro.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or access.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or access.can_edit(request.user, obj))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not access.is_read_only(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **_scope_foreign_key(db_field, request, kwargs))

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "entidad" in {f.name for f in self.model._meta.fields} and request.user.entidad_id:
            initial.setdefault("entidad", request.user.entidad_id)
        return initial

    def save_model(self, request, obj, form, change):
        # Last guard behind the scoped form: a forged POST never saves another entity's row.
        access.check_can_edit(request.user, obj)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        access.check_can_edit(request.user, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            access.check_can_edit(request.user, obj)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in instances + list(formset.deleted_objects):
            access.check_can_edit(request.user, obj)
        formset.save_m2m()
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            obj.save()


class ScopedInline:
    """Inline mixin: the same permission and choice rules as ScopedAdmin."""

    extra = 0
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **_scope_foreign_key(db_field, request, kwargs))

    def history_view(self, request, object_id, extra_context=None):
        # The row first, through the scoped lookup: another entity's row is refused (403,
        # naming its owner) before any of its history is read.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("No existe ese registro.")
        if not tiene_historial(self.model):
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            # simple-history would save the old version over the row (a revert): the history
            # is read-only, a row changes on its own page.
            raise PermissionDenied("El historial es de solo lectura: para cambiar el registro, ábralo y modifíquelo.")
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("No existe ese registro.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or access.can_edit(request.user, obj))

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or access.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or access.can_edit(request.user, obj))


class ScopedTabularInline(ScopedInline, admin.TabularInline):
    pass


class ScopedStackedInline(ScopedInline, admin.StackedInline):
    pass
