"""importacion.constraints evaluates check constraints in Python the way the database does (SQL's
NULL included): compared with Django's own CheckConstraint.validate() (a query) on every
check constraint of every imported model, over values on both sides of each condition."""
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from importacion.constraints import _checks, evaluate
from importacion.services import hojas

pytestmark = pytest.mark.django_db

CANDIDATOS = {
    models.DecimalField: [None, Decimal("-1"), Decimal("0"), Decimal("100"), Decimal("150.5")],
    models.PositiveSmallIntegerField: [None, 0, 1, 5, 13, 1999, 2015, 2101],
    models.CharField: ["", "a", "B", "ab", "2.3.2.7.11.99", "2.3.27", "borrador", "enviado", "determinado",
                       "no_determinado", "concluida", "no_iniciada", "mensual", "trimestral", "valor", "no_aplica"],
    models.TextField: ["", "El taller se reprogramó"],
    models.URLField: ["", "https://ejemplo.pe/informe.pdf"],
    models.FileField: ["", "seguimiento/1/x.pdf"],
    models.DateTimeField: [None, "2015-03-31T00:00:00Z"],
}


def candidatos(field):
    if isinstance(field, models.ForeignKey):
        return [None, 1]
    for cls, values in CANDIDATOS.items():
        if isinstance(field, cls):
            return [v for v in values if v is not None or field.null]
    return None


def casos():
    for cls in hojas():
        model = cls._meta.model
        for constraint, condition, fields in _checks(model):
            yield pytest.param(model, constraint, fields, id=f"{model.__name__}-{constraint.name}")


@pytest.mark.parametrize("model,constraint,fields", list(casos()))
def test_python_and_database_agree(model, constraint, fields):
    opciones = []
    for name in sorted(fields):
        values = candidatos(model._meta.get_field(name))
        assert values is not None, f"sin valores de prueba para {model.__name__}.{name}"
        opciones.append([(model._meta.get_field(name).attname, v) for v in values])
    combinaciones = list(itertools.product(*opciones))[:400]
    for combinacion in combinaciones:
        instance = model(**dict(combinacion))
        try:
            constraint.validate(model, instance)
            db_ok = True
        except ValidationError:
            db_ok = False
        assert (evaluate(constraint.condition, instance) is not False) == db_ok, combinacion
