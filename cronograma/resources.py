"""Sheets of the schedule that people keep in Excel (see importacion/resources.py): each activity's
start, end and physical target («Cronograma»), and its monthly programming («Meses del
cronograma»: one row per activity and month, physical target and amount programmed).

The rules are the admin's and the service's: each row is its model's (`full_clean()`, by the
import machinery), and the whole of each activity is checked by the service's check
(`cronograma.services.cronograma_check`, the adding-up rules of `cronograma.models.revisar`):
a month inside the plan's years and the activity's span; the months of an activity, those in
the file together with those already saved, adding up to no more than its physical target and
its budget. An activity whose months exceed either gets every one of its rows refused, with the
excess, and nothing is imported. The rows are written by the import machinery, by batches,
not by `cronograma_save` (see cronograma/services.py). «Cronograma» is applied before «Meses
del cronograma», so one file can carry both.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from amc.vocabulario import mes_desde_texto, mes_nombre
from cronograma.models import CERO, FUERA_DEL_PERIODO, SIN_CRONOGRAMA, Cronograma, Mes, Presupuesto, ProgramacionMensual
from importacion.resources import Columna, Entero, HojaResource, Numero, normalize, parse_decimal, parse_int, parse_text
from cronograma.selectors import presupuestos
from cronograma.services import cronograma_check
from matrices.models import Actividad

MONTO = "un monto en soles"


def parse_mes(value) -> int | None:
    """A month as people write it: 3, "03", "marzo", "Mar" (and "setiembre", as Peru writes it)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (datetime, date)):
        raise ValueError("Escriba el mes como número (1 a 12) o por su nombre (marzo), no como fecha.")
    mes = mes_desde_texto(normalize(parse_text(value)))
    if mes is not None:
        return mes
    try:
        numero = parse_int(value)
    except ValueError:
        numero = None
    if numero is None or not 1 <= numero <= 12:
        raise ValueError(f"«{parse_text(value)}» no es un mes: escriba un número de 1 a 12 o el nombre del mes (marzo).")
    return numero


def columna_actividad() -> Columna:
    return Columna("Actividad (orden)", "actividad", widget=Entero(), obligatoria=True, lista="actividades", ancho=10,
                   tipo="integer", ayuda="Número de orden de la actividad de su entidad (matriz lógica, hoja «Actividades»).",
                   ejemplo="4")


def columna_actividad_nombre() -> Columna:
    return Columna("Actividad", None, referencia=True, ancho=50, ayuda="La actividad, como referencia: no se importa.")


class ActividadMixin:
    """Sheets whose rows belong to one of the entity's activities, by its number."""

    def cargar_actividades(self):
        self.actividades = {a.orden: a for a in Actividad.objects.filter(plan=self.plan, entidad=self.entidad)
                            .select_related("plan", "entidad__nivel", "cronograma")}
        self.por_pk = {a.pk: a for a in self.actividades.values()}

    def leer_actividad(self, value, row):
        numero = parse_int(value)
        if numero is None:
            return None
        if numero not in self.actividades:
            orden = ", ".join(str(n) for n in sorted(self.actividades)) or "ninguna"
            raise ValueError(f"{self.entidad.nombre_corto} no tiene la actividad {numero} en este plan; sus actividades "
                             f"son {orden}.")
        return self.actividades[numero]

    def dehydrate_actividad(self, obj):
        return obj.actividad.orden

    def dehydrate_actividad_nombre(self, obj):
        return str(obj.actividad)

    def lista_actividades(self):
        return {"actividades": sorted(Actividad.objects.filter(plan=self.plan, entidad=self.entidad)
                                      .values_list("orden", flat=True)),
                "meses": [mes_nombre(m) for m in range(1, 13)], "anios": list(self.plan.anios)}


def _cronograma(actividad) -> Cronograma | None:
    try:
        return actividad.cronograma
    except Actividad.cronograma.RelatedObjectDoesNotExist:
        return None


def _fuera_del_periodo(mes: Mes, cronograma: Cronograma, *, actividad: str, remedio: str) -> str:
    """The check's message for a month outside the activity's span, with what to do in the file."""
    return (f"{mes.nombre.capitalize()} está fuera del periodo de la actividad{actividad} "
            f"({cronograma.inicio.nombre} a {cronograma.fin.nombre}): {remedio}.")


