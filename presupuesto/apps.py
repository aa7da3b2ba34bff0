from django.apps import AppConfig


class PresupuestoConfig(AppConfig):
    name = "presupuesto"
    verbose_name = "Presupuesto"

    def ready(self):
        from importacion.registro import Lista, registrar_hoja, registrar_lista
        from planes.secciones import SeccionContada, registrar
        from presupuesto import filters, resources
        from presupuesto.models import LineaPresupuesto

        registrar(SeccionContada(150, "13.3", "Presupuesto", LineaPresupuesto))
        registrar_hoja(resources.LineaPresupuestoResource, orden=80)
        registrar_hoja(resources.SublineaCostoResource, orden=90)
        registrar_lista(Lista("presupuesto", "Líneas de presupuesto", filters.LineaPresupuestoFilter,
                              resources.LineaPresupuestoResource, filters.lineas_lista, orden=30))
