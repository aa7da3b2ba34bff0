"""The audit trail of plan data (amc/auditoria.py, django-simple-history): every change made
in the admin, by an import or by a service keeps who, when, old and new values and the reason;
the admin shows it only to those who may open the row; on PostgreSQL the database refuses to
rewrite it."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from amc.access import Rol
from cronograma.services import MesProgramado, cronograma_save
from matrices.models import Causa
from tests import factories as f
from tests.importacion.helpers import CAUSAS, importar, libro

pytestmark = pytest.mark.django_db


@pytest.fixture
def causa_puno(seed_plan, drtpe_puno):
    problema = f.make_problema(seed_plan, numero=21, enunciado="Problema para el historial")
    return f.make_causa(problema, drtpe_puno, "a", "Texto original de la causa")


def _change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _history_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])


def test_an_admin_change_keeps_who_when_and_the_old_and_new_text(client, usuario_puno, causa_puno):
    client.force_login(usuario_puno)
    r = client.post(_change_url(causa_puno), {"problema": causa_puno.problema_id, "entidad": causa_puno.entidad_id,
                                              "letra": "a", "texto": "Texto corregido de la causa",
                                              "subpuntos-TOTAL_FORMS": 0, "subpuntos-INITIAL_FORMS": 0,
                                              "alternativas-TOTAL_FORMS": 0, "alternativas-INITIAL_FORMS": 0})
    assert r.status_code == 302, r.content.decode()[:2000]
    cambio = causa_puno.history.order_by("-history_date", "-history_id").first()
    assert (cambio.history_type, cambio.history_user, cambio.texto) == ("~", usuario_puno, "Texto corregido de la causa")
    delta = cambio.diff_against(cambio.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("texto", "Texto original de la causa", "Texto corregido de la causa")]

    body = client.get(_history_url(causa_puno)).content.decode()
    assert "Texto original de la causa → Texto corregido de la causa" in body
    assert usuario_puno.username in body and "Modificado" in body


def test_the_history_page_is_refused_to_another_entitys_staff(client, causa_puno):
    cusco = f.make_entidad("GR", codigo="drtpe-cusco-h", nombre="DRTPE Cusco", sigla="DRTPE Cusco")
    client.force_login(f.make_user(Rol.REGIONAL, cusco))
    r = client.get(_history_url(causa_puno))
    assert r.status_code == 403
    assert "Texto original de la causa" not in r.content.decode()
    assert "pertenece a DRTPE Puno" in r.content.decode()


def test_an_import_leaves_a_trace_per_row_naming_the_user_and_the_sheet(usuario_puno, seed_plan):
    f.make_problema(seed_plan, numero=22, enunciado="Problema importado")
    data = libro({"Causas": [CAUSAS, [seed_plan.codigo, "drtpe-puno", 22, "a", "Primera causa importada"],
                             [seed_plan.codigo, "drtpe-puno", 22, "b", "Segunda causa importada"]]})
    resultado = importar(usuario_puno, seed_plan, data, aplicar=True, hojas=["causa"])
    assert not resultado.errores, resultado.errores
    creadas = Causa.objects.filter(problema__plan=seed_plan, problema__numero=22).order_by("letra")
    registros = [c.history.get() for c in creadas]
    assert [(h.history_type, h.history_user, h.history_change_reason, h.texto) for h in registros] == [
        ("+", usuario_puno, "Importado de Excel (Causas)", "Primera causa importada"),
        ("+", usuario_puno, "Importado de Excel (Causas)", "Segunda causa importada"),
    ]

    data = libro({"Causas": [CAUSAS, [seed_plan.codigo, "drtpe-puno", 22, "a", "Primera causa, corregida"]]})
    assert not importar(usuario_puno, seed_plan, data, aplicar=True, hojas=["causa"]).errores
    ultimo = creadas[0].history.order_by("-history_date", "-history_id").first()
    assert (ultimo.history_type, ultimo.texto, ultimo.prev_record.texto) == ("~", "Primera causa, corregida",
                                                                               "Primera causa importada")


def test_a_service_write_names_its_user_outside_any_request(seed_plan, drtpe_puno, usuario_puno):
    from matrices.models import Actividad

    actividad = Actividad.objects.filter(plan=seed_plan, entidad=drtpe_puno).order_by("orden").first()
    cronograma = cronograma_save(user=usuario_puno, actividad=actividad, inicio=(2015, 3), fin=(2015, 4), meta_fisica="2",
                                 meses=[MesProgramado(2015, 3, Decimal("1"), Decimal("0"))])
    assert cronograma.history.get().history_user == usuario_puno
    mes = actividad.programacion.get()
    assert (mes.history.get().history_type, mes.history.get().history_user) == ("+", usuario_puno)


def test_a_rolled_back_change_leaves_no_history(usuario_puno, causa_puno):
    antes = causa_puno.history.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        causa_puno.texto = "Cambio que no se guarda"
        causa_puno.save()
        raise RuntimeError("falla después de guardar")
    assert causa_puno.history.count() == antes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's (SQLite keeps the history "
                    "append-only through the application only)")
@pytest.mark.parametrize("sql", ["UPDATE {table} SET texto = 'reescrito'", "DELETE FROM {table}"])
def test_postgresql_refuses_to_rewrite_or_delete_history(causa_puno, sql):
    table = causa_puno.history.model._meta.db_table
    with pytest.raises(DatabaseError, match="El historial de cambios no se modifica ni se borra"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql.format(table=table))
    assert causa_puno.history.filter(texto="Texto original de la causa").exists()


def test_an_old_version_can_be_seen_but_not_saved_back(client, usuario_puno, causa_puno):
    causa_puno.texto = "Segunda versión"
    causa_puno.save()
    primera = causa_puno.history.order_by("history_date", "history_id").first()
    url = reverse("admin:matrices_causa_simple_history", args=[causa_puno.pk, primera.history_id])
    client.force_login(usuario_puno)
    assert "Texto original de la causa" in client.get(url).content.decode()
    r = client.post(url, {"problema": causa_puno.problema_id, "entidad": causa_puno.entidad_id, "letra": "a",
                          "texto": "Texto original de la causa"})
    assert r.status_code == 403
    causa_puno.refresh_from_db()
    assert causa_puno.texto == "Segunda versión"
