from django import forms

from ciclo.siguiente import OPCIONES

FECHA = {"input_formats": ["%d/%m/%Y", "%Y-%m-%d"],
         "error_messages": {"invalid": "Escriba la fecha como dd/mm/aaaa (p. ej. 31/12/2015).",
                            "required": "Indique la fecha (dd/mm/aaaa)."}}


class SuscribirForm(forms.Form):
    fecha = forms.DateField(label="Fecha de suscripción", help_text="dd/mm/aaaa", **FECHA)
    documento = forms.CharField(label="Resolución o convenio", max_length=200,
                                help_text="p. ej. Convenio de Gestión N° 012-2015-MTPE",
                                error_messages={"required": "Indique el número de la resolución o del convenio."})
    firmantes = forms.CharField(label="Firmantes", widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="Nombre y cargo, uno por línea.",
                                error_messages={"required": "Indique quiénes firman el plan."})


class CerrarForm(forms.Form):
    fecha = forms.DateField(label="Fecha de cierre", help_text="dd/mm/aaaa", **FECHA)
    evaluacion = forms.CharField(label="Evaluación de cierre", widget=forms.Textarea(attrs={"rows": 5}),
                                 error_messages={"required": "Escriba la evaluación de cierre del plan."})


class ModificacionForm(forms.Form):
    motivo = forms.CharField(label="Motivo de la modificación", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    documento = forms.CharField(label="Documento que la aprueba (opcional)", max_length=200, required=False)


class SiguienteForm(forms.Form):
    opciones = forms.MultipleChoiceField(label="Qué copiar al plan nuevo", choices=OPCIONES, required=False,
                                         widget=forms.CheckboxSelectMultiple)
