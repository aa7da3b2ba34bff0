"""The schedule's sheets with the import machinery (importacion.services): the template, a preview
then apply, re-importing updates, and months that exceed the target or the budget refused
whole with nothing saved."""
from decimal import Decimal as D

import pytest

from importacion import services as importing
from amc.access import Rol
from cronograma.models import Cronograma, ProgramacionMensual
from tests import factories as f
from tests.cronograma import factories as cf
from tests.cronograma.conftest import estado_bd
from tests.importacion.helpers import importar, libro

pytestmark = pytest.mark.django_db

CABECERA = ["Plan", "Entidad", "Nivel", "Actividad (orden)", "Mes de inicio", "Año de inicio", "Mes de fin", "Año de fin",
            "Meta física", "Unidad de medida"]
MESES = ["Plan", "Entidad", "Nivel", "Actividad (orden)", "Año", "Mes", "Meta física programada", "Monto programado (S/)"]


@pytest.fixture
def puno_user(esc):
    return f.make_user(Rol.REGIONAL, esc.puno)


def _libro(esc, cabecera=None, meses=None):
    codigo, ent = esc.plan.codigo, esc.puno.codigo
    hojas = {}
    if cabecera is not False:
        hojas["Cronograma"] = [CABECERA, *(cabecera or [[codigo, ent, "GR", 1, "marzo", 2015, "junio", 2015, 4, "talleres"]])]
    if meses is not False:
        hojas["Meses del cronograma"] = [MESES, *(meses or [[codigo, ent, "GR", 1, 2015, m, 1, "300.00"] for m in (3, 4, 5, 6)])]
    return libro(hojas)


def test_both_sheets_are_registered_after_the_budget():
    claves = [importing.clave_de_hoja(c) for c in importing.hojas()]
    assert claves.index("lineapresupuesto") < claves.index("cronograma") < claves.index("programacionmensual")


def test_preview_then_apply_creates_the_schedule_and_its_months(esc, puno_user):
    data = _libro(esc)
    vista = importar(puno_user, esc.plan, data)
    assert not vista.errores and not vista.rechazadas, (vista.errores, [f.mensajes for f in vista.rechazadas])
    assert vista.contar("nueva") == 5
    assert Cronograma.objects.count() == 0  # a preview writes nothing
    hecho = importar(puno_user, esc.plan, data, aplicar=True, huella=vista.huella)
    assert hecho.aplicado
    c = Cronograma.objects.get(actividad=esc.act_puno)
    assert (c.inicio.corto, c.fin.corto, c.meta_fisica) == ("Mar 2015", "Jun 2015", D(4))
    assert sorted(ProgramacionMensual.objects.values_list("mes", "monto")) == [(m, D(300)) for m in (3, 4, 5, 6)]


def test_reimporting_an_edited_file_updates_instead_of_duplicating(esc, puno_user):
    importar(puno_user, esc.plan, _libro(esc), aplicar=True)
    codigo, ent = esc.plan.codigo, esc.puno.codigo
    data = _libro(esc, cabecera=False, meses=[[codigo, ent, "GR", 1, 2015, "Mar", 2, "600"], [codigo, ent, "GR", 1, 2015, "abril", 0, 0]])
    vista = importar(puno_user, esc.plan, data, aplicar=True)
    assert vista.aplicado and vista.contar("actualiza") == 2
    assert ProgramacionMensual.objects.count() == 4
    assert ProgramacionMensual.objects.get(mes=3).meta_fisica == D(2)


def _rechazado(resultado, columna, fragmento):
    mensajes = [m for fila in resultado.rechazadas for col, ms in fila.errores.items() if col == columna for m in ms]
    assert any(fragmento in m for m in mensajes), [f.errores for f in resultado.rechazadas]


def test_months_above_the_target_refuse_the_file_and_save_nothing(esc, puno_user):
    importar(puno_user, esc.plan, _libro(esc), aplicar=True)
    antes = estado_bd()
    codigo, ent = esc.plan.codigo, esc.puno.codigo
    # Together with the months already saved (1 each in April-June), 3 + 3 = 6 > 4.
    data = _libro(esc, cabecera=False, meses=[[codigo, ent, "GR", 1, 2015, 3, 3, 0]])
    resultado = importar(puno_user, esc.plan, data, aplicar=True)
    assert not resultado.aplicado
    _rechazado(resultado, "Meta física programada", "suma 6, más que la meta física de la actividad (4): sobran 2")
    assert estado_bd() == antes


