"""The Gantt chart (cronograma.reports + the page, the PDF and the Excel file): the delay from
the follow-up, the filters, the same activities and months in the three formats, the
demonstration mark, and a fixed number of queries whatever the plan's size."""
import datetime
from decimal import Decimal as D

import pytest

from amc.access import Rol
from cronograma import reports
from tests import factories as f
from tests.cronograma import factories as cf
from tests.cronograma.helpers import html_gantt, norm, pdf_page_sizes, pdf_pages, xlsx, xlsx_table
from tests.report_helpers import NAVEGACION_PLANIFICADOR

pytestmark = pytest.mark.django_db

CORTE = datetime.date(2015, 6, 15)


@pytest.fixture
def chart(esc):
    """Puno: talleres March-August (6, one a month), 20% reported in the second quarter: 4 of 6
    programmed by June (66.7%), 46.7 points behind. The rector: a directive January-June,
    reported done. A third activity without schedule."""
    cf.make_cronograma(esc.act_puno, (2015, 3), (2015, 8), "6", meses=cf.parejo((2015, 3), 6, 6, 1200),
                       hitos=[("Primer taller", (2015, 3))])
    cf.make_cronograma(esc.act_rector, (2015, 1), (2015, 6), "1", unidad="directiva", meses={(2015, 6): 1})
    sin = cf.make_actividad(esc.plan, esc.puno, 2, "Difusión radial", producto=esc.producto)
    t2 = cf.make_periodo(esc.plan, numero=2)
    t1 = cf.make_periodo(esc.plan, numero=1)
    cf.reportar(esc.act_puno, t1, 10)
    cf.reportar(esc.act_puno, t2, 20)
    cf.reportar(esc.act_rector, t2, 100)
    esc.sin = sin
    return esc


def _fila(data, actividad):
    return next(f for f in data.filas if f.actividad.pk == actividad.pk)


def test_delay_is_programmed_to_date_against_the_latest_reported_progress(chart):
    data = reports.cronograma(plan=chart.plan, hoy=CORTE)
    puno = _fila(data, chart.act_puno)
    assert puno.programado.quantize(D("0.1")) == D("66.7")
    assert puno.avance == D(20)  # the second quarter's report, not the first's
    assert (puno.retraso, puno.retrasada) == (D("46.7"), True)
    assert puno.retraso_texto == "Retrasada 46.7 pts"
    rector = _fila(data, chart.act_rector)
    assert (rector.programado, rector.avance, rector.retrasada, rector.retraso_texto) == (D(100), D(100), False, "Al día")
    sin = _fila(data, chart.sin)
    assert (sin.programado, sin.retraso, sin.inicio_fin) == (None, None, "Sin cronograma")
    assert data.retrasadas == 1


def test_drafts_and_later_periods_do_not_count_as_progress(chart):
    t3 = cf.make_periodo(chart.plan, numero=3)
    cf.reportar(chart.act_puno, t3, 90)  # begins after the cut-off
    t2_mensual = cf.make_periodo(chart.plan, frecuencia="mensual", numero=6)
    cf.reportar(chart.act_puno, t2_mensual, 80, estado="borrador")
    assert _fila(reports.cronograma(plan=chart.plan, hoy=CORTE), chart.act_puno).avance == D(20)


def test_nothing_reported_counts_as_zero(esc):
    cf.make_cronograma(esc.act_puno, (2015, 1), (2015, 2), "2", meses={(2015, 1): 1, (2015, 2): 1})
    fila = _fila(reports.cronograma(plan=esc.plan, hoy=datetime.date(2015, 1, 10)), esc.act_puno)
    assert (fila.programado, fila.avance, fila.retraso, fila.situacion_label) == (D(50), None, D("50.0"), "Sin avance reportado")


