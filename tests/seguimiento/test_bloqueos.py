"""Issue 11, item 3: what changes the score is locked and traced. Once a period has values its
targets change only with a reason and keep their history; its dates and window change only by
reopening it (read-only in the admin); a period with values is not deleted; budget execution
keeps its history like values do."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from seguimiento import rules, services
from seguimiento.models import (
    EjecucionPresupuestal, HistorialEjecucion, HistorialMetaPeriodo, MetaPeriodo, PeriodoReporte, ValorIndicador,
)
from seguimiento.services import EjecucionInput, ValorInput
from tests import factories as f
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db
D = Decimal
ACTA = "https://example.org/acta.pdf"


def _aprobar_valor(esc, ind, valor="12"):
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], enviar=True,
                          valores={ind.pk: ValorInput(valor=D(valor), evidencia_url=ACTA)})
    services.registro_approve(registro=ValorIndicador.objects.get(indicador=ind), user=esc.users["mtpe"])


# --- targets per period -------------------------------------------------------------------------

def test_a_target_changes_freely_before_values_and_each_change_is_traced(esc):
    ind, puno = esc.indicadores[0], esc.users["puno"]
    meta = services.meta_periodo_save(meta=MetaPeriodo(indicador=ind, periodo=esc.periodo, valor=D("30")), user=puno)
    meta.valor = D("25")
    services.meta_periodo_save(meta=meta, user=puno)
    filas = list(HistorialMetaPeriodo.objects.filter(indicador=ind).values_list("accion", "valor_anterior", "valor_nuevo", "usuario"))
    assert filas == [("creada", None, D("30"), puno.pk), ("cambiada", D("30"), D("25"), puno.pk)]


def test_once_the_period_has_values_a_target_changes_only_with_a_reason(esc):
    ind, puno = esc.indicadores[0], esc.users["puno"]
    meta = sf.meta_periodo(ind, esc.periodo, 30)
    _aprobar_valor(esc, ind, "12")
    meta.valor = D("12")  # lowered to what was achieved
    with pytest.raises(ValidationError) as exc:
        services.meta_periodo_save(meta=meta, user=puno)
    assert exc.value.message_dict["motivo"] == [rules.meta_cambio_rechazo(esc.periodo, tiene_valores=True, motivo="")]
    assert "ya tiene valores registrados: explique el motivo" in exc.value.message_dict["motivo"][0]
    assert MetaPeriodo.objects.get(pk=meta.pk).valor == D("30") and not HistorialMetaPeriodo.objects.exists()
    services.meta_periodo_save(meta=meta, user=puno, motivo="La DRTPE reprogramó un taller al II trimestre (oficio 123)")
    h = HistorialMetaPeriodo.objects.get()
    assert (h.accion, h.valor_anterior, h.valor_nuevo, h.usuario, h.motivo) == (
        "cambiada", D("30"), D("12"), puno, "La DRTPE reprogramó un taller al II trimestre (oficio 123)")
    with pytest.raises(ValidationError):
        h.delete()
    with pytest.raises(ValidationError):
        HistorialMetaPeriodo.objects.all().update(motivo="")


def test_in_the_admin_lowering_a_target_after_approval_needs_a_reason_and_shows_its_history(client, esc):
    ind = esc.indicadores[0]
    meta = sf.meta_periodo(ind, esc.periodo, 30)
    _aprobar_valor(esc, ind)
    url = reverse("admin:seguimiento_metaperiodo_change", args=[meta.pk])
    client.force_login(esc.users["puno"])
    page = client.get(url).content.decode()
    assert 'name="motivo"' in page and 'name="periodo"' not in page  # indicator and period do not change
    body = client.post(url, {"valor": "12", "motivo": ""}).content.decode()
    assert f"El periodo {esc.periodo} ya tiene valores registrados: explique el motivo del cambio de la meta" in body
    assert MetaPeriodo.objects.get(pk=meta.pk).valor == D("30")
    response = client.post(url, {"valor": "12", "motivo": "Meta corregida según el POI modificado"})
    assert response.status_code == 302
    assert MetaPeriodo.objects.get(pk=meta.pk).valor == D("12")
    page = client.get(url).content.decode()
    assert "Cambiada (30.00 → 12.00) — «Meta corregida según el POI modificado»" in page


def test_a_target_of_a_period_with_values_is_not_deleted(client, esc):
    ind = esc.indicadores[0]
    meta = sf.meta_periodo(ind, esc.periodo, 30)
    otra = sf.meta_periodo(ind, esc.periodos[1], 40)
    _aprobar_valor(esc, ind)
    client.force_login(esc.users["puno"])
    response = client.get(reverse("admin:seguimiento_metaperiodo_delete", args=[meta.pk]), follow=True)
    assert "La meta no se borra: el periodo" in response.content.decode()
    client.post(reverse("admin:seguimiento_metaperiodo_delete", args=[meta.pk]), {"post": "yes"})
    assert MetaPeriodo.objects.filter(pk=meta.pk).exists()
    with pytest.raises(ValidationError):
        services.meta_periodo_delete(meta=meta, user=esc.users["puno"])
    # A period without values: the target is deleted, and its history says so.
    response = client.post(reverse("admin:seguimiento_metaperiodo_delete", args=[otra.pk]), {"post": "yes"})
    assert response.status_code == 302 and not MetaPeriodo.objects.filter(pk=otra.pk).exists()
    assert HistorialMetaPeriodo.objects.get(periodo=esc.periodos[1]).accion == "borrada"


# --- the period's window and its deletion ----------------------------------------------------------

def test_a_periods_dates_are_read_only_in_the_admin(client, esc):
    periodo = esc.periodo
    url = reverse("admin:seguimiento_periodoreporte_change", args=[periodo.pk])
    client.force_login(esc.users["mtpe"])
    page = client.get(url).content.decode()
    for campo in ("inicio", "fin", "entrega_desde", "entrega_hasta"):
        assert f'name="{campo}"' not in page, campo
    assert "el plazo cambia al reabrir el periodo desde la página de revisión" in page
    antes = PeriodoReporte.objects.filter(pk=periodo.pk).values().get()
    client.post(url, {"entrega_hasta": "31/12/2099", "inicio": "01/01/2000", "eventos-TOTAL_FORMS": "0",
                      "eventos-INITIAL_FORMS": "0"})
    assert PeriodoReporte.objects.filter(pk=periodo.pk).values().get() == antes


def test_a_period_with_values_is_not_deleted_anywhere(client, esc, usuario_admin):
    ind = esc.indicadores[0]
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=esc.users["puno"], valores={ind.pk: ValorInput(valor=D("3"))})
    mensaje = rules.periodo_no_se_borra(esc.periodo)
    with pytest.raises(ValidationError) as exc:
        esc.periodo.delete()
    assert exc.value.messages == [mensaje]
    with pytest.raises(ValidationError):
        PeriodoReporte.objects.filter(plan=esc.plan).delete()
    client.force_login(usuario_admin)
    response = client.get(reverse("admin:seguimiento_periodoreporte_delete", args=[esc.periodo.pk]), follow=True)
    assert mensaje in response.content.decode()
    client.post(reverse("admin:seguimiento_periodoreporte_delete", args=[esc.periodo.pk]), {"post": "yes"})
    assert PeriodoReporte.objects.filter(plan=esc.plan).count() == 4
    # A period nobody filed anything for is deleted.
    response = client.post(reverse("admin:seguimiento_periodoreporte_delete", args=[esc.periodos[3].pk]), {"post": "yes"})
    assert response.status_code == 302 and PeriodoReporte.objects.filter(plan=esc.plan).count() == 3


def test_the_window_still_changes_by_reopening_with_a_reason(esc):
    hasta = sf.hoy() + datetime.timedelta(days=90)
    services.periodo_reopen(periodo=esc.periodo, user=esc.users["mtpe"], motivo="Ampliación pedida por la DRTPE",
                            entrega_hasta=hasta)
    assert PeriodoReporte.objects.get(pk=esc.periodo.pk).entrega_hasta == hasta


# --- budget execution -------------------------------------------------------------------------------

def test_budget_execution_keeps_its_history(client, esc):
    linea = f.make_linea(esc.plan, esc.puno, 1, costo="1000", cantidad="3")
    puno = esc.users["puno"]
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=puno,
                          ejecuciones={(linea.pk, 2): EjecucionInput(pim=D("3000"), certificado=D("2000"), devengado=D("1500"))})
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=puno,
                          ejecuciones={(linea.pk, 2): EjecucionInput(pim=D("3000"), certificado=D("2000"), devengado=D("1800"))})
    services.entrega_save(periodo=esc.periodo, entidad=esc.puno, user=puno,  # unchanged: no row
                          ejecuciones={(linea.pk, 2): EjecucionInput(pim=D("3000"), certificado=D("2000"), devengado=D("1800"))})
    e = EjecucionPresupuestal.objects.get()
    filas = list(e.historial.values_list("accion", "pim_anterior", "pim_nuevo", "devengado_anterior", "devengado_nuevo", "usuario"))
    assert filas == [("registrado", D("0"), D("3000"), D("0"), D("1500"), puno.pk),
                     ("cambiado", D("3000"), D("3000"), D("1500"), D("1800"), puno.pk)]
    assert "devengado (S/): 1500 → 1800" in e.historial.last().detalle
    with pytest.raises(ValidationError):
        HistorialEjecucion.objects.all().delete()
    client.force_login(puno)
    page = client.get(reverse("admin:seguimiento_ejecucionpresupuestal_change", args=[e.pk])).content.decode()
    assert "devengado (S/): 1500 → 1800" in page  # the history inline
