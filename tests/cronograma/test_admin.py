"""Editing the schedule in the admin, on the activity's page: the schedule, its months and its
milestones as inlines, checked as a whole, saved all or nothing, and only by the activity's
entity."""
from decimal import Decimal as D

import pytest
from django.urls import reverse

from amc.access import Rol
from cronograma.models import Cronograma, ProgramacionMensual
from matrices.models import Actividad
from tests import factories as f
from tests.cronograma import factories as cf
from tests.cronograma.conftest import estado_bd

pytestmark = pytest.mark.django_db


def url(act):
    return reverse("admin:matrices_actividad_change", args=[act.pk])


def datos(act, cabecera=None, meses=(), hitos=(), descripcion=None):
    """The activity's change form as the browser posts it."""
    existente = Cronograma.objects.filter(actividad=act).first() if act.pk else None
    guardados = list(ProgramacionMensual.objects.filter(actividad=act).order_by("anio", "mes")) if act.pk else []
    d = {"plan": act.plan_id, "producto": act.producto_id or "", "entidad": act.entidad_id, "orden": act.orden,
         "descripcion": descripcion or act.descripcion, "fase": act.fase,
         "indicadores-TOTAL_FORMS": "0", "indicadores-INITIAL_FORMS": "0",
         "hitos-TOTAL_FORMS": str(len(hitos)), "hitos-INITIAL_FORMS": "0"}
    if cabecera:
        (ia, im), (fa, fm), meta = cabecera
        d.update({"cronograma-inicio_anio": ia, "cronograma-inicio_mes": im, "cronograma-fin_anio": fa,
                  "cronograma-fin_mes": fm, "cronograma-meta_fisica": meta, "cronograma-unidad_medida": "talleres"})
    elif existente:
        d.update({"cronograma-inicio_anio": existente.inicio_anio, "cronograma-inicio_mes": existente.inicio_mes,
                  "cronograma-fin_anio": existente.fin_anio, "cronograma-fin_mes": existente.fin_mes,
                  "cronograma-meta_fisica": existente.meta_fisica, "cronograma-unidad_medida": existente.unidad_medida})
    d["programacion-INITIAL_FORMS"] = str(len(guardados))
    filas = list(meses)
    d["programacion-TOTAL_FORMS"] = str(max(len(filas), len(guardados)))
    for i, (anio, mes, meta, monto) in enumerate(filas):
        d.update({f"programacion-{i}-anio": anio, f"programacion-{i}-mes": mes, f"programacion-{i}-meta_fisica": meta,
                  f"programacion-{i}-monto": monto, f"programacion-{i}-actividad": act.pk or ""})
        if i < len(guardados):
            d[f"programacion-{i}-id"] = guardados[i].pk
    for i, (nombre, anio, mes) in enumerate(hitos):
        d.update({f"hitos-{i}-nombre": nombre, f"hitos-{i}-anio": anio, f"hitos-{i}-mes": mes, f"hitos-{i}-fecha": ""})
    return d


@pytest.fixture
def puno_user(esc):
    return f.make_user(Rol.REGIONAL, esc.puno)


def test_the_activity_page_has_the_schedule_inlines(client, esc, puno_user):
    client.force_login(puno_user)
    html = client.get(url(esc.act_puno)).content.decode()
    for grupo in ("cronograma-group", "programacion-group", "hitos-group"):
        assert f'id="{grupo}"' in html
    assert "Cronograma (inicio, fin y meta física)" in html


def test_a_schedule_that_adds_up_is_saved_from_the_activity_page(client, esc, puno_user):
    client.force_login(puno_user)
    r = client.post(url(esc.act_puno), datos(esc.act_puno, ((2015, 3), (2015, 4), "2"),
                                             meses=[(2015, 3, "1", "600"), (2015, 4, "1", "600")],
                                             hitos=[("Primer taller", 2015, 3)]))
    assert r.status_code == 302, r.content.decode()[:3000]
    c = Cronograma.objects.get(actividad=esc.act_puno)
    assert (c.meta_fisica, c.fin.corto) == (D(2), "Abr 2015")
    assert ProgramacionMensual.objects.filter(actividad=esc.act_puno).count() == 2
    assert esc.act_puno.hitos.get().nombre == "Primer taller"


