"""cronograma_save: the schedule as a whole, all or nothing, with a message a planner can act
on for each bad input."""
import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from amc.access import Rol
from cronograma.models import Cronograma, Hito, ProgramacionMensual
from cronograma.services import HitoDatos, MesProgramado, cronograma_delete, cronograma_save
from tests import factories as f
from tests.cronograma import factories as cf
from tests.cronograma.conftest import estado_bd

pytestmark = pytest.mark.django_db


@pytest.fixture
def puno_user(esc):
    return f.make_user(Rol.REGIONAL, esc.puno)


def _meses(*filas):
    return [MesProgramado(a, m, D(str(v)), D(str(x))) for a, m, v, x in filas]


def _guardar(esc, user, **kw):
    datos = dict(inicio=(2015, 3), fin=(2015, 6), meta_fisica="4", unidad_medida="talleres",
                 meses=_meses((2015, 3, 1, 300), (2015, 4, 1, 300), (2015, 5, 1, 300), (2015, 6, 1, 300)))
    datos.update(kw)
    return cronograma_save(user=user, actividad=esc.act_puno, **datos)


def test_a_schedule_that_adds_up_is_saved_with_its_months_and_milestones(esc, puno_user):
    c = _guardar(esc, puno_user, hitos=[HitoDatos("Primer taller", 2015, 3, datetime.date(2015, 3, 20))])
    assert (c.inicio.corto, c.fin.corto, c.meta_fisica) == ("Mar 2015", "Jun 2015", D(4))
    assert ProgramacionMensual.objects.filter(actividad=esc.act_puno).count() == 4
    assert Hito.objects.get(actividad=esc.act_puno).nombre == "Primer taller"


def test_saving_again_replaces_the_months(esc, puno_user):
    _guardar(esc, puno_user)
    _guardar(esc, puno_user, fin=(2015, 4), meses=_meses((2015, 3, 2, 600), (2015, 4, 2, 600)))
    assert list(ProgramacionMensual.objects.filter(actividad=esc.act_puno).values_list("mes", "meta_fisica")) == [
        (3, D(2)), (4, D(2))]
    assert Cronograma.objects.count() == 1


def _rechazo(esc, user, campo, fragmento, **kw):
    _guardar(esc, user)
    antes = estado_bd()
    with pytest.raises(ValidationError) as exc:
        _guardar(esc, user, **kw)
    mensajes = " ".join(exc.value.message_dict.get(campo, []))
    assert fragmento in mensajes, exc.value.message_dict
    assert estado_bd() == antes


def test_end_before_start_is_refused_and_nothing_changes(esc, puno_user):
    _rechazo(esc, puno_user, "fin_mes", "El fin (febrero 2015) es anterior al inicio (marzo 2015)",
             fin=(2015, 2), meses=[])


def test_start_outside_the_plan_years_is_refused(esc, puno_user):
    _rechazo(esc, puno_user, "inicio_anio", "El año 2014 está fuera del plan (2015–2016)", inicio=(2014, 12))


def test_end_outside_the_plan_years_is_refused(esc, puno_user):
    _rechazo(esc, puno_user, "fin_anio", "El año 2017 está fuera del plan (2015–2016)", fin=(2017, 1))


def test_a_month_outside_the_plan_years_is_refused(esc, puno_user):
    _rechazo(esc, puno_user, "meses", "El año 2017 está fuera del plan",
             meses=_meses((2015, 3, 1, 0), (2017, 3, 1, 0)))


def test_a_month_outside_the_activity_is_refused(esc, puno_user):
    _rechazo(esc, puno_user, "meses", "Julio 2015 está fuera del periodo de la actividad (marzo 2015 a junio 2015)",
             meses=_meses((2015, 3, 1, 0), (2015, 7, 1, 0)))


def test_a_month_number_out_of_range_is_refused(esc, puno_user):
    _rechazo(esc, puno_user, "meses", "13", meses=_meses((2015, 13, 1, 0)))


