"""Sheets of the budget (section 13.3) that people keep in Excel: budget lines and their
cost sub-lines (see importacion/resources.py)."""
from __future__ import annotations

from importacion.resources import Ajena, Columna, Entero, HojaResource, Numero, Opcion, normalize, parse_int
from matrices.models import Actividad
from presupuesto.models import ESPECIFICA_HELP, Clasificador, LineaPresupuesto, SublineaCosto

MONTO = "un monto en soles"


def _especificas(plan) -> list[str]:
    """Spending codes of the classifier for the plan's years, and those the plan already uses."""
    codigos = set(Clasificador.objects.filter(anio__gte=plan.anio_inicio, anio__lte=plan.anio_fin).values_list("codigo", flat=True))
    codigos |= set(LineaPresupuesto.objects.filter(plan=plan).exclude(especifica_gasto="").values_list("especifica_gasto", flat=True))
    codigos |= set(SublineaCosto.objects.filter(linea__plan=plan).exclude(especifica_gasto="").values_list("especifica_gasto", flat=True))
    return sorted(codigos)


def _unidades(plan) -> list[str]:
    unidades = set(LineaPresupuesto.objects.filter(plan=plan).exclude(unidad_medida="").values_list("unidad_medida", flat=True))
    unidades |= set(SublineaCosto.objects.filter(linea__plan=plan).exclude(unidad_medida="").values_list("unidad_medida", flat=True))
    return sorted(unidades, key=normalize)


def columna_especifica() -> Columna:
    return Columna("Especificación del gasto", "especifica_gasto", lista="especificas", lista_estricta=False, ancho=16,
                   ayuda=ESPECIFICA_HELP + " La lista trae el clasificador del año; vacía si no se indica.", ejemplo="2.3.2.7.11.99")


def columna_costo() -> Columna:
    return Columna("Costo unitario (S/)", "costo_unitario", widget=Numero(MONTO), ancho=14, tipo="money",
                   ayuda="En soles, con punto decimal: 2500.00, 2,500.00 o S/ 2,500.00 (también S/. como en 2015). "
                   "No use coma decimal (2.500,00).", ejemplo="2500.00")


def columna_cantidad() -> Columna:
    return Columna("Cantidad", "cantidad", widget=Numero("una cantidad"), ancho=10, tipo="number",
                   ayuda="Cantidad. Vacía (o «-») cuando el costo es un monto global.", ejemplo="2")


class LineaPresupuestoResource(HojaResource):
    hoja = "Presupuesto"
    titulo = "Líneas de presupuesto"
    explicacion = ("Una fila por línea del presupuesto (13.3) de su entidad. El número de orden es del presupuesto del plan "
                   "entero, compartido con las demás entidades: para una línea nueva use un número libre. Las líneas con "
                   "sublíneas de costo dejan vacíos el costo unitario y la cantidad; el total se calcula, no se importa.")

    orden = Columna("Orden", "orden", widget=Entero(), obligatoria=True, ancho=8, tipo="integer",
                    ayuda="Número de la línea en el presupuesto del plan (único en el plan).", ejemplo="12")
    actividad = Columna("Actividad (orden)", "actividad", widget=Entero(), lista="actividades", ancho=10, tipo="integer",
                        ayuda="Número de orden de la actividad de la matriz lógica de su entidad que financia, si la hay.",
                        ejemplo="4")
    descripcion = Columna("Actividad como la escribe el presupuesto", "descripcion", obligatoria=True, ancho=60,
                          ayuda="La actividad, como la redacta la tabla de presupuesto.")
    estado = Columna("Estado", "estado", widget=Opcion(LineaPresupuesto.Estado.choices), lista="estados_linea", ancho=20,
                     ayuda="Determinado, «No se ha determinado» (no es cero) o «Sin monto (–)». Vacío: Determinado.",
                     ejemplo="Determinado")
    unidad_medida = Columna("Unidad de medida", "unidad_medida", lista="unidades", lista_estricta=False, ancho=16,
                            ayuda="Unidad de medida. La lista sugiere las del plan; puede escribir otra.", ejemplo="Taller")
    costo_unitario = columna_costo()
    cantidad = columna_cantidad()
    especifica_gasto = columna_especifica()
    total = Columna("Total (S/)", None, referencia=True, ancho=14, tipo="money",
                    ayuda="Calculado (costo × cantidad, o la suma de sus sublíneas): no se importa.")

    clave = ("orden",)
    clave_campos = ("plan_id", "orden")
    actualizables = ("actividad", "descripcion", "estado", "unidad_medida", "costo_unitario", "cantidad", "especifica_gasto")
    fk_resueltas = ("plan", "entidad", "actividad")

    class Meta(HojaResource.Meta):
        model = LineaPresupuesto
        fields = ("plan_codigo", "entidad_codigo", "nivel", "orden", "actividad", "descripcion", "estado", "unidad_medida",
                  "costo_unitario", "cantidad", "especifica_gasto", "total")

    def existentes(self):
        return LineaPresupuesto.objects.filter(plan=self.plan).select_related("entidad", "actividad")

    def filas_de_plantilla(self):
        return super().filas_de_plantilla().with_totals()

    def cargar_referencias(self):
        self.actividades = {a.orden: a for a in Actividad.objects.filter(plan=self.plan, entidad=self.entidad)}

    def leer_estado(self, value, row):
        return self.fields["estado"].widget.clean(value) or LineaPresupuesto.Estado.DETERMINADO

    def leer_actividad(self, value, row):
        numero = parse_int(value)
        if numero is None:
            return None
        if numero not in self.actividades:
            raise ValueError(f"{self.entidad.nombre_corto} no tiene la actividad {numero} en este plan (hoja «Actividades»).")
        return self.actividades[numero]

    def dehydrate_actividad(self, obj):
        return obj.actividad.orden if obj.actividad_id else None

    def dehydrate_total(self, obj):
        return obj.total_calculado if hasattr(obj, "total_calculado") else obj.total()

    def listas(self):
        return {"estados_linea": [str(label) for _, label in LineaPresupuesto.Estado.choices],
                "actividades": sorted(Actividad.objects.filter(plan=self.plan, entidad=self.entidad).values_list("orden", flat=True)),
                "unidades": _unidades(self.plan), "especificas": _especificas(self.plan)}

    def notas(self) -> list[str]:
        usados = LineaPresupuesto.objects.filter(plan=self.plan).values_list("orden", flat=True)
        return [f"Para una línea nueva use un número de orden libre: el siguiente es {max(usados, default=0) + 1}."]

    def describir(self, instance):
        return f"Línea {instance.orden}"


