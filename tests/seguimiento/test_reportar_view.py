"""The entry page /planes/<id>/reportar/<period>/ (seguimiento.views.reportar): what it shows,
what bad input gets (a clear message, nothing saved, what was typed shown again), refusals
(403, database unchanged), and a fixed number of queries."""
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from amc.access import Rol
from seguimiento import services
from seguimiento.models import AvanceActividad, EjecucionPresupuestal, ValorIndicador
from seguimiento.services import ValorInput
from tests import factories as f
from tests.seguimiento import factories as sf
from tests.seguimiento.conftest import estado_bd

pytestmark = pytest.mark.django_db
D = Decimal


def url(esc, periodo=None):
    return reverse("seguimiento:reportar", args=[esc.plan.pk, (periodo or esc.periodo).pk])


def datos(esc, accion="borrador", valor="12", **extra):
    """The form as a person fills it in: every Puno indicator and activity."""
    d = {"accion": accion}
    for i in esc.indicadores:
        if i.entidad_id == esc.puno.pk:
            d.update({f"i{i.pk}-valor": valor, f"i{i.pk}-evidencia_url": "https://example.org/acta.pdf",
                      f"i{i.pk}-comentario": "", f"i{i.pk}-motivo": ""})
    for a in esc.actividades:
        if a.entidad_id == esc.puno.pk:
            d.update({f"a{a.pk}-situacion": "en_proceso", f"a{a.pk}-avance_fisico": "40", f"a{a.pk}-evidencia_url": ""})
    d.update(extra)
    return d


def test_the_page_lists_the_entitys_indicators_with_targets_and_previous_values(client, esc):
    ind = esc.indicadores[0]
    sf.meta_periodo(ind, esc.periodos[1], 30)
    services.entrega_save(periodo=esc.periodos[0], entidad=esc.puno, user=esc.users["puno"],
                          valores={ind.pk: ValorInput(valor=D("21"), evidencia_url="https://example.org/a")}, enviar=False)
    client.force_login(esc.users["puno"])
    body = client.get(url(esc, esc.periodos[1])).content.decode()
    assert "Servidores capacitados 1 (DRTPE Puno)" in body and "Taller de capacitación 1 (DRTPE Puno)" in body
    assert 'class="meta-periodo">30.00<' in body and "Meta " in body and "100.00" in body
    assert f"T1 {esc.periodo.anio}: 21.00" in body  # previous value
    assert 'name="accion" value="enviar"' in body


def test_save_draft_then_submit_through_the_page(client, esc):
    client.force_login(esc.users["puno"])
    response = client.post(url(esc), datos(esc))
    assert response.status_code == 302
    assert set(ValorIndicador.objects.values_list("estado", "valor")) == {("borrador", D("12"))}
    response = client.post(url(esc), datos(esc, accion="enviar"), follow=True)
    assert "Se enviaron 3 registro(s) al ministerio" in response.content.decode()
    assert set(ValorIndicador.objects.values_list("estado", flat=True)) == {"enviado"}
    assert AvanceActividad.objects.get().avance_fisico == D("40")


def test_double_submit_changes_nothing_the_second_time(client, esc):
    client.force_login(esc.users["puno"])
    client.post(url(esc), datos(esc, accion="enviar"))
    antes = estado_bd()
    response = client.post(url(esc), datos(esc, accion="enviar"), follow=True)
    assert "Todo ya estaba enviado: no hubo cambios." in response.content.decode()
    assert estado_bd() == antes


