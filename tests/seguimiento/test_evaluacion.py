"""The period's evaluation: difficulties and corrective measures on the values off their target
(entry page, history), the entities' summaries of achievements (seguimiento.LogrosPeriodo,
services.logros_save), and the report /planes/<id>/evaluacion/<periodo>/ (page, PDF, Excel):
figures, completeness and timeliness per entity, who reads which part, a fixed number of queries."""
import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from amc.access import Rol
from matrices.models import Indicador, Sentido
from planes.models import Entidad
from seguimiento import registros, reports, rules, services
from seguimiento.models import HistorialLogros, HistorialValor, LogrosPeriodo, PeriodoReporte, ValorIndicador
from seguimiento.services import EntregaInvalida, ValorInput
from tests import factories as f
from tests.seguimiento import factories as sf
from tests.seguimiento.conftest import estado_bd

pytestmark = pytest.mark.django_db
D = Decimal
URL_A = "https://example.org/acta.pdf"

DIFICULTADES = "Paro de transportistas en Juliaca: se suspendieron dos talleres."
MEDIDAS = "Se reprograman los talleres para mayo, con convocatoria por radio."
LOGROS = "Se capacitó a 40 servidores de las agencias de Juliaca y Puno."
RESERVADO = "Texto de la otra región: solo lo lee el ministerio."


def _entregar(esc, entidad, valores: dict, *, user, dificultades=None, periodo=None):
    """Submit `entidad`'s values {indicator: value}; `dificultades` {indicator: (difficulties, measures)}."""
    dificultades = dificultades or {}
    services.entrega_save(
        periodo=periodo or esc.periodo, entidad=entidad, user=user, enviar=True,
        valores={ind.pk: ValorInput(valor=D(v), evidencia_url=URL_A, dificultades=dificultades.get(ind, ("", ""))[0],
                                    medidas_correctivas=dificultades.get(ind, ("", ""))[1]) for ind, v in valores.items()},
    )


def _esc_evaluacion():
    """Puno and a second region (sigla «DRTPE Cusco»), three indicators each, target 10 for the
    first quarter (Puno's third descending). Puno submits 10, 6 (with difficulties and measures)
    and 12 (descending: off track, unexplained), three days late, with its summary of achievements;
    Cusco submits its three, one off track with its own text, and then gets a fourth indicator."""
    esc = sf.escenario(n_indicadores=3, n_actividades=0, extra_regiones=1)
    otra = next(i.entidad for i in esc.indicadores if i.entidad_id != esc.puno.pk)
    Entidad.objects.filter(pk=otra.pk).update(sigla="DRTPE Cusco", codigo="drtpe-cusco-prueba",
                                              nombre="Dirección Regional de Trabajo y Promoción del Empleo del Cusco (prueba)")
    otra.refresh_from_db()
    esc.cusco = otra
    esc.users["cusco"] = f.make_user(Rol.REGIONAL, otra)
    puno_ind = [i for i in esc.indicadores if i.entidad_id == esc.puno.pk]
    cusco_ind = [i for i in esc.indicadores if i.entidad_id == otra.pk]
    puno_ind[2].sentido = Sentido.DESCENDENTE
    puno_ind[2].save()
    for ind in esc.indicadores:
        sf.meta_periodo(ind, esc.periodo, 10)
    _entregar(esc, esc.puno, dict(zip(puno_ind, (10, 6, 12))), user=esc.users["puno"],
              dificultades={puno_ind[1]: (DIFICULTADES, MEDIDAS)})
    services.logros_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], texto=LOGROS, enviar=True)
    tarde = timezone.make_aware(datetime.datetime.combine(esc.periodo.entrega_hasta + datetime.timedelta(days=3), datetime.time(10)))
    ValorIndicador.objects.filter(entidad=esc.puno).update(enviado_en=tarde)
    _entregar(esc, otra, dict(zip(cusco_ind, (10, 2, 9))), user=esc.users["cusco"], dificultades={cusco_ind[1]: (RESERVADO, "")})
    # Added after the entry was sent, and reported every period (so due in this one): still missing.
    nuevo = sf.make_indicador(esc.plan, otra, 4, nombre="Indicador agregado después", meta_anual=100)
    Indicador.objects.filter(pk=nuevo.pk).update(frecuencia_reporte=esc.periodo.frecuencia)
    esc.puno_ind, esc.cusco_ind = puno_ind, cusco_ind
    return esc


