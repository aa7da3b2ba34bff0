"""Failed logins are limited (django-axes): after 5 wrong passwords for one user name from one
address, that pair is locked out for 15 minutes on /ingresar/ and /admin/login/ alike, the
right password included, and the login page says so in Spanish. Other users and addresses are
not affected; a success before the limit starts the count again; the lock ends by itself or
when an administrator removes it."""
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client, override_settings
from django.urls import reverse

from amc.access import Rol
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_limit")]

LOGIN_URLS = ["/ingresar/", "/admin/login/"]


@pytest.fixture
def real_limit():
    # The test settings raise the limit for the rest of the suite; these tests use production's.
    with override_settings(AXES_FAILURE_LIMIT=5, AXES_COOLOFF_TIME=timedelta(minutes=15)):
        yield


@pytest.fixture
def persona(mtpe):
    return f.make_user(Rol.MINISTERIO, mtpe, username="persona-bloqueable")


def attempt(client, url, username, password, ip="10.1.1.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def lock(client, url, username="persona-bloqueable", ip="10.1.1.1"):
    return [attempt(client, url, username, "clave-equivocada", ip) for _ in range(5)]


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_five_wrong_passwords_lock_the_account_and_the_page_says_so(client, persona, url):
    responses = lock(client, url)
    assert [r.status_code for r in responses[:4]] == [200, 200, 200, 200]
    assert responses[4].status_code == 429
    body = responses[4].content.decode()
    assert "Demasiados intentos fallidos: la cuenta queda bloqueada por 15 minutos" in body
    assert 'name="password"' in body  # still the login page


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_a_locked_account_is_refused_even_with_the_right_password(client, persona, url):
    lock(client, url)
    response = attempt(client, url, "persona-bloqueable", f.PASSWORD)
    assert response.status_code == 429
    assert "Demasiados intentos fallidos" in response.content.decode()
    assert not logged_in(client)


def test_the_lock_is_per_user_name_and_address(client, persona, mtpe):
    f.make_user(Rol.MINISTERIO, mtpe, username="otra-persona")
    lock(client, "/ingresar/")
    assert attempt(client, "/ingresar/", "otra-persona", f.PASSWORD).status_code == 302
    client.logout()
    assert attempt(client, "/ingresar/", "persona-bloqueable", f.PASSWORD, ip="10.2.2.2").status_code == 302
    assert logged_in(client)


def test_a_successful_login_before_the_limit_starts_the_count_again(client, persona):
    for _ in range(4):
        attempt(client, "/ingresar/", "persona-bloqueable", "clave-equivocada")
    assert attempt(client, "/ingresar/", "persona-bloqueable", f.PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "/ingresar/", "persona-bloqueable", "clave-equivocada").status_code == 200
    assert attempt(client, "/ingresar/", "persona-bloqueable", f.PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, persona):
    from axes.models import AccessAttempt

    lock(client, "/ingresar/")
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    assert attempt(client, "/ingresar/", "persona-bloqueable", f.PASSWORD).status_code == 302


def test_an_administrator_unlocks_the_account(client, persona, usuario_admin):
    from axes.models import AccessAttempt

    lock(client, "/ingresar/")
    assert Group.objects.get(name=Rol.ADMINISTRADOR).permissions.filter(codename="delete_accessattempt").exists()
    admin_client = Client()
    admin_client.force_login(usuario_admin)
    response = admin_client.post(reverse("admin:axes_accessattempt_delete", args=[AccessAttempt.objects.get().pk]),
                                 {"post": "yes"})
    assert response.status_code == 302
    assert attempt(client, "/ingresar/", "persona-bloqueable", f.PASSWORD).status_code == 302


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(rf):
    from amc.lockout import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "203.0.113.7"  # the first one is whatever the client wrote
    assert client_ip(rf.get("/", REMOTE_ADDR="198.51.100.2")) == "198.51.100.2"
