"""The schedule (section 18, missing from the seed document): when each activity runs, its
milestones, and the monthly programming of its physical target and of its budget.

Months are stored as (year, month) pairs, not as first-of-month dates: the plan's years
(`Plan.check_year`), budget execution (`EjecucionPresupuestal.anio/mes`) and reporting periods
(`PeriodoReporte.anio/numero`) already speak that way, a pair cannot hold a day that means
nothing, and a sheet of months imports as two whole numbers instead of a date that Excel may
turn into text. `Mes` gives a pair an order and a name.

What the months must add up to (checked by `revisar`; on the way to a write, through
`services.cronograma_check`, which the service, the admin and the import all call):
- the physical target is the schedule's own `meta_fisica` (with its unit), written by the
  planner: an activity may have no indicator, or one whose values do not add up by month (a
  percentage), so the indicator's yearly target cannot be the sum of the months;
- the budget is the total of the activity's budget lines (section 13.3, linked by
  `LineaPresupuesto.actividad`), computed with `with_totals()`. Lines "No se ha determinado"
  have no amount: they are not counted, and an activity with no determined line has no budget
  to program, so its monthly amounts stay at zero.
Programming more than the target or the budget is an error and nothing is saved; programming
less is a warning ("falta programar") shown on the chart and in the admin.
"""
from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from amc import formatting
from amc.auditoria import auditar
from amc.db import AmcModel
from amc.vocabulario import MES_CHOICES, MESES, mes_corto
from matrices.models import Actividad
from planes.models import year_check

CERO = Decimal("0")


@dataclass(frozen=True, order=True)
class Mes:
    """A month of the schedule: ordered, named, counted."""

    anio: int
    mes: int

    @classmethod
    def de_fecha(cls, fecha: datetime.date) -> Mes:
        return cls(fecha.year, fecha.month)

    @property
    def indice(self) -> int:
        return self.anio * 12 + self.mes - 1

    def mas(self, n: int) -> Mes:
        i = self.indice + n
        return Mes(i // 12, i % 12 + 1)

    def hasta(self, fin: Mes) -> list[Mes]:
        """This month and every month up to `fin`, inclusive."""
        return [self.mas(n) for n in range(fin.indice - self.indice + 1)]

    @property
    def nombre(self) -> str:
        return f"{MESES[self.mes - 1]} {self.anio}"

    @property
    def corto(self) -> str:
        return f"{mes_corto(self.mes)} {self.anio}"

    @property
    def etiqueta(self) -> str:
        return mes_corto(self.mes)

    @property
    def dias(self) -> int:
        return calendar.monthrange(self.anio, self.mes)[1]

    def __str__(self):
        return self.nombre


def month_check(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 12}), name=name,
                                  violation_error_message="El mes va de 1 (enero) a 12 (diciembre).")


def non_negative(field: str, name: str, label: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}), name=name,
                                  violation_error_message=f"{label} no puede ser negativo.")


NO_NEGATIVO = [MinValueValidator(0, "No puede ser negativo.")]


def _plan_de_la_actividad(obj):
    """The plan of `obj`'s activity, also when the activity is not saved yet (a schedule typed
    on the admin's page for adding an activity); None without an activity or a plan."""
    try:
        return obj.actividad.plan
    except ObjectDoesNotExist:
        return None


