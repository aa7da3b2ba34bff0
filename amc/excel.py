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
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, BUILTIN_FORMATS_REVERSE
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


def set_text(cell, text: str) -> bool:
    """Write `text` so that no spreadsheet runs it as a formula (see the module docstring).
    Returns whether the text needed the guard."""
    text = clean_text(str(text))
    cell.value = text
    if text and is_formula_like(text):
        cell.data_type = "s"  # openpyxl would have made "=..." a formula
        cell.quotePrefix = True
        return True
    return False


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
    """The few style objects a workbook uses, built once, and the cell style of each
    combination (font, fill, alignment, number format, quote prefix) registered once.

    Why: openpyxl's `cell.font = ...` hashes the whole Font (and Border, with its Sides) to
    find it in the workbook's style list, for every cell; that was most of the time of a
    report's Excel file. `cell_style()` does that once per combination and cells get a copy
    of the resulting style array (openpyxl's own per-cell representation, pinned version)."""

    def __init__(self):
        self._arrays: dict[tuple, StyleArray] = {}
        self.wb = None
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

    def bind(self, wb) -> None:
        self.wb = wb

    def cell_style(self, font, fill=None, alignment=None, number_format: str = "General", quote: bool = False,
                   border: bool = True) -> StyleArray:
        """The style array of a combination, registered in the workbook once."""
        key = (id(font), id(fill), id(alignment), number_format, quote, border)
        arr = self._arrays.get(key)
        if arr is None:
            wb = self.wb
            arr = StyleArray()
            arr.fontId = wb._fonts.add(font)
            if fill is not None:
                arr.fillId = wb._fills.add(fill)
            if border:
                arr.borderId = wb._borders.add(self.border)
            if alignment is not None:
                arr.alignmentId = wb._alignments.add(alignment)
            if number_format in BUILTIN_FORMATS_REVERSE:
                arr.numFmtId = BUILTIN_FORMATS_REVERSE[number_format]
            else:
                arr.numFmtId = wb._number_formats.add(number_format) + BUILTIN_FORMATS_MAX_SIZE
            arr.quotePrefix = int(quote)
            self._arrays[key] = arr
        return arr

    def apply(self, cell, *args, **kwargs) -> None:
        cell._style = StyleArray(self.cell_style(*args, **kwargs))


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
            quote = set_text(cell, line)
            styles.apply(cell, styles.title_font if i == 0 else styles.subtitle_font, quote=quote, border=False)
            self.next_row += 1
        self.header_row = self.next_row
        for col, column in enumerate(self.columns, start=1):
            cell = ws.cell(row=self.header_row, column=col)
            quote = set_text(cell, column.header)
            styles.apply(cell, styles.header_font, styles.header_fill, styles.header_alignment, quote=quote)
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
        for col, column in enumerate(self.columns, start=1):
            value = values[col - 1] if col <= len(values) else None
            cell = ws.cell(row=r, column=col)
            kind = column.kind
            number_format = "General"
            quote = False
            if value is None or value == "":
                pass
            elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and kind != "text":
                cell.value = value
                number_format = INTEGER_FORMAT if kind == "integer" else MONEY_FORMAT
            elif isinstance(value, (dt.date, dt.datetime)):
                cell.value = value
                number_format = DATE_FORMAT
            else:
                text = clean_text(str(value))
                cell.value = text
                if is_formula_like(text):
                    cell.data_type = "s"  # openpyxl would have made "=..." a formula
                    quote = True
            if col > len(values):
                alignment = None  # the grid only, so merged blocks look whole
            elif kind in ("money", "number", "integer"):
                alignment = st.number
            elif style == "sub" and col == 1:
                alignment = st.wrap_indent
            else:
                alignment = st.wrap
            st.apply(cell, font if col <= len(values) else st.body_font, fill, alignment, number_format, quote)
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
        quote = set_text(cell, text)
        self.styles.apply(cell, self.styles.subtitle_font, None, self.styles.wrap, quote=quote, border=False)
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
        self.styles.bind(self.wb)
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
