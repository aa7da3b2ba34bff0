"""The schedule is edited on the activity's page of the admin: its start, end and physical
target (one form) over its monthly programming (a formset), then its milestones.

matrices' ActividadAdmin is extended here and registered again in its place, so that the
activity (matrices) does not depend on the schedule: the schedule extends the activity's page.
The inlines are scoped like every inline (amc.admin.ScopedInline): a regional user opens and
changes only its own entity's activities, so only their schedules.

The schedule and its months are one write. `CronogramaInline` is the months' inline, and its
formset carries the schedule's form (`CronogramaForm`): while the admin validates the page,
the formset checks both as a whole with the service's check (`services.cronograma_check`),
and its save is `services.cronograma_save` (or `cronograma_delete` when the schedule is
removed), which the activity's admin calls with the user. The admin saves the activity and
its inlines in one transaction and saves nothing when any of them has an error.
"""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html_join

from amc.admin import ScopedTabularInline
from cronograma.models import Cronograma, Hito, Mes, ProgramacionMensual
from cronograma.services import MesProgramado, cronograma_check, cronograma_delete, cronograma_save
from matrices.admin import ActividadAdmin
from matrices.models import Actividad


class CronogramaForm(forms.ModelForm):
    """The schedule itself (start, end, physical target). Optional until one of its fields is
    filled; a saved one can be removed, its months with it."""

    quitar = forms.BooleanField(label="Quitar el cronograma", required=False,
                                help_text="Quita el inicio, el fin y la meta física; marque también «Eliminar» en cada mes.")

    class Meta:
        model = Cronograma
        fields = ("inicio_mes", "inicio_anio", "fin_mes", "fin_anio", "meta_fisica", "unidad_medida")

    def __init__(self, data=None, *, actividad):
        guardado = Cronograma.objects.filter(actividad=actividad).first() if actividad.pk else None
        instance = guardado or Cronograma()
        instance.actividad = actividad
        nuevo = guardado is None
        super().__init__(data, instance=instance, prefix="cronograma", empty_permitted=nuevo,
                         use_required_attribute=not nuevo)
        if nuevo:
            del self.fields["quitar"]

    def quitado(self) -> bool:
        return self.is_bound and "quitar" in self.fields and bool(self["quitar"].data)

    def valido(self) -> bool:
        return self.quitado() or self.is_valid()

    def propuesto(self) -> Cronograma | None:
        """The schedule as it would be written (once valid): None when it is removed or was
        neither saved nor filled in."""
        if self.quitado() or not (self.instance.pk or self.has_changed()):
            return None
        return self.instance


class CronogramaFormSet(BaseInlineFormSet):
    """The months of an activity, one form each, with the schedule's form (`cronograma`) in
    front: each month checked by its model, then the whole by `cronograma_check`; written by
    `save(usuario=...)` through the service."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cronograma = CronogramaForm(self.data if self.is_bound else None, actividad=self.instance)

    @property
    def errors(self):
        """The months' errors and the schedule form's: the admin counts them in its note."""
        errores = super().errors
        if self.is_bound and not self.cronograma.valido():
            return [*errores, self.cronograma.errors]
        return errores

    def is_valid(self):
        return super().is_valid() and self.cronograma.valido()

    def has_changed(self):
        return super().has_changed() or self.cronograma.has_changed()

    def meses_propuestos(self) -> list[MesProgramado]:
        """The months as they would be written (once valid): the rows kept or added."""
        meses = []
        for form in self.forms:
            d = getattr(form, "cleaned_data", None)
            if not d or self._should_delete_form(form) or d.get("anio") is None or d.get("mes") is None:
                continue
            meses.append(MesProgramado(d["anio"], d["mes"], d.get("meta_fisica") or 0, d.get("monto") or 0))
        return meses

    def clean(self):
        super().clean()
        if any(self.errors):
            return  # each form shows its own (the schedule's too)
        if not self.instance.plan_id:
            return  # the activity's own form has errors (a new activity without its plan)
        cuadre = cronograma_check(actividad=self.instance, cronograma=self.cronograma.propuesto(),
                                  meses=[(Mes(m.anio, m.mes), m.meta_fisica, m.monto) for m in self.meses_propuestos()])
        if cuadre.errores:
            raise ValidationError(cuadre.mensajes_error)

    def save(self, *, usuario):
        """Write the schedule and its months as validated, through the service (which checks
        `usuario` may edit the activity and checks the whole again): nothing when nothing
        changed; `cronograma_delete` when the schedule is removed (the milestones are
        another inline); else `cronograma_save`, which replaces the months."""
        self.new_objects = [f.instance for f in self.extra_forms if f.has_changed() and not self._should_delete_form(f)]
        self.changed_objects = [(f.instance, f.changed_data) for f in self.initial_forms
                                if f.has_changed() and not self._should_delete_form(f)]
        self.deleted_objects = [f.instance for f in self.deleted_forms if f.instance.pk]
        self.cambios_del_cronograma = self._cambios_del_cronograma()
        if not self.has_changed():
            return
        actividad, cronograma = self.instance, self.cronograma.propuesto()
        if cronograma is None:
            cronograma_delete(user=usuario, actividad=actividad, hitos=False)
            return
        cronograma_save(user=usuario, actividad=actividad, inicio=(cronograma.inicio_anio, cronograma.inicio_mes),
                        fin=(cronograma.fin_anio, cronograma.fin_mes), meta_fisica=cronograma.meta_fisica,
                        unidad_medida=cronograma.unidad_medida, meses=self.meses_propuestos())

    def _cambios_del_cronograma(self) -> list[dict]:
        """The schedule form's change, for the activity's history, as Django writes an inline's."""
        form = self.cronograma
        nombre = str(Cronograma._meta.verbose_name)
        if form.quitado():
            return [{"deleted": {"name": nombre, "object": str(form.instance)}}]
        if not form.has_changed():
            return []
        if form.instance.pk is None:
            return [{"added": {"name": nombre, "object": str(form.instance)}}]
        campos = [str(form.fields[name].label) for name in form.changed_data]
        return [{"changed": {"name": nombre, "object": str(form.instance), "fields": campos}}]


