"""Login attempts (django-axes, settings AXES_*): after AXES_FAILURE_LIMIT failed logins for
one user name from one address, that pair is locked out for AXES_COOLOFF_TIME, on /ingresar/
and on /admin/login/ alike. A successful login before the limit starts the count again;
an administrator unlocks earlier by deleting the attempt in the admin ("Access attempts")."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render


def _minutes(cool_off) -> str:
    minutes = max(1, round(cool_off.total_seconds() / 60))
    return f"{minutes} minuto{'s' if minutes != 1 else ''}"


def locked_out(request, response=None, credentials=None):
    """The login page again, with the lockout said in Spanish (status 429, Too Many Requests)."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    if cool_off:
        mensaje = (f"Demasiados intentos fallidos: la cuenta queda bloqueada por {_minutes(cool_off)} en este "
                   "equipo. Espere y vuelva a intentarlo, o pida a un administrador que la desbloquee.")
    else:
        mensaje = ("Demasiados intentos fallidos: la cuenta queda bloqueada en este equipo hasta que un "
                   "administrador la desbloquee.")
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    next_url = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "registration/login.html", {"form": form, "bloqueo": mensaje, "next": next_url},
                  status=settings.AXES_HTTP_RESPONSE_CODE)


def client_ip(request) -> str | None:
    """The client's address behind the reverse proxy (BEHIND_PROXY=1): the last address of
    X-Forwarded-For, the one the proxy itself appended (earlier ones are the client's word)."""
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return forwarded[-1] if forwarded else request.META.get("REMOTE_ADDR")
