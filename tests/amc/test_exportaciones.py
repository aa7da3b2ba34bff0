"""Heavy exports leave the request (amc/exportaciones.py): a PDF or Excel file is made by the
task worker while the user follows a progress page; the same export of unchanged data comes at
once; any change of the data makes a new file; nobody else reaches a user's files."""
from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from amc import exportaciones
from amc.access import Rol
from amc.models import Exportacion
from matrices.models import Problema
from tests import factories as f
from tests.report_helpers import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("en_segundo_plano")]


@pytest.fixture
def en_segundo_plano(settings, tmp_path):
    settings.AMC_EXPORTACIONES_EN_SEGUNDO_PLANO = True
    settings.MEDIA_ROOT = tmp_path


def _pedir(client, url, django_capture_on_commit_callbacks):
    """Ask for a file as a browser would: the request, then what the worker does (the
    immediate backend runs the task when the request's transaction commits)."""
    with django_capture_on_commit_callbacks(execute=True):
        return client.get(url)


def test_a_pdf_is_made_by_the_worker_and_offered_on_its_progress_page(
        client, usuario_planificador, seed_plan, django_capture_on_commit_callbacks):
    client.force_login(usuario_planificador)
    url = reverse("reporte_presupuesto", args=[seed_plan.pk]) + "?nivel=GR&formato=pdf"
    r = _pedir(client, url, django_capture_on_commit_callbacks)
    exp = Exportacion.objects.get(usuario=usuario_planificador)
    assert r.status_code == 302 and r["Location"] == reverse("exportacion", args=[exp.pk])
    assert (exp.estado, exp.progreso, exp.formato, exp.consulta) == ("lista", 100, "pdf", "nivel=GR")
    assert exp.titulo == f"13.3 Presupuesto · {seed_plan.titulo}"

    pagina = client.get(r["Location"]).content.decode()
    assert "El archivo está listo" in pagina and 'data-en-espera="0"' in pagina and "progreso.js" not in pagina
    archivo = client.get(reverse("exportacion_archivo", args=[exp.pk]))
    contenido = b"".join(archivo.streaming_content)
    assert contenido.startswith(b"%PDF")
    assert f'filename="{seed_plan.codigo}_presupuesto_{timezone.localdate():%Y-%m-%d}.pdf"' in archivo["Content-Disposition"]
    texto = pdf_text(contenido)
    assert "S/ 20,000.00" in texto and "Total Gobierno Regional" in texto  # DRTPE Puno's lines only


def test_the_same_export_of_unchanged_data_comes_at_once(client, usuario_planificador, seed_plan,
                                                         django_capture_on_commit_callbacks):
    client.force_login(usuario_planificador)
    url = reverse("reporte_analisis_causal", args=[seed_plan.pk]) + "?formato=xlsx"
    _pedir(client, url, django_capture_on_commit_callbacks)
    primera = Exportacion.objects.get()
    with django_capture_on_commit_callbacks() as callbacks:
        r = client.get(url)
    assert callbacks == []  # nothing queued: the stored file is offered
    assert r["Location"] == reverse("exportacion_archivo", args=[primera.pk])
    assert Exportacion.objects.count() == 1
    libro = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(r["Location"]).streaming_content)))
    assert "7 Análisis causal" in libro.sheetnames


def test_a_change_of_the_data_makes_a_new_file(client, usuario_planificador, seed_plan, django_capture_on_commit_callbacks):
    client.force_login(usuario_planificador)
    url = reverse("reporte_analisis_causal", args=[seed_plan.pk]) + "?formato=xlsx"
    _pedir(client, url, django_capture_on_commit_callbacks)
    problema = Problema.objects.filter(plan=seed_plan).order_by("numero").first()
    problema.enunciado += " (corregido)"
    problema.save()
    r = _pedir(client, url, django_capture_on_commit_callbacks)
    nueva = Exportacion.objects.order_by("-pk").first()
    assert Exportacion.objects.count() == 2 and r["Location"] == reverse("exportacion", args=[nueva.pk])
    filas = [c.value for fila in openpyxl.load_workbook(nueva.archivo.open("rb"))["7 Análisis causal"].iter_rows()
             for c in fila]
    assert any(isinstance(v, str) and v.endswith("(corregido)") for v in filas)


def test_a_filter_that_does_not_exist_is_refused_at_once(client, usuario_planificador, seed_plan):
    client.force_login(usuario_planificador)
    r = client.get(reverse("reporte_roles", args=[seed_plan.pk]) + "?nivel=XX&formato=pdf")
    assert r.status_code == 400 and "Nivel de gobierno «XX» no existe" in r.content.decode()
    assert not Exportacion.objects.exists()