def _form(esc, accion="borrador", valor="5", **extra):
    """The entry form as the page posts it: every Puno indicator and activity, and the summary."""
    datos = {"accion": accion, "logros-texto": ""}
    for i in esc.indicadores:
        datos.update({f"i{i.pk}-valor": valor, f"i{i.pk}-evidencia_url": URL_A})
    for a in esc.actividades:
        datos.update({f"a{a.pk}-situacion": "en_proceso", f"a{a.pk}-avance_fisico": "40"})
    datos.update(extra)
    return datos


def url_reportar(esc, periodo=None):
    return reverse("seguimiento:reportar", args=[esc.plan.pk, (periodo or esc.periodo).pk])


def url_eval(esc, periodo=None, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("seguimiento:evaluacion", args=[esc.plan.pk, (periodo or esc.periodo).pk]) + (f"?{query}" if query else "")


# --- difficulties and measures on the values -----------------------------------------------------

def test_the_entry_page_asks_for_difficulties_where_the_value_is_off_its_target(client, esc):
    uno, dos = esc.indicadores
    for ind in (uno, dos):
        sf.meta_periodo(ind, esc.periodo, 20)
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"],
                          valores={uno.pk: ValorInput(valor=D(19)), dos.pk: ValorInput(valor=D(8))})
    client.force_login(esc.users["puno"])
    body = client.get(url_reportar(esc)).content.decode()
    abierto = body.split(f'id="evaluacion-{dos.pk}"')[1].split(">")[0]
    cerrado = body.split(f'id="evaluacion-{uno.pk}"')[1].split(">")[0]
    assert " open" in abierto and " open" not in cerrado
    assert "Por debajo de la meta del periodo: explique las dificultades y las medidas correctivas" in body
    assert f'name="i{dos.pk}-dificultades"' in body and f'name="i{dos.pk}-medidas_correctivas"' in body
    assert "Logro del periodo: <b>40.0%</b>" in body and "Logro del periodo: <b>95.0%</b>" in body


def test_a_descending_value_above_its_target_is_off_track_on_the_entry_page(client, esc):
    ind = esc.indicadores[0]
    ind.sentido = Sentido.DESCENDENTE
    ind.save()
    sf.meta_periodo(ind, esc.periodo, 20)
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], valores={ind.pk: ValorInput(valor=D(30))})
    client.force_login(esc.users["puno"])
    body = client.get(url_reportar(esc)).content.decode()
    assert " open" in body.split(f'id="evaluacion-{ind.pk}"')[1].split(">")[0]
    assert "Descendente: menos es mejor" in body and "Logro del periodo: <b>50.0%</b>" in body


def test_difficulties_are_saved_from_the_page_and_a_later_change_is_kept_in_the_values_history(client, esc):
    ind = esc.indicadores[0]
    client.force_login(esc.users["puno"])
    datos = _form(esc, "enviar", **{f"i{ind.pk}-dificultades": DIFICULTADES, f"i{ind.pk}-medidas_correctivas": MEDIDAS})
    assert client.post(url_reportar(esc), datos).status_code == 302
    valor = ValorIndicador.objects.get(indicador=ind)
    assert (valor.estado, valor.dificultades, valor.medidas_correctivas) == ("enviado", DIFICULTADES, MEDIDAS)

    # Changing them once submitted needs a reason, like any change, and stays in the history.
    datos[f"i{ind.pk}-medidas_correctivas"] = "Talleres virtuales desde abril."
    antes = estado_bd()
    body = client.post(url_reportar(esc), {**datos, "accion": "borrador"}).content.decode()
    assert rules.cambio_sin_motivo(registros.VALOR) in body and estado_bd() == antes
    datos[f"i{ind.pk}-motivo"] = "La radio no cubre las provincias altas."
    assert client.post(url_reportar(esc), {**datos, "accion": "borrador"}).status_code == 302
    valor.refresh_from_db()
    assert valor.medidas_correctivas == "Talleres virtuales desde abril."
    fila = HistorialValor.objects.filter(registro=valor, accion="cambiado").get()
    assert fila.detalle == "medidas correctivas" and fila.motivo == "La radio no cubre las provincias altas."


