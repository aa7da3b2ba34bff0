"""Issue 11, item 1: only what is due is required. A value is due when the indicator has a
target for the period or its reporting frequency closes in it; an activity when its schedule
runs in the period or its last reported progress left it under way. «No aplica» and «Sin
información» count as filed with their reason; evidence only where the indicator asks for it;
an untouched row is not filed at all. Every error names the item by number and name and links
to its field."""
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from cronograma.models import Cronograma
from matrices.models import Indicador
from seguimiento import registros, rules, services
from seguimiento.models import AvanceActividad, PeriodoReporte, ValorIndicador
from seguimiento.services import AvanceInput, EntregaInvalida, ValorInput
from tests.seguimiento import factories as sf
from tests.seguimiento.conftest import estado_bd

pytestmark = pytest.mark.django_db
D = Decimal
ACTA = "https://example.org/acta.pdf"
CAPACITADOS = "Nº de servidores capacitados"


@pytest.fixture
def puno(db):
    """Like DRTPE Puno's 2015 entry: 13 indicators (five named «Nº de servidores capacitados»),
    three with a target in the first quarter; 19 activities."""
    esc = sf.escenario(n_indicadores=0, n_actividades=0)
    for orden in range(1, 14):
        nombre = CAPACITADOS if orden in (3, 6, 7, 9, 11) else f"Indicador {orden} de Puno"
        esc.indicadores.append(sf.make_indicador(esc.plan, esc.puno, orden, nombre=nombre, meta_anual=40))
    for orden in range(1, 20):
        esc.actividades.append(sf.make_actividad(esc.plan, esc.puno, orden, f"Actividad {orden} de Puno"))
    for orden, meta in ((2, 1), (3, 12), (8, 2)):
        sf.meta_periodo(esc.indicadores[orden - 1], esc.periodo, meta)
    return esc


def _ind(esc, orden):
    return esc.indicadores[orden - 1]


def _enviar(esc, valores=None, avances=None, periodo=None):
    return services.entrega_save(periodo=periodo or esc.periodo, entidad=esc.puno, user=esc.users["puno"], enviar=True,
                                 valores=valores or {}, avances=avances or {})


def _url(esc, periodo=None):
    return reverse("seguimiento:reportar", args=[esc.plan.pk, (periodo or esc.periodo).pk])


# --- service -----------------------------------------------------------------------------------

def test_only_the_indicators_with_a_target_are_required_and_nothing_else_is_filed(puno):
    assert set(registros.exigidos(periodos=[puno.periodo])[(puno.periodo.pk, puno.puno.pk)].valor) == {
        _ind(puno, 2).pk, _ind(puno, 3).pk, _ind(puno, 8).pk}
    resultado = _enviar(puno, {_ind(puno, n).pk: ValorInput(valor=D(v), evidencia_url=ACTA) for n, v in ((2, "1"), (3, "10"), (8, "2"))})
    assert resultado.enviados == 3
    assert sorted(ValorIndicador.objects.values_list("indicador__orden", "estado")) == [(2, "enviado"), (3, "enviado"), (8, "enviado")]
    assert AvanceActividad.objects.count() == 0  # no activity was touched: none is filed as «No iniciada 0 %»


def test_a_missing_due_value_is_refused_saying_why_it_is_due(puno):
    antes = estado_bd()
    with pytest.raises(EntregaInvalida) as exc:
        _enviar(puno, {_ind(puno, 2).pk: ValorInput(valor=D("1"), evidencia_url=ACTA)})
    errores = exc.value.errores
    assert set(errores) == {f"i{_ind(puno, 3).pk}", f"i{_ind(puno, 8).pk}"}
    assert errores[f"i{_ind(puno, 3).pk}"]["valor"] == [rules.falta_exigido(registros.VALOR, "tiene meta en este periodo: 12")]
    assert estado_bd() == antes


def test_an_optional_value_may_be_filed_and_then_needs_what_any_submission_needs(puno):
    due = {_ind(puno, n).pk: ValorInput(valor=D("1"), evidencia_url=ACTA) for n in (2, 3, 8)}
    with pytest.raises(EntregaInvalida) as exc:
        _enviar(puno, {**due, _ind(puno, 5).pk: ValorInput(valor=D("4"))})
    assert exc.value.errores[f"i{_ind(puno, 5).pk}"]["evidencia"] == [rules.PARA_ENVIAR["evidencia"]]
    assert _enviar(puno, {**due, _ind(puno, 5).pk: ValorInput(valor=D("4"), evidencia_url=ACTA)}).enviados == 4


