"""Under the strict Content-Security-Policy the pages keep working in Chromium: an administrator
goes through the plans, the reports, the Gantt chart, the dashboard, the lists, the import page
and the admin's forms (autocomplete, inlines) and the browser reports no violation of the
policy; the styles that were inline (column widths, progress bars, the cut-off line, the budget
totals' margin) still apply."""
import pytest

from amc.access import Rol
from tests import factories as f
from tests.browser.conftest import login
from tests.cronograma import factories as cf
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_pages_work_under_the_policy_and_keep_their_styles(page, drtpe_puno, mtpe, seed_plan):
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)

    esc = sf.escenario(usuarios=False)
    plan, rector, puno = cf.make_plan_cronograma(regional=drtpe_puno)
    act = cf.make_actividad(plan, puno, 1, "Talleres de empleabilidad", producto=cf.make_producto(plan))
    cf.make_cronograma(act, (2015, 3), (2015, 6), "4", meses={(2015, m): 1 for m in (3, 4, 5, 6)})
    cf.reportar(act, cf.make_periodo(plan, numero=2), 50)
    f.make_linea(seed_plan, drtpe_puno, 990, costo="10.00", cantidad="2", descripcion="Línea para totales")
    f.make_user(Rol.ADMINISTRADOR, mtpe, username="admin-csp")

    login(page, "admin-csp", f.PASSWORD)
    s = seed_plan.pk
    for url in ("/", f"/planes/{s}/", f"/planes/{s}/analisis-causal/", f"/planes/{s}/matriz-logica/?nivel=GR",
                f"/planes/{s}/presupuesto/", f"/planes/{s}/documento/",
                f"/planes/{esc.plan.pk}/seguimiento/", f"/planes/{esc.plan.pk}/tablero/",
                f"/planes/{esc.plan.pk}/periodos/", "/listas/actividades/", "/importar/", "/admin/"):
        assert page.goto(url).status == 200, url

    # Column widths are classes now: the causal analysis' first column keeps its 26%.
    page.goto(f"/planes/{s}/analisis-causal/")
    ancho = page.evaluate("""() => { const th = document.querySelector('table.report th.w-26');
                                     return th.getBoundingClientRect().width / th.closest('table').getBoundingClientRect().width; }""")
    assert 0.2 < ancho < 0.32

    # The Gantt chart: its stylesheet, the progress bar at 50% of its cell, the cut-off line.
    page.goto(f"/planes/{plan.pk}/cronograma/?hoy=2015-04-15")
    assert page.locator("table.gantt th.act").evaluate("e => getComputedStyle(e).position") == "sticky"
    barra = page.locator("table.gantt td.m i.r").first
    proporcion = barra.evaluate("e => e.getBoundingClientRect().width / e.parentElement.getBoundingClientRect().width")
    assert 0.4 < proporcion <= 1.0
    hoy = page.locator("table.gantt td.m.hoy").first
    assert "linear-gradient" in hoy.evaluate("e => getComputedStyle(e).backgroundImage")

    # The dashboard's stylesheet (flex rows of bars).
    page.goto(f"/planes/{esc.plan.pk}/tablero/")
    assert page.locator(".tablero-barras").evaluate("e => getComputedStyle(e).display") == "flex"

    # The admin: the budget totals keep their margin; an autocomplete and a dynamic inline work.
    page.goto("/admin/presupuesto/lineapresupuesto/")
    margen = page.locator("#totales-presupuesto").evaluate("e => [getComputedStyle(e).marginBottom, getComputedStyle(e).fontSize]")
    assert margen[0] == margen[1]  # 1em, not the admin's 30px for a module
    page.goto("/admin/matrices/causa/add/")
    page.locator(".field-problema .select2-selection").click()
    page.locator(".select2-search__field").fill("a")
    page.locator(".select2-results__option").first.wait_for()
    page.goto(f"/admin/planes/plan/{s}/change/")
    filas = page.locator("#participaciones-group tr.form-row:not(.empty-form)")
    antes = filas.count()
    page.locator("#participaciones-group .add-row a").click()
    assert filas.count() == antes + 1

    assert violations == [], violations
