"""Issue 7's round trip: export the seed plan to Excel, import it into a database that has none
of it, and every report is identical, and so is every row, field by field.

"A database that has none of it": the seed plan is deleted (with everything that hangs from it)
and loaded again from the seed fixtures *except* the models the Excel sheets carry, and the
models that point at them (priorised alternatives, the schedule...), which can only be loaded
once the rows they point at exist. Then each entity imports its own workbook, as its own
user, through the pages, and the deferred fixture objects are loaded. What is compared: the
rows of every imported model (natural keys, every field) and the output of every report
function of the plan.
"""
import dataclasses
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from amc.access import Rol
from importacion.services import hojas
from planes.management.commands.cargar_seed import seed_fixture_paths
from planes.models import Plan
from tests import factories as f
from tests.conftest import SEED_PLAN

pytestmark = pytest.mark.django_db

HOY = datetime.date(2015, 11, 30)


def modelos_importados():
    return [cls._meta.model for cls in hojas()]


def filas(plan) -> dict[str, list]:
    """Every row of every imported model of the plan, with natural keys instead of ids."""
    resultado = {}
    for model in modelos_importados():
        qs = model.objects.filter(**{model.plan_field: plan})
        data = json.loads(serializers.serialize("json", qs, use_natural_foreign_keys=True, use_natural_primary_keys=True))
        resultado[model._meta.label] = sorted(json.dumps(d["fields"], sort_keys=True, ensure_ascii=False) for d in data)
    return resultado


def _normal(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _normal(v) for k, v in dataclasses.asdict(value).items() if k not in ("id", "pk") and not k.endswith("_id")}
    if isinstance(value, dict):
        return {str(k): _normal(v) for k, v in value.items() if k not in ("id", "pk") and not str(k).endswith("_id")}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_normal(v) for v in value]
    if isinstance(value, models.Model):
        return list(value.natural_key()) if hasattr(value, "natural_key") else str(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def informes(plan) -> dict:
    from cronograma import reports as cronograma
    from matrices import reports as matrices
    from documento import reports as planes
    from presupuesto import reports as presupuesto

    datos = {
        "analisis_causal": matrices.analisis_causal(plan=plan),
        "alternativas": matrices.alternativas(plan=plan),
        "alineamiento": matrices.alineamiento(plan=plan),
        "roles": matrices.roles(plan=plan),
        "indicadores": matrices.indicadores(plan=plan),
        "matriz_logica_GN": matrices.matriz_logica(plan=plan, nivel="GN"),
        "matriz_logica_GR": matrices.matriz_logica(plan=plan, nivel="GR"),
        "presupuesto": presupuesto.presupuesto(plan=plan),
        "cronograma": cronograma.cronograma(plan=plan, hoy=HOY),
        "documento": planes.documento(plan=plan),
    }
    return {nombre: _normal(data) for nombre, data in datos.items()}


def exportar(client, plan, usuario) -> bytes:
    client.force_login(usuario)
    response = client.get(reverse("importacion:plantilla"), {"plan": plan.pk})
    assert response.status_code == 200
    return response.content


def importar(client, plan, usuario, data):
    client.force_login(usuario)
    archivo = io.BytesIO(data)
    archivo.name = f"{usuario.entidad.codigo}.xlsx"
    subida = client.post(reverse("importacion:subir"), {"plan": plan.pk, "archivo": archivo})
    vista = client.get(subida["Location"])
    resultado = vista.context["resultado"]
    assert resultado.errores == [] and resultado.rechazadas == [], (resultado.errores, resultado.rechazadas[:3])
    token = subida["Location"].rstrip("/").split("/")[-1]
    hecho = client.post(reverse("importacion:aplicar", args=[token]), {"huella": resultado.huella})
    assert hecho.status_code == 302 and hecho["Location"] == reverse("plan_detail", args=[plan.pk]), hecho
    return resultado


def cargar(objetos: list[dict], tmp_path, nombre: str) -> None:
    if objetos:
        path = tmp_path / f"{nombre}.json"
        path.write_text(json.dumps(objetos, ensure_ascii=False), encoding="utf-8")
        call_command("loaddata", str(path), verbosity=0)


def test_export_the_seed_plan_import_it_into_an_empty_database_and_every_report_is_the_same(client, mtpe, drtpe_puno, tmp_path,
                                                                                            settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = Plan.objects.get(codigo=SEED_PLAN)
    antes_filas, antes_informes = filas(plan), informes(plan)
    assert sum(len(v) for v in antes_filas.values()) > 150  # the seed's causes, activities, indicators, budget…
    usuarios = [f.make_user(Rol.MINISTERIO, mtpe, username="ida-mtpe"), f.make_user(Rol.REGIONAL, drtpe_puno, username="ida-puno")]
    libros = [(u, exportar(client, plan, u)) for u in usuarios]

    # An empty database: the plan and everything in it gone; then everything no sheet carries, back.
    for model in reversed(modelos_importados()):  # what the sheets carry, dependents first
        model.objects.filter(**{model.plan_field: plan}).delete()
    plan.productos.all().delete()
    plan.resultados.filter(tipo="intermedio").delete()
    plan.delete()
    importados = {m._meta.label_lower for m in modelos_importados()}
    objetos = [o for path in seed_fixture_paths()[1:] for o in json.loads(path.read_text(encoding="utf-8"))]

    def apunta_a_importados(label: str) -> bool:
        model = apps.get_model(label)
        return any(fk.many_to_one and fk.related_model._meta.label_lower in importados for fk in model._meta.fields)

    base = [o for o in objetos if o["model"] not in importados and not apunta_a_importados(o["model"])]
    despues = [o for o in objetos if o["model"] not in importados and apunta_a_importados(o["model"])]
    cargar(base, tmp_path, "base")
    plan = Plan.objects.get(codigo=SEED_PLAN)
    assert all(not v for v in filas(plan).values())

    for usuario, data in libros:
        importar(client, plan, usuario, data)
    cargar(despues, tmp_path, "despues")

    assert filas(plan) == antes_filas
    despues_informes = informes(plan)
    for nombre in antes_informes:
        assert despues_informes[nombre] == antes_informes[nombre], nombre