def test_the_reporting_frequency_makes_a_value_due_in_the_periods_it_closes(puno):
    ind = _ind(puno, 10)
    Indicador.objects.filter(pk=ind.pk).update(frecuencia_reporte="semestral")
    exigidos = registros.exigidos(periodos=puno.periodos)
    due = [n for n, p in enumerate(puno.periodos, start=1) if ind.pk in exigidos.get((p.pk, puno.puno.pk), registros.Exigidos()).valor]
    assert due == [2, 4]  # the quarters that end a half-year
    assert exigidos[(puno.periodos[1].pk, puno.puno.pk)].valor[ind.pk] == "se reporta cada semestre"


@pytest.mark.parametrize("condicion, etiqueta", [("no_aplica", "No aplica"), ("sin_informacion", "Sin información")])
def test_no_aplica_and_sin_informacion_need_a_reason_have_no_number_and_count_as_filed(puno, condicion, etiqueta):
    due = {_ind(puno, n).pk: ValorInput(valor=D("1"), evidencia_url=ACTA) for n in (2, 8)}
    tercero = _ind(puno, 3).pk
    antes = estado_bd()
    with pytest.raises(EntregaInvalida) as exc:
        _enviar(puno, {**due, tercero: ValorInput(condicion=condicion, valor=D("0"))})
    assert exc.value.errores[f"i{tercero}"] == {
        "valor": [f"Marcó «{etiqueta}»: deje el valor en blanco, o elija «Con valor»."],
        "justificacion": [f"Explique por qué marcó «{etiqueta}»."]}
    assert estado_bd() == antes
    _enviar(puno, {**due, tercero: ValorInput(condicion=condicion, justificacion="El taller se reprogramó al II trimestre")})
    v = ValorIndicador.objects.get(indicador_id=tercero)
    assert (v.estado, v.condicion, v.valor, v.has_evidence) == ("enviado", condicion, None, False)
    h = v.historial.get()
    assert h.accion == "enviado" and f"qué se reporta: Con valor → {etiqueta}" in h.detalle


def test_evidence_is_required_only_where_the_indicator_asks_for_it(puno):
    Indicador.objects.filter(pk__in=[_ind(puno, n).pk for n in (2, 3)]).update(requiere_evidencia=False)
    valores = {_ind(puno, 2).pk: ValorInput(valor=D("1")), _ind(puno, 3).pk: ValorInput(valor=D("12")),
               _ind(puno, 8).pk: ValorInput(valor=D("2"))}
    with pytest.raises(EntregaInvalida) as exc:
        _enviar(puno, valores)
    assert list(exc.value.errores) == [f"i{_ind(puno, 8).pk}"]  # only the one that asks for evidence
    valores[_ind(puno, 8).pk] = ValorInput(valor=D("2"), evidencia_url=ACTA)
    assert _enviar(puno, valores).enviados == 3


def test_activities_programmed_in_the_schedule_or_under_way_are_due(puno):
    anio = puno.periodo.anio
    act1, act2, act3, act4 = puno.actividades[:4]
    Cronograma.objects.create(actividad=act1, inicio_anio=anio, inicio_mes=2, fin_anio=anio, fin_mes=5, meta_fisica=D("4"))
    Cronograma.objects.create(actividad=act4, inicio_anio=anio, inicio_mes=7, fin_anio=anio, fin_mes=9, meta_fisica=D("4"))
    valores = {_ind(puno, n).pk: ValorInput(valor=D("1"), evidencia_url=ACTA) for n in (2, 3, 8)}
    # In the first quarter, only activity 1 is due (programmed February to May).
    with pytest.raises(EntregaInvalida) as exc:
        _enviar(puno, valores)
    assert set(exc.value.errores) == {f"a{act1.pk}"}
    assert exc.value.errores[f"a{act1.pk}"]["situacion"] == [
        rules.falta_exigido(registros.AVANCE, "está programada en este periodo según su cronograma")]
    _enviar(puno, valores, {act1.pk: AvanceInput(situacion="en_proceso", avance_fisico=D("30")),
                            act2.pk: AvanceInput(situacion="en_proceso", avance_fisico=D("10")),
                            act3.pk: AvanceInput(situacion="concluida", avance_fisico=D("100"))})
    # In the second: 1 (programmed and under way), 2 (under way); not 3 (done) nor 4 (from July).
    segundo = puno.periodos[1]
    debidos = registros.exigidos(periodos=[segundo])[(segundo.pk, puno.puno.pk)].avance
    assert set(debidos) == {act1.pk, act2.pk}
    assert debidos[act2.pk] == f"en T1 {puno.periodo.anio} se reportó en proceso (10%)"
    assert set(registros.exigidos(periodos=[puno.periodos[2]])[(puno.periodos[2].pk, puno.puno.pk)].avance) == {
        act1.pk, act2.pk, act4.pk}


