"""The scheduled job (`manage.py enviar_avisos`): notices of periods opening and deadlines
coming near, and the e-mail of every notice, each once however often it runs."""
from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from avisos.models import Aviso
from cronograma.models import Cronograma
from seguimiento import services
from seguimiento.models import ConfiguracionSeguimiento, PeriodoReporte, ValorIndicador
from tests.avisos.conftest import dias, periodo
from tests.avisos.helpers import correos_a, enviar
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db
AMC_URL = "https://amc.trabajo.gob.pe"


@pytest.fixture
def hoy():
    return datetime.date(sf.hoy().year, 5, 10)


@pytest.fixture
def g(gente, settings):
    """The people of the plan, whose periods are made by each test."""
    settings.AMC_URL = AMC_URL
    PeriodoReporte.objects.filter(plan=gente.plan).delete()
    return gente


def correr(hoy) -> str:
    out = StringIO()
    call_command("enviar_avisos", fecha=hoy.isoformat(), stdout=out)
    return out.getvalue()


def asuntos(direccion):
    return sorted(m.subject for m in correos_a(mail.outbox, direccion))


def test_the_job_mails_period_opened_and_deadline_in_5_days_once_however_often_it_runs(g, hoy):
    marzo = periodo(g.plan, 3, desde=datetime.date(hoy.year, 4, 1), hasta=hoy + dias(5))  # deadline in 5 days
    febrero = periodo(g.plan, 2, desde=datetime.date(hoy.year, 3, 1), hasta=hoy + dias(6))  # in 6: not yet reminded
    periodo(g.plan, 4, desde=hoy + dias(1), hasta=hoy + dias(40))  # April's window opens tomorrow: nothing yet

    salida = correr(hoy)
    # Puno's two users and Cusco's one: each period opened (2 periods), March's deadline (1)
    assert "Avisos nuevos: 6 de periodo abierto, 3 de plazo por vencer." in salida
    assert "Correos enviados: 6." in salida  # one of Puno's users has no e-mail address
    correr(hoy)  # cron runs it again: nothing new, nothing mailed again

    plazo = f"AMC · El plazo del periodo {marzo} vence en 5 días ({marzo.entrega_hasta:%d/%m/%Y})"
    assert asuntos("ana@drtpepuno.gob.pe") == sorted([
        f"AMC · Periodo abierto: {marzo}, hasta el {marzo.entrega_hasta:%d/%m/%Y}",
        f"AMC · Periodo abierto: {febrero}, hasta el {febrero.entrega_hasta:%d/%m/%Y}",
        plazo,
    ])
    assert asuntos("luis@drtpecusco.gob.pe") == asuntos("ana@drtpepuno.gob.pe")
    assert len(mail.outbox) == 6
    recordatorio = next(m for m in mail.outbox if m.subject == plazo and m.to == ["ana@drtpepuno.gob.pe"])
    assert f"{AMC_URL}/planes/{g.plan.pk}/reportar/{marzo.pk}/" in recordatorio.body
    assert "Falta enviar 3 de 3 registro(s)" in recordatorio.body
    assert "Estimado(a) Ana" in recordatorio.body


def test_only_the_staff_of_the_entities_that_report_are_told(g, hoy):
    periodo(g.plan, 3, desde=datetime.date(hoy.year, 4, 1), hasta=hoy + dias(2))
    correr(hoy)
    destinatarios = {d for m in mail.outbox for d in m.to}
    assert destinatarios == {"ana@drtpepuno.gob.pe", "luis@drtpecusco.gob.pe"}  # not the ministry, planners, inactive users
    # A user without an e-mail address sees the notices in AMC; no mail is attempted.
    sin_correo = Aviso.objects.filter(destinatario=g.puno2)
    assert set(sin_correo.values_list("tipo", flat=True)) == {"periodo_abierto", "plazo"}
    assert set(sin_correo.values_list("correo", flat=True)) == {"sin_direccion"}


def test_an_entity_that_sent_everything_is_not_reminded(g, hoy):
    marzo = periodo(g.plan, 3, desde=datetime.date(hoy.year, 4, 1), hasta=hoy + dias(3))
    enviar(g.esc, g.esc.puno, g.puno1, marzo, hoy=hoy)
    correr(hoy)
    assert asuntos("ana@drtpepuno.gob.pe") == []
    assert len(asuntos("luis@drtpecusco.gob.pe")) == 2