def test_the_import_leaves_the_difficulties_as_they_are(esc):
    # The Excel sheet of values has no column for them: importing a value does not wipe them.
    from importacion.services import hoja_por_clave, importar_libro
    from tests.importacion.helpers import libro

    ind = esc.indicadores[0]
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"],
                          valores={ind.pk: ValorInput(valor=D(3), dificultades=DIFICULTADES, medidas_correctivas=MEDIDAS)})
    cabecera = ["Plan", "Entidad", "Indicador (orden)", "Indicador", "Periodo", "Valor", "Enlace del medio de verificación",
                "Comentario", "Motivo del cambio", "Estado"]
    data = libro({"Valores de indicadores": [cabecera, [esc.plan.codigo, "drtpe-puno", 1, "", esc.periodo.nombre_corto, 7, "", "", "", ""]]})
    hecho = importar_libro(data=data, nombre="v.xlsx", plan=esc.plan, entidad=esc.puno, usuario=esc.users["puno"],
                           clases=[hoja_por_clave("valorindicador")], aplicar=True)
    assert hecho.aplicado, hecho.errores
    valor = ValorIndicador.objects.get(indicador=ind)
    assert (valor.valor, valor.dificultades, valor.medidas_correctivas) == (D(7), DIFICULTADES, MEDIDAS)


# --- the summary of achievements ------------------------------------------------------------------

def test_the_summary_is_drafted_sent_with_the_entry_and_every_change_is_traced(client, esc):
    client.force_login(esc.users["puno"])
    response = client.post(url_reportar(esc), _form(esc, valor="", **{"logros-texto": LOGROS}), follow=True)
    assert "Borrador guardado (3 registro(s)). Se guardó el resumen de logros del periodo." in response.content.decode()
    response = client.post(url_reportar(esc), _form(esc, **{"logros-texto": LOGROS}), follow=True)
    body = response.content.decode()
    assert "Borrador guardado (2 registro(s))." in body and "resumen de logros del periodo." not in body  # it did not change
    response = client.post(url_reportar(esc), _form(esc, **{"logros-texto": LOGROS + " (borrador 2)"}), follow=True)
    assert '<li class="success">Se guardó el resumen de logros del periodo.</li>' in response.content.decode()
    services.logros_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], texto=LOGROS)
    logros = LogrosPeriodo.objects.get(periodo=esc.periodo, entidad=esc.puno)
    assert (logros.texto, logros.enviado_en, logros.actualizado_por) == (LOGROS, None, esc.users["puno"])
    services.logros_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], texto=LOGROS, enviar=True)
    services.logros_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], texto=LOGROS + " Y 5 más.")
    logros.refresh_from_db()
    assert logros.enviado_en is not None and logros.texto == LOGROS + " Y 5 más."
    assert list(HistorialLogros.objects.filter(registro=logros).values_list("accion", "texto_anterior", "texto_nuevo")) == [
        ("redactado", "", LOGROS), ("redactado", LOGROS, LOGROS + " (borrador 2)"), ("redactado", LOGROS + " (borrador 2)", LOGROS),
        ("enviado", LOGROS, LOGROS), ("cambiado", LOGROS, LOGROS + " Y 5 más.")]
    # saving the same text again is not a change
    assert services.logros_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], texto=LOGROS + " Y 5 más.") == ""
    assert HistorialLogros.objects.filter(registro=logros).count() == 5
    body = client.get(url_reportar(esc)).content.decode()
    assert "Y 5 más." in body and "Enviado al ministerio el" in body


def test_a_summary_too_long_or_in_a_closed_period_is_refused_and_nothing_is_saved(client, esc):
    client.force_login(esc.users["puno"])
    antes = estado_bd()
    body = client.post(url_reportar(esc), _form(esc, **{"logros-texto": "x" * 3001})).content.decode()
    assert "No se guardó nada" in body and "Logros del periodo: El resumen de logros es breve: hasta 3000 caracteres (tiene 3001)" in body
    assert not LogrosPeriodo.objects.exists() and estado_bd() == antes

    PeriodoReporte.objects.filter(pk=esc.periodo.pk).update(entrega_hasta=sf.hoy() - datetime.timedelta(days=1),
                                                            entrega_desde=sf.hoy() - datetime.timedelta(days=100))
    esc.periodo.refresh_from_db()
    with pytest.raises(EntregaInvalida) as exc:
        services.logros_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], texto=LOGROS)
    assert exc.value.errores == {"logros": {"texto": [rules.periodo_cerrado(esc.periodo)]}}
    assert not LogrosPeriodo.objects.exists()