def test_the_target_and_the_months_can_change_together(client, esc, puno_user):
    cf.make_cronograma(esc.act_puno, (2015, 3), (2015, 4), "4", meses={(2015, 3): 2, (2015, 4): 2})
    client.force_login(puno_user)
    r = client.post(url(esc.act_puno), datos(esc.act_puno, ((2015, 3), (2015, 4), "2"),
                                             meses=[(2015, 3, "1", "0"), (2015, 4, "1", "0")]))
    assert r.status_code == 302
    assert Cronograma.objects.get().meta_fisica == D(2)


@pytest.mark.parametrize("cabecera,meses,mensaje", [
    (((2015, 3), (2015, 4), "2"), [(2015, 3, "2", "0"), (2015, 4, "1", "0")],
     "suma 3, más que la meta física de la actividad (2): sobran 1"),
    (((2015, 3), (2015, 4), "2"), [(2015, 3, "1", "700"), (2015, 4, "1", "600")], "sobran S/\u00a0100.00"),
    (((2015, 3), (2015, 4), "2"), [(2015, 5, "1", "0")], "Mayo 2015 está fuera del periodo de la actividad"),
    (((2015, 5), (2015, 4), "2"), [], "El fin (abril 2015) es anterior al inicio (mayo 2015)"),
    (((2015, 5), (2017, 4), "2"), [], "El año 2017 está fuera del plan (2015–2016)"),
    (((2015, 3), (2015, 4), "2"), [(2017, 3, "1", "0")], "El año 2017 está fuera del plan"),
    (((2015, 3), (2015, 4), "2"), [(2015, 3, "-1", "0")], "No puede ser negativo"),
    (None, [(2015, 3, "1", "0")], "Antes de programar meses indique el inicio, el fin y la meta física"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(client, esc, puno_user, cabecera, meses, mensaje):
    client.force_login(puno_user)
    antes = estado_bd()
    r = client.post(url(esc.act_puno), datos(esc.act_puno, cabecera, meses=meses, descripcion="Cambiada"))
    assert r.status_code == 200
    assert mensaje in r.content.decode()
    assert estado_bd() == antes
    assert Actividad.objects.get(pk=esc.act_puno.pk).descripcion == "Talleres de orientación vocacional"


def test_what_does_not_add_up_yet_is_shown_on_the_activity_page(client, esc, puno_user):
    cf.make_cronograma(esc.act_puno, (2015, 3), (2015, 4), "4", meses={(2015, 3): (1, 100)})
    client.force_login(puno_user)
    html = client.get(url(esc.act_puno)).content.decode()
    assert "Falta programar 3 de la meta física (programado 1 de 4)." in html
    assert "Falta programar S/\u00a01,100.00 del presupuesto" in html


def test_a_regional_user_cannot_open_or_change_another_entitys_schedule(client, esc, puno_user):
    cf.make_cronograma(esc.act_rector, (2015, 1), (2015, 2), "2", meses={(2015, 1): 1})
    client.force_login(puno_user)
    assert client.get(url(esc.act_rector)).status_code == 403
    antes = estado_bd()
    r = client.post(url(esc.act_rector), datos(esc.act_rector, ((2015, 1), (2015, 6), "9"),
                                               meses=[(2015, 1, "9", "0")]))
    assert r.status_code == 403
    assert estado_bd() == antes


def test_a_planner_sees_the_schedule_but_cannot_change_it(client, esc, mtpe):
    cf.make_cronograma(esc.act_puno, (2015, 3), (2015, 4), "2")
    client.force_login(f.make_user(Rol.PLANIFICADOR, mtpe))
    antes = estado_bd()
    r = client.post(url(esc.act_puno), datos(esc.act_puno, ((2015, 3), (2015, 6), "9")))
    assert r.status_code == 403
    assert estado_bd() == antes


def test_a_new_activity_can_be_added_with_its_schedule(client, esc, puno_user):
    nueva = Actividad(plan=esc.plan, entidad=esc.puno, orden=7, descripcion="Feria laboral", producto=esc.producto)
    client.force_login(puno_user)
    r = client.post(reverse("admin:matrices_actividad_add"),
                    datos(nueva, ((2015, 5), (2015, 6), "2"), meses=[(2015, 5, "1", "0"), (2015, 6, "1", "0")]))
    assert r.status_code == 302, r.content.decode()[:2000]
    creada = Actividad.objects.get(plan=esc.plan, entidad=esc.puno, orden=7)
    assert creada.cronograma.meta_fisica == D(2) and creada.programacion.count() == 2


def test_removing_the_schedule_takes_its_months_and_leaves_the_milestones(client, esc, puno_user):
    cf.make_cronograma(esc.act_puno, (2015, 3), (2015, 4), "2", meses={(2015, 3): 1, (2015, 4): 1},
                       hitos=[("Taller", (2015, 3))])
    client.force_login(puno_user)
    d = datos(esc.act_puno, meses=[(2015, 3, "1", "0"), (2015, 4, "1", "0")])
    d["cronograma-quitar"] = "on"
    antes = estado_bd()
    r = client.post(url(esc.act_puno), d)
    assert r.status_code == 200 and "Antes de programar meses indique el inicio, el fin y la meta física" in r.content.decode()
    assert estado_bd() == antes
    d.update({"programacion-0-DELETE": "on", "programacion-1-DELETE": "on"})
    r = client.post(url(esc.act_puno), d)
    assert r.status_code == 302, r.content.decode()[:3000]
    assert not Cronograma.objects.exists() and not ProgramacionMensual.objects.exists()
    assert esc.act_puno.hitos.get().nombre == "Taller"


def test_a_new_activity_with_a_schedule_outside_the_plan_is_refused(client, esc, puno_user):
    nueva = Actividad(plan=esc.plan, entidad=esc.puno, orden=7, descripcion="Feria laboral", producto=esc.producto)
    client.force_login(puno_user)
    antes = estado_bd()
    r = client.post(reverse("admin:matrices_actividad_add"), datos(nueva, ((2015, 5), (2017, 6), "2")))
    assert r.status_code == 200 and "El año 2017 está fuera del plan (2015–2016)" in r.content.decode()
    assert estado_bd() == antes and not Actividad.objects.filter(plan=esc.plan, orden=7).exists()


def test_a_new_activity_without_its_plan_shows_its_own_error_only(client, esc, puno_user):
    nueva = Actividad(plan=esc.plan, entidad=esc.puno, orden=7, descripcion="Feria laboral", producto=esc.producto)
    client.force_login(puno_user)
    d = datos(nueva, ((2015, 5), (2015, 6), "2"), meses=[(2015, 5, "9", "0")])
    d["plan"] = ""
    antes = Actividad.objects.count()
    r = client.post(reverse("admin:matrices_actividad_add"), d)
    assert r.status_code == 200 and Actividad.objects.count() == antes
    assert "suma 9" not in r.content.decode()


def test_the_activity_history_says_what_changed_in_the_schedule(client, esc, puno_user):
    from django.contrib.admin.models import LogEntry

    cf.make_cronograma(esc.act_puno, (2015, 3), (2015, 4), "2", meses={(2015, 3): 1})
    client.force_login(puno_user)
    r = client.post(url(esc.act_puno), datos(esc.act_puno, ((2015, 3), (2015, 4), "3"),
                                             meses=[(2015, 3, "2", "0"), (2015, 4, "1", "0")]))
    assert r.status_code == 302
    mensaje = LogEntry.objects.get().get_change_message()
    assert "Agregado programación mensual “Abril 2015”" in mensaje
    assert "Cambios en Meta física programada para programación mensual “Marzo 2015”" in mensaje
    assert "Cambios en Meta física para cronograma de la actividad" in mensaje
