"""Amendments of a signed plan (modificaciones): why, who, when, and every old and new value."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from amc.db import AmcModel
from planes.models import Plan


class Modificacion(AmcModel):
    """An amendment of a signed plan. While it is open (`cerrada_en` empty) the plan's structure
    may change (admin, import, services); closing it records what changed (`CambioModificacion`)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="modificaciones", verbose_name="plan")
    numero = models.PositiveSmallIntegerField("número")
    motivo = models.TextField("motivo")
    documento = models.CharField("documento que la aprueba", max_length=200, blank=True)
    abierta_en = models.DateTimeField("abierta el")
    abierta_por = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="abierta por")
    cerrada_en = models.DateTimeField("cerrada el", null=True, blank=True)
    cerrada_por = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name="cerrada por")

    natural_key_fields = ("plan", "numero")
    owner_field = "plan__entidad_responsable"

    class Meta:
        verbose_name = "modificación del plan"
        verbose_name_plural = "modificaciones del plan"
        ordering = ["plan", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "numero"], name="modificacion_numero_unico"),
            models.UniqueConstraint(fields=["plan"], condition=Q(cerrada_en__isnull=True), name="modificacion_una_abierta",
                                    violation_error_message="El plan ya tiene una modificación abierta: ciérrela primero."),
            models.CheckConstraint(condition=~Q(motivo=""), name="modificacion_con_motivo",
                                   violation_error_message="Indique el motivo de la modificación."),
        ]

    def __str__(self):
        return f"Modificación N° {self.numero} de {self.plan.codigo}"

    @property
    def abierta(self) -> bool:
        return self.cerrada_en is None


class CambioModificacion(AmcModel):
    """One change an amendment made: a row added or removed, or one field's old and new value."""

    class Accion(models.TextChoices):
        ALTA = "alta", "Agregado"
        CAMBIO = "cambio", "Modificado"
        BAJA = "baja", "Eliminado"

    modificacion = models.ForeignKey(Modificacion, models.CASCADE, related_name="cambios", verbose_name="modificación")
    orden = models.PositiveIntegerField("orden")
    modelo = models.CharField("qué", max_length=100)
    objeto_id = models.BigIntegerField("identificador")
    objeto = models.TextField("registro")
    accion = models.CharField("acción", max_length=10, choices=Accion.choices)
    campo = models.CharField("campo", max_length=100, blank=True)
    anterior = models.TextField("valor anterior", blank=True)
    nuevo = models.TextField("valor nuevo", blank=True)

    natural_key_fields = ("modificacion", "orden")
    owner_field = "modificacion__plan__entidad_responsable"
    plan_field = "modificacion__plan"

    class Meta:
        verbose_name = "cambio de una modificación"
        verbose_name_plural = "cambios de las modificaciones"
        ordering = ["modificacion", "orden"]
        constraints = [models.UniqueConstraint(fields=["modificacion", "orden"], name="cambio_orden_unico")]

    def __str__(self):
        return f"{self.get_accion_display()}: {self.modelo} {self.objeto_id} {self.campo}".strip()
