"""What makes the PDFs faster (issue 13, item 2, `amc.reports.html_to_pdf`) leaves them whole:
lists keep their numbers and bullets with WeasyPrint's user-agent stylesheet trimmed, a long
word in a narrow column of a fixed-layout table wraps inside its column, and Python's garbage
collector, paused while a PDF is made, is running again afterwards, also when the PDF failed.
The seed document itself: tests/documento/test_documento_pdf_semilla.py."""
import gc
import io
import zlib

import pdfplumber
import pytest
from pypdf import PdfReader

from amc import reports
from amc.reports import html_to_pdf
from tests.report_helpers import norm, pdf_text, pdf_text_across_lines

PAGE = """<!DOCTYPE html><html lang="es-PE"><head><meta charset="utf-8"><title>Prueba</title>
<style>@page {{ size: A4 portrait; }} {css}</style></head><body>{body}</body></html>"""


def pdf(body: str) -> bytes:
    return html_to_pdf(PAGE.format(css=reports.print_css(), body=body))


def test_weasyprint_still_holds_the_user_agent_rules_the_reports_leave_out():
    # None: this WeasyPrint's stylesheet changed, the reports get WeasyPrint's own (slower,
    # not wrong); look at UA_SIN_USO / UA_MARCADOR again.
    sheet = reports.ua_stylesheet_reports()
    assert sheet is not None
    assert reports._report_html_class()(string="<p>x</p>")._ua_stylesheets() == [sheet]


def test_lists_keep_their_numbers_and_bullets():
    text = norm(pdf_text(pdf("<ol><li>Primero</li><li>Segundo</li></ol><ul><li>Viñeta</li></ul>"
                             "<ol class='doc-list'><li>Tercero</li></ol>")))
    assert "1. Primero 2. Segundo • Viñeta 1. Tercero" in text


def test_a_long_word_in_a_narrow_column_of_a_fixed_table_wraps_inside_its_column():
    content = pdf('<table class="report fija"><colgroup><col class="w-5"><col class="w-95"></colgroup>'
                  "<thead><tr><th>Nº</th><th>Texto</th></tr></thead><tbody><tr><td>Institucionalización</td>"
                  "<td>Descentralización de competencias</td></tr></tbody></table>")
    assert pdf_text_across_lines(content) == []
    with pdfplumber.open(io.BytesIO(content)) as doc:
        page = doc.pages[0]
        left, line = sorted({round(e["x0"], 1) for e in page.vertical_edges})[:2]  # the first column
        column = page.crop((left, 0, line, page.height)).extract_text()
        rest = norm(page.crop((line, 0, page.width, page.height)).extract_text())
    assert column.replace("\n", "") == "NºInstitucionalización"  # every letter, in its column
    assert len(column.splitlines()) > 2
    assert rest.startswith("Texto Descentralización de competencias")


def test_the_garbage_collector_runs_again_after_a_pdf_even_one_that_failed(monkeypatch):
    assert gc.isenabled()
    pdf("<p>Texto</p>")
    assert gc.isenabled()

    def falla(html):
        assert not gc.isenabled()  # paused while the PDF is made
        raise RuntimeError("WeasyPrint falló")

    monkeypatch.setattr(reports, "weasyprint_html", falla)
    with pytest.raises(RuntimeError):
        pdf("<p>Texto</p>")
    assert gc.isenabled()


def _deflate(data: bytes, level: int) -> bytes:
    compressor = zlib.compressobj(level)
    return compressor.compress(data) + compressor.flush()


def _page_stream(content: bytes) -> bytes:
    """The first page's content stream as written in the file (still deflated)."""
    page = PdfReader(io.BytesIO(content)).pages[0]
    contents = page["/Contents"].get_object()
    return contents._data


def test_the_pdf_streams_are_deflated_at_level_6_only_by_html_to_pdf(monkeypatch):
    from weasyprint import HTML

    raw = _page_stream(pdf("<p>Texto del informe</p>"))
    assert raw == _deflate(zlib.decompress(raw), reports.PDF_ZLIB_LEVEL)
    assert reports._nivel_zlib.get() is None  # back to pydyf's own level
    # WeasyPrint outside html_to_pdf (the benchmark's before-document) keeps pydyf's 9.
    raw = _page_stream(HTML(string=PAGE.format(css="", body="<p>Texto del informe</p>")).write_pdf())
    assert raw == _deflate(zlib.decompress(raw), 9)

    monkeypatch.setattr(reports, "weasyprint_html", lambda html: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        pdf("<p>Texto</p>")
    assert reports._nivel_zlib.get() is None