def test_the_cells_draw_the_span_the_actual_progress_and_the_milestones(chart):
    data = reports.cronograma(plan=chart.plan, hoy=CORTE)
    assert len(data.columnas) == 24 and [c.es_hoy for c in data.columnas].index(True) == 5
    celdas = _fila(data, chart.act_puno).celdas
    assert [c.en_plan for c in celdas[:9]] == [False, False, True, True, True, True, True, True, False]
    # 20% of six months: all of March and a fifth of April.
    assert [c.real for c in celdas[2:5]] == [100, 20, 0]
    assert celdas[2].hitos == ["Primer taller"] and celdas[2].meta == D(1) and celdas[2].monto == D(200)


def test_filters_by_level_entity_status_and_delay(chart):
    def ordenes(**kw):
        return [(f.entidad.codigo, f.orden) for f in reports.cronograma(plan=chart.plan, hoy=CORTE, **kw).filas]

    puno = chart.puno.codigo
    assert ordenes(nivel="GR") == [(puno, 1), (puno, 2)]
    assert ordenes(entidad=chart.rector.codigo) == [(chart.rector.codigo, 1)]
    assert ordenes(situacion="concluida") == [(chart.rector.codigo, 1)]
    assert ordenes(situacion="sin_reporte") == [(puno, 2)]
    assert ordenes(solo_retrasadas=True) == [(puno, 1)]
    assert ordenes(nivel="GN", solo_retrasadas=True) == []


def test_what_does_not_add_up_is_shown_as_a_warning(esc):
    cf.make_cronograma(esc.act_puno, (2015, 3), (2015, 4), "4", meses={(2015, 3): (1, 100)})
    avisos = _fila(reports.cronograma(plan=esc.plan, hoy=CORTE), esc.act_puno).avisos
    assert avisos == ["Falta programar 3 de la meta física (programado 1 de 4).",
                      "Falta programar S/\u00a01,100.00 del presupuesto (programado S/\u00a0100.00 de S/\u00a01,200.00)."]


def test_a_budget_lowered_after_programming_shows_the_excess(esc):
    cf.make_cronograma(esc.act_puno, (2015, 3), (2015, 3), "1", meses={(2015, 3): (1, 1200)})
    esc.act_puno.lineas_presupuesto.update(costo_unitario=D("1000"))
    avisos = _fila(reports.cronograma(plan=esc.plan, hoy=CORTE), esc.act_puno).avisos
    assert "sobran S/\u00a0200.00" in avisos[0]


# --- the three formats --------------------------------------------------------------------------

URL = "/planes/{}/cronograma/?hoy=2015-06-15&nivel=GR&retrasadas=si"


@pytest.fixture
def planificador(mtpe):
    return f.make_user(Rol.PLANIFICADOR, mtpe)


