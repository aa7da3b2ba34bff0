"""Issue 7, item 6: lists across the plans a user may read, filtered, paginated, exported
(exactly the filtered rows) to Excel and CSV, formula-safe, at a fixed number of queries."""
import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from matrices.models import Actividad
from presupuesto.models import LineaPresupuesto, SublineaCosto
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def otro_plan(mtpe):
    region = f.make_entidad("GR", sigla="Otra región")
    plan = f.make_plan(rector=mtpe, participantes=[region], codigo="plan-cusco")
    f.make_linea(plan, region, 1, costo="10", cantidad="1", descripcion="Línea del Cusco", especifica="2.3.2.7.11.99")
    return plan


@pytest.fixture
def lineas(plan, mtpe, drtpe_puno):
    f.make_linea(plan, drtpe_puno, 3, costo="1234.5", cantidad="2", descripcion="=HYPERLINK(\"http://x\")", especifica="2.3.2.7.11.99")
    f.make_linea(plan, mtpe, 4, estado="no_determinado", descripcion="+Talleres regionales", especifica="2.6.3.2.3.1")
    linea = f.make_linea(plan, drtpe_puno, 5, descripcion="@Pasajes")
    linea.costo_unitario = None
    linea.save()
    SublineaCosto.objects.create(linea=linea, orden=1, concepto="Especialista", costo_unitario=2500, cantidad=2,
                                 especifica_gasto="2.3.2.8.1.1")
    return plan


def get(client, clave, **params):
    return client.get(reverse("listas:lista", args=[clave]), params)


def test_a_regional_user_lists_only_the_plans_its_entity_takes_part_in(client, usuario_puno, lineas, otro_plan):
    client.force_login(usuario_puno)
    assert [r[5] for r in get(client, "presupuesto", q="Talleres regionales").context["filas"]] == ["+Talleres regionales"]
    assert get(client, "presupuesto", q="Cusco").context["pagina"].paginator.count == 0
    response = get(client, "presupuesto", plan=otro_plan.pk)
    assert response.context["pagina"].paginator.count == 0
    assert "Escoja una opción válida" in response.content.decode()


def test_filters_by_plan_level_state_spending_code_and_text(client, usuario_planificador, lineas, otro_plan, mtpe):
    client.force_login(usuario_planificador)
    rows = lambda **p: [r[5] for r in get(client, "presupuesto", **p).context["filas"]]  # noqa: E731
    assert rows(q="Línea del Cusco") == ["Línea del Cusco"]  # every plan, for a planner
    assert rows(plan=lineas.pk, estado="no_determinado") == ["+Talleres regionales"]
    assert rows(plan=lineas.pk, nivel=mtpe.nivel.pk) == ["Actividad 1", "+Talleres regionales"]
    # A spending code or its leading parts, on the line or on its sub-lines.
    assert rows(plan=lineas.pk, especifica="2.3.2.7") == ["=HYPERLINK(\"http://x\")"]
    assert rows(plan=otro_plan.pk, especifica="2.3") == ["Línea del Cusco"]
    assert rows(plan=otro_plan.pk, especifica="2.3.2.7.1") == []
    assert rows(plan=lineas.pk, especifica="2.3.2.8.1.1") == ["@Pasajes"]


def test_each_list_has_its_own_filters(client, usuario_planificador, plan, periodos):
    client.force_login(usuario_planificador)
    assert get(client, "actividades", fase="ejecucion", plan=plan.pk).context["pagina"].paginator.count == 2
    assert get(client, "actividades", fase="politica", plan=plan.pk).context["pagina"].paginator.count == 0
    assert get(client, "indicadores", mide="actividad", plan=plan.pk).context["pagina"].paginator.count == 2
    f.make_causa(plan.problemas.get(numero=2), plan.entidad_responsable, "a", "Causa del problema dos")
    assert [r[4] for r in get(client, "causas", plan=plan.pk, problema=2).context["filas"]] == ["Causa del problema dos"]
    assert get(client, "valores", periodo=periodos[0].pk).status_code == 200