class SublineaCostoResource(HojaResource):
    hoja = "Sublíneas de costo"
    titulo = "Sublíneas de costo"
    explicacion = ("Las sublíneas de costo de una línea de presupuesto de su entidad (p. ej. Especialista: 2 × 2,500.00), "
                   "identificadas por el número de la línea y su orden. La línea debe estar «Determinada».")

    linea = Columna("Línea (orden)", "linea", widget=Entero(), obligatoria=True, ancho=10, tipo="integer",
                    ayuda="Número de orden de la línea de presupuesto (hoja «Presupuesto»), que debe ser de su entidad.",
                    ejemplo="19")
    orden = Columna("Orden", "orden", widget=Entero(), obligatoria=True, ancho=8, tipo="integer",
                    ayuda="Número de la sublínea dentro de su línea.", ejemplo="1")
    concepto = Columna("Concepto", "concepto", obligatoria=True, ancho=40, ayuda="Qué se paga: Especialista, pasajes…",
                       ejemplo="Especialista")
    unidad_medida = Columna("Unidad de medida", "unidad_medida", lista="unidades", lista_estricta=False, ancho=16,
                            ayuda="Unidad de medida.", ejemplo="Remuneración")
    costo_unitario = columna_costo()
    cantidad = columna_cantidad()
    especifica_gasto = columna_especifica()
    total = Columna("Total (S/)", None, referencia=True, ancho=14, tipo="money", ayuda="Costo × cantidad: no se importa.")

    costo_unitario.obligatoria = True
    clave = ("linea", "orden")
    clave_campos = ("linea_id", "orden")
    actualizables = ("concepto", "unidad_medida", "costo_unitario", "cantidad", "especifica_gasto")
    fk_resueltas = ("linea",)

    class Meta(HojaResource.Meta):
        model = SublineaCosto
        fields = ("plan_codigo", "entidad_codigo", "linea", "orden", "concepto", "unidad_medida", "costo_unitario",
                  "cantidad", "especifica_gasto", "total")

    def existentes(self):
        return SublineaCosto.objects.filter(linea__plan=self.plan).select_related("linea__entidad", "linea__plan")

    def cargar_referencias(self):
        self.lineas = {linea.orden: linea for linea in LineaPresupuesto.objects.filter(plan=self.plan).select_related("entidad")}

    def leer_linea(self, value, row):
        numero = parse_int(value)
        if numero is None:
            return None
        linea = self.lineas.get(numero)
        if linea is None:
            raise ValueError(f"El presupuesto del plan no tiene la línea {numero}: impórtela antes en la hoja «Presupuesto».")
        if linea.entidad_id != self.entidad.pk:
            raise Ajena(f"es de la línea {numero}, que pertenece a {linea.entidad.nombre_corto}")
        return linea

    def dehydrate_linea(self, obj):
        return obj.linea.orden

    def dehydrate_total(self, obj):
        return obj.total()

    def listas(self):
        return {"unidades": _unidades(self.plan), "especificas": _especificas(self.plan)}

    def describir(self, instance):
        return f"Sublínea {instance.linea.orden}.{instance.orden}"
