"""Shared fixtures. The test database gets the reference data and the seed plan once;
a browser (transactional) test empties the database when it ends, so the seed is loaded
again when a later test finds it missing."""
from __future__ import annotations

import pytest
from django.core.management import call_command

from amc.access import Rol
from tests import factories as f

SEED_PLAN = "mtpe-puno-2015"


def _load_seed_if_missing():
    from planes.models import Plan

    if not Plan.objects.filter(codigo=SEED_PLAN).exists():
        call_command("cargar_seed", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_seed_if_missing()


@pytest.fixture(autouse=True)
def _seed_present(request, django_db_blocker):
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        _load_seed_if_missing()


@pytest.fixture
def seed_plan(db):
    from planes.models import Plan

    return Plan.objects.get(codigo=SEED_PLAN)


@pytest.fixture
def mtpe(db):
    from planes.models import Entidad

    return Entidad.objects.get(codigo="mtpe")


@pytest.fixture
def drtpe_puno(db):
    from planes.models import Entidad

    return Entidad.objects.get(codigo="drtpe-puno")


@pytest.fixture
def usuario_mtpe(mtpe):
    return f.make_user(Rol.MINISTERIO, mtpe, username="t-mtpe")


@pytest.fixture
def usuario_puno(drtpe_puno):
    return f.make_user(Rol.REGIONAL, drtpe_puno, username="t-puno")


@pytest.fixture
def usuario_planificador(mtpe):
    return f.make_user(Rol.PLANIFICADOR, mtpe, username="t-planificador")


@pytest.fixture
def usuario_admin(mtpe):
    return f.make_user(Rol.ADMINISTRADOR, mtpe, username="t-admin")