def test_months_above_the_target_are_refused_with_the_excess(esc, puno_user):
    _rechazo(esc, puno_user, "meta_fisica", "suma 5, más que la meta física de la actividad (4): sobran 1",
             meses=_meses((2015, 3, 2, 0), (2015, 4, 3, 0)))


def test_months_above_the_budget_are_refused_with_the_excess(esc, puno_user):
    _rechazo(esc, puno_user, "monto", "sobran S/\u00a0100.00",
             meses=_meses((2015, 3, 2, 700), (2015, 4, 2, 600)))


def test_amounts_for_an_activity_without_budget_are_refused(esc):
    user = f.make_user(Rol.MINISTERIO, esc.rector)
    antes = estado_bd()
    with pytest.raises(ValidationError) as exc:
        cronograma_save(user=user, actividad=esc.act_rector, inicio=(2015, 1), fin=(2015, 2), meta_fisica=1,
                        meses=_meses((2015, 1, 1, 50)))
    assert "no tiene líneas en el presupuesto" in exc.value.message_dict["monto"][0]
    assert estado_bd() == antes


def test_negative_values_are_refused(esc, puno_user):
    _rechazo(esc, puno_user, "meses", "No puede ser negativo", meses=_meses((2015, 3, -1, 0)))


def test_a_milestone_date_outside_its_month_is_refused(esc, puno_user):
    _guardar(esc, puno_user)
    antes = estado_bd()
    with pytest.raises(ValidationError) as exc:
        _guardar(esc, puno_user, hitos=[HitoDatos("Taller", 2015, 3, datetime.date(2015, 4, 2))])
    assert "no cae en el mes del hito" in str(exc.value)
    assert estado_bd() == antes


def test_a_regional_user_cannot_set_another_entitys_schedule(esc, puno_user):
    antes = estado_bd()
    with pytest.raises(PermissionDenied):
        cronograma_save(user=puno_user, actividad=esc.act_rector, inicio=(2015, 1), fin=(2015, 2), meta_fisica=1)
    with pytest.raises(PermissionDenied):
        cronograma_delete(user=puno_user, actividad=esc.act_rector)
    assert estado_bd() == antes


def test_planners_change_nothing(esc, mtpe):
    planificador = f.make_user(Rol.PLANIFICADOR, mtpe)
    with pytest.raises(PermissionDenied):
        _guardar(esc, planificador)


def test_the_database_holds_the_rules_too(esc):
    cf.make_cronograma(esc.act_puno, (2015, 3), (2015, 6), "4")
    with pytest.raises(IntegrityError), transaction.atomic():
        Cronograma.objects.filter(actividad=esc.act_puno).update(fin_anio=2015, fin_mes=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramacionMensual.objects.create(actividad=esc.act_puno, anio=2015, mes=13)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramacionMensual.objects.create(actividad=esc.act_puno, anio=2015, mes=3, monto=D("-1"))
    ProgramacionMensual.objects.create(actividad=esc.act_puno, anio=2015, mes=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramacionMensual.objects.create(actividad=esc.act_puno, anio=2015, mes=3)


def test_natural_keys_round_trip(esc):
    from django.core import serializers

    cf.make_cronograma(esc.act_puno, (2015, 3), (2015, 6), "4", meses={(2015, 3): 1}, hitos=[("Taller", (2015, 3))])
    texto = serializers.serialize("json", [*Cronograma.objects.all(), *ProgramacionMensual.objects.all(), *Hito.objects.all()],
                                  use_natural_foreign_keys=True, use_natural_primary_keys=True)
    assert '"pk"' not in texto
    objetos = list(serializers.deserialize("json", texto, handle_forward_references=True))
    assert [o.object.pk for o in objetos] == [Cronograma.objects.get().pk, ProgramacionMensual.objects.get().pk,
                                              Hito.objects.get().pk]
