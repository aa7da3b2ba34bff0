"""Pages of the Excel import: choose a plan, download a template, upload, preview, apply,
download the refused file with its errors marked. Thin: importacion.services does the work."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from amc import access
from importacion import services
from importacion.excel_safety import XLSX_CONTENT_TYPE, max_upload_bytes, megabytes
from planes.models import Entidad, Plan


def _planes(user):
    """Plans the user may import into: those its entity takes part in (any, for administrators)."""
    qs = Plan.objects.visible_to(user).select_related("entidad_responsable")
    if not access.is_admin(user):
        qs = qs.filter(participaciones__entidad=user.entidad_id)
    return qs.order_by("-anio_inicio", "titulo").distinct()


def _plan(user, plan_id) -> Plan:
    try:
        return get_object_or_404(_planes(user), pk=int(plan_id))
    except (TypeError, ValueError):
        raise Http404("Elija un plan.") from None


def _entidad(request, plan) -> Entidad:
    """The user's entity; administrators may name another entity of the plan."""
    pedido = request.POST.get("entidad") or request.GET.get("entidad")
    if pedido and access.is_admin(request.user):
        return get_object_or_404(Entidad.objects.select_related("nivel").filter(participaciones__plan=plan), pk=pedido)
    if not request.user.entidad_id:
        raise PermissionDenied("No tiene permiso: su usuario no pertenece a ninguna entidad.")
    return Entidad.objects.select_related("nivel").get(pk=request.user.entidad_id)


def _hojas(request) -> list[str]:
    clave = request.POST.get("hoja") or request.GET.get("hoja") or ""
    if not clave:
        return []
    services.hoja_por_clave(clave)  # 404 for an unknown sheet
    return [clave]


def _check(user):
    if access.is_read_only(user):
        raise PermissionDenied("No tiene permiso: los planificadores consultan y exportan; no importan datos.")


@require_GET
def inicio(request):
    _check(request.user)
    planes = list(_planes(request.user))
    plan = None
    if request.GET.get("plan"):
        plan = _plan(request.user, request.GET["plan"])
    elif planes:
        plan = planes[0]
    entidades = list(Entidad.objects.filter(participaciones__plan=plan).order_by("nivel__orden", "nombre")) if plan else []
    return render(request, "importacion/inicio.html", {
        "planes": planes, "plan": plan, "entidades": entidades, "es_admin": access.is_admin(request.user),
        "hojas": [(services.clave_de_hoja(cls), cls) for cls in services.hojas()],
        "limite": megabytes(max_upload_bytes()),
    })


@require_GET
def plantilla(request):
    plan = _plan(request.user, request.GET.get("plan"))
    entidad = _entidad(request, plan)
    services.check_can_import(request.user, plan, entidad)
    hojas = _hojas(request)
    clases = [services.hoja_por_clave(h) for h in hojas] if hojas else services.hojas()
    data = services.plantilla(plan=plan, entidad=entidad, clases=clases, usuario=request.user)
    nombre = f"plantilla_{plan.codigo}_{entidad.codigo}_{hojas[0] if hojas else 'plan'}.xlsx"
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, nombre)
    return response


@require_POST
def subir(request):
    plan = _plan(request.user, request.POST.get("plan"))
    entidad = _entidad(request, plan)
    services.check_can_import(request.user, plan, entidad)
    hojas = _hojas(request)
    archivo = request.FILES.get("archivo")
    volver = f"{reverse('importacion:inicio')}?plan={plan.pk}"
    if archivo is None:
        messages.error(request, "Elija el archivo de Excel (.xlsx) que quiere importar.")
        return redirect(volver)
    if archivo.size > max_upload_bytes():
        # Refused before it is read or kept.
        resultado = services.Resultado(errores=[services.ErrorArchivo(
            f"El archivo pesa {megabytes(archivo.size)}; el límite es {megabytes(max_upload_bytes())}. "
            "Divida las filas en varios archivos o quite las hojas que no se importan.")])
        return render(request, "importacion/vista_previa.html", {
            "plan": plan, "entidad": entidad, "resultado": resultado, "nombre": archivo.name, "subida": None}, status=400)
    subida = services.subida_save(usuario=request.user, data=archivo.read(), nombre=archivo.name, plan=plan,
                                   entidad=entidad, hojas_elegidas=hojas)
    if services.en_segundo_plano(subida):  # a large file: the worker previews it, the page follows
        services.encolar(subida, usuario=request.user, aplicar=False)
    else:
        services.importar(subida=subida, usuario=request.user, aplicar=False)
    return redirect("importacion:vista", token=subida.token)


def _subida(request, token):
    subida = services.subida_get(usuario=request.user, token=token)
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=subida.plan_id)
    entidad = Entidad.objects.select_related("nivel").get(pk=subida.entidad_id)
    services.check_can_import(request.user, plan, entidad)
    return subida, plan, entidad


@require_GET
def vista(request, token):
    subida, plan, entidad = _subida(request, token)
    if subida.en_espera or subida.estado == services.FALLIDA:
        return render(request, "importacion/progreso.html", {"plan": plan, "entidad": entidad, "subida": subida})
    if subida.aplicada:  # applied by the worker: as the request would have answered
        messages.success(request, subida.aplicada)
        services.subida_delete(subida)
        return redirect("plan_detail", plan_id=plan.pk)
    if subida.error:  # the worker's apply found the data changed: said once, over the new preview
        messages.error(request, subida.error)
        subida.error = ""
        subida.guardar()
    if subida.resultado is None:
        resultado = services.importar(subida=subida, usuario=request.user, aplicar=False)
    else:
        resultado = services.Resultado.from_json(subida.resultado)
    return render(request, "importacion/vista_previa.html", {
        "plan": plan, "entidad": entidad, "resultado": resultado, "nombre": subida.nombre, "subida": subida,
        "estados": services.ESTADOS,
    })


@require_POST
def aplicar(request, token):
    subida, plan, entidad = _subida(request, token)
    if subida.en_espera:  # a second click while the worker has it: the same page, nothing twice
        return redirect("importacion:vista", token=subida.token)
    huella = request.POST.get("huella", "")
    if services.en_segundo_plano(subida):
        services.encolar(subida, usuario=request.user, aplicar=True, huella=huella)
        return redirect("importacion:vista", token=subida.token)
    resultado = services.importar(subida=subida, usuario=request.user, aplicar=True, huella=huella)
    if resultado.aplicado:
        services.subida_delete(subida)
        messages.success(request, services.resumen_aplicada(subida, resultado))
        return redirect("plan_detail", plan_id=plan.pk)
    messages.error(request, services.NO_APLICADA)
    return redirect("importacion:vista", token=subida.token)


@require_GET
def errores(request, token):
    subida, plan, entidad = _subida(request, token)
    resultado = services.Resultado.from_json(subida.resultado or {})
    try:
        data = services.libro_con_errores(subida.data(), resultado)
    except Exception:  # a file that openpyxl cannot open has no cells to mark
        raise Http404("Este archivo no se puede abrir como libro de Excel: no hay celdas que marcar. "
                      "Lea los mensajes de la vista previa.") from None
    base = subida.nombre.rsplit(".", 1)[0]
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    # The name comes from the user's file: let Django quote it (accents, quotes).
    response["Content-Disposition"] = content_disposition_header(True, f"{base}_con_errores.xlsx")
    return response
