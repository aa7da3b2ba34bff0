"""Reading the chart back as a user would: the page's rows, the PDF's text and pages, the
Excel sheet's rows and fills."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import openpyxl
import pdfplumber

_WS = re.compile(r"\s+")


def norm(text) -> str:
    return _WS.sub(" ", str(text or "").replace("\u00a0", " ")).strip()


class _Filas(HTMLParser):
    """Rows of the chart's tables that are activities (`data-actividad`), as (id, cell texts)."""

    def __init__(self):
        super().__init__()
        self.filas: list[tuple[str, list[str], list[str]]] = []
        self.celda: list[str] | None = None
        self.clase = ""
        self.encabezados: list[str] = []
        self.en_th = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-actividad" in attrs:
            self.filas.append((attrs["data-actividad"], [], []))
        elif tag == "td" and self.filas and self.celda is None:
            self.celda, self.clase = [], attrs.get("class") or ""
        elif tag == "th" and "mes" in (attrs.get("class") or "").split():
            self.en_th = True
            self.encabezados.append("")

    def handle_endtag(self, tag):
        if tag == "td" and self.celda is not None:
            self.filas[-1][1].append(norm("".join(self.celda)))
            self.filas[-1][2].append(self.clase)
            self.celda = None
        elif tag == "th":
            self.en_th = False
        elif tag == "tr" and self.filas:
            pass

    def handle_data(self, data):
        if self.celda is not None:
            self.celda.append(data)
        elif self.en_th:
            self.encabezados[-1] += data.strip()


def html_gantt(content: bytes | str):
    """(rows, month headers): rows are (activity id, cell texts, cell classes)."""
    if isinstance(content, bytes):
        content = content.decode()
    p = _Filas()
    p.feed(content)
    return p.filas, p.encabezados


def pdf_pages(content: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def pdf_page_sizes(content: bytes) -> list[tuple[float, float]]:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return [(float(p.width), float(p.height)) for p in pdf.pages]


def xlsx(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def xlsx_table(ws):
    """(header row values, data rows) of a sheet written by amc.excel: the header is the row
    above the frozen pane."""
    header_row = ws[ws.freeze_panes].row - 1
    header = [c.value for c in ws[header_row]]
    rows = [list(r) for r in ws.iter_rows(min_row=header_row + 1)]
    return header, rows
