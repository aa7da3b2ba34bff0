"""Writes of the follow-up: filing a period's values (draft, submit), reviewing them
(approve, return with an observation), reopening a period, and generating a plan's periods.

Every write checks who may do it first (a refusal changes nothing), runs `full_clean()` on
every row, and saves inside one transaction: a period's entry is saved whole or not at all.
"""
from __future__ import annotations

import datetime
import hashlib
import os
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from amc import access
from amc.access import Rol
from amc.vocabulario import periodos_por_anio
from matrices.models import Actividad, Indicador
from planes.models import Entidad, Plan
from presupuesto.models import LineaPresupuesto
from seguimiento.models import (
    AvanceActividad, ConfiguracionSeguimiento, EjecucionPresupuestal, EstadoRevision, EventoPeriodo, HistorialAvance,
    HistorialValor, IndicadorDesagregacion, PeriodoReporte, ValorDesagregado, ValorIndicador,
)

E = EstadoRevision
NO_REVISOR = ("No tiene permiso: solo los revisores del ministerio (rol «Personal del ministerio») aprueban, "
              "devuelven o reabren. Su usuario no tiene ese rol.")


# --- who may do what --------------------------------------------------------------------------

def is_reviewer(user) -> bool:
    """Ministry staff and administrators review what the entities file."""
    return access.is_admin(user) or Rol.MINISTERIO in access.role_names(user)


def check_reviewer(user) -> None:
    if not is_reviewer(user):
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


def periodo_check_open(periodo: PeriodoReporte, hoy: datetime.date | None = None) -> None:
    situacion = periodo.situacion(hoy)
    if situacion == "abierto":
        return
    mensajes = {
        "por_abrir": f"El periodo {periodo} aún no recibe valores: el registro empieza el {periodo.entrega_desde:%d/%m/%Y}.",
        "vencido": f"El periodo {periodo} está cerrado: el plazo para registrar venció el {periodo.entrega_hasta:%d/%m/%Y}. "
                   "Pida al ministerio que lo reabra.",
        "cerrado": f"El periodo {periodo} está cerrado: sus valores fueron aprobados. Pida al ministerio que lo reabra.",
    }
    raise ValidationError(mensajes[situacion])


# --- filing a period ------------------------------------------------------------------------------

@dataclass
class ValorInput:
    """What the entry form sends for one indicator."""

    valor: Decimal | None = None
    evidencia: object | None = None  # an uploaded file
    evidencia_url: str = ""
    comentario: str = ""
    motivo: str = ""
    partes: dict[int, Decimal | None] = field(default_factory=dict)  # categoria_id -> cantidad


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
    sin_cambios: int = 0


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


def _fmt(d) -> str:
    return "—" if d is None else f"{Decimal(d).normalize():f}"


def _mismo_archivo(guardado, subido) -> bool:
    """Whether an uploaded file is the one already stored (a double submit re-sends it)."""
    if not guardado or guardado.size != subido.size:
        return False
    try:
        with guardado.open("rb") as fh:
            antes = hashlib.sha256(fh.read()).digest()
    except OSError:
        return False
    subido.seek(0)
    ahora = hashlib.sha256(subido.read()).digest()
    subido.seek(0)
    return antes == ahora


def _cambios_comunes(obj, data, detalle: list[str]) -> None:
    if data.evidencia is not None and not _mismo_archivo(obj.evidencia, data.evidencia):
        detalle.append(f"medio de verificación: archivo «{os.path.basename(data.evidencia.name)}»")
        obj.evidencia = data.evidencia
    if (data.evidencia_url or "") != obj.evidencia_url:
        detalle.append("enlace del medio de verificación")
        obj.evidencia_url = data.evidencia_url or ""
    if (data.comentario or "") != obj.comentario:
        detalle.append("comentario")
        obj.comentario = data.comentario or ""


@dataclass
class _Pendiente:
    obj: object
    nuevo: bool
    detalle: list[str]
    motivo: str
    enviar: bool
    estado_anterior: str
    valor_anterior: Decimal | None = None
    partes: dict | None = None


