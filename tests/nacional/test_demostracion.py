"""Demo plans say so (issue 12, item 7): the plan's pages, its PDF and its workbook carry the
mark; the seed plan does not; `cargar_seed --demo` leaves the seed plan's data as it was."""
from __future__ import annotations

import pytest

from planes.models import MARCA_DEMOSTRACION, Plan
from tests.nacional.test_vista_nacional import demo  # noqa: F401
from tests.report_helpers import pdf_text, xlsx_book

pytestmark = pytest.mark.django_db


def test_every_page_of_a_demo_plan_carries_the_mark(client, usuario_planificador, demo):  # noqa: F811
    client.force_login(usuario_planificador)
    plan = Plan.objects.get(codigo="demo-cusco-2015-2017")
    for url in (f"/planes/{plan.pk}/", f"/planes/{plan.pk}/seguimiento/", f"/planes/{plan.pk}/evaluacion/"):
        response = client.get(url, follow=True)  # the evaluation redirects to the latest period
        if response.status_code == 404:
            continue  # a page this plan does not have
        assert response.status_code == 200, url
        assert MARCA_DEMOSTRACION in response.content.decode(), url
    assert "Demostración" in client.get("/").content.decode()


def test_the_pdf_and_the_workbook_of_a_demo_plan_carry_the_mark(client, usuario_planificador, demo):  # noqa: F811
    client.force_login(usuario_planificador)
    plan = Plan.objects.get(codigo="demo-arequipa-2015-2017")
    texto = pdf_text(client.get(f"/planes/{plan.pk}/seguimiento/?anio=2015&formato=pdf").content)
    assert "Demostración: plan de ejemplo, no oficial" in texto
    hoja = xlsx_book(client.get(f"/planes/{plan.pk}/seguimiento/?anio=2015&formato=xlsx").content).worksheets[0]
    assert MARCA_DEMOSTRACION in [c.value for c in hoja["A"][:4]]


def test_the_seed_plan_carries_no_mark(client, usuario_planificador, seed_plan, demo):  # noqa: F811
    client.force_login(usuario_planificador)
    assert MARCA_DEMOSTRACION not in client.get(f"/planes/{seed_plan.pk}/").content.decode()
    assert not seed_plan.demostracion


def test_the_admin_page_of_a_demo_plan_carries_the_mark(client, usuario_admin, demo):  # noqa: F811
    client.force_login(usuario_admin)
    plan = Plan.objects.get(codigo="demo-cusco-2015-2017")
    assert MARCA_DEMOSTRACION in client.get(f"/admin/planes/plan/{plan.pk}/change/").content.decode()