def test_the_summary_of_an_approved_entry_does_not_change(esc):
    otra = f.make_entidad("GR")  # another entity still to file: the period stays open
    esc.plan.participaciones.create(entidad=otra, orden=5)
    sf.make_indicador(esc.plan, otra, 1)
    ind_valores = {ind: 5 for ind in esc.indicadores}
    _entregar(esc, esc.puno, ind_valores, user=esc.users["puno"])
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], enviar=True,
                          avances={esc.actividades[0].pk: services.AvanceInput(situacion="en_proceso", avance_fisico=D(5))})
    services.entrega_approve(periodo=esc.periodo, entidad=esc.puno, user=esc.users["mtpe"])
    with pytest.raises(EntregaInvalida) as exc:
        services.logros_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], texto=LOGROS)
    assert exc.value.errores == {"logros": {"texto": [rules.LOGROS_ENTREGA_APROBADA]}}
    assert not LogrosPeriodo.objects.exists()


def test_only_the_entitys_staff_write_its_summary(esc):
    otra = f.make_entidad("GR")
    esc.plan.participaciones.create(entidad=otra, orden=5)
    with pytest.raises(Exception) as exc:
        services.logros_save(periodo=esc.periodo, entidad=esc.puno, user=f.make_user(Rol.REGIONAL, otra), texto=LOGROS)
    assert "solo los registra el personal de DRTPE Puno" in str(exc.value)
    with pytest.raises(Exception):
        services.logros_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["planificador"], texto=LOGROS)
    assert not LogrosPeriodo.objects.exists()


# --- the report's data ---------------------------------------------------------------------------

def test_the_report_gathers_figures_difficulties_summary_completeness_and_timeliness(db):
    esc = _esc_evaluacion()
    data = reports.evaluacion(plan=esc.plan, periodo=esc.periodo)
    puno, cusco = data.entidades
    assert (puno.entidad, cusco.entidad) == (esc.puno, esc.cusco)
    filas = {fl.indicador.pk: fl for fl in puno.filas}
    uno, dos, tres = (filas[i.pk] for i in esc.puno_ind)
    assert (uno.celda.meta, uno.celda.valor, uno.celda.logro, uno.celda.semaforo) == (D(10), D(10), D(1), "en_meta")
    assert (dos.celda.logro, dos.celda.semaforo, dos.dificultades, dos.medidas_correctivas) == (D("0.6"), "debajo", DIFICULTADES, MEDIDAS)
    assert (tres.sentido, tres.celda.logro, tres.celda.semaforo, tres.sin_explicar) == ("Descendente", D("0.8"), "debajo", True)
    assert [fl.indicador.pk for fl in puno.fuera_de_meta] == [esc.puno_ind[1].pk, esc.puno_ind[2].pk] and puno.sin_explicar == 1
    assert puno.logros.texto == LOGROS
    r = puno.resumen
    assert (r.esperados, r.enviados, r.en_meta, r.debajo, r.encima, r.sin_semaforo) == (3, 3, 1, 2, 0, 0)
    assert (r.puntualidad.situacion, r.puntualidad.dias_retraso) == ("tarde", 3)
    assert r.puntualidad.etiqueta.endswith(": 3 días después del plazo")
    rc = cusco.resumen
    assert (rc.esperados, rc.enviados, rc.puntualidad.situacion) == (4, 3, "incompleto") and cusco.logros is None
    assert (data.total.esperados, data.total.enviados, data.total.en_meta, data.total.debajo) == (7, 6, 3, 3)


def test_after_the_deadline_a_missing_entry_says_how_many_days_overdue(db):
    esc = _esc_evaluacion()
    data = reports.evaluacion(plan=esc.plan, periodo=esc.periodos[1], hoy=esc.periodos[1].entrega_hasta)
    punt = data.resumen[0].puntualidad
    assert (punt.situacion, punt.dias_retraso, punt.con_dias) == ("pendiente", 0, "Pendiente")  # its last day
    data = reports.evaluacion(plan=esc.plan, periodo=esc.periodos[1], hoy=esc.periodos[1].entrega_hasta + datetime.timedelta(days=10))
    punt = data.resumen[0].puntualidad
    assert (punt.situacion, punt.dias_retraso, punt.con_dias) == ("no_presentado", 10, "No presentado: el plazo venció hace 10 días")
    cusco = data.resumen[1].puntualidad
    assert cusco.situacion == "no_presentado"


