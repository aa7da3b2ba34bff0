"""Issue 5's journey: DRTPE Puno files the quarter's values with evidence and submits; the
ministry returns one with an observation; Puno corrects and resubmits; the ministry approves
and the period locks; a planner exports the tracking report and finds the values and
percentages in the Excel file and the PDF."""
import io
from decimal import Decimal

import openpyxl
import pdfplumber
import pytest

from amc.access import Rol
from seguimiento.models import PeriodoReporte, ValorIndicador
from tests import factories as f
from tests.browser.conftest import login
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db(transaction=True)


def _como(page, username):
    page.context.clear_cookies()
    login(page, username, f.PASSWORD)


def test_file_return_correct_approve_and_export(page, drtpe_puno, mtpe):
    esc = sf.escenario(n_indicadores=2, n_actividades=1, usuarios=False)
    f.make_user(Rol.REGIONAL, drtpe_puno, username="puno-seg", first_name="Rosa", last_name="Quispe")
    f.make_user(Rol.MINISTERIO, mtpe, username="mtpe-seg", first_name="Jorge", last_name="Revisor")
    f.make_user(Rol.PLANIFICADOR, mtpe, username="plan-seg")
    ind1, ind2 = esc.indicadores
    t1 = esc.periodo
    sf.meta_periodo(ind1, t1, 25)
    sf.meta_periodo(ind2, t1, 40)
    act = esc.actividades[0]

    # Puno files the quarter: a value with a PDF, another with a link, the activity's progress.
    _como(page, "puno-seg")
    page.goto(f"/planes/{esc.plan.pk}/")
    page.get_by_role("link", name="Periodos y reporte de avances").click()
    page.locator(f"#periodo-{t1.pk}").get_by_role("link", name="Reportar").click()
    page.locator(f"#id_i{ind1.pk}-valor").fill("20")
    page.locator(f"#id_i{ind1.pk}-evidencia").set_input_files(
        files=[{"name": "acta-taller.pdf", "mimeType": "application/pdf", "buffer": sf.PDF_BYTES}])
    page.locator(f"#id_i{ind2.pk}-valor").fill("30")
    page.locator(f"#id_i{ind2.pk}-evidencia_url").fill("https://example.org/lista-asistencia.pdf")
    page.locator(f"#id_a{act.pk}-situacion").select_option("en_proceso")
    page.locator(f"#id_a{act.pk}-avance_fisico").fill("40")
    page.get_by_role("button", name="Enviar al ministerio").click()
    assert "Se enviaron 3 registro(s) al ministerio" in page.locator(".messages").inner_text()
    assert set(ValorIndicador.objects.values_list("estado", flat=True)) == {"enviado"}

    # The ministry returns the second value with an observation.
    _como(page, "mtpe-seg")
    page.goto(f"/planes/{esc.plan.pk}/revision/")
    page.locator(f"#rev-periodo-{t1.pk}").get_by_role("link").first.click()
    seccion = page.locator(f"#rev-ind-{ind2.pk}")
    seccion.get_by_label("Observación").fill("La lista de asistencia no tiene firmas")
    seccion.get_by_role("button", name="Devolver con observación").click()
    assert "Devuelto a la entidad" in page.locator(".messages").inner_text()

    # Puno sees the observation, corrects with a reason and resubmits.
    _como(page, "puno-seg")
    page.goto(f"/planes/{esc.plan.pk}/reportar/{t1.pk}/")
    assert "La lista de asistencia no tiene firmas" in page.locator(f"#ind-{ind2.pk} .observacion").inner_text()
    page.locator(f"#id_i{ind2.pk}-valor").fill("28")
    page.locator(f"#id_i{ind2.pk}-evidencia_url").fill("https://example.org/lista-firmada.pdf")
    page.get_by_role("button", name="Enviar al ministerio").click()
    assert "No se guardó nada" in page.locator("#errores").inner_text()  # the reason is missing
    assert page.locator(f"#id_i{ind2.pk}-valor").input_value() == "28"  # what was typed is kept
    page.locator(f"#id_i{ind2.pk}-motivo").fill("Lista firmada; dos asistentes no eran servidores")
    page.get_by_role("button", name="Enviar al ministerio").click()
    assert "Se enviaron 1 registro(s)" in page.locator(".messages").inner_text()

    # The ministry approves everything; the period locks.
    _como(page, "mtpe-seg")
    page.goto(f"/planes/{esc.plan.pk}/revision/{t1.pk}/{drtpe_puno.pk}/")
    historial = page.locator(f"#rev-ind-{ind2.pk} .historial").inner_text()
    assert "Devuelto con observación" in historial and "Lista firmada; dos asistentes no eran servidores" in historial
    page.locator("#confirmar-aprobar-todo").check()  # issue 11: approving everything is confirmed
    page.get_by_role("button", name="Aprobar todo lo enviado").click()
    assert "Se aprobaron 3 registro(s)." in page.locator(".messages").inner_text()
    assert PeriodoReporte.objects.get(pk=t1.pk).estado == "cerrado"
    _como(page, "puno-seg")
    page.goto(f"/planes/{esc.plan.pk}/reportar/{t1.pk}/")
    assert "Cerrado: valores aprobados" in page.locator("#situacion-periodo").inner_text()
    assert page.get_by_role("button", name="Enviar al ministerio").count() == 0

    # The planner exports the tracking report.
    _como(page, "plan-seg")
    page.goto(f"/planes/{esc.plan.pk}/seguimiento/")
    assert "80.0%" in page.locator("#tabla-indicadores").inner_text()  # 20 of 25
    with page.expect_download() as descarga:
        page.locator("#descargar-xlsx").click()
    assert descarga.value.suggested_filename.endswith(".xlsx")
    with open(descarga.value.path(), "rb") as fh:
        wb = openpyxl.load_workbook(io.BytesIO(fh.read()))
    filas = {r[2]: r for r in wb["Indicadores por periodo"].iter_rows(values_only=True) if r and r[3] == t1.nombre}
    assert filas[ind1.nombre][5] == 20 and filas[ind1.nombre][9] == 80
    assert filas[ind2.nombre][5] == 28 and filas[ind2.nombre][9] == 70 and filas[ind2.nombre][6] == "Aprobado"
    with page.expect_download() as descarga:
        page.locator("#descargar-pdf").click()
    with pdfplumber.open(descarga.value.path()) as pdf:
        texto = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert ind2.nombre in texto and "28.00" in texto and "70.0%" in texto
    assert ValorIndicador.objects.get(indicador=ind2).valor == Decimal("28")
