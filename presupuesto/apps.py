from django.apps import AppConfig


class PresupuestoConfig(AppConfig):
    name = "presupuesto"
    verbose_name = "Presupuesto"
