"""Issue 2's first journey: a regional user adds a cause to its entity's problem in the
admin, sees it listed, and is refused when it opens a ministry-owned cause by its URL."""
import pytest

from amc.access import Rol
from matrices.models import Causa
from tests import factories as f
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_regional_user_adds_a_cause_and_is_refused_a_ministry_cause(page, drtpe_puno, mtpe, seed_plan):
    f.make_user(Rol.REGIONAL, drtpe_puno, username="puno-nav")
    problema = f.make_problema(seed_plan, numero=9, enunciado="Problema de la prueba en navegador")
    causa_mtpe = f.make_causa(problema, mtpe, "a", "Causa del ministerio")

    login(page, "puno-nav", f.PASSWORD)
    page.goto("/admin/matrices/causa/add/")
    # The problem is an autocomplete field: type, then pick the suggestion.
    page.locator(".field-problema .select2-selection").click()
    page.locator(".select2-search__field").fill("prueba en navegador")
    page.locator(".select2-results__option", has_text="prueba en navegador").click()
    assert page.locator("#id_entidad option:checked").inner_text().strip() == "DRTPE Puno"
    page.locator("#id_letra").fill("c")
    page.locator("#id_texto").fill("Escasa difusión de los servicios en zonas rurales")
    page.get_by_role("button", name="Guardar", exact=True).click()

    page.wait_for_url("**/admin/matrices/causa/")
    assert page.get_by_text("Escasa difusión de los servicios en zonas rurales").is_visible()
    assert Causa.objects.filter(problema=problema, entidad=drtpe_puno, letra="c").exists()
    # The ministry's cause is not in the regional user's list...
    assert page.get_by_text("Causa del ministerio").count() == 0

    # ... and opening it by its URL is refused, saying whose it is.
    response = page.goto(f"/admin/matrices/causa/{causa_mtpe.pk}/change/")
    assert response.status == 403
    assert "pertenece a MTPE" in page.locator("#mensaje-permiso").inner_text()
