"""Excel files from outside, read safely; CSV files out, formula-safe.

(Writing .xlsx is `amc.excel`'s: its `set_text` is the formula guard for workbooks.)

Reading: an upload is refused, with a message a person can act on, before openpyxl parses it
when it is too big, is not an .xlsx (an .xls, an .ods, a CSV renamed), is a damaged zip, or
would inflate past a sane size (a zip bomb). openpyxl parses XML with defusedxml (installed
for that: entity-expansion bombs), in `data_only` mode so a formula cell gives its value.

CSV: text that starts with = + - @ (or a tab or carriage return) gets a leading apostrophe
(OWASP's CSV-injection advice): a CSV cell has no "text" type to hide behind.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse

from amc.excel import is_formula_like

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx protected with a password


def max_upload_bytes() -> int:
    return int(getattr(settings, "AMC_IMPORTACION_MAX_BYTES", 5 * 1024 * 1024))


def max_uncompressed_bytes() -> int:
    return int(getattr(settings, "AMC_IMPORTACION_MAX_DESCOMPRIMIDO", 120 * 1024 * 1024))


MAX_ROWS = 50_000


@dataclass
class ArchivoInvalido(Exception):
    """The file as a whole cannot be read; `mensaje` says why and what to do."""

    mensaje: str
    hoja: str | None = None
    celdas: list[str] = field(default_factory=list)

    def __str__(self):
        return self.mensaje


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def check_upload(data: bytes, nombre: str = "") -> None:
    """Refuse, before parsing, what is not a sane .xlsx file."""
    limit = max_upload_bytes()
    if len(data) > limit:
        raise ArchivoInvalido(
            f"El archivo pesa {megabytes(len(data))}; el límite es {megabytes(limit)}. "
            "Divida las filas en varios archivos o quite las hojas que no se importan."
        )
    if not data:
        raise ArchivoInvalido("El archivo está vacío (0 bytes). Vuelva a guardarlo en Excel y súbalo de nuevo.")
    lower = nombre.lower()
    if data.startswith(OLE_MAGIC):
        raise ArchivoInvalido(
            "El archivo es un libro de Excel 97-2003 (.xls) o está protegido con contraseña. "
            "Ábralo en Excel y guárdelo como «Libro de Excel (.xlsx)», sin contraseña."
        )
    if not data.startswith(ZIP_MAGIC):
        kind = "un archivo CSV o de texto" if lower.endswith((".csv", ".txt")) else "un libro de Excel"
        raise ArchivoInvalido(
            f"«{nombre or 'El archivo'}» no es un libro de Excel (.xlsx){'' if kind == 'un libro de Excel' else ': parece ' + kind}. "
            "Descargue la plantilla, copie sus datos en ella y súbala en formato .xlsx."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise ArchivoInvalido(
            "El archivo está dañado: no se puede abrir como libro de Excel. "
            "Ábralo en Excel, guárdelo de nuevo como .xlsx y vuelva a subirlo."
        ) from exc
    if "content.xml" in names and "xl/workbook.xml" not in names:
        raise ArchivoInvalido(
            "El archivo es una hoja de cálculo de LibreOffice (.ods). Guárdela como «Libro de Excel 2007-365 (.xlsx)»."
        )
    if "xl/workbook.xml" not in names:
        raise ArchivoInvalido(
            "El archivo está dañado o no es un libro de Excel: le falta el libro (xl/workbook.xml). "
            "Ábralo en Excel, guárdelo como .xlsx y vuelva a subirlo."
        )
    if inflated > max_uncompressed_bytes():
        raise ArchivoInvalido(
            f"El libro ocupa {megabytes(inflated)} al descomprimirse; el límite es {megabytes(max_uncompressed_bytes())}. "
            "Quite hojas, imágenes o formatos que no se importan."
        )


def open_workbook(data: bytes, nombre: str = ""):
    """An openpyxl workbook (values, not formulas) of a checked upload; ArchivoInvalido otherwise."""
    import warnings

    import openpyxl

    check_upload(data, nombre)
    try:
        with warnings.catch_warnings():
            # Extensions openpyxl does not read (slicers, some validations) are not data.
            warnings.simplefilter("ignore", UserWarning)
            # read_only: rows are streamed, not kept as Cell objects (several times faster on
            # 10,000 rows); merged cells are then read from the sheet's XML (merged_ranges).
            return openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors...)
        raise ArchivoInvalido(
            "El archivo está dañado: Excel lo guardó de forma incompleta o no es un libro válido. "
            "Ábralo en Excel, guárdelo de nuevo como .xlsx y vuelva a subirlo."
        ) from exc


MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([^"]+)"')


def merged_ranges(ws) -> list[str]:
    """The merged ranges of a worksheet (A2:B2 …), also for a read-only one."""
    if hasattr(ws, "merged_cells"):
        return [str(r) for r in ws.merged_cells.ranges]
    xml = ws.parent._archive.read(ws._worksheet_path)
    return [ref.decode() for ref in MERGE_RE.findall(xml)]


def csv_safe(value):
    """A value for a CSV cell: text that a spreadsheet would run as a formula gets a leading
    apostrophe; numbers are left as numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Sí" if value else "No"
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, (datetime, date)):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    return "'" + text if is_formula_like(text) else text


def csv_response(headers: list[str], rows, filename: str) -> HttpResponse:
    """CSV in UTF-8 with a BOM (Excel then reads the accents), comma-separated (es-PE uses
    the point for decimals, so the comma is free), formula-safe."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([csv_safe(h) for h in headers])
    for values in rows:
        writer.writerow([csv_safe(v) for v in values])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
