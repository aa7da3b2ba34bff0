"""documento/reports.py::documento: the whole plan in the document's order, as page, PDF and Excel."""
from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from django.test import override_settings
from django.urls import reverse

from documento import reports
from tests.report_factories import make_report_plan
from tests.report_helpers import norm, pdf_pages, xlsx_book, xlsx_rows, NAVEGACION_PLANIFICADOR

pytestmark = pytest.mark.django_db
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-documento"}}


@pytest.fixture(scope="module")
def documento_files(django_db_setup, django_db_blocker):
    """One small plan's document rendered once in the three formats (PDF rendering is the
    slow part of these tests), inside a transaction rolled back after the module."""
    from django.db import transaction
    from django.test import Client

    from amc.access import Rol
    from planes.models import Entidad
    from tests import factories as f

    with django_db_blocker.unblock(), transaction.atomic():
        rp = make_report_plan(1, titulo="Plan de documento de prueba")
        user = f.make_user(Rol.PLANIFICADOR, Entidad.objects.get(codigo="mtpe"), username="t-doc-planificador")
        client = Client()
        client.force_login(user)
        base = reverse("reporte_documento", args=[rp.plan.pk])
        files = {fmt: client.get(base + (f"?formato={fmt}" if fmt else "")) for fmt in ("", "pdf", "xlsx")}
        yield rp, files
        transaction.set_rollback(True)  # the module's plan and user go away


def test_sections_follow_the_documents_order_and_hold_what_the_data_holds(documento_files):
    rp, _ = documento_files
    data = reports.documento(plan=rp.plan)
    keys = [s.key for s in data.visibles]
    assert keys[:3] == ["INTRO", "A", "A.I"]
    order = ["A.I", "A.II", "A.III", "A.VI", "A.VII", "A.VIII", "A.X", "A.XII", "B", "3", "6", "7", "8", "9", "10", "11",
             "12", "13", "13.1", "13.2", "13.3", "14", "18"]
    assert [k for k in keys if k in order] == order
    assert "13.L" not in keys  # no local rows in this plan
    assert "15" not in keys  # no narrative for section 15: left out
    s = data.seccion
    assert s("INTRO").texto.startswith("La Secretaría de Descentralización")
    assert s("INTRO").titulo == "INTRODUCCIÓN" and s("14").titulo == "ASISTENCIA TÉCNICA"  # the plan's titles
    assert s("A.I").titulo == "Marco legal"  # no narrative section: the registry's
    assert s("11").subsecciones == [("11.1", "A los Objetivos del Acuerdo Nacional", "La cadena de valor se enmarca en cuatro objetivos.")]
    assert [n.titulo for n in s("7").notas] == ["Letras no contiguas"]
    assert [n.titulo for n in s("18").notas] == ["Cronograma ausente"]
    assert s("9").titulo.endswith("(2015)")


def test_page_has_cover_contents_and_every_table(documento_files):
    rp, files = documento_files
    body = files[""].content.decode()
    assert files[""].status_code == 200
    assert 'id="portada"' in body and 'id="contenido"' in body
    for table in ("analisis-causal", "alternativas", "priorizadas", "alineamiento-plan_bicentenario", "roles", "indicadores",
                  "matriz-logica-GN", "matriz-logica-GR", "presupuesto", "resumen-especifica", "cadena-valor"):
        assert f'id="{table}"' in body, table
    # a narrative section's own title («INTRODUCCIÓN», as the plan writes it) heads its section
    assert body.index("INTRODUCCIÓN") < body.index("Marco legal") < body.index("Análisis causal") < body.index("Presupuesto")
    assert "Cronograma ausente" in body


def test_pdf_has_a_cover_without_running_header_a_paged_contents_and_landscape_matrices(documento_files):
    rp, files = documento_files
    content = files["pdf"].content
    pages = pdf_pages(content)
    assert "PLAN DE DOCUMENTO DE PRUEBA" in pages[0].upper() and "Página" not in pages[0]
    contents = norm(pages[1])
    assert "Contenido" in contents
    assert "INTRODUCCIÓN" in contents and "13.3 Presupuesto" in contents
    # the contents give page numbers: the number after "13.3 Presupuesto" is where it starts
    after = contents.split("13.3 Presupuesto", 1)[1].lstrip(". ")
    page_no = int(after.split()[0])
    assert "13.3 Presupuesto" in pages[page_no - 1]
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        sizes = {(round(p.width), round(p.height)) for p in pdf.pages}
        widths = [round(p.width) for p in pdf.pages]
    assert sizes == {(595, 842), (842, 595)}  # portrait text, landscape matrices
    assert widths[page_no - 1] == 842
    n = len(pages)
    assert f"Página {n} de {n}" in pages[-1]
    joined = norm(" ".join(pages))
    assert f"a. Causa 1.a de {rp.nacional.sigla}" in joined
    assert "Presupuesto regional 3" in joined and "No se ha determinado" in joined


