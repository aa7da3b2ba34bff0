"""The schedule is edited on the activity's page of the admin: its start, end and physical
target, its monthly programming and its milestones, as three inlines.

The inlines are added to matrices' ActividadAdmin from here, so that the activity (matrices)
does not depend on the schedule: the schedule extends the activity's page. They are scoped
like every inline (amc.admin.ScopedInline): a regional user opens and changes only its own
entity's activities, so only their schedules.

The months must add up as a whole (`cronograma.models.revisar`), with the start, end and
target typed in the same form: the months' formset reads the schedule's form of the same
request. The admin saves the activity and its inlines in one transaction and saves nothing
when any of them has an error.
"""
from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html_join

from amc.admin import ScopedStackedInline, ScopedTabularInline
from cronograma.models import Cronograma, Hito, Mes, Presupuesto, ProgramacionMensual, revisar
from cronograma.selectors import presupuesto_de
from matrices.admin import ActividadAdmin

_CABECERA = "_cronograma_cabecera_formset"


class CronogramaFormSet(BaseInlineFormSet):
    """The schedule's own form (at most one); it leaves itself on the request for the months."""

    request = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            setattr(self.request, _CABECERA, self)

    def cabecera(self):
        """(start, end, target) as typed, None when the schedule is removed or absent; raises
        LookupError while the schedule's own form has errors (it shows them itself)."""
        if not self.is_valid():
            raise LookupError
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                return None
            if form.instance.pk or form.has_changed():
                c = form.instance
                return Mes(c.inicio_anio, c.inicio_mes), Mes(c.fin_anio, c.fin_mes), c.meta_fisica
        return None


class ProgramacionFormSet(BaseInlineFormSet):
    """The months: each row checked by its model, the whole against the schedule and the
    activity's budget."""

    request = None

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        actividad = self.instance
        if not actividad.plan_id:
            return  # the activity's own form has errors (a new activity without its plan)
        cabecera_fs = getattr(self.request, _CABECERA, None)
        try:
            if cabecera_fs is not None:
                cabecera = cabecera_fs.cabecera()
            else:
                c = Cronograma.objects.filter(actividad=actividad).first() if actividad.pk else None
                cabecera = (c.inicio, c.fin, c.meta_fisica) if c else None
        except LookupError:
            return
        meses = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or self._should_delete_form(form):
                continue
            d = form.cleaned_data
            if d.get("anio") is None or d.get("mes") is None:
                continue
            meses.append((Mes(d["anio"], d["mes"]), d.get("meta_fisica"), d.get("monto")))
        inicio, fin, meta = cabecera if cabecera else (None, None, None)
        presupuesto = presupuesto_de(actividad) if actividad.pk else Presupuesto()
        cuadre = revisar(plan=actividad.plan, inicio=inicio, fin=fin, meta=meta, meses=meses, presupuesto=presupuesto)
        if cuadre.errores:
            raise ValidationError(cuadre.mensajes_error)


class CronogramaInline(ScopedStackedInline):
    model = Cronograma
    formset = CronogramaFormSet
    max_num = 1
    extra = 0
    show_change_link = False
    verbose_name = "cronograma (inicio, fin y meta física)"
    verbose_name_plural = "cronograma (sección 18)"
    fields = (("inicio_mes", "inicio_anio"), ("fin_mes", "fin_anio"), ("meta_fisica", "unidad_medida"), "cuadre")
    readonly_fields = ("cuadre",)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type("CronogramaFormSetDeLaPeticion", (formset,), {"request": request})

    @admin.display(description="¿cuadra la programación?")
    def cuadre(self, obj):
        """What the saved months do not add up to yet (or exceed), as on the chart."""
        if not obj or not obj.pk:
            return "—"
        meses = [(p.periodo, p.meta_fisica, p.monto) for p in ProgramacionMensual.objects.filter(actividad=obj.actividad)]
        c = revisar(plan=obj.actividad.plan, inicio=obj.inicio, fin=obj.fin, meta=obj.meta_fisica, meses=meses,
                    presupuesto=presupuesto_de(obj.actividad))
        mensajes = c.mensajes_error + c.avisos
        if obj.demostracion:
            mensajes.insert(0, "Cronograma de demostración (no es del documento del plan).")
        if not mensajes:
            return "Sí: los meses suman la meta física y el presupuesto."
        return format_html_join("", "<div>⚠ {}</div>", ((m,) for m in mensajes))


class ProgramacionMensualInline(ScopedTabularInline):
    model = ProgramacionMensual
    formset = ProgramacionFormSet
    fields = ("anio", "mes", "meta_fisica", "monto")
    show_change_link = False
    verbose_name_plural = "programación mensual (meta física y monto de cada mes)"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type("ProgramacionFormSetDeLaPeticion", (formset,), {"request": request})


class HitoInline(ScopedTabularInline):
    model = Hito
    fields = ("nombre", "anio", "mes", "fecha")
    show_change_link = False


# The schedule extends the activity's page (see the module docstring).
ActividadAdmin.inlines = [*ActividadAdmin.inlines, CronogramaInline, ProgramacionMensualInline, HitoInline]
