"""What an entity reports for a period, kind by kind, and the one way a reported record changes.

Three kinds of records are filed for a period, each described once by a spec
(`TipoRegistro`): an indicator's value (VALOR), an activity's progress (AVANCE) and a budget
line's execution in one month (EJECUCION). The spec holds everything that differs between
them: the model and what it reports on, the fields the entity fills (in the order the
history names their changes), whether it is submitted and reviewed, what submitting needs,
its history model and the numbers its history keeps, and how its rows are loaded for an entry.
Adding a kind, or a rule to one kind, is a change here, not a new code path.

Every change of a record goes through this module:
- `cambio_check(tipo, registro, periodo=..., antes=..., ...)` checks one change against the
  rules (`seguimiento.rules`) without a query and returns a `Cambio`: what changed, what is
  wrong (by model field), whether it is submitted, and the history rows it leaves. Saving a
  draft, submitting and changing after submission are all a `Cambio`. The entry page writes
  it with `Cambio.save()`; the Excel import writes the records in batches and bulk-creates
  `Cambio.historial()`.
- `transicion_apply(registro, accion=..., user=...)` takes a review step (approve, return,
  reopen; see `rules.TRANSICIONES`) and writes its history row.
The one history row of any step is built by `TipoRegistro.historial_fila`.
"""
from __future__ import annotations

import datetime
import hashlib
import os
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from matrices.models import Actividad, Indicador
from seguimiento import rules
from seguimiento.models import (
    AvanceActividad, EjecucionPresupuestal, EstadoRevision, HistorialAvance, HistorialEjecucion, HistorialValor,
    IndicadorDesagregacion, MetaPeriodo, ValorDesagregado, ValorIndicador,
)

E = EstadoRevision
#: The states of a record that has reached the ministry and stands (a returned one waits to be sent again).
ENVIADOS = (E.ENVIADO, E.APROBADO)


# --- the kinds of reported records ------------------------------------------------------------

@dataclass
class Lote:
    """What an entity files of one kind for a period: the items it reports on (indicators,
    activities, budget lines) by pk, and the records already stored (locked) by key."""

    items: dict
    guardados: dict
    desagregaciones: dict = field(default_factory=dict)  # indicator pk -> its disaggregations (values)