def entrega_save(*, periodo: PeriodoReporte, entidad: Entidad, user, valores: dict[int, ValorInput] | None = None,
                 avances: dict[int, AvanceInput] | None = None,
                 ejecuciones: dict[tuple[int, int], EjecucionInput] | None = None,
                 enviar: bool = False, hoy: datetime.date | None = None) -> EntregaResultado:
    """Save `entidad`'s values, activity progress and budget execution for `periodo`, as a
    draft or submitted (`enviar`). All or nothing: on any error raise EntregaInvalida and
    save nothing. Submitting what is already submitted and unchanged changes nothing."""
    valores, avances, ejecuciones = valores or {}, avances or {}, ejecuciones or {}
    check_can_file(user, entidad)
    plan = periodo.plan
    check_owned(entidad=entidad, plan=plan, indicador_ids=valores, actividad_ids=avances,
                linea_ids={linea_id for linea_id, _ in ejecuciones})
    try:
        periodo_check_open(periodo, hoy)
    except ValidationError as exc:
        raise EntregaInvalida({"": {"__all__": exc.messages}}) from None

    errores: dict = {}
    ahora = timezone.now()
    resultado = EntregaResultado()
    with transaction.atomic():
        indicadores = {i.pk: i for i in Indicador.objects.filter(plan=plan, entidad=entidad)}
        existentes = {v.indicador_id: v for v in ValorIndicador.objects.select_for_update().filter(periodo=periodo, entidad=entidad)
                      .prefetch_related("partes")}
        if enviar:
            # Submitting sends the whole entry: rows not in the form go as they are stored.
            valores = dict(valores)
            for pk in set(indicadores) - set(valores):
                v = existentes.get(pk)
                if v is None:
                    _add(errores, f"i{pk}", "valor", "Indique el valor antes de enviar.")
                else:
                    valores[pk] = ValorInput(valor=v.valor, evidencia_url=v.evidencia_url, comentario=v.comentario,
                                             partes={p.categoria_id: p.cantidad for p in v.partes.all()})
        desagregaciones: dict[int, list] = {}
        for d in IndicadorDesagregacion.objects.filter(indicador__in=indicadores.values()).select_related("tipo").prefetch_related("tipo__categorias"):
            desagregaciones.setdefault(d.indicador_id, []).append(d)

        pendientes: list[_Pendiente] = []
        for ind_id, data in valores.items():
            prefix = f"i{ind_id}"
            ind = indicadores[ind_id]
            v = existentes.get(ind_id) or ValorIndicador(indicador=ind, entidad=entidad, periodo=periodo)
            v.indicador, v.periodo, v.entidad = ind, periodo, entidad
            nuevo = v.pk is None
            estado_anterior, valor_anterior = v.estado, v.valor
            partes_antes = {p.categoria_id: p.cantidad for p in (v.partes.all() if not nuevo else [])}
            partes = {k: q for k, q in data.partes.items() if q is not None}
            detalle: list[str] = []
            if data.valor != v.valor:
                detalle.append(f"valor: {_fmt(v.valor)} → {_fmt(data.valor)}")
                v.valor = data.valor
            _cambios_comunes(v, data, detalle)
            if partes != partes_antes:
                detalle.append("desagregación")
            if v.estado == E.APROBADO:
                if detalle:
                    _add(errores, prefix, "__all__", f"«{ind.nombre}»: su valor ya fue aprobado y no se modifica. "
                         "Si hay que corregirlo, pida al ministerio que reabra el periodo.")
                resultado.sin_cambios += 1
                continue
            _check_partes(errores, prefix, v.valor, partes, desagregaciones.get(ind_id, []), enviar)
            if v.enviado_en and detalle and not data.motivo.strip():
                _add(errores, prefix, "motivo", "Este valor ya fue enviado: explique el motivo del cambio.")
            va_a_enviar = enviar and v.estado in (E.BORRADOR, E.DEVUELTO)
            if va_a_enviar:
                if v.valor is None:
                    _add(errores, prefix, "valor", "Indique el valor antes de enviar.")
                if not v.evidencia and not v.evidencia_url:
                    _add(errores, prefix, "evidencia", "Adjunte el medio de verificación (archivo o enlace) antes de enviar.")
                v.estado = E.ENVIADO
                v.enviado_en = v.enviado_en or ahora
            if not detalle and not va_a_enviar:
                resultado.sin_cambios += 1
                continue
            v.actualizado_por = user
            if prefix not in errores:
                try:
                    v.full_clean()
                except ValidationError as exc:
                    _add_validation_error(errores, prefix, exc)
            pendientes.append(_Pendiente(v, nuevo, detalle, data.motivo.strip(), va_a_enviar, estado_anterior,
                                         valor_anterior, partes if partes != partes_antes else None))

        actividades = {a.pk: a for a in Actividad.objects.filter(plan=plan, entidad=entidad)}
        existentes_av = {a.actividad_id: a for a in AvanceActividad.objects.select_for_update().filter(periodo=periodo, entidad=entidad)}
        for act_id, data in avances.items():
            prefix = f"a{act_id}"
            a = existentes_av.get(act_id) or AvanceActividad(actividad=actividades[act_id], entidad=entidad, periodo=periodo)
            a.actividad, a.periodo, a.entidad = actividades[act_id], periodo, entidad
            nuevo = a.pk is None
            estado_anterior = a.estado
            detalle = []
            if data.situacion != a.situacion:
                detalle.append(f"situación: {a.get_situacion_display()} → {AvanceActividad.EstadoActividad(data.situacion).label}")
                a.situacion = data.situacion
            if data.avance_fisico != a.avance_fisico:
                detalle.append(f"avance físico: {_fmt(a.avance_fisico)}% → {_fmt(data.avance_fisico)}%")
                a.avance_fisico = data.avance_fisico
            _cambios_comunes(a, data, detalle)
            if nuevo and not detalle and not enviar:
                continue  # an untouched row of the form: nothing filed yet
            if a.estado == E.APROBADO:
                if detalle:
                    _add(errores, prefix, "__all__", f"El avance de «{a.actividad}» ya fue aprobado y no se modifica. "
                         "Si hay que corregirlo, pida al ministerio que reabra el periodo.")
                resultado.sin_cambios += 1
                continue
            if a.enviado_en and detalle and not data.motivo.strip():
                _add(errores, prefix, "motivo", "Este avance ya fue enviado: explique el motivo del cambio.")
            va_a_enviar = enviar and a.estado in (E.BORRADOR, E.DEVUELTO)
            if va_a_enviar:
                a.estado = E.ENVIADO
                a.enviado_en = a.enviado_en or ahora
            if not detalle and not va_a_enviar:
                resultado.sin_cambios += 1
                continue
            a.actualizado_por = user
            if prefix not in errores:
                try:
                    a.full_clean()
                except ValidationError as exc:
                    _add_validation_error(errores, prefix, exc)
            pendientes.append(_Pendiente(a, nuevo, detalle, data.motivo.strip(), va_a_enviar, estado_anterior))

        lineas = {linea.pk: linea for linea in LineaPresupuesto.objects.filter(plan=plan, entidad=entidad).select_related("plan")}
        existentes_ej = {(e.linea_id, e.mes): e for e in EjecucionPresupuestal.objects.select_for_update()
                         .filter(linea__in=lineas.values(), anio=periodo.anio, mes__in=periodo.meses)}
        ejecuciones_a_guardar = []
        for (linea_id, mes), data in ejecuciones.items():
            prefix = f"e{linea_id}-{mes}"
            if mes not in periodo.meses:
                _add(errores, prefix, "__all__", f"El mes {mes} no pertenece al periodo {periodo}.")
                continue
            e = existentes_ej.get((linea_id, mes)) or EjecucionPresupuestal(linea=lineas[linea_id], anio=periodo.anio, mes=mes)
            e.linea = lineas[linea_id]
            if (e.pim, e.certificado, e.devengado) == (data.pim, data.certificado, data.devengado):
                continue
            e.pim, e.certificado, e.devengado, e.actualizado_por = data.pim, data.certificado, data.devengado, user
            try:
                e.full_clean()
            except ValidationError as exc:
                _add_validation_error(errores, prefix, exc)
            ejecuciones_a_guardar.append(e)

        if errores:
            raise EntregaInvalida(errores)

        for p in pendientes:
            _guardar(p, user, ahora)
            resultado.guardados += 1
            resultado.enviados += int(p.enviar)
        for e in ejecuciones_a_guardar:
            e.save()
            resultado.guardados += 1
    return resultado


