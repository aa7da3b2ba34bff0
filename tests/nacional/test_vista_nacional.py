"""The national view (issue 12, item 2) on the demo plans of Cusco and Arequipa beside the seed
plan of Puno: the figures a planner reads per region and nationally, sorting and filters, the
drill-down, the PDF and the Excel file with the same figures, who may open it, and a fixed
number of queries whether 3 or 25 regional plans exist."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matrices.models import IndicadorCatalogo
from nacional import reports
from planes.management.commands.cargar_seed import seed_fixture_paths
from tests.nacional.factories import catalogo_conteos, plan_regional
from tests.report_helpers import norm, pdf_text, xlsx_header, xlsx_rows, NAVEGACION_PLANIFICADOR

pytestmark = pytest.mark.django_db

URL = "/nacional/?anio=2015&periodo=trimestral-4"


@pytest.fixture
def demo(db):
    """Every demo file (fixtures/demo/, as `cargar_seed --demo` loads them): Puno's follow-up of
    2015 and the demo plans of Cusco and Arequipa."""
    call_command("loaddata", *[str(p) for p in seed_fixture_paths(demo=True) if p.parent.name == "demo"], verbosity=0)


def _filas(html: str) -> dict[str, str]:
    """Each region row's text, by entity code."""
    out = {}
    for codigo, cuerpo in re.findall(r'<tr class="region" data-entidad="([^"]+)"[^>]*>(.*?)</tr>', html, re.S):
        out[codigo] = norm(re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", "", cuerpo, flags=re.S)))
    return out


def _celda(html: str, entidad: str, entrada: str) -> str:
    fila = re.search(rf'<tr class="region" data-entidad="{entidad}"[^>]*>(.*?)</tr>', html, re.S).group(1)
    celda = re.search(rf'<td class="celda" data-entrada="{entrada}"[^>]*>(.*?)</td>', fila, re.S).group(1)
    return norm(re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", "", celda, flags=re.S)))


def test_regions_side_by_side_with_value_target_achievement_and_light(client, usuario_planificador, demo):
    client.force_login(usuario_planificador)
    html = client.get(URL).content.decode()
    assert _celda(html, "drtpe-cusco", "servidores-capacitados") == "6 Meta: 8 75.0% Por debajo"
    assert _celda(html, "grtpe-arequipa", "servidores-capacitados") == "8 Meta: 8 100.0% En meta"
    # Puno (the seed plan) has a target for the quarter and no value filed yet.
    assert _celda(html, "drtpe-puno", "servidores-capacitados") == "Sin valor Meta: 5 Sin datos"
    assert _celda(html, "drtpe-cusco", "personas-beneficiadas-promocion-empleo") == "31.50 Meta: 35.00 90.0% En meta"
    # The level filter is regional by default: MTPE's own indicator is not a region's.
    assert set(_filas(html)) == {"drtpe-puno", "drtpe-cusco", "grtpe-arequipa"}


def test_the_national_figure_follows_each_entrys_rule(client, usuario_planificador, demo):
    client.force_login(usuario_planificador)
    html = client.get(URL).content.decode()
    fila = norm(re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", "", re.search(r'<tr class="total" id="fila-nacional">(.*?)</tr>', html, re.S).group(1), flags=re.S)))
    # Counts add up (6 + 8 against 5 + 8 + 8: Puno's unreported quarter adds a target, no value).
    assert "Total nacional 14 Meta: 21 66.7% Por debajo" in fila
    # A percentage is averaged: (31.50 + 35.00) / 2 against 35.00.
    assert "Promedio nacional 33.25 Meta: 35.00 95.0% En meta" in fila
    # Weighted by each region's servidores capacitados: (70.20 x 6 + 78.00 x 8) / 14 = 74.66.
    assert "Promedio ponderado nacional 74.66 Meta: 78.00 95.7% En meta" in fila


def test_filing_and_budget_per_region(client, usuario_planificador, demo):
    client.force_login(usuario_planificador)
    filas = _filas(client.get(URL).content.decode())
    assert "5 de 5 (100.0%) Enviado a tiempo (10/01/2016)" in filas["drtpe-cusco"]
    assert "Enviado con retraso (21/01/2016): 6 días después del plazo" in filas["grtpe-arequipa"]
    assert "0 de 3 (0.0%) Pendiente" in filas["drtpe-puno"]
    assert "S/ 15,400.00" in filas["drtpe-cusco"] and "S/ 12,165.97 / S/ 15,399.96" in filas["drtpe-cusco"]


def test_sorting_by_achievement_and_filtering_by_light(client, usuario_planificador, demo):
    client.force_login(usuario_planificador)
    orden = list(_filas(client.get(URL + "&orden=logro").content.decode()))
    assert orden == ["grtpe-arequipa", "drtpe-cusco", "drtpe-puno"]  # Puno has no % achieved: last
    orden = list(_filas(client.get(URL + "&orden=logro_asc").content.decode()))
    assert orden == ["drtpe-cusco", "grtpe-arequipa", "drtpe-puno"]
    filas = _filas(client.get(URL + "&indicador=servidores-capacitados&semaforo=debajo").content.decode())
    assert list(filas) == ["drtpe-cusco"]


def test_each_cell_drills_down_to_the_regions_plan(client, usuario_planificador, demo, seed_plan):
    client.force_login(usuario_planificador)
    html = client.get(URL).content.decode()
    enlace = re.search(r'data-entidad="drtpe-puno".*?<td class="celda" data-entrada="servidores-capacitados"[^>]*><a href="([^"]+)"',
                       html, re.S).group(1).replace("&amp;", "&")
    periodo = seed_plan.periodos.get(anio=2015, numero=4)
    assert enlace == f"/planes/{seed_plan.pk}/evaluacion/{periodo.pk}/?entidad=drtpe-puno"
    assert client.get(enlace).status_code == 200


def test_the_pdf_and_the_excel_hold_the_same_figures(client, usuario_planificador, demo):
    client.force_login(usuario_planificador)
    pdf = client.get(URL + "&formato=pdf")
    assert pdf["Content-Disposition"].endswith('nacional-2015-trimestral-4_' + pdf["Content-Disposition"][-15:])
    texto = pdf_text(pdf.content)
    assert "Vista nacional: T4 2015" in texto
    for cifra in ("75.0%", "66.7%", "74.66", "S/ 15,400.00", "Enviado con retraso (21/01/2016)", "Demostración"):
        assert cifra in texto, cifra
    xlsx = client.get(URL + "&formato=xlsx").content
    filas = {r[0]: r for r in xlsx_rows(xlsx, "Vista nacional")}
    col = xlsx_header(xlsx, "Vista nacional").index("Nº de servidores capacitados: valor")
    cusco = filas["Dirección Regional de Trabajo y Promoción del Empleo del Cusco"]
    assert cusco[col:col + 4] == [6, 8, 75, "Por debajo"]
    assert cusco[3] == "Sí"  # demo
    assert filas["Nacional"][col:col + 2] == [14, 21]
    nacional = {r[0]: r for r in xlsx_rows(xlsx, "Cifra nacional")}
    assert nacional["servidores-aprueban-evaluacion"][5:8] == ["Promedio ponderado nacional", pytest.approx(74.657, abs=0.01), 78]


def test_a_bad_filter_is_a_clear_400(client, usuario_planificador, demo):
    client.force_login(usuario_planificador)
    response = client.get(URL + "&semaforo=verde")
    assert response.status_code == 400
    assert "Semáforo «verde» no existe" in response.content.decode()


def test_regional_staff_are_refused_the_national_view(client, usuario_puno):
    client.force_login(usuario_puno)
    response = client.get(URL)
    assert response.status_code == 403
    assert "la vista nacional compara todas las regiones" in response.content.decode()
    assert client.get(URL + "&formato=xlsx").status_code == 403


@pytest.mark.parametrize("formato", ["", "&formato=xlsx", "&formato=pdf"])
def test_a_fixed_number_of_queries_with_3_or_25_regional_plans(client, usuario_planificador, pdf_layout_skipped, formato):
    entradas = catalogo_conteos(4)
    client.force_login(usuario_planificador)
    for n in range(1, 4):
        plan_regional(n, entradas=entradas)
    client.get(URL + formato)  # per-process caches (content types) out of the count
    with CaptureQueriesContext(connection) as pocas:
        r = client.get(URL + formato)
    assert r.status_code == 200
    if not formato:
        assert len(_filas(r.content.decode())) == 3
    for n in range(4, 26):
        plan_regional(n, entradas=entradas)
    with CaptureQueriesContext(connection) as muchas:
        r = client.get(URL + formato)
    assert r.status_code == 200
    if not formato:
        assert len(_filas(r.content.decode())) == 25
    assert len(muchas) == len(pocas)
    # Session and user, the user's roles, the filters' periods and catalogue choices, the
    # report's 7, and on the page the navigation.
    assert len(pocas) == {"": 12 + NAVEGACION_PLANIFICADOR, "&formato=xlsx": 12, "&formato=pdf": 12}[formato], [q["sql"][:150] for q in pocas.captured_queries]


def test_the_data_function_loads_seven_queries(usuario_planificador, django_assert_num_queries):
    entradas = catalogo_conteos(2)
    for n in range(1, 4):
        plan_regional(n, entradas=entradas)
    usuario_planificador._amc_roles = frozenset({"Planificadores"})
    with django_assert_num_queries(7):
        data = reports.vista_nacional(user=usuario_planificador, anio=2015, frecuencia="trimestral", numero=4, nivel="GR")
    assert {f.entidad.codigo for f in data.filas} >= {"prueba-region-1", "prueba-region-3"}
    fila = next(f for f in data.filas if f.entidad.codigo == "prueba-region-1")
    # 4 indicators over 2 entries: entry 0 sums indicators 1 and 3 (targets 10 + 12, values 9 + 11).
    celda = fila.celdas[entradas[0].pk]
    assert (celda.valor, celda.meta, celda.indicadores) == (Decimal("20"), Decimal("22"), 2)
    assert fila.programado == Decimal("2000.00") and fila.devengado == Decimal("960.00")
    assert IndicadorCatalogo.objects.count() >= 2


def test_the_excel_file_is_made_by_the_background_worker(client, usuario_planificador, demo, settings, tmp_path,
                                                          django_capture_on_commit_callbacks):
    from django.urls import reverse

    from amc.models import Exportacion

    settings.AMC_EXPORTACIONES_EN_SEGUNDO_PLANO = True
    settings.MEDIA_ROOT = tmp_path
    client.force_login(usuario_planificador)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get(URL + "&formato=xlsx")
    exp = Exportacion.objects.get(usuario=usuario_planificador)
    assert r.status_code == 302 and r["Location"] == reverse("exportacion", args=[exp.pk])
    assert (exp.estado, exp.titulo) == ("lista", "Vista nacional: T4 2015")
    archivo = client.get(reverse("exportacion_archivo", args=[exp.pk]))
    assert "nacional-2015-trimestral-4_" in archivo["Content-Disposition"]
    contenido = b"".join(archivo.streaming_content)
    filas = {r[0]: r for r in xlsx_rows(contenido, "Vista nacional")}
    assert filas["Nacional"][4:6] == [pytest.approx(33.25), 35]