@dataclass(frozen=True, eq=False)
class TipoRegistro:
    """One kind of reported record: what differs between values, progress and execution."""

    clave: str  # "valor", "avance", "ejecucion": names it in URLs (evidence files)
    model: type
    item: str  # the foreign key to what it reports on
    prefijo: str  # the letter of its rows in the entry form ("i12", "a3", "e5-2")
    campos: tuple[str, ...]  # what the entity fills, in the order the history names changes
    este: str  # how a message names one: "Este valor"
    letra: str = ""  # the letter of its records in the review form ("v12", "a3")
    revisado: bool = True  # submitted to the ministry and reviewed (has a state and evidence)
    historial: type | None = None  # its append-only history (None: not kept)
    historial_campos: tuple[str, ...] = ()  # numbers whose before and after a history row keeps
    al_enviar: tuple[str, ...] = ()  # what submitting needs (see rules.PARA_ENVIAR)
    campo_exigido: str = ""  # the field an item due in the period is asked for by (where its error points)
    desagregable: bool = False  # broken down into parts (by sex…) that add up to it
    por_mes: bool = False  # one per month of the period (budget execution), not one per period

    def __str__(self):
        return self.clave

    # keys and rows of the entry form

    def clave_de(self, registro):
        item_id = getattr(registro, f"{self.item}_id")
        return (item_id, registro.mes) if self.por_mes else item_id

    def item_id(self, clave) -> int:
        return clave[0] if self.por_mes else clave

    def prefix(self, clave) -> str:
        return f"{self.prefijo}{clave[0]}-{clave[1]}" if self.por_mes else f"{self.prefijo}{clave}"

    # loading an entry

    def cargar(self, periodo, entidad) -> Lote:
        """The entity's items in the period's plan and its stored records for the period,
        locked for the entry (2 queries; values: 5, with their parts and disaggregations)."""
        item_model = self.model._meta.get_field(self.item).related_model
        items = {i.pk: i for i in item_model.objects.filter(plan=periodo.plan, entidad=entidad).select_related("plan")}
        qs = self.model.objects.select_for_update()
        if self.por_mes:
            qs = qs.filter(**{f"{self.item}__in": list(items.values())}, anio=periodo.anio, mes__in=periodo.meses)
        else:
            qs = qs.filter(periodo=periodo, entidad=entidad)
        if self.desagregable:
            qs = qs.prefetch_related("partes")
        lote = Lote(items, {self.clave_de(r): r for r in qs})
        if self.desagregable:
            for d in (IndicadorDesagregacion.objects.filter(indicador__in=list(items.values()))
                      .select_related("tipo").prefetch_related("tipo__categorias")):
                lote.desagregaciones.setdefault(d.indicador_id, []).append(d)
        return lote

    def registro(self, lote: Lote, clave, *, periodo, entidad):
        """The stored record of `clave`, or a new one, with what it refers to already loaded
        (so clean() makes no query)."""
        item = lote.items[self.item_id(clave)]
        registro = lote.guardados.get(clave)
        if registro is None:
            extra = {"anio": periodo.anio, "mes": clave[1]} if self.por_mes else {"entidad": entidad, "periodo": periodo}
            registro = self.model(**{self.item: item}, **extra)
        setattr(registro, self.item, item)
        if not self.por_mes:
            registro.periodo, registro.entidad = periodo, entidad
        return registro

    # the fields of a change

    def foto(self, registro) -> dict:
        """The fields the entity fills, as they are now (a file by its name)."""
        return {campo: _valor(registro, campo) for campo in self.campos}

    def aplicar(self, registro, data) -> None:
        """Set on `registro` what the entry form sent for it (ValorInput, AvanceInput,
        EjecucionInput). A file that is the one already stored (a double submit re-sends it)
        is not a change; an empty text is ""."""
        for campo in self.campos:
            nuevo = getattr(data, campo)
            if campo == "evidencia":
                if nuevo is not None and not _mismo_archivo(registro.evidencia, nuevo):
                    registro.evidencia = nuevo
                continue
            if nuevo is None and not registro._meta.get_field(campo).null:
                nuevo = registro._meta.get_field(campo).get_default()
            setattr(registro, campo, nuevo)

    # its history

    def historial_fila(self, registro, *, accion: str, usuario, estado_anterior: str | None = None, estado_nuevo: str | None = None,
                       detalle: str = "", motivo: str = "", fecha=None, antes: dict | None = None):
        """The one history row of a step of `registro` (unsaved): who, when, what, why, and
        the numbers before and after."""
        numeros = {}
        for campo in self.historial_campos:
            numeros[f"{campo}_anterior"] = (antes or {}).get(campo, getattr(registro, campo))
            numeros[f"{campo}_nuevo"] = getattr(registro, campo)
        if self.revisado:  # a reviewed kind's history keeps the review states too
            numeros.update(estado_anterior=estado_anterior, estado_nuevo=estado_nuevo)
        return self.historial(registro=registro, accion=accion, detalle=detalle, motivo=motivo, usuario=usuario,
                              fecha=fecha or timezone.now(), **numeros)


VALOR = TipoRegistro(
    clave="valor", model=ValorIndicador, item="indicador", prefijo="i", letra="v", este="Este valor",
    campos=("condicion", "valor", "evidencia", "evidencia_url", "comentario", "justificacion", "dificultades",
            "medidas_correctivas"),
    historial=HistorialValor, historial_campos=("valor",),
    al_enviar=("valor", "evidencia"), campo_exigido="valor", desagregable=True,
)
AVANCE = TipoRegistro(
    clave="avance", model=AvanceActividad, item="actividad", prefijo="a", letra="a", este="Este avance",
    campos=("situacion", "avance_fisico", "evidencia", "evidencia_url", "comentario"),
    historial=HistorialAvance, campo_exigido="situacion",
)
EJECUCION = TipoRegistro(
    clave="ejecucion", model=EjecucionPresupuestal, item="linea", prefijo="e", este="Esta ejecución",
    campos=("pim", "certificado", "devengado"), revisado=False, por_mes=True,
    historial=HistorialEjecucion, historial_campos=("pim", "certificado", "devengado"),
)

