"""Issue 12, Done when: Puno's regional staff open a Puno municipality's submission (the plan
leaves the review of local governments to the regional directorate), approve it, and cannot
open Cusco's municipality's plan or submission, by its link or from their pages."""
import pytest
from django.urls import reverse

from seguimiento.models import EstadoRevision, ValorIndicador
from tests import factories as f
from tests.amc.test_arbol import _revisa_la_direccion_regional, arbol  # noqa: F401 (the fixture)
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_puno_reviews_its_municipality_and_never_reaches_cuscos(page, arbol):  # noqa: F811
    usuarios, datos = arbol
    plan, entidad, ind, periodo = datos["puno"]
    plan_cusco, mp_cusco, _, periodo_cusco = datos["cusco"]
    _revisa_la_direccion_regional(plan)

    login(page, usuarios["drtpe_puno"].username, f.PASSWORD)
    assert plan.titulo in page.content() and plan_cusco.titulo not in page.content()
    page.goto(reverse("seguimiento:revision", args=[plan.pk]))
    entrega = reverse("seguimiento:revision_entrega", args=[plan.pk, periodo.pk, entidad.pk])
    assert "MP Puno" in page.inner_text("main")  # the municipality's column in the review table
    page.locator(f'a[href="{entrega}"]').click()
    page.wait_for_url(f"**{entrega}*")
    texto = page.inner_text("main")
    assert "Nº de personas orientadas en MP Puno" in texto
    page.get_by_label("Revisé lo enviado y apruebo", exact=False).check()
    page.get_by_role("button", name="Aprobar todo lo enviado", exact=False).click()
    page.wait_for_load_state()
    assert ValorIndicador.objects.get(indicador=ind, periodo=periodo).estado == EstadoRevision.APROBADO

    for url in (reverse("plan_detail", args=[plan_cusco.pk]),
                reverse("seguimiento:revision_entrega", args=[plan_cusco.pk, periodo_cusco.pk, mp_cusco.pk])):
        response = page.goto(url)
        assert response.status == 404, url
        assert "MP Cusco" not in page.content()