class CronogramaResource(ActividadMixin, HojaResource):
    hoja = "Cronograma"
    titulo = "Cronograma: inicio, fin y meta física de cada actividad"
    explicacion = ("Una fila por actividad de su entidad: el mes y el año en que empieza y termina (dentro de los años del "
                   "plan) y su meta física total, que la programación mensual (hoja «Meses del cronograma») debe sumar.")

    actividad = columna_actividad()
    actividad_nombre = columna_actividad_nombre()
    inicio_mes = Columna("Mes de inicio", "inicio_mes", obligatoria=True, lista="meses", ancho=11,
                         ayuda="Mes en que empieza: número (1 a 12) o nombre (marzo).", ejemplo="marzo")
    inicio_anio = Columna("Año de inicio", "inicio_anio", widget=Entero(), obligatoria=True, lista="anios", ancho=9,
                          tipo="integer", ayuda="Año en que empieza, dentro de los años del plan.", ejemplo="2015")
    fin_mes = Columna("Mes de fin", "fin_mes", obligatoria=True, lista="meses", ancho=11,
                      ayuda="Mes en que termina (no antes del inicio).", ejemplo="agosto")
    fin_anio = Columna("Año de fin", "fin_anio", widget=Entero(), obligatoria=True, lista="anios", ancho=9, tipo="integer",
                       ayuda="Año en que termina, dentro de los años del plan.", ejemplo="2015")
    meta_fisica = Columna("Meta física", "meta_fisica", widget=Numero("una cantidad"), obligatoria=True, ancho=11,
                          tipo="number", ayuda="Lo que la actividad logra en todo su periodo (mayor que cero).", ejemplo="4")
    unidad_medida = Columna("Unidad de medida", "unidad_medida", ancho=16, ayuda="p. ej. talleres, informes, %.",
                            ejemplo="talleres")

    clave = ("actividad",)
    clave_campos = ("actividad_id",)
    actualizables = ("inicio_anio", "inicio_mes", "fin_anio", "fin_mes", "meta_fisica", "unidad_medida")
    fk_resueltas = ("actividad",)
    columnas_de_campos = {"actividad": "Actividad (orden)"}

    class Meta(HojaResource.Meta):
        model = Cronograma
        fields = ("plan_codigo", "entidad_codigo", "nivel", "actividad", "actividad_nombre", "inicio_mes", "inicio_anio",
                  "fin_mes", "fin_anio", "meta_fisica", "unidad_medida")

    def existentes(self):
        return Cronograma.objects.filter(actividad__plan=self.plan).select_related("actividad__entidad__nivel",
                                                                                    "actividad__plan")

    def filas_de_plantilla(self):
        return self.existentes().filter(actividad__entidad=self.entidad).order_by("actividad__orden")

    def cargar_referencias(self):
        self.cargar_actividades()
        self.meses_guardados: dict[int, list[tuple[Mes, object, object]]] = defaultdict(list)
        for p in ProgramacionMensual.objects.filter(actividad__plan=self.plan, actividad__entidad=self.entidad):
            self.meses_guardados[p.actividad_id].append((p.periodo, p.meta_fisica, p.monto))
        self.presupuestos = presupuestos(plan=self.plan)

    def leer_inicio_mes(self, value, row):
        return parse_mes(value)

    def leer_fin_mes(self, value, row):
        return parse_mes(value)

    def dehydrate_inicio_mes(self, obj):
        return mes_nombre(obj.inicio_mes)

    def dehydrate_fin_mes(self, obj):
        return mes_nombre(obj.fin_mes)

    def listas(self):
        return self.lista_actividades()

    def describir(self, instance):
        return f"Cronograma de la actividad {instance.actividad.orden}"

    def importar_extra(self, instance, row, errores):
        """The months already saved must still fit the new start, end and target."""
        if errores or None in (instance.actividad_id, instance.inicio_anio, instance.inicio_mes, instance.fin_anio,
                               instance.fin_mes, instance.meta_fisica):
            return
        guardados = self.meses_guardados.get(instance.actividad_id, [])
        if not guardados:
            return
        cuadre = cronograma_check(actividad=self.por_pk[instance.actividad_id], cronograma=instance, meses=guardados,
                                  presupuesto=self.presupuestos.get(instance.actividad_id, Presupuesto()))
        for error in cuadre.errores:
            if error.campo == "meta_fisica":
                errores.setdefault("Meta física", []).append(
                    error.mensaje + " (la programación ya registrada no cabe en la nueva meta: corrija antes los meses)")
            elif error.regla == FUERA_DEL_PERIODO:
                errores.setdefault("Mes de inicio", []).append(_fuera_del_periodo(
                    error.mes, instance, actividad="",
                    remedio="ese mes ya está programado: corrija antes la hoja «Meses del cronograma»"))
            elif error.campo == "meses":
                errores.setdefault("Mes de inicio", []).append(error.mensaje)


