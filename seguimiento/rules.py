"""The rules of filing and reviewing what an entity reports, each with its one message: what
is due in a period, what submitting needs, «No aplica» / «Sin información», changes after
submission, review steps (nobody approves what their own entity filed), and the locks on what
changes the score (targets of a period with values, a period's window and its deletion).

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

from amc.vocabulario import FRECUENCIA_CADA, cierra_en
from seguimiento.models import AvanceActividad, CondicionValor, EstadoRevision

E = EstadoRevision
S = AvanceActividad.EstadoActividad


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


def periodo_no_se_borra(periodo) -> str:
    """A period with values is not deleted (in the admin or anywhere else)."""
    return (f"El periodo {periodo} no se puede borrar: ya tiene valores o avances registrados. Si su plazo debe cambiar, "
            "reábralo desde la revisión, con el motivo.")


VENTANA_SOLO_AL_REABRIR = ("Las fechas y el plazo de registro de un periodo no se editan aquí: el plazo cambia al reabrir el "
                           "periodo desde la página de revisión, con su motivo, que queda en sus cierres y reaperturas.")


# --- targets per period --------------------------------------------------------------------------

def meta_cambio_rechazo(periodo, *, tiene_valores: bool, motivo: str, borrar: bool = False) -> str:
    """Why a target of `periodo` may not change (or be deleted, `borrar`) as asked; "". Once the
    period has values its targets change only with a reason (kept in their history) and are not
    deleted."""
    if not tiene_valores:
        return ""
    if borrar:
        return (f"La meta no se borra: el periodo {periodo} ya tiene valores registrados. Cámbiela, con el motivo, "
                "y el cambio quedará en su historial.")
    if not (motivo or "").strip():
        return (f"El periodo {periodo} ya tiene valores registrados: explique el motivo del cambio de la meta; "
                "quedará en su historial.")
    return ""


# --- what is due in a period -------------------------------------------------------------------

def valor_exigido(indicador, periodo, meta) -> str:
    """Why `indicador` must be reported in `periodo` (its target for the period is `meta`, None
    without one); "" when it is optional there. Due when it has a target for the period, or
    when its reporting frequency (`Indicador.frecuencia_reporte`) closes in the period."""
    if meta is not None:
        return f"tiene meta en este periodo: {numero(meta)}"
    frecuencia = indicador.frecuencia_reporte
    if frecuencia and cierra_en(frecuencia, periodo.meses):
        return f"se reporta {FRECUENCIA_CADA[frecuencia]}"
    return ""


#: An activity whose last reported progress says one of these is still under way.
EN_CURSO = (S.EN_PROCESO, S.RETRASADA)


def ultimo_enviado(avances):
    """The latest of an activity's earlier progress reports (in time order) that was ever
    submitted; None if none was."""
    enviados = [a for a in avances if a.enviado_en is not None]
    return enviados[-1] if enviados else None


def avance_exigido(*, programada: bool, anterior) -> str:
    """Why an activity must report its progress in a period; "" when it is optional there.
    Due when its schedule runs in the period (`programada`, from the cronograma) or when its
    last reported progress (`anterior`, see `ultimo_enviado`) left it under way."""
    if programada:
        return "está programada en este periodo según su cronograma"
    if anterior is not None and anterior.situacion in EN_CURSO:
        return (f"en {anterior.periodo.nombre_corto} se reportó {anterior.get_situacion_display().lower()} "
                f"({numero(anterior.avance_fisico)}%)")
    return ""


#: How an item that is due is reported, by kind (`TipoRegistro.clave`).
COMO_CUMPLIR = {
    "valor": "indique el valor, o elija «No aplica» o «Sin información» y explique por qué",
    "avance": "indique su situación y su avance físico",
}


def falta_exigido(tipo, motivo: str) -> str:
    """The message of an item due in the period that was not reported (`tipo`: a kind's spec
    or its `clave`)."""
    return f"Se debe reportar en este periodo ({motivo}): {COMO_CUMPLIR[getattr(tipo, 'clave', tipo)]}."


def condicion_problemas(registro) -> dict[str, str]:
    """A value marked «No aplica» or «Sin información» has no number and says why."""
    condicion = getattr(registro, "condicion", CondicionValor.VALOR)
    if condicion == CondicionValor.VALOR:
        return {}
    etiqueta = CondicionValor(condicion).label
    problemas = {}
    if registro.valor is not None:
        problemas["valor"] = f"Marcó «{etiqueta}»: deje el valor en blanco, o elija «Con valor»."
    if not (registro.justificacion or "").strip():
        problemas["justificacion"] = f"Explique por qué marcó «{etiqueta}»."
    return problemas


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
    "valor": "Indique el valor antes de enviar (o elija «No aplica» o «Sin información» y explique por qué).",
    "evidencia": "Adjunte el medio de verificación (archivo o enlace) antes de enviar: este indicador lo pide.",
}


def falta_para_enviar(registro, campos, *, exigido: str = "") -> dict[str, str]:
    """What of `campos` (see PARA_ENVIAR) `registro` lacks to be submitted. A value marked
    «No aplica» or «Sin información» needs neither number nor evidence; evidence is needed
    only where the indicator asks for it (`Indicador.requiere_evidencia`). `exigido`: why the
    item is due in the period, named when its value is missing."""
    faltan = {}
    sin_valor = getattr(registro, "condicion", CondicionValor.VALOR) != CondicionValor.VALOR
    for campo in campos:
        if sin_valor and campo in ("valor", "evidencia"):
            continue
        if campo == "evidencia":
            item = getattr(registro, "indicador", None)
            if not getattr(item, "requiere_evidencia", True) or registro.has_evidence:
                continue
        elif getattr(registro, campo) is not None:
            continue
        faltan[campo] = falta_exigido("valor", exigido) if campo == "valor" and exigido else PARA_ENVIAR[campo]
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


def por_aprobar(cuenta: dict[str, int]) -> str:
    """"3 valor(es) y 2 avance(s)": what «Aprobar todo lo enviado» approves ({kind's clave: how many})."""
    return f"{cuenta.get('valor', 0)} valor(es) y {cuenta.get('avance', 0)} avance(s) de actividades"


def aprobar_todo_sin_confirmar(cuenta: dict[str, int]) -> str:
    return f"Para aprobar todo lo enviado ({por_aprobar(cuenta)}), marque la casilla que lo confirma."


def aprobar_todo_cambio(cuenta: dict[str, int]) -> str:
    """What waits for review changed since the reviewer confirmed: nothing is approved."""
    return (f"Lo enviado cambió desde que abrió la página: ahora espera revisión {por_aprobar(cuenta)}. "
            "Revíselo y confirme de nuevo; no se aprobó nada.")
SIN_MOTIVO_REAPERTURA = "Escriba el motivo de la reapertura."
PLAZO_PASADO = "El nuevo plazo no puede ser anterior a hoy."
TODO_APROBADO = "Se aprobó todo lo que el periodo pedía a cada entidad y nada espera revisión."


def aprueba_lo_propio(entidad, user) -> str:
    """Why `user` may not approve what `entidad` filed: nobody approves what their own entity
    filed (the ministry's staff file the ministry's values too); "" when they may."""
    if user is not None and getattr(user, "entidad_id", None) and user.entidad_id == entidad.pk:
        return (f"No puede aprobar lo que registró su propia entidad ({entidad.nombre_corto}): nadie aprueba lo que "
                "su entidad reportó. Debe aprobarlo un revisor de otra entidad.")
    return ""


def transicion_rechazo(tipo, registro, accion: str, user=None) -> str:
    """Why `registro` cannot take the review step `accion` (a key of TRANSICIONES) by `user`;
    "" if it can. Nobody approves what their own entity filed. A record already where the step
    leads is not refused otherwise: the step changes nothing."""
    if accion == "aprobado":
        propio = aprueba_lo_propio(registro.entidad, user)
        if propio:
            return propio
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


#: Two saves of the same entry at the same moment (a double click, two tabs): one is kept.
GUARDADO_A_LA_VEZ = ("Esta entrega se guardó al mismo tiempo desde otra ventana o pestaña: de esta vez no se guardó "
                     "nada. Recargue la página para ver lo que quedó guardado y, si falta algo, vuelva a escribirlo.")
