"""Notices of the follow-up's events: an entry submitted (to the reviewers), a record returned
or approved (to the entity), a period reopened; created when the change commits, e-mailed by
the job; a write rolled back tells nobody."""
from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from avisos.models import Aviso
from seguimiento import services
from seguimiento.models import ValorIndicador
from tests.avisos.helpers import enviar
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db
AMC_URL = "https://amc.trabajo.gob.pe"
OBSERVACION = "La lista de asistencia no corresponde al trimestre: adjunte la del taller de marzo."


@pytest.fixture(autouse=True)
def _url(settings):
    settings.AMC_URL = AMC_URL


def correr():
    call_command("enviar_avisos", stdout=StringIO())


def correos(direccion=None) -> list:
    """The mails of events (the scenario's periods are open too: the job also mails those)."""
    de_tiempo = ("AMC · Periodo abierto", "AMC · El plazo")
    return [m for m in mail.outbox if not m.subject.startswith(de_tiempo) and (direccion is None or direccion in m.to)]


def avisos(tipo, **filtros):
    return Aviso.objects.filter(tipo=tipo, **filtros)


@pytest.fixture
def enviado(gente, django_capture_on_commit_callbacks):
    """Puno submitted its entry for the first quarter."""
    with django_capture_on_commit_callbacks(execute=True):
        enviar(gente.esc, gente.esc.puno, gente.puno1, gente.esc.periodo)
    return gente


def test_submitting_tells_the_plans_reviewers(gente, django_capture_on_commit_callbacks):
    g = gente
    with django_capture_on_commit_callbacks(execute=True):
        enviar(g.esc, g.esc.puno, g.puno1, g.esc.periodo)
    url = reverse("seguimiento:revision_entrega", args=[g.plan.pk, g.esc.periodo.pk, g.esc.puno.pk])
    recibidos = avisos("enviado")
    assert set(recibidos.values_list("destinatario__username", flat=True)) == {"mtpe-rosa", "mtpe-jorge"}
    aviso = recibidos.get(destinatario=g.revisor1)
    assert aviso.enlace == url and aviso.entidad == g.esc.mtpe
    assert aviso.titulo == f"DRTPE Puno envió el periodo {g.esc.periodo} para revisión"
    assert "envió 3 registro(s)" in aviso.texto
    correr()
    [correo] = correos("rosa@trabajo.gob.pe")
    assert correo.subject == f"AMC · DRTPE Puno envió el periodo {g.esc.periodo} para revisión"
    assert AMC_URL + url in correo.body
    assert {d for m in correos() for d in m.to} == {"rosa@trabajo.gob.pe", "jorge@trabajo.gob.pe"}


def test_a_draft_tells_nobody(gente, django_capture_on_commit_callbacks):
    from tests.avisos.helpers import borrador

    with django_capture_on_commit_callbacks(execute=True):
        borrador(gente.esc, gente.esc.puno, gente.puno1, gente.esc.periodo)
    assert not Aviso.objects.exists()


def test_a_returned_value_tells_punos_users_with_the_observation_and_a_link(enviado, django_capture_on_commit_callbacks):
    g = enviado
    valor = ValorIndicador.objects.get(indicador=g.esc.indicadores[0], periodo=g.esc.periodo)
    with django_capture_on_commit_callbacks(execute=True):
        services.registro_return(registro=valor, user=g.revisor1, observacion=OBSERVACION)
    recibidos = avisos("devuelto")
    assert set(recibidos.values_list("destinatario__username", flat=True)) == {"puno-ana", "puno-sin-correo"}
    aviso = recibidos.get(destinatario=g.puno1)
    url = reverse("seguimiento:reportar", args=[g.plan.pk, g.esc.periodo.pk]) + f"#ind-{valor.indicador_id}"
    assert aviso.enlace == url
    assert OBSERVACION in aviso.texto and "Servidores capacitados 1 (DRTPE Puno)" in aviso.titulo
    correr()
    [correo] = correos("ana@drtpepuno.gob.pe")
    assert correo.subject == "AMC · Devuelto con observación: Servidores capacitados 1 (DRTPE Puno)"
    assert OBSERVACION in correo.body and AMC_URL + url in correo.body
    assert correos("luis@drtpecusco.gob.pe") == []


def test_returning_an_activitys_progress_links_to_its_row(enviado, django_capture_on_commit_callbacks):
    g = enviado
    avance = g.esc.actividades[0].avances.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.registro_return(registro=avance, user=g.revisor1, observacion="Falta el acta del taller.")
    aviso = avisos("devuelto").get(destinatario=g.puno1)
    assert aviso.enlace.endswith(f"#act-{avance.actividad_id}")
    assert "el avance de la actividad «Taller de capacitación 1 (DRTPE Puno)»" in aviso.texto


def test_returning_what_is_already_returned_tells_nobody_again(enviado, django_capture_on_commit_callbacks):
    g = enviado
    valor = ValorIndicador.objects.get(indicador=g.esc.indicadores[0], periodo=g.esc.periodo)
    with django_capture_on_commit_callbacks(execute=True):
        services.registro_return(registro=valor, user=g.revisor1, observacion=OBSERVACION)
        services.registro_return(registro=valor, user=g.revisor2, observacion="Otra vez")
    assert avisos("devuelto", destinatario=g.puno1).count() == 1


