"""The seed plan's reports read back (PDF text and tables, Excel cells, page rows) and
compared with what the seed document prints: the four problems, the causes of each entity,
the rows of the logical matrices 13.1 and 13.2."""
from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import seed_document as seed
from tests.report_helpers import html_rows, norm, pdf_table_rows, pdf_text, xlsx_header, xlsx_rows, cliente_de_la_semilla

pytestmark = pytest.mark.django_db

REPORTS = {
    "causal": ("reporte_analisis_causal", ""),
    "ml-GN": ("reporte_matriz_logica", "?nivel=GN"),
    "ml-GR": ("reporte_matriz_logica", "?nivel=GR"),
}


@pytest.fixture(scope="module")
def files(django_db_setup, django_db_blocker):
    """The seed plan's reports, rendered once per format for the module."""
    with cliente_de_la_semilla(django_db_blocker, "t-seed-matrices") as (client, plan):
        out = {}
        for key, (name, query) in REPORTS.items():
            base = reverse(name, args=[plan.pk]) + query
            sep = "&" if query else "?"
            out[key] = {"html": client.get(base).content,
                        **{fmt: client.get(f"{base}{sep}formato={fmt}").content for fmt in ("pdf", "xlsx")}}
        yield out


def _problem_cells(rows):
    return [r[0] for r in rows if r and r[0] and r[0][:2] in ("1.", "2.", "3.", "4.")]


def test_the_four_problems_are_in_the_page_the_pdf_and_excel(files):
    expected = [f"{p.numero}. {norm(p.enunciado).rstrip('.')}" for p in seed.causal_table()]
    assert len(expected) == 4
    for rows in (html_rows(files["causal"]["html"], "analisis-causal"), pdf_table_rows(files["causal"]["pdf"]),
                 xlsx_rows(files["causal"]["xlsx"], "7 Análisis causal")):
        # the PDF names each problem in its table's header, repeated on every page it continues on
        found = list(dict.fromkeys(norm(c).rstrip(".") for c in _problem_cells(rows)))
        assert found == expected


CAUSA = re.compile(r"^[a-zñ]\. ")


def _cells_by_column(rows, n_columns=3, continued=False):
    """Cause cells of the MTPE and DRTPE columns, in order. `continued`: a workbook's cell too
    long for one row goes on in the rows below (amc.excel); a piece that does not start a cause
    («a. …») is joined to the cell above it."""
    mtpe, drtpe = [], []
    for r in rows:
        if len(r) == n_columns - 1:  # a page row under the problem's rowspan, or the PDF's (problem in the header)
            r = [None, *r]
        if len(r) != n_columns or r[1] in ("MTPE", "Análisis causal") or r[0] == "Problemas":
            continue
        if r[0] is None and r[1] and r[1][:2] in ("1.", "2.", "3.", "4.") and r[2] is None:
            continue  # the PDF's header row naming the problem
        for cells, value in ((mtpe, r[1]), (drtpe, r[2])):
            if not value:
                continue
            if continued and cells and not CAUSA.match(norm(value)):
                cells[-1] = norm(f"{cells[-1]} {value}")
            else:
                cells.append(norm(value))
    return {"MTPE": mtpe, "DRTPE": drtpe}


def test_the_causes_of_each_entity_are_those_the_document_prints(files):
    expected = {"MTPE": [], "DRTPE": []}
    for p in seed.causal_table():
        for entity in expected:
            expected[entity] += [f"{letra}. {norm(texto)}" for letra, texto in p.causas[entity]]
    assert len(expected["MTPE"]) == 26 and len(expected["DRTPE"]) == 24

    assert xlsx_header(files["causal"]["xlsx"], "7 Análisis causal") == ["Problema", "MTPE", "DRTPE Puno"]
    for source, rows in (("pdf", pdf_table_rows(files["causal"]["pdf"])),
                         ("xlsx", [[norm(c) if c else c for c in r] for r in xlsx_rows(files["causal"]["xlsx"], "7 Análisis causal")]),
                         ("html", html_rows(files["causal"]["html"], "analisis-causal"))):
        found = _cells_by_column(rows, continued=source == "xlsx")
        for entity in ("MTPE", "DRTPE"):
            assert len(found[entity]) == len(expected[entity]), (source, entity)
            for cell, cause in zip(found[entity], expected[entity]):
                # a cell starts with its cause; the sub-points of 1.b follow it
                assert cell.startswith(cause), (source, entity, cause)


def _matrix_rows_from_pdf(content):
    rows = []
    for r in pdf_table_rows(content):
        if len(r) != 3 or r[0] == "Objetivos":
            continue
        if r[0] and r[0].upper() in seed.BLOCKS and not r[1]:
            rows.append(("BLOQUE", r[0].upper(), ""))
            continue
        rows.append((r[0], r[1] or "", r[2] or ""))
    return rows


def _expected_matrix(numero):
    out = []
    for block, rows in seed.logical_matrix(numero).items():
        out.append(("BLOQUE", block, ""))
        for objetivo, indicador, medio in rows:
            # A row without indicator has no means of verification in the data (see the note
            # on 13.2: «Medio de verificación sin indicador»).
            out.append((norm(objetivo), norm(indicador), norm(medio) if indicador else ""))
    return out


@pytest.mark.parametrize("nivel,numero,sheet", [("GN", "13.1", "13.1 Matriz lógica GN"), ("GR", "13.2", "13.2 Matriz lógica GR")])
def test_logical_matrix_rows_per_level_are_the_documents(files, nivel, numero, sheet):
    expected = _expected_matrix(numero)
    n_activities = len(seed.logical_matrix(numero)["ACTIVIDADES"])
    assert n_activities == {"13.1": 37, "13.2": 19}[numero]

    pdf = _matrix_rows_from_pdf(files[f"ml-{nivel}"]["pdf"])
    assert [(o or "", i, m) for o, i, m in pdf] == expected

    excel = []
    for r in xlsx_rows(files[f"ml-{nivel}"]["xlsx"], sheet):
        o, i, m = (norm(c) for c in r[:3])
        excel.append(("BLOQUE", o, "") if o in seed.BLOCKS and not i else (o, i, m))
    assert excel == expected

    page = []
    for r in html_rows(files[f"ml-{nivel}"]["html"], f"matriz-logica-{nivel}"):
        if len(r) == 1:
            page.append(("BLOQUE", r[0].upper(), ""))
        else:
            page.append(tuple(r))
    assert page == expected

    text = pdf_text(files[f"ml-{nivel}"]["pdf"])
    assert f"{numero} Matriz lógica Gobierno {'Nacional' if nivel == 'GN' else 'Regional'}" in text
    if numero == "13.2":
        assert "Medio de verificación sin indicador" in text  # the note that explains the one difference
