"""The «Indicadores» sheet carries each indicator's direction («Sentido»): its template lists the
allowed values; an import sets it; an empty cell is «Ascendente»; anything else is refused with
the allowed values named."""
import io

import openpyxl
import pytest

from importacion.services import hoja_por_clave, plantilla
from matrices.models import Indicador, Sentido
from tests.importacion.helpers import importar

pytestmark = pytest.mark.django_db


def _plantilla(usuario, plan) -> openpyxl.Workbook:
    data = plantilla(plan=plan, entidad=usuario.entidad, clases=[hoja_por_clave("indicador")], usuario=usuario)
    return openpyxl.load_workbook(io.BytesIO(data))


def _con_sentido(wb, valor) -> bytes:
    ws = wb["Indicadores"]
    col = [c.value for c in ws[1]].index("Sentido") + 1
    ws.cell(row=2, column=col).value = valor
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_the_template_has_the_column_with_its_allowed_values(usuario_puno, plan):
    wb = _plantilla(usuario_puno, plan)
    cabecera = [c.value for c in wb["Indicadores"][1]]
    assert "Sentido" in cabecera
    fila = [c.value for c in wb["Indicadores"][2]]
    assert fila[cabecera.index("Sentido")] == Sentido.ASCENDENTE.label
    listas = wb["Listas"]
    valores = {c.value for col in listas.iter_cols() for c in col}
    assert {str(label) for _, label in Sentido.choices} <= valores


@pytest.mark.parametrize("escrito, guardado", [
    ("Descendente", Sentido.DESCENDENTE),  # the code, as people write it
    (str(Sentido.CONSTANTE.label), Sentido.CONSTANTE),  # the list's label
    (None, Sentido.ASCENDENTE),  # empty: the default
])
def test_an_import_sets_the_direction(usuario_puno, plan, escrito, guardado):
    ind = Indicador.objects.get(plan=plan, entidad=usuario_puno.entidad)
    ind.sentido = Sentido.CONSTANTE if guardado == Sentido.ASCENDENTE else Sentido.ASCENDENTE
    ind.save()
    data = _con_sentido(_plantilla(usuario_puno, plan), escrito)
    hecho = importar(usuario_puno, plan, data, aplicar=True)
    assert hecho.aplicado, [f.errores for f in hecho.filas]
    ind.refresh_from_db()
    assert ind.sentido == guardado


def test_a_value_not_in_the_list_is_refused_naming_the_allowed_ones(usuario_puno, plan):
    data = _con_sentido(_plantilla(usuario_puno, plan), "hacia arriba")
    vista = importar(usuario_puno, plan, data)
    errores = [m for fila in vista.filas for mensajes in fila.errores.values() for m in mensajes]
    assert any("«hacia arriba» no es una opción" in m and "Descendente: menos es mejor" in m for m in errores), errores
    assert Indicador.objects.get(plan=plan, entidad=usuario_puno.entidad).sentido == Sentido.ASCENDENTE
