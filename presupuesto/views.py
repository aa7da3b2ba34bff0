"""The budget report (section 13.3) as page, PDF or Excel."""
from __future__ import annotations

from amc.reports import nivel_filter, render_report, report_view
from planes.reports import con_version, entidad_filter, participantes, version_filter
from planes.selectors import plan_get
from presupuesto import reports


@report_view
def presupuesto(request, plan_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id)
    nivel, filtro_nivel = nivel_filter(request)
    entidad, filtro_entidad = entidad_filter(request, participantes(plan))
    a_la_fecha, filtro_version = version_filter(request, plan)
    data = reports.presupuesto(plan=plan, nivel=nivel, entidad=entidad, a_la_fecha=a_la_fecha)
    return render_report(request, data=data, template="presupuesto/reportes/_presupuesto.html",
                         title=data.titulo, filename="presupuesto", orientation="landscape",
                         xlsx=reports.presupuesto_xlsx, filters=con_version([filtro_nivel, filtro_entidad], filtro_version))
