"""A snapshot of the test database as `django_db_setup` leaves it (the migrations' rows: content
types, permissions, groups, disaggregation types; the reference data; the seed plan) and its
restore after a transactional test emptied the database.

A transactional test (`django_db(transaction=True)`, every browser test) commits, so Django
empties every table when it ends (`flush`) and recreates only what `post_migrate` makes (content
types, permissions, groups, with new keys; not the migrations' other rows, nor the seed). The
restore then deletes what post_migrate made and writes back every row of the snapshot as it was,
primary keys included, in one transaction with multi-row INSERTs: the next test finds the same
database the others do, on SQLite and on PostgreSQL, without loading the seed's fixtures again.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.management.color import no_style
from django.db import connections, router, transaction
from django.db.models import Model

ROWS_PER_INSERT = 500


@dataclass(frozen=True)
class Table:
    model: type[Model]
    columns: tuple[str, ...]  # column names, in the order of `fields`
    rows: tuple[tuple, ...]  # values ready for the database (get_db_prep_save)


@dataclass(frozen=True)
class Snapshot:
    alias: str
    tables: tuple[Table, ...]

    @property
    def row_count(self) -> int:
        return sum(len(t.rows) for t in self.tables)


#: This worker's snapshot, taken by django_db_setup (tests/conftest.py).
current: Snapshot | None = None


def flushed_models(alias: str) -> list[type[Model]]:
    """Every table `flush` empties: concrete, managed models (auto-created many-to-many tables
    included), one model per table."""
    seen, models = set(), []
    connection = connections[alias]
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or not meta.can_migrate(connection):
            continue
        if not router.allow_migrate_model(alias, model) or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        models.append(model)
    return models


def take(alias: str = "default") -> Snapshot:
    connection = connections[alias]
    tables = []
    for model in flushed_models(alias):
        fields = model._meta.concrete_fields
        values = model._base_manager.using(alias).order_by(model._meta.pk.attname).values_list(
            *[f.attname for f in fields])
        rows = tuple(tuple(f.get_db_prep_save(v, connection=connection) for f, v in zip(fields, row))
                     for row in values)
        if rows:
            tables.append(Table(model, tuple(f.column for f in fields), rows))
    return Snapshot(alias, tuple(tables))


def restore(snapshot: Snapshot) -> None:
    """Write the snapshot back into a database that Django's flush has emptied (the teardown of
    a transactional test), in one transaction: the rows post_migrate made again (content types,
    permissions, groups, with new keys) are deleted, then every row of the snapshot is inserted
    with its key, foreign keys (deferred, as Django creates them) are checked, sequences are set
    past the keys (PostgreSQL) and the content types' cache is emptied.

    Only tables holding rows are emptied, with DELETE: TRUNCATE (flush) is slow on PostgreSQL,
    and the flush has emptied the rest, history tables included (their rows are protected from
    DELETE by a trigger on PostgreSQL)."""
    alias = snapshot.alias
    connection = connections[alias]
    qn = connection.ops.quote_name
    with transaction.atomic(using=alias):
        with connection.constraint_checks_disabled(), connection.cursor() as cursor:
            holding_rows = []
            for model in flushed_models(alias):
                cursor.execute(f"SELECT 1 FROM {qn(model._meta.db_table)} LIMIT 1")
                if cursor.fetchone():
                    holding_rows.append(model._meta.db_table)
            for table in holding_rows:
                cursor.execute(f"DELETE FROM {qn(table)}")
            for table in snapshot.tables:
                row_sql = "(" + ", ".join(["%s"] * len(table.columns)) + ")"
                head = f"INSERT INTO {qn(table.model._meta.db_table)} ({', '.join(qn(c) for c in table.columns)}) VALUES "
                per_insert = ROWS_PER_INSERT
                if connection.features.max_query_params:
                    per_insert = max(1, min(per_insert, connection.features.max_query_params // len(table.columns)))
                for start in range(0, len(table.rows), per_insert):
                    batch = table.rows[start : start + per_insert]
                    cursor.execute(head + ", ".join([row_sql] * len(batch)), [v for row in batch for v in row])
        connection.check_constraints(table_names=sorted(set(holding_rows) | {t.model._meta.db_table for t in snapshot.tables}))
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in snapshot.tables]):
                cursor.execute(sql)
    if apps.is_installed("django.contrib.contenttypes"):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()  # it holds the keys post_migrate gave after the flush
