"""Issue 11's whole cycle, as its users live it ("Done when"): a period opens and the reminder
reaches DRTPE Puno (the `enviar_avisos` job); Puno files only what is due, one indicator «No
aplica» with its reason, types with the connection cut and sends once it is back; the ministry's
reviewer finds the entry in the queue on the home page, returns one value with an observation,
and may not approve the ministry's own value (the message says why); Puno follows the notice,
corrects and resubmits; the reviewer approves; the period's evaluation report (page, PDF and
Excel) shows the values, the difficulties and the measures."""
import io
from decimal import Decimal
from io import StringIO

import openpyxl
import pdfplumber
import pytest
from django.core.management import call_command

from amc.access import Rol
from seguimiento import services
from seguimiento.models import ValorIndicador
from tests import factories as f
from tests.browser.conftest import como, reabrir
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db(transaction=True)


def _como(page, username):
    como(page, username, f.PASSWORD)


def test_the_whole_follow_up_cycle(page, drtpe_puno, mtpe):
    esc = sf.escenario(n_indicadores=3, n_actividades=0, usuarios=False, frecuencia="anual")
    ind1, ind2, ind3 = esc.indicadores  # Puno's; the third has no target this period: optional
    anio = esc.periodo
    sf.meta_periodo(ind1, anio, 20)
    sf.meta_periodo(ind2, anio, 10)
    ind_mtpe = sf.make_indicador(esc.plan, mtpe, 9, nombre="Normas técnicas aprobadas (MTPE)", meta_anual=4, anio=anio.anio)
    sf.meta_periodo(ind_mtpe, anio, 4)
    puno = f.make_user(Rol.REGIONAL, drtpe_puno, username="puno-ciclo", first_name="Rosa", last_name="Quispe")
    revisor = f.make_user(Rol.MINISTERIO, mtpe, username="mtpe-ciclo", first_name="Jorge", last_name="Revisor")
    # The ministry files its own value (its staff file the ministry's values too).
    services.entrega_save(periodo=anio, entidad=mtpe, user=revisor, enviar=True, valores={
        ind_mtpe.pk: services.ValorInput(valor=Decimal("4"), evidencia_url="https://example.org/rm-normas.pdf")})

    # The period is open: the job reminds Puno, who finds the notice and follows it.
    call_command("enviar_avisos", "--sin-correo", stdout=StringIO())
    _como(page, "puno-ciclo")
    page.goto("/")
    assert page.locator("#nav-avisos .badge").inner_text() == "1"
    page.get_by_role("link", name="Avisos").click()
    page.get_by_role("link", name=f"Periodo abierto: {anio}", exact=False).first.click()
    assert f"/reportar/{anio.pk}/" in page.url

    # Only what is due: two indicators obligatory, the third optional.
    assert "Obligatorio" in page.locator(f"#ind-{ind1.pk} h3").inner_text()
    assert "Obligatorio" in page.locator(f"#ind-{ind2.pk} h3").inner_text()
    assert "Opcional" in page.locator(f"#ind-{ind3.pk} h3").inner_text()

    # Puno types; the connection drops before sending.
    page.locator(f"#id_i{ind1.pk}-valor").fill("15")
    page.locator(f"#id_i{ind1.pk}-evidencia_url").fill("https://example.org/acta-taller.pdf")
    page.locator(f"#id_i{ind2.pk}-condicion").select_option("no_aplica")
    page.locator(f"#id_i{ind2.pk}-justificacion").fill("El programa se suspendió por las heladas en la región")
    page.context.set_offline(True)
    page.locator(f"#evaluacion-{ind1.pk}").evaluate("e => { e.open = true; }")  # below its target: why, and what will be done
    page.locator(f"#id_i{ind1.pk}-dificultades").fill("Heladas: se suspendieron dos talleres en Azángaro.")
    page.locator(f"#id_i{ind1.pk}-medidas_correctivas").fill("Talleres reprogramados para mayo en Juliaca.")
    page.get_by_role("button", name="Enviar al ministerio").click()
    assert "Sin conexión: no se envió nada al servidor" in page.locator("#estado-local").inner_text()
    assert ValorIndicador.objects.filter(entidad=drtpe_puno).count() == 0

    # The tab is closed; the connection is back; the page is opened again in a new tab: everything
    # typed is there (the value too, typed as the page opened: test_entrega_sin_conexion_journey); sent.
    page = reabrir(page, f"/planes/{esc.plan.pk}/reportar/{anio.pk}/")
    assert "Se recuperó lo que escribió en esta computadora" in page.locator("#estado-local").inner_text()
    assert page.locator(f"#id_i{ind1.pk}-valor").input_value() == "15"
    assert page.locator(f"#id_i{ind1.pk}-medidas_correctivas").input_value() == "Talleres reprogramados para mayo en Juliaca."
    assert page.locator(f"#id_i{ind2.pk}-condicion").input_value() == "no_aplica"
    page.get_by_role("button", name="Enviar al ministerio").click()
    page.locator(".messages, #errores").first.wait_for()
    assert not page.locator("#errores").count(), page.locator("#errores").inner_text()
    assert "Se enviaron 2 registro(s) al ministerio" in page.locator(".messages").inner_text()
    assert "Guardado en el servidor" in page.locator("#estado-local").inner_text()
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('amc-entrega:')).length") == 0
    filas = {v.indicador_id: v for v in ValorIndicador.objects.filter(entidad=drtpe_puno)}
    assert set(filas) == {ind1.pk, ind2.pk}  # the optional third left blank: not filed
    assert filas[ind1.pk].valor == Decimal("15") and filas[ind2.pk].condicion == "no_aplica"

    # The reviewer finds the entry in the queue on the home page and returns one value.
    _como(page, "mtpe-ciclo")
    page.goto("/")
    cola = page.locator("#cola-revision")
    assert "DRTPE Puno" in cola.inner_text()
    fila = cola.locator(f"#revisar-{anio.pk}-{drtpe_puno.pk}")
    assert "DRTPE Puno" in fila.inner_text() and "2" in fila.locator("td.num").first.inner_text()
    fila.get_by_role("link", name="Revisar").click()
    seccion = page.locator(f"#rev-ind-{ind1.pk}")
    seccion.get_by_label("Observación").fill("El acta no tiene la lista de asistentes")
    seccion.get_by_role("button", name="Devolver con observación").click()
    assert "Devuelto a la entidad" in page.locator(".messages").inner_text()

    # The ministry's own value: the reviewer may not approve it, and is told why.
    page.goto(f"/planes/{esc.plan.pk}/revision/{anio.pk}/{mtpe.pk}/")
    assert "No puede aprobar lo que registró su propia entidad" in page.locator("#aviso-propio").inner_text()
    assert page.get_by_role("button", name="Aprobar").count() == 0
    assert ValorIndicador.objects.get(indicador=ind_mtpe).estado == "enviado"

    # Puno sees the notice with its link, corrects and resubmits.
    _como(page, "puno-ciclo")
    page.goto("/avisos/")
    aviso = page.locator(".aviso-item.no-leido", has_text="El acta no tiene la lista de asistentes")
    aviso.locator(".aviso-titulo a").click()
    assert page.url.endswith(f"/reportar/{anio.pk}/#ind-{ind1.pk}")
    page.locator(f"#id_i{ind1.pk}-valor").fill("16")
    page.locator(f"#id_i{ind1.pk}-evidencia_url").fill("https://example.org/acta-con-asistentes.pdf")
    page.locator(f"#id_i{ind1.pk}-motivo").fill("Acta con la lista de asistentes; un asistente más")
    page.get_by_role("button", name="Enviar al ministerio").click()
    assert "Se enviaron 1 registro(s)" in page.locator(".messages").inner_text()

    # The reviewer approves.
    _como(page, "mtpe-ciclo")
    page.goto(f"/planes/{esc.plan.pk}/revision/{anio.pk}/{drtpe_puno.pk}/")
    page.locator("#confirmar-aprobar-todo").check()
    page.get_by_role("button", name="Aprobar todo lo enviado").click()
    assert "Se aprobaron 2 registro(s)." in page.locator(".messages").inner_text()
    assert set(ValorIndicador.objects.filter(entidad=drtpe_puno).values_list("estado", flat=True)) == {"aprobado"}

    # The period's evaluation: the page, the PDF and the Excel file.
    page.goto(f"/planes/{esc.plan.pk}/evaluacion/{anio.pk}/")
    seccion = page.locator(f"#entidad-{drtpe_puno.pk}").inner_text()
    assert "Heladas: se suspendieron dos talleres en Azángaro." in seccion
    assert "Talleres reprogramados para mayo en Juliaca." in seccion and "80.0%" in seccion  # 16 of 20
    assert "No aplica" in seccion and "El programa se suspendió por las heladas en la región" in seccion
    with page.expect_download() as descarga:
        page.locator("#descargar-pdf").click()
    with pdfplumber.open(io.BytesIO(open(descarga.value.path(), "rb").read())) as pdf:
        texto = " ".join(" ".join(p.extract_text() or "" for p in pdf.pages).split())
    assert "Heladas: se suspendieron dos talleres en Azángaro." in texto and "Talleres reprogramados para mayo en Juliaca." in texto
    assert "80.0%" in texto and "El programa se suspendió por las heladas en la región" in texto
    with page.expect_download() as descarga:
        page.locator("#descargar-xlsx").click()
    wb = openpyxl.load_workbook(io.BytesIO(open(descarga.value.path(), "rb").read()))
    celdas = [c for ws in wb.worksheets for fila in ws.iter_rows(values_only=True) for c in fila if c is not None]
    assert 16 in celdas and "Heladas: se suspendieron dos talleres en Azángaro." in celdas
    assert "Talleres reprogramados para mayo en Juliaca." in celdas
    assert "No aplica: El programa se suspendió por las heladas en la región" in celdas
