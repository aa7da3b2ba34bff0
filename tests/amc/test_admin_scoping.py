"""A regional user cannot list, open, change or delete another entity's rows in the admin,
by link or by forged POST; the database is unchanged after every refusal."""
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matrices.models import Alternativa, Causa
from tests import factories as f

pytestmark = pytest.mark.django_db
_n = itertools.count()


@pytest.fixture
def setting(seed_plan, mtpe, drtpe_puno):
    problema = f.make_problema(seed_plan, numero=20, enunciado="Problema de prueba de permisos")
    return {
        "problema": problema,
        "causa_mtpe": f.make_causa(problema, mtpe, "a", "Causa del ministerio"),
        "causa_puno": f.make_causa(problema, drtpe_puno, "a", "Causa de Puno"),
        "linea_mtpe": f.make_linea(seed_plan, mtpe, 900, costo="100.00", cantidad="2", descripcion="Línea del ministerio"),
    }


def admin_url(obj, action="change"):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{action}", args=[obj.pk])


def test_regional_list_shows_only_its_own_causes(client, usuario_puno, setting):
    client.force_login(usuario_puno)
    body = client.get(reverse("admin:matrices_causa_changelist")).content.decode()
    assert "Causa de Puno" in body
    assert "Causa del ministerio" not in body


@pytest.mark.parametrize("key", ["causa_mtpe", "linea_mtpe", "problema"])
def test_opening_another_entitys_row_by_url_is_refused_naming_the_owner(client, usuario_puno, setting, key):
    client.force_login(usuario_puno)
    response = client.get(admin_url(setting[key]))
    assert response.status_code == 403
    assert "pertenece a MTPE" in response.content.decode()


def test_forged_change_post_is_refused_and_changes_nothing(client, usuario_puno, setting):
    causa = setting["causa_mtpe"]
    client.force_login(usuario_puno)
    response = client.post(admin_url(causa), {
        "problema": causa.problema_id, "entidad": usuario_puno.entidad_id, "letra": "z", "texto": "Robada",
        "subpuntos-TOTAL_FORMS": "0", "subpuntos-INITIAL_FORMS": "0",
        "alternativas-TOTAL_FORMS": "0", "alternativas-INITIAL_FORMS": "0",
    })
    assert response.status_code == 403
    causa.refresh_from_db()
    assert (causa.letra, causa.texto, causa.entidad.codigo) == ("a", "Causa del ministerio", "mtpe")


def test_forged_delete_post_is_refused_and_deletes_nothing(client, usuario_puno, setting):
    client.force_login(usuario_puno)
    response = client.post(admin_url(setting["causa_mtpe"], "delete"), {"post": "yes"})
    assert response.status_code == 403
    assert Causa.objects.filter(pk=setting["causa_mtpe"].pk).exists()


def test_bulk_delete_action_cannot_reach_another_entitys_rows(client, usuario_puno, setting):
    client.force_login(usuario_puno)
    client.post(reverse("admin:matrices_causa_changelist"), {
        "action": "delete_selected", "_selected_action": [setting["causa_mtpe"].pk, setting["causa_puno"].pk], "post": "yes",
    })
    assert Causa.objects.filter(pk=setting["causa_mtpe"].pk).exists()


