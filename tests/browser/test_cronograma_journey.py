"""Issue 6's journey: a planner opens a plan's schedule, filters it to DRTPE Puno's delayed
activities at a cut-off date, and downloads the PDF and the Excel sheet, which hold the same
activities."""
import io

import openpyxl
import pdfplumber
import pytest

from amc.access import Rol
from tests import factories as f
from tests.browser.conftest import login
from tests.cronograma import factories as cf

pytestmark = pytest.mark.django_db(transaction=True)


def test_planner_filters_puno_delayed_activities_and_downloads_pdf_and_excel(page, drtpe_puno, mtpe):
    plan, rector, puno = cf.make_plan_cronograma(regional=drtpe_puno)
    producto = cf.make_producto(plan)
    atrasada = cf.make_actividad(plan, puno, 1, "Talleres de empleabilidad en Juliaca", producto=producto)
    al_dia = cf.make_actividad(plan, puno, 2, "Difusión del Foro Vocacional", producto=producto)
    nacional = cf.make_actividad(plan, rector, 1, "Directiva nacional del Centro de Empleo", producto=producto)
    for act in (atrasada, al_dia, nacional):
        cf.make_cronograma(act, (2015, 3), (2015, 6), "4", meses={(2015, m): 1 for m in (3, 4, 5, 6)})
    t2 = cf.make_periodo(plan, numero=2)
    cf.reportar(atrasada, t2, 25)  # 100% programmed by June, 25% done
    cf.reportar(al_dia, t2, 100)
    f.make_user(Rol.PLANIFICADOR, mtpe, username="planificadora")

    login(page, "planificadora", f.PASSWORD)
    page.goto(f"/planes/{plan.pk}/")
    page.get_by_role("link", name="18. Cronograma de actividades (diagrama de Gantt y retrasos)").click()
    filtros = page.locator("#filtros")
    filtros.locator("select[name=entidad]").select_option(label="DRTPE Puno")
    filtros.locator("select[name=retrasadas]").select_option(label="Solo retrasadas")
    filtros.locator("select[name=hoy]").select_option(label="30/06/2015")
    page.get_by_role("button", name="Aplicar").click()
    page.wait_for_url(lambda url: "retrasadas=si" in url)

    filas = page.locator("#cronograma tr[data-actividad]")
    assert filas.count() == 1
    assert "Talleres de empleabilidad en Juliaca" in filas.first.inner_text()
    assert "Retrasada 75.0 pts" in filas.first.inner_text()
    assert "1 retrasada" in page.locator("#crono-resumen").inner_text()
    assert page.locator("#cronograma th.mes.hoy").inner_text() == "Jun"

    with page.expect_download() as descarga:
        page.locator("#descargar-pdf").click()
    pdf = descarga.value
    assert pdf.suggested_filename.startswith(f"{plan.codigo}_cronograma_") and pdf.suggested_filename.endswith(".pdf")
    with pdfplumber.open(io.BytesIO(open(pdf.path(), "rb").read())) as doc:
        texto = " ".join(p.extract_text() or "" for p in doc.pages)
    assert "Talleres de empleabilidad en Juliaca" in texto and "Retrasada 75.0" in texto
    assert "Difusión del Foro Vocacional" not in texto and "Directiva nacional" not in texto
    assert "Entidad: DRTPE Puno" in texto and "Retraso: Solo retrasadas" in texto and "Fecha de corte: 30/06/2015" in texto

    with page.expect_download() as descarga:
        page.locator("#descargar-xlsx").click()
    xlsx = descarga.value
    assert xlsx.suggested_filename.endswith(".xlsx")
    ws = openpyxl.load_workbook(open(xlsx.path(), "rb"))["Cronograma"]
    filas = [[c.value for c in r] for r in ws.iter_rows() if isinstance(r[0].value, int)]
    assert [(r[0], r[1]) for r in filas] == [(1, "Talleres de empleabilidad en Juliaca")]
    assert filas[0][8] == 75 and filas[0][13:17] == [1, 1, 1, 1]
