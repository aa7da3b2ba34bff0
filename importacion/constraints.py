"""A model's CheckConstraints checked in Python, without a query per row.

Django's `CheckConstraint.validate()` asks the database (`SELECT 1 WHERE <condition>` with the
row's values): one query per constraint per row. A bulk import of 10,000 rows would make
30,000 queries to learn what the values already say. The conditions of this project are made
of a few lookups on the row's own columns (exact, gt/gte/lt/lte, isnull, in, regex, F() of
another column), which this module evaluates the way SQL does: with NULL as "unknown", and a
CHECK that passes unless its condition is false. Anything else falls back to Django's own
`validate()` (a query), so no constraint is skipped. tests/importacion/test_constraints.py
compares both on every constraint of the imported models.
"""
from __future__ import annotations

import functools
import re
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import CheckConstraint, F, Q

UNKNOWN = None  # SQL's third truth value


class Unsupported(Exception):
    """The condition uses something this evaluator does not know: ask the database."""


def _field_value(instance, name: str):
    if "__" in name:
        raise Unsupported(name)
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist as exc:
        raise Unsupported(name) from exc
    return getattr(instance, field.attname)


def _operand(instance, value):
    if isinstance(value, F):
        return _field_value(instance, value.name)
    if hasattr(value, "resolve_expression"):
        raise Unsupported(repr(value))
    return value


def _comparable(a, b):
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)):
        return Decimal(str(a)), Decimal(str(b))
    return a, b


def _lookup(instance, key: str, value):
    name, _, lookup = key.partition("__")
    lookup = lookup or "exact"
    if "__" in lookup:
        raise Unsupported(key)
    left = _field_value(instance, name)
    if lookup == "isnull":
        return (left is None) == bool(value)
    right = _operand(instance, value)
    if lookup == "in":
        if left is None:
            return UNKNOWN
        return any(_comparable(left, v)[0] == _comparable(left, v)[1] for v in right)
    if left is None or right is None:
        return UNKNOWN
    left, right = _comparable(left, right)
    if lookup == "exact":
        return left == right
    if lookup == "gt":
        return left > right
    if lookup == "gte":
        return left >= right
    if lookup == "lt":
        return left < right
    if lookup == "lte":
        return left <= right
    if lookup == "regex":
        return re.search(right, str(left)) is not None
    raise Unsupported(key)


def _and(values):
    values = list(values)
    if any(v is False for v in values):
        return False
    return UNKNOWN if any(v is UNKNOWN for v in values) else True


def _or(values):
    values = list(values)
    if any(v is True for v in values):
        return True
    return UNKNOWN if any(v is UNKNOWN for v in values) else False


def evaluate(q: Q, instance):
    """True, False or None (unknown) for `q` on `instance`'s own values."""
    results = []
    for child in q.children:
        if isinstance(child, Q):
            results.append(evaluate(child, instance))
        elif isinstance(child, tuple):
            results.append(_lookup(instance, *child))
        else:
            raise Unsupported(repr(child))
    result = _and(results) if q.connector == Q.AND else _or(results)
    if q.negated:
        result = UNKNOWN if result is UNKNOWN else not result
    return result


def _fields_of(q: Q) -> set[str]:
    names = set()
    for child in q.children:
        if isinstance(child, Q):
            names |= _fields_of(child)
        elif isinstance(child, tuple):
            names.add(child[0].split("__")[0])
            if isinstance(child[1], F):
                names.add(child[1].name.split("__")[0])
    return names


@functools.cache
def _checks(model) -> list[tuple[CheckConstraint, Q, frozenset]]:
    checks = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, CheckConstraint):
            condition = constraint.condition if isinstance(constraint.condition, Q) else Q(constraint.condition)
            checks.append((constraint, condition, frozenset(_fields_of(condition))))
    return checks


def check_constraints(instance, exclude=()) -> None:
    """Raise a ValidationError (by field when the constraint names one, else for the row)
    for each CheckConstraint of `instance`'s model that its values break. Constraints over
    an excluded field (one that already failed) are not checked, as in Django."""
    exclude = set(exclude or ())
    errors: dict[str, list] = {}
    for constraint, condition, fields in _checks(type(instance)):
        try:
            if fields & exclude:
                continue
            ok = evaluate(condition, instance) is not False
        except Unsupported:
            try:
                constraint.validate(type(instance), instance, exclude=exclude)
                ok = True
            except ValidationError:
                ok = False
        if not ok:
            # Django reports a check for the whole row; when it is about one column, say so,
            # so that the import can mark that cell.
            key = next(iter(fields)) if len(fields) == 1 else "__all__"
            error = ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
            errors.setdefault(key, []).append(error)
    if errors:
        raise ValidationError(errors)
