"""The home page's work queues: what waits for each user, with links, and its count in the
navigation; a fixed number of queries however many entities and plans."""
from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from amc import access
from amc.access import Rol
from avisos import selectors
from seguimiento import services
from seguimiento.models import ValorIndicador
from tests import factories as f
from tests.avisos.conftest import dias, periodo
from tests.avisos.helpers import borrador, enviar
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db


def pagina(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def tabla(body: str, id_: str) -> list[str]:
    """The rows of a table as plain text (cells joined by « | »)."""
    m = re.search(rf'<table[^>]*id="{id_}".*?<tbody>(.*?)</tbody>', body, re.S)
    if not m:
        return []
    filas = re.findall(r"<tr[^>]*>(.*?)</tr>", m.group(1), re.S)
    return [" | ".join(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
                       for c in re.findall(r"<td[^>]*>(.*?)</td>", fila, re.S)) for fila in filas]


def insignia(body: str, id_: str) -> int:
    m = re.search(rf'id="{id_}">[^<]*(?:<span class="badge"[^>]*>(\d+)</span>)?', body)
    return int(m.group(1) or 0)


@pytest.fixture
def atrasos(gente):
    """Two monthly periods of last year: December's window ended yesterday, November's ends in
    two days; Puno submitted November, nobody December; Puno also submitted the first quarter."""
    g, hoy = gente, sf.hoy()
    anio = hoy.year - 1
    g.vencido = periodo(g.plan, 12, anio=anio, desde=datetime.date(anio, 12, 1), hasta=max(hoy - dias(1), datetime.date(anio, 12, 31)))
    g.proximo = periodo(g.plan, 11, anio=anio, desde=datetime.date(anio, 11, 1), hasta=hoy + dias(2))
    enviar(g.esc, g.esc.puno, g.puno1, g.proximo)
    services.entrega_approve(periodo=g.proximo, entidad=g.esc.puno, user=g.revisor1)
    enviar(g.esc, g.esc.puno, g.puno1, g.esc.periodo)
    hace_3_dias = timezone.now() - datetime.timedelta(days=3)
    ValorIndicador.objects.filter(periodo=g.esc.periodo).update(actualizado_en=hace_3_dias)
    g.esc.actividades[0].avances.update(actualizado_en=hace_3_dias)
    return g


# --- regional staff -------------------------------------------------------------------------------

def test_regional_staff_see_their_open_periods_drafts_and_what_came_back(client, gente):
    g, hoy = gente, sf.hoy()
    t1, t2 = g.esc.periodos[0], g.esc.periodos[1]
    borrador(g.esc, g.esc.puno, g.puno1, t1)
    enviar(g.esc, g.esc.puno, g.puno1, t2)
    valor = ValorIndicador.objects.get(indicador=g.esc.indicadores[0], periodo=t2)
    services.registro_return(registro=valor, user=g.revisor1, observacion="Adjunte el acta firmada del taller.")

    body = pagina(client, g.puno1)
    filas = tabla(body, "cola-periodos")
    assert len(filas) == 4  # the year's four quarters are open
    quedan = (t1.entrega_hasta - hoy).days
    assert filas[0].startswith(f"{g.plan.titulo[:30]}")
    assert f"| {t1.nombre} | {t1.entrega_hasta:%d/%m/%Y} | {quedan} días | 0 de 3 | Reportar" in filas[0]
    fila_t2 = next(r for r in filas if t2.nombre in r)
    assert "2 de 3 1 devuelto(s)" in fila_t2
    assert f'href="/planes/{g.plan.pk}/reportar/{t1.pk}/"' in body

    assert tabla(body, "cola-borradores") == [
        f"{g.plan.titulo} | {t1.nombre} | 1 | {t1.entrega_hasta:%d/%m/%Y} (vence en {quedan} días) | Revisar y enviar"]
    [devuelto] = tabla(body, "cola-devueltos")
    assert "Indicador Servidores capacitados 1 (DRTPE Puno)" in devuelto
    assert f"Adjunte el acta firmada del taller. | {hoy:%d/%m/%Y} | Corregir" in devuelto
    assert f'href="/planes/{g.plan.pk}/reportar/{t2.pk}/#ind-{valor.indicador_id}"' in body

    assert "Entregas por revisar" not in body and "Entidades atrasadas" not in body
    assert insignia(body, "nav-pendientes") == 5  # four periods with something to send, one value returned


def test_cusco_sees_neither_punos_returned_values_nor_its_periods(client, gente):
    g = gente
    enviar(g.esc, g.esc.puno, g.puno1, g.esc.periodo)
    valor = ValorIndicador.objects.filter(entidad=g.esc.puno).first()
    services.registro_return(registro=valor, user=g.revisor1, observacion="Observación para Puno")
    body = pagina(client, g.cusco1)
    assert "Observación para Puno" not in body and tabla(body, "cola-devueltos") == []
    assert all("0 de 1" in fila for fila in tabla(body, "cola-periodos"))  # Cusco's own indicator, not Puno's three


def test_an_entry_sent_in_full_is_not_counted_as_pending(client, gente):
    g = gente
    for p in g.esc.periodos:
        enviar(g.esc, g.esc.puno, g.puno1, p)
    body = pagina(client, g.puno1)
    assert all("3 de 3" in fila and "Todo enviado: ver" in fila for fila in tabla(body, "cola-periodos"))
    assert insignia(body, "nav-pendientes") == 0


# --- reviewers and planners ---------------------------------------------------------------------------

def test_reviewers_see_entries_waiting_and_since_when_and_the_late_entities(client, atrasos):
    g, hoy = atrasos, sf.hoy()
    body = pagina(client, g.revisor1)
    assert tabla(body, "cola-revision") == [f"{g.plan.titulo} | {g.esc.periodo.nombre} | DRTPE Puno | 3 | "
                                            f"{timezone.localdate() - dias(3):%d/%m/%Y} | 3 | Revisar"]
    assert f'href="/planes/{g.plan.pk}/revision/{g.esc.periodo.pk}/{g.esc.puno.pk}/"' in body
    vencio = (hoy - g.vencido.entrega_hasta).days
    vencio_txt = "venció ayer" if vencio == 1 else f"venció hace {vencio} días"
    assert sorted(tabla(body, "cola-atrasos")) == sorted([
        f"{g.plan.titulo} | {g.vencido.nombre} | DRTPE Puno | {g.vencido.entrega_hasta:%d/%m/%Y} | Atrasada: el plazo {vencio_txt} | Ver",
        f"{g.plan.titulo} | {g.vencido.nombre} | DRTPE Cusco | {g.vencido.entrega_hasta:%d/%m/%Y} | Atrasada: el plazo {vencio_txt} | Ver",
        f"{g.plan.titulo} | {g.proximo.nombre} | DRTPE Cusco | {g.proximo.entrega_hasta:%d/%m/%Y} | Sin enviar: el plazo vence en 2 días | Ver",
    ])
    assert f'href="/planes/{g.plan.pk}/revision/{g.vencido.pk}/{g.cusco.pk}/"' in body
    # MTPE reports nothing in this plan: its own queue is empty, not missing.
    assert 'id="sin-periodos"' in body
    assert insignia(body, "nav-pendientes") == 4  # one entry to review, three late


def test_planners_see_the_late_entities_with_a_link_to_the_tracking_report(client, atrasos):
    g = atrasos
    body = pagina(client, g.planificador)
    assert len(tabla(body, "cola-atrasos")) == 3
    assert f'href="/planes/{g.plan.pk}/seguimiento/"' in body
    assert "Entregas por revisar" not in body and "Periodos abiertos para reportar" not in body
    assert insignia(body, "nav-pendientes") == 3


def test_the_ministry_staff_of_another_rector_do_not_review_this_plan(client, atrasos):
    otro = f.make_entidad("GN", sigla="MINSA")
    body = pagina(client, f.make_user(Rol.MINISTERIO, otro))
    assert tabla(body, "cola-revision") == [] and tabla(body, "cola-atrasos") == []


def test_the_days_of_notice_decide_when_an_entity_is_due_soon(client, atrasos):
    from seguimiento.models import ConfiguracionSeguimiento

    g = atrasos
    ConfiguracionSeguimiento.objects.create(plan=g.plan, dias_aviso=1)  # November ends in 2 days: not yet
    assert not any(g.proximo.nombre in fila for fila in tabla(pagina(client, g.planificador), "cola-atrasos"))


def test_the_home_page_keeps_the_plans_list(client, gente):
    body = pagina(client, gente.puno1)
    assert f'<a href="/planes/{gente.plan.pk}/">{gente.plan.titulo}</a>' in body


# --- the navigation counts what the home page lists ---------------------------------------------------

@pytest.mark.parametrize("quien", ["puno1", "cusco1", "revisor1", "planificador"])
def test_the_navigation_counts_what_the_home_page_lists(client, atrasos, quien):
    g = atrasos
    valor = ValorIndicador.objects.filter(entidad=g.esc.puno, periodo=g.esc.periodo).first()
    services.registro_return(registro=valor, user=g.revisor1, observacion="Revise el valor")
    user = getattr(g, quien)
    client.force_login(user)
    response = client.get("/")
    colas = response.context["colas"]
    assert colas.total > 0
    assert insignia(response.content.decode(), "nav-pendientes") == colas.total
    # …and on any other page
    otra = client.get(reverse("plan_detail", args=[g.plan.pk])).content.decode()
    assert insignia(otra, "nav-pendientes") == colas.total


@pytest.mark.parametrize("quien, consultas", [
    ("puno1", 10),  # unread notices; the queues' counts, Puno's open periods (1) and what is due and sent in them (7)
    ("revisor1", 3),  # unread notices; the queues' counts, MTPE's open periods: it reports nothing in this plan
    ("planificador", 2),  # unread notices; the queues' counts: a planner files nothing
])
def test_the_navigation_is_counted_in_a_fixed_number_of_queries(atrasos, quien, consultas, django_assert_num_queries):
    user = getattr(atrasos, quien)
    access.role_names(user)  # the page has read the user's roles already
    with django_assert_num_queries(consultas):
        selectors.contadores(user=user)


def test_with_a_cache_the_navigation_counts_the_open_periods_once_per_data_version(
        atrasos, settings, django_assert_num_queries, django_capture_on_commit_callbacks):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "navegacion"}}
    user = atrasos.puno1
    access.role_names(user)
    antes = selectors.contadores(user=user).pendientes
    with django_assert_num_queries(2):  # the unread notices, the data version
        assert selectors.contadores(user=user).pendientes == antes
    # Puno sends the quarter it still owed: the version changes and the count follows.
    trimestre = next(p for p in atrasos.esc.periodos if p.pk != atrasos.esc.periodo.pk)
    with django_capture_on_commit_callbacks(execute=True):  # the version is raised once the entry commits
        enviar(atrasos.esc, atrasos.esc.puno, user, trimestre)
    assert selectors.contadores(user=user).pendientes == antes - 1