def test_months_above_the_budget_refuse_the_file(esc, puno_user):
    codigo, ent = esc.plan.codigo, esc.puno.codigo
    data = _libro(esc, meses=[[codigo, ent, "GR", 1, 2015, m, 1, "400.00"] for m in (3, 4, 5, 6)])
    resultado = importar(puno_user, esc.plan, data, aplicar=True)
    assert not resultado.aplicado
    _rechazado(resultado, "Monto programado (S/)", "sobran S/\u00a0400.00")
    assert estado_bd() == ([], [], [])


def test_a_month_outside_the_activity_is_refused_on_its_row(esc, puno_user):
    codigo, ent = esc.plan.codigo, esc.puno.codigo
    data = _libro(esc, meses=[[codigo, ent, "GR", 1, 2015, "julio", 1, 0]])
    resultado = importar(puno_user, esc.plan, data, aplicar=True)
    _rechazado(resultado, "Mes", "Julio 2015 está fuera del periodo de la actividad 1")
    assert estado_bd() == ([], [], [])


def test_end_before_start_and_years_outside_the_plan_are_refused(esc, puno_user):
    codigo, ent = esc.plan.codigo, esc.puno.codigo
    data = _libro(esc, cabecera=[[codigo, ent, "GR", 1, "junio", 2015, "marzo", 2015, 4, ""]], meses=False)
    _rechazado(importar(puno_user, esc.plan, data), "Mes de fin", "El fin (marzo 2015) es anterior al inicio (junio 2015)")
    data = _libro(esc, cabecera=[[codigo, ent, "GR", 1, "enero", 2015, "marzo", 2018, 4, ""]], meses=False)
    _rechazado(importar(puno_user, esc.plan, data), "Año de fin", "El año 2018 está fuera del plan (2015–2016)")
    assert estado_bd() == ([], [], [])


def test_months_of_an_activity_without_schedule_are_refused(esc, puno_user):
    data = _libro(esc, cabecera=False)
    _rechazado(importar(puno_user, esc.plan, data), "Actividad (orden)", "aún no tiene cronograma")


def test_a_bad_month_name_says_how_to_write_it(esc, puno_user):
    codigo, ent = esc.plan.codigo, esc.puno.codigo
    data = _libro(esc, meses=[[codigo, ent, "GR", 1, 2015, "marzoo", 1, 0]])
    _rechazado(importar(puno_user, esc.plan, data), "Mes", "«marzoo» no es un mes")


def test_another_entitys_rows_refuse_the_whole_file(esc, puno_user):
    codigo = esc.plan.codigo
    data = _libro(esc, cabecera=False, meses=[[codigo, esc.rector.codigo, "GN", 1, 2015, 3, 1, 0]])
    resultado = importar(puno_user, esc.plan, data, aplicar=True)
    assert resultado.errores and "Se rechaza el archivo entero" in resultado.errores[0].mensaje
    assert estado_bd() == ([], [], [])


def test_the_template_has_the_schedule_and_a_row_per_month_to_fill(esc, puno_user):
    import io

    import openpyxl

    cf.make_cronograma(esc.act_puno, (2015, 3), (2015, 5), "3", meses={(2015, 3): (1, 0)})
    clases = [importing.hoja_por_clave("cronograma"), importing.hoja_por_clave("programacionmensual")]
    data = importing.plantilla(plan=esc.plan, entidad=esc.puno, clases=clases, usuario=puno_user)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert [c.value for c in wb["Cronograma"][2]][:9] == [esc.plan.codigo, esc.puno.codigo, "GR", 1,
                                                          "Talleres de orientación vocacional", "Marzo", 2015, "Mayo", 2015]
    filas = [[c.value for c in r] for r in wb["Meses del cronograma"].iter_rows(min_row=2)]
    assert [(r[3], r[5], r[6], r[7]) for r in filas] == [(1, 2015, "Marzo", 1), (1, 2015, "Abril", 0), (1, 2015, "Mayo", 0)]
    # The template, filled and uploaded back as it is, imports cleanly.
    resultado = importar(puno_user, esc.plan, data)
    assert not resultado.errores and not resultado.rechazadas


