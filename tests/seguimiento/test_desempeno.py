"""seguimiento/desempeno.py: % achieved and the traffic light follow the indicator's direction
(ascendente, descendente, constante); the tracking report and the dashboard show it in the
page, the PDF and the Excel file."""
import io
import re
from decimal import Decimal

import openpyxl
import pdfplumber
import pytest
from django.urls import reverse

from matrices.models import Indicador, Sentido
from seguimiento import desempeno, reports, services
from seguimiento.charts import SEMAFORO_COLOR
from seguimiento.services import ValorInput
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db
D = Decimal
ASC, DESC, CONST = Sentido.ASCENDENTE, Sentido.DESCENDENTE, Sentido.CONSTANTE


# --- the rule ---------------------------------------------------------------------------------

@pytest.mark.parametrize("actual, meta, logro, luz", [
    # ascendente: actual / target
    (D(36), D(40), D("0.9"), "en_meta"), (D(30), D(40), D("0.75"), "debajo"), (D(50), D(40), D("1.25"), "encima"),
])
def test_ascending_is_actual_over_target(actual, meta, logro, luz):
    assert desempeno.logro(actual, meta, ASC) == logro and desempeno.semaforo(actual, meta, ASC) == luz


@pytest.mark.parametrize("actual, meta, logro, luz", [
    # descendente: 2 - actual / target; under the target is better
    (D(36), D(40), D("1.1"), "en_meta"),  # 10% under the target: on track
    (D(46), D(40), D("0.85"), "en_meta"),  # 15% over it: still on track (the same band as ascending)
    (D("46.1"), D(40), D("0.8475"), "debajo"),  # more than 15% over it: off track
    (D(50), D(40), D("0.75"), "debajo"),
    (D(30), D(40), D("1.25"), "encima"),  # well under the target: exceeded
    (D(0), D(40), D(2), "encima"),  # reduced to nothing: 200%, no division by zero
    (D(100), D(40), D(0), "debajo"),  # more than twice the target: 0%, never negative
])
def test_descending_mirrors_ascending_around_the_target(actual, meta, logro, luz):
    assert desempeno.logro(actual, meta, DESC) == logro and desempeno.semaforo(actual, meta, DESC) == luz


@pytest.mark.parametrize("actual, meta, logro, luz", [
    # constante: 1 - |actual - target| / target; off the level either way is off track
    (D(40), D(40), D(1), "en_meta"), (D(44), D(40), D("0.9"), "en_meta"), (D(36), D(40), D("0.9"), "en_meta"),
    (D(50), D(40), D("0.75"), "debajo"), (D(30), D(40), D("0.75"), "debajo"), (D(100), D(40), D(0), "debajo"),
])
def test_constant_measures_the_distance_from_the_level(actual, meta, logro, luz):
    assert desempeno.logro(actual, meta, CONST) == logro and desempeno.semaforo(actual, meta, CONST) == luz


@pytest.mark.parametrize("sentido, actual, luz", [
    (ASC, 0, "en_meta"), (ASC, 3, "encima"), (DESC, 0, "en_meta"), (DESC, 3, "debajo"), (CONST, 0, "en_meta"), (CONST, 3, "debajo"),
])
def test_a_zero_target_gives_no_percentage_but_a_light(sentido, actual, luz):
    assert desempeno.logro(D(actual), D(0), sentido) is None
    assert desempeno.semaforo(D(actual), D(0), sentido) == luz


@pytest.mark.parametrize("sentido", [ASC, DESC, CONST])
def test_without_actual_or_target_there_is_nothing_to_judge(sentido):
    assert desempeno.desempeno(None, D(5), sentido) == desempeno.Desempeno(None, None)
    assert desempeno.desempeno(D(5), None, sentido) == desempeno.Desempeno(None, None)


def test_the_reports_call_the_same_rule():
    # The review page and older callers use reports.logro / reports.semaforo: the same functions.
    assert reports.logro is desempeno.logro and reports.semaforo is desempeno.semaforo
    assert reports.semaforo(D(50), D(40), DESC) == "debajo" and reports.semaforo(D(50), D(40)) == "encima"


def test_an_indicator_is_ascending_unless_told_otherwise(db):
    esc = sf.escenario(n_indicadores=1, n_actividades=0, usuarios=False)
    assert esc.indicadores[0].sentido == ASC
    assert Indicador._meta.get_field("sentido").default == ASC


