"""Writes of notices: creating them, marking them read, e-mailing them.

Notices come from two places:
- events of the follow-up (an entry submitted, a record returned or approved, a period
  reopened): `seguimiento.signals`, received in `avisos.receivers` once the change commits,
  create them at once (`aviso_*` below), so they show in the app right away;
- time (a period's window opening, its deadline coming near): the scheduled job
  (`manage.py enviar_avisos`, from cron) creates them with `avisos_programados`.

Every notice is e-mailed by the job (`correos_enviar`), never inside a web request: a request
does not wait for the mail server nor fail because of it, a mail server that is down gets the
mail at the next run, and one place marks what was sent so nothing goes twice. Each notice has
a unique key (kind + object + recipient): creating it again changes nothing.
"""
from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from amc.access import Rol
from matrices.models import Actividad, Indicador
from planes.models import Plan, Usuario
from seguimiento import registros
from seguimiento.models import PeriodoReporte

from avisos.models import Aviso
from avisos.selectors import ANCLA, DIAS_AVISO, dias_texto

log = logging.getLogger(__name__)

#: Who files for an entity, and so is told about its periods and what comes back to it.
ROLES_QUE_REPORTAN = (Rol.MINISTERIO, Rol.REGIONAL, Rol.LOCAL)
#: What the notices call each kind of reported record.
NOMBRE_REGISTRO = {"valor": "el valor del indicador", "avance": "el avance de la actividad"}


# --- recipients ----------------------------------------------------------------------------------

def usuarios_de(entidad_ids) -> dict[int, list[Usuario]]:
    """The active users who file for each entity (ministry, regional or local staff), by entity
    id (1 query)."""
    por_entidad: dict[int, list[Usuario]] = defaultdict(list)
    for u in (Usuario.objects.filter(is_active=True, entidad_id__in=set(entidad_ids), groups__name__in=ROLES_QUE_REPORTAN)
              .distinct().order_by("pk")):
        por_entidad[u.entidad_id].append(u)
    return por_entidad


def revisores_de(plan: Plan) -> list[Usuario]:
    """The reviewers of `plan`: active ministry staff («Personal del ministerio») of its rector
    entity (1 query)."""
    return list(Usuario.objects.filter(is_active=True, entidad_id=plan.entidad_responsable_id, groups__name=Rol.MINISTERIO)
                .distinct().order_by("pk"))


# --- creating notices -------------------------------------------------------------------------------

@dataclass
class Nuevo:
    """A notice to be addressed to several users."""

    tipo: str
    clave: str
    plan: Plan
    periodo: PeriodoReporte | None
    titulo: str
    texto: str
    enlace: str

    def para(self, usuario: Usuario) -> Aviso:
        return Aviso(tipo=self.tipo, clave=self.clave, destinatario=usuario, entidad_id=usuario.entidad_id, plan=self.plan,
                     periodo=self.periodo, titulo=self.titulo[:200], texto=self.texto, enlace=self.enlace,
                     correo=Aviso.Correo.PENDIENTE if usuario.email else Aviso.Correo.SIN_DIRECCION)


def avisos_create(pares: list[tuple[Nuevo, Usuario]], *, excepto: Usuario | None = None) -> int:
    """Create a notice for each (notice, recipient), except for `excepto` (who did what the
    notice tells) and users without an entity. One already there (same kind, object and
    recipient) is left as it is. Returns how many were new."""
    filas = [nuevo.para(u) for nuevo, u in pares if u.entidad_id and (excepto is None or u.pk != excepto.pk)]
    if not filas:
        return 0
    with transaction.atomic():
        existentes = set(Aviso.objects.filter(tipo__in={f.tipo for f in filas}, clave__in={f.clave for f in filas})
                         .values_list("tipo", "clave", "destinatario_id"))
        filas = [f for f in filas if (f.tipo, f.clave, f.destinatario_id) not in existentes]
        for fila in filas:
            # The recipient, plan and period are loaded objects, not input: their foreign keys
            # are not looked up again. The unique key is checked above and kept by the database
            # (ignore_conflicts: a job running at the same time inserts it only once).
            fila.full_clean(exclude=["destinatario", "entidad", "plan", "periodo"], validate_constraints=False)
        Aviso.objects.bulk_create(filas, ignore_conflicts=True, batch_size=500)
    return len(filas)


