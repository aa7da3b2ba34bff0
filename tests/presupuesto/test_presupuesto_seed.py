"""The seed plan's budget (13.3) read back from the PDF, the Excel file and the page, and
compared with the table the seed document prints: every line, its sub-lines, "No se ha
determinado", and the totals per level and for the plan added up from the printed values."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from amc.formatting import NO_DETERMINADO, soles
from tests import seed_document as seed
from tests.report_helpers import html_rows, norm, pdf_table_rows, pdf_text, xlsx_rows, cliente_de_la_semilla

pytestmark = pytest.mark.django_db
SHEET = "13.3 Presupuesto"


@pytest.fixture(scope="module")
def files(django_db_setup, django_db_blocker):
    with cliente_de_la_semilla(django_db_blocker, "t-seed-presupuesto") as (client, plan):
        base = reverse("reporte_presupuesto", args=[plan.pk])
        out = {"html": client.get(base).content, "pdf": client.get(base + "?formato=pdf").content,
               "xlsx": client.get(base + "?formato=xlsx").content}
        yield out


def _printed(ln: seed.LineaSeed) -> str:
    """The last column as the report writes it: S/ amounts, «No se ha determinado», or «–»."""
    if ln.monto is not None:
        return norm(soles(ln.monto))
    if ln.total_nivel == NO_DETERMINADO:
        return NO_DETERMINADO
    return "–"


def test_every_budget_line_is_in_the_pdf_in_order_with_what_the_document_prints(files):
    lines = seed.budget_table()
    assert len(lines) == 55
    rows = [r for r in pdf_table_rows(files["pdf"]) if len(r) == 8 and r[0] != "Actividad"]
    line_rows = [r for r in rows if r[1] and r[1].startswith("Gobierno")]
    assert [r[0] for r in line_rows] == [norm(ln.descripcion) for ln in lines]
    assert [r[1] for r in line_rows] == [ln.nivel for ln in lines]
    assert [r[7] for r in line_rows] == [_printed(ln) for ln in lines]
    # the cost sub-lines follow their line, with their totals
    subs = [(r[0], r[5]) for r in rows if not r[1] and r[0] and not r[0].startswith("Total")]
    expected_subs = [(norm(c), norm(soles(t))) for ln in lines for c, t in ln.sublineas]
    assert subs == expected_subs and len(subs) == 9


def test_pdf_totals_per_level_and_plan_equal_the_documents_printed_values_added_up(files):
    totals = seed.budget_totals()
    text = pdf_text(files["pdf"])
    for level in ("Gobierno Nacional", "Gobierno Regional"):
        label = next(x for x in text.split("Total ")[1:] if x.startswith(level))
        assert norm(soles(totals[level])) in label.split("Total")[0]
    assert f"Total del plan {norm(soles(totals['plan']))}" in text
    assert totals["plan"] == totals["Gobierno Nacional"] + totals["Gobierno Regional"]


def test_excel_holds_every_line_as_numbers_and_the_same_totals(files):
    lines = seed.budget_table()
    rows = xlsx_rows(files["xlsx"], SHEET)
    line_rows = [r for r in rows if r[1] and str(r[1]).startswith("Gobierno")]
    assert [norm(r[0]) for r in line_rows] == [norm(ln.descripcion) for ln in lines]
    for r, ln in zip(line_rows, lines):
        if ln.monto is not None:
            assert Decimal(str(r[7])).quantize(Decimal("0.01")) == ln.monto
        else:
            assert r[7] == (NO_DETERMINADO if ln.total_nivel == NO_DETERMINADO else "–")
    totals = seed.budget_totals()
    by_label = {r[0].split(" (")[0]: r[7] for r in rows if r[0] and r[0].startswith("Total")}
    assert Decimal(str(by_label["Total Gobierno Nacional"])) == totals["Gobierno Nacional"]
    assert Decimal(str(by_label["Total Gobierno Regional"])) == totals["Gobierno Regional"]
    assert Decimal(str(by_label["Total del plan"])) == totals["plan"]
    summary = xlsx_rows(files["xlsx"], "13.3 Resumen por específica")
    assert Decimal(str(summary[-1][2])) == totals["plan"]


def test_page_shows_the_same_lines_and_total(files):
    rows = html_rows(files["html"], "presupuesto")
    line_rows = [r for r in rows if len(r) == 8 and r[1].startswith("Gobierno")]
    assert [r[7] for r in line_rows] == [_printed(ln) for ln in seed.budget_table()]
    assert rows[-1] == ["Total del plan", norm(soles(seed.budget_totals()["plan"]))]
