"""The plan's budget (section 13.3): one line per activity and level, with unit, unit
cost, quantity, MEF spending code and cost sub-lines. Totals are computed, never stored."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from amc.auditoria import auditar
from amc.db import AmcModel
from matrices.models import Actividad, check_entity_in_plan, non_negative
from planes.models import Entidad, Plan, year_check
from presupuesto.querysets import LineaPresupuestoQuerySet

# tipo de transacción . genérica . subgenérica . subgenérica detalle . específica . específica detalle
ESPECIFICA_RE = r"^[0-9]{1,2}(\.[0-9]{1,2}){5}$"
ESPECIFICA_HELP = "Clasificador de gastos del MEF, seis partes separadas por puntos, p. ej. 2.3.2.7.11.99."


def especifica_check(name: str, field: str = "especifica_gasto") -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{field: ""}) | Q(**{f"{field}__regex": ESPECIFICA_RE}), name=name,
        violation_error_message="La especificación del gasto debe tener seis partes numéricas separadas por "
        "puntos, como 2.3.2.7.11.99.",
    )


def validate_especifica(value: str) -> None:
    import re

    if value and not re.match(ESPECIFICA_RE, value):
        raise ValidationError(ESPECIFICA_HELP + f" «{value}» no lo es.")


MONEY = {"max_digits": 14, "decimal_places": 2}
QUANTITY = {"max_digits": 12, "decimal_places": 2}


class Clasificador(AmcModel):
    """An entry of the MEF spending classifier for one fiscal year (names change by year)."""

    anio = models.PositiveSmallIntegerField("año fiscal")
    codigo = models.CharField("código", max_length=20, validators=[validate_especifica])
    nombre = models.CharField("nombre", max_length=300)

    natural_key_fields = ("anio", "codigo")
    owner_field = ""
    plan_field = None

    class Meta:
        verbose_name = "clasificador de gasto"
        verbose_name_plural = "clasificador de gastos"
        ordering = ["-anio", "codigo"]
        constraints = [
            models.UniqueConstraint(fields=["anio", "codigo"], name="clasificador_unico"),
            especifica_check("clasificador_codigo_formato", "codigo"),
            year_check("anio", "clasificador_anio_rango"),
        ]

    def __str__(self):
        return f"{self.codigo} {self.nombre}"




class LineaPresupuesto(AmcModel):
    """A row of the budget table: an activity at one level of government, with its unit,
    unit cost, quantity and spending code, or its cost sub-lines, or marked as not
    determined ("No se ha determinado"), which is not zero."""

    class Estado(models.TextChoices):
        DETERMINADO = "determinado", "Determinado"
        NO_DETERMINADO = "no_determinado", "No se ha determinado"
        SIN_MONTO = "sin_monto", "Sin monto (–)"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="lineas_presupuesto", verbose_name="plan")
    entidad = models.ForeignKey(Entidad, models.PROTECT, related_name="lineas_presupuesto", verbose_name="entidad")
    orden = models.PositiveSmallIntegerField("orden")
    actividad = models.ForeignKey(
        Actividad, models.SET_NULL, null=True, blank=True, related_name="lineas_presupuesto", verbose_name="actividad de la matriz",
    )
    descripcion = models.TextField("actividad como la escribe el presupuesto")
    estado = models.CharField("estado", max_length=20, choices=Estado.choices, default=Estado.DETERMINADO)
    unidad_medida = models.CharField("unidad de medida", max_length=120, blank=True)
    costo_unitario = models.DecimalField("costo unitario (S/)", null=True, blank=True, **MONEY)
    cantidad = models.DecimalField(
        "cantidad", null=True, blank=True, **QUANTITY,
        help_text="Vacía cuando el costo es un monto global (el documento escribe «-»): el total es el costo unitario.",
    )
    especifica_gasto = models.CharField("especificación del gasto", max_length=20, blank=True, help_text=ESPECIFICA_HELP,
                                        validators=[validate_especifica])

    natural_key_fields = ("plan", "orden")
    owner_field = "entidad"

    objects = LineaPresupuestoQuerySet.as_manager()

    class Meta:
        verbose_name = "línea de presupuesto"
        verbose_name_plural = "presupuesto"
        ordering = ["plan", "orden"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "orden"], name="linea_presupuesto_orden_unico"),
            non_negative("costo_unitario", "linea_costo_no_negativo", "El costo unitario"),
            non_negative("cantidad", "linea_cantidad_no_negativa", "La cantidad"),
            especifica_check("linea_especifica_formato"),
            models.CheckConstraint(
                condition=Q(estado="determinado") | Q(costo_unitario__isnull=True, cantidad__isnull=True),
                name="linea_sin_monto_no_tiene_costos",
                violation_error_message="Una línea «No se ha determinado» o «sin monto» no lleva costo unitario ni cantidad.",
            ),
        ]

    def __str__(self):
        return self.descripcion[:80]

    def clean(self):
        check_entity_in_plan(self.entidad_id, self.plan_id)
        if self.actividad_id and self.plan_id and self.actividad.plan_id != self.plan_id:
            raise ValidationError({"actividad": "La actividad debe ser del mismo plan."})
        if self.estado == self.Estado.DETERMINADO and self.costo_unitario is None and self.pk and not self.sublineas.exists():
            raise ValidationError({"costo_unitario": "Indique el costo unitario, agregue sublíneas de costo o marque la línea como «No se ha determinado»."})

    def total(self, sublineas=None) -> Decimal | None:
        """The line's total, from its sub-lines when it has them. Reports use the selector's
        annotation instead; this is for one line at a time (forms, the admin) and for a line
        read from the history (the plan as signed), whose `sublineas` are given."""
        if self.estado != self.Estado.DETERMINADO:
            return None
        sub = [s.total() for s in (self.sublineas.all() if sublineas is None else sublineas)]
        if sub:
            return sum(sub, Decimal("0"))
        if self.costo_unitario is None:
            return None
        return self.costo_unitario * (self.cantidad if self.cantidad is not None else 1)


class SublineaCosto(AmcModel):
    """A cost sub-line of a budget line (Especialista, 2 x 2,500.00 = 5,000.00)."""

    linea = models.ForeignKey(LineaPresupuesto, models.CASCADE, related_name="sublineas", verbose_name="línea")
    orden = models.PositiveSmallIntegerField("orden")
    concepto = models.CharField("concepto", max_length=300)
    unidad_medida = models.CharField("unidad de medida", max_length=120, blank=True)
    costo_unitario = models.DecimalField("costo unitario (S/)", **MONEY)
    cantidad = models.DecimalField("cantidad", null=True, blank=True, **QUANTITY)
    especifica_gasto = models.CharField("especificación del gasto", max_length=20, blank=True, help_text=ESPECIFICA_HELP,
                                        validators=[validate_especifica])

    natural_key_fields = ("linea", "orden")
    owner_field = "linea__entidad"
    plan_field = "linea__plan"

    class Meta:
        verbose_name = "sublínea de costo"
        verbose_name_plural = "sublíneas de costo"
        ordering = ["linea", "orden"]
        constraints = [
            models.UniqueConstraint(fields=["linea", "orden"], name="sublinea_orden_unico"),
            non_negative("costo_unitario", "sublinea_costo_no_negativo", "El costo unitario"),
            non_negative("cantidad", "sublinea_cantidad_no_negativa", "La cantidad"),
            especifica_check("sublinea_especifica_formato"),
        ]

    def __str__(self):
        return self.concepto

    def clean(self):
        if self.linea_id and self.linea.estado != LineaPresupuesto.Estado.DETERMINADO:
            raise ValidationError("Una línea «No se ha determinado» no lleva sublíneas: cambie su estado a «Determinado».")

    def total(self) -> Decimal:
        return self.costo_unitario * (self.cantidad if self.cantidad is not None else 1)


# Every change to these is kept with who, when, the values and the reason (amc/auditoria.py).
auditar(Clasificador, LineaPresupuesto, SublineaCosto)
