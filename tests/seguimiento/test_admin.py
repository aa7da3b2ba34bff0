"""seguimiento/admin.py: settings are edited in the admin; filed values and their history are
read-only there (they change only through the entry and review pages)."""
from decimal import Decimal

import pytest
from django.urls import reverse

from seguimiento import services
from seguimiento.models import ValorIndicador
from seguimiento.services import ValorInput

pytestmark = pytest.mark.django_db


def test_admin_lists_open_and_filed_values_are_read_only(client, esc, usuario_admin):
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], enviar=True,
                          valores={i.pk: ValorInput(valor=Decimal("3"), evidencia_url="https://example.org/a") for i in esc.indicadores})
    client.force_login(usuario_admin)
    for model in ("configuracionseguimiento", "periodoreporte", "metaperiodo", "tipodesagregacion", "indicadordesagregacion",
                  "valorindicador", "avanceactividad", "ejecucionpresupuestal"):
        assert client.get(reverse(f"admin:seguimiento_{model}_changelist")).status_code == 200, model
    v = ValorIndicador.objects.first()
    body = client.get(reverse("admin:seguimiento_valorindicador_change", args=[v.pk])).content.decode()
    assert "Enviado" in body and 'name="valor"' not in body  # shown, not editable
    response = client.post(reverse("admin:seguimiento_valorindicador_change", args=[v.pk]), {"valor": "99"})
    assert response.status_code == 403
    v.refresh_from_db()
    assert v.valor == Decimal("3")


def test_regional_staff_see_their_own_values_in_the_admin(client, esc):
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"],
                          valores={esc.indicadores[0].pk: ValorInput(valor=Decimal("3"))})
    client.force_login(esc.users["puno"])
    body = client.get(reverse("admin:seguimiento_valorindicador_changelist")).content.decode()
    assert "Servidores capacitados 1 (DRTPE Puno)" in body