TIPOS = (VALOR, AVANCE, EJECUCION)
REVISADOS = tuple(t for t in TIPOS if t.revisado)
_POR_MODELO = {t.model: t for t in TIPOS}


def tipo_de(registro) -> TipoRegistro:
    return _POR_MODELO[type(registro)]


def tipo_por_clave(clave: str) -> TipoRegistro | None:
    return next((t for t in TIPOS if t.clave == clave), None)


def tipo_por_letra(letra: str) -> TipoRegistro | None:
    return next((t for t in REVISADOS if t.letra == letra), None)


def ancla(registro) -> str:
    """The id a record has on the review page ("valor-12", "avance-3"): a review step brings
    the reviewer back to it."""
    return f"{tipo_de(registro).clave}-{registro.pk}"


def _valor(registro, campo):
    value = getattr(registro, campo)
    return (value.name or "") if isinstance(value, FieldFile) else value


def _mismo_archivo(guardado, subido) -> bool:
    """Whether an uploaded file is the one already stored."""
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


def describir(registro, campo: str, antes, despues) -> str:
    """How the history names the change of one field."""
    if campo == "evidencia":
        return f"medio de verificación: archivo «{os.path.basename(despues)}»"
    if campo == "evidencia_url":
        return "enlace del medio de verificación"
    if campo in ("comentario", "justificacion", "dificultades", "medidas_correctivas"):
        return str(registro._meta.get_field(campo).verbose_name)  # texts: named, not quoted
    if campo == "avance_fisico":
        return f"avance físico: {rules.numero(antes)}% → {rules.numero(despues)}%"
    model_field = registro._meta.get_field(campo)
    if model_field.choices:
        etiquetas = dict(model_field.flatchoices)
        return f"{model_field.verbose_name}: {etiquetas.get(antes, antes)} → {etiquetas.get(despues, despues)}"
    return f"{model_field.verbose_name}: {rules.numero(antes)} → {rules.numero(despues)}"


# --- what is due in a period -----------------------------------------------------------------------

#: Who says which activities are programmed in which periods: functions
#: `fn(*, periodos) -> {periodo pk: set of activity ids}` (the periods may belong to several
#: plans; each gets activities of its own plan). The schedule (the cronograma app, a layer above)
#: registers one from its AppConfig.ready(); with none, no activity is programmed and only those
#: under way are due.
_PROGRAMACION: list = []


def registrar_programacion(fn) -> None:
    """Register a source of programmed activities (see _PROGRAMACION); registering twice is harmless."""
    if fn not in _PROGRAMACION:
        _PROGRAMACION.append(fn)


def actividades_programadas(*, periodos) -> dict[int, set[int]]:
    """{periodo pk: ids of the activities of its plan programmed in it}, from every registered source."""
    out: dict[int, set[int]] = {p.pk: set() for p in periodos}
    for fn in _PROGRAMACION:
        for periodo_id, ids in fn(periodos=periodos).items():
            out.setdefault(periodo_id, set()).update(ids)
    return out


@dataclass
class Exigidos:
    """What one entity must report in one period: items by id, each with why
    (`rules.valor_exigido`, `rules.avance_exigido`)."""

    valor: dict[int, str] = field(default_factory=dict)  # indicator id -> why
    avance: dict[int, str] = field(default_factory=dict)  # activity id -> why

    def de(self, tipo: TipoRegistro) -> dict[int, str]:
        """The items due of one kind (budget execution is never due item by item)."""
        if not tipo.revisado:
            return {}
        return getattr(self, tipo.clave, None) or {}

    def __len__(self) -> int:
        return len(self.valor) + len(self.avance)


