"""The notices page (/avisos/): each user sees only its own notices, within its entity, with a
link to the item, and marks them read (one or all, POST with CSRF)."""
from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from avisos.models import Aviso
from seguimiento import services
from seguimiento.models import ValorIndicador
from tests.avisos.helpers import enviar
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db


@pytest.fixture
def con_avisos(gente, django_capture_on_commit_callbacks):
    """Puno submitted (MTPE's reviewers are told), a value came back (Puno is told), the period
    was reopened for everyone (Puno and Cusco are told)."""
    g = gente
    with django_capture_on_commit_callbacks(execute=True):
        enviar(g.esc, g.esc.puno, g.puno1, g.esc.periodo)
    valor = ValorIndicador.objects.filter(entidad=g.esc.puno).first()
    with django_capture_on_commit_callbacks(execute=True):
        services.registro_return(registro=valor, user=g.revisor1, observacion="Corrija el número de participantes.")
        services.periodo_reopen(periodo=g.esc.periodo, user=g.revisor1, motivo="Ampliación para Cusco",
                                entrega_hasta=sf.hoy() + datetime.timedelta(days=90))
    return g


def lista(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("avisos:lista")).content.decode()


def ids(body: str) -> set[int]:
    return {int(x) for x in re.findall(r'id="aviso-(\d+)"', body)}


def sin_leer(body: str) -> int:
    m = re.search(r'id="nav-avisos">Avisos(?: <span class="badge"[^>]*>(\d+)</span>)?', body)
    return int(m.group(1) or 0)


def test_a_puno_user_sees_its_own_notices_with_their_links(client, con_avisos):
    g = con_avisos
    body = lista(client, g.puno1)
    propios = set(Aviso.objects.filter(destinatario=g.puno1).values_list("pk", flat=True))
    assert len(propios) == 2 and ids(body) == propios
    devuelto = Aviso.objects.get(destinatario=g.puno1, tipo="devuelto")
    assert f'<a href="{devuelto.enlace}">{devuelto.titulo}</a>' in body
    assert "Corrija el número de participantes." in body
    assert sin_leer(body) == 2


def test_a_puno_user_never_sees_mtpes_or_cuscos_notices(client, con_avisos):
    g = con_avisos
    ajenos = Aviso.objects.exclude(destinatario=g.puno1)
    assert ajenos.filter(entidad=g.esc.mtpe).exists() and ajenos.filter(entidad=g.cusco).exists()
    body = lista(client, g.puno1)
    assert not ids(body) & set(ajenos.values_list("pk", flat=True))
    assert "para revisión" not in body  # the reviewers' notice of Puno's own submission


def test_a_forged_post_cannot_mark_another_entitys_notice_read(client, con_avisos):
    g = con_avisos
    client.force_login(g.puno1)
    for ajeno in Aviso.objects.filter(destinatario__in=[g.revisor1, g.cusco1]):
        assert client.post(reverse("avisos:leido", args=[ajeno.pk])).status_code == 404
    client.post(reverse("avisos:leidos"))
    assert not Aviso.objects.filter(destinatario__in=[g.revisor1, g.cusco1], leido_en__isnull=False).exists()
    assert not Aviso.objects.filter(destinatario=g.puno1, leido_en__isnull=True).exists()


def test_another_user_of_the_same_entity_does_not_see_them_either(client, con_avisos):
    g = con_avisos
    del_otro = Aviso.objects.filter(destinatario=g.puno2)
    assert ids(lista(client, g.puno1)).isdisjoint(set(del_otro.values_list("pk", flat=True)))
    client.force_login(g.puno1)
    assert client.post(reverse("avisos:leido", args=[del_otro.first().pk])).status_code == 404


def test_a_user_moved_to_another_entity_no_longer_sees_the_old_entitys_notices(client, con_avisos):
    g = con_avisos
    g.puno1.entidad = g.cusco
    g.puno1.save()
    assert ids(lista(client, g.puno1)) == set()