def test_the_cumulative_figures_run_from_the_first_period_of_the_year(db):
    esc = sf.escenario(n_indicadores=1, n_actividades=0)
    ind = esc.indicadores[0]
    t1, t2 = esc.periodos[:2]
    for p, meta, valor in ((t1, 10, 8), (t2, 10, 9)):
        sf.meta_periodo(ind, p, meta)
        _entregar(esc, esc.puno, {ind: valor}, user=esc.users["puno"], periodo=p)
    fila = reports.evaluacion(plan=esc.plan, periodo=t2).entidades[0].filas[0]
    assert (fila.celda.valor, fila.celda.acumulado, fila.celda.meta_acumulada, fila.celda.logro_acumulado) == (D(9), D(17), D(20), D("0.85"))


def test_a_returned_value_counts_as_filed_without_figures(db):
    esc = _esc_evaluacion()
    valor = ValorIndicador.objects.get(indicador=esc.puno_ind[0])
    services.registro_return(registro=valor, user=esc.users["mtpe"], observacion="Falta la lista con DNI.")
    puno = reports.evaluacion(plan=esc.plan, periodo=esc.periodo).entidades[0]
    fila = next(fl for fl in puno.filas if fl.indicador.pk == esc.puno_ind[0].pk)
    assert (fila.enviado, fila.estado, fila.celda.valor, fila.celda.semaforo) == (True, "devuelto", None, None)
    assert (puno.resumen.enviados, puno.resumen.en_meta, puno.resumen.sin_semaforo) == (3, 0, 1)


def test_the_report_costs_the_same_queries_for_any_size(db, django_assert_num_queries):
    pequeno = _esc_evaluacion()
    grande = sf.escenario(n_indicadores=15, n_actividades=0, extra_regiones=4, frecuencia="mensual", usuarios=False)
    regiones = {i.entidad for i in grande.indicadores}
    for periodo in grande.periodos[:4]:
        for ind in grande.indicadores:
            sf.meta_periodo(ind, periodo, 5)
        for entidad in regiones:
            user = f.make_user(Rol.REGIONAL, entidad)
            _entregar(grande, entidad, {i: 3 for i in grande.indicadores if i.entidad_id == entidad.pk}, user=user, periodo=periodo,
                      dificultades={i: (DIFICULTADES, MEDIDAS) for i in grande.indicadores})
            services.logros_save(periodo=periodo, entidad=entidad, user=user, texto=LOGROS, enviar=True)
    with django_assert_num_queries(12) as small:  # 7 + what is due (registros.exigidos: 5)
        reports.evaluacion(plan=pequeno.plan, periodo=pequeno.periodo)
    with django_assert_num_queries(len(small.captured_queries)):
        data = reports.evaluacion(plan=grande.plan, periodo=grande.periodos[3])
    assert len(data.entidades) == 5 and sum(len(b.filas) for b in data.entidades) == 75
    assert all(b.resumen.debajo == 15 and b.sin_explicar == 0 and b.logros for b in data.entidades)
    assert data.entidades[0].filas[0].celda.acumulado == D(12)  # four months of 3


# --- rendered, and who reads what ----------------------------------------------------------------

