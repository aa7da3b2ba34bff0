"""Issue 11's journey: DRTPE Puno lands on its home page and finds the open quarter; it
submits; the ministry's reviewer is told (notice in the navigation, e-mail from the job), opens
the entry from the notice and returns a value with an observation; Puno finds it on its home
page and in its notices, follows the link to the value and marks the notice read."""
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from amc.access import Rol
from tests import factories as f
from tests.browser.conftest import login
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db(transaction=True)


def _como(page, username):
    page.context.clear_cookies()
    login(page, username, f.PASSWORD)


def test_told_of_a_submission_and_of_a_returned_value(page, drtpe_puno, mtpe):
    esc = sf.escenario(n_indicadores=2, n_actividades=0, usuarios=False, frecuencia="anual")
    f.make_user(Rol.REGIONAL, drtpe_puno, username="puno-av", first_name="Rosa", email="rosa@drtpepuno.gob.pe")
    f.make_user(Rol.MINISTERIO, mtpe, username="mtpe-av", first_name="Jorge", email="jorge@trabajo.gob.pe")
    ind1, ind2 = esc.indicadores
    anio = esc.periodo
    for ind in (ind1, ind2):
        sf.meta_periodo(ind, anio, 20)  # both due this year

    # Puno lands on its home page: the year is open, one thing waits for it.
    _como(page, "puno-av")
    page.goto("/")
    assert page.locator("#nav-pendientes .badge").inner_text() == "1"
    fila = page.locator(f"#periodo-abierto-{anio.pk}")
    assert f"{anio.entrega_hasta:%d/%m/%Y}" in fila.inner_text() and "0 de 2" in fila.inner_text()
    fila.get_by_role("link", name="Reportar").click()
    for ind in (ind1, ind2):
        page.locator(f"#id_i{ind.pk}-valor").fill("20")
        page.locator(f"#id_i{ind.pk}-evidencia_url").fill("https://example.org/acta.pdf")
    page.get_by_role("button", name="Enviar al ministerio").click()
    assert "Se enviaron 2 registro(s)" in page.locator(".messages").inner_text()
    assert page.locator("#nav-pendientes .badge").count() == 0  # nothing left to send

    # The reviewer is told in AMC, and by e-mail when the job runs.
    call_command("enviar_avisos", stdout=StringIO())
    assert [m.to for m in mail.outbox if "para revisión" in m.subject] == [["jorge@trabajo.gob.pe"]]
    _como(page, "mtpe-av")
    page.goto("/")
    assert page.locator("#nav-avisos .badge").inner_text() == "1"
    assert "DRTPE Puno" in page.locator("#cola-revision").inner_text()
    page.get_by_role("link", name="Avisos").click()
    page.get_by_role("link", name=f"DRTPE Puno envió el periodo {anio} para revisión").click()
    seccion = page.locator(f"#rev-ind-{ind2.pk}")
    seccion.get_by_label("Observación").fill("El acta no tiene firmas")
    seccion.get_by_role("button", name="Devolver con observación").click()
    assert "Devuelto a la entidad" in page.locator(".messages").inner_text()

    # Puno finds it on its home page and in its notices, and goes straight to the value.
    _como(page, "puno-av")
    page.goto("/")
    devueltos = page.locator("#cola-devueltos")
    assert "El acta no tiene firmas" in devueltos.inner_text()
    assert page.locator("#nav-avisos .badge").inner_text() == "1"
    page.get_by_role("link", name="Avisos").click()
    aviso = page.locator(".aviso-item.no-leido")
    assert "El acta no tiene firmas" in aviso.inner_text()
    aviso.get_by_role("button", name="Marcar como leído").click()
    assert page.locator(".aviso-item.no-leido").count() == 0 and page.locator("#nav-avisos .badge").count() == 0
    page.locator(".aviso-titulo a").first.click()
    assert page.url.endswith(f"/reportar/{anio.pk}/#ind-{ind2.pk}")
    assert "El acta no tiene firmas" in page.locator(f"#ind-{ind2.pk}").inner_text()