def _muchas_actividades(esc, n):
    """n more activities of Puno, each with a budget line of S/ 1,200.00."""
    actividades = [cf.make_actividad(esc.plan, esc.puno, orden, producto=esc.producto) for orden in range(2, n + 2)]
    for i, act in enumerate(actividades, start=2):
        cf.make_linea(esc.plan, esc.puno, act, i, total="1200.00")
    return [esc.act_puno, *actividades]


def _consultas(usuario, plan, data, aplicar):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        resultado = importar(usuario, plan, data, aplicar=aplicar)
    sql = [q["sql"] for q in ctx.captured_queries]
    return resultado, sum(1 for s in sql if not s.startswith("INSERT") and "SAVEPOINT" not in s)


def test_checking_schedules_costs_the_same_queries_for_few_or_many_activities(esc, puno_user):
    """The adding-up rules are checked per activity with everything loaded once: 2 activities
    (8 months) and 30 activities (120 months) cost the same reads, new or unchanged."""
    actividades = _muchas_actividades(esc, 29)
    codigo, ent = esc.plan.codigo, esc.puno.codigo

    def archivo(acts):
        return _libro(esc, cabecera=[[codigo, ent, "GR", a.orden, "marzo", 2015, "junio", 2015, 4, "talleres"] for a in acts],
                      meses=[[codigo, ent, "GR", a.orden, 2015, m, 1, "300.00"] for a in acts for m in (3, 4, 5, 6)])

    pocas, muchas = archivo(actividades[:2]), archivo(actividades)
    importar(puno_user, esc.plan, pocas)  # the user's roles and the entity's level, read once and kept
    r_pocas, consultas_pocas = _consultas(puno_user, esc.plan, pocas, aplicar=False)
    r_muchas, consultas_muchas = _consultas(puno_user, esc.plan, muchas, aplicar=False)
    assert r_pocas.contar("nueva") == 10 and r_muchas.contar("nueva") == 150, [f.mensajes for f in r_muchas.rechazadas]
    assert consultas_pocas == consultas_muchas
    assert importar(puno_user, esc.plan, muchas, aplicar=True).aplicado
    # Saved: previewing the same files again changes nothing, for the same reads.
    r_pocas, consultas_pocas = _consultas(puno_user, esc.plan, pocas, aplicar=False)
    r_muchas, consultas_muchas = _consultas(puno_user, esc.plan, muchas, aplicar=False)
    assert r_pocas.contar("sin_cambios") == 10 and r_muchas.contar("sin_cambios") == 150
    assert consultas_pocas == consultas_muchas


def test_a_new_span_or_target_that_the_saved_months_do_not_fit_is_refused(esc, puno_user):
    cf.make_cronograma(esc.act_puno, (2015, 3), (2015, 6), "4", meses={(2015, m): 1 for m in (3, 4, 5, 6)})
    antes = estado_bd()
    codigo, ent = esc.plan.codigo, esc.puno.codigo
    data = _libro(esc, cabecera=[[codigo, ent, "GR", 1, "abril", 2015, "junio", 2015, 2, "talleres"]], meses=False)
    resultado = importar(puno_user, esc.plan, data, aplicar=True)
    assert not resultado.aplicado
    _rechazado(resultado, "Mes de inicio", "Marzo 2015 está fuera del periodo de la actividad (abril 2015 a junio 2015): ese "
                                           "mes ya está programado: corrija antes la hoja «Meses del cronograma».")
    _rechazado(resultado, "Meta física", "suma 4, más que la meta física de la actividad (2): sobran 2. Reduzca algún mes o "
                                         "aumente la meta. (la programación ya registrada no cabe en la nueva meta: corrija "
                                         "antes los meses)")
    assert estado_bd() == antes
