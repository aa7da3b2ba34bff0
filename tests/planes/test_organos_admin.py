"""An entity's units (órganos) in the admin are scoped like every other piece: a user changes
and deletes only its own entity's units, administrators any, planners none; the database is
unchanged after every refusal."""
import pytest
from django.urls import reverse

from amc.access import Rol
from planes.models import Organo
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def organos(mtpe, drtpe_puno):
    return {
        "mtpe": Organo.objects.create(entidad=mtpe, nombre="Oficina de prueba del ministerio", sigla="OPM"),
        "puno": Organo.objects.create(entidad=drtpe_puno, nombre="Oficina de prueba de Puno", sigla="OPP"),
    }


def change_url(organo):
    return reverse("admin:planes_organo_change", args=[organo.pk])


def change_post(organo, **changes):
    data = {"entidad": organo.entidad_id, "nombre": organo.nombre, "sigla": organo.sigla, "padre": ""}
    data.update(changes)
    return data


def test_ministry_user_cannot_change_another_entitys_unit(client, usuario_mtpe, organos):
    client.force_login(usuario_mtpe)
    organo = organos["puno"]
    response = client.post(change_url(organo), change_post(organo, nombre="Cambiada por el ministerio"))
    assert response.status_code == 403
    organo.refresh_from_db()
    assert organo.nombre == "Oficina de prueba de Puno"


def test_ministry_user_cannot_delete_another_entitys_unit(client, usuario_mtpe, organos):
    client.force_login(usuario_mtpe)
    response = client.post(reverse("admin:planes_organo_delete", args=[organos["puno"].pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Organo.objects.filter(pk=organos["puno"].pk).exists()


def test_bulk_delete_cannot_reach_another_entitys_units(client, usuario_mtpe, organos):
    client.force_login(usuario_mtpe)
    client.post(reverse("admin:planes_organo_changelist"), {
        "action": "delete_selected", "_selected_action": [organos["puno"].pk, organos["mtpe"].pk], "post": "yes",
    })
    assert Organo.objects.filter(pk=organos["puno"].pk).exists()


def test_ministry_user_changes_its_own_entitys_unit(client, usuario_mtpe, organos):
    client.force_login(usuario_mtpe)
    organo = organos["mtpe"]
    response = client.post(change_url(organo), change_post(organo, nombre="Oficina renombrada"))
    assert response.status_code == 302, response.content.decode()[:2000]
    organo.refresh_from_db()
    assert organo.nombre == "Oficina renombrada"


def test_a_unit_cannot_be_added_to_another_entity(client, usuario_mtpe, organos, drtpe_puno):
    client.force_login(usuario_mtpe)
    before = Organo.objects.count()
    response = client.post(reverse("admin:planes_organo_add"), {"entidad": drtpe_puno.pk, "nombre": "Oficina ajena", "sigla": ""})
    assert response.status_code == 200
    assert "Escoja una opción válida" in response.content.decode()
    assert Organo.objects.count() == before


def test_administrator_changes_any_entitys_unit(client, usuario_admin, organos):
    client.force_login(usuario_admin)
    organo = organos["puno"]
    response = client.post(change_url(organo), change_post(organo, sigla="OPP-2"))
    assert response.status_code == 302, response.content.decode()[:2000]
    organo.refresh_from_db()
    assert organo.sigla == "OPP-2"


def test_planner_reads_units_but_changes_none(client, usuario_planificador, organos):
    client.force_login(usuario_planificador)
    assert client.get(change_url(organos["mtpe"])).status_code == 200
    organo = organos["mtpe"]
    assert client.post(change_url(organo), change_post(organo, nombre="Cambio del planificador")).status_code == 403
    organo.refresh_from_db()
    assert organo.nombre == "Oficina de prueba del ministerio"
    assert client.get(reverse("admin:planes_organo_add")).status_code == 403


def test_a_planner_with_unit_permissions_still_changes_nothing(client, mtpe, organos):
    # Even given the model permissions, a read-only role is refused row by row.
    from django.contrib.auth.models import Permission

    planner = f.make_user(Rol.PLANIFICADOR, mtpe, username="planificador-con-permisos")
    planner.user_permissions.add(*Permission.objects.filter(content_type__model="organo"))
    client.force_login(planner)
    organo = organos["mtpe"]
    assert client.post(change_url(organo), change_post(organo, nombre="Cambio")).status_code == 403
    assert client.post(reverse("admin:planes_organo_delete", args=[organo.pk]), {"post": "yes"}).status_code == 403
    assert Organo.objects.filter(pk=organo.pk, nombre="Oficina de prueba del ministerio").exists()


def test_a_regional_user_chooses_only_its_own_units_in_autocomplete(client, usuario_puno, organos):
    client.force_login(usuario_puno)
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "planes", "model_name": "miembroequipo", "field_name": "organo", "term": "Oficina de prueba",
    })
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Oficina de prueba de Puno"]
