"""seguimiento/reports.py: % achieved and cumulative figures by each indicator's rule, the
traffic light, budget execution, completeness; the page, PDF and Excel of the tracking report
and the dashboard read back; a fixed number of queries."""
import datetime
import io
from decimal import Decimal

import openpyxl
import pdfplumber
import pytest
from django.urls import reverse
from django.utils import timezone

from seguimiento import reports, services
from seguimiento.models import EjecucionPresupuestal, ValorIndicador
from seguimiento.services import AvanceInput, ValorInput
from tests import factories as f
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db
D = Decimal


# --- the rules ---------------------------------------------------------------------------

def test_summed_indicator_adds_values_and_targets_up():
    acumulados, metas, total = reports.acumular("suma", [D(10), D(20), D(30)], [D(8), None, D(25)])
    assert acumulados == [D(8), D(8), D(33)] and metas == [D(10), D(30), D(60)] and total == D(33)


def test_last_value_indicator_keeps_the_latest_value():
    acumulados, metas, total = reports.acumular("ultimo", [D(2), D(4), None], [D(1), D(3), None])
    assert acumulados == [D(1), D(3), D(3)] and metas == [D(2), D(4), D(4)] and total == D(3)


def test_non_cumulative_indicator_has_no_cumulative_figure_and_averages_the_year():
    acumulados, metas, total = reports.acumular("no_acumulativo", [D(80), D(80)], [D(70), D(90)])
    assert acumulados == [None, None] and metas == [None, None] and total == D(80)


@pytest.mark.parametrize("actual, meta, esperado", [
    (85, 100, "en_meta"), (D("84.9"), 100, "debajo"), (115, 100, "en_meta"), (D("115.1"), 100, "encima"),
    (0, 0, "en_meta"), (3, 0, "encima"), (None, 100, None), (5, None, None),
])
def test_traffic_light_is_on_track_within_15_percent(actual, meta, esperado):
    assert reports.semaforo(actual, meta) == esperado


def test_percent_achieved_is_actual_over_target():
    assert reports.logro(D(45), D(60)) == D("0.75")
    assert reports.logro(D(45), D(0)) is None and reports.logro(None, D(3)) is None


# --- the report's figures -----------------------------------------------------------------------

def _esc_con_reglas():
    """Three Puno indicators, one per rule, yearly target 100, quarterly targets 25 / 50 / 100 %;
    values for the first two quarters (submitted, then approved)."""
    esc = sf.escenario(n_indicadores=3, n_actividades=1)
    suma, ultimo, no_acum = esc.indicadores
    ultimo.agregacion, no_acum.agregacion = "ultimo", "no_acumulativo"
    ultimo.save(), no_acum.save()
    t1, t2 = esc.periodos[:2]
    for ind, metas in ((suma, (25, 25)), (ultimo, (40, 60)), (no_acum, (80, 80))):
        sf.meta_periodo(ind, t1, metas[0]), sf.meta_periodo(ind, t2, metas[1])
    for periodo, valores, avance in ((t1, (20, 30, 90), 30), (t2, (30, 55, 60), 70)):
        services.entrega_save(
            periodo=periodo, entidad=esc.puno, user=esc.users["puno"], enviar=True,
            valores={i.pk: ValorInput(valor=D(v), evidencia_url="https://example.org/a") for i, v in zip(esc.indicadores, valores)},
            avances={esc.actividades[0].pk: AvanceInput(situacion="en_proceso", avance_fisico=D(avance))},
        )
    services.entrega_approve(periodo=t1, entidad=esc.puno, user=esc.users["mtpe"])
    return esc


