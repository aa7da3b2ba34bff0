"""The schedule's Gantt chart: parse the filters, call the report function, let
amc.reports.render_report pick the page, the PDF or the Excel file."""
from __future__ import annotations

import datetime

from amc.reports import FilterField, InvalidFilter, choice_param, nivel_filter, render_report, report_view
from amc.versiones import por_version
from cronograma import reports
from cronograma.models import Mes
from planes.reports import entidad_filter_paginado, participantes
from planes.selectors import plan_get

RETRASADAS = (("", "Todas"), ("si", "Solo retrasadas"))


def corte_param(request, plan) -> tuple[datetime.date, FilterField]:
    """The cut-off date (`?hoy=YYYY-MM-DD`), today in Lima by default.

    Planners report a plan's state "al 30 de junio" to the CISTPE and the Secretariat, often
    weeks later, and look back at closed plans (the seed is 2015): the chart as of a month's end
    is what they need. The options are today and the end of each month of the plan; any valid
    date typed in the address is accepted too."""
    hoy = reports.hoy_lima()
    texto = request.GET.get("hoy", "").strip()
    elegido = hoy
    if texto:
        try:
            elegido = datetime.date.fromisoformat(texto)
        except ValueError:
            raise InvalidFilter(f"La fecha de corte «{texto}» no es una fecha: escríbala como AAAA-MM-DD "
                                "(por ejemplo 2015-06-30).") from None
    opciones = [("", f"Hoy ({hoy:%d/%m/%Y})")]
    for m in Mes(plan.anio_inicio, 1).hasta(Mes(plan.anio_fin, 12)):
        fin = datetime.date(m.anio, m.mes, m.dias)
        opciones.append((fin.isoformat(), f"{fin:%d/%m/%Y}"))
    valor = texto and elegido.isoformat()
    if valor and valor not in dict(opciones):
        opciones.append((valor, f"{elegido:%d/%m/%Y}"))
    return elegido, FilterField("hoy", "Fecha de corte", opciones, valor or "")


@report_view
def cronograma(request, plan_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id)
    nivel, filtro_nivel = nivel_filter(request)
    entidad, filtro_entidad = entidad_filter_paginado(  # a national plan's chart opens on one entity
        request, participantes(plan), pagina=request.GET.get("formato", "") == "",
        con_datos=lambda: por_version(("entidades con actividades", plan.pk), lambda: reports.entidades_con_actividades(plan)))
    situacion = choice_param(request, "situacion", [c for c, _ in reports.SITUACIONES], label="Situación")
    retrasadas = choice_param(request, "retrasadas", ["si"], label="Retrasadas")
    hoy, filtro_hoy = corte_param(request, plan)
    data = por_version(("cronograma", plan.pk, hoy, nivel, entidad, situacion, retrasadas), lambda: reports.cronograma(
        plan=plan, hoy=hoy, nivel=nivel, entidad=entidad, situacion=situacion, solo_retrasadas=bool(retrasadas)))
    filters = [
        filtro_nivel,
        filtro_entidad,
        FilterField("situacion", "Situación", [("", "Todas"), *reports.SITUACIONES], situacion),
        FilterField("retrasadas", "Retraso", RETRASADAS, retrasadas),
        filtro_hoy,
    ]
    pdf = request.GET.get("formato", "").strip().lower() == "pdf"
    return render_report(request, data=data, template="cronograma/reportes/_cronograma.html",
                         title="18. Cronograma de actividades", filename="cronograma", orientation="landscape",
                         xlsx=reports.cronograma_xlsx, filters=filters,
                         context={"tramos": data.tramos(por_anio=pdf), "pdf": pdf})
