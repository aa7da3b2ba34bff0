"""Issue 13, performance: a national plan's tracking report and dashboard open on one entity
(with a chooser and «Todas»), files keep every entity, the query count stays fixed, and the
computed report is reused while the data version does not change (amc.versiones)."""
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import override_settings
from django.urls import reverse

from amc import versiones
from planes.reports import ENTIDADES_EN_UNA_PAGINA
from seguimiento import services
from seguimiento.services import ValorInput
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db
D = Decimal
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-rendimiento"}}


def _nacional(n_indicadores=2):
    """Puno and five more regions: more entities than one page shows whole."""
    esc = sf.escenario(n_indicadores=n_indicadores, extra_regiones=ENTIDADES_EN_UNA_PAGINA)
    assert esc.plan.participaciones.count() > ENTIDADES_EN_UNA_PAGINA
    for ind in esc.indicadores:  # a target in the first period: every indicator has a chart
        sf.meta_periodo(ind, esc.periodos[0], 25)
    return esc


def _url(esc, name, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse(f"seguimiento:{name}", args=[esc.plan.pk]) + (f"?{query}" if query else "")


def _otra(esc):
    return next(i.entidad for i in esc.indicadores if i.entidad_id != esc.puno.pk)


@pytest.mark.parametrize("nombre", ["reporte", "tablero"])
def test_a_national_plan_opens_on_the_users_entity_with_a_chooser(client, nombre):
    esc = _nacional()
    otra = _otra(esc)
    client.force_login(esc.users["puno"])
    body = client.get(_url(esc, nombre)).content.decode()
    assert "Servidores capacitados 1 (DRTPE Puno)" in body
    assert f"Servidores capacitados 1 ({otra.sigla})" not in body
    assert '<option value="todas">Todas</option>' in body and f'<option value="{esc.puno.codigo}" selected' in body

    body = client.get(_url(esc, nombre, entidad=otra.codigo)).content.decode()
    assert f"Servidores capacitados 1 ({otra.sigla})" in body and "Servidores capacitados 1 (DRTPE Puno)" not in body

    body = client.get(_url(esc, nombre, entidad="todas")).content.decode()
    assert f"Servidores capacitados 1 ({otra.sigla})" in body and "Servidores capacitados 1 (DRTPE Puno)" in body


def test_a_planner_whose_entity_owns_no_indicator_opens_on_the_first_entity_that_does(client):
    esc = _nacional()
    client.force_login(esc.users["planificador"])  # the ministry: no indicator of its own here
    body = client.get(_url(esc, "reporte")).content.decode()
    assert "Servidores capacitados 1 (DRTPE Puno)" in body
    assert body.count("Servidores capacitados 1 (") == 1


def test_a_small_plan_shows_every_entity_and_the_file_of_a_national_plan_too(client):
    pequeno = sf.escenario(n_indicadores=1, extra_regiones=1)
    client.force_login(pequeno.users["planificador"])
    body = client.get(_url(pequeno, "reporte")).content.decode()
    assert body.count("Servidores capacitados 1 (") == 2

    esc = _nacional(n_indicadores=1)
    client.force_login(esc.users["planificador"])
    wb = openpyxl.load_workbook(io.BytesIO(client.get(_url(esc, "reporte", formato="xlsx")).content))
    nombres = {r[2] for r in wb["Indicadores"].iter_rows(min_row=2, values_only=True) if r and r[2]}
    assert len({n for n in nombres if n.startswith("Servidores capacitados 1 (")}) == ENTIDADES_EN_UNA_PAGINA + 1


def test_an_entity_not_in_the_plan_is_a_400_naming_the_choices(client):
    esc = _nacional()
    client.force_login(esc.users["planificador"])
    response = client.get(_url(esc, "reporte", entidad="drtpe-cusco"))
    assert response.status_code == 400
    assert "Entidad «drtpe-cusco» no existe" in response.content.decode() and "todas" in response.content.decode()


@pytest.mark.parametrize("nombre", ["reporte", "tablero"])
def test_the_page_of_one_entity_costs_the_same_queries_for_a_small_or_a_national_plan(client, django_assert_num_queries, nombre):
    pequeno = _nacional(n_indicadores=1)
    grande = sf.escenario(n_indicadores=12, n_actividades=4, extra_regiones=12, frecuencia="mensual", usuarios=False)
    client.force_login(pequeno.users["puno"])
    # session, user, roles, plan, participants, the entities that own indicators, the report (17), the
    # navigation (unread notices 1, the queues' counts 1, Puno's open periods 1, what is due and sent in them 7)
    with django_assert_num_queries(34) as small:
        assert client.get(_url(pequeno, nombre)).status_code == 200
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(_url(grande, nombre)).status_code == 200


@override_settings(CACHES=LOCMEM)
def test_the_report_is_computed_once_per_data_version(client, django_assert_num_queries, django_capture_on_commit_callbacks):
    from django.core.cache import caches

    caches["default"].clear()
    esc = _nacional()
    periodo = esc.periodos[0]
    client.force_login(esc.users["planificador"])
    url = _url(esc, "reporte", entidad=esc.puno.codigo)
    primera = client.get(url)
    assert primera.status_code == 200
    # Cached: the page pays for the session, the user, the plan, its participants and the data
    # version instead of the report's 17 queries; the navigation for the unread notices and the
    # data version again (its queues' counts are cached too).
    with django_assert_num_queries(9):
        segunda = client.get(url)
    assert "Servidores capacitados 1 (DRTPE Puno)" in segunda.content.decode()
    assert "80.0%" not in segunda.content.decode()

    antes = versiones.version_datos()
    with django_capture_on_commit_callbacks(execute=True):
        services.entrega_save(periodo=periodo, entidad=esc.puno, user=esc.users["puno"], enviar=True,
                              valores={i.pk: ValorInput(valor=D(20), evidencia_url="https://example.org/a")
                                       for i in esc.indicadores if i.entidad_id == esc.puno.pk})
    assert versiones.version_datos() == antes + 1  # one raise for the whole transaction
    body = client.get(url).content.decode()
    assert "80.0%" in body  # the new value (20 of 25) is shown at once


def test_the_version_is_raised_once_per_transaction_and_not_on_rollback(django_capture_on_commit_callbacks):
    from django.db import transaction

    esc = sf.escenario(n_indicadores=1, usuarios=False)
    antes = versiones.version_datos()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for i in esc.indicadores:
                i.nombre += " (revisado)"
                i.save()
                i.save()
    assert len(callbacks) == 1 and versiones.version_datos() == antes + 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                esc.indicadores[0].save()
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and versiones.version_datos() == antes + 1


def test_the_pdf_of_every_entity_of_a_national_plan_is_laid_out_entity_by_entity_and_joined(client):
    import pdfplumber

    esc = _nacional(n_indicadores=1)
    client.force_login(esc.users["planificador"])
    response = client.get(_url(esc, "reporte", formato="pdf"))
    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        paginas = [p.extract_text() or "" for p in pdf.pages]
    texto = "\n".join(paginas)
    regiones = sorted({i.entidad for i in esc.indicadores}, key=lambda e: e.pk)
    for entidad in regiones:  # each entity's part, headed by its name in the filters
        assert f"Servidores capacitados 1 ({entidad.sigla})" in texto
        assert f"Entidad: {entidad.sigla}" in texto
    # one part per entity, each numbered on its own and saying which part it is; the compliance
    # table once, in the last part
    n = len(regiones)
    inicios = [k for k, p in enumerate(paginas) if "Página 1 de" in p]
    assert len(inicios) == n
    assert [f"Parte {j} de {n}" in paginas[k] for j, k in enumerate(inicios, 1)] == [True] * n
    assert sum(1 for p in paginas if "4. Cumplimiento de los reportes" in p) == 1  # not an empty table in each part
    con_cumplimiento = [k for k, p in enumerate(paginas) if "Nada que reportar" in p]
    assert con_cumplimiento and min(con_cumplimiento) >= inicios[-1]
    # the joined file carries the first part's metadata (issue 14: title, author, creation date)
    import pypdf

    meta = pypdf.PdfReader(io.BytesIO(response.content)).metadata
    assert meta.title.endswith(esc.plan.titulo) and meta.author == esc.plan.entidad_responsable.nombre
    assert meta.creation_date is not None
