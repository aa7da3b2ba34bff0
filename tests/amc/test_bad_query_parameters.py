"""A query string no page can use (a NUL byte, a number too large for the database) gets a 400
page in Spanish that says what is wrong, on the admin's lists, the lists and the reports;
never a 500 (PostgreSQL refuses NUL in text, SQLite overflows on 20-digit numbers)."""
import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from amc.middleware import QueryStringGuardMiddleware
from tests import factories as f

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.fixture
def admin_client(client, usuario_admin, seed_plan):
    f.make_plan(participantes=[f.make_entidad("GR")])  # two plans: the plan filters are shown and applied
    client.force_login(usuario_admin)
    client.raise_request_exception = False
    return client


def refusal(response) -> str:
    assert response.status_code == 400, (response.status_code, response.get("Location"))
    body = response.content.decode()
    assert "Solicitud no válida" in body
    return body


@pytest.mark.parametrize("query", [
    "q=%00",
    "q=abc%00def",
    "estado=%00",
    "sector=%00",
    "anio_inicio=%00",
    "%00=1",
])
def test_a_nul_byte_in_an_admin_list_filter_or_search_is_a_400(admin_client, query):
    body = refusal(admin_client.get(reverse("admin:planes_plan_changelist") + "?" + query))
    assert "carácter nulo" in body


@pytest.mark.parametrize("url", [
    "admin:planes_seccionnarrativa_changelist",
    "admin:matrices_causa_changelist",
    "admin:seguimiento_periodoreporte_changelist",
    "admin:planes_entidad_changelist",
])
def test_a_nul_byte_in_a_plan_or_choice_filter_is_a_400(admin_client, url):
    for query in ("plan__id__exact=%00", "estado=%00", "tipo=%00", "entidad__id__exact=%00"):
        assert "carácter nulo" in refusal(admin_client.get(reverse(url) + "?" + query))


def test_the_refusal_names_the_parameter(admin_client):
    body = refusal(admin_client.get(reverse("admin:planes_plan_changelist") + "?sector=Trabajo%00"))
    assert "«sector»" in body


@pytest.mark.parametrize("query", [
    f"anio_inicio={HUGE}",
    f"anio_inicio__exact={HUGE}",
    f"anio_inicio__in=2015,{HUGE}",
    f"anio_inicio__gte=-{HUGE}",
])
def test_an_enormous_year_in_an_admin_list_is_a_400(admin_client, query):
    body = refusal(admin_client.get(reverse("admin:planes_plan_changelist") + "?" + query))
    assert "fuera de rango" in body
    assert "«anio_inicio" in body


@pytest.mark.parametrize("url, query", [
    ("admin:planes_seccionnarrativa_changelist", f"plan__id__exact={HUGE}"),
    ("admin:planes_seccionnarrativa_changelist", f"plan__id__in={HUGE}"),
    ("admin:seguimiento_periodoreporte_changelist", f"anio__in={HUGE}"),
    ("admin:presupuesto_lineapresupuesto_changelist", f"plan__id__exact={HUGE}"),
])
def test_an_enormous_number_in_any_admin_filter_is_a_400(admin_client, url, query):
    assert "fuera de rango" in refusal(admin_client.get(reverse(url) + "?" + query))


def test_ordinary_filters_still_work(admin_client, seed_plan):
    response = admin_client.get(reverse("admin:planes_plan_changelist") + "?anio_inicio=2015&q=Puno")
    assert response.status_code == 200
    assert seed_plan.titulo in response.content.decode()
    response = admin_client.get(reverse("admin:planes_seccionnarrativa_changelist") + f"?plan__id__exact={seed_plan.pk}")
    assert response.status_code == 200


@pytest.mark.parametrize("path", [
    "/listas/actividades/?q=%00",
    "/listas/indicadores/?plan=%00",
    "/listas/valores/?estado=%00",
    "/listas/presupuesto/?clasificador=%00",
    "/importar/?plan=%00",
])
def test_a_nul_byte_in_a_list_or_import_page_is_a_400(admin_client, path):
    assert "carácter nulo" in refusal(admin_client.get(path))


@pytest.mark.parametrize("name, query", [
    ("reporte_matriz_logica", "nivel=%00"),
    ("reporte_presupuesto", "entidad=drtpe%00"),
    ("reporte_cronograma", "hoy=2015-06-30%00"),
    ("seguimiento:tablero", "anio=%00"),
])
def test_a_nul_byte_in_a_report_filter_is_a_400(admin_client, seed_plan, name, query):
    assert "carácter nulo" in refusal(admin_client.get(reverse(name, args=[seed_plan.pk]) + "?" + query))


def test_an_overflow_while_a_page_queries_is_a_400_not_a_500(usuario_admin):
    request = RequestFactory().get("/listas/actividades/", {"anio": HUGE})
    request.user = usuario_admin
    guard = QueryStringGuardMiddleware(lambda r: HttpResponse("ok"))
    response = guard.process_exception(request, OverflowError("Python int too large to convert to SQLite INTEGER"))
    assert response.status_code == 400
    assert "fuera de rango" in response.content.decode()
    # Without a query string (or on a POST) it is a real error: left alone for the 500 page and the log.
    assert guard.process_exception(RequestFactory().get("/listas/actividades/"), OverflowError()) is None
    assert guard.process_exception(RequestFactory().post("/listas/actividades/?anio=1"), OverflowError()) is None
