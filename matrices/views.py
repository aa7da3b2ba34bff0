"""Report pages of the diagnosis and design (sections 7-13.2): parse filters, call the report
function, let amc.reports.render_report pick HTML, PDF or Excel."""
from __future__ import annotations

from amc.reports import nivel_filter, render_report, report_view
from amc.vocabulario import Nivel
from matrices import reports
from planes.reports import con_version, entidad_filter, participantes, version_filter
from planes.selectors import plan_get


@report_view
def analisis_causal(request, plan_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id)
    entidad, filtro = entidad_filter(request, participantes(plan))
    a_la_fecha, filtro_version = version_filter(request, plan)
    data = reports.analisis_causal(plan=plan, entidad=entidad, a_la_fecha=a_la_fecha)
    return render_report(request, data=data, template="matrices/reportes/_analisis_causal.html",
                         title=data.titulo, filename="analisis-causal", orientation="landscape",
                         xlsx=reports.analisis_causal_xlsx, filters=con_version([filtro], filtro_version))


@report_view
def alternativas(request, plan_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id)
    entidad, filtro = entidad_filter(request, participantes(plan))
    a_la_fecha, filtro_version = version_filter(request, plan)
    data = reports.alternativas(plan=plan, entidad=entidad, a_la_fecha=a_la_fecha)
    return render_report(request, data=data, template="matrices/reportes/_alternativas.html",
                         title=data.titulo, filename="alternativas", orientation="landscape",
                         xlsx=reports.alternativas_xlsx, filters=con_version([filtro], filtro_version))


@report_view
def alineamiento(request, plan_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id)
    data = reports.alineamiento(plan=plan)
    return render_report(request, data=data, template="matrices/reportes/_alineamiento.html",
                         title="11. Alineamiento a los objetivos de la política nacional", filename="alineamiento",
                         orientation="landscape", xlsx=reports.alineamiento_xlsx)


@report_view
def roles(request, plan_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id)
    nivel, filtro = nivel_filter(request)
    data = reports.roles(plan=plan, nivel=nivel)
    return render_report(request, data=data, template="matrices/reportes/_roles.html",
                         title="12. Roles, competencias y responsabilidades por nivel de gobierno", filename="roles",
                         orientation="landscape", xlsx=reports.roles_xlsx, filters=[filtro])


@report_view
def indicadores(request, plan_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id)
    nivel, filtro = nivel_filter(request)
    a_la_fecha, filtro_version = version_filter(request, plan)
    data = reports.indicadores(plan=plan, nivel=nivel, a_la_fecha=a_la_fecha)
    return render_report(request, data=data, template="matrices/reportes/_indicadores.html",
                         title=data.titulo, filename="indicadores", orientation="landscape",
                         xlsx=reports.indicadores_xlsx, filters=con_version([filtro], filtro_version))


@report_view
def matriz_logica(request, plan_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id)
    nivel, filtro_nivel = nivel_filter(request, default=Nivel.NACIONAL, todos=False)
    entidades = [e for e in participantes(plan) if e.nivel_codigo == nivel]
    entidad, filtro_entidad = entidad_filter(request, entidades)
    a_la_fecha, filtro_version = version_filter(request, plan)
    data = reports.matriz_logica(plan=plan, nivel=nivel, entidad=entidad, a_la_fecha=a_la_fecha)
    filters = [filtro_nivel, filtro_entidad] if len(entidades) > 1 else [filtro_nivel]
    return render_report(request, data=data, template="matrices/reportes/_matriz_logica.html",
                         title=data.titulo, filename=f"matriz-logica-{nivel}", orientation="landscape",
                         xlsx=reports.matriz_logica_xlsx, filters=con_version(filters, filtro_version))
