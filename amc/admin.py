"""Admin machinery shared by the apps: every list, form and inline scoped to the user's
entity, and a refusal (403) that says whose the row is when a URL reaches for another
entity's row."""
from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path, reverse_field_path, unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import connection, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.http import Http404
from django.utils.safestring import SafeData, mark_safe
from simple_history.admin import SimpleHistoryAdmin

from amc import access
from amc.auditoria import tiene_historial
from amc.db import AmcModel
from amc.numeros import NumeroField
from amc.reports import bad_request
from amc.vocabulario import articulo

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


def _is_plan_piece(model) -> bool:
    """A model whose rows belong to a plan (and so are readable only by who may read it)."""
    return isinstance(model, type) and issubclass(model, AmcModel) and model.plan_field is not None


class ReadableRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A filter on a relation to a plan piece (the plan, a period) whose choices are the rows
    the user may read: a regional user is not shown the titles of other regions' plans."""

    def field_choices(self, field, request, model_admin):
        queryset = field.related_model._default_manager.visible_to(request.user)
        queryset = queryset.complex_filter(field.get_limit_choices_to())
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        target = field.remote_field.get_related_field().attname
        return [(getattr(obj, target), str(obj)) for obj in queryset]


class BlankNamedAllValuesFieldListFilter(admin.AllValuesFieldListFilter):
    """A filter on a text field whose blank value is offered by name: Django's shows a link with
    no text for it, which a screen reader cannot name (axe-core: link-name)."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "":
                choice = {**choice, "display": "(en blanco)"}
            yield choice


class ReadableAllValuesFieldListFilter(admin.AllValuesFieldListFilter):
    """A filter on a value across a relation (a problem's number, a period's year) whose
    choices come from the rows the user may read, not from every plan's rows."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        parent_model, _ = reverse_field_path(model, field_path)
        if parent_model is not model and _is_plan_piece(parent_model):
            self.lookup_choices = (
                parent_model._default_manager.visible_to(request.user)
                .distinct().order_by(field.name).values_list(field.name, flat=True)
            )


def _readable_list_filter(model, item):
    """`item` of a list_filter, with the filter Django would pick replaced by its readable
    version when its choices come from plan pieces."""
    if isinstance(item, (list, tuple)):
        path, filter_class = item
        if filter_class is admin.RelatedFieldListFilter:
            return (path, ReadableRelatedFieldListFilter)
        return item
    if not isinstance(item, str):
        return item  # a SimpleListFilter names its own choices
    try:
        field = get_fields_from_path(model, item)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return item
    # The filter Django's FieldListFilter.create would choose (first registered test that passes).
    default = next((cls for test, cls in admin.FieldListFilter._field_list_filters if test(field)), None)
    if default is admin.RelatedFieldListFilter and _is_plan_piece(field.related_model):
        return (item, ReadableRelatedFieldListFilter)
    if default is admin.AllValuesFieldListFilter and "__" in item:
        return (item, ReadableAllValuesFieldListFilter)
    return item


def _field_of_lookup(model, name: str):
    """The model field a list's query parameter filters on (`plan__id__exact` → Plan.id,
    `anio_inicio__in` → anio_inicio), or None (search, ordering, page, unknown names)."""
    parts = name.split("__")
    for n in range(len(parts), 0, -1):
        try:
            field = get_fields_from_path(model, "__".join(parts[:n]))[-1]
        except (FieldDoesNotExist, NotRelationField):
            continue
        return field.target_field if field.is_relation and not field.many_to_many else field
    return None


def out_of_range_filter(model, params) -> tuple[str, str] | None:
    """The first (parameter, value) of a list's query string that is a whole number the
    database cannot hold in the field it filters (`?anio_inicio=99999999999999999999`): such a
    filter can match nothing, and SQLite fails on it (OverflowError) rather than saying so."""
    for name, values in params.lists():
        field = _field_of_lookup(model, name)
        internal_type = field.get_internal_type() if field is not None else ""
        if internal_type not in BaseDatabaseOperations.integer_field_ranges:
            continue
        low, high = connection.ops.integer_field_range(internal_type)
        for value in values:
            for item in value.split(",") if name.endswith("__in") else [value]:
                try:
                    number = int(item.strip())
                except ValueError:
                    continue  # not a number: the admin says so itself (its "invalid filter" page)
                if (low is not None and number < low) or (high is not None and number > high):
                    return name, item.strip()
    return None


class NumerosMixin:
    """Amounts and quantities typed in the admin are read by the project's one parser
    (`amc.numeros`): "1,234.50" and "S/ 1,234.50" are accepted, "1.234,50" refused with the
    reason, as on the entry pages and in the Excel import."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DecimalField) and not db_field.choices:
            kwargs.setdefault("form_class", NumeroField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class MensajesMixin:
    """The admin's messages open with the record's article: locale/es says «actividad “…” se
    modificó correctamente.» (no article, so that nothing disagrees), this adds «La»."""

    def message_user(self, request, message, *args, **kwargs):
        nombre = str(self.opts.verbose_name)
        if str(message).startswith(f"{nombre} “"):
            texto = f"{articulo(nombre)} {message}"
            message = mark_safe(texto) if isinstance(message, SafeData) else texto
        return super().message_user(request, message, *args, **kwargs)


class ScopedAdmin(MensajesMixin, NumerosMixin, SimpleHistoryAdmin):
    """A ModelAdmin whose lists hold what the user may read, whose forms offer only what it
    may use, and which refuses, naming the owner, another entity's row. Its «Historial» page
    shows every change (who, when, old → new, reason) of a model whose history is kept
    (amc/auditoria.py), and only to those who may open the row itself."""

    list_per_page = 50

    def get_list_filter(self, request):
        return [_readable_list_filter(self.model, item) for item in super().get_list_filter(request)]

    def changelist_view(self, request, extra_context=None):
        bad = out_of_range_filter(self.model, request.GET)
        if bad:
            name, value = bad
            return bad_request(
                request,
                f"El filtro «{name}» tiene un número fuera de rango ({value[:30]}): ningún registro puede "
                "tenerlo. Corrija la dirección o quite el filtro.",
            )
        return super().changelist_view(request, extra_context)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if access.reads_all_plans(request.user):
            return qs
        if request.path.endswith("/autocomplete/"):
            # Choosing a row to point at (a cause's problem) needs only to read it; reference
            # rows (an entity's units) offer what the form accepts (the target's `usable_by`).
            if self.model.plan_field is None:
                return qs.usable_by(request.user, request.GET.get("field_name", ""))
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


class ScopedInline(NumerosMixin):
    """Inline mixin: the same permission, choice and number rules as ScopedAdmin."""

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