def test_marking_one_read(client, con_avisos):
    g = con_avisos
    client.force_login(g.puno1)
    aviso = Aviso.objects.get(destinatario=g.puno1, tipo="devuelto")
    response = client.post(reverse("avisos:leido", args=[aviso.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("avisos:lista")
    aviso.refresh_from_db()
    assert aviso.leido_en is not None
    body = client.get(reverse("avisos:lista")).content.decode()
    assert sin_leer(body) == 1
    assert re.search(rf'<li class="aviso-item" id="aviso-{aviso.pk}">', body)  # shown, no longer as unread
    leido_en = aviso.leido_en
    client.post(reverse("avisos:leido", args=[aviso.pk]))  # again: changes nothing
    aviso.refresh_from_db()
    assert aviso.leido_en == leido_en


def test_marking_notices_read_leaves_the_reports_computed_for_this_data_version(client, con_avisos, django_capture_on_commit_callbacks):
    """Reading a notice changes no plan data: the data version every cached report is keyed by
    (amc.versiones) stays, so no user's reports are computed again because someone read a notice."""
    from amc import versiones

    from django.db import transaction

    g = con_avisos
    client.force_login(g.puno1)
    antes = versiones.version_datos()
    # Each in a transaction of its own, as in a request (the fixture's writes left a raise pending
    # in the test's transaction, which a write in that same transaction would join).
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        client.post(reverse("avisos:leido", args=[Aviso.objects.filter(destinatario=g.puno1).first().pk]))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        client.post(reverse("avisos:leidos"))
    assert not Aviso.objects.filter(destinatario=g.puno1, leido_en__isnull=True).exists()
    assert versiones.version_datos() == antes
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # plan data still raises it
        g.esc.indicadores[0].save()
    assert versiones.version_datos() == antes + 1


def test_marking_all_read(client, con_avisos):
    g = con_avisos
    client.force_login(g.puno1)
    response = client.post(reverse("avisos:leidos"), follow=True)
    body = response.content.decode()
    assert "Se marcaron 2 aviso(s) como leídos." in body
    assert sin_leer(body) == 0 and 'id="marcar-todos"' not in body
    assert Aviso.objects.filter(destinatario=g.puno2, leido_en__isnull=True).count() == 2  # the colleague's stay unread


def test_marking_read_needs_post_and_the_csrf_token(con_avisos):
    g = con_avisos
    aviso = Aviso.objects.filter(destinatario=g.puno1).first()
    client = Client(enforce_csrf_checks=True)
    client.force_login(g.puno1)
    assert client.get(reverse("avisos:leido", args=[aviso.pk])).status_code == 405
    assert client.post(reverse("avisos:leido", args=[aviso.pk])).status_code == 403
    assert client.post(reverse("avisos:leidos")).status_code == 403
    assert not Aviso.objects.filter(leido_en__isnull=False).exists()
    body = client.get(reverse("avisos:lista")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    assert client.post(reverse("avisos:leido", args=[aviso.pk]), {"csrfmiddlewaretoken": token}).status_code == 302
    aviso.refresh_from_db()
    assert aviso.leido_en is not None


def test_the_reviewer_sees_the_submission_with_a_link_to_review_it(client, con_avisos):
    g = con_avisos
    body = lista(client, g.revisor2)
    url = reverse("seguimiento:revision_entrega", args=[g.plan.pk, g.esc.periodo.pk, g.esc.puno.pk])
    assert f'<a href="{url}">DRTPE Puno envió el periodo {g.esc.periodo} para revisión</a>' in body


def test_the_page_costs_the_same_queries_for_few_or_many_notices(client, con_avisos, django_assert_num_queries):
    g = con_avisos
    client.force_login(g.puno1)
    client.get(reverse("avisos:lista"))
    # session, user, groups, the page's count, the page's notices, the navigation's counts (the
    # unread notices 1, the queues 1, and 8 for Puno's open periods: `selectors.contadores`)
    with django_assert_num_queries(15):
        client.get(reverse("avisos:lista"))
    for i in range(30):
        Aviso.objects.create(tipo="aprobado", clave=f"prueba:{i}", destinatario=g.puno1, entidad=g.esc.puno, plan=g.plan,
                             titulo=f"Aviso {i}", texto="Texto", enlace="/")
    with django_assert_num_queries(15):
        body = client.get(reverse("avisos:lista")).content.decode()
    assert len(ids(body)) == 32


def test_the_key_keeps_one_notice_per_kind_object_and_recipient(con_avisos):
    from django.db import IntegrityError, transaction

    aviso = Aviso.objects.filter(destinatario=con_avisos.puno1).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Aviso.objects.create(tipo=aviso.tipo, clave=aviso.clave, destinatario=aviso.destinatario, entidad=aviso.entidad,
                             plan=aviso.plan, titulo="Otra vez", texto="", enlace="/")