def test_the_excel_export_holds_exactly_the_filtered_rows_and_no_formula(client, usuario_planificador, lineas, otro_plan):
    client.force_login(usuario_planificador)
    response = get(client, "presupuesto", plan=lineas.pk, formato="xlsx")
    assert response["Content-Disposition"].endswith('.xlsx"')
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = next(i for i, row in enumerate(ws.iter_rows(values_only=True), start=1) if row[0] == "Plan")
    rows = [row for row in ws.iter_rows(min_row=header + 1, values_only=True)]
    assert [r[3] for r in rows] == [1, 2, 3, 4, 5]  # the plan's five lines, not Cusco's
    formula_like = [ws.cell(row=header + 1 + i, column=6) for i in (2, 3, 4)]
    assert [c.value for c in formula_like] == ["=HYPERLINK(\"http://x\")", "+Talleres regionales", "@Pasajes"]
    assert all(c.data_type == "s" and c.quotePrefix for c in formula_like)  # text that never runs
    assert rows[2][8] == 1234.5 and rows[2][11] == 2469  # amounts are numbers; the total computed


def test_the_csv_export_escapes_formulas(client, usuario_planificador, lineas):
    client.force_login(usuario_planificador)
    response = get(client, "presupuesto", plan=lineas.pk, formato="csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Plan", "Entidad", "Nivel", "Orden"]
    descripciones = [r[5] for r in rows[1:]]
    assert descripciones[2:] == ["'=HYPERLINK(\"http://x\")", "'+Talleres regionales", "'@Pasajes"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert rows[3][8] == "1234.50"


def test_an_unknown_format_is_refused(client, usuario_planificador):
    client.force_login(usuario_planificador)
    response = get(client, "actividades", formato="pdfx")
    assert response.status_code == 400 and "use xlsx o csv" in response.content.decode()


@pytest.mark.parametrize("clave", ["actividades", "indicadores", "presupuesto", "causas", "valores"])
def test_a_list_page_costs_the_same_queries_for_few_or_many_rows(client, usuario_planificador, plan, mtpe, drtpe_puno,
                                                                   periodos, django_assert_num_queries, clave):
    from matrices.models import Causa, Indicador
    from seguimiento.models import ValorIndicador

    client.force_login(usuario_planificador)
    get(client, clave)  # warm the session
    f.make_causa(plan.problemas.get(numero=1), drtpe_puno, "z", "Una causa")
    ValorIndicador.objects.create(indicador=plan.indicadores.get(entidad=drtpe_puno), entidad=drtpe_puno, periodo=periodos[3], valor=1)

    def render():
        response = get(client, clave, plan=plan.pk)
        assert response.status_code == 200
        return len(response.context["filas"])

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as pocas:
        render()
    producto = plan.productos.get()
    Actividad.objects.bulk_create([Actividad(plan=plan, entidad=drtpe_puno, orden=i, producto=producto, descripcion=f"A{i}")
                                   for i in range(2, 80)])
    Indicador.objects.bulk_create([Indicador(plan=plan, entidad=drtpe_puno, orden=i, producto=producto, nombre=f"I{i}")
                                   for i in range(2, 80)])
    LineaPresupuesto.objects.bulk_create([LineaPresupuesto(plan=plan, entidad=drtpe_puno, orden=i, descripcion=f"L{i}",
                                                           costo_unitario=i, cantidad=1) for i in range(3, 80)])
    problema = plan.problemas.get(numero=1)
    Causa.objects.bulk_create([Causa(problema=problema, entidad=drtpe_puno, letra=chr(97 + i), texto="c") for i in range(25)])
    indicadores = list(plan.indicadores.filter(entidad=drtpe_puno).exclude(orden=1))
    ValorIndicador.objects.bulk_create([ValorIndicador(indicador=i, entidad=drtpe_puno, periodo=p, valor=1)
                                        for i in indicadores for p in periodos])
    with django_assert_num_queries(len(pocas.captured_queries)):
        assert render() >= 26
