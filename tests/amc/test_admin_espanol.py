"""The admin speaks correct Spanish and wears the application's name and colours (issue 11,
item 10): «La actividad “…” se modificó correctamente.», not Django's «El actividad … fue
agregado»; the article comes from amc.vocabulario.articulo."""
import pytest
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, override

from amc.vocabulario import articulo
from matrices.models import Actividad, Problema
from presupuesto.models import LineaPresupuesto

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("nombre, esperado", [
    ("actividad", "La"), ("línea de presupuesto", "La"), ("configuración de seguimiento", "La"),
    ("base legal", "La"), ("indicador", "El"), ("problema", "El"), ("periodo de reporte", "El"),
    ("logros del periodo", "Los"), ("entidades participantes", "Las"),
])
def test_the_article_of_a_verbose_name(nombre, esperado):
    assert articulo(nombre) == esperado


def _mensaje(model, texto_django, request_factory, **formato):
    """What the admin of `model` shows for one of Django's messages, translated and formatted as
    Django's ModelAdmin does it."""
    request = request_factory.get("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    with override("es-pe"):
        admin.site._registry[model].message_user(request, format_html(gettext(texto_django), **formato))
    return [str(m) for m in request._messages]


def test_the_admins_messages_read_as_correct_spanish(rf):
    obj = "Talleres de empleabilidad"
    assert _mensaje(Actividad, "The {name} “{obj}” was changed successfully.", rf, name="actividad", obj=obj) == [
        "La actividad “Talleres de empleabilidad” se modificó correctamente."]
    assert _mensaje(LineaPresupuesto, "The {name} “{obj}” was added successfully. You may edit it again below.", rf,
                    name="línea de presupuesto", obj="Pasajes") == [
        "La línea de presupuesto “Pasajes” se agregó correctamente. Puede seguir editando a continuación."]
    assert _mensaje(Problema, "The {name} “{obj}” was added successfully.", rf, name="problema", obj="1") == [
        "El problema “1” se agregó correctamente."]


def test_the_admin_wears_the_applications_name_and_colours(client, usuario_admin):
    client.force_login(usuario_admin)
    body = client.get(reverse("admin:index")).content.decode()
    assert "AMC · Acciones de Mejora Continua" in body and "/static/css/admin-amc.css" in body
    assert "/static/js/admin-amc.js" in body
    css = open(finders.find("css/admin-amc.css"), encoding="utf-8").read()
    assert "--header-bg: #8c1c13;" in css  # the application's top bar (static/css/amc.css --accent)