def test_tracking_report_figures_follow_each_rule(db):
    esc = _esc_con_reglas()
    data = reports.seguimiento(plan=esc.plan, anio=esc.periodo.anio)
    suma, ultimo, no_acum = data.indicadores
    t1, t2 = suma.celdas[:2]
    assert (t1.valor, t1.meta, t1.logro, t1.semaforo, t1.estado) == (D(20), D(25), D("0.8"), "debajo", "aprobado")
    assert (t2.acumulado, t2.meta_acumulada, t2.logro_acumulado, t2.estado) == (D(50), D(50), D(1), "enviado")
    # The year so far: 50 against the 50 expected by the second quarter, half the yearly 100.
    assert (suma.total, suma.meta_a_la_fecha, suma.logro, suma.semaforo) == (D(50), D(50), D(1), "en_meta")
    assert suma.logro_anual == D("0.5")
    assert [c.acumulado for c in ultimo.celdas[:3]] == [D(30), D(55), D(55)]
    assert ultimo.celdas[1].logro_acumulado == D(55) / D(60) and ultimo.total == D(55)
    assert (ultimo.meta_a_la_fecha, ultimo.semaforo, ultimo.logro_anual) == (D(60), "en_meta", D("0.55"))
    assert [c.acumulado for c in no_acum.celdas[:2]] == [None, None]
    assert no_acum.celdas[0].semaforo == "en_meta" and no_acum.celdas[1].semaforo == "debajo"
    assert (no_acum.total, no_acum.meta_a_la_fecha, no_acum.logro, no_acum.logro_anual) == (D(75), D(80), D("0.9375"), D("0.75"))
    actividad = data.actividades[0]
    assert actividad.avance_fisico == D("0.7")


def test_without_period_targets_the_year_is_judged_against_the_yearly_target(db):
    esc = sf.escenario(n_indicadores=1, n_actividades=0)
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], enviar=True,
                          valores={esc.indicadores[0].pk: ValorInput(valor=D(40), evidencia_url="https://example.org/a")})
    fila = reports.seguimiento(plan=esc.plan, anio=esc.periodo.anio).indicadores[0]
    assert (fila.meta_a_la_fecha, fila.logro, fila.semaforo) == (D(100), D("0.4"), "debajo")


def test_budget_execution_gives_financial_and_physical_progress(db):
    esc = _esc_con_reglas()
    linea = f.make_linea(esc.plan, esc.puno, 1, costo="1000", cantidad="4")
    linea.actividad = esc.actividades[0]
    linea.save()
    for mes, pim, dev in ((1, 2000, 500), (2, 2000, 1000)):
        EjecucionPresupuestal.objects.create(linea=linea, anio=esc.periodo.anio, mes=mes, pim=D(pim), certificado=D(pim), devengado=D(dev))
    data = reports.seguimiento(plan=esc.plan, anio=esc.periodo.anio)
    fila = data.entidades[0].presupuesto[0]
    assert (fila.programado, fila.pim, fila.devengado) == (D(4000), D(4000), D(1500))
    assert fila.avance_financiero == D("0.375") and fila.avance_fisico == D("0.7")
    assert data.total_presupuesto.avance_financiero == D("0.375")


def test_completeness_says_on_time_late_or_missing(db):
    esc = _esc_con_reglas()
    t1, t2 = esc.periodos[:2]
    tarde = timezone.make_aware(datetime.datetime.combine(t2.entrega_hasta + datetime.timedelta(days=3), datetime.time(10)))
    ValorIndicador.objects.filter(periodo=t2).update(enviado_en=tarde)
    data = reports.seguimiento(plan=esc.plan, anio=esc.periodo.anio, hoy=esc.periodos[3].entrega_hasta + datetime.timedelta(days=1))
    celdas = {p.numero: c[0] for p, c in data.cumplimiento}
    assert celdas[1].situacion == "a_tiempo" and celdas[1].etiqueta.endswith("· aprobado")
    assert celdas[2].situacion == "tarde" and "Enviado con retraso" in celdas[2].etiqueta
    assert celdas[3].situacion == "no_presentado" and celdas[3].etiqueta == "No presentado (plazo vencido)"


