"""Admin machinery shared by the apps: every list, form and inline scoped to the user's
entity, and a refusal (403) that says whose the row is when a URL reaches for another
entity's row."""
from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models

from amc import access
from amc.db import AmcModel
from amc.numeros import NumeroField

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


class NumerosMixin:
    """Amounts and quantities typed in the admin are read by the project's one parser
    (`amc.numeros`): "1,234.50" and "S/ 1,234.50" are accepted, "1.234,50" refused with the
    reason, as on the entry pages and in the Excel import."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DecimalField) and not db_field.choices:
            kwargs.setdefault("form_class", NumeroField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ScopedAdmin(NumerosMixin, admin.ModelAdmin):
    """A ModelAdmin whose lists hold what the user may read, whose forms offer only what it
    may use, and which refuses, naming the owner, another entity's row."""

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


class ScopedInline(NumerosMixin):
    """Inline mixin: the same permission, choice and number rules as ScopedAdmin."""

    extra = 0
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **_scope_foreign_key(db_field, request, kwargs))

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
