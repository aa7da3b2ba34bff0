"""Workbooks that print (issue 14, item 2): row heights from the text, long texts continued on
the next rows, print setup; and one report printed by LibreOffice and read back
(tests/libreoffice.py; every report: bench/xlsx_print_bench.py)."""
from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from amc import excel
from amc.excel import Column, ExcelWorkbook
from tests import libreoffice
from tests.report_helpers import norm

pytestmark = pytest.mark.django_db

PARRAFO = ("La implementación de la Determinación e Implementación de Acciones de Mejora Continua estará a cargo "
           "de los órganos del Ministerio de Trabajo y Promoción del Empleo y de la Dirección Regional de Puno. ")


def _book(columns, rows, **kw):
    book = ExcelWorkbook(heading=["Plan de prueba", "Emitido el 01/12/2026"], **kw)
    sheet = book.sheet("Textos", columns)
    for values in rows:
        sheet.row(values)
    ws = openpyxl.load_workbook(io.BytesIO(book.to_bytes()))["Textos"]
    return sheet, ws


def test_row_height_grows_with_the_text_and_shrinks_with_a_wider_column():
    _, ws = _book([Column("Sección", 20), Column("Texto", 40)], [["Corta", "Una línea."], ["Larga", PARRAFO * 3]])
    corta, larga = ws.row_dimensions[5].height, ws.row_dimensions[6].height
    assert corta == excel.row_height(1)
    lines = excel.wrapped_lines(PARRAFO * 3, 40)
    assert lines >= len(PARRAFO * 3) // 42 and larga == excel.row_height(lines)
    _, ancha = _book([Column("Sección", 20), Column("Texto", 120)], [["Larga", PARRAFO * 3]])
    assert ancha.row_dimensions[5].height < larga / 2
    # line breaks count: three short paragraphs are three lines
    _, ws = _book([Column("Texto", 60)], [["uno\ndos\ntres"]])
    assert ws.row_dimensions[5].height == excel.row_height(3)


def test_a_text_too_long_for_a_row_continues_on_the_next_rows_and_loses_nothing():
    texto = "\n".join(f"Párrafo {i}. " + PARRAFO * 4 for i in range(1, 13))  # 4,900 characters, as A.III's
    assert len(texto) > 4800
    sheet, ws = _book([Column("Sección", 20), Column("Texto", 120)], [["A.III", texto], ["A.IV", "Siguiente."]])
    rows = [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(sheet.first_data_row, ws.max_row + 1)]
    assert rows[0][0] == "A.III" and [r[0] for r in rows[1:-1]] == [None] * (len(rows) - 2)  # continued below it
    assert rows[-1] == ("A.IV", "Siguiente.")
    assert len(rows) > 3
    assert norm(" ".join(r[1] for r in rows[:-1])) == norm(texto)  # every word, in order
    assert all(r[1].startswith("Párrafo") for r in rows[:-1])  # cut between paragraphs
    heights = [ws.row_dimensions[r].height for r in range(sheet.first_data_row, ws.max_row)]
    assert max(heights) <= excel.MAX_ROW_HEIGHT
    # one paragraph longer than a row: cut between sentences, then words
    largo = " ".join(f"Oración {i} del párrafo largo con varias palabras." for i in range(200))
    sheet, ws = _book([Column("Texto", 30)], [[largo]])
    partes = [ws.cell(r, 1).value for r in range(sheet.first_data_row, ws.max_row + 1)]
    assert len(partes) > 1 and norm(" ".join(partes)) == largo
    assert all(p.startswith("Oración") for p in partes)


def test_print_setup_header_footer_titles_orientation_and_fit_to_width():
    _, ws = _book([Column("Texto", 40), Column("Otro", 30)], [["a", "b"]], print_header=["Roles", "Plan «A & B»"])
    assert ws.page_setup.orientation == "portrait" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$4:$4"  # the column header on every page
    assert ws.oddHeader.center.text == "Roles · Plan «A && B»"  # «&» starts a code in a header: doubled
    assert ws.oddFooter.right.text == "Página &P de &N" and ws.oddFooter.left.text == "Textos"
    _, ancha = _book([Column("Texto", 60), Column("Otro", 60)], [["a", "b"]])
    assert ancha.page_setup.orientation == "landscape"
    assert ancha.oddHeader.center.text == "Textos · Plan de prueba"  # without a report: the sheet's first two lines


def test_a_groups_label_fits_its_first_row():
    book = ExcelWorkbook()
    sheet = book.sheet("Grupos", [Column("Problema", 20), Column("Causa", 40)])
    first = sheet.row([PARRAFO, "a. corta"])
    last = sheet.row([None, "b. corta"])
    sheet.merge_down(1, first, last)
    ws = openpyxl.load_workbook(io.BytesIO(book.to_bytes()))["Grupos"]
    assert ws.row_dimensions[first].height == excel.row_height(excel.wrapped_lines(PARRAFO, 20)) > excel.row_height(1)
    assert ws.row_dimensions[last].height == excel.row_height(1)


def test_the_seed_plans_roles_workbook_prints_readable_pages_with_libreoffice(client, seed_plan, usuario_mtpe, settings):
    """The issue's example: the roles matrix printed as one page of overlapping text. Printed
    by LibreOffice now: several pages, no character drawn over another, every word of every
    cell on the pages, «Página N de M» on each."""
    settings.AMC_EXPORTACIONES_EN_SEGUNDO_PLANO = False
    client.force_login(usuario_mtpe)
    content = client.get(reverse("reporte_roles", args=[seed_plan.pk]) + "?formato=xlsx").content
    pdf = libreoffice.convert(content)
    printed = libreoffice.revisar(content, pdf)
    assert printed.paginas >= 3
    assert printed.solapes == []
    assert not printed.faltan
    assert printed.sin_numero == []
    assert re.search(rf"Página {printed.paginas} de {printed.paginas}", printed.textos[-1])
    assert "Precisar acciones de complementariedad entre SENEPE y ODES" in norm(" ".join(printed.textos))


def test_the_page_check_finds_overlapping_and_missing_text():
    """The check itself can fail: rows left at their default height overlap when printed,
    and a text in a row too short is not all printed."""
    book = ExcelWorkbook(heading=["Prueba"])
    sheet = book.sheet("Solape", [Column("Texto", 30), Column("Otro", 30)])
    for i in range(6):
        sheet.row([f"Fila {i}. " + PARRAFO, f"Otro {i}"])
    for r in range(sheet.first_data_row, sheet.next_row):
        sheet.ws.row_dimensions[r].height = None  # as a workbook without row heights
    content = book.to_bytes()
    printed = libreoffice.revisar(content, libreoffice.convert(content))
    assert printed.solapes or printed.faltan
