"""Shared fixtures. The test database gets the reference data and the seed plan once per
worker (`django_db_setup`), and a snapshot of it is taken (tests/db_snapshot.py). Tests in a
transaction leave it as it was. A transactional test (every browser test) commits and Django
empties the database when it ends; the snapshot is then written back, so the next test finds
the same database (seed plan, the migrations' rows, the same primary keys)."""
from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connections

from amc.access import Rol
from tests import db_snapshot
from tests import factories as f

SEED_PLAN = "mtpe-puno-2015"

_db_blocker = None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    global _db_blocker
    from planes.models import Plan

    with django_db_blocker.unblock():
        if not Plan.objects.filter(codigo=SEED_PLAN).exists():  # with --reuse-db it may be there
            call_command("cargar_seed", verbosity=0)
        db_snapshot.current = db_snapshot.take()
    _db_blocker = django_db_blocker
    yield
    db_snapshot.current = None  # the test database goes away now: nothing to restore into


def _is_transactional(item: pytest.Item) -> bool:
    """As pytest-django decides it: the test commits and the database is flushed after it."""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    return bool({"transactional_db", "live_server", "django_db_reset_sequences"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)  # the test's fixtures are torn down: for a transactional test, the flush
    finally:
        if db_snapshot.current is not None and _is_transactional(item):
            with _db_blocker.unblock():
                db_snapshot.restore(db_snapshot.current)
                # as Django does after a transactional test: else the connection the restore
                # opened stays open and PostgreSQL refuses to drop the test database at the end
                connections[db_snapshot.current.alias].close()


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


@pytest.fixture
def pdf_layout_skipped(monkeypatch):
    """For tests that count the queries of a PDF export: the view, the report function and the
    PDF's final HTML (templates included) run as always; only WeasyPrint's layout of that HTML is
    skipped (it reads nothing from the database and fetches nothing). Returns the HTML of each
    PDF that would have been laid out. What the PDFs hold is checked by other tests."""
    from amc import reports

    laid_out: list[str] = []

    def html_to_pdf(html: str, **options) -> bytes:
        laid_out.append(html)
        return b"%PDF-1.7\n%%EOF\n"

    monkeypatch.setattr(reports, "html_to_pdf", html_to_pdf)
    return laid_out
