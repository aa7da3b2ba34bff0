"""matrices/reports.py and its pages: sections 7, 8-9, 11, 12, 13, 13.1/13.2 as page, PDF
and Excel, read back and compared with the data the factory wrote."""
from __future__ import annotations

import pytest
from django.urls import reverse

from amc.access import Rol
from matrices import reports
from tests import factories as f
from tests.report_factories import make_report_plan
from tests.report_helpers import html_rows, norm, pdf_table_rows, pdf_text, xlsx_book, xlsx_header, xlsx_rows, xlsx_groups, NAVEGACION_PLANIFICADOR

pytestmark = pytest.mark.django_db


@pytest.fixture
def rp():
    return make_report_plan(1)


@pytest.fixture
def planner(client, usuario_planificador):
    client.force_login(usuario_planificador)
    return client


def url(name, plan, query=""):
    return reverse(name, args=[plan.pk]) + query


# ----------------------------------------------------------------------------- 7


def test_causal_analysis_lines_causes_up_by_letter_with_the_problem_spanning_them(rp):
    data = reports.analisis_causal(plan=rp.plan)
    assert [e.id for e in data.entidades] == [rp.nacional.id, rp.regional.id]
    p1 = data.problemas[0]
    assert p1.titulo == "1. Problema 1 del servicio evaluado"
    assert [fila.letra for fila in p1.filas] == list("abcdef")
    # the regional entity skips b, d, f: empty cells, as the document draws them
    assert [bool(fila.celdas[1]) for fila in p1.filas] == [True, False, True, False, True, False]
    assert p1.filas[0].celdas[0].subpuntos == [f"Subpunto 1 de la causa 1.a de {rp.nacional.sigla}",
                                              f"Subpunto 2 de la causa 1.a de {rp.nacional.sigla}"]
    assert data.total_causas == 2 * (6 + 3)


def test_causal_analysis_page_pdf_and_excel_hold_the_same_causes(planner, rp):
    page = planner.get(url("reporte_analisis_causal", rp.plan))
    rows = html_rows(page.content, "analisis-causal")
    assert rows[0][0] == "1. Problema 1 del servicio evaluado"
    assert rows[0][1].startswith(f"a. Causa 1.a de {rp.nacional.sigla}")
    assert rows[1] == [f"b. Causa 1.b de {rp.nacional.sigla} Subpunto 1 de la causa 1.b de {rp.nacional.sigla} "
                       f"Subpunto 2 de la causa 1.b de {rp.nacional.sigla}", ""]

    pdf = planner.get(url("reporte_analisis_causal", rp.plan, "?formato=pdf")).content
    text = pdf_text(pdf)
    for n in (1, 2):
        for letra in "abcdef":
            assert f"{letra}. Causa {n}.{letra} de {rp.nacional.sigla}" in text
        for letra in "ace":
            assert f"{letra}. Causa {n}.{letra} de {rp.regional.sigla}" in text

    book = planner.get(url("reporte_analisis_causal", rp.plan, "?formato=xlsx")).content
    assert xlsx_header(book, "7 Análisis causal") == ["Problema", rp.nacional.sigla, rp.regional.sigla]
    data = xlsx_rows(book, "7 Análisis causal")
    assert data[0][0] == "1. Problema 1 del servicio evaluado"
    assert data[0][1].startswith(f"a. Causa 1.a de {rp.nacional.sigla}\n• Subpunto 1")
    assert data[1][2] is None
    ws = xlsx_book(book)["7 Análisis causal"]
    assert "A5:A10" in xlsx_groups(ws)  # problem 1 spans its six letters


def test_entity_filter_keeps_one_column_in_the_three_formats(planner, rp):
    q = f"?entidad={rp.regional.codigo}"
    rows = html_rows(planner.get(url("reporte_analisis_causal", rp.plan, q)).content, "analisis-causal")
    assert all(len(r) <= 2 for r in rows)
    assert [r[-1][:2] for r in rows] == ["a.", "c.", "e."] * 2
    text = pdf_text(planner.get(url("reporte_analisis_causal", rp.plan, q + "&formato=pdf")).content)
    assert f"Causa 1.a de {rp.regional.sigla}" in text and rp.nacional.sigla + "\n" not in text
    assert f"Causa 1.b de {rp.nacional.sigla}" not in text
    book = planner.get(url("reporte_analisis_causal", rp.plan, q + "&formato=xlsx")).content
    assert xlsx_header(book, "7 Análisis causal") == ["Problema", rp.regional.sigla]
    assert [r[1][:2] for r in xlsx_rows(book, "7 Análisis causal")] == ["a.", "c.", "e."] * 2


