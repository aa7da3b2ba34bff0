import pytest
from django.urls import reverse

from amc.access import Rol
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_in_spanish(client):
    body = client.get(reverse("login")).content.decode()
    assert "Ingresar" in body and "Contraseña" in body


def test_regional_user_sees_only_the_plans_its_entity_takes_part_in(client, usuario_puno, seed_plan):
    other_region = f.make_entidad("GR")
    other_plan = f.make_plan(participantes=[other_region], titulo="Plan de otra región")
    client.force_login(usuario_puno)
    body = client.get("/").content.decode()
    assert seed_plan.titulo.split("“")[0].strip()[:40] in body
    assert "Plan de otra región" not in body
    assert client.get(reverse("plan_detail", args=[other_plan.pk])).status_code == 404


def test_planner_sees_every_plan(client, usuario_planificador, seed_plan):
    other_plan = f.make_plan(participantes=[f.make_entidad("GR")], titulo="Plan de otra región")
    client.force_login(usuario_planificador)
    body = client.get("/").content.decode()
    assert "Plan de otra región" in body
    assert client.get(reverse("plan_detail", args=[other_plan.pk])).status_code == 200


def test_home_costs_the_same_queries_for_one_plan_or_twenty(client, usuario_planificador, django_assert_num_queries):
    client.force_login(usuario_planificador)
    client.get("/")  # warm the session
    for _ in range(20):
        f.make_plan(participantes=[f.make_entidad("GR")])
    # session, user, groups, plans; the planner's queue of late entities and the navigation's
    # counts (avisos: the home page lists the plans and what waits for the user)
    with django_assert_num_queries(6):
        client.get("/")


def test_plan_overview_lists_entities_and_sections(client, usuario_puno, seed_plan):
    client.force_login(usuario_puno)
    body = client.get(reverse("plan_detail", args=[seed_plan.pk])).content.decode()
    assert "Dirección Regional de Trabajo y Promoción del Empleo de Puno" in body
    assert "Análisis causal" in body and "Presupuesto" in body


def test_plan_overview_costs_the_same_queries_for_a_small_or_a_large_plan(client, usuario_planificador, mtpe):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = f.make_plan(rector=mtpe)
    large = f.make_plan(rector=mtpe, participantes=[f.make_entidad("GR") for _ in range(5)])
    for n in range(1, 16):
        problema = f.make_problema(large, numero=n)
        f.make_causa(problema, mtpe, "a")
        f.make_linea(large, mtpe, n, costo="1", cantidad="1")
    client.force_login(usuario_planificador)
    client.get("/")
    counts = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    assert ">15</td>" in body  # 15 problems counted


def test_years_are_written_without_a_thousands_separator(client, usuario_planificador, seed_plan):
    client.force_login(usuario_planificador)
    for url in ("/", reverse("plan_detail", args=[seed_plan.pk]), f"/admin/planes/plan/{seed_plan.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "2015" in response.content.decode() and "2,015" not in response.content.decode(), url
    assert "2015" in client.get("/").content.decode()
