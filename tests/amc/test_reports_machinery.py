"""amc.reports / amc.excel: one data source, three renderers, checked by reading the files back."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pdfplumber
import pytest
from django.test import RequestFactory
from pdfminer.pdftypes import resolve1

from amc.excel import Column, ExcelWorkbook, sheet_title
from amc.reports import FilterField, render_report, report_filename
from tests import factories as f
from tests.report_helpers import SimpleTable, simple_table_xlsx, xlsx_groups

pytestmark = pytest.mark.django_db

COLUMNS = [Column("Concepto", 40), Column("Monto", 14, "money"), Column("Fecha", 12, "date")]


def _request(query: str = "", user=None):
    request = RequestFactory().get("/planes/1/ejemplo/" + query)
    if user is not None:
        request.user = user
    return request


def _table(plan, rows=None):
    rows = rows if rows is not None else [
        ["Especialista en gestión descentralizada", Decimal("1234.5"), dt.date(2015, 12, 31)],
        ["=HYPERLINK(\"http://malo\",\"clic\")", Decimal("20000"), None],
        ["- Sin monto: ítem con guion", None, None],
    ]
    return SimpleTable(plan=plan, columns=COLUMNS, rows=rows, title="Tabla de prueba")


def _render(plan, query="", **kw):
    kw.setdefault("filters", [FilterField("nivel", "Nivel de gobierno", [("GN", "Nacional"), ("GR", "Regional")], "GN")])
    return render_report(_request(query), data=_table(plan), template="reportes/_tabla.html", title="Informe de prueba",
                         filename="prueba", xlsx=simple_table_xlsx, **kw)


def pdf_text(content: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def test_page_shows_the_rows_amounts_and_links_to_both_files_with_the_same_filters():
    plan = f.make_plan(titulo="Plan de Puno 2015")
    response = _render(plan, "?nivel=GN")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Especialista en gestión descentralizada" in body
    assert "S/\u00a01,234.50" in body and "31/12/2015" in body
    assert "No se ha determinado" in body
    assert '?nivel=GN&amp;formato=pdf' in body and '?nivel=GN&amp;formato=xlsx' in body


def test_pdf_is_a4_landscape_with_title_date_and_page_numbers_on_every_page():
    plan = f.make_plan(titulo="Plan de Acciones de Mejora Continua de Puno")
    rows = [[f"Fila {i} con acentos: promoción, capacitación, niñez", Decimal(i), None] for i in range(1, 121)]
    response = render_report(_request("?formato=pdf"), data=_table(plan, rows), template="reportes/_tabla.html",
                             title="Informe largo", filename="largo", xlsx=simple_table_xlsx)
    assert response["Content-Type"] == "application/pdf"
    assert f"{plan.codigo}_largo_" in response["Content-Disposition"]
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        pages = pdf.pages
        assert len(pages) > 1
        width, height = pages[0].width, pages[0].height
        assert round(width) == 842 and round(height) == 595  # A4 landscape, in points
        texts = [p.extract_text() for p in pages]
    today = dt.date.today().strftime("%d/%m/%Y")
    for n, text in enumerate(texts, start=1):
        assert "Plan de Acciones de Mejora Continua de Puno" in text
        assert f"Emitido el {today}" in text or "Emitido el" in text
        assert f"Página {n} de {len(texts)}" in text
        assert "Concepto" in text and "Monto" in text  # header repeated on every page
    joined = "\n".join(texts)
    assert "Fila 120 con acentos: promoción, capacitación, niñez" in joined
    assert "S/\u00a0120.00" in joined or "S/ 120.00" in joined


def test_pdf_rows_are_not_split_across_pages():
    plan = f.make_plan()
    long_text = " ".join(["texto largo de una causa con muchas palabras"] * 12)
    rows = [[f"Fila {i:03d} {long_text} fin{i:03d}", Decimal(i), None] for i in range(1, 40)]
    response = render_report(_request("?formato=pdf"), data=_table(plan, rows), template="reportes/_tabla.html",
                             title="Filas", filename="filas", xlsx=simple_table_xlsx)
    for text in pdf_text(response.content):
        for i in range(1, 40):
            # the start and the end of a row are on the same page, or neither is
            assert (f"Fila {i:03d}" in text) == (f"fin{i:03d}" in text)


def test_pdf_embeds_its_fonts():
    plan = f.make_plan()
    response = _render(plan, "?formato=pdf")
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        fonts = resolve1(resolve1(pdf.pages[0].page_obj.resources)["Font"])
        embedded = []
        for ref in fonts.values():
            font = resolve1(ref)
            if "DescendantFonts" in font:
                font = resolve1(resolve1(font["DescendantFonts"])[0])
            descriptor = resolve1(font["FontDescriptor"])
            embedded.append(any(k in descriptor for k in ("FontFile", "FontFile2", "FontFile3")))
            assert "DejaVu" in str(font.get("BaseFont")) or "Liberation" in str(font.get("BaseFont"))
        assert embedded and all(embedded)


def test_portrait_orientation():
    plan = f.make_plan()
    response = _render(plan, "?formato=pdf", orientation="portrait")
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        assert round(pdf.pages[0].width) == 595 and round(pdf.pages[0].height) == 842


def test_excel_has_a_bold_frozen_header_widths_number_formats_and_real_numbers():
    plan = f.make_plan(titulo="Plan de Puno 2015")
    response = _render(plan, "?formato=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"{plan.codigo}_prueba_{dt.date.today():%Y-%m-%d}.xlsx" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb["Tabla de prueba"]
    assert ws["A1"].value == "Tabla de prueba"
    assert ws["A2"].value == "Plan de Puno 2015"
    assert "Nivel de gobierno: Nacional" in ws["A3"].value and "Emitido el" in ws["A3"].value
    assert [c.value for c in ws[4]] == ["Concepto", "Monto", "Fecha"]
    assert all(c.font.bold for c in ws[4])
    assert ws.freeze_panes == "A5"
    assert ws.column_dimensions["A"].width == 40
    amount = ws["B5"]
    assert amount.value == 1234.5 and amount.data_type == "n" and amount.number_format == "#,##0.00"
    assert ws["C5"].value == dt.datetime(2015, 12, 31) and ws["C5"].number_format == "DD/MM/YYYY"
    assert ws["A5"].alignment.wrap_text


def test_excel_text_that_looks_like_a_formula_is_stored_as_text_and_kept_as_written():
    plan = f.make_plan()
    response = _render(plan, "?formato=xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb["Tabla de prueba"]
    formula_like = ws["A6"]
    assert formula_like.value == '=HYPERLINK("http://malo","clic")'
    assert formula_like.data_type == "s" and formula_like.quotePrefix
    dash = ws["A7"]
    assert dash.value == "- Sin monto: ítem con guion" and dash.data_type == "s" and dash.quotePrefix
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode()  # no formula anywhere


def test_excel_guard_covers_every_trigger():
    book = ExcelWorkbook()
    sheet = book.sheet("Guardia", [Column("Texto")])
    texts = ["=1+1", "+1", "-1", "@SUMA(A1)", "\t=1", "\r=1", "normal"]
    for t in texts:
        sheet.row([t])
    ws = openpyxl.load_workbook(io.BytesIO(book.to_bytes()))["Guardia"]
    cells = [ws.cell(row=sheet.first_data_row + i, column=1) for i in range(len(texts))]
    assert [c.data_type for c in cells] == ["s"] * len(texts)
    assert [bool(c.quotePrefix) for c in cells] == [True] * 6 + [False]


def test_excel_groups_rows_without_merging_them():
    book = ExcelWorkbook()
    sheet = book.sheet("Grupos", [Column("Problema"), Column("Causa")])
    first = sheet.row(["1. Problema", "a. causa"])
    last = sheet.row(["", "b. causa"])
    sheet.merge_down(1, first, last)
    ws = openpyxl.load_workbook(io.BytesIO(book.to_bytes()))["Grupos"]
    # one block: the label in the first row, the cell below empty, no line between them; not a
    # merged cell (LibreOffice draws a merged block cut by a page break over the next page's header)
    assert xlsx_groups(ws) == {f"A{first}:A{last}"} and not [r for r in ws.merged_cells.ranges if r.min_row >= first]
    assert ws.cell(first, 1).value == "1. Problema" and ws.cell(last, 1).value is None
    assert getattr(ws.cell(first, 1).border.bottom, "style", None) is None
    assert getattr(ws.cell(last, 1).border.top, "style", None) is None
    assert ws.cell(first, 2).border.bottom.style == "thin"  # the other column keeps its grid


def test_sheet_titles_are_valid_and_unique():
    assert sheet_title("Matriz lógica: GN/GR [2015]") == "Matriz lógica  GN GR  2015"
    assert len(sheet_title("x" * 40)) == 31
    assert sheet_title("Roles", ["roles"]) == "Roles (2)"


def test_unknown_format_is_a_400_that_says_which_formats_exist():
    plan = f.make_plan()
    response = _render(plan, "?formato=docx")
    assert response.status_code == 400
    body = response.content.decode()
    assert "«docx» no existe" in body and "formato=pdf" in body and "formato=xlsx" in body


def test_filename_has_plan_code_and_date():
    plan = f.make_plan(codigo="drtpe-cusco-2016")
    assert report_filename(plan, "presupuesto", "pdf", dt.date(2016, 12, 31)) == "drtpe-cusco-2016_presupuesto_2016-12-31.pdf"


def test_every_pdf_is_tagged_and_the_archive_variant_is_pdfa_with_the_same_metadata():
    import pypdf

    plan = f.make_plan(titulo="Plan de Puno 2015")
    tagged = _render(plan, "?formato=pdf")
    archive = _render(plan, "?formato=pdfa")
    assert archive.status_code == 200 and archive["Content-Type"] == "application/pdf"
    assert "_prueba_pdfa_" in archive["Content-Disposition"]
    for response in (tagged, archive):
        reader = pypdf.PdfReader(io.BytesIO(response.content))
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"] == True  # noqa: E712
        meta = reader.metadata
        assert meta.title == "Informe de prueba · Plan de Puno 2015"
        assert meta.author == plan.entidad_responsable.nombre
        assert meta.subject == "Informe de prueba · Plan de Puno 2015 · Nivel de gobierno: Nacional"
        assert meta.creation_date is not None
    def xmp(response) -> str:
        stream = pypdf.PdfReader(io.BytesIO(response.content)).trailer["/Root"].get("/Metadata")
        return stream.get_object().get_data().decode() if stream is not None else ""

    assert 'pdfaid:part="2"' in xmp(archive) and 'pdfaid:conformance="A"' in xmp(archive)  # PDF/A-2a
    assert "pdfaid" not in xmp(tagged)