def test_unknown_entity_is_a_400_that_names_the_valid_ones(planner, rp):
    response = planner.get(url("reporte_analisis_causal", rp.plan, "?entidad=nadie"))
    assert response.status_code == 400
    assert "Entidad «nadie» no existe" in response.content.decode()
    assert rp.regional.codigo in response.content.decode()


# ----------------------------------------------------------------------------- 8 / 9


def test_alternatives_name_the_cause_they_answer_and_their_sub_items(rp):
    data = reports.alternativas(plan=rp.plan)
    grupo = data.problemas[0].grupos[0]
    assert grupo.entidad.id == rp.nacional.id
    a = grupo.alternativas[0]
    assert a.causa == f"a. Causa 1.a de {rp.nacional.sigla}"
    assert a.subitems == [(1, "Subítem 1 de la alternativa 1.a")]
    assert data.anios == [2015]
    assert [i.letra for i in data.priorizadas[0].grupos[1].items] == ["a", "c"]


def test_alternatives_excel_has_one_sheet_per_table_with_merged_groups(planner, rp):
    book = planner.get(url("reporte_alternativas", rp.plan, "?formato=xlsx")).content
    wb = xlsx_book(book)
    assert "8 Alternativas" in wb.sheetnames and "9 Priorizadas" in wb.sheetnames
    rows = xlsx_rows(book, "8 Alternativas")
    assert rows[0][:3] == ["1. Problema 1 del servicio evaluado", rp.nacional.sigla, f"a. Causa 1.a de {rp.nacional.sigla}"]
    assert rows[0][3] == f"a. Alternativa 1.a de {rp.nacional.sigla}\n1. Subítem 1 de la alternativa 1.a"
    prior = xlsx_rows(book, "9 Priorizadas")
    assert prior[0][2] == 2015 and prior[0][3] == f"a. Priorizada 1.a de {rp.nacional.sigla}"
    merged = xlsx_groups(wb["8 Alternativas"])
    assert "A5:A13" in merged and "B5:B10" in merged  # problem over 9 alternatives, entity over its 6
    text = pdf_text(planner.get(url("reporte_alternativas", rp.plan, "?formato=pdf")).content)
    assert f"a. Alternativa 1.a de {rp.nacional.sigla}" in text and "1. Subítem 1 de la alternativa 1.a" in text
    assert f"Priorizada 2.c de {rp.regional.sigla}" in text


# ----------------------------------------------------------------------------- 11


def test_alignment_lists_frameworks_with_indicators_and_targets(planner, rp):
    data = reports.alineamiento(plan=rp.plan)
    assert [m.marco for m in data.marcos] == ["acuerdo_nacional", "plan_bicentenario"]
    pb = data.marcos[1]
    assert pb.anios == [2021]
    assert pb.objetivos[0].indicadores[0].metas == ["60%"]
    book = planner.get(url("reporte_alineamiento", rp.plan, "?formato=xlsx")).content
    assert xlsx_rows(book, "11 Acuerdo Nacional")[0] == ["Equidad y Justicia", "Acceso al empleo digno y productivo"]
    rows = xlsx_rows(book, "11 Plan Bicentenario")
    assert rows[0] == ["Objetivo específico 5: Incremento de los empleos adecuados", "15", "Indicador nacional 1",
                       "PEA asalariada / PEA total", "MTPE / ENAHO", "42,7%", "45%", "60%"]
    pdf_rows = pdf_table_rows(planner.get(url("reporte_alineamiento", rp.plan, "?formato=pdf")).content)
    assert ["Objetivo", "N°", "Indicador", "Fórmula del indicador", "Fuente de información", "Línea de base", "Tendencia al 2021", "Meta 2021"] in pdf_rows
    assert [None, "16", "Indicador nacional 2", "PEA asalariada / PEA total", "MTPE / ENAHO", "42,7%", "45%", "60%"] in pdf_rows


