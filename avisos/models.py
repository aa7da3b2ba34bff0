"""Notices (avisos): what AMC tells one user about the follow-up, in the app and by e-mail.

A notice is addressed to one user and belongs to that user's entity at the time: a user sees
only the notices addressed to him within his own entity (`Aviso.objects.de(user)`). Each
notice has a key, kind + object + recipient (`aviso_unico`), so creating the same notice twice
(the scheduled job run twice, a signal sent twice) keeps one and mails it once.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from amc.db import AmcModel, AmcQuerySet
from planes.models import Entidad, Plan
from seguimiento.models import PeriodoReporte


class AvisoQuerySet(AmcQuerySet):
    def de(self, user):
        """The notices `user` may read: addressed to him, within his current entity."""
        if not getattr(user, "is_authenticated", False) or not getattr(user, "entidad_id", None):
            return self.none()
        return self.filter(destinatario=user, entidad_id=user.entidad_id)

    def no_leidos(self):
        return self.filter(leido_en__isnull=True)


class Aviso(AmcModel):
    cambia_version = False  # no report computed once per data version reads notices (amc.versiones)

    class Tipo(models.TextChoices):
        PERIODO_ABIERTO = "periodo_abierto", "Periodo abierto"
        PLAZO = "plazo", "Plazo por vencer"
        PERIODO_REABIERTO = "periodo_reabierto", "Periodo reabierto"
        DEVUELTO = "devuelto", "Devuelto con observación"
        ENVIADO = "enviado", "Entrega por revisar"
        APROBADO = "aprobado", "Aprobado"

    class Correo(models.TextChoices):
        PENDIENTE = "pendiente", "Por enviar"
        ENVIADO = "enviado", "Enviado"
        SIN_DIRECCION = "sin_direccion", "Sin dirección de correo"

    tipo = models.CharField("tipo", max_length=20, choices=Tipo.choices)
    clave = models.CharField("objeto", max_length=120, help_text="De qué trata el aviso: el periodo, la devolución, la entrega…")
    destinatario = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="avisos", verbose_name="destinatario")
    entidad = models.ForeignKey(Entidad, models.CASCADE, related_name="+", verbose_name="entidad del destinatario")
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="+", verbose_name="plan")
    periodo = models.ForeignKey(PeriodoReporte, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="periodo")
    titulo = models.CharField("título", max_length=200)
    texto = models.TextField("texto")
    enlace = models.CharField("enlace", max_length=300, help_text="Dirección dentro de AMC de lo que el aviso trata.")
    creado_en = models.DateTimeField("creado", default=timezone.now)
    leido_en = models.DateTimeField("leído", null=True, blank=True)
    correo = models.CharField("correo", max_length=14, choices=Correo.choices, default=Correo.PENDIENTE)
    correo_enviado_en = models.DateTimeField("correo enviado", null=True, blank=True)

    owner_field = "entidad"
    plan_field = "plan"

    objects = AvisoQuerySet.as_manager()

    class Meta:
        verbose_name = "aviso"
        verbose_name_plural = "avisos"
        ordering = ["-creado_en", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["tipo", "clave", "destinatario"], name="aviso_unico",
                                    violation_error_message="Este aviso ya existe para este usuario."),
        ]
        indexes = [
            models.Index(fields=["destinatario", "leido_en"], name="aviso_destinatario_leido"),
            models.Index(fields=["correo"], name="aviso_correo"),
        ]

    def __str__(self):
        return f"{self.get_tipo_display()}: {self.titulo}"

    @property
    def leido(self) -> bool:
        return self.leido_en is not None
