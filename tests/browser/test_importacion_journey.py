"""Issue 7's journey: a regional user downloads the template for its indicator values, fills
it, uploads it, sees the preview with one refused row, fixes it, and applies it."""
import datetime

import openpyxl
import pytest
from django.utils import timezone

from amc.access import Rol
from matrices.models import Indicador
from seguimiento.models import PeriodoReporte, ValorIndicador
from tests import factories as f
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_puno_imports_its_indicator_values_from_excel(page, drtpe_puno, seed_plan, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    f.make_user(Rol.REGIONAL, drtpe_puno, username="puno-excel")
    hasta = timezone.localdate() + datetime.timedelta(days=30)
    for n in range(1, 5):
        inicio, fin = PeriodoReporte.fechas("trimestral", 2015, n)
        PeriodoReporte.objects.create(plan=seed_plan, frecuencia="trimestral", anio=2015, numero=n, inicio=inicio, fin=fin,
                                      entrega_desde=datetime.date(2015, 1, 1), entrega_hasta=hasta)
    primero, segundo = Indicador.objects.filter(plan=seed_plan, entidad=drtpe_puno).order_by("orden")[:2]

    login(page, "puno-excel", f.PASSWORD)
    page.goto(f"/planes/{seed_plan.pk}/")
    page.locator("#enlace-importar").click()
    page.wait_for_url("**/importar/**")
    with page.expect_download() as descarga:
        page.locator("a[data-hoja='valorindicador']").click()
    plantilla = tmp_path / descarga.value.suggested_filename
    descarga.value.save_as(plantilla)

    # Filled as people do: one value well written, one with the decimal comma of another country.
    wb = openpyxl.load_workbook(plantilla)
    ws = wb["Valores de indicadores"]
    assert [c.value for c in ws[1]][:5] == ["Plan", "Entidad", "Indicador (orden)", "Indicador", "Periodo"]
    ws.append([seed_plan.codigo, "drtpe-puno", primero.orden, primero.nombre, "T1 2015", 12, "", "Primer trimestre", ""])
    ws.append([seed_plan.codigo, "drtpe-puno", segundo.orden, segundo.nombre, "T1 2015", "1.234,50", "", "", ""])
    lleno = tmp_path / "valores.xlsx"
    wb.save(lleno)

    page.locator("#id_hoja").select_option("valorindicador")
    page.locator("#id_archivo").set_input_files(str(lleno))
    page.get_by_role("button", name="Subir y revisar").click()
    page.wait_for_url("**/importar/*/")
    assert page.locator("td[data-estado='nueva']").inner_text() == "1"
    assert page.locator("td[data-estado='rechazada']").inner_text() == "1"
    rechazada = page.locator("tr.fila-rechazada")
    assert rechazada.get_attribute("data-fila") == "3"
    assert "«1.234,50» usa coma decimal" in rechazada.inner_text()
    assert page.get_by_role("button", name="Aplicar la importación").count() == 0
    assert not ValorIndicador.objects.exists()

    # The file comes back with the bad cell marked; the user fixes it and uploads it again.
    with page.expect_download() as marcado:
        page.locator("#descargar-errores").click()
    marcado_path = tmp_path / "marcado.xlsx"
    marcado.value.save_as(marcado_path)
    wb = openpyxl.load_workbook(marcado_path)
    celda = wb["Valores de indicadores"]["F3"]
    assert "coma decimal" in celda.comment.text
    del wb["Errores"]
    celda.value = 1234.5
    celda.comment = None
    wb.save(lleno)
    page.locator("#subir-de-nuevo #id_archivo").set_input_files(str(lleno))
    page.locator("#subir-de-nuevo").get_by_role("button", name="Subir y revisar").click()
    page.wait_for_url("**/importar/*/")
    assert page.locator("td[data-estado='nueva']").inner_text() == "2"
    assert page.locator("td[data-estado='rechazada']").inner_text() == "0"
    page.get_by_role("button", name="Aplicar la importación").click()

    page.wait_for_url(f"**/planes/{seed_plan.pk}/")
    assert "Importación aplicada (valores.xlsx): 2 fila(s) nuevas" in page.locator(".messages").inner_text()
    assert sorted(ValorIndicador.objects.values_list("indicador__orden", "valor", "estado")) == [
        (primero.orden, 12, "borrador"), (segundo.orden, 1234.5, "borrador")]
