"""The national indicator catalogue (issue 12, item 1): its entries refuse a percentage added up
as a sum and a weighted average without its denominator; an indicator links only to an entry
of its unit and direction, in the admin and by import, with a message that says why; the seed's
indicators that mean the same thing are linked."""
from __future__ import annotations

import io

import openpyxl
import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from importacion.services import hoja_por_clave, plantilla
from matrices.models import Indicador, IndicadorCatalogo, Sentido
from tests.importacion.conftest import plan  # noqa: F401  (the small plan of the import tests)
from tests.importacion.helpers import importar

pytestmark = pytest.mark.django_db


def _entrada(codigo="prueba-conteo", **kw):
    datos = {"nombre": "Entrada de prueba", "unidad": "numero", "agregacion": "suma"} | kw
    return IndicadorCatalogo(codigo=codigo, **datos)


def test_a_percentage_added_up_as_a_sum_is_refused():
    with pytest.raises(ValidationError) as exc:
        _entrada(unidad="porcentaje", agregacion="suma").full_clean()
    assert "Un porcentaje no se suma entre entidades" in exc.value.message_dict["agregacion"][0]


def test_a_weighted_average_needs_a_summed_count_as_its_denominator():
    with pytest.raises(ValidationError) as exc:
        _entrada(unidad="porcentaje", agregacion="ponderado").full_clean()
    assert "necesita su denominador" in exc.value.message_dict["denominador"][0]
    pct = IndicadorCatalogo.objects.get(codigo="personas-beneficiadas-promocion-empleo")
    with pytest.raises(ValidationError) as exc:
        _entrada(unidad="porcentaje", agregacion="ponderado", denominador=pct).full_clean()
    assert "El denominador debe ser un conteo" in exc.value.message_dict["denominador"][0]
    _entrada(unidad="porcentaje", agregacion="ponderado",
             denominador=IndicadorCatalogo.objects.get(codigo="servidores-capacitados")).full_clean()


def test_the_catalogue_admin_refuses_a_percentage_summed_and_saves_nothing(client, usuario_mtpe):
    client.force_login(usuario_mtpe)
    response = client.post("/admin/matrices/indicadorcatalogo/add/", {
        "codigo": "pct-sumado", "nombre": "% sumado", "unidad": "porcentaje", "sentido": "ascendente",
        "agregacion": "suma", "orden": "0"})
    assert response.status_code == 200
    assert "Un porcentaje no se suma entre entidades" in response.content.decode()
    assert not IndicadorCatalogo.objects.filter(codigo="pct-sumado").exists()


def test_the_seed_indicators_that_mean_the_same_are_linked(seed_plan):
    vinculados = {(i.entidad.codigo, i.orden): i.catalogo.codigo
                  for i in Indicador.objects.filter(plan=seed_plan, catalogo__isnull=False).select_related("entidad", "catalogo")}
    assert vinculados[("mtpe", 1)] == vinculados[("drtpe-puno", 1)] == "personas-beneficiadas-promocion-empleo"
    assert [k for k, v in sorted(vinculados.items()) if v == "servidores-capacitados"] == [
        ("drtpe-puno", n) for n in (6, 7, 9, 11, 13)]
    assert len(vinculados) == 11


def _admin_form(usuario, indicador, catalogo):
    model_admin = admin.site._registry[Indicador]
    request = RequestFactory().post("/")
    request.user = usuario
    Form = model_admin.get_form(request, indicador)
    data = {f: getattr(indicador, f) for f in ("nombre", "unidad_medida", "formula", "medio_verificacion", "agregacion",
                                                "sentido", "frecuencia_reporte", "orden")}
    data.update(plan=indicador.plan_id, entidad=indicador.entidad_id, actividad=indicador.actividad_id,
                requiere_evidencia="on", catalogo=catalogo.pk)
    data = {k: ("" if v is None else v) for k, v in data.items()}
    return Form(data=data, instance=indicador)


