"""Issue 11's evaluation journey: DRTPE Puno saves a value below its target, the page asks why;
Puno writes the difficulties, the measures and the period's achievements and submits; a
planner opens «Evaluación del periodo» from the plan and reads them, and finds them in the PDF."""
import io

import pdfplumber
import pytest

from amc.access import Rol
from seguimiento.models import LogrosPeriodo, ValorIndicador
from tests import factories as f
from tests.browser.conftest import login
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db(transaction=True)


def test_explain_what_is_off_track_and_read_it_in_the_evaluation(page, drtpe_puno, mtpe):
    esc = sf.escenario(n_indicadores=2, n_actividades=0, usuarios=False)
    f.make_user(Rol.REGIONAL, drtpe_puno, username="puno-eval")
    f.make_user(Rol.PLANIFICADOR, mtpe, username="plan-eval")
    ind1, ind2 = esc.indicadores
    t1 = esc.periodo
    sf.meta_periodo(ind1, t1, 20)
    sf.meta_periodo(ind2, t1, 20)

    login(page, "puno-eval", f.PASSWORD)
    page.goto(f"/planes/{esc.plan.pk}/reportar/{t1.pk}/")
    assert page.locator(f"#evaluacion-{ind1.pk}").get_attribute("open") is None  # nothing saved yet: closed
    page.locator(f"#id_i{ind1.pk}-valor").fill("19")
    page.locator(f"#id_i{ind2.pk}-valor").fill("8")
    page.get_by_role("button", name="Guardar borrador").click()
    assert "Borrador guardado" in page.locator(".messages").inner_text()
    # The value below its target opens its difficulties; the one on track does not.
    assert page.locator(f"#evaluacion-{ind2.pk}").get_attribute("open") is not None
    assert page.locator(f"#evaluacion-{ind1.pk}").get_attribute("open") is None
    assert "Por debajo" in page.locator(f"#desempeno-{ind2.pk}").inner_text()
    page.get_by_label("Dificultades").nth(1).fill("Lluvias intensas: se suspendió el taller de Azángaro.")
    page.get_by_label("Medidas correctivas").nth(1).fill("Taller reprogramado para la segunda semana de abril.")
    for ind in (ind1, ind2):
        page.locator(f"#id_i{ind.pk}-evidencia_url").fill("https://example.org/acta.pdf")
    page.get_by_label("Logros del periodo").fill("Se capacitó a 27 servidores en Puno y Juliaca.")
    page.get_by_role("button", name="Enviar al ministerio").click()
    mensaje = page.locator(".messages").inner_text()
    assert "Se enviaron 2 registro(s)" in mensaje and "Se envió el resumen de logros del periodo." in mensaje
    valor = ValorIndicador.objects.get(indicador=ind2)
    assert valor.dificultades.startswith("Lluvias intensas") and valor.estado == "enviado"
    assert LogrosPeriodo.objects.get(periodo=t1, entidad=drtpe_puno).enviado_en is not None

    page.context.clear_cookies()
    login(page, "plan-eval", f.PASSWORD)
    page.goto(f"/planes/{esc.plan.pk}/")
    page.get_by_role("link", name="Evaluación del periodo").click()
    page.goto(f"/planes/{esc.plan.pk}/evaluacion/{t1.pk}/")  # the first quarter, whatever today is
    seccion = page.locator(f"#entidad-{drtpe_puno.pk}").inner_text()
    assert "Lluvias intensas: se suspendió el taller de Azángaro." in seccion
    assert "Se capacitó a 27 servidores en Puno y Juliaca." in seccion and "40.0%" in seccion
    assert "Indicadores reportados: 2 de 2" in seccion
    with page.expect_download() as descarga:
        page.locator("#descargar-pdf").click()
    with pdfplumber.open(io.BytesIO(open(descarga.value.path(), "rb").read())) as pdf:
        texto = " ".join(" ".join(p.extract_text() or "" for p in pdf.pages).split())
    assert "Taller reprogramado para la segunda semana de abril." in texto and "Se capacitó a 27 servidores" in texto
