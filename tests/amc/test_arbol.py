"""The organisation tree (issue 12): a regional directorate reads the plans its region's local
governments take part in, and reviews their submissions where the plan says so; it never sees
another region's. Cusco's staff never see Puno's municipalities, by list, page or forged form."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from amc.access import Rol
from planes.models import Entidad, Plan
from seguimiento import registros, services
from seguimiento.models import ConfiguracionSeguimiento, EstadoRevision, ValorIndicador
from tests import factories as f
from tests.seguimiento import factories as sf

pytestmark = pytest.mark.django_db


@pytest.fixture
def arbol(mtpe):
    mp_puno = Entidad.objects.get(codigo="mp-puno")
    mp_cusco = Entidad.objects.create(codigo="mp-cusco-prueba", nombre="Municipalidad Provincial del Cusco (prueba)",
                                      sigla="MP Cusco", nivel=f.nivel("GL"), tipo=Entidad.Tipo.MUNICIPALIDAD_PROVINCIAL,
                                      region="Cusco", ubigeo="0801", padre=Entidad.objects.get(codigo="gore-cusco"))
    hoy = sf.hoy()
    plan_puno = f.make_plan(rector=mtpe, participantes=[mp_puno], anio_inicio=hoy.year, anio_fin=hoy.year,
                            titulo="Plan local de la Municipalidad Provincial de Puno")
    plan_cusco = f.make_plan(rector=mtpe, participantes=[mp_cusco], anio_inicio=hoy.year, anio_fin=hoy.year,
                             titulo="Plan local de la Municipalidad Provincial del Cusco")
    usuarios = {
        "drtpe_puno": f.make_user(Rol.REGIONAL, Entidad.objects.get(codigo="drtpe-puno")),
        "drtpe_cusco": f.make_user(Rol.REGIONAL, Entidad.objects.get(codigo="drtpe-cusco")),
        "mp_puno": f.make_user(Rol.LOCAL, mp_puno),
        "mtpe": f.make_user(Rol.MINISTERIO, mtpe),
    }
    datos = {}
    for clave, plan, entidad in (("puno", plan_puno, mp_puno), ("cusco", plan_cusco, mp_cusco)):
        ind = sf.make_indicador(plan, entidad, 1, nombre=f"Nº de personas orientadas en {entidad.sigla}")
        periodo = sf.make_periodos(plan)[0]
        sf.meta_periodo(ind, periodo, 10)
        datos[clave] = (plan, entidad, ind, periodo)
    # The municipality of Puno files and submits its value.
    plan, entidad, ind, periodo = datos["puno"]
    services.entrega_save(periodo=periodo, entidad=entidad, user=usuarios["mp_puno"], enviar=True, valores={
        ind.pk: services.ValorInput(valor=Decimal("8"), evidencia_url="https://munipuno.gob.pe/informe.pdf")})
    return usuarios, datos


def _revisa_la_direccion_regional(plan):
    config, _ = ConfiguracionSeguimiento.objects.get_or_create(plan=plan)
    config.revisan_locales = ConfiguracionSeguimiento.RevisionLocales.DIRECCION_REGIONAL
    config.save()


def test_a_regional_directorate_reads_the_plans_of_its_regions_municipalities_only(client, arbol):
    usuarios, datos = arbol
    plan_puno, plan_cusco = datos["puno"][0], datos["cusco"][0]
    assert set(Plan.objects.visible_to(usuarios["drtpe_puno"]).filter(pk__in=[plan_puno.pk, plan_cusco.pk])) == {plan_puno}
    assert set(Plan.objects.visible_to(usuarios["drtpe_cusco"]).filter(pk__in=[plan_puno.pk, plan_cusco.pk])) == {plan_cusco}

    client.force_login(usuarios["drtpe_puno"])
    home = client.get(reverse("home")).content.decode()
    assert plan_puno.titulo in home and plan_cusco.titulo not in home
    assert client.get(reverse("plan_detail", args=[plan_puno.pk])).status_code == 200
    assert client.get(reverse("seguimiento:reporte", args=[plan_puno.pk])).status_code == 200
    lista = client.get(reverse("listas:lista", args=["indicadores"]) + f"?plan={plan_puno.pk}").content.decode()
    assert "Nº de personas orientadas en MP Puno" in lista and "MP Cusco" not in lista


@pytest.mark.parametrize("pagina", ["plan_detail", "seguimiento:reporte", "reporte_matriz_logica", "seguimiento:periodos"])
def test_cuscos_staff_never_see_punos_municipalities(client, arbol, pagina):
    usuarios, datos = arbol
    plan_puno = datos["puno"][0]
    client.force_login(usuarios["drtpe_cusco"])
    r = client.get(reverse(pagina, args=[plan_puno.pk]))
    assert r.status_code == 404
    assert "MP Puno" not in r.content.decode()
    assert "MP Puno" not in client.get(reverse("listas:lista", args=["valores"])).content.decode()
    assert plan_puno.titulo not in client.get(reverse("home")).content.decode()


def test_the_regional_directorate_reviews_its_municipalities_where_the_plan_says_so(client, arbol):
    usuarios, datos = arbol
    plan, entidad, ind, periodo = datos["puno"]
    valor = ValorIndicador.objects.get(indicador=ind, periodo=periodo)
    url = reverse("seguimiento:revision_entrega", args=[plan.pk, periodo.pk, entidad.pk])
    client.force_login(usuarios["drtpe_puno"])
    assert client.get(url).status_code == 403  # the plan leaves the review to the ministry
    assert client.get(reverse("seguimiento:revision", args=[plan.pk])).status_code == 403

    _revisa_la_direccion_regional(plan)
    revision = client.get(reverse("seguimiento:revision", args=[plan.pk])).content.decode()
    assert "MP Puno" in revision
    assert client.get(url).status_code == 200
    r = client.post(url, {"accion": "aprobar", "registro": f"{registros.VALOR.letra}{valor.pk}"})
    assert r.status_code == 302
    valor.refresh_from_db()
    assert valor.estado == EstadoRevision.APROBADO


def test_another_regions_directorate_cannot_review_nor_reach_it_by_forged_form(client, arbol):
    usuarios, datos = arbol
    plan, entidad, ind, periodo = datos["puno"]
    _revisa_la_direccion_regional(plan)
    valor = ValorIndicador.objects.get(indicador=ind, periodo=periodo)
    client.force_login(usuarios["drtpe_cusco"])
    url = reverse("seguimiento:revision_entrega", args=[plan.pk, periodo.pk, entidad.pk])
    assert client.post(url, {"accion": "aprobar", "registro": f"{registros.VALOR.letra}{valor.pk}"}).status_code == 404
    with pytest.raises(Exception) as exc:
        services.registro_approve(registro=valor, user=usuarios["drtpe_cusco"])
    assert "No tiene permiso" in str(exc.value)
    valor.refresh_from_db()
    assert valor.estado == EstadoRevision.ENVIADO


def test_a_parent_must_be_the_region_or_province_its_ubigeo_says():
    gore_cusco = Entidad.objects.get(codigo="gore-cusco")
    municipio = Entidad(codigo="mp-prueba", nombre="Municipalidad de prueba", nivel=f.nivel("GL"),
                        tipo=Entidad.Tipo.MUNICIPALIDAD_PROVINCIAL, ubigeo="2101", padre=gore_cusco)
    with pytest.raises(ValidationError) as exc:
        municipio.full_clean()
    assert "no es de la región o provincia de esta entidad (ubigeo 2101)" in str(exc.value)
    municipio.padre = Entidad.objects.get(codigo="gore-puno")
    municipio.full_clean()


def test_punos_municipalities_sit_under_the_regional_government_of_puno():
    puno = Entidad.objects.get(codigo="gore-puno")
    assert sorted(puno.dependientes.filter(nivel__codigo="GL").values_list("ubigeo", flat=True)) == [
        f"21{n:02d}" for n in range(1, 14)]
