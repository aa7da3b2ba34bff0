"""Model validation errors read as a user would want them: Spanish, naming the field."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from matrices.models import Causa, Indicador, MetaIndicador
from presupuesto.models import LineaPresupuesto
from tests import factories as f

pytestmark = pytest.mark.django_db


def errors_of(obj) -> dict:
    with pytest.raises(ValidationError) as exc:
        obj.full_clean()
    return exc.value.message_dict


def test_negative_unit_cost_is_refused_in_spanish(seed_plan, mtpe):
    linea = LineaPresupuesto(plan=seed_plan, entidad=mtpe, orden=990, descripcion="x", costo_unitario=Decimal("-1"))
    assert "El costo unitario no puede ser negativo." in errors_of(linea)["__all__"]


def test_malformed_spending_code_names_the_field(seed_plan, mtpe):
    linea = LineaPresupuesto(plan=seed_plan, entidad=mtpe, orden=991, descripcion="x", costo_unitario=Decimal("1"),
                             especifica_gasto="2.3.27.2")
    assert any("seis partes" in m for m in errors_of(linea)["especifica_gasto"])


def test_not_determined_line_cannot_carry_a_cost(seed_plan, mtpe):
    linea = LineaPresupuesto(plan=seed_plan, entidad=mtpe, orden=992, descripcion="x", estado="no_determinado",
                             costo_unitario=Decimal("5"))
    assert any("No se ha determinado" in m for m in errors_of(linea)["__all__"])


def test_repeated_letter_within_a_problem_and_entity(seed_plan, mtpe):
    problema = f.make_problema(seed_plan, numero=40)
    f.make_causa(problema, mtpe, "a")
    errors = errors_of(Causa(problema=problema, entidad=mtpe, letra="a", texto="otra"))
    assert errors["__all__"] == ["Causa con este Problema, Entidad y Letra ya existe."]


def test_letter_must_be_a_single_lowercase_letter(seed_plan, mtpe):
    problema = f.make_problema(seed_plan, numero=41)
    errors = errors_of(Causa(problema=problema, entidad=mtpe, letra="3", texto="x"))
    assert "La letra es una sola letra minúscula (a, b, c…)." in errors["__all__"]


def test_entity_outside_the_plan_is_named(seed_plan):
    problema = f.make_problema(seed_plan, numero=42)
    errors = errors_of(Causa(problema=problema, entidad=f.make_entidad("GR"), letra="a", texto="x"))
    assert errors["entidad"] == ["La entidad no participa en este plan."]


def test_target_year_outside_the_plan_is_refused(mtpe):
    plan = f.make_plan(rector=mtpe, anio_inicio=2015, anio_fin=2016)
    indicador = Indicador.objects.create(plan=plan, entidad=mtpe, orden=1, nombre="N° de directivas",
                                         resultado=None, producto=None,
                                         actividad=_actividad(plan, mtpe))
    errors = errors_of(MetaIndicador(indicador=indicador, anio=2030, valor=Decimal("3")))
    assert errors["anio"] == ["El año 2030 está fuera del plan (2015–2016)."]


def _actividad(plan, entidad):
    from matrices.models import Actividad

    return Actividad.objects.create(plan=plan, entidad=entidad, orden=1, descripcion="Actividad")


def test_plan_end_before_start_is_refused(mtpe):
    plan = f.make_plan(rector=mtpe)
    plan.anio_fin = plan.anio_inicio - 1
    assert "El año de fin no puede ser anterior al año de inicio." in errors_of(plan)["__all__"]


def test_database_holds_the_rule_even_without_validation(seed_plan, mtpe):
    with pytest.raises(IntegrityError), transaction.atomic():
        LineaPresupuesto.objects.create(plan=seed_plan, entidad=mtpe, orden=993, descripcion="x", costo_unitario=Decimal("-5"))
    with pytest.raises(IntegrityError), transaction.atomic():
        LineaPresupuesto.objects.create(plan=seed_plan, entidad=mtpe, orden=994, descripcion="x", especifica_gasto="2.3")


def test_indicator_measures_exactly_one_thing(seed_plan, mtpe):
    errors = errors_of(Indicador(plan=seed_plan, entidad=mtpe, orden=999, nombre="x"))
    assert "Un indicador mide exactamente una cosa: un resultado, un producto o una actividad." in errors["__all__"]
