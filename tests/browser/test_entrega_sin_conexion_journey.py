"""Issue 11, item 9: entry that survives a dropped connection. DRTPE Puno types its values, the
connection drops, «Enviar» says nothing was sent and that the values are kept on this computer;
the page is opened again and the values come back; once the connection is back the values are
sent, the server has them and the local copy is gone. static/js/entrega-local.js."""
import json
from decimal import Decimal

import pytest

from seguimiento.models import AvanceActividad, ValorIndicador
from tests import factories as f
from tests.browser.conftest import login, reabrir
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db(transaction=True)


def _copia(page, clave):
    return json.loads(page.evaluate("k => localStorage.getItem(k) || 'null'", clave) or "null")


def test_typed_values_survive_a_dropped_connection_and_leave_once_sent(page):
    esc = sf.escenario(n_indicadores=2, n_actividades=1)
    puno = esc.users["puno"]
    ind1, ind2 = esc.indicadores[:2]
    act = esc.actividades[0]
    url = f"/planes/{esc.plan.pk}/reportar/{esc.periodo.pk}/"
    clave = f"amc-entrega:u{puno.pk}:p{esc.plan.pk}:e{esc.puno.pk}:t{esc.periodo.pk}"
    login(page, puno.username, f.PASSWORD)
    page.goto(url)
    estado = page.locator("#estado-local")
    assert estado.get_attribute("aria-live") == "polite"

    page.locator(f"#id_i{ind1.pk}-valor").fill("17")
    page.locator(f"#id_i{ind1.pk}-comentario").fill("Taller en Juliaca")
    page.locator(f"#id_i{ind1.pk}-evidencia_url").fill("https://example.org/acta-juliaca.pdf")
    page.locator(f"#id_a{act.pk}-situacion").select_option("en_proceso")
    assert "solo en esta computadora" in estado.inner_text()
    assert _copia(page, clave)["valores"][f"i{ind1.pk}-valor"] == "17"

    # The connection drops: sending is refused on the page, nothing reaches the server.
    page.context.set_offline(True)
    page.locator(f"#id_i{ind2.pk}-valor").fill("9")
    page.locator(f"#id_i{ind2.pk}-evidencia_url").fill("https://example.org/lista.pdf")
    page.locator(f"#id_a{act.pk}-avance_fisico").fill("35")
    page.get_by_role("button", name="Enviar al ministerio").click()
    texto = estado.inner_text()
    assert "Sin conexión: no se envió nada al servidor" in texto and "queda guardado en esta computadora" in texto
    assert ValorIndicador.objects.count() == 0 and AvanceActividad.objects.count() == 0

    # The tab is closed; later the page is opened again in a new tab (the connection is back):
    # values restored.
    page = reabrir(page, url)
    estado = page.locator("#estado-local")
    assert "Se recuperó lo que escribió en esta computadora" in estado.inner_text()
    assert page.locator(f"#id_i{ind1.pk}-valor").input_value() == "17"
    assert page.locator(f"#id_i{ind2.pk}-valor").input_value() == "9"
    assert page.locator(f"#id_i{ind1.pk}-comentario").input_value() == "Taller en Juliaca"
    assert page.locator(f"#id_a{act.pk}-situacion").input_value() == "en_proceso"
    assert page.locator(f"#id_a{act.pk}-avance_fisico").input_value() == "35"

    # Sent: the server has the values, the local copy is gone and the page says so.
    page.get_by_role("button", name="Enviar al ministerio").click()
    page.locator(".messages, #errores").first.wait_for()
    assert not page.locator("#errores").count(), page.locator("#errores").inner_text()
    assert "Se enviaron 3 registro(s) al ministerio" in page.locator(".messages").inner_text()
    assert "Guardado en el servidor" in estado.inner_text()
    assert _copia(page, clave) is None
    assert "recibido" not in page.url
    assert dict(ValorIndicador.objects.values_list("indicador_id", "valor")) == {ind1.pk: Decimal("17"), ind2.pk: Decimal("9")}
    assert AvanceActividad.objects.get().avance_fisico == Decimal("35")
    page.reload()
    assert page.locator(f"#id_i{ind2.pk}-valor").input_value() in ("9", "9.00")
    assert estado.is_hidden()  # nothing only on this computer any more


