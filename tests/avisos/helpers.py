from __future__ import annotations

import smtplib
from decimal import Decimal

from django.core.mail.backends.base import BaseEmailBackend

from seguimiento import services
from seguimiento.models import AvanceActividad
from seguimiento.services import AvanceInput, ValorInput


def enviar(esc, entidad, user, periodo, *, con_avances=True, hoy=None):
    """`entidad` submits a value for each of its indicators (and its activities' progress)."""
    valores = {i.pk: ValorInput(valor=Decimal("12"), evidencia_url="https://example.org/acta.pdf")
               for i in esc.plan.indicadores.filter(entidad=entidad)}
    avances = ({a.pk: AvanceInput(situacion=AvanceActividad.EstadoActividad.EN_PROCESO, avance_fisico=Decimal("40"))
                for a in esc.plan.actividades.filter(entidad=entidad)} if con_avances else {})
    return services.entrega_save(periodo=periodo, entidad=entidad, user=user, valores=valores, avances=avances, enviar=True, hoy=hoy)


def borrador(esc, entidad, user, periodo, n=1):
    valores = {i.pk: ValorInput(valor=Decimal("3")) for i in esc.plan.indicadores.filter(entidad=entidad)[:n]}
    return services.entrega_save(periodo=periodo, entidad=entidad, user=user, valores=valores)


def correos_a(outbox, direccion: str) -> list:
    return [m for m in outbox if direccion in m.to]


class FallaBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("servidor de correo caído (prueba)")