def _pdf_text(content) -> str:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_page_pdf_and_excel_show_the_numbers_a_planner_checks(client, db):
    esc = _esc_evaluacion()
    client.force_login(esc.users["planificador"])
    response = client.get(url_eval(esc))
    body = response.content.decode()
    assert response.status_code == 200 and f"Evaluación del periodo: {esc.periodo.nombre}" in body
    assert DIFICULTADES in body and MEDIDAS in body and LOGROS in body and RESERVADO in body
    assert "DRTPE Puno no registró dificultades ni medidas correctivas." in body  # the descending one, unexplained
    assert "Enviado con retraso" in body and "3 días después del plazo" in body and "Incompleto: 3 de 4 enviados" in body
    assert "60.0%" in body and "80.0%" in body and 'id="descargar-pdf"' in body

    texto = " ".join(_pdf_text(client.get(url_eval(esc, formato="pdf")).content).split())
    assert "Evaluación del periodo" in texto and "Paro de transportistas en Juliaca" in texto
    assert "Se capacitó a 40 servidores" in texto and "3 días después del plazo" in texto
    assert "60.0%" in texto and "Incompleto: 3 de 4 enviados" in texto

    response = client.get(url_eval(esc, formato="xlsx"))
    assert response["Content-Disposition"].endswith(f'_evaluacion-t1-{esc.periodo.anio}_{timezone.localdate():%Y-%m-%d}.xlsx"')
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Resumen", "Indicadores", "Logros"]
    resumen = {r[0]: r for r in wb["Resumen"].iter_rows(values_only=True) if r and r[0] in ("DRTPE Puno", "DRTPE Cusco", "Total del plan")}
    assert resumen["DRTPE Puno"][1:8] == (3, 3, 100, 1, 2, 0, 0) and resumen["DRTPE Puno"][11] == 3
    assert resumen["DRTPE Cusco"][1:4] == (4, 3, 75) and resumen["Total del plan"][1:3] == (7, 6)
    ind = {(r[0], r[1]): r for r in wb["Indicadores"].iter_rows(values_only=True) if r and r[0] in ("DRTPE Puno", "DRTPE Cusco")}
    assert ind[("DRTPE Puno", 2)][4:9] == (10, 6, "Enviado", 60, "Por debajo")
    assert ind[("DRTPE Puno", 2)][13:15] == (DIFICULTADES, MEDIDAS)
    assert ind[("DRTPE Puno", 3)][3] == "Descendente" and ind[("DRTPE Puno", 3)][7:9] == (80, "Por debajo")
    logros = {r[0]: r for r in wb["Logros"].iter_rows(values_only=True) if r and r[0] in ("DRTPE Puno", "DRTPE Cusco")}
    assert logros["DRTPE Puno"][1] == LOGROS and logros["DRTPE Cusco"][1] == "Sin resumen de logros enviado."


def test_a_regional_user_reads_its_own_part_and_the_plan_wide_figures(client, db):
    esc = _esc_evaluacion()
    client.force_login(esc.users["puno"])
    for formato in ("", "pdf", "xlsx"):
        response = client.get(url_eval(esc, **({"formato": formato} if formato else {})))
        assert response.status_code == 200
        if formato == "xlsx":
            wb = openpyxl.load_workbook(io.BytesIO(response.content))
            entidades = {r[0] for r in wb["Indicadores"].iter_rows(values_only=True) if r and r[1] and r[0] != "Entidad"}
            assert entidades == {"DRTPE Puno"}
            assert {r[0] for r in wb["Resumen"].iter_rows(values_only=True) if r} >= {"DRTPE Puno", "DRTPE Cusco"}
            assert RESERVADO not in str([c.value for ws in wb for row in ws.iter_rows() for c in row])
            continue
        texto = response.content.decode() if not formato else " ".join(_pdf_text(response.content).split())
        assert "Paro de transportistas en Juliaca" in texto and "Se capacitó a 40 servidores" in texto
        assert "DRTPE Cusco" in texto  # its row in the plan-wide summary
        assert "Texto de la otra región" not in texto and "Indicador agregado después" not in texto
    body = client.get(url_eval(esc)).content.decode()
    assert 'id="solo-propia"' in body and 'name="entidad"' not in body  # no entity filter to choose another
    client.force_login(esc.users["cusco"])
    body = client.get(url_eval(esc)).content.decode()
    assert RESERVADO in body and DIFICULTADES not in body and LOGROS not in body


def test_ministry_staff_narrow_it_to_one_entity_and_a_bad_one_is_a_400(client, db):
    esc = _esc_evaluacion()
    client.force_login(esc.users["mtpe"])
    body = client.get(url_eval(esc, entidad="drtpe-cusco-prueba")).content.decode()
    assert RESERVADO in body and DIFICULTADES not in body and "DRTPE Puno" in body  # Puno still in the summary
    response = client.get(url_eval(esc, entidad="nada"))
    assert response.status_code == 400 and "Valores posibles" in response.content.decode()


