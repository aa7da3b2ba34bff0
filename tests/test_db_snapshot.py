"""The database snapshot (tests/db_snapshot.py): after a transactional test the database is as
django_db_setup left it, row for row, primary keys included."""
from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from tests import db_snapshot


def _contents() -> dict[str, list[tuple]]:
    """Every row of every table the snapshot covers, sorted."""
    result = {}
    with connection.cursor() as cursor:
        for model in db_snapshot.flushed_models("default"):
            columns = ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)
            cursor.execute(f"SELECT {columns} FROM {connection.ops.quote_name(model._meta.db_table)}")
            result[model._meta.db_table] = sorted(map(repr, cursor.fetchall()))
    return result


@pytest.mark.django_db(transaction=True)
def test_restore_writes_back_every_row_as_it_was(seed_plan):
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from matrices.models import Causa
    from planes.models import Plan
    from seguimiento.models import TipoDesagregacion
    from tests import factories as f

    snapshot = db_snapshot.current
    assert snapshot is not None and snapshot.row_count > 1000
    before = _contents()
    plan_type = ContentType.objects.get_for_model(Plan).pk
    assert len(before["planes_plan"]) == 1 and before["auth_group"] and before["seguimiento_tipodesagregacion"]

    # what a transactional test may do (add, change, delete rows), then what Django runs when
    # it ends: flush (every table emptied, post_migrate's rows made again with new keys)
    f.make_plan()
    Causa.objects.filter(problema__plan=seed_plan).delete()
    Plan.objects.filter(pk=seed_plan.pk).update(titulo="cambiado")
    TipoDesagregacion.objects.all().delete()
    Group.objects.all().delete()
    Permission.objects.all().delete()
    ContentType.objects.all().delete()
    assert _contents() != before
    call_command("flush", interactive=False, verbosity=0)
    assert not Plan.objects.exists() and Group.objects.exists()
    assert ContentType.objects.get_for_model(Plan).pk != plan_type  # made again by post_migrate

    db_snapshot.restore(snapshot)
    assert _contents() == before
    assert Plan.objects.get(pk=seed_plan.pk).titulo == seed_plan.titulo
    # content types are cached by key: the cache knows the restored keys, not the flush's
    assert ContentType.objects.get_for_model(Plan).pk == plan_type
    f.make_plan()  # the sequences are past the restored keys (PostgreSQL)