def _marca(fecha: datetime.datetime) -> str:
    """An instant as a key: one event, one notice."""
    return fecha.astimezone(datetime.timezone.utc).strftime("%Y%m%d%H%M%S%f")


def _reportar(periodo, ancla: str = "") -> str:
    return reverse("seguimiento:reportar", args=[periodo.plan_id, periodo.pk]) + (f"#{ancla}" if ancla else "")


def aviso_entrega_enviada(*, periodo, entidad, usuario, enviados: int, fecha) -> int:
    """Tell the plan's reviewers that `entidad` submitted records of `periodo`."""
    plan = periodo.plan
    nuevo = Nuevo(
        Aviso.Tipo.ENVIADO, f"entrega:{periodo.pk}:{entidad.pk}:{_marca(fecha)}", plan, periodo,
        f"{entidad.nombre_corto} envió el periodo {periodo} para revisión",
        f"{entidad.nombre_corto} envió {enviados} registro(s) del periodo {periodo} del plan «{plan.titulo}» "
        f"el {timezone.localtime(fecha):%d/%m/%Y a las %H:%M}. Están a la espera de su revisión.",
        reverse("seguimiento:revision_entrega", args=[plan.pk, periodo.pk, entidad.pk]),
    )
    return avisos_create([(nuevo, u) for u in revisores_de(plan)], excepto=usuario)


def aviso_registro_devuelto(*, registro, usuario, observacion: str, fecha) -> int:
    """Tell the entity's users that a record came back, with the observation and a link to it."""
    tipo = registros.tipo_de(registro)
    item = getattr(registro, tipo.item)
    periodo, plan = registro.periodo, registro.periodo.plan
    que = NOMBRE_REGISTRO.get(tipo.clave, "un registro")
    nuevo = Nuevo(
        Aviso.Tipo.DEVUELTO, f"devuelto:{tipo.clave}:{registro.pk}:{_marca(fecha)}", plan, periodo,
        f"Devuelto con observación: {item}",
        f"El ministerio devolvió {que} «{item}» del periodo {periodo} con esta observación: «{observacion}». "
        "Corríjalo y vuelva a enviarlo.",
        _reportar(periodo, f"{ANCLA[tipo.item]}-{item.pk}"),
    )
    return avisos_create([(nuevo, u) for u in usuarios_de([registro.entidad_id])[registro.entidad_id]], excepto=usuario)


def aviso_registros_aprobados(*, periodo, entidad, usuario, aprobados: int, registro=None, fecha) -> int:
    """Tell the entity's users that the ministry approved one record or its whole entry."""
    plan = periodo.plan
    if registro is not None:
        tipo = registros.tipo_de(registro)
        item = getattr(registro, tipo.item)
        titulo = f"Aprobado: {item}"
        texto = f"El ministerio aprobó {NOMBRE_REGISTRO.get(tipo.clave, 'un registro')} «{item}» del periodo {periodo}."
        enlace = _reportar(periodo, f"{ANCLA[tipo.item]}-{item.pk}")
    else:
        titulo = f"Aprobado: {aprobados} registro(s) del periodo {periodo}"
        texto = f"El ministerio aprobó {aprobados} registro(s) de {entidad.nombre_corto} del periodo {periodo} del plan «{plan.titulo}»."
        enlace = _reportar(periodo)
    nuevo = Nuevo(Aviso.Tipo.APROBADO, f"aprobado:{periodo.pk}:{entidad.pk}:{_marca(fecha)}", plan, periodo, titulo, texto, enlace)
    return avisos_create([(nuevo, u) for u in usuarios_de([entidad.pk])[entidad.pk]], excepto=usuario)


