"""Issue 11, item 10: pages anyone can use. axe-core (vendored: tests/browser/vendor/) runs over
every kind of page (home, plan pages, matrices, budget, schedule, whole document, follow-up
entry/review/report/dashboard, evaluation report, notices, import, lists, exports, login, the
admin's index, change list and change form) and finds no critical or serious violation (every
input has an accessible name, text contrast passes...). At 390 px wide no page scrolls sideways:
wide tables scroll inside their own box."""
from decimal import Decimal

import pytest

from amc.access import Rol
from amc.models import Exportacion
from matrices.models import Actividad
from presupuesto.models import LineaPresupuesto
from seguimiento import services
from tests import factories as f
from tests.browser.accesibilidad import ancho_documento, axe_violations
from tests.browser.conftest import login
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db(transaction=True)


def _paginas(seed_plan, esc, admin):
    """Every page template with data in it, as (name, url)."""
    s, p, t1, puno = seed_plan.pk, esc.plan.pk, esc.periodo.pk, esc.puno.pk
    actividad = Actividad.objects.filter(plan=seed_plan).order_by("pk").first()
    linea = LineaPresupuesto.objects.filter(plan=seed_plan).order_by("pk").first()
    exportacion = Exportacion.objects.create(clave="a11y", usuario=admin, titulo=f"13.3 Presupuesto · {seed_plan.titulo}",
                                             ruta=f"/planes/{s}/presupuesto/", formato="pdf", progreso=40,
                                             etapa="Componiendo las páginas")
    return [
        ("inicio", "/"), ("avisos", "/avisos/"), ("plan", f"/planes/{s}/"),
        ("análisis causal", f"/planes/{s}/analisis-causal/"), ("alternativas", f"/planes/{s}/alternativas/"),
        ("alineamiento", f"/planes/{s}/alineamiento/"), ("roles", f"/planes/{s}/roles/"),
        ("indicadores", f"/planes/{s}/indicadores/"), ("matriz lógica", f"/planes/{s}/matriz-logica/"),
        ("presupuesto", f"/planes/{s}/presupuesto/"), ("cronograma", f"/planes/{s}/cronograma/"),
        ("documento", f"/planes/{s}/documento/"),
        ("periodos", f"/planes/{p}/periodos/"), ("reportar", f"/planes/{p}/reportar/{t1}/?entidad={puno}"),
        ("revisión", f"/planes/{p}/revision/"), ("revisión de la entrega", f"/planes/{p}/revision/{t1}/{puno}/"),
        ("seguimiento", f"/planes/{p}/seguimiento/"), ("tablero", f"/planes/{p}/tablero/"),
        ("evaluación", f"/planes/{p}/evaluacion/{t1}/"),
        ("importar", "/importar/"), ("lista de actividades", "/listas/actividades/"),
        ("lista de presupuesto", "/listas/presupuesto/"), ("lista de valores", "/listas/valores/"),
        ("exportaciones", "/exportaciones/"), ("avance de una exportación", f"/exportaciones/{exportacion.pk}/"),
        ("admin: inicio", "/admin/"), ("admin: actividades", "/admin/matrices/actividad/"),
        ("admin: actividad", f"/admin/matrices/actividad/{actividad.pk}/change/"),
        ("admin: presupuesto", "/admin/presupuesto/lineapresupuesto/"),
        ("admin: línea de presupuesto", f"/admin/presupuesto/lineapresupuesto/{linea.pk}/change/"),
        ("admin: nueva causa", "/admin/matrices/causa/add/"),
    ]