def test_downloads_do_not_count_the_navigation(client, gente):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(gente.planificador)
    url = reverse("seguimiento:reporte", args=[gente.plan.pk])
    client.get(url)
    sql = {}
    for formato in ("", "?formato=xlsx", "?formato=pdf"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url + formato).status_code == 200
        sql[formato] = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "avisos_aviso" in sql[""]
    assert "avisos_aviso" not in sql["?formato=xlsx"] and "avisos_aviso" not in sql["?formato=pdf"]


# --- a fixed number of queries --------------------------------------------------------------------------

def _plan_con_entidades(mtpe, n: int, hoy: datetime.date):
    """A plan of the ministry with `n` regional entities, each with an indicator; a period whose
    window ended (nobody sent) and one open, where every other entity submitted."""
    entidades = [f.make_entidad("GR") for _ in range(n)]
    plan = f.make_plan(rector=mtpe, participantes=entidades, anio_inicio=hoy.year - 1, anio_fin=hoy.year + 1)
    anio = hoy.year - 1
    periodo(plan, 12, anio=anio, desde=datetime.date(anio, 12, 1), hasta=max(hoy - dias(1), datetime.date(anio, 12, 31)))
    abierto = periodo(plan, 11, anio=anio, desde=datetime.date(anio, 11, 1), hasta=hoy + dias(3))
    for k, e in enumerate(entidades):
        ind = sf.make_indicador(plan, e, 1)
        if k % 2 == 0:
            ValorIndicador.objects.create(indicador=ind, entidad=e, periodo=abierto, valor=1, evidencia_url="https://example.org/a.pdf",
                                          estado="enviado", enviado_en=timezone.now())
    return plan


