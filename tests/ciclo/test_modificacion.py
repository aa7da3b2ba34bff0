"""Amending a signed plan (issue 12, item 4): a reason or nothing changes; while the amendment is
open the usual ways of writing work; closing it records every old and new value; the logical
matrix shows the plan as signed or as amended today (Done-when: the seed plan signed, amended,
both versions rendered)."""
import html

import pytest
from django.core.exceptions import ValidationError

from ciclo import services
from ciclo.models import CambioModificacion, Modificacion
from matrices.models import Actividad, Indicador
from planes.estructura import EstructuraBloqueada
from tests.ciclo.helpers import suscribir

pytestmark = pytest.mark.django_db

NUEVO_TEXTO = "Directiva de empleo con perspectiva de discapacidad, aprobada y difundida (texto modificado)"


def _actividad(plan):
    return Actividad.objects.get(plan=plan, entidad__codigo="mtpe", orden=1)


def _enmendar(plan, usuario):
    def cambios():
        act = _actividad(plan)
        act.descripcion = NUEVO_TEXTO
        act.save()
        ind = Indicador.objects.get(plan=plan, entidad__codigo="mtpe", orden=1)
        ind.delete()
    return services.plan_modificar(plan=plan, usuario=usuario, motivo="Informe de evaluación del primer semestre",
                                   documento="RM N° 100-2015-TR (de prueba)", cambios=cambios)


@pytest.mark.parametrize("motivo", ["", "   "])
def test_amending_without_a_reason_is_refused_and_changes_nothing(seed_plan, usuario_mtpe, motivo):
    plan = suscribir(seed_plan, usuario_mtpe)
    antes = _actividad(plan).descripcion
    with pytest.raises(ValidationError) as exc:
        services.plan_modificar(plan=plan, usuario=usuario_mtpe, motivo=motivo,
                                cambios=lambda: Actividad.objects.filter(pk=_actividad(plan).pk).update(descripcion="x"))
    assert exc.value.message_dict == {"motivo": ["Indique el motivo de la modificación: sin motivo no se modifica un plan "
                                                 "suscrito."]}
    plan.refresh_from_db()
    assert not plan.modificacion_en_curso and not Modificacion.objects.filter(plan=plan).exists()
    assert _actividad(plan).descripcion == antes


def test_an_amendment_records_reason_who_when_and_old_and_new_values(seed_plan, usuario_mtpe):
    plan = suscribir(seed_plan, usuario_mtpe)
    viejo = _actividad(plan).descripcion
    ind_nombre = Indicador.objects.get(plan=plan, entidad__codigo="mtpe", orden=1).nombre
    mod = _enmendar(plan, usuario_mtpe)
    assert (mod.numero, mod.motivo, mod.abierta_por, mod.cerrada_por) == (
        1, "Informe de evaluación del primer semestre", usuario_mtpe, usuario_mtpe)
    assert mod.cerrada_en >= mod.abierta_en
    cambios = list(CambioModificacion.objects.filter(modificacion=mod).values_list("modelo", "accion", "campo", "anterior", "nuevo"))
    assert ("actividad", "cambio", "actividad", viejo, NUEVO_TEXTO) in cambios
    assert ("indicador", "baja", "", "", "") in cambios
    assert len(cambios) == 2
    assert CambioModificacion.objects.get(modificacion=mod, accion="baja").objeto == ind_nombre
    plan.refresh_from_db()
    assert plan.estructura_bloqueada  # closed: locked again
    act = _actividad(plan)
    act.descripcion = "otra vez"
    with pytest.raises(EstructuraBloqueada):
        act.save()


def test_while_an_amendment_is_open_the_admin_may_change_the_structure(client, seed_plan, usuario_mtpe, usuario_puno):
    from matrices.models import Causa

    plan = suscribir(seed_plan, usuario_mtpe)
    mod = services.modificacion_abrir(plan=plan, usuario=usuario_mtpe, motivo="Reordenar causas de Puno")
    causa = Causa.objects.filter(problema__plan=plan, entidad=usuario_puno.entidad).order_by("pk").first()
    client.force_login(usuario_puno)
    assert client.post(f"/admin/matrices/causa/{causa.pk}/delete/", {"post": "yes"}).status_code == 302
    mod = services.modificacion_cerrar(modificacion=mod, usuario=usuario_mtpe)
    assert list(mod.cambios.values_list("modelo", "accion", "objeto")) == [("causa", "baja", causa.texto)]


