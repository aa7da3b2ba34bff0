import shutil

import pytest
from django.conf import settings

from seguimiento.models import (
    AvanceActividad, EjecucionPresupuestal, EventoPeriodo, HistorialAvance, HistorialValor, PeriodoReporte,
    ValorDesagregado, ValorIndicador,
)
from tests.seguimiento import factories as sf


def estado_bd():
    """Everything a refusal must leave as it was."""
    return (
        list(ValorIndicador.objects.order_by("pk").values()),
        list(ValorDesagregado.objects.order_by("pk").values()),
        list(AvanceActividad.objects.order_by("pk").values()),
        list(HistorialValor.objects.order_by("pk").values()),
        list(HistorialAvance.objects.order_by("pk").values()),
        list(EjecucionPresupuestal.objects.order_by("pk").values()),
        list(EventoPeriodo.objects.order_by("pk").values()),
        list(PeriodoReporte.objects.order_by("pk").values()),
    )


@pytest.fixture
def esc(db):
    return sf.escenario()


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)
