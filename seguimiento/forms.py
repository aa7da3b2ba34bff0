"""Forms of the follow-up pages. They parse what the user typed (numbers, files, links) with
messages that name the field; the rules that span rows (parts adding up, closed periods,
reasons for changes) are the services'."""
from __future__ import annotations

from decimal import Decimal

from django import forms

from amc.vocabulario import Frecuencia
from seguimiento import rules, services
from seguimiento.models import (
    EVIDENCIA_EXTENSIONES, LOGROS_MAX, AvanceActividad, evidencia_max_bytes, evidencia_validators,
)
from seguimiento.selectors import Entrega, FilaActividad, FilaIndicador, MesEjecucion

ACCEPT = ",".join("." + e for e in EVIDENCIA_EXTENSIONES)


def numero_field(label: str, *, required=False, max_value=None, max_digits=14, unidad="") -> forms.DecimalField:
    """A number typed as text (no browser spinner), with Spanish messages naming the field."""
    label_msg, unidad = label.replace("%", "%%"), unidad.replace("%", "%%")  # Django %-formats messages
    messages = {
        "invalid": f"«{label_msg}» debe ser un número, escrito con punto decimal y sin separador de miles (p. ej. 1250.50).",
        "required": f"Indique «{label_msg}».",
        "min_value": f"«{label_msg}» no puede ser negativo.",
        "max_value": f"«{label_msg}» no puede pasar de {max_value}{unidad}.",
        "max_digits": f"«{label_msg}» tiene demasiadas cifras.",
        "max_decimal_places": f"«{label_msg}» admite hasta 2 decimales.",
        "max_whole_digits": f"«{label_msg}» tiene demasiadas cifras.",
    }
    return forms.DecimalField(
        label=label, required=required, min_value=Decimal("0"), max_value=max_value, max_digits=max_digits,
        decimal_places=2, error_messages=messages,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 10}),
    )


class EvidenciaMixin(forms.Form):
    evidencia = forms.FileField(
        label="Medio de verificación (archivo)", required=False, validators=evidencia_validators,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    evidencia_url = forms.URLField(
        label="o enlace", required=False, max_length=500, assume_scheme="https",
        error_messages={"invalid": "«Enlace del medio de verificación» no es una dirección web válida (p. ej. https://…)."},
        widget=forms.URLInput(attrs={"placeholder": "https://…", "size": 28}),
    )
    comentario = forms.CharField(label="Comentario", required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 28}))
    motivo = forms.CharField(label="Motivo del cambio", required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 28}),
                             help_text="Obligatorio si cambia algo ya enviado.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidencia"].help_text = f"PDF, imagen, Excel o Word; hasta {evidencia_max_bytes() // 1048576} MB."


class ValorForm(EvidenciaMixin):
    """One indicator's value for the period, its evidence and, if configured, its parts."""

    def __init__(self, *args, fila: FilaIndicador, **kwargs):
        valor = fila.valor
        initial = {}
        if valor is not None:
            initial = {"valor": valor.valor, "evidencia_url": valor.evidencia_url, "comentario": valor.comentario,
                       "dificultades": valor.dificultades, "medidas_correctivas": valor.medidas_correctivas}
            initial.update({f"p{k}": v for k, v in fila.partes.items()})
        super().__init__(*args, prefix=fila.prefix, initial=initial, **kwargs)
        self.fila = fila
        self.fields["valor"] = numero_field("Valor")
        # The period's evaluation (shown open when the value is off its target).
        self.fields["dificultades"] = forms.CharField(
            label="Dificultades", required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 40}),
            help_text="Qué impidió alcanzar la meta del periodo.")
        self.fields["medidas_correctivas"] = forms.CharField(
            label="Medidas correctivas", required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 40}),
            help_text="Qué hará la entidad para alcanzarla, y cuándo.")
        self.order_fields(["valor"])
        self.grupos = []
        for d in fila.desagregaciones:
            nombres = []
            for c in d.tipo.categorias.all():
                name = f"p{c.pk}"
                self.fields[name] = numero_field(f"{c.nombre} ({d.tipo.nombre.lower()})")
                nombres.append(name)
            self.grupos.append((d, nombres))

    def grupos_bound(self):
        return [(d, [self[n] for n in nombres]) for d, nombres in self.grupos]

    def to_input(self) -> services.ValorInput:
        cd = self.cleaned_data
        partes = {int(name[1:]): cd.get(name) for _, nombres in self.grupos for name in nombres}
        return services.ValorInput(valor=cd.get("valor"), evidencia=cd.get("evidencia") or None,
                                   evidencia_url=cd.get("evidencia_url", ""), comentario=cd.get("comentario", ""),
                                   motivo=cd.get("motivo", ""), partes=partes, dificultades=cd.get("dificultades", ""),
                                   medidas_correctivas=cd.get("medidas_correctivas", ""))


