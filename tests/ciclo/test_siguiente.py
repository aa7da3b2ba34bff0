"""«Nuevo plan a partir de este» (issue 12, item 5): a preview of what will be created, then next
year's plan as a proposal with only what was asked for; activities not completed carried over
and marked; indicators with their last reported value as the new baseline; linked both ways;
asked twice, one plan."""
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ciclo import siguiente as sig
from matrices.models import Actividad, Alternativa, Causa, Indicador, Problema
from planes.models import Plan
from tests import factories as f
from tests.ciclo.helpers import avance_aprobado, periodo_2015, suscribir, valor_aprobado

pytestmark = pytest.mark.django_db

TODO = ["diagnostico", "cadena", "actividades", "indicadores"]


@pytest.fixture
def reportado(seed_plan):
    """The seed plan with a closed 2015 period: MTPE's activity 1 reported completed (approved),
    activity 2 in progress; MTPE's indicator 2 with two approved values (Q3 12, Q4 15)."""
    p3, p4 = periodo_2015(seed_plan, 3), periodo_2015(seed_plan, 4)
    acts = {a.orden: a for a in Actividad.objects.filter(plan=seed_plan, entidad__codigo="mtpe", orden__in=(1, 2))}
    avance_aprobado(acts[1], p4)
    avance_aprobado(acts[2], p4, situacion="en_proceso", avance="40")
    ind = Indicador.objects.get(plan=seed_plan, entidad__codigo="mtpe", orden=2)
    valor_aprobado(ind, p3, "12")
    valor_aprobado(ind, p4, "15")
    return seed_plan


def test_the_preview_lists_what_will_be_created_and_writes_nothing(client, reportado, usuario_mtpe):
    planes = Plan.objects.count()
    client.force_login(usuario_mtpe)
    html = client.get(f"/planes/{reportado.pk}/nuevo-plan/?ver=1&opciones=diagnostico&opciones=actividades").content.decode()
    assert "mtpe-puno-2016" in html
    assert "<td>Problemas</td><td class=\"num\">4</td>" in html
    assert "<td>Causas</td><td class=\"num\">50</td>" in html
    assert "<td>Alternativas</td><td class=\"num\">35</td>" in html
    assert "<td>Actividades arrastradas (no concluidas)</td><td class=\"num\">55</td>" in html
    assert "1 actividad(es) concluida(s) no se copian." in html
    assert "Indicadores" not in html.split('id="vista-previa"')[1].split("</table>")[0]  # not asked for
    assert Plan.objects.count() == planes


def test_next_years_plan_copies_what_was_asked_and_marks_the_carried_over_activities(reportado, usuario_mtpe):
    nuevo = sig.siguiente_crear(plan=reportado, usuario=usuario_mtpe, opciones=TODO)
    nuevo.refresh_from_db()
    assert (nuevo.codigo, nuevo.anio_inicio, nuevo.anio_fin, nuevo.estado) == ("mtpe-puno-2016", 2016, 2016, "propuesta")
    assert nuevo.plan_anterior == reportado and Plan.objects.get(pk=reportado.pk).plan_siguiente == nuevo
    assert list(Problema.objects.filter(plan=nuevo).values_list("numero", "enunciado")) == list(
        Problema.objects.filter(plan=reportado).values_list("numero", "enunciado"))
    assert Causa.objects.filter(problema__plan=nuevo).count() == 50
    assert Alternativa.objects.filter(problema__plan=nuevo).count() == 35
    # an alternative still answers its cause, in the new plan
    con_causa = Alternativa.objects.filter(problema__plan=nuevo, causa__isnull=False)
    assert con_causa.exists() and not con_causa.exclude(causa__problema__plan=nuevo).exists()
    acts = Actividad.objects.filter(plan=nuevo)
    assert acts.count() == 55 and not acts.filter(arrastrada_de__isnull=True).exists()
    completada = Actividad.objects.get(plan=reportado, entidad__codigo="mtpe", orden=1)
    assert not acts.filter(arrastrada_de=completada).exists()
    en_proceso = Actividad.objects.get(plan=reportado, entidad__codigo="mtpe", orden=2)
    assert acts.get(arrastrada_de=en_proceso).descripcion == en_proceso.descripcion
    ind = Indicador.objects.get(plan=nuevo, entidad__codigo="mtpe", orden=2)
    assert (ind.linea_base_valor, ind.linea_base_anio) == (Decimal("15.00"), 2015)  # the last approved value
    assert not Indicador.objects.filter(plan=nuevo, actividad__arrastrada_de=completada).exists()