def test_approving_tells_the_entity(enviado, django_capture_on_commit_callbacks):
    g = enviado
    with django_capture_on_commit_callbacks(execute=True):
        n = services.entrega_approve(periodo=g.esc.periodo, entidad=g.esc.puno, user=g.revisor1)
    assert n == 3
    recibidos = avisos("aprobado")
    assert set(recibidos.values_list("destinatario__username", flat=True)) == {"puno-ana", "puno-sin-correo"}
    aviso = recibidos.get(destinatario=g.puno1)
    assert aviso.titulo == f"Aprobado: 3 registro(s) del periodo {g.esc.periodo}"
    assert aviso.enlace == reverse("seguimiento:reportar", args=[g.plan.pk, g.esc.periodo.pk])
    correr()
    assert [m.subject for m in correos("ana@drtpepuno.gob.pe")] == [f"AMC · {aviso.titulo}"]
    assert not [m for m in correos("rosa@trabajo.gob.pe") if "Aprobado" in m.subject]  # the entity is told, not the reviewers


def test_approving_one_value_names_it(enviado, django_capture_on_commit_callbacks):
    g = enviado
    valor = ValorIndicador.objects.get(indicador=g.esc.indicadores[1], periodo=g.esc.periodo)
    with django_capture_on_commit_callbacks(execute=True):
        services.registro_approve(registro=valor, user=g.revisor1)
        services.registro_approve(registro=valor, user=g.revisor1)  # twice: approved once, told once
    [aviso] = avisos("aprobado", destinatario=g.puno1)
    assert aviso.texto == f"El ministerio aprobó el valor del indicador «Servidores capacitados 2 (DRTPE Puno)» del periodo {g.esc.periodo}."
    assert aviso.enlace.endswith(f"#ind-{valor.indicador_id}")


def test_reopening_for_puno_tells_puno_the_new_deadline_and_why(enviado, django_capture_on_commit_callbacks):
    g = enviado
    services.entrega_approve(periodo=g.esc.periodo, entidad=g.esc.puno, user=g.revisor1)
    hasta = sf.hoy() + datetime.timedelta(days=90)
    with django_capture_on_commit_callbacks(execute=True):
        services.periodo_reopen(periodo=g.esc.periodo, user=g.revisor1, motivo="Corregir la meta física del taller",
                                entrega_hasta=hasta, entidad=g.esc.puno)
    recibidos = avisos("periodo_reabierto")
    assert set(recibidos.values_list("destinatario__username", flat=True)) == {"puno-ana", "puno-sin-correo"}
    texto = recibidos.get(destinatario=g.puno1).texto
    assert f"hasta el {hasta:%d/%m/%Y}" in texto and "Motivo: «Corregir la meta física del taller»" in texto


def test_reopening_for_everyone_tells_every_entity_that_reports(gente, django_capture_on_commit_callbacks):
    g = gente
    with django_capture_on_commit_callbacks(execute=True):
        services.periodo_reopen(periodo=g.esc.periodo, user=g.revisor1, motivo="Ampliación del plazo",
                                entrega_hasta=sf.hoy() + datetime.timedelta(days=90))
    assert set(avisos("periodo_reabierto").values_list("destinatario__username", flat=True)) == {
        "puno-ana", "puno-sin-correo", "cusco-luis"}


class Revertido(Exception):
    pass


def test_a_write_rolled_back_tells_nobody(enviado, django_capture_on_commit_callbacks):
    g = enviado
    valor = ValorIndicador.objects.get(indicador=g.esc.indicadores[0], periodo=g.esc.periodo)
    Aviso.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Revertido), transaction.atomic():
            services.registro_return(registro=valor, user=g.revisor1, observacion=OBSERVACION)
            services.entrega_approve(periodo=g.esc.periodo, entidad=g.esc.puno, user=g.revisor1)
            raise Revertido  # something after the services fails: their writes are rolled back
    assert callbacks == []
    valor.refresh_from_db()
    assert valor.estado == "enviado"
    correr()
    assert not Aviso.objects.filter(tipo__in=["devuelto", "aprobado", "enviado"]).exists() and correos() == []


def test_a_refused_entry_tells_nobody(gente, django_capture_on_commit_callbacks):
    g = gente
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(services.EntregaInvalida):
            services.entrega_save(periodo=g.esc.periodo, entidad=g.esc.puno, user=g.puno1, enviar=True,
                                  valores={g.esc.indicadores[0].pk: services.ValorInput(valor=None)})
    assert callbacks == [] and not Aviso.objects.exists()


def test_the_notice_waits_for_the_commit(enviado, django_capture_on_commit_callbacks):
    """Inside the transaction nothing is told yet; the commit tells."""
    g = enviado
    valor = ValorIndicador.objects.get(indicador=g.esc.indicadores[0], periodo=g.esc.periodo)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.registro_return(registro=valor, user=g.revisor1, observacion=OBSERVACION)
        assert not avisos("devuelto").exists()
    # the notice, and the plan's data version (amc.versiones) raised after the commit too
    anuncios = [c for c in callbacks if c.__qualname__.startswith("anunciar.")]
    assert len(anuncios) == 1
    anuncios[0]()
    assert avisos("devuelto").count() == 2


def test_whoever_did_it_is_not_told(gente, django_capture_on_commit_callbacks):
    """MTPE files its own indicator; the reviewer who submits it is not told of his own entry."""
    g = gente
    sf.make_indicador(g.plan, g.esc.mtpe, 9, nombre="Normas aprobadas (MTPE)")
    with django_capture_on_commit_callbacks(execute=True):
        enviar(g.esc, g.esc.mtpe, g.revisor1, g.esc.periodo)
    assert list(avisos("enviado").values_list("destinatario__username", flat=True)) == ["mtpe-jorge"]
