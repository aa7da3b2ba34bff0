from django.apps import AppConfig


class CronogramaConfig(AppConfig):
    name = "cronograma"
    verbose_name = "Cronograma"

    def ready(self):
        from cronograma import resources
        from importacion.registro import registrar_hoja

        # The schedule (start, end, target) before its months.
        registrar_hoja(resources.CronogramaResource, orden=100)
        registrar_hoja(resources.ProgramacionMensualResource, orden=110)