def test_a_value_changed_on_the_server_since_is_not_overwritten_by_the_local_copy(page):
    esc = sf.escenario(n_indicadores=1, n_actividades=0)
    puno = esc.users["puno"]
    ind = esc.indicadores[0]
    url = f"/planes/{esc.plan.pk}/reportar/{esc.periodo.pk}/"
    login(page, puno.username, f.PASSWORD)
    page.goto(url)
    page.locator(f"#id_i{ind.pk}-valor").fill("5")
    page.locator(f"#id_i{ind.pk}-comentario").fill("Primera versión")
    # Meanwhile the value is saved from another computer.
    from seguimiento import services
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=puno,
                          valores={ind.pk: services.ValorInput(valor=Decimal("8"), evidencia_url="https://example.org/a")},
                          enviar=False)
    page.goto(url)
    valor = page.locator(f"#id_i{ind.pk}-valor").input_value()
    assert valor.startswith("8")  # the server's newer value stays
    assert page.locator(f"#id_i{ind.pk}-comentario").input_value() == "Primera versión"
    assert "cambiaron en el servidor desde entonces" in page.locator("#estado-local").inner_text()


def test_what_is_typed_before_the_pages_script_runs_is_kept_too(page):
    """On a slow page a person may type before entrega-local.js has run. What was typed is not the
    server's value: it is kept on this computer like the rest and comes back after the connection
    drops (before, the script took it for the server's and dropped it on the way back, and «Enviar»
    then said the value was missing: the CI failure of stop 16)."""
    esc = sf.escenario(n_indicadores=2, n_actividades=0)
    puno = esc.users["puno"]
    ind1, ind2 = esc.indicadores[:2]
    url = f"/planes/{esc.plan.pk}/reportar/{esc.periodo.pk}/"
    clave = f"amc-entrega:u{puno.pk}:p{esc.plan.pk}:e{esc.puno.pk}:t{esc.periodo.pk}"
    login(page, puno.username, f.PASSWORD)
    retenido = []  # the script's request, held until the person has typed
    page.route("**/entrega-local.js", lambda route: retenido.append(route))
    page.goto(url, wait_until="commit")
    page.locator(f"#id_i{ind1.pk}-valor").fill("17")  # the page's script has not run yet
    assert retenido and page.evaluate("() => document.getElementById('estado-local').hidden")
    retenido[0].continue_()
    page.wait_for_function("k => localStorage.getItem(k) !== null", arg=clave)  # kept as soon as the script runs
    assert _copia(page, clave)["valores"][f"i{ind1.pk}-valor"] == "17"
    page.unroute("**/entrega-local.js")

    page.context.set_offline(True)
    page.locator(f"#id_i{ind2.pk}-valor").fill("9")
    page.get_by_role("button", name="Enviar al ministerio").click()
    assert "Sin conexión: no se envió nada al servidor" in page.locator("#estado-local").inner_text()

    page = reabrir(page, url)
    assert "Se recuperó lo que escribió en esta computadora" in page.locator("#estado-local").inner_text()
    assert page.locator(f"#id_i{ind1.pk}-valor").input_value() == "17"
    assert page.locator(f"#id_i{ind2.pk}-valor").input_value() == "9"
    page.locator(f"#id_i{ind1.pk}-evidencia_url").fill("https://example.org/acta.pdf")
    page.locator(f"#id_i{ind2.pk}-evidencia_url").fill("https://example.org/lista.pdf")
    page.get_by_role("button", name="Enviar al ministerio").click()
    page.locator(".messages, #errores").first.wait_for()
    assert not page.locator("#errores").count(), page.locator("#errores").inner_text()
    assert dict(ValorIndicador.objects.values_list("indicador_id", "valor")) == {ind1.pk: Decimal("17"), ind2.pk: Decimal("9")}
