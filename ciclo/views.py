"""The plan's «Ciclo del plan» page (states, amendments) and «Nuevo plan a partir de este»:
parse the form, call the service, show the page again with its message or its errors."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ciclo import selectors, services, siguiente as sig
from ciclo.forms import CerrarForm, ModificacionForm, SiguienteForm, SuscribirForm
from ciclo.models import Modificacion
from planes.selectors import plan_get

ACCIONES = {"suscribir", "ejecutar", "cerrar", "abrir-modificacion", "cerrar-modificacion"}


def _puede(user, plan) -> bool:
    try:
        services.check_puede_gestionar(user, plan)
    except PermissionDenied:
        return False
    return True


def _pagina(request, plan, *, formularios=None, status=200):
    formularios = formularios or {}
    contexto = {
        "plan": plan,
        "puede": _puede(request.user, plan),
        "form_suscribir": formularios.get("suscribir") or SuscribirForm(),
        "form_cerrar": formularios.get("cerrar") or CerrarForm(),
        "form_modificacion": formularios.get("abrir-modificacion") or ModificacionForm(),
        "errores": formularios.get("errores", []),
        "modificaciones": selectors.modificacion_list(plan=plan),
        "historial": selectors.historial_estados(plan=plan),
        "arrastradas": selectors.arrastradas(plan=plan),
        "siguiente": selectors.siguiente_de(plan=plan),
    }
    return render(request, "ciclo/ciclo_plan.html", contexto, status=status)


def ciclo_plan(request, plan_id: int):
    return _pagina(request, plan_get(user=request.user, plan_id=plan_id))


def _errores(form, exc: ValidationError) -> list[str]:
    """Put a service's field errors on the form; return the others."""
    if hasattr(exc, "error_dict"):
        otros = []
        for campo, errores in exc.message_dict.items():
            if campo in form.fields:
                for e in errores:
                    form.add_error(campo, e)
            else:
                otros.extend(errores)
        return otros
    return list(exc.messages)


@require_POST
def ciclo_accion(request, plan_id: int, accion: str):
    plan = plan_get(user=request.user, plan_id=plan_id)
    if accion not in ACCIONES:
        raise Http404("No existe esa acción.")
    user = request.user
    form = {"suscribir": SuscribirForm, "cerrar": CerrarForm, "abrir-modificacion": ModificacionForm}.get(accion)
    form = form(request.POST) if form else None
    try:
        if form is not None and not form.is_valid():
            raise ValidationError([])
        datos = form.cleaned_data if form is not None else {}
        if accion == "suscribir":
            services.plan_suscribir(plan=plan, usuario=user, **datos)
            messages.success(request, "Plan suscrito: su estructura ya solo cambia mediante una modificación.")
        elif accion == "ejecutar":
            services.plan_iniciar_ejecucion(plan=plan, usuario=user)
            messages.success(request, "El plan está en ejecución.")
        elif accion == "cerrar":
            services.plan_cerrar(plan=plan, usuario=user, **datos)
            messages.success(request, "Plan cerrado con su evaluación de cierre.")
        elif accion == "abrir-modificacion":
            mod = services.modificacion_abrir(plan=plan, usuario=user, **datos)
            messages.success(request, f"Modificación N° {mod.numero} abierta: haga los cambios (registro de datos o "
                                      "importación) y ciérrela aquí para registrar los valores anteriores y nuevos.")
        else:
            mod = get_object_or_404(Modificacion, plan=plan, cerrada_en__isnull=True)
            mod = services.modificacion_cerrar(modificacion=mod, usuario=user)
            messages.success(request, f"Modificación N° {mod.numero} cerrada: {mod.cambios.count()} cambios registrados.")
    except ValidationError as exc:
        errores = _errores(form, exc) if form is not None else list(exc.messages)
        plan.refresh_from_db()
        return _pagina(request, plan, formularios={accion: form, "errores": errores}, status=400)
    return redirect("ciclo_plan", plan_id=plan.pk)


def siguiente(request, plan_id: int):
    """GET: the options and, once chosen, the preview of what will be created; POST: create it."""
    plan = plan_get(user=request.user, plan_id=plan_id)
    services.check_puede_gestionar(request.user, plan)
    datos = request.POST if request.method == "POST" else (request.GET if "opciones" in request.GET or "ver" in request.GET else None)
    form = SiguienteForm(datos)
    copia, errores, status = None, [], 200
    if datos is not None and form.is_valid():
        opciones = form.cleaned_data["opciones"]
        try:
            if request.method == "POST":
                nuevo = sig.siguiente_crear(plan=plan, usuario=request.user, opciones=opciones)
                messages.success(request, f"Plan {nuevo.codigo} creado como propuesta a partir de {plan.codigo}.")
                return redirect("ciclo_plan", plan_id=nuevo.pk)
            copia = sig.siguiente_preparar(plan=plan, usuario=request.user, opciones=opciones)
        except ValidationError as exc:
            errores, status = _errores(form, exc), 400
    elif datos is not None:
        status = 400
    existente = selectors.siguiente_de(plan=plan)
    return render(request, "ciclo/siguiente.html",
                  {"plan": plan, "form": form, "copia": copia, "errores": errores, "existente": existente}, status=status)
