"""Pages of the notices app: the home page (the user's plans and work queues) and the user's
notices, which the user marks read (POST)."""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from planes.selectors import plan_list

from avisos import selectors, services

POR_PAGINA = 50


@require_safe
def inicio(request):
    request.colas = selectors.colas(user=request.user)  # the navigation counts what this page lists
    return render(request, "avisos/inicio.html", {"planes": plan_list(user=request.user), "colas": request.colas})


@require_safe
def lista(request):
    pagina = Paginator(selectors.avisos_de(user=request.user), POR_PAGINA).get_page(request.GET.get("pagina"))
    return render(request, "avisos/lista.html", {"pagina": pagina})


def _volver(request) -> str:
    pagina = request.POST.get("pagina", "")
    url = reverse("avisos:lista")
    return f"{url}?pagina={pagina}" if pagina.isdigit() and pagina != "1" else url


@require_POST
def marcar_leido(request, pk: int):
    """Mark one notice read; another user's notice is not found (404) and nothing changes."""
    aviso = get_object_or_404(selectors.avisos_de(user=request.user), pk=pk)
    services.aviso_mark_read(aviso=aviso, user=request.user)
    return redirect(_volver(request))


@require_POST
def marcar_todos(request):
    n = services.avisos_mark_all_read(user=request.user)
    messages.success(request, f"Se marcaron {n} aviso(s) como leídos." if n else "No había avisos sin leer.")
    return redirect(_volver(request))