def test_the_admin_refuses_linking_a_percentage_to_a_count_and_changes_nothing(seed_plan, usuario_puno):
    pct = Indicador.objects.get(plan=seed_plan, entidad__codigo="drtpe-puno", orden=1)
    form = _admin_form(usuario_puno, pct, IndicadorCatalogo.objects.get(codigo="servidores-capacitados"))
    assert not form.is_valid()
    assert form.errors["catalogo"] == [
        "El indicador se mide en porcentaje y la entrada «servidores-capacitados» del catálogo en número (conteo): no se "
        "pueden comparar ni sumar. Vincúlelo a una entrada de la misma unidad o corrija su unidad de medida."]
    pct.refresh_from_db()
    assert pct.catalogo.codigo == "personas-beneficiadas-promocion-empleo"


def test_the_admin_links_a_count_to_a_count(seed_plan, usuario_puno):
    ind = Indicador.objects.get(plan=seed_plan, entidad__codigo="drtpe-puno", orden=5)  # «Nª de asistencias técnicas…»
    form = _admin_form(usuario_puno, ind, IndicadorCatalogo.objects.get(codigo="servidores-capacitados"))
    assert form.is_valid(), form.errors
    form.save()
    assert Indicador.objects.get(pk=ind.pk).catalogo.codigo == "servidores-capacitados"


def test_a_direction_that_differs_from_the_entry_is_refused(seed_plan):
    ind = Indicador.objects.get(plan=seed_plan, entidad__codigo="drtpe-puno", orden=6)
    ind.sentido = Sentido.DESCENDENTE
    with pytest.raises(ValidationError) as exc:
        ind.full_clean()
    assert "El indicador es descendente y la entrada «servidores-capacitados» del catálogo es ascendente" in str(exc.value)


def _con_catalogo(usuario, plan, codigo) -> bytes:
    """The entity's template of the «Indicadores» sheet, its row with `codigo` in «Código del catálogo»."""
    data = plantilla(plan=plan, entidad=usuario.entidad, clases=[hoja_por_clave("indicador")], usuario=usuario)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Indicadores"]
    ws.cell(row=2, column=[c.value for c in ws[1]].index("Código del catálogo") + 1).value = codigo
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_an_import_links_an_indicator_by_the_entry_code(usuario_puno, plan):
    hecho = importar(usuario_puno, plan, _con_catalogo(usuario_puno, plan, "servidores-capacitados"), aplicar=True)
    assert hecho.aplicado, [f.errores for f in hecho.filas]
    assert Indicador.objects.get(plan=plan, entidad=usuario_puno.entidad).catalogo.codigo == "servidores-capacitados"


@pytest.mark.parametrize("codigo, mensaje", [
    ("personas-beneficiadas-promocion-empleo",
     "El indicador se mide en número (conteo) y la entrada «personas-beneficiadas-promocion-empleo» del catálogo en porcentaje"),
    ("no-existe", "El catálogo de indicadores no tiene la entrada «no-existe»"),
])
def test_an_import_refuses_a_bad_link_and_changes_nothing(usuario_puno, plan, codigo, mensaje):
    resultado = importar(usuario_puno, plan, _con_catalogo(usuario_puno, plan, codigo), aplicar=True)
    assert not resultado.aplicado
    errores = [m for f in resultado.filas for m in f.errores.get("Código del catálogo", [])]
    assert any(mensaje in m for m in errores), [f.errores for f in resultado.filas]
    assert Indicador.objects.get(plan=plan, entidad=usuario_puno.entidad).catalogo is None


def test_another_regions_staff_cannot_link_puno_s_indicator_by_a_forged_form(client, seed_plan):
    from amc.access import Rol
    from planes.models import Entidad
    from tests import factories as f

    cusco = f.make_user(Rol.REGIONAL, Entidad.objects.get(codigo="drtpe-cusco"), username="t-cusco-catalogo")
    client.force_login(cusco)
    ind = Indicador.objects.get(plan=seed_plan, entidad__codigo="drtpe-puno", orden=5)
    response = client.post(f"/admin/matrices/indicador/{ind.pk}/change/", {
        "catalogo": IndicadorCatalogo.objects.get(codigo="servidores-capacitados").pk, "nombre": "cambiado"})
    assert response.status_code == 403
    ind.refresh_from_db()
    assert ind.catalogo is None and ind.nombre.startswith("Nª de asistencias")
