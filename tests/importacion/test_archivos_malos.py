"""Issue 7, item 5: every bad file gets a message a person can act on (Spanish, naming the
sheet, row and column), and nothing is saved."""
import io

import openpyxl
import pytest

from matrices.models import Causa
from presupuesto.models import LineaPresupuesto
from tests.importacion.conftest import D, huella_bd
from tests.importacion.helpers import CAUSAS, importar, libro

pytestmark = pytest.mark.django_db

LINEAS = ["Plan", "Entidad", "Nivel", "Orden", "Actividad (orden)", "Actividad como la escribe el presupuesto", "Estado",
          "Unidad de medida", "Costo unitario (S/)", "Cantidad", "Especificación del gasto"]
VALORES = ["Plan", "Entidad", "Indicador (orden)", "Periodo", "Valor", "Enlace del medio de verificación", "Comentario",
           "Motivo del cambio"]


def causas(plan, *filas):
    return libro({"Causas": [CAUSAS, *[[plan.codigo, "drtpe-puno", *fila] for fila in filas]]})


def aplicar_sin_guardar(usuario, plan, data, **kw):
    """Apply `data` and check that the database did not change; the result is returned."""
    antes = huella_bd(plan)
    resultado = importar(usuario, plan, data, aplicar=True, **kw)
    assert not resultado.aplicado
    assert huella_bd(plan) == antes
    return resultado


def mensajes(resultado) -> str:
    return " | ".join([e.mensaje for e in resultado.errores] + [m for f in resultado.filas for m in f.mensajes])


def test_a_file_that_is_not_excel(usuario_puno, plan):
    r = aplicar_sin_guardar(usuario_puno, plan, b"Plan,Entidad\nx,y\n", nombre="causas.csv")
    assert "no es un libro de Excel (.xlsx)" in mensajes(r) and "CSV" in mensajes(r)


def test_an_old_xls_file(usuario_puno, plan):
    r = aplicar_sin_guardar(usuario_puno, plan, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, nombre="causas.xls")
    assert "Excel 97-2003 (.xls)" in mensajes(r)