class Cronograma(AmcModel):
    """When an activity runs (first and last month) and its physical target, owned by the
    activity's entity. Its months and milestones hang from the activity."""

    actividad = models.OneToOneField(Actividad, models.CASCADE, related_name="cronograma", verbose_name="actividad")
    inicio_anio = models.PositiveSmallIntegerField("año de inicio")
    inicio_mes = models.PositiveSmallIntegerField("mes de inicio", choices=MES_CHOICES)
    fin_anio = models.PositiveSmallIntegerField("año de fin")
    fin_mes = models.PositiveSmallIntegerField("mes de fin", choices=MES_CHOICES)
    meta_fisica = models.DecimalField(
        "meta física", max_digits=14, decimal_places=2,
        help_text="Lo que la actividad debe lograr en todo su periodo (p. ej. 4 talleres); los meses programados suman esto.",
    )
    unidad_medida = models.CharField("unidad de medida", max_length=120, blank=True, help_text="p. ej. talleres, informes, %.")
    # Rows of the demonstration fixture (fixtures/demo/cronograma.json) say so on every page:
    # the seed document has no schedule, and an invented one must never pass for it.
    demostracion = models.BooleanField("de demostración", default=False, editable=False)

    natural_key_fields = ("actividad",)
    owner_field = "actividad__entidad"
    plan_field = "actividad__plan"

    class Meta:
        verbose_name = "cronograma de la actividad"
        verbose_name_plural = "cronogramas de actividades"
        ordering = ["actividad"]
        constraints = [
            month_check("inicio_mes", "cronograma_inicio_mes_rango"),
            month_check("fin_mes", "cronograma_fin_mes_rango"),
            year_check("inicio_anio", "cronograma_inicio_anio_rango"),
            year_check("fin_anio", "cronograma_fin_anio_rango"),
            models.CheckConstraint(
                condition=Q(fin_anio__gt=F("inicio_anio")) | Q(fin_anio=F("inicio_anio"), fin_mes__gte=F("inicio_mes")),
                name="cronograma_fin_no_antes_de_inicio",
                violation_error_message="El fin de la actividad no puede ser anterior a su inicio.",
            ),
            models.CheckConstraint(condition=Q(meta_fisica__gt=0), name="cronograma_meta_positiva",
                                   violation_error_message="La meta física debe ser mayor que cero."),
        ]

    def __str__(self):
        return f"Cronograma de {self.actividad}: {self.inicio.corto} – {self.fin.corto}"

    @property
    def inicio(self) -> Mes:
        return Mes(self.inicio_anio, self.inicio_mes)

    @property
    def fin(self) -> Mes:
        return Mes(self.fin_anio, self.fin_mes)

    @property
    def meses(self) -> list[Mes]:
        return self.inicio.hasta(self.fin)

    def clean(self):
        errores = {}
        plan = _plan_de_la_actividad(self)
        for campo, anio in (("inicio_anio", self.inicio_anio), ("fin_anio", self.fin_anio)):
            if plan is not None and anio is not None and not (plan.anio_inicio <= anio <= plan.anio_fin):
                errores[campo] = (f"El año {anio} está fuera del plan ({plan.anio_inicio}–{plan.anio_fin}): "
                                  "la actividad debe empezar y terminar dentro de los años del plan.")
        if not errores and None not in (self.inicio_anio, self.inicio_mes, self.fin_anio, self.fin_mes) \
                and self.fin < self.inicio:
            errores["fin_mes"] = (f"El fin ({self.fin.nombre}) es anterior al inicio ({self.inicio.nombre}): "
                                  "corrija una de las dos fechas.")
        if errores:
            raise ValidationError(errores)


class ProgramacionMensual(AmcModel):
    """What an activity plans to do and to spend in one month: its programmed physical target
    and its programmed amount (one row per activity and month)."""

    actividad = models.ForeignKey(Actividad, models.CASCADE, related_name="programacion", verbose_name="actividad")
    anio = models.PositiveSmallIntegerField("año")
    mes = models.PositiveSmallIntegerField("mes", choices=MES_CHOICES)
    meta_fisica = models.DecimalField("meta física programada", max_digits=14, decimal_places=2, default=CERO,
                                      validators=NO_NEGATIVO)
    monto = models.DecimalField("monto programado (S/)", max_digits=14, decimal_places=2, default=CERO,
                                validators=NO_NEGATIVO)

    natural_key_fields = ("actividad", "anio", "mes")
    owner_field = "actividad__entidad"
    plan_field = "actividad__plan"

    class Meta:
        verbose_name = "programación mensual"
        verbose_name_plural = "programación mensual"
        ordering = ["actividad", "anio", "mes"]
        constraints = [
            models.UniqueConstraint(fields=["actividad", "anio", "mes"], name="programacion_mes_unico",
                                    violation_error_message="Ese mes ya está programado para la actividad: cada mes va una sola vez."),
            month_check("mes", "programacion_mes_rango"),
            year_check("anio", "programacion_anio_rango"),
            non_negative("meta_fisica", "programacion_meta_no_negativa", "La meta física programada"),
            non_negative("monto", "programacion_monto_no_negativo", "El monto programado"),
        ]

    def __str__(self):
        # Shown above each row of the activity's inline: the activity is the page itself.
        return self.periodo.nombre.capitalize() if 1 <= (self.mes or 0) <= 12 else f"Mes {self.mes} de {self.anio}"

    @property
    def periodo(self) -> Mes:
        return Mes(self.anio, self.mes)

    def clean(self):
        plan = _plan_de_la_actividad(self) if self.anio else None
        if plan is not None:
            if not (plan.anio_inicio <= self.anio <= plan.anio_fin):
                raise ValidationError({"anio": f"El año {self.anio} está fuera del plan ({plan.anio_inicio}–{plan.anio_fin})."})