def test_forged_add_post_for_the_ministry_is_rejected_with_a_message(client, usuario_puno, setting, mtpe):
    client.force_login(usuario_puno)
    before = Causa.objects.count()
    response = client.post(reverse("admin:matrices_causa_add"), {
        "problema": setting["problema"].pk, "entidad": mtpe.pk, "letra": "q", "texto": "Causa falsa del ministerio",
        "subpuntos-TOTAL_FORMS": "0", "subpuntos-INITIAL_FORMS": "0",
        "alternativas-TOTAL_FORMS": "0", "alternativas-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    assert "Escoja una opción válida" in response.content.decode()
    assert Causa.objects.count() == before


def test_regional_user_adds_a_cause_with_an_alternative_inline(client, usuario_puno, setting, drtpe_puno):
    client.force_login(usuario_puno)
    response = client.post(reverse("admin:matrices_causa_add"), {
        "problema": setting["problema"].pk, "entidad": drtpe_puno.pk, "letra": "b", "texto": "Nueva causa",
        "subpuntos-TOTAL_FORMS": "1", "subpuntos-INITIAL_FORMS": "0", "subpuntos-0-orden": "1", "subpuntos-0-texto": "Detalle",
        "alternativas-TOTAL_FORMS": "1", "alternativas-INITIAL_FORMS": "0", "alternativas-0-letra": "b",
        "alternativas-0-texto": "Alternativa nueva",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    causa = Causa.objects.get(problema=setting["problema"], entidad=drtpe_puno, letra="b")
    alternativa = Alternativa.objects.get(causa=causa)
    assert (alternativa.problema_id, alternativa.entidad_id, alternativa.texto) == (setting["problema"].pk, drtpe_puno.pk, "Alternativa nueva")
    assert causa.subpuntos.get().texto == "Detalle"


def test_duplicate_alternative_letter_in_an_inline_is_a_form_error_not_a_crash(client, usuario_puno, setting, drtpe_puno):
    causa = setting["causa_puno"]
    Alternativa.objects.create(problema=causa.problema, entidad=drtpe_puno, letra="a", texto="Existente", causa=causa)
    client.force_login(usuario_puno)
    response = client.post(admin_url(causa), {
        "problema": causa.problema_id, "entidad": drtpe_puno.pk, "letra": "a", "texto": causa.texto,
        "subpuntos-TOTAL_FORMS": "0", "subpuntos-INITIAL_FORMS": "0",
        "alternativas-TOTAL_FORMS": "1", "alternativas-INITIAL_FORMS": "0", "alternativas-0-letra": "a",
        "alternativas-0-texto": "Duplicada",
    })
    assert response.status_code == 200
    assert "Alternativa con este Problema, Entidad y Letra ya existe." in response.content.decode()
    assert Alternativa.objects.filter(problema=causa.problema, entidad=drtpe_puno).count() == 1


def test_planner_reads_but_cannot_change(client, usuario_planificador, setting):
    client.force_login(usuario_planificador)
    assert client.get(reverse("admin:matrices_causa_changelist")).status_code == 200
    response = client.post(admin_url(setting["causa_puno"]), {"letra": "x", "texto": "Cambio"})
    assert response.status_code == 403
    setting["causa_puno"].refresh_from_db()
    assert setting["causa_puno"].texto == "Causa de Puno"
    assert client.get(reverse("admin:matrices_causa_add")).status_code == 403


def test_ministry_reads_regional_rows_read_only(client, usuario_mtpe, setting):
    client.force_login(usuario_mtpe)
    response = client.get(admin_url(setting["causa_puno"]))
    assert response.status_code == 200
    assert 'name="texto"' not in response.content.decode()  # the view page, no form field
    assert client.post(admin_url(setting["causa_puno"]), {"letra": "x"}).status_code == 403


def test_regional_user_cannot_reach_another_plans_problems_through_autocomplete(client, usuario_puno, setting):
    other = f.make_plan(participantes=[f.make_entidad("GR")])
    f.make_problema(other, numero=1, enunciado="Problema de otra región")
    client.force_login(usuario_puno)
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "matrices", "model_name": "causa", "field_name": "problema", "term": "Problema",
    })
    texts = [r["text"] for r in response.json()["results"]]
    assert any("Problema de prueba de permisos" in t for t in texts)
    assert not any("otra región" in t for t in texts)


def test_budget_list_shows_totals_per_line_and_level(client, usuario_mtpe, seed_plan, mtpe):
    f.make_linea(seed_plan, mtpe, 901, costo="2500.00", cantidad="2", descripcion="Línea de prueba de totales")
    client.force_login(usuario_mtpe)
    body = client.get(reverse("admin:presupuesto_lineapresupuesto_changelist"), {"q": "Línea de prueba de totales"}).content.decode()
    assert "S/\u00a05,000.00" in body
    assert "Totales de las líneas listadas" in body


@pytest.mark.parametrize("url_name, make_rows", [
    ("admin:matrices_causa_changelist", lambda plan, ent, n: [
        f.make_causa(f.make_problema(plan, numero=100 + next(_n)), ent, "a") for _ in range(n)]),
    ("admin:presupuesto_lineapresupuesto_changelist", lambda plan, ent, n: [
        f.make_linea(plan, ent, 1000 + next(_n), costo="10", cantidad="1") for _ in range(n)]),
])
def test_admin_lists_cost_the_same_queries_for_few_or_many_rows(client, usuario_mtpe, seed_plan, mtpe,
                                                                 url_name, make_rows):
    client.force_login(usuario_mtpe)
    make_rows(seed_plan, mtpe, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url_name)).status_code == 200
    make_rows(seed_plan, mtpe, 40)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(url_name)).status_code == 200
    assert len(many) == len(few)
