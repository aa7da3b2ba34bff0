"""The arithmetic of the schedule, without the database: months, programmed progress to a
date, delay, and whether the months add up to the target and the budget."""
import datetime
from decimal import Decimal as D
from types import SimpleNamespace

from cronograma.models import Mes, Presupuesto, revisar
from cronograma.reports import programado_a_la_fecha, retraso

PLAN = SimpleNamespace(anio_inicio=2015, anio_fin=2016)


def test_months_are_ordered_and_counted_across_years():
    assert Mes(2015, 11).hasta(Mes(2016, 2)) == [Mes(2015, 11), Mes(2015, 12), Mes(2016, 1), Mes(2016, 2)]
    assert Mes(2015, 12).mas(1) == Mes(2016, 1)
    assert Mes(2015, 12) < Mes(2016, 1)
    assert Mes(2016, 2).corto == "Feb 2016"


def test_programmed_to_date_counts_the_cut_off_month_whole():
    meses = {Mes(2015, 1): D(2), Mes(2015, 2): D(3), Mes(2015, 3): D(5)}
    assert programado_a_la_fecha(meses, D(10), datetime.date(2015, 1, 31)) == D(20)
    assert programado_a_la_fecha(meses, D(10), datetime.date(2015, 2, 1)) == D(50)
    assert programado_a_la_fecha(meses, D(10), datetime.date(2014, 12, 31)) == D(0)
    assert programado_a_la_fecha(meses, D(10), datetime.date(2020, 1, 1)) == D(100)


def test_programmed_to_date_is_against_the_target_not_the_months_programmed_so_far():
    # Only 5 of 10 programmed: by the end the activity is programmed at 50% of its target.
    assert programado_a_la_fecha({Mes(2015, 1): D(5)}, D(10), datetime.date(2015, 6, 1)) == D(50)
    assert programado_a_la_fecha({}, None, datetime.date(2015, 6, 1)) is None


def test_delay_is_programmed_minus_actual_in_points():
    assert retraso(D(50), D(40)) == D("10.0")
    assert retraso(D("33.3333"), D("20")) == D("13.3")
    assert retraso(D(50), D(50)) == D("0.0")
    assert retraso(D(50), D(60)) == D("-10.0")


def test_nothing_reported_counts_as_zero_progress():
    assert retraso(D(25), None) == D("25.0")


def test_no_schedule_no_delay():
    assert retraso(None, D(10)) is None


def _revisar(meses, meta="10", presupuesto=Presupuesto(D("1000"), 1, 0), inicio=Mes(2015, 1), fin=Mes(2015, 12)):
    return revisar(plan=PLAN, inicio=inicio, fin=fin, meta=D(meta), presupuesto=presupuesto,
                   meses=[(m, D(str(v)), D(str(x))) for m, v, x in meses])


def test_months_that_add_up_exactly_have_no_error_and_no_warning():
    c = _revisar([(Mes(2015, 1), 4, 400), (Mes(2015, 2), 6, 600)])
    assert c.errores == [] and c.avisos == []
    assert c.programado_fisico == D(10) and c.programado_monto == D(1000)


def test_months_short_of_target_and_budget_are_warnings():
    c = _revisar([(Mes(2015, 1), 4, 250)])
    assert c.errores == []
    assert any("Falta programar 6 de la meta física" in a for a in c.avisos)
    assert any("Falta programar S/\u00a0750.00 del presupuesto" in a for a in c.avisos)


def test_no_months_yet_is_a_warning():
    assert _revisar([]).avisos[0] == "Aún no tiene programación mensual."


def test_more_than_the_target_is_an_error_naming_the_excess():
    c = _revisar([(Mes(2015, 1), 7, 0), (Mes(2015, 2), 5, 0)])
    assert c.error_dict()["meta_fisica"] == [
        "La meta física programada en los meses suma 12, más que la meta física de la actividad (10): sobran 2. "
        "Reduzca algún mes o aumente la meta."]


def test_more_than_the_budget_is_an_error_naming_the_excess():
    c = _revisar([(Mes(2015, 1), 5, "600.50"), (Mes(2015, 2), 5, 400)])
    mensaje = c.error_dict()["monto"][0]
    assert "S/\u00a01,000.50" in mensaje and "sobran S/\u00a00.50" in mensaje


def test_amounts_without_a_determined_budget_are_an_error():
    c = _revisar([(Mes(2015, 1), 5, 100)], presupuesto=Presupuesto(None, 2, 2))
    assert "«No se ha determinado»" in c.error_dict()["monto"][0]
    c = _revisar([(Mes(2015, 1), 5, 100)], presupuesto=Presupuesto())
    assert "no tiene líneas en el presupuesto" in c.error_dict()["monto"][0]


def test_zero_amounts_without_budget_are_fine():
    c = _revisar([(Mes(2015, 1), 10, 0)], presupuesto=Presupuesto(None, 1, 1))
    assert c.errores == [] and c.avisos == []


def test_undetermined_lines_beside_determined_ones_are_noted():
    c = _revisar([(Mes(2015, 1), 10, 1000)], presupuesto=Presupuesto(D("1000"), 3, 2))
    assert c.errores == []
    assert c.avisos == ["2 línea(s) de su presupuesto no tienen monto determinado: no se cuentan."]


def test_a_month_outside_the_plan_or_the_activity_is_an_error():
    c = _revisar([(Mes(2017, 1), 1, 0)])
    assert "fuera de los años del plan (2015–2016)" in c.error_dict()["meses"][0]
    c = _revisar([(Mes(2015, 3), 1, 0)], inicio=Mes(2015, 4), fin=Mes(2015, 6))
    assert c.error_dict()["meses"] == [
        "Marzo 2015 está fuera del periodo de la actividad (abril 2015 a junio 2015): programe solo sus meses, "
        "o amplíe su inicio o su fin."]


def test_a_month_twice_is_an_error():
    c = _revisar([(Mes(2015, 3), 1, 0), (Mes(2015, 3), 2, 0)])
    assert "Marzo 2015 está dos veces" in c.error_dict()["meses"][0]


def test_months_without_a_schedule_are_an_error():
    c = revisar(plan=PLAN, inicio=None, fin=None, meta=None, presupuesto=Presupuesto(),
                meses=[(Mes(2015, 1), D(1), D(0))])
    assert "indique el inicio, el fin y la meta física" in c.error_dict()["cronograma"][0]
