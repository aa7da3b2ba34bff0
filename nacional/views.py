"""The national view and the trends: parse the filters, call the data function, render."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from amc import access
from amc.reports import FilterField, InvalidFilter, choice_param, nivel_filter, render_report, report_view
from amc.vocabulario import periodo_nombre_corto
from matrices.models import IndicadorCatalogo
from nacional import reports

NO_NACIONAL = ("No tiene permiso: la vista nacional compara todas las regiones y la leen el personal del ministerio, "
               "los planificadores y los administradores. Su plan se sigue desde su página.")


def _url_region(periodo, entidad) -> str:
    return reverse("seguimiento:evaluacion", args=[periodo.plan_id, periodo.pk]) + "?" + urlencode({"entidad": entidad.codigo})


@login_required
@report_view
def vista_nacional(request):
    if not access.reads_all_plans(request.user):
        raise PermissionDenied(NO_NACIONAL)
    disponibles = reports.periodos_disponibles(user=request.user)
    anios = sorted({a for a, _, _ in disponibles}, reverse=True)
    anio = int(choice_param(request, "anio", [str(a) for a in anios], default=str(anios[0]) if anios else "", label="Año") or 0)
    del_anio = [(f, n) for a, f, n in disponibles if a == anio]
    claves = [f"{f}-{n}" for f, n in del_anio]
    periodo = choice_param(request, "periodo", claves, default=claves[0] if claves else "", label="Periodo")
    nivel, filtro_nivel = nivel_filter(request, default="GR")
    entradas = list(IndicadorCatalogo.objects.values_list("codigo", "nombre"))
    catalogo = choice_param(request, "indicador", [c for c, _ in entradas], label="Indicador del catálogo")
    semaforo = choice_param(request, "semaforo", reports.SEMAFOROS, label="Semáforo")
    orden = choice_param(request, "orden", reports.ORDENES, default="entidad", label="Orden")
    frecuencia, _, numero = periodo.rpartition("-")
    if not periodo:
        raise InvalidFilter("Aún no hay periodos de reporte en ningún plan: la vista nacional no tiene qué mostrar.")
    data = reports.vista_nacional(user=request.user, anio=anio, frecuencia=frecuencia, numero=int(numero), nivel=nivel,
                                  catalogo=catalogo, semaforo=semaforo, orden=orden, url_region=_url_region)
    return render_report(
        request, data=data, template="nacional/_vista.html", title=f"Vista nacional: {data.periodo_nombre}",
        filename=f"nacional-{anio}-{frecuencia}-{numero}", orientation="landscape", xlsx=reports.vista_nacional_xlsx,
        filters=[
            FilterField("anio", "Año", [(str(a), str(a)) for a in anios], str(anio)),
            FilterField("periodo", "Periodo", [(f"{f}-{n}", periodo_nombre_corto(f, anio, n)) for f, n in del_anio], periodo),
            filtro_nivel,
            FilterField("indicador", "Indicador", [("", "Todos"), *entradas], catalogo),
            FilterField("semaforo", "Semáforo", [("", "Todos"), *reports.SEMAFOROS.items()], semaforo),
            FilterField("orden", "Ordenar por", list(reports.ORDENES.items()), orden),
        ],
    )


@login_required
@report_view
def tendencias(request):
    """Anyone reads the trends of the plans they read: a region's staff see their own plans'
    entities only (the entity filter offers no other, and refuses one typed in)."""
    entradas = list(IndicadorCatalogo.objects.values_list("codigo", "nombre"))
    if not entradas:
        raise InvalidFilter("El catálogo de indicadores está vacío: no hay tendencias que mostrar.")
    codigo = choice_param(request, "indicador", [c for c, _ in entradas], default=entradas[0][0], label="Indicador del catálogo")
    entrada = IndicadorCatalogo.objects.get(codigo=codigo)
    legibles = reports.tendencias_entidades(user=request.user, entrada=entrada)
    entidades = [(c, n) for c, (_, n) in legibles.items()]
    entidad = choice_param(request, "entidad", [c for c, _ in entidades], label="Entidad")
    entidad_id = legibles[entidad][0] if entidad else None
    data = reports.tendencias(user=request.user, entrada=entrada, entidad_id=entidad_id)
    return render_report(
        request, data=data, template="nacional/_tendencias.html", title=f"Tendencias: {entrada.nombre}",
        filename=f"tendencias-{entrada.codigo}", orientation="portrait", xlsx=reports.tendencias_xlsx,
        filters=[FilterField("indicador", "Indicador", entradas, codigo),
                 FilterField("entidad", "Entidad", [("", "Todas"), *entidades], entidad)],
    )