def test_a_reviewers_home_costs_the_same_queries_for_1_or_25_entities(client, mtpe, django_assert_num_queries):
    hoy = sf.hoy()
    revisor = f.make_user(Rol.MINISTERIO, mtpe)
    client.force_login(revisor)
    _plan_con_entidades(mtpe, 1, hoy)
    client.get("/")
    # session, user, groups, plans; MTPE's own queue: open periods, returned values, returned
    # progress; entries to review; late entities; the navigation's counts
    with django_assert_num_queries(10):
        body = client.get("/").content.decode()
    assert len(tabla(body, "cola-revision")) == 1 and len(tabla(body, "cola-atrasos")) == 1
    for _ in range(3):
        _plan_con_entidades(mtpe, 25, hoy)
    with django_assert_num_queries(10):
        body = client.get("/").content.decode()
    assert len(tabla(body, "cola-revision")) == 1 + 3 * 13 and len(tabla(body, "cola-atrasos")) == 1 + 3 * (25 + 12)


def test_a_planners_home_costs_the_same_queries_for_1_or_25_entities(client, mtpe, django_assert_num_queries):
    hoy = sf.hoy()
    client.force_login(f.make_user(Rol.PLANIFICADOR, mtpe))
    _plan_con_entidades(mtpe, 1, hoy)
    client.get("/")
    with django_assert_num_queries(6):  # session, user, groups, plans, late entities, navigation
        client.get("/")
    _plan_con_entidades(mtpe, 25, hoy)
    with django_assert_num_queries(6):
        body = client.get("/").content.decode()
    assert len(tabla(body, "cola-atrasos")) == 1 + 25 + 12