# --- the tracking report and the dashboard, in three formats ------------------------------------

NOMBRES = {
    "baja": "Tasa de informalidad en Juliaca",  # descendente, 36 against 40: below the target, green
    "sube": "Tasa de informalidad en Puno",  # descendente, 50 against 40: above the target, red
    "control": "Empresas formalizadas",  # ascendente, 50 against 40: exceeded, blue
}


def _esc_sentidos():
    """Three Puno indicators, each with target 40 for the year and for the first quarter,
    whose value for that quarter is submitted."""
    esc = sf.escenario(n_indicadores=0, n_actividades=0)
    anio = esc.periodo.anio
    indicadores = {}
    for orden, (clave, sentido, valor) in enumerate((("baja", DESC, 36), ("sube", DESC, 50), ("control", ASC, 50)), start=1):
        ind = sf.make_indicador(esc.plan, esc.puno, orden, nombre=NOMBRES[clave], agregacion="ultimo", meta_anual=40, anio=anio)
        ind.sentido = sentido
        ind.save()
        sf.meta_periodo(ind, esc.periodo, 40)
        indicadores[clave] = (ind, valor)
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], enviar=True,
                          valores={ind.pk: ValorInput(valor=D(v), evidencia_url="https://example.org/a") for ind, v in indicadores.values()})
    esc.por_clave = {k: ind for k, (ind, _) in indicadores.items()}
    return esc


