"""The health check (`/salud/`) a load balancer, systemd or the operator polls: the database
answers, and the task worker is alive (it ran a heartbeat task within `PLAZO`).

Every call that finds no recent heartbeat asks the worker for one (at most once per
`PLAZO / 2`), so a worker that is running confirms itself within seconds of the first check.
"""
from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone
from django_tasks import task

from amc.models import Latido

PLAZO = datetime.timedelta(minutes=2)


@task()
def latido() -> str:
    """Run by the worker: it is alive."""
    Latido.objects.update_or_create(pk=1, defaults={"recibido": timezone.now()})
    return "ok"


def estado(ahora=None) -> dict:
    """{"base_de_datos": "ok"|error, "trabajador": "ok"|why not, "ok": bool}."""
    ahora = ahora or timezone.now()
    resultado = {"base_de_datos": "ok", "trabajador": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # the database is down: nothing else can be checked
        resultado.update(base_de_datos=f"sin conexión: {exc}", trabajador="no se pudo comprobar", ok=False)
        return resultado
    fila, _ = Latido.objects.get_or_create(pk=1)
    if fila.recibido is None or ahora - fila.recibido > PLAZO:
        if fila.pedido is None or ahora - fila.pedido > PLAZO / 2:
            Latido.objects.filter(pk=1).update(pedido=ahora)
            latido.enqueue()
        visto = f"{timezone.localtime(fila.recibido):%d/%m/%Y %H:%M:%S}" if fila.recibido else "nunca"
        resultado["trabajador"] = f"sin latido en los últimos {int(PLAZO.total_seconds() // 60)} minutos (último: {visto})"
    resultado["ok"] = resultado["trabajador"] == "ok"
    return resultado