def test_page_pdf_and_excel_hold_the_same_activities_and_months(client, chart, planificador):
    client.force_login(planificador)
    url = URL.format(chart.plan.pk)

    page = client.get(url)
    assert page.status_code == 200
    filas, meses = html_gantt(page.content)
    assert [textos[0] for _, textos, _ in filas] == ["1. Talleres de orientación vocacional"]
    assert meses == ["Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Set", "Oct", "Nov", "Dic"] * 2
    _, textos, clases = filas[0]
    assert textos[1:6] == ["Mar 2015 – Ago 2015", "6 talleres", "66.7%", "20.0% En proceso · T2 2015", "Retrasada 46.7 pts"]
    assert ["p" in c.split() for c in clases[6:18]] == [False, False] + [True] * 6 + [False] * 4
    html = page.content.decode()
    assert 'href="?hoy=2015-06-15&amp;nivel=GR&amp;retrasadas=si&amp;formato=pdf"' in html

    pdf = client.get(url + "&formato=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert f'{chart.plan.codigo}_cronograma_' in pdf["Content-Disposition"]
    paginas = [norm(p) for p in pdf_pages(pdf.content)]
    assert all(round(w) == 1191 and round(h) == 842 for w, h in pdf_page_sizes(pdf.content))  # A3 landscape
    texto = " ".join(paginas)
    assert "Talleres de orientación vocacional" in texto and "Difusión radial" not in texto
    assert "Directiva de gestión descentralizada" not in texto
    assert "Retrasada 46.7" in texto
    # One table per year: the activity (March-August 2015) is in 2015's; 2016's says it is empty.
    anio_2015 = next(p for p in paginas if "% avance 2015" in p and "Ene Feb Mar Abr May Jun Jul Ago Set Oct Nov Dic" in p)
    anio_2016 = next(p for p in paginas if "% avance 2016" in p and "Ene Feb Mar Abr May Jun Jul Ago Set Oct Nov Dic" in p)
    assert "Talleres de orientación vocacional" in anio_2015
    assert "Ninguna actividad programada en 2016" in anio_2016

    libro = client.get(url + "&formato=xlsx")
    ws = xlsx(libro.content)["Cronograma"]
    header, rows = xlsx_table(ws)
    assert header[:2] == ["N°", "Actividad"]
    assert header[11:] == [f"{m}\n{a}" for a in (2015, 2016) for m in meses[:12]]
    actividades = [r for r in rows if isinstance(r[0].value, int)]
    assert [r[1].value for r in actividades] == ["Talleres de orientación vocacional"]
    fila = actividades[0]
    assert [c.fill.fgColor.rgb[-6:] == "9CC3E6" for c in fila[11:23]] == [False, False] + [True] * 6 + [False] * 4
    assert [c.value for c in fila[11:20]] == [None, None, 1, 1, 1, 1, 1, 1, None]
    assert [c.value for c in fila[6:9]] == [66.7, 20, 46.7]
    assert ws.freeze_panes == f"C{ws[ws.freeze_panes].row}"  # N° and the names stay on screen
    assert [c.value for c in xlsx(libro.content)["Hitos"][5]][3:5] == ["Primer taller", "Mar 2015"]


def test_the_pdf_splits_a_long_schedule_by_year_repeating_header_and_names(client, esc, planificador):
    largo = cf.make_actividad(esc.plan, esc.puno, 2, "Asistencia técnica de octubre a marzo", producto=esc.producto)
    cf.make_cronograma(largo, (2015, 10), (2016, 3), "6", meses=cf.parejo((2015, 10), 6, 6))
    for i in range(40):  # enough rows for several pages a year
        a = cf.make_actividad(esc.plan, esc.puno, 10 + i, f"Actividad de relleno número {i}", producto=esc.producto)
        cf.make_cronograma(a, (2015, 1), (2016, 12), "24")
    client.force_login(planificador)
    paginas = [norm(p) for p in pdf_pages(client.get(f"/planes/{esc.plan.pk}/cronograma/?formato=pdf").content)]
    # The year heads the month columns, on the header's first line ("... % avance 2015").
    de_2015 = [p for p in paginas if "% avance 2015" in p]
    de_2016 = [p for p in paginas if "% avance 2016" in p]
    assert len(de_2015) >= 2 and len(de_2016) >= 2
    # Every page of a year's table repeats the header (months) and carries its activities' names.
    assert all("Ene Feb Mar Abr May Jun Jul Ago Set Oct Nov Dic" in p and "Actividad de relleno" in p for p in de_2015 + de_2016)
    assert any("Asistencia técnica de octubre a marzo" in p for p in de_2015)
    assert any("Asistencia técnica de octubre a marzo" in p for p in de_2016)
    assert not any("Talleres de orientación vocacional" in p for p in de_2016)  # no schedule: in the first year only
    assert any("Talleres de orientación vocacional" in p for p in de_2015)


def test_a_bad_filter_is_a_400_that_says_why(client, chart, planificador):
    client.force_login(planificador)
    r = client.get(f"/planes/{chart.plan.pk}/cronograma/?hoy=30-06-2015")
    assert r.status_code == 400 and "no es una fecha" in r.content.decode()
    r = client.get(f"/planes/{chart.plan.pk}/cronograma/?situacion=perdida")
    assert r.status_code == 400 and "Situación «perdida» no existe" in r.content.decode()


def test_today_defaults_to_lima_and_the_cut_off_is_offered(client, chart, planificador, monkeypatch):
    monkeypatch.setattr(reports, "hoy_lima", lambda: datetime.date(2015, 4, 10))
    client.force_login(planificador)
    html = client.get(f"/planes/{chart.plan.pk}/cronograma/").content.decode()
    assert "al 10/04/2015" in html and 'value="2015-06-30"' in html


def test_the_chart_is_only_for_those_who_may_read_the_plan(client, chart):
    otra = f.make_entidad("GR")
    client.force_login(f.make_user(Rol.REGIONAL, otra))
    assert client.get(f"/planes/{chart.plan.pk}/cronograma/").status_code == 404
    client.force_login(f.make_user(Rol.REGIONAL, chart.puno))
    assert client.get(f"/planes/{chart.plan.pk}/cronograma/").status_code == 200


def test_a_demonstration_schedule_says_so(client, esc, planificador):
    cf.make_cronograma(esc.act_puno, (2015, 3), (2015, 4), "2", demostracion=True)
    client.force_login(planificador)
    html = client.get(f"/planes/{esc.plan.pk}/cronograma/").content.decode()
    assert "Cronograma de demostración." in html and '<span class="demo">demostración</span>' in html


# --- queries --------------------------------------------------------------------------------

def _plan_grande(esc, n):
    from cronograma.models import Hito, ProgramacionMensual
    from matrices.models import Actividad

    acts = Actividad.objects.bulk_create([Actividad(plan=esc.plan, entidad=esc.puno, orden=100 + i, producto=esc.producto,
                                                    descripcion=f"Actividad masiva {i}") for i in range(n)])
    t2 = cf.make_periodo(esc.plan, numero=2)
    for a in acts:
        cf.make_cronograma(a, (2015, 1), (2016, 12), "24")
        cf.reportar(a, t2, 30)
    ProgramacionMensual.objects.bulk_create([ProgramacionMensual(actividad=a, anio=2015 + k // 12, mes=k % 12 + 1,
                                                                 meta_fisica=1) for a in acts for k in range(24)])
    Hito.objects.bulk_create([Hito(actividad=a, nombre="Hito", anio=2015, mes=6) for a in acts])
    for i, a in enumerate(acts[:5]):
        cf.make_linea(esc.plan, esc.puno, a, 50 + i, total="100")


@pytest.mark.parametrize("formato", ["", "&formato=xlsx"])
def test_the_chart_costs_the_same_queries_for_few_and_many_activities(client, chart, planificador,
                                                                        django_assert_num_queries, formato):
    client.force_login(planificador)
    url = URL.format(chart.plan.pk).replace("&retrasadas=si", "") + formato
    client.get(url)  # warm the session
    esperadas = NUM_QUERIES + (0 if formato else NAVEGACION_PLANIFICADOR)
    with django_assert_num_queries(esperadas):
        assert client.get(url).status_code == 200
    _plan_grande(chart, 40)
    with django_assert_num_queries(esperadas):
        r = client.get(url)
    assert r.status_code == 200


def test_the_report_function_makes_five_queries(chart, django_assert_num_queries):
    with django_assert_num_queries(5):
        data = reports.cronograma(plan=chart.plan, hoy=CORTE)
    _plan_grande(chart, 30)
    with django_assert_num_queries(5):
        data = reports.cronograma(plan=chart.plan, hoy=CORTE)
    assert len(data.filas) == 33


# The session, the user, its groups, the plan, the plan's entities (filter options), then the
# report's five (activities, months, milestones, budgets, progress).
NUM_QUERIES = 10
