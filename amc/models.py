"""The project's own machinery that keeps state: exports made in the background."""
from __future__ import annotations

import os

from django.conf import settings
from django.db import models


def exportacion_path(instance, filename: str) -> str:
    """exportaciones/<user>/<key>/<file name>: never served from a public URL, only through
    the view that checks the owner."""
    return f"exportaciones/{instance.usuario_id}/{instance.clave[:32]}/{os.path.basename(filename)}"


class Exportacion(models.Model):
    """A PDF or Excel file of a report, made by the task worker for one user.

    `clave` is the fingerprint of what the file is made from: the report's address and
    filters, the format, the user, the date of issue and the report's data itself; the same
    request on unchanged data finds the finished file and gets it at once, and any change of
    the data makes a new one."""

    class Estado(models.TextChoices):
        PENDIENTE = "pendiente", "En cola"
        EN_CURSO = "en_curso", "Generándose"
        LISTA = "lista", "Lista"
        ERROR = "error", "No se pudo generar"

    clave = models.CharField("huella", max_length=64, unique=True)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="exportaciones",
                                verbose_name="usuario")
    titulo = models.CharField("informe", max_length=300)
    ruta = models.CharField("dirección", max_length=500)
    consulta = models.CharField("filtros", max_length=1000, blank=True)
    formato = models.CharField("formato", max_length=8)
    estado = models.CharField("estado", max_length=10, choices=Estado.choices, default=Estado.PENDIENTE)
    progreso = models.PositiveSmallIntegerField("avance (%)", default=0)
    etapa = models.CharField("etapa", max_length=120, blank=True)
    archivo = models.FileField("archivo", upload_to=exportacion_path, max_length=400, blank=True)
    nombre_archivo = models.CharField("nombre del archivo", max_length=300, blank=True)
    error = models.TextField("error", blank=True)
    creada = models.DateTimeField("pedida", auto_now_add=True)
    iniciada = models.DateTimeField("iniciada", null=True, blank=True)
    terminada = models.DateTimeField("terminada", null=True, blank=True)

    class Meta:
        verbose_name = "exportación"
        verbose_name_plural = "exportaciones"
        ordering = ["-creada"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progreso__lte=100), name="exportacion_progreso_porcentaje"),
        ]

    def __str__(self):
        return f"{self.titulo} ({self.formato.upper()})"

    @property
    def terminada_bien(self) -> bool:
        return self.estado == self.Estado.LISTA and bool(self.archivo)

    @property
    def en_espera(self) -> bool:
        return self.estado in (self.Estado.PENDIENTE, self.Estado.EN_CURSO)


class Latido(models.Model):
    """The task worker's last sign of life: the health check asks the worker for a heartbeat
    and reports it missing when none came back within `salud.PLAZO`. One row."""

    pedido = models.DateTimeField("pedido", null=True, blank=True)
    recibido = models.DateTimeField("recibido", null=True, blank=True)

    class Meta:
        verbose_name = "latido del trabajador"
        verbose_name_plural = "latidos del trabajador"

    def __str__(self):
        return f"Latido {self.recibido:%d/%m/%Y %H:%M:%S}" if self.recibido else "Latido pendiente"


class VersionDatos(models.Model):
    """The data version (`amc.versiones`): a counter raised after every transaction that
    changed plan data. Reports computed for one version are reused until it changes."""

    numero = models.BigIntegerField("versión", default=0)

    class Meta:
        verbose_name = "versión de los datos"
        verbose_name_plural = "versión de los datos"