def exigidos(*, periodos, entidad=None) -> dict[tuple[int, int], Exigidos]:
    """What each entity (or only `entidad`) must report in each of `periodos` (of one plan or
    of several: each period asks the items of its own plan), by (periodo pk, entidad pk); a pair
    with nothing due is absent. 5 queries, whatever the number of plans, periods, entities and
    items: indicators, period targets, activities, earlier progress submitted, programmed
    activities."""
    periodos = list(periodos)
    if not periodos:
        return {}
    planes = {p.plan_id for p in periodos}
    de_entidad = {} if entidad is None else {"entidad": entidad}
    indicadores: dict[int, list] = defaultdict(list)
    for ind in Indicador.objects.filter(plan_id__in=planes, **de_entidad).only("pk", "plan_id", "entidad_id", "frecuencia_reporte"):
        indicadores[ind.plan_id].append(ind)
    metas = {(i, p): v for i, p, v in MetaPeriodo.objects.filter(
        periodo__in=periodos, **{f"indicador__{k}": v for k, v in de_entidad.items()}
    ).values_list("indicador_id", "periodo_id", "valor")}
    actividades: dict[int, list] = defaultdict(list)
    for actividad_id, plan_id, entidad_id in Actividad.objects.filter(plan_id__in=planes, **de_entidad).values_list("pk", "plan_id", "entidad_id"):
        actividades[plan_id].append((actividad_id, entidad_id))
    anteriores: dict[int, list] = defaultdict(list)
    ultimo_inicio = max(p.inicio for p in periodos)
    for a in (AvanceActividad.objects.filter(actividad__plan_id__in=planes, enviado_en__isnull=False, periodo__inicio__lt=ultimo_inicio,
                                             **{f"actividad__{k}": v for k, v in de_entidad.items()})
              .select_related("periodo").order_by("periodo__inicio")):
        anteriores[a.actividad_id].append(a)
    inicios = {actividad_id: [a.periodo.inicio for a in lista] for actividad_id, lista in anteriores.items()}
    programadas = actividades_programadas(periodos=periodos)
    out: dict[tuple[int, int], Exigidos] = {}
    for periodo in periodos:
        for ind in indicadores[periodo.plan_id]:
            motivo = rules.valor_exigido(ind, periodo, metas.get((ind.pk, periodo.pk)))
            if motivo:
                out.setdefault((periodo.pk, ind.entidad_id), Exigidos()).valor[ind.pk] = motivo
        for actividad_id, entidad_id in actividades[periodo.plan_id]:
            previos = anteriores.get(actividad_id, ())  # in time order: those before the period are a prefix
            antes = previos[:bisect_left(inicios[actividad_id], periodo.inicio)] if previos else ()
            motivo = rules.avance_exigido(programada=actividad_id in programadas.get(periodo.pk, ()),
                                          anterior=rules.ultimo_enviado(antes))
            if motivo:
                out.setdefault((periodo.pk, entidad_id), Exigidos()).avance[actividad_id] = motivo
    return out


@dataclass(frozen=True)
class PorEnviar:
    """How much of what one entity must report in one period it has sent: `esperados` items
    due (`exigidos`), `enviados` of them submitted or approved (one returned with an observation
    is not: it waits to be sent again); what it filed though not due is not counted."""

    esperados: int = 0
    enviados: int = 0

    @property
    def faltan(self) -> int:
        return self.esperados - self.enviados


def por_enviar(*, periodos, entidad=None) -> dict[tuple[int, int], PorEnviar]:
    """`PorEnviar` by (periodo pk, entidad pk) for each pair with something due (the work queues,
    the navigation's count and the reminders ask it). 7 queries, whatever the number of plans,
    periods and entities: what is due (5) and the records sent of each kind (2)."""
    periodos = list(periodos)
    debidos = exigidos(periodos=periodos, entidad=entidad)
    if not debidos:
        return {}
    de_entidad = {} if entidad is None else {"entidad": entidad}
    enviados: Counter = Counter()
    for tipo in REVISADOS:
        for periodo_id, entidad_id, item_id in (tipo.model.objects.filter(periodo__in=periodos, estado__in=ENVIADOS, **de_entidad)
                                                .order_by().values_list("periodo_id", "entidad_id", f"{tipo.item}_id")):
            debido = debidos.get((periodo_id, entidad_id))
            if debido is not None and item_id in debido.de(tipo):
                enviados[(periodo_id, entidad_id)] += 1
    return {clave: PorEnviar(len(debido), enviados[clave]) for clave, debido in debidos.items()}


