"""Pages of the follow-up: periods, an entity's entry for a period, review, evidence files,
the tracking report, the dashboard and the period's evaluation report. Views parse input,
call a selector or a service and pick a renderer."""
from __future__ import annotations

import dataclasses
import mimetypes
import os
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from amc import access
from amc.reports import FilterField, choice_param, render_report, report_view
from amc.versiones import por_version
from planes.reports import ENTIDADES_EN_UNA_PAGINA, entidad_filter, entidad_filter_paginado, participantes
from planes.selectors import plan_get
from seguimiento import registros, reports, rules, selectors, services
from seguimiento.forms import DevolverForm, EntregaForm, LogrosForm, PeriodosForm, ReabrirForm

_PREFIX = re.compile(rf"^(?P<kind>[{''.join(t.prefijo for t in registros.TIPOS)}])(?P<pk>\d+)(?:-(?P<mes>\d+))?-")


# The id static/js/entrega-local.js sends with a save, so that it can drop its local copy once
# the server has accepted it.
_ENVIO_LOCAL = re.compile(r"[a-z0-9]{1,32}")


def _entidad_de_la_entrega(request, plan):
    """The entity whose entry this is: the user's own, or (administrators only) another one
    named by `entidad`; naming another entity is refused."""
    pedido = request.POST.get("entidad") or request.GET.get("entidad")
    if pedido and str(pedido) != str(request.user.entidad_id or ""):
        try:
            entidad = selectors.entidad_get(plan=plan, entidad_id=int(pedido))
        except ValueError:
            raise PermissionDenied("No tiene permiso: entidad no válida.") from None
    elif request.user.entidad_id:
        entidad = request.user.entidad
    else:
        raise PermissionDenied("No tiene permiso: su usuario no pertenece a ninguna entidad.")
    services.check_can_file(request.user, entidad)
    if not plan.participaciones.filter(entidad=entidad).exists():
        raise PermissionDenied(f"No tiene permiso: {entidad.nombre_corto} no participa en este plan.")
    return entidad


def _posted_ids(post, files) -> dict[str, set]:
    """The indicators, activities and budget lines a POST carries fields for (a forged form
    may add rows of another entity: those are refused, not ignored)."""
    ids = {t.prefijo: set() for t in registros.TIPOS}
    for key in [*post.keys(), *files.keys()]:
        m = _PREFIX.match(key)
        if m:
            ids[m["kind"]].add(int(m["pk"]))
    return ids