def test_users_of_other_plans_do_not_read_it(client, db):
    esc = _esc_evaluacion()
    otra = f.make_entidad("GR")
    client.force_login(f.make_user(Rol.REGIONAL, otra))
    assert client.get(url_eval(esc)).status_code == 404
    otro_plan = f.make_plan(participantes=[otra])
    assert client.get(reverse("seguimiento:evaluacion", args=[otro_plan.pk, esc.periodo.pk])).status_code == 404


def test_linked_from_the_plans_follow_up_links_and_the_periods_page(client, db):
    esc = _esc_evaluacion()
    client.force_login(esc.users["planificador"])
    body = client.get(reverse("plan_detail", args=[esc.plan.pk])).content.decode()
    actual = reverse("seguimiento:evaluacion_actual", args=[esc.plan.pk])
    assert f'href="{actual}"' in body
    response = client.get(actual)
    periodo = PeriodoReporte.objects.filter(plan=esc.plan, inicio__lte=sf.hoy()).order_by("-inicio").first()
    assert response.status_code == 302 and response["Location"] == url_eval(esc, periodo)
    body = client.get(reverse("seguimiento:periodos", args=[esc.plan.pk])).content.decode()
    for p in esc.periodos:
        assert f'href="{url_eval(esc, p)}"' in body
    sin_periodos = f.make_plan(rector=esc.mtpe)
    response = client.get(reverse("seguimiento:evaluacion_actual", args=[sin_periodos.pk]), follow=True)
    assert "aún no tiene periodos de reporte" in response.content.decode()


# --- the demonstration data ----------------------------------------------------------------------

DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"


def test_the_demo_explains_punos_off_track_values_as_demonstration(seed_plan, client):
    call_command("loaddata", str(DEMO / "usuarios.json"), str(DEMO / "z_seguimiento.json"), verbosity=0)
    objetos = json.loads((DEMO / "z_seguimiento.json").read_text(encoding="utf-8"))
    textos = [o["fields"][c] for o in objetos for c in ("dificultades", "medidas_correctivas", "texto") if o["fields"].get(c)]
    assert textos and all(t.startswith("Demostración:") for t in textos)
    t3 = PeriodoReporte.objects.get(plan=seed_plan, anio=2015, numero=3)
    data = reports.evaluacion(plan=seed_plan, periodo=t3)
    puno = next(b for b in data.entidades if b.entidad.codigo == "drtpe-puno")
    assert len(puno.fuera_de_meta) == 3 and puno.sin_explicar == 0
    assert puno.logros is not None and puno.logros.texto.startswith("Demostración:")
    call_command("loaddata", str(DEMO / "z_seguimiento.json"), verbosity=0)  # twice: nothing duplicated
    assert LogrosPeriodo.objects.filter(periodo__plan=seed_plan).count() == 3


def test_a_value_filed_as_no_aplica_shows_its_reason_on_the_page_and_in_excel(client):
    esc = sf.escenario(n_indicadores=2, n_actividades=0)
    uno, dos = esc.indicadores[:2]
    for ind in (uno, dos):
        sf.meta_periodo(ind, esc.periodo, 10)
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], enviar=True, valores={
        uno.pk: ValorInput(valor=D("10"), evidencia_url=URL_A),
        dos.pk: ValorInput(condicion="no_aplica", justificacion="El registro regional se cerró por mantenimiento")})
    data = reports.evaluacion(plan=esc.plan, periodo=esc.periodo)
    (bloque,) = data.entidades
    assert [(f.indicador.pk, f.sin_valor, f.justificacion) for f in bloque.sin_valor] == [
        (dos.pk, "No aplica", "El registro regional se cerró por mantenimiento")]
    client.force_login(esc.users["planificador"])
    url = reverse("seguimiento:evaluacion", args=[esc.plan.pk, esc.periodo.pk])
    body = client.get(url).content.decode()
    assert "Indicadores sin valor en el periodo" in body and "El registro regional se cerró por mantenimiento" in body
    wb = openpyxl.load_workbook(io.BytesIO(client.get(url + "?formato=xlsx").content))
    filas = {r[2]: r for r in wb["Indicadores"].iter_rows(min_row=2, values_only=True) if r and r[2]}
    assert filas[dos.nombre][-1] == "No aplica: El registro regional se cerró por mantenimiento"
    assert filas[uno.nombre][-1] in ("", None)