def aviso_periodo_reabierto(*, periodo, entidad, usuario, motivo: str, fecha) -> int:
    """Tell the users of the entity it was reopened for (or of every entity with something to
    report in the plan) the new deadline and why."""
    plan = periodo.plan
    if entidad is not None:
        entidad_ids = [entidad.pk]
    else:
        entidad_ids = set(Indicador.objects.filter(plan=plan).values_list("entidad_id", flat=True)) | set(
            Actividad.objects.filter(plan=plan).values_list("entidad_id", flat=True))
    nuevo = Nuevo(
        Aviso.Tipo.PERIODO_REABIERTO, f"reabierto:{periodo.pk}:{_marca(fecha)}", plan, periodo,
        f"Periodo reabierto: {periodo}, hasta el {periodo.entrega_hasta:%d/%m/%Y}",
        f"El ministerio reabrió el periodo {periodo} del plan «{plan.titulo}»: puede registrar y enviar hasta el "
        f"{periodo.entrega_hasta:%d/%m/%Y}. Motivo: «{motivo}».",
        _reportar(periodo),
    )
    usuarios = usuarios_de(entidad_ids)
    return avisos_create([(nuevo, u) for ent in entidad_ids for u in usuarios[ent]], excepto=usuario)


# --- notices that time brings (the scheduled job) --------------------------------------------------

@dataclass
class Programados:
    abiertos: int = 0
    plazos: int = 0


def avisos_programados(*, hoy: datetime.date | None = None) -> Programados:
    """For each period open today and each entity that still has something due in it to send
    (`registros.por_enviar`: an item due not submitted nor approved; what is optional never
    calls for a reminder): a notice that the period is open, and one that its deadline is near
    once it is within the plan's days of notice (`ConfiguracionSeguimiento.dias_aviso`, default
    5). The deadline is part of the reminder's key, so a period reopened with a new deadline is
    reminded again. Returns how many were new (9 queries and the inserts, whatever the number of
    plans, periods and entities)."""
    hoy = hoy or timezone.localdate()
    periodos = list(PeriodoReporte.objects.filter(estado=PeriodoReporte.Estado.ABIERTO, entrega_desde__lte=hoy, entrega_hasta__gte=hoy)
                    .select_related("plan", "plan__configuracion_seguimiento").order_by("entrega_hasta", "pk"))
    if not periodos:
        return Programados()
    cuentas = registros.por_enviar(periodos=periodos)
    usuarios = usuarios_de({ent for _, ent in cuentas})

    abiertos, plazos = [], []
    for p in periodos:
        config = getattr(p.plan, "configuracion_seguimiento", None)
        dias_aviso = config.dias_aviso if config is not None else DIAS_AVISO
        quedan = (p.entrega_hasta - hoy).days
        abierto = Nuevo(
            Aviso.Tipo.PERIODO_ABIERTO, f"periodo:{p.pk}", p.plan, p,
            f"Periodo abierto: {p}, hasta el {p.entrega_hasta:%d/%m/%Y}",
            f"Ya puede registrar y enviar los valores y avances del periodo {p} del plan «{p.plan.titulo}». "
            f"El plazo vence el {p.entrega_hasta:%d/%m/%Y}.",
            _reportar(p),
        )
        for (periodo_id, ent), cuenta in sorted(cuentas.items()):
            if periodo_id != p.pk or cuenta.faltan <= 0:
                continue
            abiertos += [(abierto, u) for u in usuarios[ent]]
            if quedan <= dias_aviso:
                plazo = Nuevo(
                    Aviso.Tipo.PLAZO, f"plazo:{p.pk}:{p.entrega_hasta:%Y%m%d}", p.plan, p,
                    f"El plazo del periodo {p} {dias_texto(quedan)} ({p.entrega_hasta:%d/%m/%Y})",
                    f"El plazo para enviar el periodo {p} del plan «{p.plan.titulo}» {dias_texto(quedan)}, el "
                    f"{p.entrega_hasta:%d/%m/%Y}. Falta enviar {cuenta.faltan} de {cuenta.esperados} registro(s) exigido(s).",
                    _reportar(p),
                )
                plazos += [(plazo, u) for u in usuarios[ent]]
    return Programados(abiertos=avisos_create(abiertos), plazos=avisos_create(plazos))