class Hito(AmcModel):
    """A milestone of an activity: something that must be true by a month (a directive
    approved, a workshop held), optionally with its day."""

    actividad = models.ForeignKey(Actividad, models.CASCADE, related_name="hitos", verbose_name="actividad")
    nombre = models.CharField("hito", max_length=200)
    anio = models.PositiveSmallIntegerField("año")
    mes = models.PositiveSmallIntegerField("mes", choices=MES_CHOICES)
    fecha = models.DateField("fecha", null=True, blank=True, help_text="Opcional: el día, dentro del mes del hito.")

    natural_key_fields = ("actividad", "nombre")
    owner_field = "actividad__entidad"
    plan_field = "actividad__plan"

    class Meta:
        verbose_name = "hito"
        verbose_name_plural = "hitos"
        ordering = ["actividad", "anio", "mes", "nombre"]
        constraints = [
            models.UniqueConstraint(fields=["actividad", "nombre"], name="hito_nombre_unico",
                                    violation_error_message="La actividad ya tiene un hito con ese nombre."),
            month_check("mes", "hito_mes_rango"),
            year_check("anio", "hito_anio_rango"),
        ]

    def __str__(self):
        return f"{self.nombre} ({self.periodo.corto})"

    @property
    def periodo(self) -> Mes:
        return Mes(self.anio, self.mes)

    def clean(self):
        errores = {}
        plan = _plan_de_la_actividad(self) if self.anio else None
        if plan is not None and not (plan.anio_inicio <= self.anio <= plan.anio_fin):
            errores["anio"] = f"El año {self.anio} está fuera del plan ({plan.anio_inicio}–{plan.anio_fin})."
        if self.fecha and self.anio and self.mes and (self.fecha.year, self.fecha.month) != (self.anio, self.mes):
            errores["fecha"] = (f"La fecha {self.fecha:%d/%m/%Y} no cae en el mes del hito ({Mes(self.anio, self.mes).nombre}): "
                                "corrija el mes o la fecha.")
        if errores:
            raise ValidationError(errores)


# --- does the programming add up? ------------------------------------------------------------------

@dataclass(frozen=True)
class Presupuesto:
    """An activity's budget: the total of its lines with an amount, how many lines it has and
    how many have no amount ("No se ha determinado" or "sin monto")."""

    total: Decimal | None = None
    lineas: int = 0
    sin_monto: int = 0


@dataclass(frozen=True)
class Descuadre:
    """One thing that does not add up: the field it is about, the message, which rule it
    breaks (`revisar` lists them) and, for a rule about one month, that month. The import uses
    the rule and the month to put the message on the row of that month."""

    campo: str
    mensaje: str
    regla: str
    mes: Mes | None = None


