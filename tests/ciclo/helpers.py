"""The seed plan signed, amended, with follow-up reports: what the ciclo tests start from."""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from ciclo import services
from seguimiento.models import AvanceActividad, EstadoRevision, PeriodoReporte, ValorIndicador

FECHA_SUSCRIPCION = datetime.date(2015, 6, 30)


def suscribir(plan, usuario):
    return services.plan_suscribir(plan=plan, usuario=usuario, fecha=FECHA_SUSCRIPCION,
                                   documento="Convenio de Gestión N° 012-2015-MTPE (de prueba)",
                                   firmantes="Ministro de Trabajo\nPresidente del Gobierno Regional de Puno")


def periodo_2015(plan, numero=4) -> PeriodoReporte:
    inicio, fin = PeriodoReporte.fechas("trimestral", 2015, numero)
    return PeriodoReporte.objects.create(plan=plan, frecuencia="trimestral", anio=2015, numero=numero, inicio=inicio, fin=fin,
                                         entrega_desde=inicio, entrega_hasta=fin, estado=PeriodoReporte.Estado.CERRADO)


def avance_aprobado(actividad, periodo, situacion="concluida", avance="100"):
    return AvanceActividad.objects.create(actividad=actividad, entidad_id=actividad.entidad_id, periodo=periodo,
                                          situacion=situacion, avance_fisico=Decimal(avance),
                                          estado=EstadoRevision.APROBADO, enviado_en=timezone.now())


def valor_aprobado(indicador, periodo, valor):
    return ValorIndicador.objects.create(indicador=indicador, entidad_id=indicador.entidad_id, periodo=periodo,
                                         valor=Decimal(valor), estado=EstadoRevision.APROBADO, enviado_en=timezone.now())
