from __future__ import annotations

from django.db.models import Prefetch

from ciclo.models import CambioModificacion, Modificacion
from matrices.models import Actividad
from planes.models import Plan


def modificacion_list(*, plan: Plan) -> list[Modificacion]:
    """The plan's amendments with who opened/closed them and their changes (2 queries)."""
    return list(Modificacion.objects.filter(plan=plan).select_related("abierta_por", "cerrada_por")
                .prefetch_related(Prefetch("cambios", queryset=CambioModificacion.objects.order_by("orden")))
                .order_by("-numero"))


def historial_estados(*, plan: Plan) -> list:
    """The plan's history rows that changed its state or amendments (who, when, why) (1 query)."""
    filas = list(plan.history.select_related("history_user").order_by("history_date", "history_id"))
    trazas, anterior = [], None
    for fila in filas:
        if anterior is None:  # a plan loaded from fixtures has no history before its first step
            cambio = fila.estado != "propuesta" or fila.modificacion_en_curso
        else:
            cambio = fila.estado != anterior.estado or fila.modificacion_en_curso != anterior.modificacion_en_curso
        if cambio:
            trazas.append(fila)
        anterior = fila
    return list(reversed(trazas))


def arrastradas(*, plan: Plan) -> list[Actividad]:
    """The activities this plan carried over from the previous one (1 query)."""
    return list(Actividad.objects.filter(plan=plan, arrastrada_de__isnull=False).select_related("entidad")
                .order_by("entidad__nombre", "orden"))


def siguiente_de(*, plan: Plan) -> Plan | None:
    """The plan created from this one for the next cycle, if any (1 query)."""
    return Plan.objects.filter(plan_anterior=plan).only("codigo", "titulo", "anio_inicio").first()
