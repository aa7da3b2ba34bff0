"""presupuesto/reports.py and its page: lines, sub-lines, totals, summary by spending code,
"No se ha determinado", in the page, the PDF and the Excel file."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from amc.formatting import soles
from presupuesto import reports
from tests.report_factories import expected_budget, make_report_plan
from tests.report_helpers import html_rows, norm, pdf_table_rows, pdf_text, xlsx_book, xlsx_rows, xlsx_groups, NAVEGACION_PLANIFICADOR

pytestmark = pytest.mark.django_db

SHEET = "13.3 Presupuesto"


@pytest.fixture
def rp():
    return make_report_plan(2)


@pytest.fixture
def planner(client, usuario_planificador):
    client.force_login(usuario_planificador)
    return client


def url(plan, query=""):
    return reverse("reporte_presupuesto", args=[plan.pk]) + query


def test_totals_per_activity_level_and_plan_are_computed_from_lines_and_sub_lines(rp):
    data = reports.presupuesto(plan=rp.plan)
    expected = expected_budget(2)
    assert {t.nivel_codigo: t.total for t in data.totales_nivel} == {"GN": expected["GN"], "GR": expected["GR"]}
    assert data.total_plan == expected["plan"]
    with_subs = next(x for x in data.lineas if x.sublineas)
    assert with_subs.total == Decimal("6000.00")  # 2 x 2,500.00 + 20 x 50.00
    assert [s.total for s in with_subs.sublineas] == [Decimal("5000.00"), Decimal("1000.00")]
    not_determined = [x for x in data.lineas if x.no_determinada]
    assert not_determined and all(x.total is None for x in not_determined)
    assert data.no_determinadas == len(not_determined)


def test_summary_by_spending_code_adds_up_to_the_plan_total(rp):
    data = reports.presupuesto(plan=rp.plan)
    by_code = {r.codigo: r for r in data.resumen}
    assert by_code["2.3.2.7.2.99"].nombre == "Otros servicios de consultoría"
    assert by_code["2.3.2.7.2.99"].total == Decimal("3001.00") * 4
    assert by_code["2.3.2.7.11.99"].total == Decimal("5000.00") * 2 * 2
    assert by_code[""].nombre == "Sin especificación del gasto"  # the Break sub-lines have no code
    assert data.total_resumen == data.total_plan


def test_page_shows_amounts_as_soles_and_not_determined_as_such(planner, rp):
    body = planner.get(url(rp.plan)).content.decode()
    rows = html_rows(body, "presupuesto")
    first = rows[0]
    assert first == ["Presupuesto nacional 1", "Gobierno Nacional", "Servicio tercero", "S/ 1,500.50", "2", "S/ 3,001.00",
                     "2.3.2.7.2.99", "S/ 3,001.00"]
    assert ["Especialista", "", "Remuneración", "S/ 2,500.00", "2", "S/ 5,000.00", "2.3.2.7.11.99", ""] in rows
    nd = next(r for r in rows if r[0] == "Presupuesto nacional 3")
    assert nd[-1] == "No se ha determinado"
    sin_monto = next(r for r in rows if r[0] == "Presupuesto nacional 4")
    assert sin_monto[-1] == "–"
    total_row = rows[-1]
    assert total_row == ["Total del plan", norm(soles(expected_budget(2)["plan"]))]
    assert "S/\u00a036,004.00" in body  # the non-breaking space of es-PE


def test_excel_has_real_numbers_merged_sub_lines_totals_and_the_summary(planner, rp):
    content = planner.get(url(rp.plan, "?formato=xlsx")).content
    wb = xlsx_book(content)
    ws = wb[SHEET]
    rows = xlsx_rows(content, SHEET)
    first = rows[0]
    assert first == ["Presupuesto nacional 1", "Gobierno Nacional", "Servicio tercero", 1500.5, 2, 3001, "2.3.2.7.2.99", 3001]
    header_row = ws[ws.freeze_panes].row - 1
    amount = ws.cell(row=header_row + 1, column=6)
    assert amount.data_type == "n" and amount.number_format == "#,##0.00"
    nd = next(r for r in rows if r[0] == "Presupuesto nacional 3")
    assert nd[-1] == "No se ha determinado"
    totals = {r[0].split(" (")[0]: r[-1] for r in rows if r[0] and r[0].startswith("Total")}
    expected = expected_budget(2)
    assert totals == {"Total Gobierno Nacional": float(expected["GN"]), "Total Gobierno Regional": float(expected["GR"]),
                      "Total del plan": float(expected["plan"])}
    parent = next(i for i, r in enumerate(rows) if r[0] == "Presupuesto nacional 2") + header_row + 1
    merged = xlsx_groups(ws)
    assert f"H{parent}:H{parent + 2}" in merged  # the line's total spans its two sub-lines
    summary = xlsx_rows(content, "13.3 Resumen por específica")
    assert summary[-1] == ["Total", None, float(expected["plan"])]


def test_pdf_has_every_line_the_totals_and_not_determined(planner, rp):
    content = planner.get(url(rp.plan, "?formato=pdf")).content
    rows = pdf_table_rows(content)
    descriptions = [r[0] for r in rows if r and r[0] and r[0].startswith("Presupuesto ")]
    assert descriptions == [f"Presupuesto {n} {k}" for n in ("nacional", "regional") for k in range(1, 7)]
    text = pdf_text(content)
    assert "Total del plan S/ 36,004.00" in text
    assert "No se ha determinado" in text


def test_level_filter_gives_the_same_lines_in_page_pdf_and_excel(planner, rp):
    q = "?nivel=GR"
    page = [r[0] for r in html_rows(planner.get(url(rp.plan, q)).content, "presupuesto")]
    pdf = [r[0] for r in pdf_table_rows(planner.get(url(rp.plan, q + "&formato=pdf")).content)
           if r and r[0] and r[0] not in ("Actividad",) and len(r) == 8]
    excel = [r[0] for r in xlsx_rows(planner.get(url(rp.plan, q + "&formato=xlsx")).content, SHEET)]
    assert page == pdf == excel
    assert "Presupuesto regional 1" in page and not any("nacional" in x for x in page)
    assert page[-1] == "Total del plan"
    assert "Total Gobierno Regional (1 actividad «No se ha determinado», no suman)" in page


def test_entity_filter_and_unknown_level(planner, rp):
    response = planner.get(url(rp.plan, f"?entidad={rp.nacional.codigo}&formato=xlsx"))
    assert {r[1] for r in xlsx_rows(response.content, SHEET) if r[1]} == {"Gobierno Nacional"}
    bad = planner.get(url(rp.plan, "?nivel=GX"))
    assert bad.status_code == 400 and "«GX» no existe" in bad.content.decode()


def test_budget_costs_the_same_queries_for_a_small_and_a_large_plan(django_assert_num_queries):
    small, large = make_report_plan(1).plan, make_report_plan(6).plan
    with django_assert_num_queries(5):
        s = reports.presupuesto(plan=small)
    with django_assert_num_queries(5):
        lg = reports.presupuesto(plan=large)
    assert len(lg.lineas) == 6 * len(s.lineas)


@pytest.mark.parametrize("formato", ["", "pdf", "xlsx"])
def test_budget_page_and_exports_cost_the_same_queries(formato, planner, django_assert_num_queries, pdf_layout_skipped):
    # PDF: everything up to the PDF's HTML runs; WeasyPrint's layout (no queries) is skipped
    small, large = make_report_plan(1).plan, make_report_plan(4).plan
    q = f"?formato={formato}" if formato else ""
    for plan in (small, large):
        # session, user, groups, plan, participants, the report's 5; the page also the navigation
        with django_assert_num_queries(10 + (0 if formato else NAVEGACION_PLANIFICADOR)):
            assert planner.get(url(plan, q)).status_code == 200
    assert len(pdf_layout_skipped) == (2 if formato == "pdf" else 0)