# --- one change of one record -------------------------------------------------------------------

@dataclass
class Cambio:
    """One change of a reported record, checked: saving a draft, submitting, or changing what
    was submitted (with its reason)."""

    tipo: TipoRegistro
    registro: object
    antes: dict  # the record's fields before the change
    estado_anterior: str | None  # its review state before (None: not reviewed)
    detalle: list[str]  # what changed, as the history names it
    motivo: str  # why (required to change what was submitted)
    envia: bool  # it goes to the ministry now
    usuario: object
    ahora: datetime.datetime
    nota: str = ""  # where it came from, when not the entry page ("Importado de Excel")
    nuevo: bool = False  # the record is not stored yet
    campos: list[str] = field(default_factory=list)  # the record's fields that changed
    errores: dict[str, list[str]] = field(default_factory=dict)  # model field -> messages
    partes: dict | None = None  # the value's new parts, when they change (values)

    @property
    def bloqueado(self) -> bool:
        """Approved: nothing of it changes."""
        return self.tipo.revisado and not self.registro.editable

    @property
    def pendiente(self) -> bool:
        """There is something to write: a change or a submission."""
        return bool(self.detalle) or self.envia

    def error(self, campo: str, mensaje: str) -> None:
        self.errores.setdefault(campo, []).append(mensaje)

    def historial(self) -> list:
        """The history rows this change leaves (unsaved): a change to something already
        submitted, with its reason, and a submission. A draft's changes leave none."""
        if self.tipo.historial is None:
            return []
        filas = []
        detalle = "; ".join(self.detalle)
        if self.nota and detalle:
            detalle = f"{self.nota}. {detalle}"
        comun = {"usuario": self.usuario, "fecha": self.ahora, "antes": self.antes}
        if not self.tipo.revisado:
            # Not reviewed (budget execution): every change is kept, the first as registered.
            if self.detalle:
                filas.append(self.tipo.historial_fila(self.registro, accion="registrado" if self.nuevo else "cambiado",
                                                      detalle=detalle, motivo=self.motivo, **comun))
            return filas
        if self.estado_anterior != E.BORRADOR and self.detalle:
            filas.append(self.tipo.historial_fila(
                self.registro, accion="cambiado", estado_anterior=self.estado_anterior, estado_nuevo=self.estado_anterior,
                detalle=detalle, motivo=self.motivo, **comun))
            detalle = ""
        if self.envia:
            filas.append(self.tipo.historial_fila(
                self.registro, accion="enviado", estado_anterior=self.estado_anterior, estado_nuevo=E.ENVIADO, detalle=detalle,
                motivo=self.motivo if self.estado_anterior == E.BORRADOR else "", **comun))
        return filas

    def save(self) -> None:
        """Write the record, its parts and its history rows (inside the caller's transaction,
        after full_clean())."""
        self.registro.save()
        if self.partes is not None:
            _partes_save(self.registro, self.partes)
        for fila in self.historial():
            fila.save()
        reemplazado = (self.antes or {}).get("evidencia")
        if "evidencia" in self.campos and reemplazado and reemplazado != self.registro.evidencia.name:
            # The file a new upload replaced is deleted once the change is committed (the
            # history keeps its name); a rolled-back change keeps it.
            storage = self.registro.evidencia.storage
            transaction.on_commit(lambda: storage.delete(reemplazado))