@pytest.mark.parametrize("campo, valor, mensaje", [
    ("valor", "doce", "«Valor» debe ser un número"),
    ("valor", "-3", "«Valor» no puede ser negativo."),
    ("valor", "1.234,50", "«Valor»: «1.234,50» usa coma decimal. En Perú se escribe con punto decimal y coma de miles"),
])
def test_bad_numbers_get_a_message_naming_the_field_and_nothing_is_saved(client, esc, campo, valor, mensaje):
    client.force_login(esc.users["puno"])
    ind = esc.indicadores[1]
    response = client.post(url(esc), datos(esc, **{f"i{ind.pk}-{campo}": valor}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "No se guardó nada" in body
    assert f"Indicador {ind.orden} · {ind.nombre}: {mensaje}" in body
    assert f'value="{valor}"' in body  # what the user typed is shown again
    assert ValorIndicador.objects.count() == 0 and AvanceActividad.objects.count() == 0


@pytest.mark.parametrize("texto", ["1234.50", "1,234.50", "S/ 1,234.50", "S/. 1,234.50"])
def test_amounts_are_read_as_the_import_reads_them(client, esc, texto):
    """The PIM the import accepts as 1,234.50 is accepted here too (amc.numeros)."""
    linea = f.make_linea(esc.plan, esc.puno, 1, costo="1000", cantidad="3")
    client.force_login(esc.users["puno"])
    response = client.post(url(esc), datos(esc, **{f"e{linea.pk}-1-pim": texto, f"e{linea.pk}-1-devengado": "1,000"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    e = EjecucionPresupuestal.objects.get()
    assert (e.mes, e.pim, e.devengado) == (1, D("1234.50"), D("1000"))


def test_progress_over_100_is_refused(client, esc):
    client.force_login(esc.users["puno"])
    act = esc.actividades[0]
    body = client.post(url(esc), datos(esc, **{f"a{act.pk}-avance_fisico": "130"})).content.decode()
    assert f"Actividad {act.orden} · {act}: «Avance físico (%)» no puede pasar de 100%." in body
    assert ValorIndicador.objects.count() == 0 and AvanceActividad.objects.count() == 0


def test_parts_that_do_not_add_up_are_refused(client, esc):
    tipo = sf.tipo_sexo()
    ind = esc.indicadores[0]
    sf.desagregar(ind, tipo)
    mujeres, hombres = tipo.categorias.order_by("orden")
    client.force_login(esc.users["puno"])
    body = client.post(url(esc), datos(esc, **{f"i{ind.pk}-p{mujeres.pk}": "4", f"i{ind.pk}-p{hombres.pk}": "5"})).content.decode()
    assert "Desagregación por sexo: las partes (Mujeres 4 + Hombres 5 = 9) no suman el total (12)." in body
    assert ValorIndicador.objects.count() == 0


def test_a_closed_period_takes_no_values(client, esc):
    for i in esc.indicadores:
        sf.meta_periodo(i, esc.periodo, 10)  # due in the period: approving them closes it
    client.force_login(esc.users["puno"])
    client.post(url(esc), datos(esc, accion="enviar"))
    services.entrega_approve(periodo=esc.periodo, entidad=esc.puno, user=esc.users["mtpe"])
    antes = estado_bd()
    body = client.get(url(esc)).content.decode()
    assert "Cerrado: valores aprobados" in body and 'value="enviar"' not in body
    body = client.post(url(esc), datos(esc, valor="50")).content.decode()
    assert "está cerrado" in body
    assert estado_bd() == antes


def test_files_too_large_or_of_another_type_are_refused(client, esc, settings):
    settings.SEGUIMIENTO_EVIDENCIA_MAX_MB = 1
    client.force_login(esc.users["puno"])
    ind = esc.indicadores[0]
    for archivo, mensaje in [
        (sf.pdf("virus.exe", b"MZ"), "Tipo de archivo no aceptado (exe)"),
        (sf.pdf("grande.pdf", sf.PDF_BYTES + b"x" * (1024 * 1024 + 10)), "el máximo es 1 MB"),
    ]:
        body = client.post(url(esc), {**datos(esc), f"i{ind.pk}-evidencia": archivo}).content.decode()
        assert mensaje in body and "Vuelva a adjuntar los archivos" in body
    assert ValorIndicador.objects.count() == 0


def test_budget_execution_is_filed_for_the_periods_months(client, esc):
    linea = f.make_linea(esc.plan, esc.puno, 1, costo="1000", cantidad="3")
    client.force_login(esc.users["puno"])
    body = client.post(url(esc), datos(esc, **{f"e{linea.pk}-2-pim": "abc"})).content.decode()
    assert "«PIM de febrero (S/)» debe ser un número" in body
    client.post(url(esc), datos(esc, **{f"e{linea.pk}-2-pim": "3000", f"e{linea.pk}-2-certificado": "2000",
                                        f"e{linea.pk}-2-devengado": "1500"}))
    e = EjecucionPresupuestal.objects.get()
    assert (e.mes, e.pim, e.certificado, e.devengado) == (2, D("3000"), D("2000"), D("1500"))


def test_posting_for_another_entity_is_refused_and_changes_nothing(client, esc):
    cusco = f.make_entidad("GR", sigla="DRTPE Cusco")
    esc.plan.participaciones.create(entidad=cusco, orden=5)
    usuario_cusco = f.make_user(Rol.REGIONAL, cusco)
    ind_cusco = sf.make_indicador(esc.plan, cusco, 1, nombre="Indicador de Cusco")
    client.force_login(esc.users["puno"])
    antes = estado_bd()
    response = client.post(url(esc), {**datos(esc), "entidad": cusco.pk})
    assert response.status_code == 403
    assert "los valores de DRTPE Cusco solo los registra el personal de DRTPE Cusco" in response.content.decode()
    # A forged row of another entity's indicator in Puno's own form.
    response = client.post(url(esc), {**datos(esc), f"i{ind_cusco.pk}-valor": "5"})
    assert response.status_code == 403 and "pertenece a DRTPE Cusco" in response.content.decode()
    assert estado_bd() == antes
    client.force_login(usuario_cusco)
    assert client.get(url(esc)).status_code == 200  # its own (empty of Puno's rows) entry


def test_planners_read_but_do_not_file(client, esc):
    client.force_login(esc.users["planificador"])
    response = client.post(url(esc), datos(esc))
    assert response.status_code == 403
    assert "los planificadores consultan y exportan" in response.content.decode()
    assert ValorIndicador.objects.count() == 0


def _llenar(esc, n_periodos=2):
    for periodo in esc.periodos[:n_periodos]:
        valores = {i.pk: ValorInput(valor=D("7"), evidencia_url="https://example.org/a") for i in esc.indicadores if i.entidad_id == esc.puno.pk}
        avances = {a.pk: services.AvanceInput(situacion="en_proceso", avance_fisico=D("10")) for a in esc.actividades if a.entidad_id == esc.puno.pk}
        services.entrega_save(periodo=periodo, entidad=esc.puno, user=esc.users["puno"], valores=valores, avances=avances, enviar=True)
        for i in esc.indicadores:
            sf.meta_periodo(i, periodo, 25)


def test_the_page_costs_the_same_queries_for_a_small_or_a_large_entry(client, db, django_assert_num_queries):
    # session, user, groups, plan, period, participation, then entrega_get: indicators, yearly
    # targets, disaggregations, categories, period targets, values (this period's and the earlier
    # ones), parts and history of this period's values, activities, progress, this period's progress
    # history, the activities programmed in the schedule, budget lines, execution; the summary of
    # achievements (logros_get); the navigation's counts (avisos). Nothing filed in the period yet:
    # no parts or history to read (3 queries fewer). Earlier values show only their number and state.
    pequeno = sf.escenario(n_indicadores=1, n_actividades=1)
    _llenar(pequeno, 1)
    grande = sf.escenario(n_indicadores=25, n_actividades=12, usuarios=False)
    grande.users = pequeno.users
    for i in range(1, 8):
        f.make_linea(grande.plan, grande.puno, i, costo="100", cantidad="2")
    _llenar(grande, 3)
    tipo = sf.tipo_sexo()
    for esc in (pequeno, grande):
        sf.desagregar(esc.indicadores[0], tipo)
    client.force_login(pequeno.users["puno"])
    client.get(url(pequeno))
    # + the navigation: unread notices 1, the queues' counts 1, the open periods 1, what is due and sent in them 7
    with django_assert_num_queries(31):
        assert client.get(url(pequeno, pequeno.periodos[0])).status_code == 200
    with django_assert_num_queries(31):
        assert client.get(url(grande, grande.periodos[2])).status_code == 200
    with django_assert_num_queries(28):
        assert client.get(url(pequeno, pequeno.periodos[1])).status_code == 200
    with django_assert_num_queries(28):
        body = client.get(url(grande, grande.periodos[3])).content.decode()
    assert body.count("Valores anteriores: <b>") == 25 and "(enviado); <b>" in body  # the 25 indicators' 3 earlier values


def test_the_entry_shows_each_earlier_value_with_its_state(client, db):
    """«Valores anteriores»: each earlier period's number (or «No aplica»), in time order, with
    its review state; «ninguno» in the first period."""
    esc = sf.escenario(n_indicadores=1, n_actividades=1)
    ind = next(i for i in esc.indicadores if i.entidad_id == esc.puno.pk)
    p0, p1, p2 = esc.periodos[:3]
    services.entrega_save(periodo=p0, entidad=esc.puno, user=esc.users["puno"], enviar=True,
                          valores={ind.pk: ValorInput(valor=D("7.5"), evidencia_url="https://example.org/a")})
    services.entrega_save(periodo=p1, entidad=esc.puno, user=esc.users["puno"], enviar=False,
                          valores={ind.pk: ValorInput(condicion="no_aplica", justificacion="Sin talleres en el mes")})
    client.force_login(esc.users["puno"])
    assert "Valores anteriores: ninguno" in client.get(url(esc, p0)).content.decode()
    body = client.get(url(esc, p2)).content.decode()
    assert (f"Valores anteriores: <b>{p0.nombre_corto}: 7.50</b> (enviado); "
            f"<b>{p1.nombre_corto}: No aplica</b> (borrador)</span>") in body


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-entrega"}})
def test_the_entry_is_read_once_per_data_version_and_a_save_shows_at_once(client, esc, django_assert_num_queries,
                                                                          django_capture_on_commit_callbacks):
    """Issue 13: the entry (the same for its entity's staff and its reviewers) is kept per data
    version; a save raises the version, so the page shows what was saved."""
    import re

    from django.core.cache import caches

    caches["default"].clear()
    client.force_login(esc.users["puno"])

    def pagina() -> str:  # without its CSRF token (masked anew on every response)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", client.get(url(esc)).content.decode())

    primera = pagina()
    # session, user, groups, plan, period, participation, the data version, the summary of
    # achievements, the navigation's unread notices and (its queues') data version: the entry's 13
    # queries are not read again
    with django_assert_num_queries(10):
        assert pagina() == primera
    with django_capture_on_commit_callbacks(execute=True):  # the request's transaction commits
        assert client.post(url(esc), datos(esc, valor="17")).status_code == 302
    body = pagina()
    assert "Borrador guardado" in body and 'value="17.00"' in body and 'value="17.00"' not in primera


def test_an_accepted_save_names_the_local_copy_it_carried(client, esc):
    """The page's script sends `envio_local` with a save; the redirect after an accepted save names
    it (`recibido`), so the script drops its copy on this computer. Errors redirect nowhere."""
    client.force_login(esc.users["puno"])
    response = client.post(url(esc), datos(esc, envio_local="mf3k2a9x1"))
    assert response.status_code == 302 and response["Location"] == url(esc) + "?recibido=mf3k2a9x1"
    response = client.post(url(esc), datos(esc, valor="abc", envio_local="mf3k2a9x2"))
    assert response.status_code == 200 and 'data-no-guardado="1"' in response.content.decode()
    forged = client.post(url(esc), datos(esc, valor="13", envio_local='x"><script>'))
    assert forged["Location"] == url(esc)  # only the script's own kind of id is echoed


def test_the_entry_form_names_its_local_copy_by_user_plan_entity_and_period(client, esc):
    client.force_login(esc.users["puno"])
    body = client.get(url(esc)).content.decode()
    clave = f'data-copia-local="amc-entrega:u{esc.users["puno"].pk}:p{esc.plan.pk}:e{esc.puno.pk}:t{esc.periodo.pk}"'
    assert clave in body and 'id="estado-local"' in body and 'aria-live="polite"' in body
    assert "/static/js/entrega-local.js" in body
