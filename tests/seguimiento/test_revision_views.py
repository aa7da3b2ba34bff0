"""Review pages (seguimiento.views.revision, revision_entrega), the periods page and the
evidence view: what reviewers see and do, refusals with the database unchanged."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from amc.access import Rol
from seguimiento import services
from seguimiento.models import PeriodoReporte, ValorIndicador
from seguimiento.services import ValorInput
from tests import factories as f
from tests.seguimiento import factories as sf
from tests.seguimiento.conftest import estado_bd

pytestmark = pytest.mark.django_db
D = Decimal


def _enviar(esc, evidencia=None):
    valores = {i.pk: ValorInput(valor=D("12"), evidencia_url="https://example.org/acta.pdf") for i in esc.indicadores}
    if evidencia is not None:
        valores[esc.indicadores[0].pk] = ValorInput(valor=D("12"), evidencia=evidencia)
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], valores=valores, enviar=True)


def _url(esc):
    return reverse("seguimiento:revision_entrega", args=[esc.plan.pk, esc.periodo.pk, esc.puno.pk])


def test_the_review_list_shows_what_each_entity_submitted(client, esc):
    _enviar(esc)
    client.force_login(esc.users["mtpe"])
    body = client.get(reverse("seguimiento:revision", args=[esc.plan.pk])).content.decode()
    assert "DRTPE Puno" in body and "2 por revisar" in body


def test_reviewer_returns_a_value_with_an_observation_and_the_entity_sees_it(client, esc):
    _enviar(esc)
    v = ValorIndicador.objects.get(indicador=esc.indicadores[0])
    client.force_login(esc.users["mtpe"])
    antes = estado_bd()
    body = client.post(_url(esc), {"accion": "devolver", "registro": f"v{v.pk}", "observacion": ""}, follow=True).content.decode()
    assert "Escriba la observación" in body
    assert estado_bd() == antes
    client.post(_url(esc), {"accion": "devolver", "registro": f"v{v.pk}", "observacion": "Adjunte el acta firmada"})
    v.refresh_from_db()
    assert v.estado == "devuelto"
    client.force_login(esc.users["puno"])
    body = client.get(reverse("seguimiento:reportar", args=[esc.plan.pk, esc.periodo.pk])).content.decode()
    assert "Observación del ministerio:</strong> Adjunte el acta firmada" in body
    assert "Devuelto con observación" in body and "Motivo del cambio" in body


def test_approving_everything_locks_the_entry(client, esc):
    _enviar(esc)
    client.force_login(esc.users["mtpe"])
    body = client.post(_url(esc), {"accion": "aprobar_todo"}, follow=True).content.decode()
    assert "Se aprobaron 2 registro(s)." in body
    assert set(ValorIndicador.objects.values_list("estado", flat=True)) == {"aprobado"}


def test_non_reviewers_are_refused_and_nothing_changes(client, esc):
    _enviar(esc)
    v = ValorIndicador.objects.first()
    antes = estado_bd()
    for user in (esc.users["puno"], esc.users["planificador"]):
        client.force_login(user)
        for data in ({"accion": "aprobar", "registro": f"v{v.pk}"}, {"accion": "aprobar_todo"},
                     {"accion": "devolver", "registro": f"v{v.pk}", "observacion": "x"},
                     {"accion": "reabrir", "motivo": "x", "entrega_hasta": "31/12/2099"}):
            response = client.post(_url(esc), data)
            assert response.status_code == 403
            assert "solo los revisores del ministerio" in response.content.decode()
        assert client.get(reverse("seguimiento:revision", args=[esc.plan.pk])).status_code == 403
    assert estado_bd() == antes


def test_a_value_of_another_period_cannot_be_approved_through_this_page(client, esc):
    _enviar(esc)
    v = ValorIndicador.objects.first()
    otra = reverse("seguimiento:revision_entrega", args=[esc.plan.pk, esc.periodos[1].pk, esc.puno.pk])
    client.force_login(esc.users["mtpe"])
    antes = estado_bd()
    body = client.post(otra, {"accion": "aprobar", "registro": f"v{v.pk}"}, follow=True).content.decode()
    assert "El registro no pertenece a esta entrega." in body
    assert estado_bd() == antes


def test_reviewer_reopens_a_closed_period_with_a_reason(client, esc):
    _enviar(esc)
    services.entrega_approve(periodo=esc.periodo, entidad=esc.puno, user=esc.users["mtpe"])
    client.force_login(esc.users["mtpe"])
    body = client.post(_url(esc), {"accion": "reabrir", "motivo": "", "entrega_hasta": "01/01/2000"}).content.decode()
    assert "Escriba el motivo de la reapertura." in body
    hasta = sf.hoy() + datetime.timedelta(days=7)
    client.post(_url(esc), {"accion": "reabrir", "motivo": "Corrección pedida por la OGPP", "entrega_hasta": f"{hasta:%d/%m/%Y}"})
    periodo = PeriodoReporte.objects.get(pk=esc.periodo.pk)
    assert periodo.estado == "abierto"
    body = client.get(reverse("seguimiento:periodos", args=[esc.plan.pk])).content.decode()
    assert "Reabierto para DRTPE Puno" in body and "Corrección pedida por la OGPP" in body


def test_evidence_is_served_only_to_users_who_may_read_the_plan(client, esc, settings):
    _enviar(esc, evidencia=sf.pdf("acta-taller.pdf"))
    v = ValorIndicador.objects.get(indicador=esc.indicadores[0])
    url = reverse("seguimiento:evidencia", args=["valor", v.pk])
    client.force_login(esc.users["mtpe"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert 'filename="acta-taller.pdf"' in response["Content-Disposition"]
    otra_region = f.make_user(Rol.REGIONAL, f.make_entidad("GR"))
    client.force_login(otra_region)
    assert client.get(url).status_code == 404
    # Not reachable as a public media URL.
    client.logout()
    assert client.get("/" + settings.MEDIA_URL + v.evidencia.name).status_code in (302, 404)
    assert client.get(url).status_code == 302  # to the login page


def test_rector_staff_create_the_periods_from_the_page(client, db):
    esc = sf.escenario()
    plan = f.make_plan(rector=esc.mtpe, participantes=[esc.puno], anio_inicio=2015, anio_fin=2015)
    client.force_login(esc.users["mtpe"])
    body = client.post(reverse("seguimiento:periodos", args=[plan.pk]),
                       {"frecuencia": "trimestral", "anio": "2015", "dias_entrega": "15"}, follow=True).content.decode()
    assert "Se crearon 4 periodos." in body and "IV trimestre 2015" in body and "15/01/2016" in body
    body = client.post(reverse("seguimiento:periodos", args=[plan.pk]),
                       {"frecuencia": "trimestral", "anio": "2020", "dias_entrega": "15"}).content.decode()
    assert "El año 2020 está fuera del plan (2015–2015)." in body
    client.force_login(esc.users["puno"])
    assert client.post(reverse("seguimiento:periodos", args=[plan.pk]), {"frecuencia": "anual", "anio": "2015"}).status_code == 403