def test_part_sent_is_reminded_with_what_is_missing(g, hoy):
    marzo = periodo(g.plan, 3, desde=datetime.date(hoy.year, 4, 1), hasta=hoy + dias(3))
    enviar(g.esc, g.esc.puno, g.puno1, marzo, hoy=hoy)  # 2 values and the activity's progress, all due
    valor = ValorIndicador.objects.get(periodo=marzo, indicador=g.esc.indicadores[0])
    services.registro_return(registro=valor, user=g.revisor1, observacion="Falta el acta")  # one back to send again
    correr(hoy)
    recordatorio = next(m for m in correos_a(mail.outbox, "ana@drtpepuno.gob.pe") if "plazo" in m.subject)
    assert "Falta enviar 1 de 3 registro(s) exigido(s)" in recordatorio.body


def test_what_is_optional_never_calls_for_a_reminder(g, hoy):
    """Puno sent its two values, due (monthly); the activity, whose schedule does not run in the
    period and which was never reported under way, is optional: nothing is left to remind."""
    Cronograma.objects.filter(actividad__in=g.esc.actividades).update(inicio_anio=hoy.year + 1, fin_anio=hoy.year + 1)
    marzo = periodo(g.plan, 3, desde=datetime.date(hoy.year, 4, 1), hasta=hoy + dias(3))
    enviar(g.esc, g.esc.puno, g.puno1, marzo, con_avances=False, hoy=hoy)
    correr(hoy)
    assert [s for s in asuntos("ana@drtpepuno.gob.pe") if marzo.nombre in s] == []
    assert any(marzo.nombre in s for s in asuntos("luis@drtpecusco.gob.pe"))  # Cusco's value, due, not sent


def test_the_days_of_notice_are_the_plans(g, hoy):
    ConfiguracionSeguimiento.objects.create(plan=g.plan, dias_aviso=10)
    periodo(g.plan, 3, desde=datetime.date(hoy.year, 4, 1), hasta=hoy + dias(8))
    correr(hoy)
    assert any("vence en 8 días" in s for s in asuntos("ana@drtpepuno.gob.pe"))


def test_a_new_deadline_is_reminded_again(g, hoy):
    marzo = periodo(g.plan, 3, desde=datetime.date(hoy.year, 4, 1), hasta=hoy + dias(2))
    correr(hoy)
    PeriodoReporte.objects.filter(pk=marzo.pk).update(entrega_hasta=hoy + dias(20))  # reopened with a new deadline
    correr(hoy + dias(16))
    correr(hoy + dias(17))
    plazos = [s for s in asuntos("ana@drtpepuno.gob.pe") if "plazo" in s]
    assert plazos == sorted([f"AMC · El plazo del periodo {marzo} vence en 2 días ({hoy + dias(2):%d/%m/%Y})",
                             f"AMC · El plazo del periodo {marzo} vence en 4 días ({hoy + dias(20):%d/%m/%Y})"])


def test_a_mail_server_that_fails_keeps_the_mails_for_the_next_run(g, hoy, settings):
    periodo(g.plan, 3, desde=datetime.date(hoy.year, 4, 1), hasta=hoy + dias(20))
    settings.EMAIL_BACKEND = "tests.avisos.helpers.FallaBackend"
    with pytest.raises(CommandError, match="2 correo\\(s\\) no se pudieron enviar"):
        correr(hoy)
    assert mail.outbox == []
    assert set(Aviso.objects.filter(destinatario__in=[g.puno1, g.cusco1]).values_list("correo", flat=True)) == {"pendiente"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "Correos enviados: 2." in correr(hoy)
    correr(hoy)
    assert len(mail.outbox) == 2


def test_a_bad_date_is_refused_in_spanish(g):
    with pytest.raises(CommandError, match="Fecha no válida: «10/03/2026». Escríbala como AAAA-MM-DD."):
        call_command("enviar_avisos", fecha="10/03/2026", stdout=StringIO())
