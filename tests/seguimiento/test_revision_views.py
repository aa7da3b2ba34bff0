"""Review pages (seguimiento.views.revision, revision_entrega), the periods page and the
evidence view: what reviewers see and do, refusals with the database unchanged."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from amc.access import Rol
from seguimiento import rules, services
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
    body = client.post(_url(esc), {"accion": "aprobar_todo", "confirmar": "1", "esperados_valor": "2", "esperados_avance": "0"},
                       follow=True).content.decode()
    assert "Se aprobaron 2 registro(s)." in body
    assert set(ValorIndicador.objects.values_list("estado", flat=True)) == {"aprobado"}


# --- issue 11, item 2: a review that keeps its place -------------------------------------------------

def test_approving_or_returning_brings_the_reviewer_back_to_the_same_item(client, esc):
    _enviar(esc)
    primero, segundo = (ValorIndicador.objects.get(indicador=i) for i in esc.indicadores)
    client.force_login(esc.users["mtpe"])
    body = client.get(_url(esc)).content.decode()
    assert f'<h3 id="valor-{segundo.pk}">' in body and f'action="#valor-{segundo.pk}"' in body
    response = client.post(_url(esc), {"accion": "aprobar", "registro": f"v{primero.pk}"})
    assert response.status_code == 302 and response["Location"] == f"{_url(esc)}#valor-{primero.pk}"
    response = client.post(_url(esc), {"accion": "devolver", "registro": f"v{segundo.pk}", "observacion": "Falta el acta"})
    assert response["Location"] == f"{_url(esc)}#valor-{segundo.pk}"
    assert list(ValorIndicador.objects.order_by("indicador__orden").values_list("estado", flat=True)) == ["aprobado", "devuelto"]


def test_a_refused_step_is_shown_at_its_item(client, esc):
    _enviar(esc)
    v = ValorIndicador.objects.get(indicador=esc.indicadores[1])
    client.force_login(esc.users["mtpe"])
    antes = estado_bd()
    response = client.post(_url(esc), {"accion": "devolver", "registro": f"v{v.pk}", "observacion": " "})
    body = response.content.decode()
    assert response.status_code == 200  # rendered, posted to #valor-N: the browser shows the item
    item = body[body.index(f'id="rev-ind-{esc.indicadores[1].pk}"'):]
    item = item[:item.index("</section>")]
    assert "Escriba la observación: la entidad la verá para corregir el valor." in item
    assert estado_bd() == antes


def test_each_value_shows_its_target_achievement_and_traffic_light(client, esc):
    uno, dos = esc.indicadores
    sf.meta_periodo(uno, esc.periodo, 25)
    sf.meta_periodo(dos, esc.periodo, 10)
    _enviar(esc)  # 12 each: 48% of 25 (below), 120% of 10 (above)
    client.force_login(esc.users["mtpe"])
    body = client.get(_url(esc)).content.decode()
    for ind, meta, logro, luz in ((uno, "25.00", "48.0%", "Por debajo"), (dos, "10.00", "120.0%", "Por encima")):
        item = body[body.index(f'id="rev-ind-{ind.pk}"'):]
        item = item[:item.index("</section>")]
        assert f'class="meta-periodo">{meta}<' in item and f'class="logro">{logro}<' in item and luz in item


def test_approve_all_asks_for_confirmation_and_says_how_many(client, esc):
    _enviar(esc)
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], enviar=True,
                          avances={esc.actividades[0].pk: services.AvanceInput(situacion="en_proceso", avance_fisico=D("30"))})
    client.force_login(esc.users["mtpe"])
    body = client.get(_url(esc)).content.decode()
    assert "Aprobar todo lo enviado (2 valor(es) y 1 avance(s) de actividades)" in body
    assert 'name="confirmar" value="1" id="confirmar-aprobar-todo" required' in body
    antes = estado_bd()
    body = client.post(_url(esc), {"accion": "aprobar_todo", "esperados_valor": "2", "esperados_avance": "1"}).content.decode()
    assert ("Para aprobar todo lo enviado (2 valor(es) y 1 avance(s) de actividades), marque la casilla que lo confirma."
            in body)
    assert estado_bd() == antes
    # What was submitted changed since the page was loaded: nothing is approved.
    body = client.post(_url(esc), {"accion": "aprobar_todo", "confirmar": "1", "esperados_valor": "1",
                                   "esperados_avance": "1"}).content.decode()
    assert "Lo enviado cambió desde que abrió la página: ahora espera revisión 2 valor(es) y 1 avance(s)" in body
    assert estado_bd() == antes
    body = client.post(_url(esc), {"accion": "aprobar_todo", "confirmar": "1", "esperados_valor": "2", "esperados_avance": "1"},
                       follow=True).content.decode()
    assert "Se aprobaron 3 registro(s)." in body


def test_nobody_approves_what_their_own_entity_filed(client, esc):
    """The ministry files its own values too: its staff cannot approve them (issue 11)."""
    ind = sf.make_indicador(esc.plan, esc.mtpe, 1, nombre="Documentos normativos aprobados")
    mtpe = esc.users["mtpe"]
    services.entrega_save(periodo=esc.periodo, entidad=esc.mtpe, user=mtpe, enviar=True,
                          valores={ind.pk: ValorInput(valor=D("2"), evidencia_url="https://example.org/rm.pdf")})
    v = ValorIndicador.objects.get(indicador=ind)
    otro_del_ministerio = f.make_user(Rol.MINISTERIO, esc.mtpe)
    antes = estado_bd()
    for revisor in (mtpe, otro_del_ministerio):
        with pytest.raises(ValidationError) as exc:
            services.registro_approve(registro=v, user=revisor)
        assert exc.value.messages == [rules.aprueba_lo_propio(esc.mtpe, revisor)]
        with pytest.raises(ValidationError):
            services.entrega_approve(periodo=esc.periodo, entidad=esc.mtpe, user=revisor)
    assert "No puede aprobar lo que registró su propia entidad (MTPE)" in rules.aprueba_lo_propio(esc.mtpe, mtpe)
    assert estado_bd() == antes
    # Through the page: no «Aprobar» for it, the reason instead; a forged POST is refused at the item.
    url = reverse("seguimiento:revision_entrega", args=[esc.plan.pk, esc.periodo.pk, esc.mtpe.pk])
    client.force_login(mtpe)
    body = client.get(url).content.decode()
    assert 'value="aprobar"' not in body and 'value="aprobar_todo"' not in body
    assert "No puede aprobar lo que registró su propia entidad (MTPE)" in body
    body = client.post(url, {"accion": "aprobar", "registro": f"v{v.pk}"}).content.decode()
    assert "No puede aprobar lo que registró su propia entidad (MTPE)" in body
    assert estado_bd() == antes
    # A reviewer of another entity (here an administrator with none) approves it.
    sin_entidad = f.make_user(Rol.ADMINISTRADOR, None)
    services.registro_approve(registro=v, user=sin_entidad)
    v.refresh_from_db()
    assert v.estado == "aprobado"


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


def test_the_review_page_costs_the_same_queries_for_a_small_or_a_large_entry(client, db, django_assert_num_queries):
    from tests.seguimiento.test_reportar_view import _llenar

    pequeno = sf.escenario(n_indicadores=1, n_actividades=1)
    _llenar(pequeno, 1)
    grande = sf.escenario(n_indicadores=25, n_actividades=12, usuarios=False)
    grande.users = pequeno.users
    _llenar(grande, 3)
    url = lambda e, p: reverse("seguimiento:revision_entrega", args=[e.plan.pk, p.pk, e.puno.pk])  # noqa: E731
    client.force_login(pequeno.users["mtpe"])
    client.get(url(pequeno, pequeno.periodo))
    # session, user, groups, plan, period, entity, then entrega_get: indicators, yearly targets,
    # disaggregations, period targets, values, parts, history, activities, progress, progress
    # history, the schedule, budget lines, execution.
    with django_assert_num_queries(22) as small:  # 19 + the navigation: unread notices, the queues' counts, MTPE's open periods (none)
        assert client.get(url(pequeno, pequeno.periodo)).status_code == 200
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url(grande, grande.periodos[2])).status_code == 200
    body = client.get(url(grande, grande.periodos[2])).content.decode()
    assert body.count('class="logro">28.0%<') == 25  # 7 of 25 for each of its 25 values


def test_the_review_list_costs_the_same_queries_for_a_small_or_a_large_plan(db, django_assert_num_queries):
    from seguimiento import selectors
    from tests.seguimiento.test_reportar_view import _llenar

    pequeno = sf.escenario(n_indicadores=1, n_actividades=1)
    _llenar(pequeno, 1)
    grande = sf.escenario(n_indicadores=25, n_actividades=12, extra_regiones=3, usuarios=False)
    grande.users = pequeno.users
    _llenar(grande, 3)
    # periods, entities, entities with indicators, with activities, what is due (5), the records
    # of each kind.
    with django_assert_num_queries(11):
        selectors.revision_list(plan=pequeno.plan)
    with django_assert_num_queries(11):
        data = selectors.revision_list(plan=grande.plan)
    celda = data.celdas[(grande.periodos[0].pk, grande.puno.pk)]
    assert (celda.esperados, celda.por_revisar, celda.resumen) == (25, 37, "37 por revisar")
