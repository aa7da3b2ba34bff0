"""A large file is previewed and applied by the task worker while its page shows the progress;
a small one answers in the request. The worker runs the same import: same rows, same history."""
import io

import pytest
from django.urls import reverse

from importacion import services
from matrices.models import Causa
from tests.importacion.helpers import CAUSAS, libro

pytestmark = pytest.mark.django_db


@pytest.fixture
def cola(settings):
    """A task backend that keeps what is enqueued without running it, as a worker that has not
    yet taken the job; the test then plays the worker's part."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.AMC_IMPORTACION_FILAS_DIRECTAS = 3
    from django_tasks import default_task_backend

    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def subir(client, plan, data, nombre="causas.xlsx"):
    archivo = io.BytesIO(data)
    archivo.name = nombre
    return client.post(reverse("importacion:subir"), {"plan": plan.pk, "archivo": archivo})


def causas(plan, n):
    return libro({"Causas": [CAUSAS] + [[plan.codigo, "drtpe-puno", 1, chr(ord("a") + i), f"Causa {i + 1}"] for i in range(n)]})


def trabajar(cola):
    """Run what waits in the queue, as `manage.py db_worker` would."""
    for resultado in list(cola.results):
        resultado.task.func(*resultado.args, **resultado.kwargs)
    cola.clear()


def test_a_large_file_is_previewed_by_the_worker_with_a_progress_page(client, usuario_puno, plan, cola):
    client.force_login(usuario_puno)
    response = subir(client, plan, causas(plan, 4))  # 4 rows > 3 answered in the request
    assert response.status_code == 302
    espera = client.get(response["Location"])
    body = espera.content.decode()
    assert 'data-estado="en_cola"' in body and "En cola para revisar" in body
    assert '<meta http-equiv="refresh" content="2">' in body and 'id="progreso-importacion"' in body
    assert len(cola.results) == 1
    trabajar(cola)
    preview = client.get(response["Location"])
    body = preview.content.decode()
    assert 'data-estado="nueva">4<' in body and "Aplicar la importación" in body
    assert not Causa.objects.filter(problema__plan=plan).exists()  # a preview writes nothing

    token = response["Location"].rstrip("/").split("/")[-1]
    aplicar = client.post(reverse("importacion:aplicar", args=[token]), {"huella": preview.context["resultado"].huella})
    assert aplicar["Location"] == reverse("importacion:vista", args=[token])
    assert "En cola para aplicar" in client.get(aplicar["Location"]).content.decode()
    # A second click while it waits queues nothing more.
    client.post(reverse("importacion:aplicar", args=[token]), {"huella": preview.context["resultado"].huella})
    assert len(cola.results) == 1
    trabajar(cola)
    assert sorted(Causa.objects.filter(problema__plan=plan).values_list("texto", flat=True)) == [
        "Causa 1", "Causa 2", "Causa 3", "Causa 4"]
    # The rows' history names the uploader, as in the request.
    causa = Causa.objects.get(problema__plan=plan, letra="a")
    assert causa.history.get().history_user == usuario_puno
    hecho = client.get(reverse("importacion:vista", args=[token]))
    assert hecho["Location"] == reverse("plan_detail", args=[plan.pk])
    assert "Importación aplicada (causas.xlsx): 4 fila(s) nuevas" in client.get(hecho["Location"]).content.decode()
    assert client.get(reverse("importacion:vista", args=[token])).status_code == 404  # nothing left behind


def test_a_small_file_is_answered_in_the_request(client, usuario_puno, plan, cola):
    client.force_login(usuario_puno)
    response = subir(client, plan, causas(plan, 3))
    assert 'data-estado="nueva">3<' in client.get(response["Location"]).content.decode()
    assert len(cola.results) == 0


def test_the_worker_reports_its_progress_by_sheet_and_row(usuario_puno, plan, settings):
    settings.AMC_IMPORTACION_EN_SEGUNDO_PLANO = False
    subida = services.subida_save(usuario=usuario_puno, data=causas(plan, 4), nombre="causas.xlsx", plan=plan,
                                  entidad=usuario_puno.entidad, hojas_elegidas=[])
    vistos = []
    services.importar(subida=subida, usuario=usuario_puno, avance=lambda p, etapa: vistos.append((p, etapa)))
    assert vistos[0] == (5, "Leyendo el libro")
    assert (10, "Hoja «Causas»: fila 0 de 4") in vistos
    assert [p for p, _ in vistos] == sorted(p for p, _ in vistos)


def test_an_apply_that_finds_the_data_changed_says_so_over_the_new_preview(client, usuario_puno, plan, cola, drtpe_puno):
    from tests import factories as f

    client.force_login(usuario_puno)
    response = subir(client, plan, causas(plan, 4))
    trabajar(cola)
    token = response["Location"].rstrip("/").split("/")[-1]
    huella = client.get(response["Location"]).context["resultado"].huella
    f.make_causa(plan.problemas.get(numero=1), drtpe_puno, "a", "Escrita mientras tanto")  # a colleague, meanwhile
    client.post(reverse("importacion:aplicar", args=[token]), {"huella": huella})
    trabajar(cola)
    body = client.get(reverse("importacion:vista", args=[token])).content.decode()
    assert "No se aplicó nada: el resultado ya no es el de la vista previa" in body
    assert list(Causa.objects.filter(problema__plan=plan).values_list("texto", flat=True)) == ["Escrita mientras tanto"]


def test_a_failure_in_the_worker_is_shown_and_saves_nothing(client, usuario_puno, plan, cola, monkeypatch):
    client.force_login(usuario_puno)
    response = subir(client, plan, causas(plan, 4))

    def roto(*args, **kwargs):
        raise RuntimeError("la base de datos no respondió")

    monkeypatch.setattr(services, "importar_libro", roto)
    trabajar(cola)
    body = client.get(response["Location"]).content.decode()
    assert "No se pudo terminar la importación: la base de datos no respondió. Nada se guardó." in body
    assert 'http-equiv="refresh"' not in body
    assert not Causa.objects.filter(problema__plan=plan).exists()


def test_another_user_cannot_follow_someone_elses_import(client, usuario_puno, usuario_mtpe, plan, cola):
    client.force_login(usuario_puno)
    response = subir(client, plan, causas(plan, 4))
    client.force_login(usuario_mtpe)
    assert client.get(response["Location"]).status_code == 404
