"""The seed plan's whole document as PDF (issue 14): tagged, with its metadata, its budget
lines kept with their cost sub-lines, headings kept with what follows, counts without
decimals, the spending-code summary's «Denominación» filled. Read back with pypdf/pdfplumber."""
from __future__ import annotations

import io
import re

import pypdf
import pytest
from django.urls import reverse

from tests.report_helpers import norm, pdf_pages, pdf_text_across_lines, cliente_de_la_semilla

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seed_pdf(django_db_setup, django_db_blocker):
    """The seed plan's document rendered once (the slow part), by its planner's request."""
    with cliente_de_la_semilla(django_db_blocker, "t-doc-semilla") as (client, plan):
        response = client.get(reverse("reporte_documento", args=[plan.pk]) + "?formato=pdf")
        assert response.status_code == 200
        yield response.content


@pytest.fixture(scope="module")
def pages(seed_pdf):
    return pdf_pages(seed_pdf)


def test_pdf_is_tagged_and_carries_title_author_subject_and_creation_date(seed_pdf):
    reader = pypdf.PdfReader(io.BytesIO(seed_pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # the structure tree screen readers follow
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert root["/Lang"] == "es-PE"
    meta = reader.metadata
    assert meta.title.startswith("Plan completo · Determinación e Implementación de Acciones de Mejora Continua")
    assert meta.author == "Ministerio de Trabajo y Promoción del Empleo"  # the issuing entity
    assert "Plan completo" in meta.subject and "Promoción del Empleo" in meta.subject
    assert meta.creation_date is not None and meta.creation_date.year >= 2026
    # headings and tables are in the structure tree, not only painted
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    kinds = set()

    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, pypdf.generic.DictionaryObject):
            if "/S" in node:
                kinds.add(str(node["/S"]))
            kids = node.get("/K")
            if kids is not None:
                for kid in (kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids]):
                    if depth < 40 and hasattr(kid, "get_object"):
                        walk(kid, depth + 1)
    walk(tree)
    assert {"/H2", "/Table", "/TH", "/TD"} <= kinds


def test_a_budget_line_and_its_cost_sub_lines_are_on_one_page(pages):
    # S/ 41,700.00 = the course (3 × S/ 11,500.00) and the break (3 × S/ 2,400.00), seed's 13.3
    page = next(p for p in pages if "S/ 41,700.00" in norm(p))
    text = norm(page)
    assert "Curso Capacitación" in text and "Break" in text
    assert "S/ 34,500.00" in text and "S/ 7,200.00" in text


def test_counts_are_shown_without_decimals(pages):
    text = norm(" ".join(pages))
    assert "Curso Capacitación" in text and "S/ 11,500.00 3 S/ 34,500.00" in text  # 3 courses
    assert "S/ 11,500.00 3.00" not in text


def test_spending_code_summary_names_every_code_or_says_the_classifier_lacks_it(pages):
    text = norm(" ".join(pages))
    summary = text.split("Especificación del gasto Denominación Total", 1)[1].split("Total S/", 1)[0]
    # the repository holds no 2015 MEF classifier, so each code says so instead of an empty cell
    for code in ("2.3.2.7.2.99", "2.3.2.7.10.1", "2.3.2.7.11.99"):
        assert f"{code} No figura en el clasificador de gastos 2015" in summary


def test_no_heading_is_left_alone_at_the_foot_of_a_page(pages):
    # the headings are the contents' entries (page 2), each with its page number at the end
    headings = {re.sub(r" \d+$", "", ln) for ln in pages[1].splitlines()[1:]} | {"Resumen por especificación del gasto (clasificador MEF)"}
    assert "13.3 Presupuesto" in headings and "III. Plan de implementación" in headings
    for number, page in enumerate(pages[2:], start=3):  # after the cover and the contents
        lines = [ln for ln in page.splitlines() if ln.strip() and not ln.startswith("Página ")]
        assert lines[-1] not in headings, f"página {number} termina con el título «{lines[-1]}»"
        # a row that labels the rows below it (RESULTADO FINAL, PRODUCTO) neither
        assert lines[-1] not in {"RESULTADO FINAL", "RESULTADO INTERMEDIO", "PRODUCTO", "ACTIVIDADES"}


