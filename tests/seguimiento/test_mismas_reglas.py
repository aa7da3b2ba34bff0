"""Issue 10: one home for each rule. The same bad change of an indicator value, sent through
the entry page (a POST to /planes/<id>/reportar/<period>/) and through the Excel import (an
uploaded workbook, applied), is refused by the same rule with the same message, and neither
saves anything."""
import datetime
import html
from decimal import Decimal

import pytest
from django.urls import reverse

from seguimiento import registros, rules, services
from seguimiento.models import PeriodoReporte, ValorIndicador
from seguimiento.services import ValorInput
from tests.importacion.helpers import importar, libro
from tests.seguimiento import factories as sf
from tests.seguimiento.conftest import estado_bd

pytestmark = pytest.mark.django_db

ACTA = "https://example.org/acta.pdf"
VALORES = ["Plan", "Entidad", "Indicador (orden)", "Periodo", "Valor", "Enlace del medio de verificación", "Comentario",
           "Motivo del cambio"]


def _enviar(esc):
    """Puno submits both its values (12, with a link) for the first quarter."""
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], enviar=True,
                          valores={i.pk: ValorInput(valor=Decimal("12"), evidencia_url=ACTA) for i in esc.indicadores})


def plazo_vencido(esc):
    anio = esc.plan.anio_inicio
    periodo = PeriodoReporte.objects.create(
        plan=esc.plan, frecuencia="trimestral", anio=anio, numero=1, inicio=datetime.date(anio, 1, 1),
        fin=datetime.date(anio, 3, 31), entrega_desde=datetime.date(anio, 1, 1), entrega_hasta=datetime.date(anio, 4, 15))
    return periodo, rules.periodo_cerrado(periodo), "Periodo"


def aun_no_abre(esc):
    anio = esc.plan.anio_fin
    inicio, fin = PeriodoReporte.fechas("trimestral", anio, 1)
    periodo = PeriodoReporte.objects.create(plan=esc.plan, frecuencia="trimestral", anio=anio, numero=1, inicio=inicio, fin=fin,
                                            entrega_desde=inicio, entrega_hasta=fin + datetime.timedelta(days=15))
    return periodo, rules.periodo_cerrado(periodo), "Periodo"


def valor_aprobado(esc):
    _enviar(esc)
    services.registro_approve(registro=ValorIndicador.objects.get(indicador=esc.indicadores[0]), user=esc.users["mtpe"])
    return esc.periodo, rules.aprobado_no_cambia(registros.VALOR), "Valor"


def enviado_sin_motivo(esc):
    _enviar(esc)
    return esc.periodo, rules.cambio_sin_motivo(registros.VALOR), "Motivo del cambio"


@pytest.mark.parametrize("preparar", [plazo_vencido, aun_no_abre, valor_aprobado, enviado_sin_motivo])
def test_the_page_and_the_import_refuse_the_same_change_with_the_same_message(client, esc, preparar):
    periodo, mensaje, columna = preparar(esc)
    assert mensaje  # the rule's one message
    ind = esc.indicadores[0]
    antes = estado_bd()

    # Through the import: the value of indicator 1 becomes 15, with no reason.
    data = libro({"Valores de indicadores": [VALORES, [esc.plan.codigo, esc.puno.codigo, ind.orden, periodo.nombre_corto, 15,
                                                       ACTA, "", ""]]})
    resultado = importar(esc.users["puno"], esc.plan, data, aplicar=True)
    assert not resultado.aplicado
    assert mensaje in resultado.rechazadas[0].errores[columna]

    # Through the page: the same change in the entry form, the other rows as they are (for an
    # approved value, what a page loaded before the approval still sends).
    client.force_login(esc.users["puno"])
    datos = {"accion": "borrador"}
    for i in esc.indicadores:
        datos.update({f"i{i.pk}-valor": "15" if i == ind else "12", f"i{i.pk}-evidencia_url": ACTA, f"i{i.pk}-comentario": "",
                      f"i{i.pk}-motivo": ""})
    for a in esc.actividades:
        datos.update({f"a{a.pk}-situacion": "no_iniciada", f"a{a.pk}-avance_fisico": "0"})
    response = client.post(reverse("seguimiento:reportar", args=[esc.plan.pk, periodo.pk]), datos)
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert "No se guardó nada" in body
    assert mensaje in body

    assert estado_bd() == antes
