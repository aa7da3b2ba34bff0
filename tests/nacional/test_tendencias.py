"""Trends (issue 12, item 6): per catalogue indicator and entity, the year's figure and target
across years and plans, in a line chart on the page and in the PDF; a region's staff read
their own plans' entities only."""
from __future__ import annotations

import re

import pytest

from tests.nacional.test_vista_nacional import demo  # noqa: F401  (every demo file loaded)
from tests.report_helpers import norm, pdf_text, xlsx_rows
from tests import factories as f
from amc.access import Rol
from planes.models import Entidad

pytestmark = pytest.mark.django_db

URL = "/nacional/tendencias/?indicador=servidores-capacitados"


def _fila(html, entidad):
    cuerpo = re.search(rf'<tr data-entidad="{entidad}">(.*?)</tr>', html, re.S).group(1)
    return norm(re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", "", cuerpo, flags=re.S)))


def test_the_years_figure_and_target_per_entity(client, usuario_planificador, demo):  # noqa: F811
    client.force_login(usuario_planificador)
    html = client.get(URL).content.decode()
    # Cusco 2015: its quarters' values summed (the indicator's rule), against the yearly target 40.
    assert _fila(html, "drtpe-cusco") == ("DRTPE Cusco Demostración 41 Meta: 40 102.5% En meta 46 Meta: 48 95.8% En meta "
                                         "54 Meta: 56 96.4% En meta")
    # Puno (the seed plan, 2015 only): five linked indicators, their values of I-III summed.
    assert _fila(html, "drtpe-puno").startswith("DRTPE Puno 21 Meta: 30 70.0% Por debajo")
    assert 'class="grafico grafico-tendencias"' in html and "<polyline" in html
    assert "Valor DRTPE Cusco (demo) 2016: 46" in html  # the chart's points carry their figures


def test_the_pdf_draws_the_chart_and_the_excel_has_the_rows(client, usuario_planificador, demo):  # noqa: F811
    client.force_login(usuario_planificador)
    pdf = client.get(URL + "&formato=pdf").content
    texto = pdf_text(pdf)
    assert "102.5%" in texto
    # The chart, drawn by WeasyPrint (pdfplumber reads its SVG text without spaces).
    assert "DRTPECusco(demo):valor(líneacontinua)" in texto.replace(" ", "")
    filas = xlsx_rows(client.get(URL + "&formato=xlsx").content, "Tendencias")
    cusco = [r for r in filas if r[0].endswith("del Cusco")]
    assert [(r[1], r[2], r[3]) for r in cusco] == [(2015, 41, 40), (2016, 46, 48), (2017, 54, 56)]


def test_a_region_reads_its_own_plans_only(client, demo):  # noqa: F811
    cusco = f.make_user(Rol.REGIONAL, Entidad.objects.get(codigo="drtpe-cusco"), username="t-cusco")
    client.force_login(cusco)
    html = client.get(URL).content.decode()
    assert 'data-entidad="drtpe-cusco"' in html
    assert "drtpe-puno" not in html and "Arequipa" not in html
    response = client.get(URL + "&entidad=drtpe-puno")  # a forged link to another region
    assert response.status_code == 400
    assert "Entidad «drtpe-puno» no existe" in response.content.decode()
    assert "Puno" not in response.content.decode().split("Valores posibles:")[1]


def test_trends_load_five_queries_with_3_or_25_plans(usuario_planificador, django_assert_num_queries):
    from nacional import reports
    from tests.nacional.factories import catalogo_conteos, plan_regional

    entradas = catalogo_conteos(2)
    usuario_planificador._amc_roles = frozenset({Rol.PLANIFICADOR})
    for n in range(1, 4):
        plan_regional(n, entradas=entradas)
    with django_assert_num_queries(5):
        pocas = reports.tendencias(user=usuario_planificador, entrada=entradas[0])
    for n in range(4, 26):
        plan_regional(n, entradas=entradas)
    with django_assert_num_queries(5):
        muchas = reports.tendencias(user=usuario_planificador, entrada=entradas[0])
    assert (len(pocas.series), len(muchas.series)) == (3, 25)
    # Two indicators of the entry per region (1st and 3rd): 4 quarters x (9 + 11), yearly targets 40 + 48.
    punto = muchas.series[0].puntos[0]
    assert (punto.anio, punto.valor, punto.meta) == (2015, 80, 88)