# ----------------------------------------------------------------------------- 12


def test_roles_group_rows_by_phase_and_filter_by_level(planner, rp):
    data = reports.roles(plan=rp.plan)
    assert [f.etiqueta for f in data.fases] == ["Política", "Planeamiento", "Financiamiento", "Ejecución", "Monitoreo y evaluación"]
    assert data.fases[0].filas[0] == ["Rol nacional 1", "Rol regional 1", ""]
    assert data.niveles[0].etiqueta == f"Nacional ({rp.nacional.sigla})"

    q = "?nivel=GR"
    rows = html_rows(planner.get(url("reporte_roles", rp.plan, q)).content, "roles")
    assert [r[-1] for r in rows] == [f"Rol regional {n}" for n in range(1, 6)]
    book = planner.get(url("reporte_roles", rp.plan, q + "&formato=xlsx")).content
    assert [r[1] for r in xlsx_rows(book, "12 Roles")] == [f"Rol regional {n}" for n in range(1, 6)]
    text = pdf_text(planner.get(url("reporte_roles", rp.plan, q + "&formato=pdf")).content)
    assert "Rol regional 5" in text and "Rol nacional" not in text


def test_unknown_level_is_a_400(planner, rp):
    response = planner.get(url("reporte_roles", rp.plan, "?nivel=XX"))
    assert response.status_code == 400
    assert "Nivel de gobierno «XX» no existe" in response.content.decode()


# ----------------------------------------------------------------------------- 13


def test_indicator_table_has_result_product_indicator_target_and_tasks(planner, rp):
    book = planner.get(url("reporte_indicadores", rp.plan, "?formato=xlsx")).content
    rows = xlsx_rows(book, "13 Indicadores")
    assert rows[0] == ["Más personas acceden a los servicios de empleo", "Servicios de empleo más inclusivos",
                       "N° de directivas 1", "1", "Formular directiva 1", "Implementar directiva 1", None]
    assert rows[1][:2] == [None, None]  # spanned by the merged result and product
    text = pdf_text(planner.get(url("reporte_indicadores", rp.plan, "?formato=pdf")).content)
    assert "Implementar directiva 2" in text


# ----------------------------------------------------------------------------- 13.1 / 13.2


def test_logical_matrix_has_the_four_blocks_and_the_levels_activities(rp):
    data = reports.matriz_logica(plan=rp.plan, nivel="GR")
    assert [b.etiqueta for b in data.bloques] == ["Resultado final", "Resultado intermedio", "Producto", "Actividades"]
    assert data.titulo == "13.2 Matriz lógica Gobierno Regional"
    assert [o.texto for o in data.actividades] == ["Actividad regional 1", "Actividad regional 2", "Actividad regional 3"]
    # the intermediate result carries the regional indicator only
    assert [i.nombre for i in data.bloques[1].objetivos[0].indicadores] == ["% de personas beneficiadas (regional)"]
    # activity 3 has two indicators: one objective spanning two rows
    assert data.actividades[2].span == 2
    assert data.niveles_con_filas == ["GN", "GR"]


def test_logical_matrix_rows_are_the_same_in_page_pdf_and_excel(planner, rp):
    q = "?nivel=GN"
    page = planner.get(url("reporte_matriz_logica", rp.plan, q))
    html = [r for r in html_rows(page.content, "matriz-logica-GN") if len(r) > 1]
    book = planner.get(url("reporte_matriz_logica", rp.plan, q + "&formato=xlsx")).content
    excel = [[norm(c) for c in r] for r in xlsx_rows(book, "13.1 Matriz lógica GN") if r[1] is not None or r[0] is not None]
    excel = [r for r in excel if not r[0].isupper()]  # block headings (RESULTADO FINAL…) are merged rows
    pdf = pdf_table_rows(planner.get(url("reporte_matriz_logica", rp.plan, q + "&formato=pdf")).content)
    pdf_indicators = [r[1] for r in pdf if len(r) == 3 and r[1] and r[1] != "Indicadores"]
    html_indicators = [r[-2] if len(r) == 3 else r[0] for r in html]
    excel_indicators = [r[1] for r in excel if r[1]]
    assert [i for i in html_indicators if i] == excel_indicators == pdf_indicators
    assert "Indicador de la actividad nacional 3" in excel_indicators
    assert "Segundo indicador de la actividad nacional 3" in excel_indicators