def cambio_check(tipo: TipoRegistro, registro, *, periodo, user, antes: dict | None = None, motivo: str = "",
                 enviar: bool = False, hoy: datetime.date | None = None, ahora: datetime.datetime | None = None,
                 nota: str = "", otros: list[str] | tuple = (), exigido: str = "") -> Cambio:
    """Check one change of `registro` against the filing rules, without a query; save nothing.

    `registro` already carries the new values; `antes` holds what its fields were (a field
    missing from it did not change; None: a record not stored yet, so its defaults). `otros`
    names changes outside the record's own fields (its parts). With `enviar` the entity
    submits it: a draft or a returned record goes to the ministry; one already submitted or
    approved stays as it is. The rules, in order: the period receives values; an approved
    record does not change; a change to what was submitted has a reason; «No aplica» and «Sin
    información» have no number and say why; what is submitted has what submitting needs
    (`exigido`: why the item is due in the period, named when its value is missing). Errors
    are keyed by model field ("periodo", "valor", "motivo"…).
    """
    ahora = ahora or timezone.now()
    despues = tipo.foto(registro)
    if antes is None:
        antes = tipo.foto(tipo.model()) if registro.pk is None else {}
    antes = {**despues, **{c: v for c, v in antes.items() if c in despues}}
    campos = [c for c in tipo.campos if antes[c] != despues[c]]
    estado = registro.estado if tipo.revisado else None
    cambio = Cambio(
        tipo=tipo, registro=registro, antes=antes, estado_anterior=estado, campos=campos,
        detalle=[describir(registro, c, antes[c], despues[c]) for c in campos] + list(otros), motivo=(motivo or "").strip(),
        envia=enviar and tipo.revisado and estado in rules.TRANSICIONES["enviado"][0], usuario=user, ahora=ahora, nota=nota,
        nuevo=registro.pk is None,
    )
    if not cambio.pendiente:
        return cambio
    cerrado = rules.periodo_cerrado(periodo, hoy)
    if cerrado:
        cambio.error("periodo", cerrado)
    if cambio.bloqueado:
        cambio.error(campos[0] if campos else "__all__", rules.aprobado_no_cambia(tipo))
        return cambio
    if tipo.revisado and registro.enviado_en and cambio.detalle and not cambio.motivo:
        cambio.error("motivo", rules.cambio_sin_motivo(tipo))
    for campo, mensaje in rules.condicion_problemas(registro).items():
        cambio.error(campo, mensaje)
    if cambio.envia or (tipo.revisado and registro.estado == E.ENVIADO and cambio.detalle):
        # What is submitted (now, or already and being changed) has what submitting needs.
        for campo, mensaje in rules.falta_para_enviar(registro, tipo.al_enviar, exigido=exigido).items():
            cambio.error(campo, mensaje)
    if cambio.envia:
        registro.estado = rules.TRANSICIONES["enviado"][1]
        registro.enviado_en = registro.enviado_en or ahora
    registro.actualizado_por = user
    return cambio


def _partes_save(valor: ValorIndicador, partes: dict) -> None:
    valor.partes.exclude(categoria_id__in=partes).delete()
    for categoria_id, cantidad in partes.items():
        parte, _ = ValorDesagregado.objects.get_or_create(valor=valor, categoria_id=categoria_id, defaults={"cantidad": cantidad})
        if parte.cantidad != cantidad:
            parte.cantidad = cantidad
            parte.full_clean()
            parte.save()


# --- review steps ---------------------------------------------------------------------------------

def transicion_apply(registro, *, accion: str, user, motivo: str = "") -> bool:
    """Take the review step `accion` ("aprobado", "devuelto", "reabierto") on `registro`
    (locked by the caller) and write its history row. False, changing nothing, when it
    already is where the step leads; ValidationError when the step does not start from its
    state."""
    tipo = tipo_de(registro)
    rechazo = rules.transicion_rechazo(tipo, registro, accion, user)
    if rechazo:
        raise ValidationError(rechazo)
    hacia = rules.TRANSICIONES[accion][1]
    if registro.estado == hacia:
        return False
    anterior = registro.estado
    registro.estado = hacia
    registro.full_clean()
    registro.save(update_fields=["estado", "actualizado_en"])
    tipo.historial_fila(registro, accion=accion, estado_anterior=anterior, estado_nuevo=hacia, motivo=motivo, usuario=user).save()
    return True
