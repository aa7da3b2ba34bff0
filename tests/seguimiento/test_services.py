"""seguimiento/services.py: filing, submitting, reviewing, reopening; each refusal leaves the
database as it was."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amc.access import Rol
from seguimiento import services
from seguimiento.models import EventoPeriodo, HistorialValor, PeriodoReporte, ValorDesagregado, ValorIndicador
from seguimiento.services import AvanceInput, EntregaInvalida, ValorInput
from tests import factories as f
from tests.seguimiento import factories as sf
from tests.seguimiento.conftest import estado_bd

pytestmark = pytest.mark.django_db
D = Decimal


def _todo(esc, valor="12", **kw):
    """Inputs for every Puno indicator of the scenario, with evidence."""
    return {i.pk: ValorInput(valor=D(valor), evidencia_url="https://example.org/acta.pdf", **kw)
            for i in esc.indicadores if i.entidad_id == esc.puno.pk}


def _enviar(esc, **kw):
    return services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], valores=_todo(esc, **kw), enviar=True)


def test_draft_then_submit_records_the_transition(esc):
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], valores=_todo(esc))
    assert set(ValorIndicador.objects.values_list("estado", flat=True)) == {"borrador"}
    assert HistorialValor.objects.count() == 0  # drafts are not transitions
    resultado = _enviar(esc)
    assert resultado.enviados == 2
    v = ValorIndicador.objects.first()
    assert v.estado == "enviado" and v.enviado_en is not None and v.valor == D("12")
    h = v.historial.get()
    assert (h.accion, h.estado_anterior, h.estado_nuevo, h.usuario) == ("enviado", "borrador", "enviado", esc.users["puno"])


def test_double_submit_is_idempotent(esc):
    _enviar(esc)
    antes = estado_bd()
    resultado = _enviar(esc)
    assert resultado.enviados == 0 and resultado.guardados == 0
    assert estado_bd() == antes


def test_submit_needs_the_due_indicators_value_and_evidence(esc):
    """Issue 11: only what is due is required. Indicator 1 has a target in the period: leaving
    it out refuses the submission, naming why it is due; indicator 2 has none: optional, but
    what is filed for it still needs its evidence."""
    valores = _todo(esc)
    primero, segundo = list(valores)
    sf.meta_periodo(esc.indicadores[0], esc.periodo, 30)
    valores[segundo] = ValorInput(valor=D("3"))  # no evidence
    del valores[primero]
    with pytest.raises(EntregaInvalida) as exc:
        services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], valores=valores, enviar=True)
    assert exc.value.errores[f"i{primero}"]["valor"] == [
        "Se debe reportar en este periodo (tiene meta en este periodo: 30): indique el valor, o elija «No aplica» o "
        "«Sin información» y explique por qué."]
    assert "medio de verificación" in exc.value.errores[f"i{segundo}"]["evidencia"][0]
    assert ValorIndicador.objects.count() == 0


def test_change_after_submission_needs_a_reason_and_is_kept(esc):
    _enviar(esc)
    ind = esc.indicadores[0]
    antes = estado_bd()
    with pytest.raises(EntregaInvalida) as exc:
        services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"],
                              valores={ind.pk: ValorInput(valor=D("15"), evidencia_url="https://example.org/acta.pdf")})
    assert exc.value.errores[f"i{ind.pk}"]["motivo"] == ["Este valor ya fue enviado: explique el motivo del cambio."]
    assert estado_bd() == antes
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"],
                          valores={ind.pk: ValorInput(valor=D("15"), evidencia_url="https://example.org/acta.pdf",
                                                      motivo="Faltaba la lista de asistencia del segundo taller")})
    v = ValorIndicador.objects.get(indicador=ind)
    h = v.historial.last()
    assert (h.accion, h.valor_anterior, h.valor_nuevo) == ("cambiado", D("12"), D("15"))
    assert h.motivo == "Faltaba la lista de asistencia del segundo taller" and "valor: 12 → 15" in h.detalle
    assert v.estado == "enviado"


def test_return_needs_an_observation_then_entity_corrects_and_resubmits(esc):
    _enviar(esc)
    v = ValorIndicador.objects.get(indicador=esc.indicadores[0])
    antes = estado_bd()
    with pytest.raises(ValidationError) as exc:
        services.registro_return(registro=v, user=esc.users["mtpe"], observacion="  ")
    assert "Escriba la observación" in str(exc.value)
    assert estado_bd() == antes
    services.registro_return(registro=v, user=esc.users["mtpe"], observacion="El acta no tiene firmas")
    v.refresh_from_db()
    assert v.estado == "devuelto"
    assert v.historial.last().motivo == "El acta no tiene firmas"
    # The entity corrects it (a reason is needed: it had been submitted) and resubmits.
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], enviar=True,
                          valores={v.indicador_id: ValorInput(valor=D("11"), evidencia_url="https://example.org/acta-firmada.pdf",
                                                              motivo="Acta firmada; un asistente no era servidor")})
    v.refresh_from_db()
    assert v.estado == "enviado" and v.valor == D("11")
    assert [h.accion for h in v.historial.all()] == ["enviado", "devuelto", "cambiado", "enviado"]


def test_approving_every_value_closes_the_period_and_it_takes_no_more_changes(esc):
    for i in esc.indicadores:
        sf.meta_periodo(i, esc.periodo, 10)  # due: the period closes once they are approved
    _enviar(esc)
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], enviar=True,
                          avances={esc.actividades[0].pk: AvanceInput(situacion="en_proceso", avance_fisico=D("40"))})
    n = services.entrega_approve(periodo=esc.periodo, entidad=esc.puno, user=esc.users["mtpe"])
    assert n == 3
    periodo = PeriodoReporte.objects.get(pk=esc.periodo.pk)
    assert periodo.estado == "cerrado"
    assert EventoPeriodo.objects.get(periodo=periodo).accion == "cerrado"
    antes = estado_bd()
    with pytest.raises(EntregaInvalida) as exc:
        services.entrega_save(periodo=periodo, entidad=esc.puno, user=esc.users["puno"], valores=_todo(esc, valor="99"))
    assert "está cerrado: sus valores fueron aprobados" in exc.value.errores[""]["__all__"][0]
    assert estado_bd() == antes
    assert services.entrega_approve(periodo=periodo, entidad=esc.puno, user=esc.users["mtpe"]) == 0  # idempotent


def test_a_period_whose_window_ended_refuses_values(db):
    esc = sf.escenario(abiertos=False)
    periodo = PeriodoReporte.objects.create(plan=esc.plan, frecuencia="trimestral", anio=esc.plan.anio_inicio, numero=1,
                                            inicio=datetime.date(esc.plan.anio_inicio, 1, 1), fin=datetime.date(esc.plan.anio_inicio, 3, 31),
                                            entrega_desde=datetime.date(esc.plan.anio_inicio, 1, 1),
                                            entrega_hasta=datetime.date(esc.plan.anio_inicio, 4, 15))
    with pytest.raises(EntregaInvalida) as exc:
        services.entrega_save(periodo=periodo, entidad=esc.puno, user=esc.users["puno"], valores=_todo(esc))
    assert f"el plazo para registrar venció el 15/04/{esc.plan.anio_inicio}" in exc.value.errores[""]["__all__"][0]
    assert ValorIndicador.objects.count() == 0


def test_reviewer_reopens_with_a_reason_and_approved_values_go_back_returned(esc):
    _enviar(esc)
    services.entrega_approve(periodo=esc.periodo, entidad=esc.puno, user=esc.users["mtpe"])
    with pytest.raises(ValidationError) as exc:
        services.periodo_reopen(periodo=esc.periodo, user=esc.users["mtpe"], motivo="", entrega_hasta=sf.hoy())
    assert exc.value.message_dict["motivo"] == ["Escriba el motivo de la reapertura."]
    with pytest.raises(PermissionDenied):
        services.periodo_reopen(periodo=esc.periodo, user=esc.users["puno"], motivo="quiero", entrega_hasta=sf.hoy())
    services.periodo_reopen(periodo=esc.periodo, user=esc.users["mtpe"], motivo="Error de digitación en el indicador 1",
                            entrega_hasta=sf.hoy() + datetime.timedelta(days=10), entidad=esc.puno)
    periodo = PeriodoReporte.objects.get(pk=esc.periodo.pk)
    assert periodo.estado == "abierto" and periodo.abierto()
    assert set(ValorIndicador.objects.values_list("estado", flat=True)) == {"devuelto"}
    assert ValorIndicador.objects.first().historial.last().motivo == "Error de digitación en el indicador 1"


def test_only_reviewers_approve_or_return_and_nothing_changes_when_refused(esc):
    _enviar(esc)
    v = ValorIndicador.objects.first()
    antes = estado_bd()
    for user in (esc.users["puno"], esc.users["planificador"]):
        with pytest.raises(PermissionDenied) as exc:
            services.registro_approve(registro=v, user=user)
        assert "solo los revisores del ministerio" in str(exc.value)
        with pytest.raises(PermissionDenied):
            services.registro_return(registro=v, user=user, observacion="x")
        with pytest.raises(PermissionDenied):
            services.entrega_approve(periodo=esc.periodo, entidad=esc.puno, user=user)
    assert estado_bd() == antes


def test_a_user_cannot_file_for_another_entity(esc):
    otra = f.make_entidad("GR", sigla="DRTPE Cusco", nombre="DRTPE Cusco")
    cusco = f.make_user(Rol.REGIONAL, otra)
    antes = estado_bd()
    with pytest.raises(PermissionDenied) as exc:
        services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=cusco, valores=_todo(esc))
    assert "solo los registra el personal de DRTPE Puno" in str(exc.value)
    # Ministry staff do not file a region's values either.
    with pytest.raises(PermissionDenied):
        services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["mtpe"], valores=_todo(esc))
    assert estado_bd() == antes


def test_a_forged_indicator_of_another_entity_is_refused_naming_its_owner(esc):
    ajeno = sf.make_indicador(esc.plan, esc.mtpe, 1, nombre="Indicador del ministerio")
    valores = _todo(esc)
    valores[ajeno.pk] = ValorInput(valor=D("1"))
    with pytest.raises(PermissionDenied) as exc:
        services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], valores=valores)
    assert "pertenece a MTPE" in str(exc.value)
    assert ValorIndicador.objects.count() == 0


def test_disaggregated_parts_must_add_up_to_the_total(esc):
    tipo = sf.tipo_sexo()
    ind = esc.indicadores[0]
    sf.desagregar(ind, tipo)
    mujeres, hombres = tipo.categorias.order_by("orden")
    valores = _todo(esc)
    valores[ind.pk] = ValorInput(valor=D("12"), evidencia_url="https://example.org/a.pdf", partes={mujeres.pk: D("5"), hombres.pk: D("6")})
    with pytest.raises(EntregaInvalida) as exc:
        services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], valores=valores)
    assert exc.value.errores[f"i{ind.pk}"][f"tipo{tipo.pk}"] == [
        "Desagregación por sexo: las partes (Mujeres 5 + Hombres 6 = 11) no suman el total (12)."]
    assert ValorIndicador.objects.count() == 0 and ValorDesagregado.objects.count() == 0
    valores[ind.pk].partes = {mujeres.pk: D("5")}
    with pytest.raises(EntregaInvalida) as exc:
        services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], valores=valores)
    assert "falta Hombres" in exc.value.errores[f"i{ind.pk}"][f"tipo{tipo.pk}"][0]
    valores[ind.pk].partes = {mujeres.pk: D("5"), hombres.pk: D("7")}
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], valores=valores)
    v = ValorIndicador.objects.get(indicador=ind)
    assert {p.categoria.codigo: p.cantidad for p in v.partes.all()} == {"mujeres": D("5"), "hombres": D("7")}


def test_negative_value_and_progress_over_100_are_refused_and_nothing_saved(esc):
    valores = _todo(esc)
    valores[esc.indicadores[0].pk] = ValorInput(valor=D("-1"))
    avances = {esc.actividades[0].pk: AvanceInput(situacion="en_proceso", avance_fisico=D("120"))}
    with pytest.raises(EntregaInvalida) as exc:
        services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], valores=valores, avances=avances)
    errores = exc.value.errores
    assert "El valor no puede ser negativo." in str(errores[f"i{esc.indicadores[0].pk}"])
    assert "no puede pasar de 100%" in str(errores[f"a{esc.actividades[0].pk}"])
    assert estado_bd()[0] == [] and estado_bd()[2] == []


def test_a_done_activity_is_at_100_percent(esc):
    with pytest.raises(EntregaInvalida) as exc:
        services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"],
                              avances={esc.actividades[0].pk: AvanceInput(situacion="concluida", avance_fisico=D("80"))})
    assert "Una actividad concluida tiene 100% de avance físico." in str(exc.value.errores)


def test_evidence_files_are_checked_for_type_content_and_size(esc, settings):
    settings.SEGUIMIENTO_EVIDENCIA_MAX_MB = 1
    ind = esc.indicadores[0]
    casos = [
        (sf.pdf("programa.exe", b"MZ\x90\x00"), "Tipo de archivo no aceptado"),
        (sf.pdf("informe.pdf", b"MZ\x90\x00 no es un pdf"), "no es un PDF válido"),
        (sf.pdf("grande.pdf", sf.PDF_BYTES + b"0" * (1024 * 1024 + 1)), "el máximo es 1 MB"),
    ]
    for archivo, mensaje in casos:
        with pytest.raises(EntregaInvalida) as exc:
            services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"],
                                  valores={ind.pk: ValorInput(valor=D("3"), evidencia=archivo)})
        assert mensaje in str(exc.value.errores[f"i{ind.pk}"]["evidencia"])
    assert ValorIndicador.objects.count() == 0
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"],
                          valores={ind.pk: ValorInput(valor=D("3"), evidencia=sf.pdf())})
    v = ValorIndicador.objects.get()
    assert v.evidencia.name.startswith(f"seguimiento/{esc.plan.pk}/{esc.periodo.pk}/") and v.evidencia.name.endswith("_informe.pdf")


def test_resending_the_same_file_is_not_a_change(esc):
    ind = esc.indicadores[0]
    valores = _todo(esc)
    valores[ind.pk] = ValorInput(valor=D("3"), evidencia=sf.pdf())
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], valores=valores, enviar=True)
    antes = estado_bd()
    valores[ind.pk] = ValorInput(valor=D("3"), evidencia=sf.pdf())
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], valores=valores, enviar=True)
    assert estado_bd() == antes


def test_periods_are_generated_per_frequency_with_their_windows(esc):
    plan = f.make_plan(rector=esc.mtpe, participantes=[esc.puno], anio_inicio=2015, anio_fin=2015)
    creados = services.periodos_generate(plan=plan, anio=2015, frecuencia="mensual", user=esc.users["mtpe"], dias_entrega=10)
    assert [p.nombre for p in creados[:2]] == ["Enero 2015", "Febrero 2015"] and len(creados) == 12
    assert creados[1].fin == datetime.date(2015, 2, 28) and creados[1].entrega_hasta == datetime.date(2015, 3, 10)
    assert services.periodos_generate(plan=plan, anio=2015, frecuencia="mensual", user=esc.users["mtpe"]) == []
    with pytest.raises(PermissionDenied):
        services.periodos_generate(plan=plan, anio=2015, frecuencia="anual", user=esc.users["puno"])