def test_a_users_exports_are_nobody_elses(client, usuario_planificador, usuario_puno, seed_plan,
                                          django_capture_on_commit_callbacks):
    client.force_login(usuario_planificador)
    _pedir(client, reverse("reporte_alineamiento", args=[seed_plan.pk]) + "?formato=xlsx", django_capture_on_commit_callbacks)
    exp = Exportacion.objects.get()
    client.force_login(usuario_puno)
    assert client.get(reverse("exportacion", args=[exp.pk])).status_code == 404
    assert client.get(reverse("exportacion_archivo", args=[exp.pk])).status_code == 404
    assert "Aún no ha pedido archivos" in client.get(reverse("exportaciones")).content.decode()


def test_a_waiting_export_shows_its_progress_and_refreshes_itself(client, usuario_planificador):
    exp = Exportacion.objects.create(clave="x" * 64, usuario=usuario_planificador, titulo="Plan completo · Plan X",
                                     ruta="/planes/1/documento/", formato="pdf", estado="en_curso", progreso=40,
                                     etapa="Maquetando el PDF")
    client.force_login(usuario_planificador)
    pagina = client.get(reverse("exportacion", args=[exp.pk])).content.decode()
    # It asks again by script, not by a timed reload (axe-core: meta-refresh is a critical failure).
    assert 'data-en-espera="1"' in pagina and "/static/js/progreso.js" in pagina and 'http-equiv="refresh"' not in pagina
    assert "Maquetando el PDF" in pagina and 'value="40"' in pagina
    assert client.get(reverse("exportacion_archivo", args=[exp.pk]))["Location"] == reverse("exportacion", args=[exp.pk])


def test_an_export_that_fails_says_why(usuario_planificador):
    plan_ajeno = f.make_plan(rector=f.make_entidad("GN"))
    otro = f.make_user(Rol.REGIONAL, f.make_entidad("GR"))  # may not read plan_ajeno
    exp = Exportacion.objects.create(clave="y" * 64, usuario=otro, titulo="Roles", formato="pdf",
                                     ruta=reverse("reporte_roles", args=[plan_ajeno.pk]))
    assert exportaciones.procesar(exp.pk) == "error"
    exp.refresh_from_db()
    assert exp.estado == "error" and not exp.archivo and exp.terminada is not None
    assert exp.error  # the 404 of a plan the user may not read, in words


def test_old_exports_and_their_files_are_cleaned_up(client, usuario_planificador, seed_plan,
                                                     django_capture_on_commit_callbacks):
    client.force_login(usuario_planificador)
    _pedir(client, reverse("reporte_alineamiento", args=[seed_plan.pk]) + "?formato=xlsx", django_capture_on_commit_callbacks)
    exp = Exportacion.objects.get()
    ruta = exp.archivo.path
    assert exportaciones.limpiar(dias=7) == 0
    assert exportaciones.limpiar(dias=7, ahora=timezone.now() + datetime.timedelta(days=8)) == 1
    assert not Exportacion.objects.exists()
    import os
    assert not os.path.exists(ruta)


def test_the_data_fingerprint_is_the_same_whatever_the_order_of_a_set():
    @__import__("dataclasses").dataclass
    class Datos:
        codigos: set
        total: object

    a = exportaciones.huella_de_datos(Datos({"GN", "GR", "GL"}, __import__("decimal").Decimal("1.50")))
    b = exportaciones.huella_de_datos(Datos({"GL", "GR", "GN"}, __import__("decimal").Decimal("1.50")))
    c = exportaciones.huella_de_datos(Datos({"GL", "GR", "GN"}, __import__("decimal").Decimal("1.51")))
    assert a == b != c


@override_settings(AMC_EXPORTACIONES_EN_SEGUNDO_PLANO=False)
def test_with_the_setting_off_the_file_is_made_in_the_request(client, usuario_planificador, seed_plan):
    client.force_login(usuario_planificador)
    r = client.get(reverse("reporte_alineamiento", args=[seed_plan.pk]) + "?formato=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not Exportacion.objects.exists()


def test_the_data_fingerprint_is_the_same_in_every_process():
    """gunicorn's workers are separate processes: data holding a function (the document's
    sections carry their Excel writers) must give the same digest in each, or the second
    request for the same file, served by another worker, would make it again."""
    import subprocess
    import sys

    codigo = ("import django; django.setup(); from amc import exportaciones as e; from documento import reports as r; "
              "print(e.huella_de_datos({'escritor': r.documento, 'tipo': int, 'n': 1}))")
    huellas = {subprocess.run([sys.executable, "-c", codigo], capture_output=True, text=True, check=True,
                              env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "amc.settings_test"},
                              ).stdout.strip() for _ in range(2)}
    assert len(huellas) == 1 and len(huellas.pop()) == 64
