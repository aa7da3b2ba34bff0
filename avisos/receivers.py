"""What the follow-up announces (`seguimiento.signals`), turned into notices. Connected from
`AvisosConfig.ready()`; each signal arrives after the change committed."""
from __future__ import annotations

from seguimiento import signals

from avisos import services


def entrega_enviada(sender, *, periodo, entidad, usuario, enviados, fecha, **kwargs):
    services.aviso_entrega_enviada(periodo=periodo, entidad=entidad, usuario=usuario, enviados=enviados, fecha=fecha)


def registro_devuelto(sender, *, registro, usuario, observacion, fecha, **kwargs):
    services.aviso_registro_devuelto(registro=registro, usuario=usuario, observacion=observacion, fecha=fecha)


def registros_aprobados(sender, *, periodo, entidad, usuario, aprobados, registro=None, fecha, **kwargs):
    services.aviso_registros_aprobados(periodo=periodo, entidad=entidad, usuario=usuario, aprobados=aprobados, registro=registro,
                                       fecha=fecha)


def periodo_reabierto(sender, *, periodo, entidad, usuario, motivo, fecha, **kwargs):
    services.aviso_periodo_reabierto(periodo=periodo, entidad=entidad, usuario=usuario, motivo=motivo, fecha=fecha)


def connect() -> None:
    for signal, receiver in ((signals.entrega_enviada, entrega_enviada), (signals.registro_devuelto, registro_devuelto),
                             (signals.registros_aprobados, registros_aprobados), (signals.periodo_reabierto, periodo_reabierto)):
        signal.connect(receiver, dispatch_uid=f"avisos.{receiver.__name__}")
