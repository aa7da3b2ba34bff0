"""Issue 13's journey: a planner asks for the national tracking report's PDF (every entity of a
plan too large for one page); the file is made by the task worker while the progress page
shows its stage and refreshes itself; the planner downloads it; asking again for the same
report on unchanged data downloads the stored file at once, without a new export."""
from pathlib import Path
from types import SimpleNamespace

import pdfplumber
import pytest

from amc import exportaciones
from amc.access import Rol
from amc.models import Exportacion
from planes.reports import ENTIDADES_EN_UNA_PAGINA
from tests import factories as f
from tests.browser.conftest import login
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db(transaction=True)


def test_planner_exports_the_national_tracking_pdf_through_the_progress_page(page, mtpe, settings, monkeypatch):
    settings.AMC_EXPORTACIONES_EN_SEGUNDO_PLANO = True
    encoladas = []  # the queue: the worker (procesar, below) takes what the request enqueued
    monkeypatch.setattr(exportaciones, "exportar", SimpleNamespace(enqueue=encoladas.append))
    esc = sf.escenario(n_indicadores=1, extra_regiones=ENTIDADES_EN_UNA_PAGINA, usuarios=False)
    otra = next(i.entidad for i in esc.indicadores if i.entidad_id != esc.puno.pk)
    f.make_user(Rol.PLANIFICADOR, mtpe, username="plan-exp")
    login(page, "plan-exp", f.PASSWORD)

    page.goto(f"/planes/{esc.plan.pk}/seguimiento/")
    tabla = page.locator("#tabla-indicadores").inner_text()
    assert "DRTPE Puno" in tabla and otra.sigla not in tabla  # a national plan's page: one entity
    page.get_by_label("Entidad").select_option("todas")
    page.get_by_role("button", name="Aplicar").click()
    page.wait_for_url("**entidad=todas**")
    informe = page.url
    assert otra.sigla in page.locator("#tabla-indicadores").inner_text()

    page.locator("#descargar-pdf").click()
    page.wait_for_url("**/exportaciones/*/")
    assert page.locator("#etapa").inner_text() == "En cola…"
    assert page.get_by_label("Avance").is_visible()
    assert len(encoladas) == 1

    assert exportaciones.procesar(encoladas[0]) == Exportacion.Estado.LISTA  # the worker makes the file
    page.locator("#descargar").wait_for(timeout=15_000)  # the page refreshes itself
    assert page.locator("#etapa").inner_text() == "El archivo está listo."
    with page.expect_download() as descarga:
        page.locator("#descargar").click()
    with pdfplumber.open(descarga.value.path()) as pdf:
        texto = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert "Servidores capacitados 1 (DRTPE Puno)" in texto and f"Servidores capacitados 1 ({otra.sigla})" in texto
    primera = Path(descarga.value.path()).read_bytes()

    # The same report (same filters) again: the stored file at once, no new export.
    page.goto(informe)
    with page.expect_download() as descarga:
        page.locator("#descargar-pdf").click()
    assert Path(descarga.value.path()).read_bytes() == primera
    assert len(encoladas) == 1 and Exportacion.objects.count() == 1
