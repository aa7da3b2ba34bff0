"""Indicator values imported from Excel follow the rules of the entry page."""
import datetime

import pytest
from django.utils import timezone

from seguimiento.models import HistorialValor, ValorIndicador
from tests.importacion.conftest import D
from tests.importacion.helpers import estados, importar, libro

pytestmark = pytest.mark.django_db

VALORES = ["Plan", "Entidad", "Indicador (orden)", "Periodo", "Valor", "Enlace del medio de verificación", "Comentario",
           "Motivo del cambio"]


ACTA = "https://ejemplo.pe/acta.pdf"


def fila(plan, periodo, valor, motivo="", comentario="", enlace=""):
    return [plan.codigo, "drtpe-puno", 1, periodo, valor, enlace, comentario, motivo]


def valor_existente(plan, periodo, estado, valor="10"):
    indicador = plan.indicadores.get(entidad__codigo="drtpe-puno")
    enviado = timezone.now() if estado != "borrador" else None
    return ValorIndicador.objects.create(indicador=indicador, entidad=indicador.entidad, periodo=periodo, valor=D(valor), estado=estado,
                                         enviado_en=enviado, evidencia_url=ACTA if enviado else "")


def test_values_are_filed_as_drafts_and_empty_template_rows_are_not(usuario_puno, plan, periodos):
    data = libro({"Valores de indicadores": [VALORES, fila(plan, "T1 2015", 12), fila(plan, "T2 2015", None)]})
    r = importar(usuario_puno, plan, data, aplicar=True)
    assert r.aplicado and estados(r) == [(2, "nueva"), (3, "sin_cambios")]
    valor = ValorIndicador.objects.get()
    assert (valor.valor, valor.estado, valor.periodo, valor.actualizado_por) == (D("12"), "borrador", periodos[0], usuario_puno)


def test_a_period_that_no_longer_receives_values_is_refused(usuario_puno, plan, periodos):
    periodos[0].entrega_hasta = periodos[0].fin
    periodos[0].save()
    r = importar(usuario_puno, plan, libro({"Valores de indicadores": [VALORES, fila(plan, "T1 2015", 12)]}), aplicar=True)
    assert not r.aplicado
    assert "está cerrado: el plazo para registrar venció el 31/03/2015" in " ".join(r.rechazadas[0].errores["Periodo"])
    assert not ValorIndicador.objects.exists()


def test_an_approved_value_is_not_changed_but_may_come_unchanged(usuario_puno, plan, periodos):
    valor_existente(plan, periodos[0], "aprobado", "10")
    r = importar(usuario_puno, plan, libro({"Valores de indicadores": [VALORES, fila(plan, "T1 2015", 10, enlace=ACTA)]}))
    assert estados(r) == [(2, "sin_cambios")]
    r = importar(usuario_puno, plan, libro({"Valores de indicadores": [VALORES, fila(plan, "T1 2015", 11, enlace=ACTA)]}), aplicar=True)
    assert "ya fue aprobado" in " ".join(r.rechazadas[0].errores["Valor"])
    assert ValorIndicador.objects.get().valor == D("10")


def test_changing_a_submitted_value_needs_a_reason_kept_in_its_history(usuario_puno, plan, periodos):
    valor_existente(plan, periodos[0], "enviado", "10")
    r = importar(usuario_puno, plan, libro({"Valores de indicadores": [VALORES, fila(plan, "T1 2015", 11, enlace=ACTA)]}), aplicar=True)
    assert "explique el motivo del cambio" in " ".join(r.rechazadas[0].errores["Motivo del cambio"])
    r = importar(usuario_puno, plan, libro({"Valores de indicadores": [VALORES, fila(plan, "T1 2015", 11, motivo="Error de digitación", enlace=ACTA)]}),
                 aplicar=True)
    assert r.aplicado and r.filas[0].cambios == [["Valor", "10.00", "11.00"]]
    valor = ValorIndicador.objects.get()
    assert (valor.valor, valor.estado) == (D("11"), "enviado")
    historia = HistorialValor.objects.get(registro=valor)
    assert (historia.accion, historia.motivo, historia.valor_anterior, historia.valor_nuevo) == ("cambiado", "Error de digitación", D("10"), D("11"))


def test_removing_the_evidence_link_of_a_submitted_value_is_refused(usuario_puno, plan, periodos):
    valor_existente(plan, periodos[0], "enviado", "10")
    r = importar(usuario_puno, plan, libro({"Valores de indicadores": [VALORES, fila(plan, "T1 2015", 10, motivo="Sin enlace")]}),
                 aplicar=True)
    assert "Adjunte el medio de verificación" in " ".join(r.rechazadas[0].mensajes)
    assert ValorIndicador.objects.get().evidencia_url == ACTA


def test_the_values_template_lists_the_plans_periods_and_the_entitys_values(client, usuario_puno, plan, periodos):
    import io

    import openpyxl
    from django.urls import reverse

    valor_existente(plan, periodos[1], "borrador", "7")
    client.force_login(usuario_puno)
    response = client.get(reverse("importacion:plantilla"), {"plan": plan.pk, "hoja": "valorindicador"})
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb["Valores de indicadores"]
    assert [c.value for c in ws[2]][:6] == [plan.codigo, "drtpe-puno", 1, "Nº de servidores capacitados (DRTPE Puno)", "T2 2015", 7]
    dv = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith("E2"))
    col = dv.formula1.split("$")[1]
    assert [wb["Listas"][f"{col}{i}"].value for i in range(1, 6)] == ["periodos", "T1 2015", "T2 2015", "T3 2015", "T4 2015"]
    assert datetime.date.today()  # the template carries no date of its own
