"""Excel workbooks people can work with: the writer every report's `xlsx(data, workbook)` uses.

One sheet per table. Each sheet starts with three heading lines (report title, plan title,
filters and date of issue), then the column header: bold, filled, wrapped and frozen, so it
stays on screen while scrolling and is repeated when the sheet is printed. Below it the rows:

- text is wrapped and top-aligned; amounts are real numbers with the format `#,##0.00`
  (never "S/ 1,234.50" as text: people add them up); a cell of an amount column may hold a
  text instead ("No se ha determinado"), which is written as text;
- grouped rows (a problem spanning its causes) read as one block, as the document draws
  them: the group's label in its first row, the cells below it empty, no lines inside the
  block (`SheetWriter.merge_down`). Not merged cells: LibreOffice prints a merged block that
  a page break cuts by drawing its text again over the next page's header;
- totals are values, not formulas: openpyxl does not compute formulas, and a file read
  back (by a test or another program) must hold the number.

Printing: every sheet prints on A4, landscape when the columns are wider than a portrait
page, fitted to the page's width, the column header repeated on every page, and a header
and footer with the report, the plan and «Página &P de &N». Row heights are set from the
text and the column widths (`layout`): Excel and LibreOffice do not grow a row for wrapped
text when a file is opened, so without them wrapped text overlaps when printed. A text too
long for one row (a row cannot be split across pages, and Excel caps it at 409 points) is
cut at paragraph, then sentence, then word boundaries and continued on the next rows, the
other columns of those rows empty (`SheetWriter.row`).

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


# --- layout: how much a text needs, in lines and points ---------------------------------------------

#: Characters of body text (10 pt) per unit of column width. A column's width is counted in
#: widths of the default font's «0»; body text is smaller, but the estimate stays on the safe
#: side for fonts wider than Calibri (LibreOffice without Calibri or Carlito substitutes
#: DejaVu Sans, about a sixth wider): a row a little too tall is readable, one too short is not.
CHARS_PER_WIDTH = 1.05
#: Points per line of 10 pt text, and the cell's padding.
LINE_HEIGHT = 13.0
ROW_PADDING = 4.0
#: The tallest row written: Excel's limit is 409 pt; a row must also fit on a printed page.
MAX_ROW_HEIGHT = 300.0
MAX_LINES = int((MAX_ROW_HEIGHT - ROW_PADDING) // LINE_HEIGHT)
HEADING_LINE_HEIGHT = 17.0
#: A4 portrait fits about this many width units at 100 %; wider tables print landscape.
PORTRAIT_WIDTH = 95


def wrapped_lines(text: str, width: float) -> int:
    """Lines the text takes in a column of `width` (greedy word wrap, each line break kept)."""
    per_line = max(1, int(width * CHARS_PER_WIDTH) - 1)
    total = 0
    for paragraph in str(text).split("\n"):
        count, line = 1, 0  # lines so far, characters on the last one
        for word in paragraph.split():
            n = len(word)
            if line and line + 1 + n <= per_line:
                line += 1 + n
                continue
            if line:
                count += 1
            count += (n - 1) // per_line  # a word longer than a line is cut by the spreadsheet
            line = n - (n - 1) // per_line * per_line
        total += count
    return total


def row_height(lines: int, line_height: float = LINE_HEIGHT) -> float:
    return min(409.0, lines * line_height + ROW_PADDING)


_SENTENCE = re.compile(r"(?<=[.;:])\s+")


def split_text(text: str, width: float, max_lines: int = MAX_LINES) -> list[str]:
    """The text in pieces that each fit a row: whole paragraphs while they fit, else whole
    sentences, else words. Joined with line breaks / spaces they give the text back."""
    if wrapped_lines(text, width) <= max_lines:
        return [text]
    pieces: list[str] = []

    def units(t: str) -> list[tuple[str, str]]:  # (unit, separator before it)
        out = []
        for i, para in enumerate(t.split("\n")):
            for j, sentence in enumerate(_SENTENCE.split(para) if wrapped_lines(para, width) > max_lines else [para]):
                sep = "\n" if i and not j else (" " if j else "")
                if wrapped_lines(sentence, width) > max_lines:
                    for k, word in enumerate(sentence.split(" ")):
                        out.append((word, sep if not k else " "))
                else:
                    out.append((sentence, sep))
        return out

    current = ""
    for unit, sep in units(text):
        candidate = current + sep + unit if current else unit
        if current and wrapped_lines(candidate, width) > max_lines:
            pieces.append(current)
            current = unit
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def header_text(text: str, limit: int = 80) -> str:
    """Text for a print header or footer: «&» doubled (it starts a code there), shortened."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text.replace("&", "&&")


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
        #: a group's column (merge_down): open below its first cell, above its last, both between
        self.group_borders = {
            "first": Border(left=thin, right=thin, top=thin),
            "middle": Border(left=thin, right=thin),
            "last": Border(left=thin, right=thin, bottom=thin),
        }
        self._border_ids: dict[str, int] = {}
        self.title_font = Font(name="Calibri", size=13, bold=True)
        self.subtitle_font = Font(name="Calibri", size=10, italic=True, color="4A5866")
        self.header_font = Font(name="Calibri", size=10, bold=True)
        self.header_fill = PatternFill("solid", fgColor="E4EAF0")
        self.section_fill = PatternFill("solid", fgColor="F2F4F6")
        self.body_font = Font(name="Calibri", size=10)
        self.bold_font = Font(name="Calibri", size=10, bold=True)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.wrap_indent = Alignment(wrap_text=True, vertical="top", indent=2)
        self.heading_wrap = Alignment(wrap_text=True, vertical="top")
        # right-aligned with a space on the right, so a number never touches the next column's text
        self.number = Alignment(horizontal="right", vertical="top", indent=1)
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

    def group_border(self, cell, place: str) -> None:
        """Give a cell of a grouped column its part of the block's outline."""
        border_id = self._border_ids.get(place)
        if border_id is None:
            border_id = self._border_ids[place] = self.wb._borders.add(self.group_borders[place])
        arr = StyleArray(cell._style)
        arr.borderId = border_id
        cell._style = arr

    def apply(self, cell, *args, **kwargs) -> None:
        cell._style = StyleArray(self.cell_style(*args, **kwargs))