def _check_partes(errores, prefix, total, partes: dict, desagregaciones, enviar: bool) -> None:
    """The parts of each disaggregation, when given, are all given and add up to the total."""
    for d in desagregaciones:
        categorias = list(d.tipo.categorias.all())
        dadas = {c.pk: partes[c.pk] for c in categorias if c.pk in partes}
        if not dadas:
            if enviar and d.obligatoria:
                _add(errores, prefix, f"tipo{d.tipo_id}", f"Desagregue el valor por {d.tipo.nombre.lower()} antes de enviar.")
            continue
        faltan = [c.nombre for c in categorias if c.pk not in dadas]
        if faltan:
            _add(errores, prefix, f"tipo{d.tipo_id}", f"Desagregación por {d.tipo.nombre.lower()}: falta {', '.join(faltan)}.")
            continue
        if any(q < 0 for q in dadas.values()):
            _add(errores, prefix, f"tipo{d.tipo_id}", f"Desagregación por {d.tipo.nombre.lower()}: ninguna parte puede ser negativa.")
            continue
        suma = sum(dadas.values(), Decimal("0"))
        if total is None or suma != total:
            detalle = " + ".join(f"{c.nombre} {_fmt(dadas[c.pk])}" for c in categorias)
            _add(errores, prefix, f"tipo{d.tipo_id}",
                 f"Desagregación por {d.tipo.nombre.lower()}: las partes ({detalle} = {_fmt(suma)}) "
                 f"no suman el total ({_fmt(total)}).")


