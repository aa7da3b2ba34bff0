"""The health check (/salud/): open without logging in; 503 until the task worker has shown a
heartbeat within two minutes, 200 after; it asks the worker for a heartbeat at most once a minute."""
from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from amc import salud
from amc.models import Latido

pytestmark = pytest.mark.django_db


def test_the_health_check_needs_no_login_and_waits_for_the_workers_heartbeat(client):
    r = client.get("/salud/")
    assert r.status_code == 503
    assert r.json() == {"base_de_datos": "ok", "ok": False,
                        "trabajador": "sin latido en los últimos 2 minutos (último: nunca)"}
    # The immediate backend ran the heartbeat the first call asked for: the worker answered.
    r = client.get("/salud/")
    assert r.status_code == 200 and r.json() == {"base_de_datos": "ok", "trabajador": "ok", "ok": True}


def test_a_stale_heartbeat_is_reported_with_when_it_was_last_seen(monkeypatch):
    enviados = []

    class Tarea:
        def enqueue(self):
            enviados.append(1)

    monkeypatch.setattr(salud, "latido", Tarea())
    antes = timezone.now() - datetime.timedelta(minutes=10)
    Latido.objects.create(pk=1, recibido=antes, pedido=timezone.now() - datetime.timedelta(seconds=20))
    estado = salud.estado()
    assert not estado["ok"] and f"(último: {timezone.localtime(antes):%d/%m/%Y %H:%M:%S})" in estado["trabajador"]
    assert enviados == []  # asked 20 s ago: not asked again yet
    Latido.objects.filter(pk=1).update(pedido=timezone.now() - datetime.timedelta(minutes=5))
    salud.estado()
    assert enviados == [1]