def test_the_logical_matrix_shows_the_plan_as_signed_and_as_amended_today(client, seed_plan, usuario_mtpe, usuario_planificador):
    plan = suscribir(seed_plan, usuario_mtpe)
    viejo = _actividad(plan).descripcion
    ind = Indicador.objects.get(plan=plan, entidad__codigo="mtpe", orden=1).nombre
    _enmendar(plan, usuario_mtpe)
    client.force_login(usuario_planificador)
    url = f"/planes/{plan.pk}/matriz-logica/?nivel=GN"
    suscrita = html.unescape(client.get(url + "&version=suscrito").content.decode())
    hoy = html.unescape(client.get(url + "&version=vigente").content.decode())
    assert "como se suscribió el 30/06/2015" in suscrita and viejo in suscrita and NUEVO_TEXTO not in suscrita
    assert NUEVO_TEXTO in hoy and viejo not in hoy and "como se suscribió" not in hoy.split("<table")[1]
    assert ind in suscrita and ind not in hoy
    # the PDF of the signed version reads back the old text
    import io

    import pdfplumber

    pdf = client.get(url + "&version=suscrito&formato=pdf")
    with pdfplumber.open(io.BytesIO(pdf.content)) as doc:
        texto = " ".join((p.extract_text() or "") for p in doc.pages).replace("\n", " ")
    assert "como se suscribió el 30/06/2015" in texto and "Directiva General N° 001-2015-MTPE/3/17" in texto


def test_the_budget_shows_the_plan_as_signed_and_as_amended_today(client, seed_plan, usuario_mtpe, usuario_planificador,
                                                                   django_assert_num_queries):
    """13.3 as signed and as amended: an amendment raises a cost sub-line's quantity and drops a
    line; «como se suscribió» still shows the signed quantity, the dropped line and the signed
    totals (page, PDF and Excel), «con modificaciones a hoy» the new ones."""
    import io

    import openpyxl
    import pdfplumber

    from amc.formatting import soles
    from presupuesto import reports as pr
    from presupuesto.models import LineaPresupuesto, SublineaCosto

    plan = suscribir(seed_plan, usuario_mtpe)
    sub = SublineaCosto.objects.filter(linea__plan=plan).order_by("linea__orden", "orden").first()
    baja = (LineaPresupuesto.objects.filter(plan=plan, estado="determinado", sublineas__isnull=True)
            .exclude(pk=sub.linea_id).order_by("orden").first())
    firmado = pr.presupuesto(plan=plan)
    cantidad_firmada = sub.cantidad
    aumento = 10 * sub.costo_unitario

    def enmienda():
        s = SublineaCosto.objects.get(pk=sub.pk)
        s.cantidad += 10
        s.save()
        LineaPresupuesto.objects.get(pk=baja.pk).delete()
    services.plan_modificar(plan=plan, usuario=usuario_mtpe, motivo="Reprogramación del presupuesto del segundo semestre",
                            cambios=enmienda)
    baja_total = next(ln.total for ln in firmado.lineas if ln.orden == baja.orden)
    hoy = pr.presupuesto(plan=plan)
    assert hoy.total_plan == firmado.total_plan + aumento - baja_total
    otra_vez = type(plan).objects.get(pk=plan.pk)  # nothing cached on the plan object
    with django_assert_num_queries(6):
        suscrito = pr.presupuesto(plan=otra_vez, a_la_fecha=plan.suscrito_en)
    assert suscrito.total_plan == firmado.total_plan and suscrito.titulo == "13.3 Presupuesto, como se suscribió el 30/06/2015"
    assert [(ln.orden, ln.total, [s.cantidad for s in ln.sublineas]) for ln in suscrito.lineas] == [
        (ln.orden, ln.total, [s.cantidad for s in ln.sublineas]) for ln in firmado.lineas]

    client.force_login(usuario_planificador)
    url = f"/planes/{plan.pk}/presupuesto/"
    pagina_suscrita = html.unescape(client.get(url + "?version=suscrito").content.decode())
    pagina_hoy = html.unescape(client.get(url + "?version=vigente").content.decode())
    assert "13.3 Presupuesto, como se suscribió el 30/06/2015" in pagina_suscrita
    assert soles(firmado.total_plan) in pagina_suscrita and soles(hoy.total_plan) not in pagina_suscrita
    assert soles(hoy.total_plan) in pagina_hoy and "como se suscribió el" not in pagina_hoy.split("<table")[1]
    assert pagina_suscrita.count(f"<td>{baja.descripcion}</td>") == pagina_hoy.count(f"<td>{baja.descripcion}</td>") + 1
    with pdfplumber.open(io.BytesIO(client.get(url + "?version=suscrito&formato=pdf").content)) as doc:
        texto = " ".join(" ".join((p.extract_text() or "") for p in doc.pages).split())
    total_firmado = soles(firmado.total_plan).replace("\xa0", " ")  # the PDF's text has plain spaces
    assert "como se suscribió el 30/06/2015" in texto and f"Total del plan {total_firmado}" in texto
    libro = openpyxl.load_workbook(io.BytesIO(client.get(url + "?version=suscrito&formato=xlsx").content))
    celdas = [c for hoja in libro.worksheets for fila in hoja.iter_rows(values_only=True) for c in fila if c is not None]
    assert float(firmado.total_plan) in celdas and float(hoy.total_plan) not in celdas
    assert float(cantidad_firmada) in celdas


