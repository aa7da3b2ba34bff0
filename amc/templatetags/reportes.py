"""{% load reportes %}: the list of a plan's reports, for the links on the plan's overview."""
from django import template
from django.urls import reverse

from amc.vocabulario import NIVELES, Nivel, nivel_nombre

register = template.Library()

#: The section number the document gives each level's logical matrix (the local one has none).
LEVEL_NUMBERS = {Nivel.NACIONAL: "13.1", Nivel.REGIONAL: "13.2"}


@register.simple_tag
def informes_del_plan(plan):
    """(number, title, url) of each report of `plan`. The logical matrix is listed for the
    levels of the plan's entities, read from the prefetched participations (no query)."""
    pk = plan.pk
    levels = []
    for p in plan.participaciones.all():
        code = p.entidad.nivel.codigo
        if code not in levels:
            levels.append(code)
    if Nivel.NACIONAL not in levels:
        levels.insert(0, Nivel.NACIONAL)
    items = [
        ("", "Plan completo (documento con portada e índice)", reverse("reporte_documento", args=[pk])),
        ("7", "Análisis causal de los problemas", reverse("reporte_analisis_causal", args=[pk])),
        ("8–9", "Alternativas de solución y priorizadas", reverse("reporte_alternativas", args=[pk])),
        ("11", "Alineamiento a la política nacional", reverse("reporte_alineamiento", args=[pk])),
        ("12", "Roles por nivel de gobierno", reverse("reporte_roles", args=[pk])),
        ("13", "Indicadores y metas", reverse("reporte_indicadores", args=[pk])),
    ]
    base = reverse("reporte_matriz_logica", args=[pk])
    for code in sorted(levels, key=NIVELES.index):
        items.append((LEVEL_NUMBERS.get(code, ""), f"Matriz lógica {nivel_nombre(code)}", f"{base}?nivel={code}"))
    items.append(("13.3", "Presupuesto", reverse("reporte_presupuesto", args=[pk])))
    return [{"numero": n, "titulo": t, "url": u, "sep": "&" if "?" in u else "?"} for n, t, u in items]