def test_a_draft_emptied_of_everything_is_removed(puno):
    ind = _ind(puno, 5)
    services.entrega_save(periodo=puno.periodo, entidad=puno.puno, user=puno.users["puno"],
                          valores={ind.pk: ValorInput(valor=D("4"))})
    assert ValorIndicador.objects.filter(indicador=ind).exists()
    services.entrega_save(periodo=puno.periodo, entidad=puno.puno, user=puno.users["puno"], valores={ind.pk: ValorInput()})
    assert not ValorIndicador.objects.filter(indicador=ind).exists()


def test_the_period_closes_when_everything_due_is_approved(puno):
    _enviar(puno, {**{_ind(puno, n).pk: ValorInput(valor=D("1"), evidencia_url=ACTA) for n in (2, 3, 8)},
                   _ind(puno, 5).pk: ValorInput(valor=D("4"), evidencia_url=ACTA)})
    for v in ValorIndicador.objects.exclude(indicador__orden=5):
        services.registro_approve(registro=v, user=puno.users["mtpe"])
    assert PeriodoReporte.objects.get(pk=puno.periodo.pk).estado == "abierto"  # the optional value waits for review
    services.registro_approve(registro=ValorIndicador.objects.get(indicador__orden=5, indicador__plan=puno.plan), user=puno.users["mtpe"])
    assert PeriodoReporte.objects.get(pk=puno.periodo.pk).estado == "cerrado"


# --- the entry page ------------------------------------------------------------------------------

def test_the_page_marks_what_is_due_and_why(client, puno):
    client.force_login(puno.users["puno"])
    body = client.get(_url(puno)).content.decode()
    seccion = body[body.index(f'id="ind-{_ind(puno, 3).pk}"'):body.index(f'id="ind-{_ind(puno, 4).pk}"')]
    assert "Obligatorio en este periodo: tiene meta en este periodo: 12" in seccion
    seccion = body[body.index(f'id="ind-{_ind(puno, 4).pk}"'):body.index(f'id="ind-{_ind(puno, 5).pk}"')]
    assert "Opcional en este periodo" in seccion
    assert "Indicadores (13; 3 obligatorio(s) en este periodo)" in body
    assert "Actividades (19; 0 obligatoria(s) en este periodo)" in body
    # A count's target without decimals; the activity starts «Sin reportar», not «No iniciada».
    assert 'class="meta-periodo">12<' in body
    act = puno.actividades[0]
    select = body[body.index(f'id="id_a{act.pk}-situacion"'):]
    select = select[:select.index("</select>")]
    assert '<option value="" selected>— Sin reportar —</option>' in select


def _fila_en_blanco(esc):
    """The form as the browser sends it untouched: every indicator and activity row, blank."""
    d = {}
    for i in esc.indicadores:
        d.update({f"i{i.pk}-condicion": "valor", f"i{i.pk}-valor": "", f"i{i.pk}-justificacion": "", f"i{i.pk}-evidencia_url": "",
                  f"i{i.pk}-comentario": ""})
    for a in esc.actividades:
        d.update({f"a{a.pk}-situacion": "", f"a{a.pk}-avance_fisico": "", f"a{a.pk}-evidencia_url": "", f"a{a.pk}-comentario": ""})
    return d


def test_submitting_from_the_page_names_each_missing_item_by_number_and_links_to_its_field(client, puno):
    client.force_login(puno.users["puno"])
    datos = {**_fila_en_blanco(puno), "accion": "enviar", f"i{_ind(puno, 2).pk}-valor": "1",
             f"i{_ind(puno, 2).pk}-evidencia_url": ACTA}
    response = client.post(_url(puno), datos)
    body = response.content.decode()
    resumen = body[body.index('id="errores"'):body.index("</div>", body.index('id="errores"'))]
    lineas = re.findall(r"<li>(.*?)</li>", resumen)
    tercero = _ind(puno, 3)
    assert lineas == [
        f'<a href="#id_i{tercero.pk}-valor">Indicador 3 · {CAPACITADOS}: Se debe reportar en este periodo (tiene meta en este '
        f'periodo: 12): indique el valor, o elija «No aplica» o «Sin información» y explique por qué.</a>',
        f'<a href="#id_i{_ind(puno, 8).pk}-valor">Indicador 8 · Indicador 8 de Puno: Se debe reportar en este periodo (tiene '
        f'meta en este periodo: 2): indique el valor, o elija «No aplica» o «Sin información» y explique por qué.</a>',
    ]
    assert f'id="id_i{tercero.pk}-valor"' in body  # the anchor's target exists
    assert ValorIndicador.objects.count() == 0


