"""Excel workbooks people can work with: the writer every report's `xlsx(data, workbook)` uses.

One sheet per table. Each sheet starts with three heading lines (report title, plan title,
filters and date of issue), then the column header: bold, filled, wrapped and frozen, so it
stays on screen while scrolling and is repeated when the sheet is printed. Below it the rows:

- text is wrapped and top-aligned; amounts are real numbers with the format `#,##0.00`
  (never "S/ 1,234.50" as text: people add them up); a cell of an amount column may hold a
  text instead ("No se ha determinado"), which is written as text;
- grouped rows (a problem spanning its causes) are merged vertically, as the document draws
  them (`SheetWriter.merge_down`);
- totals are values, not formulas: openpyxl does not compute formulas, and a file read
  back (by a test or another program) must hold the number.

Formula injection: text that starts with `=`, `+`, `-`, `@` (or a tab / carriage return) is
written as a *string cell* (`t="s"`, a shared string, which Excel and LibreOffice never
evaluate) with the `quotePrefix` style, which is exactly what Excel stores when a person types
`'=...`: the cell stays text even when someone edits it later. The text itself is kept as
written (a cause that starts with "- " keeps its dash: prefixing an apostrophe would change
what people read). See `set_text`.

Usage (inside a report's xlsx function)::

    def matriz_logica_xlsx(data, workbook):
        sheet = workbook.sheet("Matriz lógica GN", [
            Column("Objetivos", 60), Column("Indicadores", 50), Column("Medios de verificación", 25),
        ])
        first = sheet.row(["Resultado final", "", ""], style="section")
        ...
        sheet.merge_down(1, first, last)

`workbook` is the `ReportWorkbook` that `amc.reports.render_report` hands in; it knows the
report title, the plan, the filters and the date of issue, and writes them on every sheet.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

MONEY_FORMAT = "#,##0.00"
NUMBER_FORMAT = "#,##0.00"
INTEGER_FORMAT = "0"
DATE_FORMAT = "DD/MM/YYYY"

#: Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")

KINDS = ("text", "money", "number", "integer", "date")


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its header, width (in characters) and kind of value.

    kind: "text" (wrapped), "money" / "number" (`#,##0.00`, right-aligned), "integer",
    "date" (`DD/MM/YYYY`)."""

    header: str
    width: float = 20
    kind: str = "text"

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Tipo de columna desconocido: {self.kind!r} (use uno de {KINDS}).")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def clean_text(text: str) -> str:
    """Text openpyxl can store: control characters (from pasted documents) removed."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def set_text(cell, text: str) -> None:
    """Write `text` so that no spreadsheet runs it as a formula (see the module docstring)."""
    text = clean_text(str(text))
    cell.value = text
    if text and is_formula_like(text):
        cell.data_type = "s"  # openpyxl would have made "=..." a formula
        cell.quotePrefix = True


def sheet_title(title: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique sheet name: no []:*?/\\, at most 31 characters."""
    base = _SHEET_TITLE_BAD.sub(" ", title).strip()[:31] or "Hoja"
    taken_lower = {t.lower() for t in taken}
    name, n = base, 2
    while name.lower() in taken_lower:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    return name


class Styles:
    """The few style objects a workbook uses, built once (openpyxl indexes each distinct
    style; building them per cell is what makes naive writers slow)."""

    def __init__(self):
        thin = Side(style="thin", color="A6B3C0")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title_font = Font(name="Calibri", size=13, bold=True)
        self.subtitle_font = Font(name="Calibri", size=10, italic=True, color="4A5866")
        self.header_font = Font(name="Calibri", size=10, bold=True)
        self.header_fill = PatternFill("solid", fgColor="E4EAF0")
        self.section_fill = PatternFill("solid", fgColor="F2F4F6")
        self.body_font = Font(name="Calibri", size=10)
        self.bold_font = Font(name="Calibri", size=10, bold=True)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.wrap_indent = Alignment(wrap_text=True, vertical="top", indent=2)
        self.number = Alignment(horizontal="right", vertical="top")
        self.header_alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")


ROW_STYLES = ("normal", "bold", "section", "total", "sub")


