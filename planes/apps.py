from django.apps import AppConfig


class PlanesConfig(AppConfig):
    name = "planes"
    verbose_name = "Planes y entidades"

    def ready(self):
        from django.db.models.signals import post_migrate

        from planes import models as pl
        from planes.roles import sync_groups
        from planes.secciones import SeccionContada, registrar

        post_migrate.connect(sync_groups, sender=self)
        registrar(
            SeccionContada(10, "A.I", "Marco legal", pl.BaseLegal),
            SeccionContada(20, "A.II", "Visión y misión", pl.Declaracion),
            SeccionContada(30, "A.III", "Servicios del Centro de Empleo", pl.ServicioPrestado),
            SeccionContada(40, "A.VI", "Objetivos", pl.Objetivo),
            SeccionContada(50, "A.VIII", "Resultados de la evaluación", pl.HallazgoEvaluacion),
            SeccionContada(60, "A.X", "Equipo técnico", pl.MiembroEquipo),
        )