class AvanceForm(EvidenciaMixin):
    """One activity's progress for the period."""

    situacion = forms.ChoiceField(label="Situación", choices=AvanceActividad.EstadoActividad.choices)

    def __init__(self, *args, fila: FilaActividad, **kwargs):
        avance = fila.avance
        initial = {"situacion": AvanceActividad.EstadoActividad.NO_INICIADA, "avance_fisico": Decimal("0")}
        if avance is not None:
            initial = {"situacion": avance.situacion, "avance_fisico": avance.avance_fisico,
                       "evidencia_url": avance.evidencia_url, "comentario": avance.comentario}
        elif fila.anterior is not None:
            # Progress carries over from the last period: the entity updates it.
            initial.update({"situacion": fila.anterior.situacion, "avance_fisico": fila.anterior.avance_fisico})
        super().__init__(*args, prefix=fila.prefix, initial=initial, **kwargs)
        self.fila = fila
        self.fields["avance_fisico"] = numero_field("Avance físico (%)", max_value=100, max_digits=5, unidad="%")
        self.fields["avance_fisico"].required = True
        self.order_fields(["situacion", "avance_fisico"])

    def to_input(self) -> services.AvanceInput:
        cd = self.cleaned_data
        return services.AvanceInput(situacion=cd["situacion"], avance_fisico=cd["avance_fisico"],
                                    evidencia=cd.get("evidencia") or None, evidencia_url=cd.get("evidencia_url", ""),
                                    comentario=cd.get("comentario", ""), motivo=cd.get("motivo", ""))


class EjecucionForm(forms.Form):
    """A budget line's PIM, certified and accrued amounts for one month."""

    def __init__(self, *args, mes: MesEjecucion, **kwargs):
        e = mes.ejecucion
        initial = {"pim": e.pim, "certificado": e.certificado, "devengado": e.devengado} if e else {}
        super().__init__(*args, prefix=mes.prefix, initial=initial, **kwargs)
        self.mes = mes
        for name, label in (("pim", "PIM"), ("certificado", "Certificado"), ("devengado", "Devengado")):
            self.fields[name] = numero_field(f"{label} de {mes.nombre_mes.lower()} (S/)")

    def to_input(self) -> services.EjecucionInput:
        cd = self.cleaned_data
        zero = Decimal("0")
        return services.EjecucionInput(pim=cd.get("pim") or zero, certificado=cd.get("certificado") or zero,
                                       devengado=cd.get("devengado") or zero)


def _en_el_envio(data, files, prefix: str) -> bool:
    """Whether a POST carries fields of the row `prefix` ("i12")."""
    return any(key.startswith(f"{prefix}-") for source in (data or {}, files or {}) for key in source)


