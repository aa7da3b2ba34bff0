"""The budget report (section 13.3) as page, PDF or Excel."""
from __future__ import annotations

from amc.reports import FilterField, choice_param, render_report, report_plan_get, report_view
from matrices.reports import entidad_options, participantes
from presupuesto import reports

NIVELES = (("", "Todos"), ("GN", "Nacional"), ("GR", "Regional"), ("GL", "Local"))


@report_view
def presupuesto(request, plan_id: int):
    plan = report_plan_get(user=request.user, plan_id=plan_id)
    entidades = participantes(plan)
    nivel = choice_param(request, "nivel", [c for c, _ in NIVELES if c], label="Nivel de gobierno")
    entidad = choice_param(request, "entidad", [e.codigo for e in entidades], label="Entidad")
    data = reports.presupuesto(plan=plan, nivel=nivel, entidad=entidad)
    filters = [FilterField("nivel", "Nivel de gobierno", NIVELES, nivel),
               FilterField("entidad", "Entidad", entidad_options(entidades), entidad)]
    return render_report(request, data=data, template="presupuesto/reportes/_presupuesto.html",
                         title="13.3 Presupuesto", filename="presupuesto", orientation="landscape",
                         xlsx=reports.presupuesto_xlsx, filters=filters)