def test_the_page_submits_what_is_due_and_files_no_untouched_row(client, puno):
    client.force_login(puno.users["puno"])
    act = puno.actividades[4]
    datos = {**_fila_en_blanco(puno), "accion": "enviar"}
    for n, v in ((2, "1"), (3, "12"), (8, "2")):
        datos.update({f"i{_ind(puno, n).pk}-valor": v, f"i{_ind(puno, n).pk}-evidencia_url": ACTA})
    datos[f"i{_ind(puno, 8).pk}-condicion"] = "no_aplica"
    datos[f"i{_ind(puno, 8).pk}-valor"] = ""
    datos[f"i{_ind(puno, 8).pk}-justificacion"] = "No hubo convocatoria de jóvenes en el trimestre"
    datos[f"a{act.pk}-situacion"] = "no_iniciada"  # chosen: filed, with 0 % filled in
    response = client.post(_url(puno), datos, follow=True)
    assert "Se enviaron 4 registro(s) al ministerio" in response.content.decode()
    assert sorted(ValorIndicador.objects.values_list("indicador__orden", "condicion", "valor")) == [
        (2, "valor", D("1")), (3, "valor", D("12")), (8, "no_aplica", None)]
    assert list(AvanceActividad.objects.values_list("actividad__orden", "situacion", "avance_fisico")) == [(5, "no_iniciada", D("0"))]
    body = client.get(_url(puno)).content.decode()
    assert f'name="i{_ind(puno, 3).pk}-valor" value="12"' in body  # a count is shown again without decimals


def test_a_situation_is_needed_when_something_else_of_an_activity_is_typed(client, puno):
    client.force_login(puno.users["puno"])
    act = puno.actividades[0]
    body = client.post(_url(puno), {**_fila_en_blanco(puno), "accion": "borrador", f"a{act.pk}-avance_fisico": "30"}).content.decode()
    assert (f"Actividad 1 · Actividad 1 de Puno: Elija la situación de la actividad, o deje la fila en blanco si no la reporta "
            "en este periodo.") in body
    assert AvanceActividad.objects.count() == 0


def test_the_review_list_counts_what_is_due(client, puno):
    _enviar(puno, {_ind(puno, n).pk: ValorInput(valor=D("1"), evidencia_url=ACTA) for n in (2, 3, 8)})
    for v in ValorIndicador.objects.all():
        services.registro_approve(registro=v, user=puno.users["mtpe"])
    client.force_login(puno.users["mtpe"])
    body = client.get(reverse("seguimiento:revision", args=[puno.plan.pk])).content.decode()
    fila = body[body.index(f'id="rev-periodo-{puno.periodo.pk}"'):]
    assert ">Aprobado<" in fila[:fila.index("</tr>")]
    fila = body[body.index(f'id="rev-periodo-{puno.periodos[1].pk}"'):]
    assert ">Nada obligatorio que reportar<" in fila[:fila.index("</tr>")]


def test_the_due_rule_is_one_for_the_page_and_the_service(puno):
    """The entry page's marks and the service's requirements come from the same rules."""
    from seguimiento import selectors

    entrega = selectors.entrega_get(periodo=puno.periodo, entidad=puno.puno)
    del_servicio = registros.exigidos(periodos=[puno.periodo])[(puno.periodo.pk, puno.puno.pk)]
    assert {f.indicador.pk: f.exigido for f in entrega.indicadores if f.exigido} == del_servicio.valor
    assert {f.actividad.pk: f.exigido for f in entrega.actividades if f.exigido} == del_servicio.avance


def test_exigidos_costs_the_same_queries_for_one_period_or_a_year(puno, django_assert_num_queries):
    with django_assert_num_queries(5):
        registros.exigidos(periodos=[puno.periodo])
    with django_assert_num_queries(5):
        registros.exigidos(periodos=puno.periodos)