def test_a_regional_home_costs_the_same_queries_for_1_or_25_plans(client, drtpe_puno, mtpe, django_assert_num_queries):
    hoy = sf.hoy()
    puno = f.make_user(Rol.REGIONAL, drtpe_puno)
    client.force_login(puno)

    def plan_de_puno():
        plan = f.make_plan(rector=mtpe, participantes=[drtpe_puno], anio_inicio=hoy.year - 1, anio_fin=hoy.year + 1)
        ind = sf.make_indicador(plan, drtpe_puno, 1)
        sf.make_actividad(plan, drtpe_puno, 1)
        p = periodo(plan, 11, anio=hoy.year - 1, desde=datetime.date(hoy.year - 1, 11, 1), hasta=hoy + dias(3))
        sf.meta_periodo(ind, p, 1)  # due in the period
        v = ValorIndicador.objects.create(indicador=ind, entidad=drtpe_puno, periodo=p, valor=1, estado="enviado",
                                          evidencia_url="https://example.org/a.pdf", enviado_en=timezone.now())
        services.registro_return(registro=v, user=f.make_user(Rol.MINISTERIO, mtpe), observacion="Corrija el valor")

    plan_de_puno()
    client.get("/")
    # session, user, groups, plans, open periods, what is due in them (5: indicators, targets,
    # activities, earlier progress, schedules) and sent (2: values, progress), returned values,
    # returned progress, the navigation's unread notices
    with django_assert_num_queries(15):
        client.get("/")
    for _ in range(24):
        plan_de_puno()
    with django_assert_num_queries(15):
        body = client.get("/").content.decode()
    assert len(tabla(body, "cola-devueltos")) == 25
    assert [fila.split(" | ")[4:] for fila in tabla(body, "cola-periodos")] == [["0 de 1 1 devuelto(s)", "Reportar"]] * 25


def test_pages_need_no_inline_script_or_style(client, atrasos):
    """The home page and the notices page work under a strict Content-Security-Policy."""
    for user in (atrasos.puno1, atrasos.revisor1):
        client.force_login(user)
        for url in ("/", reverse("avisos:lista")):
            body = client.get(url).content.decode()
            assert "<script" not in body and " style=" not in body and not re.search(r"\son[a-z]+=", body), url


def test_an_administrator_without_an_entity_sees_every_plans_queues(client, atrasos):
    from planes.models import Usuario

    admin = Usuario.objects.create_superuser("raiz", "raiz@trabajo.gob.pe", "clave-de-prueba-123")
    client.force_login(admin)
    response = client.get("/")
    colas = response.context["colas"]
    assert colas.periodos is None and len(colas.por_revisar) == 1 and len(colas.atrasos) == 3
    assert insignia(response.content.decode(), "nav-pendientes") == 4
    assert client.get(reverse("avisos:lista")).status_code == 200
