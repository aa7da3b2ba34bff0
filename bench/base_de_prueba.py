"""The throwaway database a benchmark builds its data in: Django's test database of the configured
one (SQLite by default, `DATABASE_URL` for PostgreSQL), created empty and migrated, dropped at the
end whatever happens.

    with base_de_prueba():
        ...  # build the data, time it
"""
from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def base_de_prueba():
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    nombre = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(nombre, verbosity=0)
