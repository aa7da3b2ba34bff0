from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from amc.models import Exportacion
from amc.salud import estado


def permission_denied(request, exception=None):
    """403 page in Spanish that says why (the message of the PermissionDenied raised)."""
    message = str(exception) if exception and str(exception) else "No tiene permiso para ver esta página."
    return render(request, "403.html", {"mensaje": message}, status=403)


# --- exports made in the background (amc/exportaciones.py) ----------------------------------------

def _exportacion(request, pk: int) -> Exportacion:
    """One of the user's own exports; anybody else's is a 404 (not even confirmed to exist)."""
    return get_object_or_404(Exportacion, pk=pk, usuario=request.user)


def exportacion(request, pk: int):
    """The progress page of an export: updates itself (static/js/progreso.js asks again) until
    the file is ready, then offers it."""
    exp = _exportacion(request, pk)
    return render(request, "exportaciones/estado.html", {"exportacion": exp, "refrescar": exp.en_espera})


def exportacion_archivo(request, pk: int):
    exp = _exportacion(request, pk)
    if not exp.terminada_bien or not exp.archivo.storage.exists(exp.archivo.name):
        return redirect("exportacion", exp.pk)
    return FileResponse(exp.archivo.open("rb"), as_attachment=True, filename=exp.nombre_archivo or None)


def exportaciones(request):
    """The user's recent exports, newest first."""
    return render(request, "exportaciones/lista.html",
                  {"exportaciones": Exportacion.objects.filter(usuario=request.user).order_by("-creada")[:50]})


@login_not_required
def salud(request):
    """Health check for the operators: 200 when the database and the task worker answer, else 503."""
    data = estado()
    return JsonResponse(data, status=200 if data["ok"] else 503, json_dumps_params={"ensure_ascii": False})
