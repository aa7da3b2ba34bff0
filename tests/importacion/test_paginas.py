"""The import pages: template, upload, preview, apply, the refused file handed back."""
import io

import openpyxl
import pytest
from django.urls import reverse

from amc.access import Rol
from matrices.models import Actividad, Causa
from tests import factories as f
from tests.importacion.conftest import huella_bd
from tests.importacion.helpers import CAUSAS, libro

pytestmark = pytest.mark.django_db


def subir(client, plan, data, nombre="causas.xlsx", hoja=""):
    archivo = io.BytesIO(data)
    archivo.name = nombre
    return client.post(reverse("importacion:subir"), {"plan": plan.pk, "hoja": hoja, "archivo": archivo})


def test_planners_do_not_import(client, usuario_planificador, plan):
    client.force_login(usuario_planificador)
    response = client.get(reverse("importacion:inicio"))
    assert response.status_code == 403
    assert "los planificadores consultan y exportan" in response.content.decode()


def test_the_template_is_prefilled_with_the_entitys_rows_and_explains_each_column(client, usuario_puno, plan):
    client.force_login(usuario_puno)
    response = client.get(reverse("importacion:plantilla"), {"plan": plan.pk})
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[:4] == ["Causas", "Subpuntos de causas", "Alternativas", "Subítems de alternativas"]
    assert {"Instrucciones", "Listas"} <= set(wb.sheetnames) and wb["Listas"].sheet_state == "hidden"
    actividades = wb["Actividades"]
    assert [c.value for c in actividades[1]] == ["Plan", "Entidad", "Nivel", "Orden", "Producto (orden)", "Fase", "Actividad"]
    # Only its own entity's rows: DRTPE Puno's activity, not the ministry's.
    assert [c.value for c in actividades[2]] == [plan.codigo, "drtpe-puno", "GR", 1, 1, "Ejecución", "Actividad de DRTPE Puno"]
    assert actividades.max_row == 2
    listas = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in actividades.data_validations.dataValidation}
    assert set(listas) >= {"A2", "B2", "C2", "E2", "F2"}  # plan, entity, level, product, phase
    causas = wb["Causas"]
    problema_dv = next(dv for dv in causas.data_validations.dataValidation if str(dv.sqref).startswith("C2"))
    col = problema_dv.formula1.split("$")[1]
    assert [wb["Listas"][f"{col}{i}"].value for i in (1, 2, 3)] == ["problemas", 1, 2]
    instrucciones = [c.value for row in wb["Instrucciones"].iter_rows() for c in row if c.value]
    assert "Hoja «Presupuesto»" in instrucciones and "Costo unitario (S/)" in instrucciones
    assert any("No use coma decimal" in str(v) for v in instrucciones)
    assert causas["D1"].comment.text.startswith("Letra de la causa")


def test_upload_preview_then_apply(client, usuario_puno, plan):
    client.force_login(usuario_puno)
    response = subir(client, plan, libro({"Causas": [CAUSAS, [plan.codigo, "drtpe-puno", 1, "a", "Poca difusión"]]}))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    body = preview.content.decode()
    assert 'data-estado="nueva">1<' in body and "Aplicar la importación" in body
    assert not Causa.objects.filter(problema__plan=plan).exists()
    token = response["Location"].rstrip("/").split("/")[-1]
    done = client.post(reverse("importacion:aplicar", args=[token]), {"huella": preview.context["resultado"].huella})
    assert done.status_code == 302 and done["Location"] == reverse("plan_detail", args=[plan.pk])
    assert Causa.objects.get(problema__plan=plan).texto == "Poca difusión"
    assert "Importación aplicada (causas.xlsx): 1 fila(s) nuevas" in client.get(done["Location"]).content.decode()
    # The kept file is gone once applied.
    assert client.get(reverse("importacion:vista", args=[token])).status_code == 404


