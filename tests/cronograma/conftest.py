"""A small plan for the schedule tests: a national rector and DRTPE Puno, 2015-2016, one
product, an activity of each with a budget line (S/ 1,200.00 for Puno's)."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from cronograma.models import Cronograma, Hito, ProgramacionMensual
from tests.cronograma import factories as cf


def estado_bd():
    """Everything a refusal must leave as it was."""
    return (
        list(Cronograma.objects.order_by("pk").values()),
        list(ProgramacionMensual.objects.order_by("pk").values()),
        list(Hito.objects.order_by("pk").values()),
    )


@dataclass
class Escenario:
    plan: object
    rector: object
    puno: object
    producto: object
    act_puno: object
    act_rector: object


@pytest.fixture
def esc(drtpe_puno):
    plan, rector, puno = cf.make_plan_cronograma(regional=drtpe_puno, anio_inicio=2015, anio_fin=2016)
    producto = cf.make_producto(plan)
    act_puno = cf.make_actividad(plan, puno, 1, "Talleres de orientación vocacional", producto=producto)
    act_rector = cf.make_actividad(plan, rector, 1, "Directiva de gestión descentralizada", producto=producto)
    cf.make_linea(plan, puno, act_puno, 1, total="1200.00")
    return Escenario(plan, rector, puno, producto, act_puno, act_rector)
