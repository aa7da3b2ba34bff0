"""Indicator values for a period, imported from Excel (see importacion/resources.py).

An import files values as the entry page does, through the same change of a record
(`registros.cambio_check`, the rules of `seguimiento.rules`, with the same messages): only
while the period receives values; an approved value is not changed; a value already
submitted is changed only with a reason, which is kept in its history. A value broken down
into parts (by sex…) is changed on the period's page, where its parts are corrected with it.
An import never submits: submitting asks for the evidence file, on the period's page. Rows of
the template that are left without a value are not filed.
"""
from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from importacion.resources import TODA_LA_FILA, Columna, Entero, HojaResource, Numero, normalize, parse_date, parse_int, parse_text
from matrices.models import Indicador
from seguimiento import registros, rules
from seguimiento.models import HistorialValor, PeriodoReporte, ValorDesagregado, ValorIndicador


class ValorIndicadorResource(HojaResource):
    hoja = "Valores de indicadores"
    titulo = "Valores de indicadores por periodo"
    explicacion = ("El valor de cada indicador de su entidad en cada periodo de reporte, como borrador: una fila por "
                   "indicador y periodo. Para enviarlo al ministerio, adjunte el medio de verificación en la página del "
                   "periodo. Las filas sin valor no se registran.")

    indicador = Columna("Indicador (orden)", "indicador", widget=Entero(), obligatoria=True, lista="indicadores", ancho=10,
                        tipo="integer", ayuda="Número de orden del indicador de su entidad.", ejemplo="1")
    indicador_nombre = Columna("Indicador", None, referencia=True, ancho=50, ayuda="Nombre del indicador, como referencia: no se importa.")
    periodo = Columna("Periodo", "periodo", obligatoria=True, lista="periodos", ancho=14,
                      ayuda="El periodo como lo nombra la lista (T1 2015, Ene 2015…), o una fecha de Excel dentro del periodo. "
                      "Una fecha escrita como texto no se acepta.", ejemplo="T1 2015")
    valor = Columna("Valor", "valor", widget=Numero(), ancho=12, tipo="number",
                    ayuda="El valor del periodo, con punto decimal (12 o 12.50).", ejemplo="12")
    evidencia_url = Columna("Enlace del medio de verificación", "evidencia_url", ancho=30,
                            ayuda="Enlace (https://…) al informe, acta o lista que lo respalda, si lo hay.")
    comentario = Columna("Comentario", "comentario", ancho=30, ayuda="Comentario para el revisor, si lo hay.")
    motivo = Columna("Motivo del cambio", None, ancho=30,
                     ayuda="Obligatorio si cambia un valor que ya envió: se guarda en su historial.")
    estado = Columna("Estado", None, referencia=True, ancho=14, ayuda="Estado de revisión, como referencia: no se importa.")

    clave = ("indicador", "periodo")
    clave_campos = ("indicador_id", "entidad_id", "periodo_id")
    actualizables = ("valor", "evidencia_url", "comentario")
    fk_resueltas = ("indicador", "entidad", "periodo", "actualizado_por")
    columnas_de_campos = {"motivo": "Motivo del cambio"}

    class Meta(HojaResource.Meta):
        model = ValorIndicador
        fields = ("plan_codigo", "entidad_codigo", "indicador", "indicador_nombre", "periodo", "valor", "evidencia_url",
                  "comentario", "motivo", "estado")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.historial: list[HistorialValor] = []
        self.cambios_de_fila: dict[int, registros.Cambio] = {}
        self.hoy = timezone.localdate()

    def existentes(self):
        return ValorIndicador.objects.filter(periodo__plan=self.plan, entidad=self.entidad).select_related(
            "indicador", "entidad", "periodo")

    def filas_de_plantilla(self):
        return self.existentes().order_by("periodo__inicio", "indicador__orden")

    def cargar_referencias(self):
        self.indicadores = {i.orden: i for i in Indicador.objects.filter(plan=self.plan, entidad=self.entidad).select_related("plan")}
        self.periodos = list(PeriodoReporte.objects.filter(plan=self.plan).select_related("plan").order_by("inicio"))
        self.periodos_por_nombre = {}
        for p in self.periodos:
            self.periodos_por_nombre.setdefault(normalize(p.nombre_corto), p)
            self.periodos_por_nombre.setdefault(normalize(p.nombre), p)
        self.desagregados = set(ValorDesagregado.objects.filter(
            valor__periodo__plan=self.plan, valor__entidad=self.entidad).values_list("valor_id", flat=True))

    # --- cells -------------------------------------------------------------------------------

    def leer_indicador(self, value, row):
        numero = parse_int(value)
        if numero is None:
            return None
        if numero not in self.indicadores:
            orden = ", ".join(str(n) for n in sorted(self.indicadores)) or "ninguno"
            raise ValueError(f"{self.entidad.nombre_corto} no tiene el indicador {numero} en este plan; sus indicadores son {orden}.")
        return self.indicadores[numero]

    def leer_periodo(self, value, row):
        if value is None or parse_text(value) == "":
            return None
        if isinstance(value, (datetime, date)):
            dia = parse_date(value)
            for p in self.periodos:
                if p.inicio <= dia <= p.fin:
                    return p
            raise ValueError(f"Ningún periodo de reporte del plan contiene el {dia:%d/%m/%Y}.")
        parse_date_if_looks_like_one(value)
        periodo = self.periodos_por_nombre.get(normalize(value))
        if periodo is None:
            ejemplos = ", ".join(p.nombre_corto for p in self.periodos[:4]) or "el plan aún no tiene periodos"
            raise ValueError(f"«{parse_text(value)}» no es un periodo del plan: elija de la lista ({ejemplos}…).")
        return periodo

    def dehydrate_indicador(self, obj):
        return obj.indicador.orden

    def dehydrate_indicador_nombre(self, obj):
        return obj.indicador.nombre

    def dehydrate_periodo(self, obj):
        return obj.periodo.nombre_corto

    def dehydrate_motivo(self, obj):
        return ""

    def dehydrate_estado(self, obj):
        return obj.get_estado_display()

    def listas(self):
        return {"indicadores": sorted(Indicador.objects.filter(plan=self.plan, entidad=self.entidad).values_list("orden", flat=True)),
                "periodos": [p.nombre_corto for p in PeriodoReporte.objects.filter(plan=self.plan).order_by("inicio")]}

    def describir(self, instance):
        return f"Indicador {instance.indicador.orden} · {instance.periodo.nombre_corto}"

    # --- the rules of filing ------------------------------------------------------------------

    def importar_extra(self, instance, row, errores):
        if instance.periodo_id is None or instance.indicador_id is None:
            return  # a key that could not be read: reported in its column
        cambio = registros.cambio_check(
            registros.VALOR, instance, periodo=instance.periodo, user=self.usuario, antes=self.antes.get(self.fila_actual),
            motivo=parse_text(row.get("Motivo del cambio")), hoy=self.hoy, nota="Importado de Excel")
        self.cambios_de_fila[self.fila_actual] = cambio
        for campo, mensajes in cambio.errores.items():
            errores.setdefault(self.columna_de_campo.get(campo, TODA_LA_FILA), []).extend(mensajes)
        if instance.pk in self.desagregados and "valor" in cambio.campos:
            errores.setdefault("Valor", []).append(rules.DESAGREGADO_SOLO_EN_LA_PAGINA)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if (not import_validation_errors and instance.pk is None and instance.valor is None
                and not instance.evidencia_url and not instance.comentario):
            return True
        return super().skip_row(instance, original, row, import_validation_errors)

    def before_save_instance(self, instance, row, **kwargs):
        cambio = self.cambios_de_fila[self.fila_actual]
        instance.actualizado_por = self.usuario
        instance.actualizado_en = cambio.ahora
        self.historial.extend(cambio.historial())

    def get_bulk_update_fields(self):
        return [*self.actualizables, "actualizado_por", "actualizado_en"]

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if self.historial and not result.has_errors():
            # A change to something already submitted is kept with its reason (append-only).
            HistorialValor.objects.bulk_create(self.historial, batch_size=self._meta.batch_size)


def parse_date_if_looks_like_one(value) -> None:
    """A period typed as a date in text ("31/03/2015") gets the date message, not "unknown period"."""
    text = parse_text(value)
    if any(ch in text for ch in "/-") and any(ch.isdigit() for ch in text) and not any(ch.isalpha() for ch in text):
        parse_date(text)