def test_local_level_appears_when_it_has_rows(planner):
    rp = make_report_plan(1, con_local=True)
    data = reports.matriz_logica(plan=rp.plan, nivel="GL")
    assert data.niveles_con_filas == ["GN", "GR", "GL"]
    assert [o.texto for o in data.actividades] == ["Actividad local 1"]
    body = planner.get(reverse("plan_detail", args=[rp.plan.pk])).content.decode()
    assert "Matriz lógica Gobierno Local" in body


# ----------------------------------------------------------------------------- access and queries


def test_a_regional_user_cannot_see_the_reports_of_a_plan_its_entity_is_not_in(client, drtpe_puno, rp):
    client.force_login(f.make_user(Rol.REGIONAL, drtpe_puno, username="puno-informes"))
    for name in ("reporte_analisis_causal", "reporte_matriz_logica", "reporte_roles"):
        for q in ("", "?formato=pdf", "?formato=xlsx"):
            assert client.get(url(name, rp.plan, q)).status_code == 404


def test_a_regional_user_exports_the_plans_of_its_entity(client, rp):
    client.force_login(f.make_user(Rol.REGIONAL, rp.regional, username="regional-informes"))
    response = client.get(url("reporte_matriz_logica", rp.plan, "?nivel=GR&formato=xlsx"))
    assert response.status_code == 200
    assert xlsx_rows(response.content, "13.2 Matriz lógica GR")


REPORT_FUNCTIONS = {
    "analisis_causal": (lambda plan: reports.analisis_causal(plan=plan), 5),
    "alternativas": (lambda plan: reports.alternativas(plan=plan), 7),
    "alineamiento": (lambda plan: reports.alineamiento(plan=plan), 4),
    "roles": (lambda plan: reports.roles(plan=plan), 5),
    "indicadores": (lambda plan: reports.indicadores(plan=plan), 7),
    "matriz_logica": (lambda plan: reports.matriz_logica(plan=plan, nivel="GR"), 7),
}


@pytest.mark.parametrize("name", REPORT_FUNCTIONS)
def test_report_functions_cost_the_same_queries_for_a_small_and_a_large_plan(name, django_assert_num_queries):
    function, expected = REPORT_FUNCTIONS[name]
    small, large = make_report_plan(1).plan, make_report_plan(5).plan
    with django_assert_num_queries(expected):
        small_data = function(small)
    with django_assert_num_queries(expected):
        large_data = function(large)
    assert repr(small_data) != repr(large_data)


VIEW_QUERIES = {  # session, user, groups, plan, the report's own (participants read once per request)
    "reporte_analisis_causal": 9,
    "reporte_alternativas": 11,
    "reporte_alineamiento": 8,
    "reporte_roles": 9,
    "reporte_indicadores": 11,
    "reporte_matriz_logica": 11,
}


@pytest.mark.parametrize("formato", ["", "pdf", "xlsx"])
@pytest.mark.parametrize("name", VIEW_QUERIES)
def test_pages_and_exports_cost_the_same_queries_for_a_small_and_a_large_plan(name, formato, client, usuario_planificador,
                                                                            django_assert_num_queries, pdf_layout_skipped):
    # PDF: everything up to the PDF's HTML runs; WeasyPrint's layout (no queries) is skipped
    client.force_login(usuario_planificador)
    small, large = make_report_plan(1).plan, make_report_plan(4).plan
    q = f"?formato={formato}" if formato else ""
    expected = VIEW_QUERIES[name] + (0 if formato else NAVEGACION_PLANIFICADOR)
    with django_assert_num_queries(expected):
        assert client.get(url(name, small, q)).status_code == 200
    with django_assert_num_queries(expected):
        assert client.get(url(name, large, q)).status_code == 200
    assert len(pdf_layout_skipped) == (2 if formato == "pdf" else 0)
