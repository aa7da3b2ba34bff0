"""The home page's and the navigation's «Pendientes» and the reminders follow what is due
(`seguimiento.registros.exigidos`, issue 11 item 1), not every indicator and activity: an entity
that sent everything due, leaving an optional indicator blank, has nothing pending in the period
and is not reminded of it."""
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from avisos import selectors
from avisos.models import Aviso
from seguimiento import services
from seguimiento.models import MetaPeriodo
from tests.avisos.test_inicio import insignia, pagina, tabla
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db


@pytest.fixture
def esc():
    esc = sf.escenario(n_indicadores=2, n_actividades=0, frecuencia="anual")
    esc.debido, esc.opcional = esc.indicadores[:2]
    sf.meta_periodo(esc.debido, esc.periodo, 20)  # the other has no target this period: optional
    return esc


def _enviar_lo_debido(esc):
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], enviar=True, valores={
        esc.debido.pk: services.ValorInput(valor=Decimal("20"), evidencia_url="https://example.org/acta.pdf")})


def test_before_sending_the_period_is_pending_with_one_item_due(client, esc):
    body = pagina(client, esc.users["puno"])
    [fila] = tabla(body, "cola-periodos")
    assert fila.endswith("| 0 de 1 | Reportar")
    assert insignia(body, "nav-pendientes") == 1
    call_command("enviar_avisos", "--sin-correo", stdout=StringIO())
    assert Aviso.objects.filter(destinatario=esc.users["puno"], periodo=esc.periodo, tipo=Aviso.Tipo.PERIODO_ABIERTO).count() == 1


def test_a_period_with_everything_due_sent_is_not_pending(client, esc):
    _enviar_lo_debido(esc)
    assert selectors.contadores(user=esc.users["puno"]).pendientes == 0
    body = pagina(client, esc.users["puno"])
    [fila] = tabla(body, "cola-periodos")
    assert fila.endswith("| 1 de 1 | Todo enviado: ver")
    assert insignia(body, "nav-pendientes") == 0
    assert insignia(client.get(f"/planes/{esc.plan.pk}/").content.decode(), "nav-pendientes") == 0  # any page


def test_nothing_due_is_said_so_and_never_reminded(client, esc):
    MetaPeriodo.objects.filter(indicador=esc.debido).delete()
    [fila] = tabla(pagina(client, esc.users["puno"]), "cola-periodos")
    assert fila.endswith("| 0 de 0 | Nada exigido: ver")
    call_command("enviar_avisos", "--sin-correo", stdout=StringIO())
    assert not Aviso.objects.filter(destinatario=esc.users["puno"], periodo=esc.periodo).exists()