def test_causes_alternatives_and_the_indicator_table_show_the_plan_as_signed(client, seed_plan, usuario_mtpe,
                                                                               usuario_planificador, django_assert_num_queries):
    """7, 8/9 and 13 as signed and as amended: an amendment rewrites a cause and one of its
    sub-points, drops an alternative's sub-item and changes a product indicator's target and a
    level's task; «como se suscribió» shows the signed texts, «con modificaciones a hoy» the new
    ones, each report in as many queries as today's."""
    from matrices import reports as mr
    from matrices.models import Causa, IndicadorProducto, SubitemAlternativa, SubpuntoCausa, TareaNivel

    plan = suscribir(seed_plan, usuario_mtpe)
    causa = Causa.objects.filter(problema__plan=plan, subpuntos__isnull=False).order_by("pk").first()
    subpunto = causa.subpuntos.order_by("orden").first()
    subitem = SubitemAlternativa.objects.filter(alternativa__problema__plan=plan).order_by("pk").first()
    fila = next(f for f in IndicadorProducto.objects.filter(producto__plan=plan, tareas__isnull=False).order_by("pk")
                if len(f.meta) > 12)  # a target long enough to be found in the page («3» is everywhere)
    tarea = fila.tareas.order_by("pk").first()
    firmados = {"causa": causa.texto, "subpunto": subpunto.texto, "subitem": subitem.texto, "meta": fila.meta, "tarea": tarea.texto}
    nuevos = {k: f"{k.upper()} MODIFICADO POR LA ENMIENDA" for k in firmados}

    def enmienda():
        for modelo, pk, campo, clave in ((Causa, causa.pk, "texto", "causa"), (SubpuntoCausa, subpunto.pk, "texto", "subpunto"),
                                         (IndicadorProducto, fila.pk, "meta", "meta"), (TareaNivel, tarea.pk, "texto", "tarea")):
            obj = modelo.objects.get(pk=pk)
            setattr(obj, campo, nuevos[clave])
            obj.save()
        SubitemAlternativa.objects.get(pk=subitem.pk).delete()
    mod = services.plan_modificar(plan=plan, usuario=usuario_mtpe, motivo="Ajuste del diagnóstico y de las metas", cambios=enmienda)
    # the amendment's record names each change (a level's task of the indicator table included)
    registro = set(mod.cambios.values_list("accion", "anterior", "nuevo"))
    assert {("cambio", firmados[k], nuevos[k]) for k in ("causa", "subpunto", "meta", "tarea")} <= registro
    assert mod.cambios.filter(accion="baja", objeto=subitem.texto).exists()

    informes = {
        "analisis-causal": (lambda **kw: mr.analisis_causal(plan=type(plan).objects.get(pk=plan.pk), **kw), ("causa", "subpunto"),
                            "7. Análisis causal de los problemas identificados"),
        "alternativas": (lambda **kw: mr.alternativas(plan=type(plan).objects.get(pk=plan.pk), **kw), ("subitem",),
                         "Alternativas de solución y alternativas priorizadas"),
        "indicadores": (lambda **kw: mr.indicadores(plan=type(plan).objects.get(pk=plan.pk), **kw), ("meta", "tarea"),
                        "13. Indicadores, metas y roles por nivel de gobierno"),
    }
    client.force_login(usuario_planificador)
    for ruta, (funcion, claves, titulo) in informes.items():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as hoy_q:
            hoy = funcion()
        with django_assert_num_queries(len(hoy_q)):
            suscrito = funcion(a_la_fecha=plan.suscrito_en)
        assert suscrito.titulo == f"{titulo}, como se suscribió el 30/06/2015" and hoy.titulo == titulo
        url = f"/planes/{plan.pk}/{ruta}/"
        pagina_suscrita = html.unescape(client.get(url + "?version=suscrito").content.decode())
        pagina_hoy = html.unescape(client.get(url + "?version=vigente").content.decode())
        assert f"{titulo}, como se suscribió el 30/06/2015" in pagina_suscrita, ruta
        for clave in claves:
            if clave == "subitem":  # dropped: one place fewer today (its text is also a prioritised alternative's)
                assert pagina_suscrita.count(firmados[clave]) == pagina_hoy.count(firmados[clave]) + 1
                continue
            # the signed text in its place, and elsewhere alike (a cause's text may also be another entity's)
            assert pagina_suscrita.count(firmados[clave]) == pagina_hoy.count(firmados[clave]) + 1, (ruta, clave)
            assert nuevos[clave] in pagina_hoy and nuevos[clave] not in pagina_suscrita, (ruta, clave)