@pytest.fixture
def datos(seed_plan, drtpe_puno, mtpe):
    esc = sf.escenario(n_indicadores=2, n_actividades=1)
    ind1, ind2 = esc.indicadores[:2]
    sf.meta_periodo(ind1, esc.periodo, 20)
    sf.meta_periodo(ind2, esc.periodo, 20)
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], enviar=True, valores={
        ind1.pk: services.ValorInput(valor=Decimal("25"), evidencia_url="https://example.org/acta.pdf"),
        ind2.pk: services.ValorInput(valor=Decimal("8"), evidencia_url="https://example.org/lista.pdf",
                                     dificultades="Lluvias intensas", medidas_correctivas="Taller reprogramado")})
    f.make_linea(esc.plan, esc.puno, 1, costo="150.00", cantidad="4", descripcion="Pasajes a Juliaca")  # budget inputs on the entry
    admin = f.make_user(Rol.ADMINISTRADOR, mtpe, username="admin-a11y", first_name="Ana", last_name="Accesible")
    return esc, admin


def test_login_page_has_no_serious_violation_and_fits_a_phone(page):
    page.goto("/ingresar/")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 800})
    assert ancho_documento(page) <= 390


def test_every_page_has_no_critical_or_serious_violation(page, seed_plan, datos):
    esc, admin = datos
    login(page, "admin-a11y", f.PASSWORD)
    encontradas = {}
    for nombre, url in _paginas(seed_plan, esc, admin):
        assert page.goto(url).status == 200, url
        if nombre == "reportar":  # the budget execution's inputs (the issue counted 171 without a name)
            assert page.locator("#ejecucion input").count() >= 3
            assert page.get_by_label("PIM de ", exact=False).count() == page.locator("#ejecucion input[name$='-pim']").count()
        if v := axe_violations(page):
            encontradas[f"{nombre} ({url})"] = v
    assert not encontradas, "\n".join(f"{pagina}: {v}" for pagina, vs in encontradas.items() for v in vs)


def test_no_page_scrolls_sideways_on_a_phone(page, seed_plan, datos):
    esc, admin = datos
    login(page, "admin-a11y", f.PASSWORD)
    page.set_viewport_size({"width": 390, "height": 800})
    anchas = {}
    for nombre, url in _paginas(seed_plan, esc, admin):
        page.goto(url)
        if (ancho := ancho_documento(page)) > 390:
            anchas[f"{nombre} ({url})"] = ancho
    assert not anchas, "\n".join(f"{pagina}: {ancho} px" for pagina, ancho in anchas.items())


def test_the_export_progress_page_updates_in_place_without_a_timed_reload(page, mtpe):
    """The progress page used <meta http-equiv=refresh> (axe-core: critical): it now asks again by
    script and replaces its box; the page is not reloaded (a marker set on it survives)."""
    admin = f.make_user(Rol.ADMINISTRADOR, mtpe, username="admin-exp")
    exp = Exportacion.objects.create(clave="a11y-exp", usuario=admin, titulo="Plan completo", ruta="/", formato="pdf",
                                     estado="en_curso", progreso=40, etapa="Maquetando el PDF")
    login(page, "admin-exp", f.PASSWORD)
    page.goto(f"/exportaciones/{exp.pk}/")
    assert "Maquetando el PDF" in page.locator("#etapa").inner_text()
    page.evaluate("() => { window.sinRecargar = true; }")
    Exportacion.objects.filter(pk=exp.pk).update(estado="error", error="prueba de actualización")
    page.locator("#etapa", has_text="No se pudo generar el archivo").wait_for(timeout=8000)
    assert page.evaluate("() => window.sinRecargar === true")
    assert axe_violations(page) == []


def test_the_tracking_reports_column_headings_stay_in_their_columns(page, datos):
    """«Meta acumulada», «% logro acumulado»… in a fixed layout: each heading wraps inside its
    own cell instead of running into the next one (its text is no wider than its cell)."""
    esc, admin = datos
    login(page, "admin-a11y", f.PASSWORD)
    for ancho in (1366, 1024):
        page.set_viewport_size({"width": ancho, "height": 900})
        page.goto(f"/planes/{esc.plan.pk}/seguimiento/")
        desbordan = page.evaluate("""() => [...document.querySelectorAll('table.report thead th')]
            .filter(th => th.scrollWidth > th.clientWidth + 1).map(th => th.textContent.trim())""")
        assert desbordan == [], (ancho, desbordan)