def test_a_grouped_table_says_its_problem_again_on_every_page_it_continues_on(pages):
    # 8. Alternativas and 9. Priorizadas: every page of them opens with the problem's row
    # (the repeated table header) above the column headers, never with a blank group column.
    heads = {"Entidad Causa Alternativa de solución": 0, "Entidad Año Alternativa priorizada": 0}
    for page in pages:
        lines = page.splitlines()
        for i, line in enumerate(lines):
            if line in heads:
                heads[line] += 1
                assert re.match(r"^\d+\. \S", lines[i - 1]), f"«{line}» sin su problema encima: «{lines[i - 1]}»"
    assert heads["Entidad Causa Alternativa de solución"] >= 5  # 4 problems, one of them over two pages
    assert heads["Entidad Año Alternativa priorizada"] >= 4


def test_the_cover_names_the_issuing_institutions_from_the_data(seed_pdf):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(seed_pdf)) as pdf:
        cover = pdf.pages[0]
        words = cover.extract_words()
        # the institutions side by side on top, the regional directorate under the regional
        # government it belongs to (Entidad.padre), both above the plan's title
        left = norm(cover.crop((0, 0, cover.width / 2, cover.height / 4)).extract_text())
        right = norm(cover.crop((cover.width / 2, 0, cover.width, cover.height / 4)).extract_text())
    assert left == "Ministerio de Trabajo y Promoción del Empleo"
    assert right == "GOBIERNO REGIONAL DE PUNO Dirección Regional de Trabajo y Promoción del Empleo de Puno"
    title_top = next(w["top"] for w in words if w["text"] == "DETERMINACIÓN")
    assert title_top > cover.height / 4


@pytest.mark.parametrize("grupo, desde, hasta", [
    ("Fase: ", "Fase: ", "Resultado intermedio: "),  # 12. Roles, one table per phase
    ("Producto: ", "Resultado intermedio: ", "13.1 Matriz lógica Gobierno Nacional"),  # 13, one per product
])
def test_the_roles_and_indicators_say_their_group_again_on_every_page_they_continue_on(pages, grupo, desde, hasta):
    # A continued page opens with the group's row (the repeated table header), never with a
    # blank group column (a rowspan cut by the page break leaves it blank).
    inicio = next(k for k, page in enumerate(pages) if desde in page)
    fin = next(k for k, page in enumerate(pages) if k >= inicio and hasta in page)
    for k in range(inicio, fin + 1):
        texto = pages[k].split(hasta)[0] if k == fin else pages[k]
        texto = texto.split("Nota sobre la fuente")[0]  # the notes that follow the table
        filas = [ln for ln in texto.splitlines() if ln.strip() and not ln.startswith(("Página ", "Determinación e Implementación"))]
        if len(filas) > 2:  # more than a heading: rows of the table
            assert grupo in texto, f"página {k + 1} continúa la tabla sin «{grupo}…» encima"
    assert fin > inicio  # the table does run over a page break in the seed document


def test_the_contents_lead_to_the_page_of_each_heading_and_the_pages_are_numbered(pages):
    # Issue 13, item 2 (a faster PDF) keeps the document as it was: 43 pages in December 2026
    # (a range, so a new sentence in the seed does not fail it), «Página N de M» on each page
    # after the cover, and each entry of the contents on the page it says.
    assert 40 <= len(pages) <= 46
    for number, page in enumerate(pages[1:], start=2):
        assert f"Página {number} de {len(pages)}" in page
    entries, pending = [], ""
    for line in pages[1].split("Contenido", 1)[1].splitlines():
        if line.startswith("Página "):
            break
        match = re.match(r"^(.*\S) (\d+)$", pending + line)
        if match:
            entries.append((match[1], int(match[2])))
            pending = ""
        else:
            pending += line + " "  # an entry that wrapped
    assert len(entries) >= 35 and ("18. Cronograma", len(pages)) in entries
    for heading, number in entries:
        assert norm(heading).casefold() in norm(pages[number - 1]).casefold(), f"«{heading}» no está en la página {number}"


def test_no_text_of_the_document_runs_across_a_column_line_or_off_the_page(seed_pdf):
    # Fixed table layout: a word too long for its column wraps inside it (overflow-wrap),
    # never into the next column nor past the page's edge.
    assert pdf_text_across_lines(seed_pdf) == []
