"""Test data of the schedule: plans with activities, schedules, budget lines and reported
progress, built directly (the services are tested on their own)."""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from cronograma.models import Cronograma, Hito, ProgramacionMensual
from matrices.models import Actividad, Producto, Resultado
from seguimiento.models import AvanceActividad, PeriodoReporte
from tests import factories as f

D = Decimal


def make_plan_cronograma(*, anio_inicio=2015, anio_fin=2015, regional=None, local=False):
    """A plan of a national rector and one regional entity (DRTPE Puno when given)."""
    rector = f.make_entidad("GN")
    regional = regional or f.make_entidad("GR")
    participantes = [regional] + ([f.make_entidad("GL")] if local else [])
    plan = f.make_plan(rector=rector, participantes=participantes, anio_inicio=anio_inicio, anio_fin=anio_fin)
    return plan, rector, regional


def make_producto(plan, orden=1, enunciado="Producto de prueba") -> Producto:
    final, _ = Resultado.objects.get_or_create(plan=plan, tipo="final", orden=1, defaults={"enunciado": "Resultado final"})
    inter, _ = Resultado.objects.get_or_create(plan=plan, tipo="intermedio", orden=1,
                                               defaults={"enunciado": "Resultado intermedio", "resultado_final": final})
    return Producto.objects.create(plan=plan, resultado=inter, orden=orden, enunciado=enunciado)


def make_actividad(plan, entidad, orden, descripcion=None, producto=None) -> Actividad:
    return Actividad.objects.create(plan=plan, entidad=entidad, orden=orden, producto=producto,
                                    descripcion=descripcion or f"Actividad {orden} de {entidad.sigla}")


def make_cronograma(actividad, inicio=(2015, 1), fin=(2015, 12), meta="12", *, unidad="talleres", meses=None,
                    hitos=(), demostracion=False) -> Cronograma:
    """A schedule; `meses`: {(year, month): physical target} or {(year, month): (target, amount)}."""
    c = Cronograma.objects.create(actividad=actividad, inicio_anio=inicio[0], inicio_mes=inicio[1], fin_anio=fin[0],
                                  fin_mes=fin[1], meta_fisica=D(meta), unidad_medida=unidad, demostracion=demostracion)
    filas = []
    for (anio, mes), valor in (meses or {}).items():
        meta_mes, monto = valor if isinstance(valor, tuple) else (valor, 0)
        filas.append(ProgramacionMensual(actividad=actividad, anio=anio, mes=mes, meta_fisica=D(str(meta_mes)),
                                         monto=D(str(monto))))
    ProgramacionMensual.objects.bulk_create(filas)
    for nombre, (anio, mes) in hitos:
        Hito.objects.create(actividad=actividad, nombre=nombre, anio=anio, mes=mes)
    return c


def parejo(inicio=(2015, 1), n=12, total=12, monto=0) -> dict:
    """`total` spread evenly over `n` months from `inicio` (the last month takes the rest)."""
    from cronograma.models import Mes

    meses = Mes(*inicio).hasta(Mes(*inicio).mas(n - 1))
    cada = (D(total) / n).quantize(D("0.01"))
    cada_monto = (D(monto) / n).quantize(D("0.01"))
    out = {}
    for i, m in enumerate(meses):
        ultimo = i == n - 1
        out[(m.anio, m.mes)] = (D(total) - cada * (n - 1) if ultimo else cada,
                                D(monto) - cada_monto * (n - 1) if ultimo else cada_monto)
    return out


def make_linea(plan, entidad, actividad, orden, total=None, estado="determinado"):
    linea = f.make_linea(plan, entidad, orden, costo=total, estado=estado,
                         descripcion=f"Línea {orden}")
    linea.actividad = actividad
    linea.save()
    return linea


def make_periodo(plan, frecuencia="trimestral", anio=2015, numero=1) -> PeriodoReporte:
    inicio, fin = PeriodoReporte.fechas(frecuencia, anio, numero)
    periodo, _ = PeriodoReporte.objects.get_or_create(
        plan=plan, frecuencia=frecuencia, anio=anio, numero=numero,
        defaults={"inicio": inicio, "fin": fin, "entrega_desde": inicio, "entrega_hasta": fin + datetime.timedelta(days=15)})
    return periodo


def reportar(actividad, periodo, avance, situacion="en_proceso", estado="enviado") -> AvanceActividad:
    """A progress report of the activity's entity for the period (submitted by default)."""
    avance = D(str(avance))
    if avance == 0:
        situacion = "no_iniciada"
    elif avance == 100:
        situacion = "concluida"
    return AvanceActividad.objects.create(
        actividad=actividad, entidad=actividad.entidad, periodo=periodo, situacion=situacion, avance_fisico=avance,
        estado=estado, enviado_en=timezone.now() if estado != "borrador" else None)
