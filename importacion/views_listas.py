"""Lists across the plans a user may read (activities, indicators, causes, budget lines,
indicator values), filtered with django-filter, paginated, and exported to Excel or CSV:
exactly the filtered rows, with the columns of the import sheet (so an entity can edit its
own rows and import them back).

One source for the columns: the sheet's resource (importacion/resources.py) gives the page's
columns and the files' columns. Each app registers its lists (importacion.registro). Each list costs a fixed number of queries whatever the
number of rows: the queryset loads what the columns show (`select_related`, totals
annotated), the page counts and loads one page, and each filter's choices is one query.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from amc.excel import Column, ExcelWorkbook
from importacion.excel_safety import XLSX_CONTENT_TYPE, csv_response
from importacion.registro import lista_get, listas

POR_PAGINA = 50
KINDS = {"text": "text", "money": "money", "number": "number", "integer": "integer"}


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
    config = lista_get(clave)
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
        "lista": config, "listas": listas(), "form": filterset.form, "columnas": columnas, "filas": filas_pagina,
        "pagina": pagina, "query": urlencode(params),
    })