def _url(esc, name, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse(f"seguimiento:{name}", args=[esc.plan.pk]) + (f"?{query}" if query else "")


def _pdf_text(content) -> tuple[str, list]:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        texto = "\n".join(page.extract_text() or "" for page in pdf.pages)
        tablas = [t for page in pdf.pages for t in page.extract_tables()]
    return texto, tablas


def _celdas(fila) -> str:
    return " ".join((c or "").replace("\n", " ") for c in fila)


def test_the_data_follow_the_direction(db):
    esc = _esc_sentidos()
    data = reports.seguimiento(plan=esc.plan, anio=esc.periodo.anio)
    filas = {f.indicador.nombre: f for f in data.indicadores}
    baja, sube, control = (filas[NOMBRES[k]] for k in ("baja", "sube", "control"))
    assert (baja.celdas[0].logro, baja.celdas[0].semaforo, baja.logro, baja.semaforo) == (D("1.1"), "en_meta", D("1.1"), "en_meta")
    assert (sube.celdas[0].logro, sube.celdas[0].semaforo, sube.logro, sube.semaforo) == (D("0.75"), "debajo", D("0.75"), "debajo")
    assert (control.logro, control.semaforo) == (D("1.25"), "encima")
    # cumulative figures (latest value against the latest target) follow it too
    assert baja.celdas[0].logro_acumulado == D("1.1") and sube.celdas[0].logro_acumulado == D("0.75")
    assert (baja.sentido, control.sentido) == ("Descendente", "Ascendente")


def _fila_html(body: str, indicador) -> str:
    m = re.search(rf'<tr class="indicador" data-indicador="{indicador.pk}">.*?</tr>', body, re.S)
    assert m, indicador.nombre
    return m.group(0)


def test_tracking_report_shows_a_descending_indicator_green_below_and_red_above_its_target(client, db):
    esc = _esc_sentidos()
    client.force_login(esc.users["planificador"])
    verde, rojo = SEMAFORO_COLOR["en_meta"], SEMAFORO_COLOR["debajo"]

    body = client.get(_url(esc, "reporte")).content.decode()
    baja, sube = _fila_html(body, esc.por_clave["baja"]), _fila_html(body, esc.por_clave["sube"])
    assert "semaforo-en_meta" in baja and f'fill="{verde}"' in baja and "En meta" in baja and "110.0%" in baja
    assert "Descendente" in baja
    assert "semaforo-debajo" in sube and f'fill="{rojo}"' in sube and "Por debajo" in sube and "75.0%" in sube
    assert "semaforo-encima" in _fila_html(body, esc.por_clave["control"])

    texto, tablas = _pdf_text(client.get(_url(esc, "reporte", formato="pdf")).content)
    filas = [_celdas(fila) for tabla in tablas for fila in tabla]
    fila_baja = next(f for f in filas if NOMBRES["baja"] in f)
    fila_sube = next(f for f in filas if NOMBRES["sube"] in f)
    assert "En meta" in fila_baja and "110.0%" in fila_baja and "Descendente" in fila_baja and "Por debajo" not in fila_baja
    assert "Por debajo" in fila_sube and "75.0%" in fila_sube and "En meta" not in fila_sube

    wb = openpyxl.load_workbook(io.BytesIO(client.get(_url(esc, "reporte", formato="xlsx")).content))
    hoja = wb["Indicadores"]
    cabecera = [c.value for c in hoja[next(i for i, r in enumerate(hoja.iter_rows(values_only=True), 1) if r and r[0] == "Entidad")]]
    col = {nombre: cabecera.index(nombre) for nombre in ("% de logro a la fecha", "Semáforo", "Sentido")}
    filas_xlsx = {r[2]: r for r in hoja.iter_rows(values_only=True) if r and r[2] in NOMBRES.values()}
    assert [filas_xlsx[NOMBRES["baja"]][col[c]] for c in col] == [110, "En meta", "Descendente"]
    assert [filas_xlsx[NOMBRES["sube"]][col[c]] for c in col] == [75, "Por debajo", "Descendente"]
    assert [filas_xlsx[NOMBRES["control"]][col[c]] for c in col] == [125, "Por encima", "Ascendente"]
    detalle = {(r[2], r[3]): r for r in wb["Indicadores por periodo"].iter_rows(values_only=True) if r and r[2] in NOMBRES.values()}
    assert detalle[(NOMBRES["baja"], esc.periodo.nombre)][9:12] == (110, 110, "En meta")
    assert detalle[(NOMBRES["sube"], esc.periodo.nombre)][9:12] == (75, 75, "Por debajo")


def test_dashboard_shows_a_descending_indicator_green_below_and_red_above_its_target(client, db):
    esc = _esc_sentidos()
    client.force_login(esc.users["puno"])
    verde, rojo = SEMAFORO_COLOR["en_meta"], SEMAFORO_COLOR["debajo"]

    body = client.get(_url(esc, "tablero")).content.decode()
    figuras = {nombre: fig for fig in re.findall(r"<figure>.*?</figure>", body, re.S) for nombre in NOMBRES.values() if nombre in fig}
    assert "semaforo-en_meta" in figuras[NOMBRES["baja"]] and f'fill="{verde}"' in figuras[NOMBRES["baja"]]
    assert "logro 110.0%" in figuras[NOMBRES["baja"]] and "descendente" in figuras[NOMBRES["baja"]]
    assert "semaforo-debajo" in figuras[NOMBRES["sube"]] and f'fill="{rojo}"' in figuras[NOMBRES["sube"]]
    assert "semaforo-encima" in figuras[NOMBRES["control"]]
    assert 'aria-label="Indicadores en meta: 33.3%"' in body  # one of three: the descending one below its target

    texto, _ = _pdf_text(client.get(_url(esc, "tablero", formato="pdf")).content)
    plano = " ".join(texto.split())
    assert "descendente · logro 110.0% · En meta" in plano
    assert "descendente · logro 75.0% · Por debajo" in plano
    assert "ascendente · logro 125.0% · Por encima" in plano

    wb = openpyxl.load_workbook(io.BytesIO(client.get(_url(esc, "tablero", formato="xlsx")).content))
    puno = next(r for r in wb["Tablero"].iter_rows(values_only=True) if r and r[0] == esc.puno.nombre_corto)
    assert puno[1:4] == (3, 1, 33.3)
    filas_xlsx = {r[2]: r for r in wb["Indicadores"].iter_rows(values_only=True) if r and r[2] in NOMBRES.values()}
    assert (filas_xlsx[NOMBRES["baja"]][10], filas_xlsx[NOMBRES["sube"]][10]) == ("En meta", "Por debajo")


def test_the_seed_indicators_are_all_ascending(seed_plan):
    # fixtures/README.md: the document gives no direction and every indicator counts what is done.
    sentidos = list(Indicador.objects.filter(plan=seed_plan).values_list("sentido", flat=True))
    assert len(sentidos) == 52 and set(sentidos) == {ASC}
