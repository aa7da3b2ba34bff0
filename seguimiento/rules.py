"""The rules of filing and reviewing what an entity reports, each with its one message.

The entry page (`services.entrega_save`), the review page (`services.registro_*`) and the
Excel import (`resources.ValorIndicadorResource`) apply these through `seguimiento.registros`,
so a rule is written once and says the same thing wherever it refuses.

Nothing here reads the database: a rule looks at objects already loaded, so the import checks
thousands of rows without a query each. A message that names a kind of record ("Este valor",
"Este avance") takes it from the kind's spec (`registros.TipoRegistro.este`).
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from seguimiento.models import EstadoRevision

E = EstadoRevision


# --- the period ------------------------------------------------------------------------------

def periodo_cerrado(periodo, hoy: datetime.date | None = None) -> str:
    """Why `periodo` takes no values on `hoy`; "" while it is open."""
    situacion = periodo.situacion(hoy)
    if situacion == "abierto":
        return ""
    return {
        "por_abrir": f"El periodo {periodo} aún no recibe valores: el registro empieza el {periodo.entrega_desde:%d/%m/%Y}.",
        "vencido": f"El periodo {periodo} está cerrado: el plazo para registrar venció el {periodo.entrega_hasta:%d/%m/%Y}. "
                   "Pida al ministerio que lo reabra.",
        "cerrado": f"El periodo {periodo} está cerrado: sus valores fueron aprobados. Pida al ministerio que lo reabra.",
    }[situacion]


def mes_fuera_del_periodo(mes: int, periodo) -> str:
    return f"El mes {mes} no pertenece al periodo {periodo}."


# --- changing what was filed -------------------------------------------------------------------

def aprobado_no_cambia(tipo) -> str:
    """An approved record is locked: only a reopening of the period gives it back."""
    return (f"{tipo.este} ya fue aprobado y no se modifica. "
            "Si hay que corregirlo, pida al ministerio que reabra el periodo.")


def cambio_sin_motivo(tipo) -> str:
    """A change to something already submitted is kept in its history with its reason."""
    return f"{tipo.este} ya fue enviado: explique el motivo del cambio."


#: What submitting needs, by field ("evidencia": a file or a link).
PARA_ENVIAR = {
    "valor": "Indique el valor antes de enviar.",
    "evidencia": "Adjunte el medio de verificación (archivo o enlace) antes de enviar.",
}


def falta_para_enviar(registro, campos) -> dict[str, str]:
    """What of `campos` (see PARA_ENVIAR) `registro` lacks to be submitted."""
    faltan = {}
    for campo in campos:
        tiene = registro.has_evidence if campo == "evidencia" else getattr(registro, campo) is not None
        if not tiene:
            faltan[campo] = PARA_ENVIAR[campo]
    return faltan


def partes_problemas(total, partes: dict, desagregaciones, enviar: bool) -> dict[str, str]:
    """The parts of each disaggregation of a value (by sex…), when given, are all given, none
    negative, and add up to the total; a mandatory one is given before submitting.
    Returns {"tipo<id>": message}."""
    problemas = {}
    for d in desagregaciones:
        campo, por = f"tipo{d.tipo_id}", d.tipo.nombre.lower()
        categorias = list(d.tipo.categorias.all())
        dadas = {c.pk: partes[c.pk] for c in categorias if c.pk in partes}
        if not dadas:
            if enviar and d.obligatoria:
                problemas[campo] = f"Desagregue el valor por {por} antes de enviar."
            continue
        faltan = [c.nombre for c in categorias if c.pk not in dadas]
        if faltan:
            problemas[campo] = f"Desagregación por {por}: falta {', '.join(faltan)}."
        elif any(q < 0 for q in dadas.values()):
            problemas[campo] = f"Desagregación por {por}: ninguna parte puede ser negativa."
        else:
            suma = sum(dadas.values(), Decimal("0"))
            if total is None or suma != total:
                detalle = " + ".join(f"{c.nombre} {numero(dadas[c.pk])}" for c in categorias)
                problemas[campo] = (f"Desagregación por {por}: las partes ({detalle} = {numero(suma)}) "
                                    f"no suman el total ({numero(total)}).")
    return problemas


DESAGREGADO_SOLO_EN_LA_PAGINA = (
    "Este valor está desagregado (sus partes deben sumar el total): cámbielo en la página del periodo, "
    "donde se corrigen también sus partes.")


def numero(d) -> str:
    """A number as messages and the history write it: 12, 12.5, — for none."""
    return "—" if d is None else f"{Decimal(d).normalize():f}"


# --- review ------------------------------------------------------------------------------------

#: Each step of a record's review: the states it starts from and the state it leads to.
TRANSICIONES = {
    "enviado": ((E.BORRADOR, E.DEVUELTO), E.ENVIADO),
    "aprobado": ((E.ENVIADO,), E.APROBADO),
    "devuelto": ((E.ENVIADO,), E.DEVUELTO),
    "reabierto": ((E.APROBADO,), E.DEVUELTO),
}

SIN_OBSERVACION = "Escriba la observación: la entidad la verá para corregir el valor."
SIN_MOTIVO_REAPERTURA = "Escriba el motivo de la reapertura."
PLAZO_PASADO = "El nuevo plazo no puede ser anterior a hoy."
TODO_APROBADO = "Todos los valores del periodo fueron aprobados."


def transicion_rechazo(tipo, registro, accion: str) -> str:
    """Why `registro` cannot take the review step `accion` (a key of TRANSICIONES); "" if it can.
    A record already where the step leads is not refused: the step changes nothing."""
    desde, hacia = TRANSICIONES[accion]
    if registro.estado in desde or registro.estado == hacia:
        return ""
    estado = registro.get_estado_display().lower()
    if accion == "devuelto":
        if registro.estado == E.BORRADOR:
            return "Solo se devuelve lo que la entidad envió."
        return f"{tipo.este} ya fue aprobado: para devolverlo, reabra el periodo."
    if accion == "aprobado":
        return f"Solo se aprueba lo que la entidad envió: {tipo.este.lower()} está en «{estado}»."
    if accion == "reabierto":
        return f"Solo se reabre lo aprobado: {tipo.este.lower()} está en «{estado}»."
    return aprobado_no_cambia(tipo)  # submitting what was approved


# --- the period's achievements ------------------------------------------------------------------

LOGROS_ENTREGA_APROBADA = ("La entrega del periodo ya fue aprobada: el resumen de logros no se modifica. "
                           "Si hay que corregirlo, pida al ministerio que reabra el periodo.")
