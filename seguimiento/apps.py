from django.apps import AppConfig


class SeguimientoConfig(AppConfig):
    name = "seguimiento"
    verbose_name = "Seguimiento"

    def ready(self):
        from importacion.registro import Lista, registrar_hoja, registrar_lista
        from seguimiento import filters, resources

        registrar_hoja(resources.ValorIndicadorResource, orden=120)
        registrar_lista(Lista("valores", "Valores de indicadores", filters.ValorIndicadorFilter,
                              resources.ValorIndicadorResource, filters.valores_lista, orden=40))