class ProgramacionMensualResource(ActividadMixin, HojaResource):
    hoja = "Meses del cronograma"
    titulo = "Programación mensual del cronograma"
    explicacion = ("Una fila por actividad y mes: la meta física y el monto (S/) programados ese mes. Los meses de una "
                   "actividad deben estar dentro de su inicio y su fin (hoja «Cronograma») y sumar, con los ya "
                   "registrados, como máximo su meta física y su presupuesto (el total de sus líneas del 13.3). "
                   "La plantilla trae ya una fila por cada mes de las actividades con cronograma.")

    actividad = columna_actividad()
    actividad_nombre = columna_actividad_nombre()
    anio = Columna("Año", "anio", widget=Entero(), obligatoria=True, lista="anios", ancho=8, tipo="integer",
                   ayuda="Año del mes programado, dentro de los años del plan.", ejemplo="2015")
    mes = Columna("Mes", "mes", obligatoria=True, lista="meses", ancho=11,
                  ayuda="Mes programado: número (1 a 12) o nombre (marzo).", ejemplo="marzo")
    meta_fisica = Columna("Meta física programada", "meta_fisica", widget=Numero("una cantidad"), ancho=12, tipo="number",
                          ayuda="Lo que se hará ese mes, en la unidad de la meta de la actividad. Vacío: 0.", ejemplo="1")
    monto = Columna("Monto programado (S/)", "monto", widget=Numero(MONTO), ancho=14, tipo="money",
                    ayuda="Lo que se gastará ese mes, en soles con punto decimal (2,500.00). Vacío: 0. Debe quedar en 0 "
                    "si la actividad no tiene presupuesto determinado.", ejemplo="2500.00")

    clave = ("actividad", "anio", "mes")
    clave_campos = ("actividad_id", "anio", "mes")
    actualizables = ("meta_fisica", "monto")
    fk_resueltas = ("actividad",)
    columnas_de_campos = {"actividad": "Actividad (orden)"}

    class Meta(HojaResource.Meta):
        model = ProgramacionMensual
        fields = ("plan_codigo", "entidad_codigo", "nivel", "actividad", "actividad_nombre", "anio", "mes", "meta_fisica",
                  "monto")

    def existentes(self):
        return ProgramacionMensual.objects.filter(actividad__plan=self.plan).select_related("actividad__entidad__nivel",
                                                                                             "actividad__plan")

    def filas_de_plantilla(self):
        """The entity's saved months, and a row (at 0) for every month of a schedule not yet
        programmed: the planner writes numbers instead of keys."""
        guardados = list(self.existentes().filter(actividad__entidad=self.entidad))
        hechos = {(p.actividad_id, p.anio, p.mes) for p in guardados}
        nuevos = []
        for c in Cronograma.objects.filter(actividad__plan=self.plan, actividad__entidad=self.entidad).select_related(
                "actividad__entidad__nivel", "actividad__plan"):
            for m in c.meses:
                if (c.actividad_id, m.anio, m.mes) not in hechos:
                    nuevos.append(ProgramacionMensual(actividad=c.actividad, anio=m.anio, mes=m.mes))
        return sorted(guardados + nuevos, key=lambda p: (p.actividad.orden, p.anio, p.mes))

    def cargar_referencias(self):
        self.cargar_actividades()
        self.presupuestos = presupuestos(plan=self.plan)

    def leer_mes(self, value, row):
        return parse_mes(value)

    def leer_meta_fisica(self, value, row):
        return self.fields["meta_fisica"].widget.clean(value) or CERO

    def leer_monto(self, value, row):
        return self.fields["monto"].widget.clean(value) or CERO

    def dehydrate_mes(self, obj):
        return mes_nombre(obj.mes)

    def listas(self):
        return self.lista_actividades()

    def describir(self, instance):
        return f"Actividad {instance.actividad.orden} · {instance.periodo.corto}"

    def before_import(self, dataset, **kwargs):
        """After the row keys are read: check each activity of the file as a whole (its saved
        months, replaced by the file's) with the service's check. Every row of an activity
        whose months exceed its target or its budget is refused, saying by how much; a month
        outside the activity's span, on its own row; an activity without schedule, on each of
        its rows (see `importar_extra`)."""
        super().before_import(dataset, **kwargs)
        meses: dict[int, dict[Mes, tuple]] = defaultdict(dict)
        for obj in self.indice.values():
            if obj.actividad_id in self.por_pk:
                meses[obj.actividad_id][obj.periodo] = (obj.meta_fisica, obj.monto)
        filas: dict[int, list[int]] = defaultdict(list)  # the rows whose numbers were read
        en_archivo: set[int] = set()
        headers = dataset.headers
        for n, values in enumerate(dataset, start=1):
            key = self.claves.get(n)
            if key is None:
                continue
            actividad_id, anio, mes = key
            en_archivo.add(actividad_id)
            row = dict(zip(headers, values))
            try:
                meta = parse_decimal(row.get(self.fields["meta_fisica"].column_name)) or CERO
                monto = parse_decimal(row.get(self.fields["monto"].column_name)) or CERO
            except ValueError:
                # The row reports its number; its month is still checked (adding nothing).
                meses[actividad_id].setdefault(Mes(anio, mes), (CERO, CERO))
                continue
            meses[actividad_id][Mes(anio, mes)] = (meta, monto)
            filas[actividad_id].append(n)
        self.sin_cronograma: set[int] = set()
        self.fuera_del_periodo: dict[tuple[int, Mes], str] = {}
        for actividad_id in en_archivo:
            actividad = self.por_pk[actividad_id]
            c = _cronograma(actividad)
            cuadre = cronograma_check(actividad=actividad, cronograma=c,
                                      meses=[(m, v, x) for m, (v, x) in meses[actividad_id].items()],
                                      presupuesto=self.presupuestos.get(actividad_id, Presupuesto()))
            for error in cuadre.errores:
                if error.regla == SIN_CRONOGRAMA:
                    self.sin_cronograma.add(actividad_id)
                elif error.regla == FUERA_DEL_PERIODO:
                    self.fuera_del_periodo[actividad_id, error.mes] = _fuera_del_periodo(
                        error.mes, c, actividad=f" {actividad.orden}",
                        remedio="programe solo sus meses, o amplíe su inicio o su fin en la hoja «Cronograma»")
                elif error.campo in ("meta_fisica", "monto"):
                    columna = self.fields[error.campo].column_name
                    for n in filas[actividad_id]:
                        self._problema(n, columna, f"Actividad {actividad.orden}: {error.mensaje}")
                # A month outside the plan's years: its row's own check (the model's) says so.

    def importar_extra(self, instance, row, errores):
        if instance.actividad_id is None or instance.anio is None or instance.mes is None:
            return
        if instance.actividad_id in self.sin_cronograma:
            errores.setdefault(self.fields["actividad"].column_name, []).append(
                f"La actividad {instance.actividad.orden} aún no tiene cronograma: indique su inicio, fin y meta física "
                "(hoja «Cronograma» del mismo archivo, o en el registro de datos) antes de programar sus meses.")
            return
        mensaje = self.fuera_del_periodo.get((instance.actividad_id, instance.periodo))
        if mensaje:
            errores.setdefault(self.fields["mes"].column_name, []).append(mensaje)