def test_the_report_costs_the_same_queries_for_any_size(db, django_assert_num_queries):
    pequeno = _esc_con_reglas()
    grande = sf.escenario(n_indicadores=15, n_actividades=6, extra_regiones=4, frecuencia="mensual", usuarios=False)
    for i in range(1, 6):
        f.make_linea(grande.plan, grande.puno, i, costo="10", cantidad="1")
    for periodo in grande.periodos[:4]:
        for ind in grande.indicadores:
            sf.meta_periodo(ind, periodo, 5)
        services.entrega_save(periodo=periodo, entidad=grande.puno, user=pequeno.users["puno"], enviar=True,
                              valores={i.pk: ValorInput(valor=D(4), evidencia_url="https://example.org/a")
                                       for i in grande.indicadores if i.entidad_id == grande.puno.pk})
    with django_assert_num_queries(17) as small:  # 12 + what is due (registros.exigidos: 5)
        reports.seguimiento(plan=pequeno.plan, anio=pequeno.periodo.anio)
    with django_assert_num_queries(len(small.captured_queries)):
        data = reports.seguimiento(plan=grande.plan, anio=grande.periodo.anio)
    assert len(data.indicadores) == 75 and len(data.periodos) == 12


# --- rendered ---------------------------------------------------------------------------------------

def _url(esc, name, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse(f"seguimiento:{name}", args=[esc.plan.pk]) + (f"?{query}" if query else "")


def test_page_pdf_and_excel_show_the_same_values_and_percentages(client, db):
    esc = _esc_con_reglas()
    client.force_login(esc.users["planificador"])
    body = client.get(_url(esc, "reporte")).content.decode()
    assert "Servidores capacitados 1 (DRTPE Puno)" in body and "80.0%" in body and "Por debajo" in body and "En meta" in body
    assert "por revisar" in body  # the second quarter is not reviewed yet

    response = client.get(_url(esc, "reporte", formato="pdf"))
    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        texto = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Servidores capacitados 1 (DRTPE Puno)" in texto
    assert "80.0%" in texto and "50.0%" in texto and "Por debajo" in texto

    response = client.get(_url(esc, "reporte", formato="xlsx"))
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Indicadores", "Indicadores por periodo", "Actividades", "Ejecución presupuestal", "Cumplimiento"]
    filas = [r for r in wb["Indicadores"].iter_rows(values_only=True) if r and r[2] == "Servidores capacitados 1 (DRTPE Puno)"]
    assert filas[0][5:11] == (100, 50, 50, 100, 50, "En meta")
    detalle = [r for r in wb["Indicadores por periodo"].iter_rows(values_only=True)
               if r and r[2] == "Servidores capacitados 1 (DRTPE Puno)" and r[3] and r[3].startswith("I trimestre")]
    assert detalle[0][4:7] == (25, 20, "Aprobado") and detalle[0][9] == 80


def test_dashboard_draws_svg_charts_on_the_page_and_in_the_pdf(client, db):
    esc = _esc_con_reglas()
    client.force_login(esc.users["planificador"])
    body = client.get(_url(esc, "tablero")).content.decode()
    assert body.count("<svg class=\"grafico\"") == 3 and "<svg class=\"barra\"" in body
    assert 'aria-label="Indicadores en meta: 100.0%"' in body  # all 3 on track to date
    response = client.get(_url(esc, "tablero", formato="pdf"))
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        texto = "\n".join(page.extract_text() or "" for page in pdf.pages)
        rects = sum(len(page.rects) for page in pdf.pages)
    # SVG text comes back without its spaces: compare without them.
    assert "Valorreportado" in texto.replace(" ", "") and "Indicadores en meta" in texto
    assert rects > 6  # the bars are drawn


def test_a_year_that_does_not_exist_is_a_400_naming_the_choices(client, db):
    esc = _esc_con_reglas()
    client.force_login(esc.users["planificador"])
    response = client.get(_url(esc, "reporte", anio=1999))
    assert response.status_code == 400 and f"Valores posibles: {esc.periodo.anio}" in response.content.decode()
