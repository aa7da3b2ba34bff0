from django.apps import AppConfig


class MatricesConfig(AppConfig):
    name = "matrices"
    verbose_name = "Diagnóstico y matrices"

    def ready(self):
        from importacion.registro import Lista, registrar_hoja, registrar_lista
        from matrices import filters, resources
        from matrices import models as mx
        from planes.secciones import SeccionContada, registrar

        registrar(
            SeccionContada(70, "6", "Problemas", mx.Problema),
            SeccionContada(80, "7", "Análisis causal", mx.Causa, "problema__plan"),
            SeccionContada(90, "8", "Alternativas de solución", mx.Alternativa, "problema__plan"),
            SeccionContada(100, "9", "Alternativas priorizadas", mx.AlternativaPriorizada, "problema__plan"),
            SeccionContada(110, "11", "Alineamiento", mx.ObjetivoNacional),
            SeccionContada(120, "12", "Roles por nivel de gobierno", mx.FilaRoles),
            SeccionContada(130, "13", "Actividades de la matriz lógica", mx.Actividad),
            SeccionContada(140, "13", "Indicadores", mx.Indicador),
        )
        # Causes before the alternatives that cite them; an indicator before its targets.
        registrar_hoja(resources.CausaResource, orden=10)
        registrar_hoja(resources.SubpuntoCausaResource, orden=20)
        registrar_hoja(resources.AlternativaResource, orden=30)
        registrar_hoja(resources.SubitemAlternativaResource, orden=40)
        registrar_hoja(resources.ActividadResource, orden=50)
        registrar_hoja(resources.IndicadorResource, orden=60)
        registrar_hoja(resources.MetaIndicadorResource, orden=70)
        registrar_lista(Lista("actividades", "Actividades", filters.ActividadFilter, resources.ActividadResource,
                              filters.actividades_lista, orden=10))
        registrar_lista(Lista("indicadores", "Indicadores", filters.IndicadorFilter, resources.IndicadorResource,
                              filters.indicadores_lista, orden=20))
        registrar_lista(Lista("causas", "Causas", filters.CausaFilter, resources.CausaResource, filters.causas_lista, orden=50))
