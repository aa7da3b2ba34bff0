"""Writes of the follow-up: filing a period's values (draft, submit), reviewing them
(approve, return with an observation), reopening a period, and generating a plan's periods.

Every write checks who may do it first (a refusal changes nothing), runs `full_clean()` on
every row, and saves inside one transaction: a period's entry is saved whole or not at all.
How one reported record changes (the rules and the history row) is `seguimiento.registros`,
which the Excel import calls too; the rules and their messages are `seguimiento.rules`.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from amc import access
from amc.access import Rol
from amc.auditoria import con_motivo, con_usuario
from amc.vocabulario import periodos_por_anio
from matrices.models import Actividad, Indicador
from planes.models import Entidad, Plan, PlanEntidad
from presupuesto.models import LineaPresupuesto
from seguimiento import registros, rules, signals
from seguimiento.models import (
    AvanceActividad, CondicionValor, ConfiguracionSeguimiento, EstadoRevision, EventoPeriodo, HistorialLogros,
    HistorialMetaPeriodo, LogrosPeriodo, MetaPeriodo, PeriodoReporte, ValorIndicador,
)
from seguimiento.registros import AVANCE, EJECUCION, VALOR

E = EstadoRevision
NO_REVISOR = ("No tiene permiso: solo los revisores del ministerio (rol «Personal del ministerio») aprueban, "
              "devuelven o reabren; donde el plan lo dispone, también la dirección regional, para las municipalidades "
              "de su región. Su usuario no revisa esta entrega.")


# --- who may do what --------------------------------------------------------------------------

def is_reviewer(user, plan=None) -> bool:
    """Who reviews what the entities file: ministry staff and administrators; in a plan whose
    follow-up says so, also a regional directorate's staff, for the local governments of its
    region (`puede_revisar`)."""
    if access.is_admin(user) or Rol.MINISTERIO in access.role_names(user):
        return True
    return plan is not None and bool(access.region_supervisada(user)) and _revisa_la_region(plan)


def _revisa_la_region(plan) -> bool:
    config = ConfiguracionSeguimiento.objects.filter(plan=plan).only("revisan_locales").first()
    return config is not None and config.revisan_locales == ConfiguracionSeguimiento.RevisionLocales.DIRECCION_REGIONAL


def puede_revisar(user, *, plan, entidad) -> bool:
    """Whether `user` approves and returns what `entidad` files in `plan`: ministry staff and
    administrators any entity; a regional directorate, where the plan says so, the local
    governments of its own region only (never another region's)."""
    if access.is_admin(user) or Rol.MINISTERIO in access.role_names(user):
        return True
    return access.en_su_region(user, entidad) and _revisa_la_region(plan)


def entidades_que_revisa(user, *, plan, entidades) -> list:
    """Of `entidades` (of `plan`), those whose submissions `user` reviews (1 query at most)."""
    if access.is_admin(user) or Rol.MINISTERIO in access.role_names(user):
        return list(entidades)
    if not access.region_supervisada(user) or not _revisa_la_region(plan):
        return []
    return [e for e in entidades if access.en_su_region(user, e)]


def check_reviewer(user, *, plan=None, entidad=None) -> None:
    """Refuse (403) unless `user` reviews in `plan` (what `entidad` files, when given)."""
    permitido = puede_revisar(user, plan=plan, entidad=entidad) if entidad is not None else is_reviewer(user, plan)
    if not permitido:
        raise PermissionDenied(NO_REVISOR)


def can_file(user, entidad: Entidad) -> bool:
    if access.is_admin(user):
        return True
    return not access.is_read_only(user) and getattr(user, "entidad_id", None) == entidad.pk


def check_can_file(user, entidad: Entidad) -> None:
    """Only an entity's own staff (or an administrator) file its values."""
    if can_file(user, entidad):
        return
    if access.is_read_only(user):
        raise PermissionDenied("No tiene permiso: los planificadores consultan y exportan el seguimiento; no registran valores.")
    raise PermissionDenied(
        f"No tiene permiso: los valores de {entidad.nombre_corto} solo los registra el personal de {entidad.nombre_corto}."
    )


def check_owned(*, entidad: Entidad, plan: Plan, indicador_ids=(), actividad_ids=(), linea_ids=()) -> None:
    """Refuse (403, naming the owner) any indicator, activity or budget line that is not
    `entidad`'s in `plan`: a forged form reaching for another entity's rows."""
    for model, ids in ((Indicador, indicador_ids), (Actividad, actividad_ids), (LineaPresupuesto, linea_ids)):
        ids = set(ids)
        if not ids:
            continue
        own = set(model.objects.filter(plan=plan, entidad=entidad, pk__in=ids).values_list("pk", flat=True))
        foreign = ids - own
        if foreign:
            other = model.objects.filter(pk__in=foreign).first()
            if other is not None:
                raise PermissionDenied(access.refusal_message(other))
            raise PermissionDenied(f"No tiene permiso: el formulario incluye registros ({model._meta.verbose_name_plural}) que no existen en este plan.")


# --- filing a period ------------------------------------------------------------------------------

@dataclass
class ValorInput:
    """What the entry form sends for one indicator."""

    valor: Decimal | None = None
    condicion: str = CondicionValor.VALOR  # or «No aplica» / «Sin información», with `justificacion`
    justificacion: str = ""
    evidencia: object | None = None  # an uploaded file
    evidencia_url: str = ""
    comentario: str = ""
    motivo: str = ""
    partes: dict[int, Decimal | None] = field(default_factory=dict)  # categoria_id -> cantidad
    dificultades: str = ""  # when off its target: what got in the way
    medidas_correctivas: str = ""  # and what the entity will do


@dataclass
class AvanceInput:
    situacion: str = AvanceActividad.EstadoActividad.NO_INICIADA
    avance_fisico: Decimal = Decimal("0")
    evidencia: object | None = None
    evidencia_url: str = ""
    comentario: str = ""
    motivo: str = ""


@dataclass
class EjecucionInput:
    pim: Decimal = Decimal("0")
    certificado: Decimal = Decimal("0")
    devengado: Decimal = Decimal("0")


class EntregaInvalida(Exception):
    """The entry has errors; nothing was saved. `errores` maps a form prefix ("i12", "a3",
    "e5-1", or "" for the whole entry) to {field: [messages]}."""

    def __init__(self, errores: dict[str, dict[str, list[str]]]):
        self.errores = errores
        super().__init__(errores)


@dataclass
class EntregaResultado:
    guardados: int = 0
    enviados: int = 0


def _add(errores, prefix, campo, mensaje):
    errores.setdefault(prefix, {}).setdefault(campo, []).append(mensaje)


def _add_validation_error(errores, prefix, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for campo, errs in exc.error_dict.items():
            for e in errs:
                _add(errores, prefix, campo, " ".join(e.messages))
    else:
        for m in exc.messages:
            _add(errores, prefix, "__all__", m)


def entrega_save(*, periodo: PeriodoReporte, entidad: Entidad, user, valores: dict[int, ValorInput] | None = None,
                 avances: dict[int, AvanceInput] | None = None,
                 ejecuciones: dict[tuple[int, int], EjecucionInput] | None = None,
                 enviar: bool = False, hoy: datetime.date | None = None) -> EntregaResultado:
    """Save `entidad`'s values, activity progress and budget execution for `periodo`, as a
    draft or submitted (`enviar`). All or nothing: on any error raise EntregaInvalida and
    save nothing. Submitting what is already submitted and unchanged changes nothing.

    An item with no input (a row the entity left untouched: the entry form sends None for it)
    is not filed at all. Submitting sends what the entity filed (the form's rows and the
    records already stored) and needs every item due in the period (`registros.exigidos`:
    indicators with a target or whose frequency closes in it, activities programmed or under
    way) to be reported; what is not due is optional. A draft emptied of everything is removed.

    Each record's change is checked by `registros.cambio_check` (the rules the Excel import
    applies too); the three kinds go through the same loop, their differences are their specs."""
    entradas = {VALOR: valores or {}, AVANCE: avances or {}, EJECUCION: ejecuciones or {}}
    entradas = {tipo: {k: v for k, v in datos.items() if v is not None} for tipo, datos in entradas.items()}
    check_can_file(user, entidad)
    check_owned(entidad=entidad, plan=periodo.plan, indicador_ids=entradas[VALOR], actividad_ids=entradas[AVANCE],
                linea_ids={linea_id for linea_id, _ in entradas[EJECUCION]})
    cerrado = rules.periodo_cerrado(periodo, hoy)
    if cerrado:
        raise EntregaInvalida({"": {"__all__": [cerrado]}})

    try:
        return _entrega_save(entradas, periodo=periodo, entidad=entidad, user=user, enviar=enviar, hoy=hoy)
    except IntegrityError:
        # Two saves of the same entry at once (a double click, two tabs) both found no record
        # and both created it: one won; this one saved nothing and says so.
        raise EntregaInvalida({"": {"__all__": [rules.GUARDADO_A_LA_VEZ]}}) from None


def _entrega_save(entradas, *, periodo, entidad, user, enviar, hoy) -> EntregaResultado:
    errores: dict = {}
    ahora = timezone.now()
    cambios: list[registros.Cambio] = []
    vaciados: list = []
    with transaction.atomic():
        # One entry of an entity saved at a time (PostgreSQL waits here; SQLite writes one at a time).
        PlanEntidad.objects.select_for_update().filter(plan_id=periodo.plan_id, entidad=entidad).exists()
        exigidos = registros.exigidos(periodos=[periodo], entidad=entidad).get(
            (periodo.pk, entidad.pk), registros.Exigidos())
        for tipo, datos in entradas.items():
            lote = tipo.cargar(periodo, entidad)
            debidos = exigidos.de(tipo)
            if enviar and tipo.revisado:
                # Submitting sends what was filed (stored records go as they are) and what is due.
                datos = {**{k: None for k in [*lote.guardados, *debidos]}, **datos}
            for clave, data in datos.items():
                prefix = tipo.prefix(clave)
                if tipo.por_mes and clave[1] not in periodo.meses:
                    _add(errores, prefix, "__all__", rules.mes_fuera_del_periodo(clave[1], periodo))
                    continue
                exigido = debidos.get(tipo.item_id(clave), "")
                if data is None and clave not in lote.guardados:
                    _add(errores, prefix, tipo.campo_exigido, rules.falta_exigido(tipo, exigido))  # due, never filed
                    continue
                cambio = _cambio(tipo, lote, clave, data, periodo=periodo, entidad=entidad, user=user, enviar=enviar,
                                 hoy=hoy, ahora=ahora, exigido=exigido)
                if tipo.revisado and cambio.registro.vacio and cambio.registro.enviado_en is None:
                    # Nothing filed in it (a row left blank, a draft emptied): not filed, not kept.
                    if enviar and exigido:
                        _add(errores, prefix, tipo.campo_exigido, rules.falta_exigido(tipo, exigido))
                    elif cambio.registro.pk is not None and not cambio.errores:
                        vaciados.append(cambio.registro)
                    continue
                for campo, mensajes in cambio.errores.items():
                    for m in mensajes:
                        _add(errores, prefix, campo, m)
                if not cambio.pendiente:
                    continue
                if not cambio.errores:
                    try:
                        cambio.registro.full_clean()
                    except ValidationError as exc:
                        _add_validation_error(errores, prefix, exc)
                cambios.append(cambio)

        if errores:
            raise EntregaInvalida(errores)
        resultado = EntregaResultado()
        for registro in vaciados:
            registro.delete()
            resultado.guardados += 1
        for cambio in cambios:
            cambio.save()
            resultado.guardados += 1
            resultado.enviados += int(cambio.envia)
        if resultado.enviados:
            signals.anunciar(signals.entrega_enviada, periodo=periodo, entidad=entidad, usuario=user, enviados=resultado.enviados)
    return resultado


def _cambio(tipo, lote, clave, data, *, periodo, entidad, user, enviar, hoy, ahora, exigido="") -> registros.Cambio:
    """One row of the entry form as a checked change of its record (`data` None: the stored
    record, sent as it is)."""
    registro = tipo.registro(lote, clave, periodo=periodo, entidad=entidad)
    antes = tipo.foto(registro)
    if data is not None:
        tipo.aplicar(registro, data)
    otros, partes, problemas = [], None, {}
    if tipo.desagregable:
        partes_antes = {p.categoria_id: p.cantidad for p in registro.partes.all()} if registro.pk else {}
        partes = partes_antes if data is None else {k: q for k, q in data.partes.items() if q is not None}
        if partes != partes_antes:
            otros = ["desagregación"]
        if registro.editable:  # the parts of an approved value are not looked at: it does not change
            desagregaciones = lote.desagregaciones.get(tipo.item_id(clave), [])
            problemas = rules.partes_problemas(registro.valor, partes, desagregaciones, enviar)
    cambio = registros.cambio_check(tipo, registro, periodo=periodo, user=user, antes=antes, motivo=getattr(data, "motivo", ""),
                                    enviar=enviar, hoy=hoy, ahora=ahora, otros=otros, exigido=exigido)
    if otros:
        cambio.partes = partes
    cambio.errores = {**{campo: [m] for campo, m in problemas.items()}, **cambio.errores}
    return cambio


# --- the period's achievements ----------------------------------------------------------------------

LOGROS = "logros"  # the prefix of its errors in EntregaInvalida


def logros_save(*, periodo: PeriodoReporte, entidad: Entidad, user, texto: str, enviar: bool = False,
                hoy: datetime.date | None = None) -> str:
    """Save `entidad`'s summary of achievements for `periodo` («Logros del periodo»); with
    `enviar`, a written summary goes to the ministry with the entry. Every change leaves a
    history row (the text before and after). Refused while the period takes no values or
    once the entity's entry is approved: EntregaInvalida({"logros": {"texto": [...]}}), nothing
    saved. Returns the history row's action ("redactado", "enviado", "cambiado"); "" when
    nothing changed."""
    check_can_file(user, entidad)
    texto = (texto or "").strip()
    ahora = timezone.now()
    with transaction.atomic():
        logros = LogrosPeriodo.objects.select_for_update().filter(periodo=periodo, entidad=entidad).first()
        antes = logros.texto if logros else ""
        enviado_antes = bool(logros and logros.enviado_en)
        envia = enviar and bool(texto) and not enviado_antes
        if texto == antes and not envia:
            return ""
        problema = rules.periodo_cerrado(periodo, hoy) or (rules.LOGROS_ENTREGA_APROBADA if _entrega_aprobada(periodo, entidad) else "")
        if problema:
            raise EntregaInvalida({LOGROS: {"texto": [problema]}})
        logros = logros or LogrosPeriodo(periodo=periodo, entidad=entidad)
        logros.texto, logros.actualizado_por = texto, user
        if envia:
            logros.enviado_en = ahora
        try:
            logros.full_clean()
        except ValidationError as exc:
            errores: dict = {}
            _add_validation_error(errores, LOGROS, exc)
            raise EntregaInvalida(errores) from None
        logros.save()
        accion = (HistorialLogros.Accion.CAMBIADO if enviado_antes else
                  HistorialLogros.Accion.ENVIADO if envia else HistorialLogros.Accion.REDACTADO)
        HistorialLogros.objects.create(registro=logros, accion=accion, texto_anterior=antes, texto_nuevo=texto, usuario=user,
                                       fecha=ahora)
    return accion


def _entrega_aprobada(periodo: PeriodoReporte, entidad: Entidad) -> bool:
    """Every indicator and activity of `entidad` has an approved record for `periodo` (as
    selectors.Entrega.aprobada says for the page)."""
    plan_id = periodo.plan_id
    items = (Indicador.objects.filter(plan_id=plan_id, entidad=entidad).count()
             + Actividad.objects.filter(plan_id=plan_id, entidad=entidad).count())
    aprobados = sum(t.model.objects.filter(periodo=periodo, entidad=entidad, estado=E.APROBADO).count() for t in registros.REVISADOS)
    return items > 0 and aprobados >= items


# --- review -----------------------------------------------------------------------------------------

def _lock(registro):
    return type(registro).objects.select_for_update().select_related("periodo__plan", "entidad").get(pk=registro.pk)


def registro_return(*, registro: ValorIndicador | AvanceActividad, user, observacion: str):
    """Send a submitted value (or activity progress) back to its entity with an observation.
    Returning what is already returned changes nothing."""
    check_reviewer(user, plan=registro.periodo.plan, entidad=registro.entidad)
    observacion = (observacion or "").strip()
    if not observacion:
        raise ValidationError({"observacion": rules.SIN_OBSERVACION})
    with transaction.atomic():
        registro = _lock(registro)
        if registros.transicion_apply(registro, accion="devuelto", user=user, motivo=observacion):
            signals.anunciar(signals.registro_devuelto, registro=registro, usuario=user, observacion=observacion)
    return registro


def registro_approve(*, registro: ValorIndicador | AvanceActividad, user):
    """Approve a submitted value or activity progress; approving twice changes nothing.
    The period closes when every value and progress of it is approved."""
    check_reviewer(user, plan=registro.periodo.plan, entidad=registro.entidad)
    with transaction.atomic():
        registro = _lock(registro)
        if registros.transicion_apply(registro, accion="aprobado", user=user):
            periodo_close_if_complete(periodo=registro.periodo, user=user)
            signals.anunciar(signals.registros_aprobados, periodo=registro.periodo, entidad=registro.entidad, usuario=user, aprobados=1, registro=registro)
    return registro


def entrega_approve(*, periodo: PeriodoReporte, entidad: Entidad, user, esperados: dict[str, int] | None = None) -> int:
    """Approve everything `entidad` submitted for `periodo` (values and activity progress).
    Returns how many were approved; approving again approves nothing more. Nobody approves
    what their own entity filed. `esperados` ({kind's clave: how many}, what the reviewer
    confirmed on the page): when what waits for review is no longer that, nothing is approved."""
    check_reviewer(user, plan=periodo.plan, entidad=entidad)
    propio = rules.aprueba_lo_propio(entidad, user)
    if propio:
        raise ValidationError(propio)
    n = 0
    with transaction.atomic():
        pendientes = {tipo: list(tipo.model.objects.select_for_update().select_related("entidad")
                                 .filter(periodo=periodo, entidad=entidad, estado=E.ENVIADO)) for tipo in registros.REVISADOS}
        if esperados is not None and any(len(pendientes[t]) != esperados.get(t.clave, 0) for t in registros.REVISADOS):
            raise ValidationError(rules.aprobar_todo_cambio({t.clave: len(r) for t, r in pendientes.items()}))
        for tipo, registros_ in pendientes.items():
            for registro in registros_:
                n += registros.transicion_apply(registro, accion="aprobado", user=user)
        periodo_close_if_complete(periodo=periodo, user=user)
        if n:
            signals.anunciar(signals.registros_aprobados, periodo=periodo, entidad=entidad, usuario=user, aprobados=n, registro=None)
    return n


def periodo_close_if_complete(*, periodo: PeriodoReporte, user) -> bool:
    """Close the period when everything due in it, of every entity (`registros.exigidos`), is
    approved and nothing filed waits for review or correction. A period where nothing is due
    stays open until its window ends (entities may still file what is optional)."""
    if periodo.estado == PeriodoReporte.Estado.CERRADO:
        return False
    debidos = registros.exigidos(periodos=[periodo])
    if not any(len(e) for e in debidos.values()):
        return False
    for tipo in registros.REVISADOS:
        estados = dict(tipo.model.objects.filter(periodo=periodo).values_list(f"{tipo.item}_id", "estado"))
        if any(estado in (E.ENVIADO, E.DEVUELTO) for estado in estados.values()):
            return False
        if any(estados.get(item_id) != E.APROBADO for e in debidos.values() for item_id in e.de(tipo)):
            return False
    periodo.estado = PeriodoReporte.Estado.CERRADO
    periodo.save(update_fields=["estado"])
    EventoPeriodo.objects.create(periodo=periodo, accion=EventoPeriodo.Accion.CERRADO, usuario=user, motivo=rules.TODO_APROBADO)
    return True


def periodo_reopen(*, periodo: PeriodoReporte, user, motivo: str, entrega_hasta: datetime.date,
                   entidad: Entidad | None = None, hoy: datetime.date | None = None) -> PeriodoReporte:
    """Reopen a period until `entrega_hasta`, for every entity or one; its approved values
    (of that entity) go back to the entity as returned, with the reason as observation."""
    if entidad is not None:
        check_reviewer(user, plan=periodo.plan, entidad=entidad)
    else:
        check_reviewer(user)  # the whole period, every entity: the ministry
    hoy = hoy or timezone.localdate()
    motivo = (motivo or "").strip()
    errores = {}
    if not motivo:
        errores["motivo"] = rules.SIN_MOTIVO_REAPERTURA
    if entrega_hasta is None or entrega_hasta < hoy:
        errores["entrega_hasta"] = rules.PLAZO_PASADO
    if errores:
        raise ValidationError(errores)
    with transaction.atomic():
        periodo = PeriodoReporte.objects.select_for_update().get(pk=periodo.pk)
        periodo.estado = PeriodoReporte.Estado.ABIERTO
        periodo.entrega_hasta = max(entrega_hasta, periodo.fin)
        periodo.entrega_desde = min(periodo.entrega_desde, hoy)
        periodo.full_clean()
        periodo.save()
        EventoPeriodo.objects.create(periodo=periodo, accion=EventoPeriodo.Accion.REABIERTO, usuario=user, motivo=motivo,
                                     entidad=entidad, entrega_hasta=periodo.entrega_hasta)
        signals.anunciar(signals.periodo_reabierto, periodo=periodo, entidad=entidad, usuario=user, motivo=motivo)
        for tipo in registros.REVISADOS:
            qs = tipo.model.objects.select_for_update().filter(periodo=periodo, estado=E.APROBADO)
            if entidad is not None:
                qs = qs.filter(entidad=entidad)
            for registro in qs:
                registros.transicion_apply(registro, accion="reabierto", user=user, motivo=motivo)
    return periodo


# --- targets per period --------------------------------------------------------------------------------

def meta_periodo_save(*, meta: MetaPeriodo, user, motivo: str = "") -> MetaPeriodo:
    """Create or change an indicator's target for a period (`meta` carries the new value),
    leaving a history row (who, when, before, after, why). Once the period has values a change
    needs its reason (`rules.meta_cambio_rechazo`). An unchanged target changes nothing."""
    access.check_can_edit(user, meta)
    motivo = (motivo or "").strip()
    with transaction.atomic():
        anterior = MetaPeriodo.objects.select_for_update().filter(pk=meta.pk).first() if meta.pk else None
        if anterior is not None and (anterior.indicador_id, anterior.periodo_id) != (meta.indicador_id, meta.periodo_id):
            raise ValidationError({"periodo": "El indicador y el periodo de una meta no cambian: cree la meta del otro periodo."})
        if anterior is not None and anterior.valor == meta.valor:
            return meta
        meta.full_clean()
        rechazo = rules.meta_cambio_rechazo(meta.periodo, tiene_valores=meta.periodo.tiene_valores, motivo=motivo)
        if rechazo:
            raise ValidationError({"motivo": rechazo})
        if motivo:
            con_motivo(meta, motivo)  # kept with the change in the plan's history too
        with con_usuario(user):
            meta.save()
        HistorialMetaPeriodo.objects.create(
            indicador_id=meta.indicador_id, periodo_id=meta.periodo_id, usuario=user, motivo=motivo,
            accion=HistorialMetaPeriodo.Accion.CAMBIADA if anterior else HistorialMetaPeriodo.Accion.CREADA,
            valor_anterior=anterior.valor if anterior else None, valor_nuevo=meta.valor)
    return meta


def meta_periodo_delete(*, meta: MetaPeriodo, user, motivo: str = "") -> None:
    """Delete a target for a period, leaving a history row; refused once the period has values."""
    access.check_can_edit(user, meta)
    with transaction.atomic():
        meta = MetaPeriodo.objects.select_for_update().select_related("periodo").get(pk=meta.pk)
        rechazo = rules.meta_cambio_rechazo(meta.periodo, tiene_valores=meta.periodo.tiene_valores, motivo=motivo, borrar=True)
        if rechazo:
            raise ValidationError(rechazo)
        HistorialMetaPeriodo.objects.create(indicador_id=meta.indicador_id, periodo_id=meta.periodo_id, usuario=user,
                                            motivo=(motivo or "").strip(), accion=HistorialMetaPeriodo.Accion.BORRADA,
                                            valor_anterior=meta.valor, valor_nuevo=None)
        if (motivo or "").strip():
            con_motivo(meta, motivo.strip())
        with con_usuario(user):
            meta.delete()


# --- setting up periods ------------------------------------------------------------------------------

def periodos_generate(*, plan: Plan, anio: int, frecuencia: str, user, dias_entrega: int = 15) -> list[PeriodoReporte]:
    """Set the plan's reporting frequency and create its periods for `anio` (those missing),
    each with an entry window from its first day to `dias_entrega` days after its end."""
    access.check_can_edit(user, plan)
    with transaction.atomic():
        config = ConfiguracionSeguimiento.objects.filter(plan=plan).first() or ConfiguracionSeguimiento(plan=plan)
        otros = PeriodoReporte.objects.filter(plan=plan).exclude(frecuencia=frecuencia)
        if otros.filter(valores__isnull=False).exists():
            raise ValidationError({"frecuencia": "El plan ya tiene valores registrados con otra frecuencia: no se puede cambiar."})
        config.frecuencia, config.dias_entrega = frecuencia, dias_entrega
        config.full_clean()
        config.save()
        existentes = set(PeriodoReporte.objects.filter(plan=plan, frecuencia=frecuencia, anio=anio).values_list("numero", flat=True))
        creados = []
        for numero in range(1, periodos_por_anio(frecuencia) + 1):
            if numero in existentes:
                continue
            inicio, fin = PeriodoReporte.fechas(frecuencia, anio, numero)
            periodo = PeriodoReporte(plan=plan, frecuencia=frecuencia, anio=anio, numero=numero, inicio=inicio, fin=fin,
                                     entrega_desde=inicio, entrega_hasta=fin + datetime.timedelta(days=dias_entrega))
            periodo.full_clean()
            periodo.save()
            creados.append(periodo)
    return creados
