"""Issue 4's journey: a planner opens the national logical matrix of the seed plan from the
plan's overview, downloads its PDF and its Excel file, and both open and hold the rows the
page shows."""
from pathlib import Path

import pytest

from amc.access import Rol
from tests import factories as f
from tests.browser.conftest import login
from tests.report_helpers import html_rows, norm, pdf_table_rows, xlsx_rows

pytestmark = pytest.mark.django_db(transaction=True)


def test_planner_downloads_the_national_logical_matrix_as_pdf_and_excel(page, mtpe, seed_plan):
    f.make_user(Rol.PLANIFICADOR, mtpe, username="planificador-nav")
    login(page, "planificador-nav", f.PASSWORD)

    page.goto(f"/planes/{seed_plan.pk}/")
    page.locator("#informes").get_by_role("link", name="Matriz lógica Gobierno Nacional").click()
    page.wait_for_url(f"**/planes/{seed_plan.pk}/matriz-logica/?nivel=GN")
    assert page.get_by_role("heading", name="13.1 Matriz lógica Gobierno Nacional").is_visible()
    table = page.locator("#matriz-logica-GN")
    assert table.is_visible()
    shown = html_rows(table.evaluate("e => e.outerHTML"), "matriz-logica-GN")
    shown_indicators = [r[-2] for r in shown if len(r) >= 2 and r[-2]]
    shown_objectives = [r[0] for r in shown if len(r) == 3 and r[0]]
    assert len(shown_indicators) > 30

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Descargar PDF").click()
    pdf = pdf_download.value
    assert pdf.suggested_filename.startswith("mtpe-puno-2015_matriz-logica-GN_") and pdf.suggested_filename.endswith(".pdf")
    content = Path(pdf.path()).read_bytes()
    rows = [r for r in pdf_table_rows(content) if len(r) == 3 and r[0] != "Objetivos"]
    assert [r[1] for r in rows if r[1]] == shown_indicators
    # block headings (RESULTADO FINAL…) span the three columns: no indicator cell at all
    assert [r[0] for r in rows if r[0] and r[1] is not None] == shown_objectives

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Descargar Excel").click()
    xlsx = xlsx_download.value
    assert xlsx.suggested_filename.startswith("mtpe-puno-2015_matriz-logica-GN_") and xlsx.suggested_filename.endswith(".xlsx")
    cells = xlsx_rows(Path(xlsx.path()).read_bytes(), "13.1 Matriz lógica GN")
    assert [norm(r[1]) for r in cells if r[1]] == shown_indicators
    assert [norm(r[0]) for r in cells if r[0] and not (r[0].isupper() and r[1] is None)] == shown_objectives
