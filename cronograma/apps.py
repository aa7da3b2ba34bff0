from django.apps import AppConfig


class CronogramaConfig(AppConfig):
    name = "cronograma"
    verbose_name = "Cronograma"

    def ready(self):
        from cronograma import resources, selectors
        from importacion.registro import registrar_hoja
        from seguimiento.registros import registrar_programacion

        # The schedule (start, end, target) before its months.
        registrar_hoja(resources.CronogramaResource, orden=100)
        registrar_hoja(resources.ProgramacionMensualResource, orden=110)
        # Follow-up asks for the progress of the activities its schedule runs in each period.
        registrar_programacion(selectors.actividades_programadas)