class EntregaForm:
    """All the row forms of an entity's entry for a period. Approved rows are not editable:
    the page shows them without a form; a POST that still carries one (a page loaded before
    the approval) is read, so the service refuses a change to it with the rule's message
    instead of dropping it."""

    def __init__(self, entrega: Entrega, data=None, files=None):
        self.entrega = entrega
        self.valores = [ValorForm(data, files, fila=f) for f in entrega.indicadores
                        if f.editable or _en_el_envio(data, files, f.prefix)]
        self.avances = [AvanceForm(data, files, fila=f) for f in entrega.actividades
                        if f.editable or _en_el_envio(data, files, f.prefix)]
        editable = not entrega.aprobada
        self.ejecuciones = [EjecucionForm(data, files, mes=m) for linea in entrega.lineas for m in linea.meses] if editable else []
        self.errores_generales: list[str] = []
        by_prefix = {f.prefix: f for f in self.forms}
        self._by_prefix = by_prefix
        self.valor_forms = {f.fila.indicador.pk: f for f in self.valores}
        self.avance_forms = {f.fila.actividad.pk: f for f in self.avances}
        self.ejecucion_forms = {f.prefix: f for f in self.ejecuciones}

    def filas_indicadores(self):
        return [(f, self.valor_forms.get(f.indicador.pk) if f.editable else None) for f in self.entrega.indicadores]

    def filas_actividades(self):
        return [(f, self.avance_forms.get(f.actividad.pk) if f.editable else None) for f in self.entrega.actividades]

    def filas_lineas(self):
        return [(f, [(m, self.ejecucion_forms.get(m.prefix)) for m in f.meses]) for f in self.entrega.lineas]

    @property
    def forms(self):
        return [*self.valores, *self.avances, *self.ejecuciones]

    def is_valid(self) -> bool:
        return all([f.is_valid() for f in self.forms])

    def inputs(self) -> dict:
        return {
            "valores": {f.fila.indicador.pk: f.to_input() for f in self.valores},
            "avances": {f.fila.actividad.pk: f.to_input() for f in self.avances},
            "ejecuciones": {(f.mes.linea.pk, f.mes.mes): f.to_input() for f in self.ejecuciones},
        }

    def add_service_errors(self, errores: dict) -> None:
        for prefix, campos in errores.items():
            form = self._by_prefix.get(prefix)
            for campo, mensajes in campos.items():
                for m in mensajes:
                    if form is None:
                        self.errores_generales.append(m)
                    elif campo in form.fields:
                        form.add_error(campo, m)
                    else:
                        form.add_error(None, m)

    def resumen_errores(self) -> list[str]:
        """Every error, each saying where it is (the indicator, activity or month)."""
        lines = list(self.errores_generales)
        for f in self.forms:
            if not f.errors:
                continue
            if isinstance(f, ValorForm):
                donde = f"Indicador «{f.fila.indicador.nombre}»"
            elif isinstance(f, AvanceForm):
                donde = f"Actividad «{f.fila.actividad}»"
            else:
                donde = f"Presupuesto «{f.mes.linea}», {f.mes.nombre_mes.lower()}"
            for campo, errs in f.errors.items():
                for e in errs:
                    lines.append(f"{donde}: {e}")
        return lines


class LogrosForm(forms.Form):
    """The entity's summary of the period's achievements, on its entry page."""

    texto = forms.CharField(
        label="Logros del periodo", required=False, max_length=LOGROS_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=f"Un resumen breve de lo que su entidad logró en el periodo (hasta {LOGROS_MAX} caracteres). "
                  "El ministerio lo lee en el informe de evaluación del periodo.",
        error_messages={"max_length": f"El resumen de logros es breve: hasta {LOGROS_MAX} caracteres "
                                      "(tiene %(show_value)d). Acórtelo."},
    )
    prefix_name = "logros"

    def __init__(self, data=None, *, logros=None):
        super().__init__(data, prefix=self.prefix_name, initial={"texto": logros.texto if logros else ""})
        self.logros = logros

    def add_service_errors(self, errores: dict) -> dict:
        """Take this form's errors out of a service's errors (by prefix); return the rest."""
        resto = dict(errores)
        for campo, mensajes in resto.pop(self.prefix_name, {}).items():
            for m in mensajes:
                self.add_error("texto" if campo in ("texto", "__all__") else None, m)
        return resto

    def resumen_errores(self) -> list[str]:
        return [f"Logros del periodo: {e}" for errs in self.errors.values() for e in errs]


class DevolverForm(forms.Form):
    observacion = forms.CharField(
        label="Observación", widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
        error_messages={"required": rules.SIN_OBSERVACION},
    )


class ReabrirForm(forms.Form):
    motivo = forms.CharField(label="Motivo de la reapertura", widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
                             error_messages={"required": rules.SIN_MOTIVO_REAPERTURA})
    entrega_hasta = forms.DateField(
        label="Nuevo plazo (dd/mm/aaaa)", input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"required": "Indique el nuevo plazo.", "invalid": "«Nuevo plazo» debe ser una fecha dd/mm/aaaa."},
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/aaaa", "size": 10}, format="%d/%m/%Y"),
    )


class PeriodosForm(forms.Form):
    frecuencia = forms.ChoiceField(label="Frecuencia", choices=Frecuencia.choices, initial=Frecuencia.TRIMESTRAL)
    anio = forms.IntegerField(label="Año", error_messages={"invalid": "«Año» debe ser un número entero.",
                                                           "required": "Indique el año."})
    dias_entrega = forms.IntegerField(label="Días para reportar tras el fin de cada periodo", min_value=0, max_value=120,
                                      initial=15, error_messages={"min_value": "Los días no pueden ser negativos.",
                                                                  "max_value": "Como máximo 120 días."})