def test_the_new_plans_logical_matrix_marks_the_carried_over_activities(client, reportado, usuario_mtpe, usuario_planificador):
    nuevo = sig.siguiente_crear(plan=reportado, usuario=usuario_mtpe, opciones=TODO)
    client.force_login(usuario_planificador)
    html = unescape(client.get(f"/planes/{nuevo.pk}/matriz-logica/?nivel=GN").content.decode())
    en_proceso = Actividad.objects.get(plan=reportado, entidad__codigo="mtpe", orden=2).descripcion
    assert f'{en_proceso} <small class="arrastre">(Arrastrada del plan anterior)</small>' in html
    assert html.count("Arrastrada del plan anterior") == Actividad.objects.filter(
        plan=nuevo, entidad__nivel__codigo="GN").exclude(descripcion="").count()
    import io

    import openpyxl

    libro = openpyxl.load_workbook(io.BytesIO(client.get(f"/planes/{nuevo.pk}/matriz-logica/?nivel=GN&formato=xlsx").content))
    celdas = [c for fila in libro.active.iter_rows(values_only=True) for c in fila if isinstance(c, str)]
    assert f"{en_proceso} (Arrastrada del plan anterior)" in celdas


def test_nothing_is_copied_that_was_not_asked_for(reportado, usuario_mtpe):
    nuevo = sig.siguiente_crear(plan=reportado, usuario=usuario_mtpe, opciones=["diagnostico"])
    assert Problema.objects.filter(plan=nuevo).count() == 4
    assert not Actividad.objects.filter(plan=nuevo).exists() and not Indicador.objects.filter(plan=nuevo).exists()
    assert list(nuevo.participaciones.values_list("entidad__codigo", flat=True)) == ["mtpe", "drtpe-puno"]


def test_creating_next_years_plan_twice_does_not_create_two(client, reportado, usuario_mtpe):
    client.force_login(usuario_mtpe)
    url = f"/planes/{reportado.pk}/nuevo-plan/"
    assert client.post(url, {"opciones": ["diagnostico"]}).status_code == 302
    planes = Plan.objects.count()
    segunda = client.post(url, {"opciones": ["diagnostico"]})
    assert segunda.status_code == 400
    assert "Ya se creó el plan siguiente a partir de este: mtpe-puno-2016" in segunda.content.decode()
    assert Plan.objects.count() == planes
    with pytest.raises(ValidationError, match="Ya se creó el plan siguiente"):
        sig.siguiente_crear(plan=reportado, usuario=usuario_mtpe, opciones=["diagnostico"])


def test_indicators_alone_are_refused_with_a_message(reportado, usuario_mtpe):
    with pytest.raises(ValidationError, match="Los indicadores miden resultados, productos o actividades"):
        sig.siguiente_preparar(plan=reportado, usuario=usuario_mtpe, opciones=["indicadores"])


def test_only_the_rector_entitys_staff_create_the_next_plan(reportado, usuario_puno):
    with pytest.raises(PermissionDenied):
        sig.siguiente_crear(plan=reportado, usuario=usuario_puno, opciones=["diagnostico"])
    assert not Plan.objects.filter(plan_anterior=reportado).exists()


def test_the_copy_costs_queries_per_batch_not_per_row(mtpe, drtpe_puno, usuario_mtpe):
    def plan_de(n):
        plan = f.make_plan(rector=mtpe, participantes=[drtpe_puno], anio_inicio=2015, anio_fin=2015)
        for numero in range(1, n + 1):
            problema = f.make_problema(plan, numero)
            f.make_causa(problema, drtpe_puno, "a")
            Actividad.objects.create(plan=plan, entidad=drtpe_puno, orden=numero, descripcion=f"Actividad {numero}")
        return plan

    def consultas(plan):
        with CaptureQueriesContext(connection) as ctx:
            sig.siguiente_crear(plan=plan, usuario=usuario_mtpe, opciones=["diagnostico", "actividades"])
        return len(ctx)

    consultas(plan_de(1))  # the first call also reads the user's roles (then kept on the user)
    assert consultas(plan_de(5)) == consultas(plan_de(40))


@pytest.mark.parametrize("quien, ve", [("usuario_mtpe", True), ("usuario_puno", False), ("usuario_planificador", False)])
def test_the_overview_offers_the_next_plan_only_to_whoever_may_create_it(client, seed_plan, request, quien, ve):
    client.force_login(request.getfixturevalue(quien))
    body = client.get(f"/planes/{seed_plan.pk}/").content.decode()
    assert "Estado, suscripción y modificaciones" in body  # every reader sees the plan's life
    assert ("Nuevo plan a partir de este" in body) is ve