# --- reading and e-mailing -------------------------------------------------------------------------

def aviso_mark_read(*, aviso: Aviso, user) -> Aviso:
    """Mark one of `user`'s notices read (reading it again changes nothing)."""
    if aviso.destinatario_id != user.pk:
        raise Aviso.DoesNotExist("Aviso no encontrado.")
    if aviso.leido_en is None:
        with transaction.atomic():
            aviso.leido_en = timezone.now()
            aviso.full_clean(exclude=["destinatario", "entidad", "plan", "periodo"], validate_constraints=False)
            aviso.save(update_fields=["leido_en"])
    return aviso


def avisos_mark_all_read(*, user) -> int:
    """Mark every unread notice of `user` read; returns how many."""
    with transaction.atomic():
        return Aviso.objects.de(user).no_leidos().update(leido_en=timezone.now())


def url_absoluta(enlace: str) -> str:
    return f"{settings.AMC_URL}{enlace}" if settings.AMC_URL else enlace


def correo_de(aviso: Aviso) -> mail.EmailMessage:
    """The e-mail of a notice: its title as subject, its text, the link to the item and to the
    notices page."""
    nombre = aviso.destinatario.get_full_name() or aviso.destinatario.username
    cuerpo = (
        f"Estimado(a) {nombre}:\n\n"
        f"{aviso.texto}\n\n"
        f"Ver en AMC: {url_absoluta(aviso.enlace)}\n\n"
        f"Plan: {aviso.plan.titulo}\n\n"
        "--\n"
        "AMC · Acciones de Mejora Continua. Este es un aviso automático; no responda a este correo.\n"
        f"Todos sus avisos: {url_absoluta(reverse('avisos:lista'))}\n"
    )
    return mail.EmailMessage(subject=f"AMC · {aviso.titulo}", body=cuerpo, to=[aviso.destinatario.email])


@dataclass
class Envio:
    enviados: int = 0
    fallidos: int = 0


def correos_enviar() -> Envio:
    """E-mail every notice whose mail is pending, each once: the notice is locked while it is
    sent (another run skips it) and marked sent in the same transaction. A notice whose user
    has no address (or is no longer active) is marked so and not sent. A failure is logged and
    the notice stays pending for the next run."""
    resultado = Envio()
    pendientes = list(Aviso.objects.filter(correo=Aviso.Correo.PENDIENTE).order_by("creado_en", "pk").values_list("pk", flat=True))
    if not pendientes:
        return resultado
    conexion = mail.get_connection()
    try:
        conexion.open()
    except Exception:
        log.exception("No se pudo conectar con el servidor de correo: %s avisos quedan por enviar", len(pendientes))
        return Envio(fallidos=len(pendientes))
    try:
        for pk in pendientes:
            with transaction.atomic():
                aviso = (Aviso.objects.select_for_update(skip_locked=True, of=("self",))
                         .select_related("destinatario", "plan").filter(pk=pk, correo=Aviso.Correo.PENDIENTE).first())
                if aviso is None:
                    continue  # sent meanwhile by another run
                if not aviso.destinatario.email or not aviso.destinatario.is_active:
                    aviso.correo = Aviso.Correo.SIN_DIRECCION
                    aviso.save(update_fields=["correo"])
                    continue
                mensaje = correo_de(aviso)
                mensaje.connection = conexion
                try:
                    mensaje.send()
                except Exception:  # the mail server's errors are many kinds; the notice waits for the next run
                    log.exception("No se pudo enviar el correo del aviso %s a %s", aviso.pk, aviso.destinatario.email)
                    resultado.fallidos += 1
                    continue
                aviso.correo, aviso.correo_enviado_en = Aviso.Correo.ENVIADO, timezone.now()
                aviso.save(update_fields=["correo", "correo_enviado_en"])
                resultado.enviados += 1
    finally:
        conexion.close()
    return resultado
