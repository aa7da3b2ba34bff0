"""A plan of the ministry followed up by DRTPE Puno and DRTPE Cusco, with people to tell:
two Puno staff (one without an e-mail address), a Cusco staff member, two ministry reviewers
and a planner of the ministry, an inactive Puno user and a planner of Puno."""
from __future__ import annotations

import datetime
import shutil
from dataclasses import dataclass

import pytest

from amc.access import Rol
from cronograma.models import Cronograma
from planes.models import Entidad, PlanEntidad
from seguimiento.models import PeriodoReporte
from tests import factories as f
from tests.seguimiento import factories as sf


@dataclass
class Gente:
    esc: sf.Escenario
    cusco: Entidad
    puno1: object
    puno2: object  # without an e-mail address
    cusco1: object
    revisor1: object
    revisor2: object
    planificador: object

    @property
    def plan(self):
        return self.esc.plan


@pytest.fixture
def gente(db) -> Gente:
    esc = sf.escenario(usuarios=False)
    cusco = Entidad.objects.get(codigo="drtpe-cusco")
    PlanEntidad.objects.create(plan=esc.plan, entidad=cusco, orden=5)
    sf.make_indicador(esc.plan, cusco, 1, nombre="Ferias laborales (Cusco)", meta_anual=10)
    # Everything is due in every period (`registros.exigidos`): the indicators are reported
    # monthly, the activity's schedule runs all year.
    esc.plan.indicadores.update(frecuencia_reporte="mensual")
    anio = sf.hoy().year
    for actividad in esc.actividades:
        Cronograma.objects.create(actividad=actividad, inicio_anio=anio - 1, inicio_mes=1, fin_anio=anio, fin_mes=12, meta_fisica=12)
    g = Gente(
        esc, cusco,
        puno1=f.make_user(Rol.REGIONAL, esc.puno, username="puno-ana", email="ana@drtpepuno.gob.pe", first_name="Ana"),
        puno2=f.make_user(Rol.REGIONAL, esc.puno, username="puno-sin-correo"),
        cusco1=f.make_user(Rol.REGIONAL, cusco, username="cusco-luis", email="luis@drtpecusco.gob.pe"),
        revisor1=f.make_user(Rol.MINISTERIO, esc.mtpe, username="mtpe-rosa", email="rosa@trabajo.gob.pe"),
        revisor2=f.make_user(Rol.MINISTERIO, esc.mtpe, username="mtpe-jorge", email="jorge@trabajo.gob.pe"),
        planificador=f.make_user(Rol.PLANIFICADOR, esc.mtpe, username="mtpe-plan", email="plan@trabajo.gob.pe"),
    )
    f.make_user(Rol.REGIONAL, esc.puno, username="puno-inactivo", email="baja@drtpepuno.gob.pe", is_active=False)
    f.make_user(Rol.PLANIFICADOR, esc.puno, username="puno-planificador", email="pp@drtpepuno.gob.pe")
    esc.users = {"puno": g.puno1, "mtpe": g.revisor1, "planificador": g.planificador}
    return g


def periodo(plan, numero, *, desde, hasta, anio=None) -> PeriodoReporte:
    """A monthly period of `plan` with the entry window [desde, hasta]."""
    anio = anio or desde.year
    inicio, fin = PeriodoReporte.fechas("mensual", anio, numero)
    return PeriodoReporte.objects.create(plan=plan, frecuencia="mensual", anio=anio, numero=numero, inicio=inicio, fin=fin,
                                         entrega_desde=desde, entrega_hasta=hasta)


def dias(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)