def test_a_proposal_has_no_signed_version(client, seed_plan, usuario_planificador):
    client.force_login(usuario_planificador)
    response = client.get(f"/planes/{seed_plan.pk}/matriz-logica/?version=suscrito")
    assert response.status_code == 400 and "Versión «suscrito» no existe" in response.content.decode()


def test_the_amendment_page_flow(client, seed_plan, usuario_mtpe):
    plan = suscribir(seed_plan, usuario_mtpe)
    client.force_login(usuario_mtpe)
    sin = client.post(f"/planes/{plan.pk}/ciclo/abrir-modificacion/", {"motivo": " "})
    assert sin.status_code == 400 and "Indique el motivo de la modificación" in sin.content.decode()
    plan.refresh_from_db()
    assert not plan.modificacion_en_curso
    client.post(f"/planes/{plan.pk}/ciclo/abrir-modificacion/", {"motivo": "Ajuste de metas"})
    act = _actividad(plan)
    act.descripcion = NUEVO_TEXTO
    act.save()
    pagina = html.unescape(client.post(f"/planes/{plan.pk}/ciclo/cerrar-modificacion/", follow=True).content.decode())
    assert "Modificación N° 1 cerrada: 1 cambios registrados." in pagina
    assert "Ajuste de metas" in pagina and NUEVO_TEXTO in pagina


def test_the_ciclo_page_costs_the_same_queries_with_one_or_many_amendments(client, seed_plan, usuario_mtpe):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = suscribir(seed_plan, usuario_mtpe)
    client.force_login(usuario_mtpe)
    url = f"/planes/{plan.pk}/ciclo/"

    def enmendar(n):
        def cambios():
            for act in Actividad.objects.filter(plan=plan, entidad__codigo="mtpe").order_by("orden")[:n]:
                act.descripcion = f"{act.descripcion} (ajuste {n})"
                act.save()
        services.plan_modificar(plan=plan, usuario=usuario_mtpe, motivo=f"Ajuste {n}", cambios=cambios)

    def consultas():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    enmendar(1)
    client.get(url)  # warm: the user's roles and session
    una = consultas()
    enmendar(5)
    enmendar(10)
    html = client.get(url).content.decode()
    assert "Modificación N° 3" in html and html.count("(ajuste 10)") == 10
    # session, user, plan, navigation (unread notices, the queues' counts, MTPE's open periods: none open), participations
    # check, amendments + their changes, state history, carried-over activities, next plan: the
    # same with 1 amendment of 1 change as with 3 of 16
    assert consultas() == una == 12


def test_the_signed_version_costs_the_same_queries_as_todays(client, seed_plan, usuario_mtpe, usuario_planificador):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = suscribir(seed_plan, usuario_mtpe)
    _enmendar(plan, usuario_mtpe)
    client.force_login(usuario_planificador)
    url = f"/planes/{plan.pk}/matriz-logica/?nivel=GR&version="
    client.get(url + "vigente")  # warm: roles, session

    def consultas(version):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url + version).status_code == 200
        return len(ctx)

    assert consultas("suscrito") == consultas("vigente")


def test_an_amendment_lists_a_period_targets_old_and_new_value(seed_plan, usuario_mtpe):
    """Targets per period are part of the structure: changed through an amendment, the amendment
    records the old and the new target (with the reason in the plan's history)."""
    from decimal import Decimal

    from seguimiento import services as seguimiento
    from seguimiento.models import MetaPeriodo
    from tests.ciclo.helpers import periodo_2015

    ind = Indicador.objects.get(plan=seed_plan, entidad__codigo="mtpe", orden=2)
    periodo = periodo_2015(seed_plan, 4)
    meta = seguimiento.meta_periodo_save(meta=MetaPeriodo(indicador=ind, periodo=periodo, valor=Decimal("10")), user=usuario_mtpe)
    plan = suscribir(seed_plan, usuario_mtpe)

    def cambios():
        meta.valor = Decimal("12")
        seguimiento.meta_periodo_save(meta=meta, user=usuario_mtpe, motivo="Meta ajustada por la evaluación")

    mod = services.plan_modificar(plan=plan, usuario=usuario_mtpe, motivo="Evaluación del tercer trimestre", cambios=cambios)
    assert list(CambioModificacion.objects.filter(modificacion=mod).values_list("modelo", "objeto", "accion", "campo", "anterior", "nuevo")) == [
        ("meta del periodo", f"{ind.nombre} · {periodo}", "cambio", "meta del periodo", "10.00", "12.00")]
    ultima = MetaPeriodo.history.filter(id=meta.pk).latest("history_date")
    assert (ultima.history_user, ultima.history_change_reason) == (usuario_mtpe, "Meta ajustada por la evaluación")