class SheetWriter:
    """Writes one table on one sheet: heading lines, the frozen bold header, rows, merges."""

    def __init__(self, ws, columns: Sequence[Column], styles: Styles, *, heading: Sequence[str] = ()):
        self.ws = ws
        self.columns = list(columns)
        self.styles = styles
        self.next_row = 1
        for i, line in enumerate(heading):
            cell = ws.cell(row=self.next_row, column=1)
            set_text(cell, line)
            cell.font = styles.title_font if i == 0 else styles.subtitle_font
            self.next_row += 1
        self.header_row = self.next_row
        for col, column in enumerate(self.columns, start=1):
            cell = ws.cell(row=self.header_row, column=col)
            set_text(cell, column.header)
            cell.font = styles.header_font
            cell.fill = styles.header_fill
            cell.alignment = styles.header_alignment
            cell.border = styles.border
            ws.column_dimensions[get_column_letter(col)].width = column.width
        self.next_row = self.header_row + 1
        ws.freeze_panes = ws.cell(row=self.next_row, column=1)
        ws.print_title_rows = f"{self.header_row}:{self.header_row}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    def row(self, values: Sequence[Any], *, style: str = "normal") -> int:
        """Write one row; returns its row number. `values` line up with the columns; a value
        may be None (empty), a number or Decimal (in number columns), a date, or text.
        style: "normal", "bold", "section" (a heading row, e.g. RESULTADO FINAL), "total",
        "sub" (an indented sub-line, e.g. a cost sub-line)."""
        if len(values) > len(self.columns):
            raise ValueError(f"Fila con {len(values)} valores para {len(self.columns)} columnas.")
        st = self.styles
        r = self.next_row
        ws = self.ws
        font = st.bold_font if style in ("bold", "section", "total") else st.body_font
        fill = st.section_fill if style in ("section", "total") else None
        for col, (column, value) in enumerate(zip(self.columns, values), start=1):
            cell = ws.cell(row=r, column=col)
            kind = column.kind
            if value is None or value == "":
                pass
            elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and kind != "text":
                cell.value = value
                cell.number_format = INTEGER_FORMAT if kind == "integer" else MONEY_FORMAT
            elif isinstance(value, (dt.date, dt.datetime)):
                cell.value = value
                cell.number_format = DATE_FORMAT
            else:
                set_text(cell, value)
            cell.font = font
            cell.border = st.border
            if kind in ("money", "number", "integer"):
                cell.alignment = st.number
            elif style == "sub" and col == 1:
                cell.alignment = st.wrap_indent
            else:
                cell.alignment = st.wrap
            if fill is not None:
                cell.fill = fill
        # Columns past the values still get the grid, so merged blocks look whole.
        for col in range(len(values) + 1, len(self.columns) + 1):
            cell = ws.cell(row=r, column=col)
            cell.border = st.border
            if fill is not None:
                cell.fill = fill
        self.next_row += 1
        return r

    def rows(self, rows: Iterable[Sequence[Any]], *, style: str = "normal") -> tuple[int, int]:
        """Write several rows; returns (first, last) row numbers."""
        first = self.next_row
        for values in rows:
            self.row(values, style=style)
        return first, self.next_row - 1

    def merge_down(self, column: int, first_row: int, last_row: int) -> None:
        """Merge a column over rows first..last (a group spanning its members); the value
        stays in the first row, top-aligned."""
        if last_row > first_row:
            self.ws.merge_cells(start_row=first_row, start_column=column, end_row=last_row, end_column=column)

    def merge_across(self, row: int, first_column: int, last_column: int) -> None:
        """Merge a row over columns first..last (a section heading spanning the table)."""
        if last_column > first_column:
            self.ws.merge_cells(start_row=row, start_column=first_column, end_row=row, end_column=last_column)

    def section(self, label: str) -> int:
        """A heading row spanning the whole table (e.g. "RESULTADO FINAL")."""
        r = self.row([label], style="section")
        self.merge_across(r, 1, len(self.columns))
        return r

    def note(self, text: str) -> int:
        """A line of plain text after the table (a note on the source), spanning the table."""
        r = self.next_row
        cell = self.ws.cell(row=r, column=1)
        set_text(cell, text)
        cell.font = self.styles.subtitle_font
        cell.alignment = self.styles.wrap
        self.merge_across(r, 1, len(self.columns))
        self.next_row += 1
        return r

    def skip(self, n: int = 1) -> None:
        self.next_row += n


class ExcelWorkbook:
    """An openpyxl workbook with the report's heading on every sheet."""

    def __init__(self, *, heading: Sequence[str] = (), properties: dict | None = None):
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.styles = Styles()
        self.heading = list(heading)
        for key, value in (properties or {}).items():
            setattr(self.wb.properties, key, value)

    def sheet(self, title: str, columns: Sequence[Column], *, heading: Sequence[str] | None = None) -> SheetWriter:
        """A new sheet for one table. `heading` defaults to the workbook's heading lines, with
        the sheet's own title first."""
        name = sheet_title(title, self.wb.sheetnames)
        ws = self.wb.create_sheet(name)
        lines = list(heading) if heading is not None else [title, *self.heading]
        return SheetWriter(ws, columns, self.styles, heading=lines)

    def to_bytes(self) -> bytes:
        if not self.wb.sheetnames:
            self.wb.create_sheet("Informe")
        buffer = io.BytesIO()
        self.wb.save(buffer)
        return buffer.getvalue()
