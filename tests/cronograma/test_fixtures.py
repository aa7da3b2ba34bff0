"""No schedule is invented for the seed plan; the demonstration schedule is marked as such,
loads twice without duplicates and adds up like any other."""
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from cronograma.models import Cronograma, Hito, Presupuesto, ProgramacionMensual, revisar
from cronograma.selectors import presupuestos

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO = FIXTURES / "demo" / "cronograma.json"


def test_the_seed_plan_files_hold_no_schedule():
    for path in sorted((FIXTURES / "plan_mtpe_puno_2015").glob("*.json")):
        modelos = {o["model"] for o in json.loads(path.read_text(encoding="utf-8"))}
        assert not {m for m in modelos if m.startswith("cronograma.")}, path.name


@pytest.mark.django_db
def test_the_loaded_seed_plan_has_no_schedule(seed_plan):
    assert not Cronograma.objects.filter(actividad__plan=seed_plan).exists()
    assert not ProgramacionMensual.objects.filter(actividad__plan=seed_plan).exists()


def test_every_demo_schedule_is_marked_and_written_with_natural_keys():
    objetos = json.loads(DEMO.read_text(encoding="utf-8"))
    assert all("pk" not in o for o in objetos)
    cronogramas = [o for o in objetos if o["model"] == "cronograma.cronograma"]
    assert cronogramas and all(o["fields"]["demostracion"] is True for o in cronogramas)


@pytest.mark.django_db
def test_the_demo_schedule_loads_twice_and_adds_up(seed_plan):
    call_command("loaddata", str(DEMO), verbosity=0)
    cuenta = (Cronograma.objects.count(), ProgramacionMensual.objects.count(), Hito.objects.count())
    call_command("loaddata", str(DEMO), verbosity=0)
    assert (Cronograma.objects.count(), ProgramacionMensual.objects.count(), Hito.objects.count()) == cuenta
    assert cuenta[0] == 6 and set(Cronograma.objects.values_list("demostracion", flat=True)) == {True}
    budgets = presupuestos(plan=seed_plan)
    for c in Cronograma.objects.select_related("actividad__plan"):
        meses = [(p.periodo, p.meta_fisica, p.monto) for p in c.actividad.programacion.all()]
        cuadre = revisar(plan=seed_plan, inicio=c.inicio, fin=c.fin, meta=c.meta_fisica, meses=meses,
                         presupuesto=budgets.get(c.actividad_id, Presupuesto()))
        assert cuadre.errores == [], (c, cuadre.errores)
