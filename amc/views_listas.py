"""Lists across the plans a user may read (activities, indicators, causes, budget lines,
indicator values), filtered with django-filter, paginated, and exported to Excel or CSV:
exactly the filtered rows, with the columns of the import sheet (so an entity can edit its
own rows and import them back).

One source for the columns: the sheet's resource (amc/resources.py) gives the page's
columns and the files' columns. Each list costs a fixed number of queries whatever the
number of rows: the queryset loads what the columns show (`select_related`, totals
annotated), the page counts and loads one page, and each filter's choices is one query.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from amc.excel import Column, ExcelWorkbook
from amc.excel_safety import XLSX_CONTENT_TYPE, csv_response

POR_PAGINA = 50
KINDS = {"text": "text", "money": "money", "number": "number", "integer": "integer"}


@dataclass
class Lista:
    clave: str
    titulo: str
    filterset: Callable
    resource: Callable
    queryset: Callable  # (user) -> the rows the user may read, with what the columns need


def _actividades(user):
    from matrices.models import Actividad

    return Actividad.objects.visible_to(user).select_related("plan", "entidad__nivel", "producto").order_by(
        "plan__codigo", "entidad__nivel__orden", "entidad__nombre", "orden")


def _indicadores(user):
    from matrices.models import Indicador

    return Indicador.objects.visible_to(user).select_related(
        "plan", "entidad__nivel", "resultado", "producto", "actividad").order_by(
        "plan__codigo", "entidad__nivel__orden", "entidad__nombre", "orden")


def _causas(user):
    from matrices.models import Causa

    return Causa.objects.visible_to(user).select_related("problema__plan", "entidad__nivel").order_by(
        "problema__plan__codigo", "problema__numero", "entidad__nivel__orden", "entidad__nombre", "letra")


def _presupuesto(user):
    from presupuesto.models import LineaPresupuesto

    return LineaPresupuesto.objects.visible_to(user).with_totals().select_related(
        "plan", "entidad__nivel", "actividad").order_by("plan__codigo", "orden")


def _valores(user):
    from seguimiento.models import ValorIndicador

    return ValorIndicador.objects.visible_to(user).select_related("periodo__plan", "entidad__nivel", "indicador").order_by(
        "periodo__plan__codigo", "periodo__inicio", "entidad__nombre", "indicador__orden")


def _importar(path: str):
    def factory(*args, **kwargs):
        from django.utils.module_loading import import_string

        return import_string(path)(*args, **kwargs)
    return factory


LISTAS = {
    lista.clave: lista for lista in [
        Lista("actividades", "Actividades", _importar("matrices.filters.ActividadFilter"),
              _importar("matrices.resources.ActividadResource"), _actividades),
        Lista("indicadores", "Indicadores", _importar("matrices.filters.IndicadorFilter"),
              _importar("matrices.resources.IndicadorResource"), _indicadores),
        Lista("presupuesto", "Líneas de presupuesto", _importar("presupuesto.filters.LineaPresupuestoFilter"),
              _importar("presupuesto.resources.LineaPresupuestoResource"), _presupuesto),
        Lista("valores", "Valores de indicadores", _importar("seguimiento.filters.ValorIndicadorFilter"),
              _importar("seguimiento.resources.ValorIndicadorResource"), _valores),
        Lista("causas", "Causas", _importar("matrices.filters.CausaFilter"),
              _importar("matrices.resources.CausaResource"), _causas),
    ]
}


def _filtros_texto(form) -> str:
    partes = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name) if form.is_valid() else None
        if value not in (None, ""):
            shown = dict(field.choices).get(value, value) if hasattr(field, "choices") and not hasattr(value, "pk") else value
            partes.append(f"{field.label}: {shown}")
    return "; ".join(partes) or "Sin filtros"


@require_GET
def lista(request, clave: str):
    config = LISTAS.get(clave)
    if config is None:
        raise Http404("No existe esa lista.")
    filterset = config.filterset(request.GET or None, queryset=config.queryset(request.user), request=request)
    # A filter that does not parse (a plan the user may not read) shows its error and no rows.
    filas = filterset.queryset if not filterset.is_bound else (filterset.qs if filterset.is_valid() else filterset.queryset.none())
    resource = config.resource()
    columnas = type(resource).columnas()
    formato = request.GET.get("formato", "")
    if formato in ("xlsx", "csv"):
        dataset = resource.export(filas)
        fecha = timezone.localdate().strftime("%Y-%m-%d")
        nombre = f"{clave}_{fecha}.{formato}"
        if formato == "csv":
            return csv_response(dataset.headers, dataset, nombre)
        libro = ExcelWorkbook(heading=[f"Filtros: {_filtros_texto(filterset.form)}",
                                       f"Emitido el {timezone.localtime():%d/%m/%Y %H:%M} por {request.user.get_username()}"])
        sheet = libro.sheet(config.titulo, [Column(c.column_name, c.ancho, KINDS.get(c.tipo, "text")) for c in columnas])
        sheet.rows(dataset)
        response = HttpResponse(libro.to_bytes(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{nombre}"'
        return response
    if formato:
        return render(request, "listas/lista.html", {"error": f"El formato «{formato}» no existe: use xlsx o csv."}, status=400)
    pagina = Paginator(filas, POR_PAGINA).get_page(request.GET.get("pagina"))
    filas_pagina = [resource.export_resource(obj) for obj in pagina.object_list]
    params = {k: v for k, v in request.GET.items() if k not in ("pagina", "formato") and v}
    return render(request, "listas/lista.html", {
        "lista": config, "listas": LISTAS.values(), "form": filterset.form, "columnas": columnas, "filas": filas_pagina,
        "pagina": pagina, "query": urlencode(params),
    })
