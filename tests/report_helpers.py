"""Reading reports back as a user would: the rows of a page's table, of the PDF's tables and
of an Excel sheet, with whitespace normalised so the three can be compared."""
from __future__ import annotations

import io
import re
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Sequence

import openpyxl
import pdfplumber


@contextmanager
def cliente_de_la_semilla(django_db_blocker, username: str):
    """(client, plan): a test client logged in as a new MTPE planner `username`, and the seed plan,
    for a module-scoped fixture that renders the seed's reports once; what it writes is rolled
    back at the end."""
    from django.db import transaction
    from django.test import Client

    from amc.access import Rol
    from planes.models import Entidad, Plan
    from tests import factories as f

    with django_db_blocker.unblock(), transaction.atomic():
        plan = Plan.objects.get(codigo="mtpe-puno-2015")
        client = Client()
        client.force_login(f.make_user(Rol.PLANIFICADOR, Entidad.objects.get(codigo="mtpe"), username=username))
        yield client, plan
        transaction.set_rollback(True)


#: What the navigation costs an HTML page of a planner (none on a download): the unread notices and
#: the work queues' counts (`avisos.selectors.contadores`; with the tests' dummy cache the queues
#: are counted every time).
NAVEGACION_PLANIFICADOR = 2

_WS = re.compile(r"\s+")
# WeasyPrint may break a line right after a slash or hyphen ("G/" | "DRTPE"); reading the
# PDF back, that line break is not a space.
_BREAK_AFTER = re.compile(r"(\S[/\-])\n")


def norm(text) -> str:
    """Collapse whitespace (line breaks of wrapped PDF cells, non-breaking spaces)."""
    if text is None:
        return ""
    return _WS.sub(" ", str(text).replace("\u00a0", " ")).strip()


def pdf_pages(content: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def pdf_text(content: bytes) -> str:
    """All the PDF's text, whitespace-normalised."""
    return norm(" ".join(_BREAK_AFTER.sub(r"\1", page) for page in pdf_pages(content)))


def pdf_table_rows(content: bytes) -> list[list[str]]:
    """Rows of every table on every page (cells normalised; None for cells a group spans)."""
    rows: list[list[str]] = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                for row in table:
                    rows.append([norm(_BREAK_AFTER.sub(r"\1", c)) if c is not None else None for c in row])
    return rows


def xlsx_book(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def xlsx_header_row(ws) -> int:
    """The column header is the row above the frozen pane."""
    return ws[ws.freeze_panes].row - 1


def xlsx_rows(content: bytes, sheet: str) -> list[list]:
    """The table's rows on a sheet (after its header, up to the first empty row, after which
    only notes follow), cell values as stored."""
    ws = xlsx_book(content)[sheet]
    start = xlsx_header_row(ws) + 1
    rows = []
    for row in ws.iter_rows(min_row=start):
        values = [c.value for c in row]
        if all(v is None for v in values):
            break
        rows.append(values)
    return rows


def xlsx_header(content: bytes, sheet: str) -> list:
    ws = xlsx_book(content)[sheet]
    return [c.value for c in ws[xlsx_header_row(ws)]]


class _TableParser(HTMLParser):
    def __init__(self, table_id: str):
        super().__init__()
        self.table_id = table_id
        self.depth = 0  # >0 while inside the wanted table
        self.in_body = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            if self.depth or attrs.get("id") == self.table_id:
                self.depth += 1
        if not self.depth:
            return
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.rows.append([])
        elif tag in ("td", "th") and self.in_body:
            self.cell = []
        elif tag in ("li", "br") and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(norm("".join(self.cell)))
            self.cell = None
        elif tag == "tbody":
            self.in_body = False
        elif tag == "table":
            self.depth -= 1

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def html_rows(content: bytes | str, table_id: str) -> list[list[str]]:
    """The body rows of the page's table `table_id`, as cell texts (grouped cells appear once,
    in the first row of their group)."""
    if isinstance(content, bytes):
        content = content.decode()
    parser = _TableParser(table_id)
    parser.feed(content)
    return parser.rows


@dataclass
class SimpleTable:
    """A plain table (columns and rows) for exercising the report machinery: rendered by the
    test partial `tests/templates/reportes/_tabla.html` and by `simple_table_xlsx`."""

    plan: Any
    columns: Sequence  # amc.excel.Column
    rows: Sequence[Sequence[Any]]
    title: str = ""

    def body(self):
        """Rows as (value, kind) cells, for the template."""
        kinds = [c.kind for c in self.columns]
        return [list(zip(row, kinds)) for row in self.rows]


def simple_table_xlsx(data: SimpleTable, workbook) -> None:
    sheet = workbook.sheet(data.title or workbook.report.title, data.columns)
    for row in data.rows:
        sheet.row(row)


def _line(side) -> str | None:
    return side.style if side is not None else None


def xlsx_groups(ws) -> set[str]:
    """The grouped blocks of a sheet (amc.excel `merge_down`), as ranges «A5:A10»: a cell
    open below (its group's label) down to the cell open above it that closes the block."""
    groups, open_at = set(), {}
    for row in ws.iter_rows():
        for c in row:
            top, bottom = _line(c.border.top), _line(c.border.bottom)
            if top and not bottom:
                open_at[c.column_letter] = c.row
            elif bottom and not top and c.column_letter in open_at:
                groups.add(f"{c.column_letter}{open_at.pop(c.column_letter)}:{c.coordinate}")
    return groups


def pdf_text_across_lines(content: bytes) -> list[tuple[int, str, float]]:
    """Characters drawn across a vertical line of the PDF (a table's column border): a word
    too long for its column that ran into the next one. (page number, character, x of the
    line) for each; empty when every cell's text stays inside its column."""
    import bisect

    found = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            edges = sorted((e["x0"], e["top"], e["bottom"]) for e in page.vertical_edges)
            xs = [e[0] for e in edges]
            for c in page.chars:
                if not c["text"].strip():
                    continue
                middle = (c["top"] + c["bottom"]) / 2
                inside = edges[bisect.bisect_right(xs, c["x0"] + 0.5):bisect.bisect_left(xs, c["x1"] - 0.5)]
                found += [(number, c["text"], x) for x, top, bottom in inside if top < middle < bottom]
                if c["x0"] < 0 or c["x1"] > page.width:
                    found.append((number, c["text"], page.width))
    return found
