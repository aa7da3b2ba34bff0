"""A ministry planner signs the seed plan, amends it and creates next year's plan, in Chromium,
on a phone-sized screen (390 px): every input has its label, nothing goes past the screen's
width (a wide table scrolls inside its box), axe-core finds nothing critical or serious, the
Content-Security-Policy reports no violation."""
import pytest

from amc.access import Rol
from matrices.models import Actividad
from planes.models import Plan
from tests import factories as f
from tests.browser.accesibilidad import ancho_documento, axe_violations
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

SIN_ETIQUETA = """() => [...document.querySelectorAll('main input:not([type=hidden]), main textarea, main select')]
    .filter(el => !(el.labels && el.labels.length) && !el.closest('label') && !el.getAttribute('aria-label'))
    .map(el => el.name)"""
# What these pages put in <main> stays within the 390 px (the shared top bar is base.html's).
FUERA = """() => [...document.querySelectorAll('main *')]
    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !el.closest('table'))
    .map(el => el.tagName + '.' + el.className + '#' + el.id)"""


def revisar(page):
    assert page.evaluate(SIN_ETIQUETA) == []
    assert page.evaluate(FUERA) == []
    assert ancho_documento(page) <= 390
    assert axe_violations(page) == []


def test_sign_amend_and_create_the_next_plan(page, seed_plan, mtpe):
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    f.make_user(Rol.MINISTERIO, mtpe, username="mtpe-ciclo")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "mtpe-ciclo", f.PASSWORD)

    page.goto(f"/planes/{seed_plan.pk}/")
    page.get_by_role("link", name="Estado, suscripción y modificaciones").click()
    assert page.locator("#estado").inner_text() == "Propuesta"
    revisar(page)
    page.get_by_label("Fecha de suscripción").fill("30/06/2015")
    page.get_by_label("Resolución o convenio").fill("Convenio de Gestión N° 012-2015-MTPE (de prueba)")
    page.get_by_label("Firmantes").fill("Ministro de Trabajo")
    page.get_by_role("button", name="Suscribir").click()
    page.wait_for_selector("text=Plan suscrito")
    assert page.locator("#estado").inner_text() == "Suscrito"

    page.get_by_role("button", name="Abrir una modificación").click()  # no reason: refused
    assert "Indique el motivo de la modificación" in page.locator("main").inner_text()
    page.get_by_label("Motivo de la modificación").fill("Informe del primer semestre")
    page.get_by_role("button", name="Abrir una modificación").click()
    page.wait_for_selector("#form-cerrar-modificacion")
    act = Actividad.objects.get(plan=seed_plan, entidad__codigo="mtpe", orden=1)
    act.descripcion = "Actividad modificada en la prueba"
    act.save()
    page.get_by_role("button", name="Cerrar la modificación").click()
    page.wait_for_selector("text=1 cambios registrados")
    revisar(page)

    page.goto(f"/planes/{seed_plan.pk}/nuevo-plan/")
    page.get_by_label("Problemas, causas y alternativas").check()
    page.get_by_label("Actividades no concluidas (se marcan como arrastradas)").check()
    page.get_by_role("button", name="Ver qué se creará").click()
    assert "mtpe-puno-2016" in page.locator("#nuevo-plan").inner_text()
    revisar(page)
    page.get_by_role("button", name="Crear el plan mtpe-puno-2016").click()
    page.wait_for_selector("#plan-anterior")
    nuevo = Plan.objects.get(codigo="mtpe-puno-2016")
    assert nuevo.plan_anterior_id == seed_plan.pk and nuevo.estado == "propuesta"
    assert "Actividad modificada en la prueba" in page.locator("#arrastradas").inner_text()
    revisar(page)
    assert violations == []