class CronogramaInline(ScopedTabularInline):
    """The schedule (its form, shown above the table) and its months (the table)."""

    model = ProgramacionMensual
    formset = CronogramaFormSet
    template = "admin/cronograma/cronograma_inline.html"
    fields = ("anio", "mes", "meta_fisica", "monto")
    show_change_link = False
    verbose_name_plural = "programación mensual (meta física y monto de cada mes)"
    campos_del_cronograma = (("inicio_mes", "inicio_anio"), ("fin_mes", "fin_anio"), ("meta_fisica", "unidad_medida"), "cuadre")

    def formulario_cronograma(self, inline_admin_formset) -> helpers.AdminForm | None:
        """The schedule's form as the admin lays a form out; read-only for who may not change
        it; None when there is no schedule to show."""
        form = inline_admin_formset.formset.cronograma
        if inline_admin_formset.has_change_permission:
            campos = [*self.campos_del_cronograma, *(["quitar"] if "quitar" in form.fields else [])]
            solo_lectura = ["cuadre"]
        elif form.instance.pk:
            campos = list(self.campos_del_cronograma)
            solo_lectura = flatten_fieldsets([(None, {"fields": campos})])
        else:
            return None
        return helpers.AdminForm(form, [(None, {"fields": campos})], {}, readonly_fields=solo_lectura, model_admin=self)

    @admin.display(description="¿cuadra la programación?")
    def cuadre(self, obj):
        """What the saved months do not add up to yet (or exceed), as on the chart."""
        if not obj or not obj.pk:
            return "—"
        meses = [(p.periodo, p.meta_fisica, p.monto) for p in ProgramacionMensual.objects.filter(actividad=obj.actividad)]
        c = cronograma_check(actividad=obj.actividad, cronograma=obj, meses=meses)
        mensajes = c.mensajes_error + c.avisos
        if obj.demostracion:
            mensajes.insert(0, "Cronograma de demostración (no es del documento del plan).")
        if not mensajes:
            return "Sí: los meses suman la meta física y el presupuesto."
        return format_html_join("", "<div>⚠ {}</div>", ((m,) for m in mensajes))


class HitoInline(ScopedTabularInline):
    model = Hito
    fields = ("nombre", "anio", "mes", "fecha")
    show_change_link = False


class ActividadConCronogramaAdmin(ActividadAdmin):
    """The activity's page with its schedule (see the module docstring)."""

    inlines = [*ActividadAdmin.inlines, CronogramaInline, HitoInline]

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, CronogramaFormSet):
            formset.save(usuario=request.user)
        else:
            super().save_formset(request, form, formset, change)

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline_admin_formset in inline_admin_formsets:
            if isinstance(inline_admin_formset.opts, CronogramaInline):
                inline_admin_formset.cronograma = inline_admin_formset.opts.formulario_cronograma(inline_admin_formset)
        return inline_admin_formsets

    def construct_change_message(self, request, form, formsets, add):
        mensaje = super().construct_change_message(request, form, formsets, add)
        for formset in formsets:
            if isinstance(formset, CronogramaFormSet):
                mensaje.extend(formset.cambios_del_cronograma)
        return mensaje


admin.site.unregister(Actividad)
admin.site.register(Actividad, ActividadConCronogramaAdmin)