def periodos(request, plan_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id)
    form = PeriodosForm(request.POST or None, initial={"anio": plan.anio_inicio})
    if request.method == "POST":
        access.check_can_edit(request.user, plan)
        if form.is_valid():
            try:
                creados = services.periodos_generate(plan=plan, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for campo, errs in exc.message_dict.items():
                    form.add_error(campo if campo in form.fields else None, errs)
            else:
                messages.success(request, f"Se crearon {len(creados)} periodos." if creados else "Los periodos ya existían: no se creó ninguno.")
                return redirect("seguimiento:periodos", plan_id=plan.pk)
    data = selectors.periodo_list(plan=plan)
    return render(request, "seguimiento/periodos.html", {
        "plan": plan, "data": data, "form": form,
        "puede_configurar": access.can_edit(request.user, plan),
        "puede_reportar": bool(request.user.entidad_id) and services.can_file(request.user, request.user.entidad),
        "es_revisor": services.is_reviewer(request.user, plan),
    })


def _entrega(request, *, periodo, entidad, con_anteriores: bool) -> selectors.Entrega:
    """An entity's entry for a period, the same for everyone who may open it: read once per data
    version for the pages (GET); a POST, which validates and saves against it, reads it afresh."""
    if request.method != "GET":
        return selectors.entrega_get(periodo=periodo, entidad=entidad, con_anteriores=con_anteriores)
    return por_version(("entrega", periodo.pk, entidad.pk, con_anteriores),
                       lambda: selectors.entrega_get(periodo=periodo, entidad=entidad, con_anteriores=con_anteriores))


@require_http_methods(["GET", "POST"])
def reportar(request, plan_id: int, periodo_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id)
    periodo = selectors.periodo_get(plan=plan, periodo_id=periodo_id)
    entidad = _entidad_de_la_entrega(request, plan)
    entrega = _entrega(request, periodo=periodo, entidad=entidad, con_anteriores=True)
    logros = selectors.logros_get(periodo=periodo, entidad=entidad)
    if request.method == "POST":
        ids = _posted_ids(request.POST, request.FILES)
        services.check_owned(entidad=entidad, plan=plan, indicador_ids=ids[registros.VALOR.prefijo],
                             actividad_ids=ids[registros.AVANCE.prefijo], linea_ids=ids[registros.EJECUCION.prefijo])
        form = EntregaForm(entrega, request.POST, request.FILES)
        logros_form = LogrosForm(request.POST, logros=logros)
        enviar = request.POST.get("accion") == "enviar"
        if all([form.is_valid(), logros_form.is_valid()]):
            try:
                with transaction.atomic():  # the entry and the summary of achievements: both or neither
                    resultado = services.entrega_save(periodo=periodo, entidad=entidad, user=request.user, enviar=enviar,
                                                      **form.inputs())
                    logros_cambio = services.logros_save(periodo=periodo, entidad=entidad, user=request.user, enviar=enviar,
                                                         texto=logros_form.cleaned_data["texto"])
            except services.EntregaInvalida as exc:
                form.add_service_errors(logros_form.add_service_errors(exc.errores))
            else:
                if enviar:
                    texto = (f"Se enviaron {resultado.enviados} registro(s) al ministerio para su revisión." if resultado.enviados
                             else "Todo ya estaba enviado: no hubo cambios.")
                else:
                    texto = (f"Borrador guardado ({resultado.guardados} registro(s))." if resultado.guardados
                             else "No había cambios que guardar.")
                if logros_cambio:
                    logros_texto = ("Se envió el resumen de logros del periodo." if logros_cambio == "enviado"
                                    else "Se guardó el resumen de logros del periodo.")
                    texto = f"{texto} {logros_texto}" if resultado.guardados or resultado.enviados else logros_texto
                messages.success(request, texto)
                consulta = {"entidad": entidad.pk} if entidad.pk != request.user.entidad_id else {}
                envio = request.POST.get("envio_local", "")
                if _ENVIO_LOCAL.fullmatch(envio):  # tells the page's script its local copy reached the server
                    consulta["recibido"] = envio
                url = reverse("seguimiento:reportar", args=[plan.pk, periodo.pk])
                return redirect(f"{url}?{urlencode(consulta)}" if consulta else url)
        archivos = bool(request.FILES)
    else:
        form = EntregaForm(entrega)
        logros_form = LogrosForm(logros=logros)
        archivos = False
    return render(request, "seguimiento/reportar.html", {
        "plan": plan, "periodo": periodo, "entidad": entidad, "entrega": entrega, "form": form,
        "abierto": periodo.abierto(), "volver_a_adjuntar": archivos, "logros_form": logros_form,
        "errores": form.resumen_errores() + logros_form.resumen_errores() if request.method == "POST" else [],
    })


def revision(request, plan_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id)
    services.check_reviewer(request.user, plan=plan)
    data = por_version(("revision", plan.pk), lambda: selectors.revision_list(plan=plan))
    data.entidades = services.entidades_que_revisa(request.user, plan=plan, entidades=data.entidades)
    return render(request, "seguimiento/revision.html", {"plan": plan, "data": data})


@require_http_methods(["GET", "POST"])
def revision_entrega(request, plan_id: int, periodo_id: int, entidad_id: int):
    """The review of one entity's entry for a period. After approving or returning a record the
    reviewer is back at it (the redirect carries its anchor, `#valor-12`); an error is shown on
    the record itself (its forms post to that anchor). «Aprobar todo lo enviado» needs its box
    ticked and approves only what the page said it would."""
    plan = plan_get(user=request.user, plan_id=plan_id)
    periodo = selectors.periodo_get(plan=plan, periodo_id=periodo_id)
    entidad = selectors.entidad_get(plan=plan, entidad_id=entidad_id)
    services.check_reviewer(request.user, plan=plan, entidad=entidad)
    reabrir_form = ReabrirForm()
    errores_registro: dict[str, list[str]] = {}
    errores_aprobar_todo: list[str] = []
    sin_confirmar = False
    if request.method == "POST":
        accion = request.POST.get("accion", "")
        try:
            if accion == "aprobar_todo":
                esperados = {t.clave: _entero(request.POST.get(f"esperados_{t.clave}")) for t in registros.REVISADOS}
                if None in esperados.values():
                    esperados = None  # a form without the counts: approve what is there
                if not request.POST.get("confirmar"):
                    sin_confirmar = True
                else:
                    try:
                        n = services.entrega_approve(periodo=periodo, entidad=entidad, user=request.user, esperados=esperados)
                    except ValidationError as exc:
                        errores_aprobar_todo.extend(exc.messages)
                    else:
                        messages.success(request, f"Se aprobaron {n} registro(s)." if n else "No había nada enviado por aprobar.")
                        return redirect(request.path)
            elif accion == "reabrir":
                reabrir_form = ReabrirForm(request.POST)
                if reabrir_form.is_valid():
                    try:
                        services.periodo_reopen(periodo=periodo, user=request.user, entidad=entidad, **reabrir_form.cleaned_data)
                    except ValidationError as exc:
                        for campo, errs in exc.message_dict.items():
                            reabrir_form.add_error(campo if campo in reabrir_form.fields else None, errs)
                    else:
                        messages.success(request, f"Periodo {periodo} reabierto para {entidad.nombre_corto}.")
                        return redirect(request.path)
            elif accion in ("aprobar", "devolver"):
                registro = _registro_de(request.POST.get("registro", ""), periodo=periodo, entidad=entidad)
                ancla = registros.ancla(registro)
                try:
                    if accion == "aprobar":
                        services.registro_approve(registro=registro, user=request.user)
                        messages.success(request, "Aprobado.")
                    else:
                        devolver_form = DevolverForm(request.POST)
                        if not devolver_form.is_valid():
                            raise ValidationError(devolver_form.errors["observacion"][0])
                        services.registro_return(registro=registro, user=request.user,
                                                 observacion=devolver_form.cleaned_data["observacion"])
                        messages.success(request, "Devuelto a la entidad con su observación.")
                except ValidationError as exc:
                    errores_registro[ancla] = exc.messages
                else:
                    return redirect(f"{request.path}#{ancla}")
            else:
                messages.error(request, "Acción desconocida.")
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
    entrega = _entrega(request, periodo=periodo, entidad=entidad, con_anteriores=False)
    por_aprobar = {t.clave: sum(1 for f in filas if f.registro and f.registro.estado == "enviado")
                   for t, filas in ((registros.VALOR, entrega.indicadores), (registros.AVANCE, entrega.actividades))}
    if sin_confirmar:
        errores_aprobar_todo.append(rules.aprobar_todo_sin_confirmar(por_aprobar))
    return render(request, "seguimiento/revision_entrega.html", {
        "plan": plan, "periodo": periodo, "entidad": entidad, "entrega": entrega,
        "reabrir_form": reabrir_form, "errores_registro": errores_registro, "errores_aprobar_todo": errores_aprobar_todo,
        "por_aprobar": por_aprobar, "por_aprobar_texto": rules.por_aprobar(por_aprobar),
        "hay_por_aprobar": any(por_aprobar.values()), "propio": rules.aprueba_lo_propio(entidad, request.user),
    })


def _entero(texto) -> int | None:
    try:
        return int(texto)
    except (TypeError, ValueError):
        return None


def _registro_de(clave: str, *, periodo, entidad):
    """'v12' -> value 12, 'a3' -> activity progress 3 (the kind's `letra`), of this period and
    entity only."""
    tipo = registros.tipo_por_letra(clave[:1])
    if tipo is None or not clave[1:].isdigit():
        raise ValidationError("Registro no válido.")
    registro = tipo.model.objects.filter(pk=int(clave[1:]), periodo=periodo, entidad=entidad).first()
    if registro is None:
        raise ValidationError("El registro no pertenece a esta entrega.")
    return registro


def evidencia(request, tipo: str, pk: int):
    """Serve an evidence file to a user who may read its plan (never a public media URL)."""
    registro = selectors.evidencia_get(user=request.user, tipo=tipo, pk=pk)
    nombre = os.path.basename(registro.evidencia.name).split("_", 1)[-1]
    content_type = mimetypes.guess_type(nombre)[0] or "application/octet-stream"
    inline = content_type in ("application/pdf", "image/png", "image/jpeg")
    response = FileResponse(registro.evidencia.open("rb"), content_type=content_type, as_attachment=not inline, filename=nombre)
    response["Cache-Control"] = "private, no-store"
    return response


@report_view
def seguimiento_report(request, plan_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id)
    anios = reports.anios_con_periodos(plan=plan)
    anio = int(choice_param(request, "anio", [str(a) for a in anios], default=str(anios[-1]) if anios else "", label="Año") or 0) or None
    entidad_id, filtro_entidad = _entidad_del_informe(request, plan)
    data = por_version(("seguimiento", plan.pk, anio, entidad_id), lambda: reports.seguimiento(plan=plan, anio=anio, entidad_id=entidad_id))
    filtro_anio = FilterField("anio", "Año", [(str(a), str(a)) for a in anios], str(anio or ""))

    def partes_pdf():  # every entity of a national plan: one part each, laid out one at a time
        return [(parte, [filtro_anio, dataclasses.replace(filtro_entidad, selected=codigo)])
                for parte, codigo in reports.seguimiento_partes(data)]

    return render_report(
        request, data=data, template="seguimiento/reportes/_seguimiento.html",
        title="Seguimiento del plan: metas y avances", filename=f"seguimiento-{anio or ''}".rstrip("-"),
        orientation="landscape", xlsx=reports.seguimiento_xlsx, filters=[filtro_anio, filtro_entidad],
        partes_pdf=partes_pdf if entidad_id is None and len(data.entidades) > ENTIDADES_EN_UNA_PAGINA else None,
    )


def _entidad_del_informe(request, plan) -> tuple[int | None, FilterField]:
    """The entity the tracking report or the dashboard shows (None: all): a national plan's page
    opens on the user's entity, with a chooser (`planes.reports.entidad_filter_paginado`)."""
    refs = participantes(plan)
    codigo, filtro = entidad_filter_paginado(
        request, refs, pagina=request.GET.get("formato", "") == "",
        con_datos=lambda: por_version(("entidades con indicadores", plan.pk), lambda: reports.entidades_con_indicadores(plan)))
    return next((e.id for e in refs if e.codigo == codigo), None), filtro


@report_view
def tablero(request, plan_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id)
    anios = reports.anios_con_periodos(plan=plan)
    anio = int(choice_param(request, "anio", [str(a) for a in anios], default=str(anios[-1]) if anios else "", label="Año") or 0) or None
    entidad_id, filtro_entidad = _entidad_del_informe(request, plan)
    data = por_version(("tablero", plan.pk, anio, entidad_id), lambda: reports.tablero(plan=plan, anio=anio, entidad_id=entidad_id))
    return render_report(
        request, data=data, template="seguimiento/reportes/_tablero.html",
        title="Tablero de seguimiento", filename=f"tablero-{anio or ''}".rstrip("-"),
        orientation="landscape", xlsx=reports.tablero_xlsx,
        filters=[FilterField("anio", "Año", [(str(a), str(a)) for a in anios], str(anio or "")), filtro_entidad],
    )


@report_view
def evaluacion(request, plan_id: int, periodo_id: int):
    """The period's evaluation report. Everyone who may read the plan reads it; a reader who
    does not read every plan (regional, local staff) reads its own entity's part and the
    plan-wide figures; the others may narrow it to one entity."""
    plan = plan_get(user=request.user, plan_id=plan_id)
    periodo = selectors.periodo_get(plan=plan, periodo_id=periodo_id)
    solo = None if access.reads_all_plans(request.user) else request.user.entidad_id
    entidad_id, filtros = None, []
    if solo is None:
        refs = participantes(plan)
        codigo, filtro = entidad_filter(request, refs)
        entidad_id = next((e.id for e in refs if e.codigo == codigo), None)
        filtros = [filtro]
    data = reports.evaluacion(plan=plan, periodo=periodo, entidad_id=entidad_id, solo_entidad_id=solo)
    return render_report(
        request, data=data, template="seguimiento/reportes/_evaluacion.html",
        title=f"Evaluación del periodo: {periodo.nombre}", filename=f"evaluacion-{slugify(periodo.nombre_corto)}",
        orientation="landscape", xlsx=reports.evaluacion_xlsx, filters=filtros,
    )


def evaluacion_actual(request, plan_id: int):
    """The evaluation of the plan's latest period begun (the first, before any has begun)."""
    plan = plan_get(user=request.user, plan_id=plan_id)
    periodo = selectors.periodo_actual(plan=plan)
    if periodo is None:
        messages.info(request, "Este plan aún no tiene periodos de reporte: no hay nada que evaluar.")
        return redirect("seguimiento:periodos", plan_id=plan.pk)
    return redirect("seguimiento:evaluacion", plan_id=plan.pk, periodo_id=periodo.pk)