def _guardar(p: _Pendiente, user, ahora) -> None:
    obj = p.obj
    obj.save()
    if isinstance(obj, ValorIndicador) and p.partes is not None:
        obj.partes.exclude(categoria_id__in=p.partes).delete()
        for categoria_id, cantidad in p.partes.items():
            parte, _ = ValorDesagregado.objects.get_or_create(valor=obj, categoria_id=categoria_id, defaults={"cantidad": cantidad})
            if parte.cantidad != cantidad:
                parte.cantidad = cantidad
                parte.full_clean()
                parte.save()
    historial = HistorialValor if isinstance(obj, ValorIndicador) else HistorialAvance
    extra = {"valor_anterior": p.valor_anterior, "valor_nuevo": obj.valor} if isinstance(obj, ValorIndicador) else {}
    detalle = "; ".join(p.detalle)
    if p.estado_anterior != E.BORRADOR and p.detalle:
        # A change to something already submitted: kept with its reason.
        historial.objects.create(registro=obj, accion="cambiado", estado_anterior=p.estado_anterior,
                                 estado_nuevo=p.estado_anterior, detalle=detalle, motivo=p.motivo, usuario=user,
                                 fecha=ahora, **extra)
        detalle = ""
    if p.enviar:
        historial.objects.create(registro=obj, accion="enviado", estado_anterior=p.estado_anterior, estado_nuevo=E.ENVIADO,
                                 detalle=detalle, motivo=p.motivo if p.estado_anterior == E.BORRADOR else "",
                                 usuario=user, fecha=ahora, **extra)


# --- review -----------------------------------------------------------------------------------------

def _transicion(registro, *, user, accion: str, nuevo_estado: str, motivo: str = "") -> None:
    anterior = registro.estado
    registro.estado = nuevo_estado
    registro.full_clean()
    registro.save(update_fields=["estado", "actualizado_en"])
    historial = HistorialValor if isinstance(registro, ValorIndicador) else HistorialAvance
    extra = {"valor_anterior": registro.valor, "valor_nuevo": registro.valor} if isinstance(registro, ValorIndicador) else {}
    historial.objects.create(registro=registro, accion=accion, estado_anterior=anterior, estado_nuevo=nuevo_estado,
                             motivo=motivo, usuario=user, **extra)


def _lock(registro):
    return type(registro).objects.select_for_update().select_related("periodo__plan", "entidad").get(pk=registro.pk)