ROW_STYLES = ("normal", "bold", "section", "total", "sub")


class SheetWriter:
    """Writes one table on one sheet: heading lines, the frozen bold header, rows, merges."""

    def __init__(self, ws, columns: Sequence[Column], styles: Styles, *, heading: Sequence[str] = (),
                 print_header: Sequence[str] = ()):
        self.ws = ws
        self.columns = list(columns)
        self.styles = styles
        self.next_row = 1
        self.table_width = sum(c.width for c in self.columns)
        self.header_row = len(heading) + 1
        for i, line in enumerate(heading):
            cell = ws.cell(row=self.next_row, column=1)
            quote = set_text(cell, line)
            styles.apply(cell, styles.title_font if i == 0 else styles.subtitle_font, alignment=styles.heading_wrap, quote=quote,
                         border=False)
            self.merge_across(self.next_row, 1, len(self.columns))
            lines = wrapped_lines(line, self.table_width * (0.75 if i == 0 else 1.0))  # the title is larger
            ws.row_dimensions[self.next_row].height = row_height(lines, HEADING_LINE_HEIGHT)
            self.next_row += 1
        self.header_row = self.next_row
        for col, column in enumerate(self.columns, start=1):
            cell = ws.cell(row=self.header_row, column=col)
            quote = set_text(cell, column.header)
            styles.apply(cell, styles.header_font, styles.header_fill, styles.header_alignment, quote=quote)
            ws.column_dimensions[get_column_letter(col)].width = column.width
        self.next_row = self.header_row + 1
        ws.freeze_panes = ws.cell(row=self.next_row, column=1)
        ws.row_dimensions[self.header_row].height = row_height(
            max(wrapped_lines(c.header, c.width) for c in self.columns) if self.columns else 1)
        self._print_setup(heading, print_header)

    def _print_setup(self, heading: Sequence[str], print_header: Sequence[str]) -> None:
        """A4, landscape when wider than a portrait page, fitted to the width (as many pages
        down as needed), the column header on every page; header: the report and the plan,
        in one part (two parts of a header overlap on a narrow page); footer: the sheet and
        «Página &P de &N»."""
        ws = self.ws
        ws.print_title_rows = f"{self.header_row}:{self.header_row}"
        ws.page_setup.orientation = "landscape" if self.table_width > PORTRAIT_WIDTH else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.top = ws.page_margins.bottom = 0.75
        ws.page_margins.header = ws.page_margins.footer = 0.3
        parts = list(print_header) if print_header else list(heading[:2]) or [ws.title]
        limit = 150 if ws.page_setup.orientation == "landscape" else 100  # characters of 8 pt on the page's width
        ws.oddHeader.center.text, ws.oddHeader.center.size = header_text(" · ".join(p for p in parts if p), limit), 8
        ws.oddFooter.left.text, ws.oddFooter.left.size = header_text(ws.title, 40), 8
        ws.oddFooter.right.text, ws.oddFooter.right.size = "Página &P de &N", 8

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    def row(self, values: Sequence[Any], *, style: str = "normal") -> int:
        """Write one row; returns its row number. `values` line up with the columns; a value
        may be None (empty), a number or Decimal (in number columns), a date, or text.
        style: "normal", "bold", "section" (a heading row, e.g. RESULTADO FINAL), "total",
        "sub" (an indented sub-line, e.g. a cost sub-line).

        The row's height is set from its texts; a text longer than a row can hold is
        continued on the rows below (`split_text`), the other columns of those rows empty."""
        if len(values) > len(self.columns):
            raise ValueError(f"Fila con {len(values)} valores para {len(self.columns)} columnas.")
        pieces = [split_text(v, self.columns[i].width) if isinstance(v, str) and v else [v] for i, v in enumerate(values)]
        first = self._row([p[0] for p in pieces], style=style, width=len(values))
        for k in range(1, max((len(p) for p in pieces), default=1)):
            self._row([p[k] if k < len(p) else None for p in pieces], style=style, width=len(values))
        return first

    def _row(self, values: Sequence[Any], *, style: str, width: int) -> int:
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
            if col > width:
                alignment = None  # the grid only, so merged blocks look whole
            elif kind in ("money", "number", "integer"):
                alignment = st.number
            elif style == "sub" and col == 1:
                alignment = st.wrap_indent
            else:
                alignment = st.wrap
            st.apply(cell, font if col <= width else st.body_font, fill, alignment, number_format, quote)
        lines = max((wrapped_lines(v, c.width) for v, c in zip(values, self.columns) if isinstance(v, str) and v), default=1)
        ws.row_dimensions[r].height = row_height(lines)
        self.next_row += 1
        return r

    def rows(self, rows: Iterable[Sequence[Any]], *, style: str = "normal") -> tuple[int, int]:
        """Write several rows; returns (first, last) row numbers."""
        first = self.next_row
        for values in rows:
            self.row(values, style=style)
        return first, self.next_row - 1

    def merge_down(self, column: int, first_row: int, last_row: int) -> None:
        """Group a column over rows first..last (a group spanning its members): the value
        stays in the first row, top-aligned, the cells below stay empty and the lines between
        them go, so the block reads as one; the first row grows to hold the whole value (see
        the module docstring for why this is not a merged cell)."""
        if last_row > first_row:
            ws = self.ws
            for r in range(first_row, last_row + 1):
                place = "first" if r == first_row else "last" if r == last_row else "middle"
                self.styles.group_border(ws.cell(row=r, column=column), place)
            value = ws.cell(row=first_row, column=column).value
            if isinstance(value, str) and value:
                self._fit_merged(first_row, first_row, wrapped_lines(value, self.columns[column - 1].width))

    def merge_across(self, row: int, first_column: int, last_column: int) -> None:
        """Merge a row over columns first..last (a section heading spanning the table)."""
        if last_column > first_column:
            self.ws.merge_cells(start_row=row, start_column=first_column, end_row=row, end_column=last_column)
            value = self.ws.cell(row=row, column=first_column).value
            if isinstance(value, str) and value and row > self.header_row:
                width = sum(c.width for c in self.columns[first_column - 1 : last_column])
                self._fit_merged(row, row, wrapped_lines(value, width))

    def _fit_merged(self, first_row: int, last_row: int, lines: int) -> None:
        """Grow the rows first..last evenly until a text of `lines` lines spanning them fits."""
        dims = self.ws.row_dimensions
        default = LINE_HEIGHT + ROW_PADDING
        rows = range(first_row, last_row + 1)
        deficit = row_height(lines) - sum(dims[r].height or default for r in rows)
        if deficit > 0:
            for r in rows:
                dims[r].height = min(409.0, (dims[r].height or default) + deficit / len(rows))

    def section(self, label: str) -> int:
        """A heading row spanning the whole table (e.g. "RESULTADO FINAL")."""
        r = self._row([label], style="section", width=1)  # not cut to the first column: it spans the table
        self.merge_across(r, 1, len(self.columns))
        self.ws.row_dimensions[r].height = row_height(wrapped_lines(label, self.table_width))
        return r

    def note(self, text: str) -> int:
        """A line of plain text after the table (a note on the source), spanning the table."""
        r = self.next_row
        cell = self.ws.cell(row=r, column=1)
        quote = set_text(cell, text)
        self.styles.apply(cell, self.styles.subtitle_font, None, self.styles.wrap, quote=quote, border=False)
        self.ws.row_dimensions[r].height = row_height(wrapped_lines(text, self.table_width))
        self.merge_across(r, 1, len(self.columns))
        self.next_row += 1
        return r

    def skip(self, n: int = 1) -> None:
        self.next_row += n


class ExcelWorkbook:
    """An openpyxl workbook with the report's heading on every sheet."""

    def __init__(self, *, heading: Sequence[str] = (), properties: dict | None = None, print_header: Sequence[str] = ()):
        self.print_header = list(print_header)  # (left, right) of every page's header; default: sheet title, plan
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
        return SheetWriter(ws, columns, self.styles, heading=lines, print_header=self.print_header)

    def to_bytes(self) -> bytes:
        if not self.wb.sheetnames:
            self.wb.create_sheet("Informe")
        buffer = io.BytesIO()
        self.wb.save(buffer)
        return buffer.getvalue()