@dataclass
class Cuadre:
    """How an activity's months add up against its target and its budget: what they add up to,
    errors (nothing may be saved) by field, and warnings (what is still to program)."""

    programado_fisico: Decimal
    programado_monto: Decimal
    errores: list[Descuadre] = field(default_factory=list)
    avisos: list[str] = field(default_factory=list)

    @property
    def mensajes_error(self) -> list[str]:
        return [e.mensaje for e in self.errores]

    def error_dict(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for e in self.errores:
            out.setdefault(e.campo, []).append(e.mensaje)
        return out


def _num(value: Decimal) -> str:
    """8.00 -> '8', 8.50 -> '8.5', 1234 -> '1,234'."""
    text = formatting.number(value, 2)
    return text.rstrip("0").rstrip(".") if "." in text else text


# The rules of `revisar`, as its errors name them.
SIN_CRONOGRAMA = "sin_cronograma"
MES_REPETIDO = "mes_repetido"
FUERA_DEL_PLAN = "fuera_del_plan"
FUERA_DEL_PERIODO = "fuera_del_periodo"
SOBRE_META = "sobre_meta"
SOBRE_PRESUPUESTO = "sobre_presupuesto"
SIN_PRESUPUESTO = "sin_presupuesto"


def revisar(*, plan, inicio: Mes | None, fin: Mes | None, meta: Decimal | None,
            meses: Iterable[tuple[Mes, Decimal | None, Decimal | None]], presupuesto: Presupuesto) -> Cuadre:
    """Check an activity's monthly programming as a whole.

    meses: (month, programmed physical target, programmed amount) for every month the activity
    would have once saved. `inicio`/`fin`/`meta` are the schedule's values (None: no schedule).
    Errors, by field and rule: "cronograma" (SIN_CRONOGRAMA: months but no schedule); "meses"
    (MES_REPETIDO, FUERA_DEL_PLAN, FUERA_DEL_PERIODO: a month twice, outside the plan's years or
    outside the activity's span; these name the month); "meta_fisica" (SOBRE_META: more than the
    target); "monto" (SOBRE_PRESUPUESTO: more than the budget, SIN_PRESUPUESTO: amounts with no
    budget to program).
    """
    filas = [(m, v or CERO, monto or CERO) for m, v, monto in meses]
    fisico = sum((v for _, v, _ in filas), CERO)
    monto = sum((x for _, _, x in filas), CERO)
    cuadre = Cuadre(fisico, monto)

    def err(campo: str, regla: str, mensaje: str, mes: Mes | None = None) -> None:
        cuadre.errores.append(Descuadre(campo, mensaje, regla, mes))

    if filas and (inicio is None or fin is None or meta is None):
        err("cronograma", SIN_CRONOGRAMA, "Antes de programar meses indique el inicio, el fin y la meta física de la actividad.")
        return cuadre
    vistos: set[Mes] = set()
    for m, _, _ in sorted(filas):
        if m in vistos:
            err("meses", MES_REPETIDO, f"{m.nombre.capitalize()} está dos veces: cada mes se programa una sola vez.", m)
        vistos.add(m)
        if not (plan.anio_inicio <= m.anio <= plan.anio_fin):
            err("meses", FUERA_DEL_PLAN,
                f"{m.nombre.capitalize()} está fuera de los años del plan ({plan.anio_inicio}–{plan.anio_fin}).", m)
        elif inicio is not None and fin is not None and not (inicio <= m <= fin):
            err("meses", FUERA_DEL_PERIODO, f"{m.nombre.capitalize()} está fuera del periodo de la actividad "
                                            f"({inicio.nombre} a {fin.nombre}): programe solo sus meses, o amplíe su inicio o su fin.", m)
    if meta is not None and fisico > meta:
        err("meta_fisica", SOBRE_META,
            f"La meta física programada en los meses suma {_num(fisico)}, más que la meta física de la "
            f"actividad ({_num(meta)}): sobran {_num(fisico - meta)}. Reduzca algún mes o aumente la meta.")
    if presupuesto.total is not None and monto > presupuesto.total:
        err("monto", SOBRE_PRESUPUESTO,
            f"Los montos programados suman {formatting.soles(monto)}, más que el presupuesto de la actividad "
            f"({formatting.soles(presupuesto.total)}, total de sus líneas del presupuesto 13.3): sobran "
            f"{formatting.soles(monto - presupuesto.total)}.")
    elif presupuesto.total is None and monto > 0:
        motivo = ("no tiene líneas en el presupuesto (13.3)" if presupuesto.lineas == 0
                  else "solo tiene líneas «No se ha determinado» o sin monto en el presupuesto (13.3)")
        err("monto", SIN_PRESUPUESTO,
            f"Los montos programados suman {formatting.soles(monto)}, pero la actividad {motivo}: no hay "
            "presupuesto que programar. Deje los montos en 0 o determine antes su presupuesto.")
    if cuadre.errores or meta is None:
        return cuadre
    if not filas:
        cuadre.avisos.append("Aún no tiene programación mensual.")
    elif fisico < meta:
        cuadre.avisos.append(f"Falta programar {_num(meta - fisico)} de la meta física (programado {_num(fisico)} de {_num(meta)}).")
    if presupuesto.total is not None and monto < presupuesto.total:
        cuadre.avisos.append(f"Falta programar {formatting.soles(presupuesto.total - monto)} del presupuesto "
                             f"(programado {formatting.soles(monto)} de {formatting.soles(presupuesto.total)}).")
    if presupuesto.total is not None and presupuesto.sin_monto:
        cuadre.avisos.append(f"{presupuesto.sin_monto} línea(s) de su presupuesto no tienen monto determinado: no se cuentan.")
    return cuadre


# Every change to these is kept with who, when, the values and the reason (amc/auditoria.py).
auditar(Cronograma, ProgramacionMensual, Hito)
