"""A plan's life: propuesta → suscrito → en ejecución → cerrado, by the rector's staff only, each
step traced; once signed, its structure is refused to every way of writing (services, admin,
import, cargar_seed) unless an amendment is open."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction

from ciclo import services
from matrices.models import Causa, Problema
from planes.estructura import EstructuraBloqueada
from planes.models import Plan
from tests.ciclo.helpers import FECHA_SUSCRIPCION, suscribir
from tests.importacion.helpers import CAUSAS, importar, libro

pytestmark = pytest.mark.django_db


def test_the_seed_plan_is_a_proposal(seed_plan):
    assert seed_plan.estado == Plan.Estado.PROPUESTA
    assert seed_plan.get_estado_display() == "Propuesta"
    assert seed_plan.fecha_suscripcion is None and not seed_plan.estructura_bloqueada


def test_signing_records_date_document_signatories_and_is_traced(seed_plan, usuario_mtpe):
    plan = suscribir(seed_plan, usuario_mtpe)
    plan.refresh_from_db()
    assert (plan.estado, plan.fecha_suscripcion) == (Plan.Estado.SUSCRITO, FECHA_SUSCRIPCION)
    assert plan.documento_suscripcion.startswith("Convenio de Gestión N° 012-2015-MTPE")
    assert "Presidente del Gobierno Regional de Puno" in plan.firmantes
    ultima = plan.history.latest("history_date")
    assert (ultima.estado, ultima.history_user_id) == ("suscrito", usuario_mtpe.pk)
    assert ultima.history_change_reason.startswith("Suscripción: Convenio de Gestión N° 012-2015-MTPE")


@pytest.mark.parametrize("quien", ["usuario_planificador", "usuario_puno"])
def test_only_the_rector_entitys_staff_change_the_state(request, seed_plan, quien):
    with pytest.raises(PermissionDenied, match="lo registra el personal de MTPE|los registra el personal de MTPE"):
        suscribir(seed_plan, request.getfixturevalue(quien))
    seed_plan.refresh_from_db()
    assert seed_plan.estado == Plan.Estado.PROPUESTA


def test_signing_without_document_or_signatories_is_refused_and_changes_nothing(seed_plan, usuario_mtpe):
    with pytest.raises(ValidationError) as exc:
        services.plan_suscribir(plan=seed_plan, usuario=usuario_mtpe, fecha=FECHA_SUSCRIPCION, documento=" ", firmantes="")
    assert exc.value.message_dict == {
        "documento": ["Indique el número de la resolución o del convenio que suscribe el plan."],
        "firmantes": ["Indique quiénes firman el plan (nombre y cargo, uno por línea)."]}
    seed_plan.refresh_from_db()
    assert seed_plan.estado == Plan.Estado.PROPUESTA and seed_plan.history.count() == 0


def test_the_steps_go_in_order_and_closing_needs_its_evaluation(seed_plan, usuario_mtpe):
    with pytest.raises(ValidationError, match="está propuesta: no puede pasar a «en ejecución»"):
        services.plan_iniciar_ejecucion(plan=seed_plan, usuario=usuario_mtpe)
    plan = suscribir(seed_plan, usuario_mtpe)
    plan = services.plan_iniciar_ejecucion(plan=plan, usuario=usuario_mtpe)
    with pytest.raises(ValidationError, match="Escriba la evaluación de cierre"):
        services.plan_cerrar(plan=plan, usuario=usuario_mtpe, fecha=datetime.date(2015, 12, 31), evaluacion="")
    plan = services.plan_cerrar(plan=plan, usuario=usuario_mtpe, fecha=datetime.date(2015, 12, 31),
                                evaluacion="Se cumplió el 80% de las actividades.")
    plan.refresh_from_db()
    assert (plan.estado, plan.fecha_cierre) == (Plan.Estado.CERRADO, datetime.date(2015, 12, 31))
    assert [h.history_change_reason for h in plan.history.order_by("history_date")] == [
        "Suscripción: Convenio de Gestión N° 012-2015-MTPE (de prueba) del 30/06/2015", "Inicio de la ejecución",
        "Cierre del plan"]


def test_a_signed_plans_structure_is_refused_to_a_service_save_and_delete(seed_plan, usuario_mtpe):
    suscribir(seed_plan, usuario_mtpe)
    problema = Problema.objects.get(plan=seed_plan, numero=1)
    problema.enunciado = "Otro enunciado"
    with pytest.raises(EstructuraBloqueada, match="El plan mtpe-puno-2015 está suscrito: su estructura .* solo cambia "
                                                  "mediante una modificación"):
        problema.save()
    causa = Causa.objects.filter(problema__plan=seed_plan).first()
    with pytest.raises(EstructuraBloqueada), transaction.atomic():  # a savepoint: the test's transaction goes on
        causa.delete()
    with pytest.raises(EstructuraBloqueada), transaction.atomic():
        Causa.objects.create(problema=problema, entidad=causa.entidad, letra="z", texto="Nueva")
    assert Problema.objects.get(pk=problema.pk).enunciado != "Otro enunciado"
    assert Causa.objects.filter(pk=causa.pk).exists() and not Causa.objects.filter(letra="z").exists()


def test_the_admin_is_refused_on_a_signed_plan_with_the_message(client, seed_plan, usuario_puno, usuario_mtpe):
    suscribir(seed_plan, usuario_mtpe)
    causa = Causa.objects.filter(problema__plan=seed_plan, entidad=usuario_puno.entidad).first()
    client.force_login(usuario_puno)
    response = client.post(f"/admin/matrices/causa/{causa.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert "solo cambia mediante una modificación" in response.content.decode()
    assert Causa.objects.filter(pk=causa.pk).exists()


def test_the_import_is_refused_on_a_signed_plan_and_writes_nothing(seed_plan, usuario_puno, usuario_mtpe):
    suscribir(seed_plan, usuario_mtpe)
    data = libro({"Causas": [CAUSAS, [seed_plan.codigo, "drtpe-puno", 1, "z", "Causa importada"]]})
    resultado = importar(usuario_puno, seed_plan, data, aplicar=True)
    assert not resultado.aplicado
    assert [e.mensaje for e in resultado.errores] == [
        "El plan mtpe-puno-2015 está suscrito: su estructura (problemas, causas, alternativas, actividades, indicadores, "
        "metas y presupuesto) solo cambia mediante una modificación, que registra su motivo. Abra una modificación en la "
        "página «Ciclo del plan» y vuelva a intentarlo."]
    assert not Causa.objects.filter(problema__plan=seed_plan, letra="z").exists()


def test_cargar_seed_refuses_to_overwrite_a_signed_seed_plan(seed_plan, usuario_mtpe):
    suscribir(seed_plan, usuario_mtpe)
    with pytest.raises(CommandError, match="No se vuelve a cargar el plan mtpe-puno-2015: está suscrito"):
        call_command("cargar_seed", verbosity=0)
    seed_plan.refresh_from_db()
    assert seed_plan.estado == Plan.Estado.SUSCRITO


def test_a_proposal_changes_freely(seed_plan):
    problema = Problema.objects.get(plan=seed_plan, numero=1)
    problema.enunciado = "Enunciado corregido"
    problema.save()
    assert Problema.objects.get(pk=problema.pk).enunciado == "Enunciado corregido"


def test_the_page_signs_the_plan_and_a_bad_date_gets_a_spanish_error(client, seed_plan, usuario_mtpe):
    client.force_login(usuario_mtpe)
    url = f"/planes/{seed_plan.pk}/ciclo/suscribir/"
    malo = client.post(url, {"fecha": "31/02/2015", "documento": "Convenio N° 1", "firmantes": "Ministro"})
    assert malo.status_code == 400
    assert "Escriba la fecha como dd/mm/aaaa" in malo.content.decode()
    seed_plan.refresh_from_db()
    assert seed_plan.estado == Plan.Estado.PROPUESTA
    bueno = client.post(url, {"fecha": "30/06/2015", "documento": "Convenio N° 1", "firmantes": "Ministro"}, follow=True)
    html = bueno.content.decode()
    assert bueno.status_code == 200 and "Plan suscrito" in html and "30/06/2015" in html and "Convenio N° 1" in html
    historial = html.split('id="historial-estado"')[1].split("</table>")[0]
    assert "<td>Suscrito</td><td>" + usuario_mtpe.username + "</td><td>Suscripción: Convenio N° 1 del 30/06/2015</td>" in historial
    seed_plan.refresh_from_db()
    assert seed_plan.estado == Plan.Estado.SUSCRITO


def test_the_page_offers_no_transition_to_a_planner(client, seed_plan, usuario_planificador):
    client.force_login(usuario_planificador)
    html = client.get(f"/planes/{seed_plan.pk}/ciclo/").content.decode()
    assert "Propuesta" in html and 'id="form-suscribir"' not in html
    response = client.post(f"/planes/{seed_plan.pk}/ciclo/suscribir/",
                           {"fecha": "30/06/2015", "documento": "Convenio N° 1", "firmantes": "Ministro"})
    assert response.status_code == 403


def test_cargar_seed_demo_loads_twice_and_the_demo_plans_signed_version_is_whole(client, usuario_planificador):
    from matrices.models import Actividad

    call_command("cargar_seed", "--demo", verbosity=0)
    call_command("cargar_seed", "--demo", verbosity=0)  # demo plans are reset, not refused
    demo = Plan.objects.get(codigo="demo-cusco-2015-2017")
    assert demo.estado == Plan.Estado.EN_EJECUCION and "demostración" in demo.documento_suscripcion
    act = Actividad.objects.filter(plan=demo).exclude(descripcion="").order_by("pk").first()
    nivel = act.entidad.nivel.codigo
    client.force_login(usuario_planificador)
    html = client.get(f"/planes/{demo.pk}/matriz-logica/?nivel={nivel}&entidad={act.entidad.codigo}&version=suscrito")
    from html import unescape

    assert html.status_code == 200 and act.descripcion in unescape(html.content.decode())
