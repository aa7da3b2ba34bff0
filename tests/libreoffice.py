"""Printing a workbook as an office would: LibreOffice (headless) converts it to PDF, and the
pages are read back (pdfplumber). Used by tests/amc/test_excel_impresion.py and
bench/xlsx_print_bench.py.

What is checked on the pages (`revisar`):
- nothing overlaps: no two characters of the pages cover the same place (wrapped text in a
  row too short for it is drawn over the next row);
- every cell's text is there: every word of every text cell of the workbook is printed
  (a row too short clips or hides lines; a word wrapped at a hyphen or slash counts whole);
- the header and footer: «Página N de M» on every page.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pdfplumber

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
INSTALL = "apt-get install -y libreoffice-calc-nogui"
_SPLIT = re.compile(r"[\s\-/‐–—]+")


def convert(xlsx: bytes, *, timeout: int = 180) -> bytes:
    """The workbook as LibreOffice prints it (every sheet, its page setup), as PDF bytes."""
    if SOFFICE is None:
        raise RuntimeError(f"LibreOffice no está instalado (soffice): {INSTALL}")
    with tempfile.TemporaryDirectory(prefix="amc-lo-") as tmp:
        src = Path(tmp) / "libro.xlsx"
        src.write_bytes(xlsx)
        profile = Path(tmp) / "perfil"  # a profile of its own: never the user's, never shared
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", tmp, str(src)],
                       check=True, capture_output=True, timeout=timeout)
        return (Path(tmp) / "libro.pdf").read_bytes()


def words(text: str) -> list[str]:
    return [w for w in _SPLIT.split(text) if w]


def cell_words(xlsx: bytes) -> Counter:
    """Every word of every text cell of every sheet."""
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    counter: Counter = Counter()
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    counter.update(words(value))
    return counter


@dataclass
class Impresion:
    paginas: int
    textos: list[str]
    solapes: list[tuple[int, str, str]] = field(default_factory=list)  # (page, char, char)
    faltan: Counter = field(default_factory=Counter)  # words of cells not printed (with how many times)
    sin_numero: list[int] = field(default_factory=list)  # pages without «Página N de M»


def _overlaps(chars) -> list[tuple[str, str]]:
    """Pairs of visible characters whose boxes overlap by more than a third of the smaller."""
    buckets: dict[tuple[int, int], list] = {}
    found = []
    for c in chars:
        if not c["text"].strip():
            continue
        x0, x1, top, bottom = c["x0"], c["x1"], c["top"], c["bottom"]
        area = max((x1 - x0) * (bottom - top), 1e-6)
        keys = {(int(x // 10), int(y // 10)) for x in (x0, x1) for y in (top, bottom)}
        for key in keys:
            for o in buckets.get(key, ()):
                if o is c:
                    continue
                w = min(x1, o["x1"]) - max(x0, o["x0"])
                h = min(bottom, o["bottom"]) - max(top, o["top"])
                if w > 0 and h > 0:
                    small = min(area, max((o["x1"] - o["x0"]) * (o["bottom"] - o["top"]), 1e-6))
                    if w * h > small / 3:
                        found.append((o["text"], c["text"]))
        for key in keys:
            buckets.setdefault(key, []).append(c)
    return found


def revisar(xlsx: bytes, pdf: bytes) -> Impresion:
    textos, printed = [], Counter()
    solapes, sin_numero = [], []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        n = len(doc.pages)
        for i, page in enumerate(doc.pages, start=1):
            text = page.extract_text() or ""
            textos.append(text)
            # words as drawn: a number right-aligned beside a text left-aligned is two words
            # in the order drawn (a cell's lines one after another, whatever the next cell's
            # vertical alignment); a number right-aligned beside a text is two words
            printed.update(w for word in page.extract_words(x_tolerance=1.5, use_text_flow=True) for w in words(word["text"]))
            solapes += [(i, a, b) for a, b in _overlaps(page.chars)]
            if not re.search(r"Página \d+ de \d+", text):
                sin_numero.append(i)
    return Impresion(n, textos, solapes, cell_words(xlsx) - printed, sin_numero)
