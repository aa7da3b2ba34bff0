"""What the seed document prints, read from its text (the tests compare the reports with it,
not with values copied into the tests): the section-7 table, the logical matrices 13.1 and
13.2, and the budget table 13.3."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest
from django.conf import settings

# The 2015 source document, kept in the repository beside the fixtures transcribed from it
# (fixtures/README.md). Every test that reads the document takes it from here, through `text()`.
SEED_FILE = Path(settings.BASE_DIR) / "fixtures" / "plan_mtpe_puno_2015" / "fuente" / "000_5d9082fd9ca67189.txt"
#: The document as received, byte for byte (tests/fixtures/test_seed_documento.py checks it).
SEED_SHA256 = "4fc28be2af54f98c8a29444b5604096e14127bd578145ce5dacb430aa127d902"
_TAGS = re.compile(r"</?(?:b|i|p)>")
_WS = re.compile(r"\s+")


def clean(text: str) -> str:
    return _WS.sub(" ", _TAGS.sub("", text).replace("\u00a0", " ")).strip()


def raw() -> bytes:
    """The document's bytes. A missing document fails the test that needs it (never a skip):
    the fixtures are checked against it."""
    if not SEED_FILE.is_file():
        pytest.fail(f"Falta el documento fuente del plan semilla: {SEED_FILE}. Está en el repositorio "
                    "(fixtures/plan_mtpe_puno_2015/fuente/); recupérelo con git (git checkout -- fixtures/).",
                    pytrace=False)
    return SEED_FILE.read_bytes()


@lru_cache(maxsize=None)
def text() -> str:
    return raw().decode("utf-8")


def sha256() -> str:
    return hashlib.sha256(raw()).hexdigest()


@lru_cache(maxsize=None)
def lines() -> tuple[str, ...]:
    return tuple(text().splitlines())


def _between(start: str, end: str) -> list[str]:
    all_lines = lines()
    i = next(n for n, line in enumerate(all_lines) if line.startswith(start))
    j = next(n for n, line in enumerate(all_lines) if n > i and line.startswith(end))
    return list(all_lines[i + 1 : j])


# ----------------------------------------------------------------------------- section 7 table


@dataclass
class ProblemaSeed:
    numero: int
    enunciado: str
    causas: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: {"MTPE": [], "DRTPE": []})


def causal_table() -> list[ProblemaSeed]:
    """The «PROBLEMAS / ANÁLISIS CAUSAL» table: problems and (letter, text) per entity."""
    block = _between("PROBLEMAS\tANÁLISIS CAUSAL", "## 8 ALTERNATIVAS")
    problemas: list[ProblemaSeed] = []
    for line in block:
        if not line.strip() or line.strip() == "MTPE\tDRTPE":
            continue
        cols = (line.split("\t") + ["", "", ""])[:3]
        head = re.match(r"^(?:<p>)?(\d)\. (.*?)(?:</p>)?$", cols[0].strip())
        if head:
            problemas.append(ProblemaSeed(int(head.group(1)), clean(head.group(2))))
        for entity, cell in (("MTPE", cols[1]), ("DRTPE", cols[2])):
            items = re.findall(r"<p>(.*?)</p>", cell) if "<p>" in cell else ([cell] if cell.strip() else [])
            for item in items:
                item = clean(item)
                m = re.match(r"^([a-z])\. (.*)$", item)
                causas = problemas[-1].causas[entity]
                if m:
                    causas.append((m.group(1), m.group(2)))
                elif item and causas:  # a cell continued after a page break
                    letra, texto = causas[-1]
                    causas[-1] = (letra, f"{texto} {item}")
    return problemas


# ----------------------------------------------------------------------------- 13.1 / 13.2


BLOCKS = ("RESULTADO FINAL", "RESULTADO INTERMEDIO", "PRODUCTO", "ACTIVIDADES")


def logical_matrix(numero: str) -> dict[str, list[tuple[str, str, str]]]:
    """Rows (objective, indicator, means of verification) of 13.1 or 13.2, per block."""
    start = {"13.1": "### 13.1 MATRIZ", "13.2": "### 13.2 MATRIZ"}[numero]
    end = {"13.1": "### 13.2 MATRIZ", "13.2": "### 13.3 PRESUPUESTO"}[numero]
    rows: dict[str, list[tuple[str, str, str]]] = {b: [] for b in BLOCKS}
    current = None
    for line in _between(start, end):
        if "\t" not in line:
            continue
        cols = [clean(c) for c in (line.split("\t") + ["", "", ""])[:3]]
        if cols[0] == "OBJETIVOS":
            continue
        if cols[0] in BLOCKS and not cols[1]:
            current = cols[0]
            continue
        if current and any(cols):
            rows[current].append((cols[0], cols[1], cols[2]))
    return rows


# ----------------------------------------------------------------------------- 13.3


def amount(text: str) -> Decimal | None:
    """«8 000.00», «6 000.000», «20000.00» are soles with two decimals; «-» is no amount."""
    text = text.replace(" ", "").replace("\u00a0", "")
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        return None
    return Decimal(text).quantize(Decimal("0.01"))


@dataclass
class LineaSeed:
    descripcion: str
    nivel: str  # "Gobierno Nacional" / "Gobierno Regional"
    total_nivel: str  # the last column as printed
    sublineas: list[tuple[str, Decimal | None]] = field(default_factory=list)  # (concept, total)

    @property
    def monto(self) -> Decimal | None:
        return amount(self.total_nivel)


def budget_table() -> list[LineaSeed]:
    """Every row of 13.3 in order; sub-lines (empty level column) go under their line."""
    result: list[LineaSeed] = []
    for line in _between("### 13.3 PRESUPUESTO", "## 14."):
        if "\t" not in line:
            continue
        cols = [clean(c) for c in (line.split("\t") + [""] * 8)[:8]]
        if cols[0] == "Actividad":
            continue
        if cols[1].startswith("Gobierno"):
            result.append(LineaSeed(cols[0], cols[1], cols[7]))
        elif cols[0] and result:
            result[-1].sublineas.append((cols[0], amount(cols[5])))
    return result


def budget_totals() -> dict[str, Decimal]:
    """What the table prints, added up: per level and for the plan."""
    totals: dict[str, Decimal] = {}
    for ln in budget_table():
        if ln.monto is not None:
            totals[ln.nivel] = totals.get(ln.nivel, Decimal("0.00")) + ln.monto
    totals["plan"] = sum(totals.values(), Decimal("0.00"))
    return totals


# ----------------------------------------------------------------------------- units of text

#: Where the document's text starts: the cover and the table of contents before it are
#: rebuilt by the application from the plan (title, entities, headings with page numbers).
BODY_START = "## **INTRODUCCIÓN**"
_MARKS = re.compile(r"\*\*|</?(?:b|i|p|u|strong|em)>|^#+\s*")
_LIST = re.compile(r"^(?:[-*•]|\d+\.|[a-z]\)|[a-z]\.)\s+")
# A sentence ends at «.», «;» or «:» followed by a space and what starts a sentence.
_SENTENCE_END = re.compile(r"(?<=[.;:])\s+(?=[A-ZÁÉÍÓÚÑ“\"(¿¡0-9])")


@dataclass(frozen=True)
class Unidad:
    """One unit of the seed's text: a sentence of a paragraph, a list item, a heading or a
    table cell, with the line it comes from (1-based) and its kind."""

    linea: int
    tipo: str  # "oración", "ítem", "título", "celda"
    texto: str


_SUP = re.compile(r"<sup>(\d)</sup>")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _unmark(text: str) -> str:
    """The unit's text without the markup: «**», «<b>», «#»…; a footnote mark «<sup>1</sup>»
    is the character «¹», as the fixtures write it (fixtures/README.md, A.III)."""
    text = _SUP.sub(lambda m: m.group(1).translate(_SUPERSCRIPT), text.strip())
    return clean(_MARKS.sub("", text))


def units() -> list[Unidad]:
    """The seed's body (from the introduction on) cut into units: every table cell (a cell's
    «<p>» paragraphs one by one), every heading, every list item and every sentence."""
    result: list[Unidad] = []
    all_lines = lines()
    start = next(n for n, line in enumerate(all_lines) if line.startswith(BODY_START))
    for n, line in enumerate(all_lines[start:], start=start + 1):
        if not line.strip():
            continue
        if "\t" in line:
            for cell in line.split("\t"):
                parts = re.findall(r"<p>(.*?)</p>", cell) if "<p>" in cell else [cell]
                result += [Unidad(n, "celda", t) for t in map(_unmark, parts) if t]
            continue
        if line.lstrip().startswith("#"):
            text = _unmark(line)
            if text:
                result.append(Unidad(n, "título", text))
            continue
        text = _unmark(line)
        if not text:
            continue
        if _LIST.match(text) and len(text) < 600:
            result.append(Unidad(n, "ítem", text))
            continue
        result += [Unidad(n, "oración", s) for s in _SENTENCE_END.split(text) if s.strip()]
    return result


_HYPHEN_BREAK = re.compile(r"(\w)- (\w)")
_HEADING_NUMBER = re.compile(r"^(?:[A-Z]\.|[IVX]+\.|\d+(?:\.\d+)*\.?)\s+")
_AMOUNT = re.compile(r"^\d[\d ]*\.\d+$")


def comparable(text: str) -> str:
    """How the fidelity test compares: whitespace collapsed (non-breaking spaces too) and a
    word hyphenated across a line joined; nothing else."""
    return _HYPHEN_BREAK.sub(r"\1\2", _WS.sub(" ", text.replace("\u00a0", " ").replace("\u00ad", "")).strip())


def bare(text: str) -> str:
    """The text after its enumerators («- a. 1. Texto» → «Texto»)."""
    while True:
        shorter = _LIST.sub("", text, count=1)
        if shorter == text:
            return text
        text = shorter


def countable(unidad: Unidad) -> bool:
    """A lone enumerator («- j.»: an alternative whose text is in its sub-items) is no text."""
    return bool(re.search(r"\w\w", bare(comparable(unidad.texto))))


def found(unidad: Unidad, document_text: str, document_folded: str | None = None) -> bool:
    """Whether the unit is in the document as the seed writes it. Besides whitespace:
    - an enumerator («a)», «1.», «-») may be drawn by the document as a list marker or a
      column of its own: the text after it must be there;
    - what the seed sets in capitals (headings, column headers) is typography: compared
      without case, and a heading without its number (the document numbers its sections
      as its table of contents does: «8.» where the seed writes «8»);
    - an amount is an amount: «2500.00», «11 500.00» are found as the document prints
      amounts, «2,500.00», «11,500.00» (es-PE)."""
    text = comparable(unidad.texto)
    if text in document_text or bare(text) in document_text:
        return True
    if _AMOUNT.match(text):
        value = amount(text)
        return value is not None and f"{value:,.2f}" in document_text
    if unidad.tipo == "título" or (text.upper() == text and any(ch.isalpha() for ch in text)):
        folded = document_folded if document_folded is not None else document_text.casefold()
        return bare(_HEADING_NUMBER.sub("", text)).casefold() in folded
    return False