def test_a_corrupt_workbook(usuario_puno, plan):
    data = causas(plan, [1, "a", "Texto"])
    r = aplicar_sin_guardar(usuario_puno, plan, data[: len(data) // 2])
    assert "dañado" in mensajes(r) and "guárdelo de nuevo" in mensajes(r)


def test_a_file_over_the_size_limit(usuario_puno, plan, settings):
    settings.AMC_IMPORTACION_MAX_BYTES = 2000
    r = aplicar_sin_guardar(usuario_puno, plan, causas(plan, *[[1, "a", "x" * 200]] * 30))
    assert "el límite es" in mensajes(r)


def test_a_missing_column(usuario_puno, plan):
    data = libro({"Causas": [["Plan", "Entidad", "Problema", "Texto"], [plan.codigo, "drtpe-puno", 1, "Texto"]]})
    r = aplicar_sin_guardar(usuario_puno, plan, data)
    assert "En la hoja «Causas» faltan columnas: «Letra»" in mensajes(r)


def test_a_renamed_column_is_named_with_its_likely_original(usuario_puno, plan):
    data = libro({"Causas": [["Plan", "Entidad", "Problema", "Letras", "Texto"], [plan.codigo, "drtpe-puno", 1, "a", "Texto"]]})
    r = aplicar_sin_guardar(usuario_puno, plan, data)
    assert "«Letra» (¿es la columna «Letras»? Devuélvale su nombre)" in mensajes(r)
    assert r.errores[0].celdas == ["D1"]


def test_merged_cells(usuario_puno, plan):
    wb = openpyxl.load_workbook(io.BytesIO(causas(plan, [1, "a", "Texto"], [1, "b", "Otra"])))
    wb["Causas"].merge_cells("C2:C3")
    buffer = io.BytesIO()
    wb.save(buffer)
    r = aplicar_sin_guardar(usuario_puno, plan, buffer.getvalue())
    assert "La hoja «Causas» tiene celdas combinadas (C2:C3)" in mensajes(r) and "Separar celdas" in mensajes(r)


def test_a_date_written_as_text(usuario_puno, plan, periodos):
    data = libro({"Valores de indicadores": [VALORES, [plan.codigo, "drtpe-puno", 1, "31/03/2015", 12, "", "", ""]]})
    r = aplicar_sin_guardar(usuario_puno, plan, data)
    fila = r.rechazadas[0]
    assert fila.fila == 2
    assert "La fecha «31/03/2015» está escrita como texto" in " ".join(fila.errores["Periodo"])


def test_a_real_date_finds_its_period(usuario_puno, plan, periodos):
    import datetime

    data = libro({"Valores de indicadores": [VALORES, [plan.codigo, "drtpe-puno", 1, datetime.datetime(2015, 3, 31), 12, "", "", ""]]})
    r = importar(usuario_puno, plan, data, aplicar=True)
    assert r.aplicado
    assert plan.indicadores.get(entidad__codigo="drtpe-puno").valores.get().periodo == periodos[0]


def test_an_amount_with_decimal_comma_is_refused_with_how_to_write_it(usuario_puno, plan):
    data = libro({"Presupuesto": [LINEAS, [plan.codigo, "drtpe-puno", "GR", 2, 1, "Talleres", "Determinado", "Taller", "1.234,50", 2, ""]]})
    r = aplicar_sin_guardar(usuario_puno, plan, data)
    texto = " ".join(r.rechazadas[0].errores["Costo unitario (S/)"])
    assert "«1.234,50» usa coma decimal" in texto and "S/ 1,234.50" in texto


@pytest.mark.parametrize("escrito", ["S/. 1,234.50", "S/ 1,234.50", "S/\u00a01,234.50", "1,234.50", "1234.5", "1 234.50"])
def test_amounts_as_people_in_peru_write_them_are_accepted(usuario_puno, plan, escrito):
    data = libro({"Presupuesto": [LINEAS, [plan.codigo, "drtpe-puno", "GR", 2, 1, "Talleres", "Determinado", "Taller", escrito, 2, ""]]})
    r = importar(usuario_puno, plan, data, aplicar=True)
    assert r.aplicado, mensajes(r)
    assert LineaPresupuesto.objects.get(plan=plan, orden=2).costo_unitario == D("1234.50")


def test_empty_rows_are_skipped_and_reported(usuario_puno, plan):
    vacia = [None, "", None, "  ", None]
    data = libro({"Causas": [CAUSAS, [plan.codigo, "drtpe-puno", 1, "a", "Uno"], vacia, [plan.codigo, "drtpe-puno", 1, "b", "Dos"],
                             vacia, vacia]})
    r = importar(usuario_puno, plan, data, aplicar=True)
    assert r.aplicado
    assert [(f.fila, f.estado) for f in r.filas] == [(2, "nueva"), (3, "vacia"), (4, "nueva")]
    assert Causa.objects.filter(problema__plan=plan).count() == 2


def test_duplicate_keys_in_the_same_file(usuario_puno, plan):
    r = aplicar_sin_guardar(usuario_puno, plan, causas(plan, [1, "a", "Uno"], [2, "a", "Otro problema"], [1, "A", "Repetida"]))
    assert [(f.fila, f.estado) for f in r.filas] == [(2, "nueva"), (3, "nueva"), (4, "rechazada")]
    assert "Repite la clave de la fila 2" in " ".join(r.rechazadas[0].errores["Letra"])


def test_a_row_of_another_entity_refuses_the_whole_file_naming_the_row(usuario_puno, plan):
    data = libro({"Causas": [CAUSAS, [plan.codigo, "drtpe-puno", 1, "a", "Nuestra"], [plan.codigo, "mtpe", 1, "b", "Del ministerio"]]})
    r = aplicar_sin_guardar(usuario_puno, plan, data)
    assert "Se rechaza el archivo entero" in r.errores[0].mensaje
    assert "fila 3 (es de la entidad «mtpe»)" in r.errores[0].mensaje
    assert r.errores[0].celdas == ["B3"]


def test_a_key_that_lands_on_another_entitys_budget_line_refuses_the_file(usuario_puno, plan):
    # Line 1 is the ministry's: a regional file cannot overwrite it by giving its number.
    data = libro({"Presupuesto": [LINEAS, [plan.codigo, "drtpe-puno", "GR", 1, "", "Nuestra", "Determinado", "", 10, 1, ""]]})
    r = aplicar_sin_guardar(usuario_puno, plan, data)
    assert "fila 2 (corresponde a un registro de MTPE)" in r.errores[0].mensaje


def test_a_row_of_another_plan_refuses_the_file(usuario_puno, plan):
    data = libro({"Causas": [CAUSAS, ["otro-plan", "drtpe-puno", 1, "a", "Texto"]]})
    r = aplicar_sin_guardar(usuario_puno, plan, data)
    assert "fila 2 (es del plan «otro-plan»" in r.errores[0].mensaje


def test_model_rules_hold_and_point_at_the_cell(usuario_puno, plan):
    data = libro({"Presupuesto": [LINEAS,
                                  [plan.codigo, "drtpe-puno", "GR", 2, 1, "Talleres", "No se ha determinado", "", 100, 1, ""],
                                  [plan.codigo, "drtpe-puno", "GN", 3, 9, "Otra", "Determinado", "", -5, 1, "2.3.27"]]})
    r = aplicar_sin_guardar(usuario_puno, plan, data)
    primera, segunda = r.rechazadas
    assert "no lleva costo unitario ni cantidad" in " ".join(primera.mensajes)
    assert "DRTPE Puno es del nivel Regional (GR)" in " ".join(segunda.errores["Nivel"])
    assert "no tiene la actividad 9" in " ".join(segunda.errores["Actividad (orden)"])
    assert "no puede ser negativo" in " ".join(segunda.errores["Costo unitario (S/)"])
    assert "seis partes" in " ".join(segunda.errores["Especificación del gasto"])
