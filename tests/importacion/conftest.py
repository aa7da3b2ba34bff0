"""A small plan shared by the import tests: MTPE rector, DRTPE Puno taking part, two problems,
a results chain, one activity and one indicator per entity, budget lines, open quarters."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from importacion import services as importing
from matrices.models import Actividad, Indicador, Producto, Resultado
from seguimiento.models import PeriodoReporte
from tests import factories as f


@pytest.fixture
def plan(mtpe, drtpe_puno):
    plan = f.make_plan(rector=mtpe, participantes=[drtpe_puno], anio_inicio=2015, anio_fin=2016)
    for n in (1, 2):
        f.make_problema(plan, numero=n, enunciado=f"Problema {n}")
    final = Resultado.objects.create(plan=plan, tipo="final", orden=1, enunciado="Resultado final")
    intermedio = Resultado.objects.create(plan=plan, tipo="intermedio", orden=1, enunciado="Intermedio", resultado_final=final)
    producto = Producto.objects.create(plan=plan, resultado=intermedio, orden=1, enunciado="Producto")
    for entidad in (mtpe, drtpe_puno):
        actividad = Actividad.objects.create(plan=plan, producto=producto, entidad=entidad, orden=1, descripcion=f"Actividad de {entidad}",
                                             fase="ejecucion")
        Indicador.objects.create(plan=plan, entidad=entidad, orden=1, actividad=actividad, nombre=f"Nº de servidores capacitados ({entidad})",
                                 unidad_medida="Persona")
    f.make_linea(plan, mtpe, 1, costo="100.00", cantidad="2")
    f.make_linea(plan, drtpe_puno, 2, costo="50.00", cantidad="1")
    return plan


@pytest.fixture
def periodos(plan):
    """The four quarters of 2015, all receiving values today."""
    hoy = timezone.localdate()
    creados = []
    for n in range(1, 5):
        inicio, fin = PeriodoReporte.fechas("trimestral", 2015, n)
        creados.append(PeriodoReporte.objects.create(
            plan=plan, frecuencia="trimestral", anio=2015, numero=n, inicio=inicio, fin=fin,
            entrega_desde=datetime.date(2015, 1, 1), entrega_hasta=hoy + datetime.timedelta(days=30)))
    return creados


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def huella_bd(plan) -> list:
    """Every row an import may write, field by field: equal before and after means nothing was saved."""
    from matrices.models import Alternativa, Causa, MetaIndicador, SubitemAlternativa
    from presupuesto.models import LineaPresupuesto, SublineaCosto
    from seguimiento.models import HistorialValor, ValorIndicador

    filas = []
    for model, lookup in ((Causa, "problema__plan"), (Alternativa, "problema__plan"), (SubitemAlternativa, "alternativa__problema__plan"),
                          (Actividad, "plan"), (Indicador, "plan"), (MetaIndicador, "indicador__plan"),
                          (LineaPresupuesto, "plan"), (SublineaCosto, "linea__plan"), (ValorIndicador, "periodo__plan"),
                          (HistorialValor, "registro__periodo__plan")):
        filas.append(sorted(map(repr, model.objects.filter(**{lookup: plan}).order_by("pk").values())))
    return filas


D = Decimal