def test_apply_refuses_when_the_outcome_differs_from_the_preview(client, usuario_puno, plan, drtpe_puno):
    client.force_login(usuario_puno)
    response = subir(client, plan, libro({"Causas": [CAUSAS, [plan.codigo, "drtpe-puno", 1, "a", "Poca difusión"]]}))
    token = response["Location"].rstrip("/").split("/")[-1]
    huella = client.get(response["Location"]).context["resultado"].huella
    f.make_causa(plan.problemas.get(numero=1), drtpe_puno, "a", "Escrita mientras tanto")  # a colleague, meanwhile
    done = client.post(reverse("importacion:aplicar", args=[token]), {"huella": huella})
    assert done["Location"] == reverse("importacion:vista", args=[token])
    assert Causa.objects.get(problema__plan=plan).texto == "Escrita mientras tanto"


def test_a_refused_file_comes_back_with_its_cells_marked_and_commented(client, usuario_puno, plan):
    client.force_login(usuario_puno)
    data = libro({"Causas": [CAUSAS, [plan.codigo, "drtpe-puno", 1, "a", "Bien"], [plan.codigo, "drtpe-puno", 7, "b", "Mal"]]})
    response = subir(client, plan, data)
    body = client.get(response["Location"]).content.decode()
    assert "Rechazada" in body and "No se puede aplicar" in body and "Aplicar la importación" not in body
    assert "El plan " + plan.codigo + " no tiene el problema 7" in body
    token = response["Location"].rstrip("/").split("/")[-1]
    returned = client.get(reverse("importacion:errores", args=[token]))
    wb = openpyxl.load_workbook(io.BytesIO(returned.content))
    assert wb.sheetnames[0] == "Errores"
    cell = wb["Causas"]["C3"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "no tiene el problema 7" in cell.comment.text
    assert wb["Causas"]["C2"].comment is None
    assert [c.value for c in wb["Errores"][2]][:3] == ["Causas", 3, "Problema"]


def test_someone_elses_upload_is_not_found(client, usuario_puno, plan, drtpe_puno):
    client.force_login(usuario_puno)
    response = subir(client, plan, libro({"Causas": [CAUSAS, [plan.codigo, "drtpe-puno", 1, "a", "x"]]}))
    token = response["Location"].rstrip("/").split("/")[-1]
    colega = f.make_user(Rol.REGIONAL, drtpe_puno)
    client.force_login(colega)
    assert client.get(reverse("importacion:vista", args=[token])).status_code == 404
    assert client.post(reverse("importacion:aplicar", args=[token]), {"huella": "x"}).status_code == 404
    assert not Causa.objects.filter(problema__plan=plan).exists()


def test_a_file_over_the_limit_is_refused_before_it_is_kept(client, usuario_puno, plan, settings):
    settings.AMC_IMPORTACION_MAX_BYTES = 1000
    client.force_login(usuario_puno)
    antes = huella_bd(plan)
    response = subir(client, plan, libro({"Causas": [CAUSAS, *[[plan.codigo, "drtpe-puno", 1, "a", "x" * 300]] * 20]}))
    assert response.status_code == 400
    assert "el límite es" in response.content.decode()
    assert huella_bd(plan) == antes


def test_a_regional_user_cannot_import_for_the_ministry(client, usuario_puno, plan, mtpe):
    client.force_login(usuario_puno)
    data = libro({"Actividades": [["Plan", "Entidad", "Nivel", "Orden", "Producto (orden)", "Fase", "Actividad"],
                                  [plan.codigo, "mtpe", "GN", 1, 1, "Ejecución", "Cambiada"]]})
    archivo = io.BytesIO(data)
    archivo.name = "x.xlsx"
    # Naming another entity is ignored for non-administrators: the import is for its own entity,
    # and the ministry's rows in the file refuse it whole.
    response = client.post(reverse("importacion:subir"), {"plan": plan.pk, "entidad": mtpe.pk, "archivo": archivo})
    body = client.get(response["Location"]).content.decode()
    assert "Se rechaza el archivo entero" in body
    assert Actividad.objects.get(plan=plan, entidad=mtpe).descripcion == "Actividad de MTPE"
