"""Issue 12's journey: a planner opens the national view for 2015, IV quarter (T4 2015), sorts it by %
achieved, opens Puno's cell (the period's evaluation in Puno's plan), comes back, downloads the
PDF and the Excel file and finds the figures the page shows. At 390 px the page does not
scroll sideways (the table scrolls inside its box)."""
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from amc.access import Rol
from planes.management.commands.cargar_seed import seed_fixture_paths
from tests import factories as f
from tests.browser.conftest import login
from tests.report_helpers import norm, pdf_text, xlsx_header, xlsx_rows

pytestmark = pytest.mark.django_db(transaction=True)


def test_planner_compares_the_regions_and_downloads_the_same_figures(page, mtpe, seed_plan):
    call_command("loaddata", *[str(p) for p in seed_fixture_paths(demo=True) if p.parent.name == "demo"], verbosity=0)
    f.make_user(Rol.PLANIFICADOR, mtpe, username="planificador-nacional")
    login(page, "planificador-nacional", f.PASSWORD)

    page.goto("/")
    page.get_by_role("link", name="Vista nacional").click()
    page.locator("#filtros select[name=anio]").select_option("2015")
    page.get_by_role("button", name="Aplicar").click()
    page.locator("#filtros select[name=periodo]").select_option(label="T4 2015")
    page.locator("#filtros select[name=orden]").select_option(label="% de logro (mayor primero)")
    page.get_by_role("button", name="Aplicar").click()
    page.wait_for_url("**/nacional/?*orden=logro*")
    assert page.get_by_role("heading", name="Vista nacional: T4 2015").is_visible()
    filas = page.locator("#tabla-nacional tr.region")
    assert filas.evaluate_all("rs => rs.map(r => r.dataset.entidad)") == ["grtpe-arequipa", "drtpe-cusco", "drtpe-puno"]
    cusco = norm(page.locator('tr[data-entidad="drtpe-cusco"] td[data-entrada="servidores-capacitados"]').inner_text())
    assert cusco.startswith("6 Meta: 8 75.0%")
    assert page.locator("#grafico-regiones svg").is_visible()
    vista = page.url

    page.locator('tr[data-entidad="drtpe-puno"] td[data-entrada="servidores-capacitados"] a').click()
    page.wait_for_url(f"**/planes/{seed_plan.pk}/evaluacion/*/?entidad=drtpe-puno")
    assert page.get_by_role("heading", name=re.compile("^Evaluación del periodo")).is_visible()
    assert page.locator("#marca-demostracion").count() == 0  # Puno's plan is the seed's, not a demo
    page.go_back()
    page.wait_for_url(vista)
    assert filas.first.get_attribute("data-entidad") == "grtpe-arequipa"

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Descargar PDF").click()
    pdf = pdf_download.value
    assert pdf.suggested_filename.startswith("nacional-2015-trimestral-4_") and pdf.suggested_filename.endswith(".pdf")
    texto = pdf_text(Path(pdf.path()).read_bytes())
    for cifra in ("Meta: 8", "75.0%", "Total nacional", "Meta: 21", "66.7%", "S/ 15,400.00", "Demostración"):
        assert cifra in texto, cifra
    assert texto.index("GRTPE Arequipa") < texto.index("DRTPE Cusco") < texto.index("DRTPE Puno")  # the same order

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Descargar Excel").click()
    contenido = Path(xlsx_download.value.path()).read_bytes()
    col = xlsx_header(contenido, "Vista nacional").index("Nº de servidores capacitados: valor")
    filas_xlsx = xlsx_rows(contenido, "Vista nacional")
    assert [r[2] for r in filas_xlsx[:3]] == ["demo-arequipa-2015-2017", "demo-cusco-2015-2017", "mtpe-puno-2015"]
    cusco_xlsx = next(r for r in filas_xlsx if r[0].endswith("del Cusco"))
    assert cusco_xlsx[col:col + 4] == [6, 8, 75, "Por debajo"]
    assert next(r for r in filas_xlsx if r[0] == "Nacional")[col:col + 2] == [14, 21]

    page.set_viewport_size({"width": 390, "height": 800})
    anchos = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 392)
        .slice(0, 12).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, anchos