def test_excel_holds_every_table_texts_and_notes(documento_files):
    rp, files = documento_files
    content = files["xlsx"].content
    names = xlsx_book(content).sheetnames
    for sheet in ("A.I Marco legal", "6 Problemas", "7 Análisis causal", "8 Alternativas", "9 Priorizadas", "10 Cadena de valor",
                  "11 Plan Bicentenario", "12 Roles", "13 Indicadores", "13.1 Matriz lógica GN", "13.2 Matriz lógica GR",
                  "13.3 Presupuesto", "Textos del plan", "Notas sobre la fuente"):
        assert sheet in names, sheet
    assert names.index("7 Análisis causal") < names.index("13.3 Presupuesto")
    assert xlsx_rows(content, "6 Problemas")[0] == [1, "Problema 1 del servicio evaluado"]
    notes = xlsx_rows(content, "Notas sobre la fuente")
    assert ["18", "Cronograma ausente", "La fuente no trae cronograma."] in notes


def test_document_costs_the_same_queries_for_a_small_and_a_large_plan(django_assert_num_queries):
    small, large = make_report_plan(1).plan, make_report_plan(5).plan
    with django_assert_num_queries(47):
        reports.documento(plan=small)
    with django_assert_num_queries(47):
        reports.documento(plan=large)
    # a local level with rows adds its logical matrix (4 queries), whatever the size
    small, large = make_report_plan(1, con_local=True).plan, make_report_plan(4, con_local=True).plan
    with django_assert_num_queries(51):
        reports.documento(plan=small)
    with django_assert_num_queries(51):
        reports.documento(plan=large)


@pytest.mark.parametrize("formato", ["", "xlsx"])
def test_document_page_and_excel_cost_the_same_queries(formato, client, usuario_planificador, django_assert_num_queries):
    client.force_login(usuario_planificador)
    q = f"?formato={formato}" if formato else ""
    for plan in (make_report_plan(1).plan, make_report_plan(3).plan):
        # session, user, groups, plan, the document's 47; the page also the navigation
        with django_assert_num_queries(51 + (0 if formato else NAVEGACION_PLANIFICADOR)):
            assert client.get(reverse("reporte_documento", args=[plan.pk]) + q).status_code == 200


@override_settings(CACHES=LOCMEM)
def test_the_document_and_its_page_are_computed_once_per_data_version(client, usuario_planificador, mtpe,
                                                                      django_assert_num_queries,
                                                                      django_capture_on_commit_callbacks):
    """Issue 13: the document is the same for every reader, so it and its page's HTML are kept
    per data version; a change to the plan is shown at once."""
    from django.core.cache import caches
    from django.db import transaction

    from matrices.models import Problema

    caches["default"].clear()
    plan = make_report_plan(3).plan
    url = reverse("reporte_documento", args=[plan.pk])
    client.force_login(usuario_planificador)

    def pagina() -> str:  # the page without its CSRF token (masked anew on every response)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", client.get(url).content.decode())

    primera = pagina()
    assert "Problema 1 del servicio evaluado" in primera
    # session, user, groups, plan, the data version twice (document, page's HTML), the navigation's
    # unread notices and (its queues') data version
    with django_assert_num_queries(8):
        segunda = pagina()
    assert segunda == primera
    from amc.access import Rol
    from tests import factories as f

    client.force_login(f.make_user(Rol.PLANIFICADOR, mtpe, username="t-doc-otro"))  # another reader: the same page
    assert pagina().replace("t-doc-otro", "t-planificador") == primera
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # as a request's write
        p = Problema.objects.get(plan=plan, numero=1)
        p.enunciado = "Problema 1 redactado de nuevo"
        p.save()
    body = client.get(url).content.decode()
    assert "Problema 1 redactado de nuevo" in body
    # the Excel of the cached document holds its sheets
    names = xlsx_book(client.get(url + "?formato=xlsx").content).sheetnames
    assert "6 Problemas" in names and "13.3 Presupuesto" in names


def test_the_plan_overview_links_every_report_in_three_formats(client, usuario_planificador):
    rp = make_report_plan(1)
    client.force_login(usuario_planificador)
    body = client.get(reverse("plan_detail", args=[rp.plan.pk])).content.decode()
    pk = rp.plan.pk
    for path in ("documento/", "analisis-causal/", "alternativas/", "alineamiento/", "roles/", "indicadores/",
                 "matriz-logica/?nivel=GN", "matriz-logica/?nivel=GR", "presupuesto/"):
        link = f"/planes/{pk}/{path}"
        sep = "&amp;" if "?" in path else "?"
        assert f'href="{link.replace("&", "&amp;")}"' in body, path
        assert f'href="{link}{sep}formato=pdf"' in body and f'href="{link}{sep}formato=xlsx"' in body, path
    assert "Matriz lógica Gobierno Local" not in body