def registro_return(*, registro: ValorIndicador | AvanceActividad, user, observacion: str):
    """Send a submitted value (or activity progress) back to its entity with an observation.
    Returning what is already returned changes nothing."""
    check_reviewer(user)
    observacion = (observacion or "").strip()
    if not observacion:
        raise ValidationError({"observacion": "Escriba la observación: la entidad la verá para corregir el valor."})
    with transaction.atomic():
        registro = _lock(registro)
        if registro.estado == E.DEVUELTO:
            return registro
        if registro.estado != E.ENVIADO:
            raise ValidationError(
                "Solo se devuelve lo que la entidad envió." if registro.estado == E.BORRADOR
                else "Este valor ya fue aprobado: para devolverlo, reabra el periodo."
            )
        _transicion(registro, user=user, accion="devuelto", nuevo_estado=E.DEVUELTO, motivo=observacion)
    return registro


def registro_approve(*, registro: ValorIndicador | AvanceActividad, user):
    """Approve a submitted value or activity progress; approving twice changes nothing.
    The period closes when every value and progress of it is approved."""
    check_reviewer(user)
    with transaction.atomic():
        registro = _lock(registro)
        if registro.estado == E.APROBADO:
            return registro
        if registro.estado != E.ENVIADO:
            raise ValidationError("Solo se aprueba lo que la entidad envió: este valor está en "
                                  f"«{registro.get_estado_display().lower()}».")
        _transicion(registro, user=user, accion="aprobado", nuevo_estado=E.APROBADO)
        periodo_close_if_complete(periodo=registro.periodo, user=user)
    return registro


def entrega_approve(*, periodo: PeriodoReporte, entidad: Entidad, user) -> int:
    """Approve everything `entidad` submitted for `periodo` (values and activity progress).
    Returns how many were approved; approving again approves nothing more."""
    check_reviewer(user)
    n = 0
    with transaction.atomic():
        for model in (ValorIndicador, AvanceActividad):
            for registro in model.objects.select_for_update().filter(periodo=periodo, entidad=entidad, estado=E.ENVIADO):
                _transicion(registro, user=user, accion="aprobado", nuevo_estado=E.APROBADO)
                n += 1
        periodo_close_if_complete(periodo=periodo, user=user)
    return n


def periodo_close_if_complete(*, periodo: PeriodoReporte, user) -> bool:
    """Close the period when every indicator and activity of its plan has an approved value
    or progress for it."""
    if periodo.estado == PeriodoReporte.Estado.CERRADO:
        return False
    plan_id = periodo.plan_id
    esperados = Indicador.objects.filter(plan_id=plan_id).count()
    aprobados = ValorIndicador.objects.filter(periodo=periodo, estado=E.APROBADO).count()
    if esperados == 0 or aprobados < esperados:
        return False
    actividades = Actividad.objects.filter(plan_id=plan_id).count()
    if AvanceActividad.objects.filter(periodo=periodo, estado=E.APROBADO).count() < actividades:
        return False
    periodo.estado = PeriodoReporte.Estado.CERRADO
    periodo.save(update_fields=["estado"])
    EventoPeriodo.objects.create(periodo=periodo, accion=EventoPeriodo.Accion.CERRADO, usuario=user,
                                 motivo="Todos los valores del periodo fueron aprobados.")
    return True


def periodo_reopen(*, periodo: PeriodoReporte, user, motivo: str, entrega_hasta: datetime.date,
                   entidad: Entidad | None = None, hoy: datetime.date | None = None) -> PeriodoReporte:
    """Reopen a period until `entrega_hasta`, for every entity or one; its approved values
    (of that entity) go back to the entity as returned, with the reason as observation."""
    check_reviewer(user)
    hoy = hoy or timezone.localdate()
    motivo = (motivo or "").strip()
    errores = {}
    if not motivo:
        errores["motivo"] = "Escriba el motivo de la reapertura."
    if entrega_hasta is None or entrega_hasta < hoy:
        errores["entrega_hasta"] = "El nuevo plazo no puede ser anterior a hoy."
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
        for model in (ValorIndicador, AvanceActividad):
            qs = model.objects.select_for_update().filter(periodo=periodo, estado=E.APROBADO)
            if entidad is not None:
                qs = qs.filter(entidad=entidad)
            for registro in qs:
                _transicion(registro, user=user, accion="reabierto", nuevo_estado=E.DEVUELTO, motivo=motivo)
    return periodo


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
