"""What the follow-up announces to the apps above it (notices and work queues live in
`avisos/`, which seguimiento must not import): Django signals sent by `seguimiento.services`.

Each is sent through `anunciar(...)` from inside the service's transaction, and only goes out
once that transaction commits (`transaction.on_commit`): a write that is rolled back announces
nothing. Every signal carries `usuario` (who did it) and `fecha` (when it was announced). A
receiver that fails is logged and does not undo the write, which is already committed.

Periods opening and deadlines coming near are not events: `avisos`' scheduled job finds them.
"""
from __future__ import annotations

import logging

import django.dispatch
from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)

#: An entity submitted (part of) its entry for a period.
#: Arguments: periodo, entidad, usuario, enviados (how many records went), fecha.
entrega_enviada = django.dispatch.Signal()

#: A reviewer returned a value or an activity's progress to its entity.
#: Arguments: registro (ValorIndicador or AvanceActividad), usuario, observacion, fecha.
registro_devuelto = django.dispatch.Signal()

#: A reviewer approved records of an entity's entry (one, or all it had submitted).
#: Arguments: periodo, entidad, usuario, aprobados (how many), registro (the one approved, or None), fecha.
registros_aprobados = django.dispatch.Signal()

#: A reviewer reopened a period, for one entity or for all (entidad None).
#: Arguments: periodo (with its new deadline), entidad, usuario, motivo, fecha.
periodo_reabierto = django.dispatch.Signal()


def anunciar(signal: django.dispatch.Signal, **kwargs) -> None:
    """Send `signal` with `kwargs` (and `fecha`, now) once the current transaction commits."""
    kwargs.setdefault("fecha", timezone.now())

    def send():
        for receiver, result in signal.send_robust(sender=None, **kwargs):
            if isinstance(result, Exception):
                log.error("Falló el receptor %r de una señal del seguimiento", receiver, exc_info=result)

    transaction.on_commit(send)
