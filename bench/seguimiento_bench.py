"""Benchmark: the tracking report of a large plan (issue 5).

    .venv/bin/python bench/seguimiento_bench.py                 # SQLite (a throwaway test database)
    DATABASE_URL=postgres://root@127.0.0.1:5432/amc_dev .venv/bin/python bench/seguimiento_bench.py
    .venv/bin/python bench/seguimiento_bench.py --entidades 5 --indicadores 10   # a quick run

Builds, in a test database created and dropped here (the configured database is not touched),
a plan with 25 regional entities x 40 indicators x 12 monthly periods: monthly targets, an
approved value for every indicator and month, 4 activities per entity with their monthly
progress and 4 budget lines per entity with their monthly execution. Then it times what a
planner waits for on /planes/<id>/seguimiento/: the report's data (and its queries), the HTML
page, the PDF and the Excel file, each through amc.reports.render_report as the view calls it.
Following the reports issue's convention, the PDF and Excel times are compared with the bare
libraries on the same output: WeasyPrint on the very HTML the PDF is made from, and openpyxl
appending the same cell values with no styles.
"""
from __future__ import annotations

import argparse
import datetime
import gc
import io
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amc.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from base_de_prueba import base_de_prueba  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ANIO = 2015


def preparar(n_entidades: int, n_indicadores: int, n_actividades: int = 4, n_lineas: int = 4):
    from django.core.management import call_command
    from django.utils import timezone

    from matrices.models import Actividad, Indicador, MetaIndicador, Producto, Resultado
    from planes.models import Entidad, NivelGobierno, Plan, PlanEntidad, Usuario
    from presupuesto.models import LineaPresupuesto
    from seguimiento.models import AvanceActividad, EjecucionPresupuestal, MetaPeriodo, PeriodoReporte, ValorIndicador

    call_command("loaddata", "fixtures/referencia.json", verbosity=0)
    mtpe = Entidad.objects.get(codigo="mtpe")
    gr = NivelGobierno.objects.get(codigo="GR")
    regiones = Entidad.objects.bulk_create([
        Entidad(codigo=f"bench-region-{i}", nombre=f"Dirección Regional de Trabajo {i}", sigla=f"DRTPE {i}", nivel=gr,
                tipo=Entidad.Tipo.DIRECCION_REGIONAL) for i in range(1, n_entidades + 1)])
    regiones = list(Entidad.objects.filter(codigo__startswith="bench-region-").order_by("pk"))
    plan = Plan.objects.create(codigo="bench-seguimiento", titulo="Plan de prueba de rendimiento del seguimiento",
                               servicio="Promoción del Empleo", sector="Trabajo", entidad_responsable=mtpe,
                               anio_inicio=ANIO, anio_fin=ANIO)
    PlanEntidad.objects.bulk_create([PlanEntidad(plan=plan, entidad=mtpe, rol="rector", orden=0)] +
                                    [PlanEntidad(plan=plan, entidad=e, orden=i) for i, e in enumerate(regiones, 1)])
    final = Resultado.objects.create(plan=plan, tipo="final", orden=1, enunciado="Resultado final")
    inter = Resultado.objects.create(plan=plan, tipo="intermedio", orden=1, enunciado="Resultado intermedio", resultado_final=final)
    producto = Producto.objects.create(plan=plan, resultado=inter, orden=1, enunciado="Producto")
    reglas = ["suma", "ultimo", "no_acumulativo"]
    Indicador.objects.bulk_create([
        Indicador(plan=plan, entidad=e, orden=i, producto=producto, agregacion=reglas[i % 3], linea_base_valor=Decimal(10),
                  nombre=f"Nº de servidores capacitados en promoción del empleo, línea {i}", unidad_medida="personas")
        for e in regiones for i in range(1, n_indicadores + 1)])
    indicadores = list(Indicador.objects.filter(plan=plan))
    MetaIndicador.objects.bulk_create([MetaIndicador(indicador=ind, anio=ANIO, valor=Decimal(120)) for ind in indicadores])
    periodos = []
    for mes in range(1, 13):
        inicio, fin = PeriodoReporte.fechas("mensual", ANIO, mes)
        periodos.append(PeriodoReporte(plan=plan, frecuencia="mensual", anio=ANIO, numero=mes, inicio=inicio, fin=fin,
                                       entrega_desde=inicio, entrega_hasta=fin + datetime.timedelta(days=15)))
    PeriodoReporte.objects.bulk_create(periodos)
    periodos = list(PeriodoReporte.objects.filter(plan=plan).order_by("inicio"))
    enviado = timezone.make_aware(datetime.datetime(ANIO, 1, 5, 10))
    MetaPeriodo.objects.bulk_create([MetaPeriodo(indicador=ind, periodo=p, valor=Decimal(10)) for ind in indicadores for p in periodos],
                                    batch_size=2000)
    ValorIndicador.objects.bulk_create([
        ValorIndicador(indicador=ind, entidad_id=ind.entidad_id, periodo=p, valor=Decimal(7 + (ind.pk + p.numero) % 7),
                       evidencia_url="https://example.org/acta.pdf", estado="aprobado", enviado_en=enviado)
        for ind in indicadores for p in periodos], batch_size=2000)
    Actividad.objects.bulk_create([Actividad(plan=plan, entidad=e, orden=i, producto=producto, descripcion=f"Taller de capacitación {i}")
                                   for e in regiones for i in range(1, n_actividades + 1)])
    actividades = list(Actividad.objects.filter(plan=plan))
    AvanceActividad.objects.bulk_create([
        AvanceActividad(actividad=a, entidad_id=a.entidad_id, periodo=p, situacion="en_proceso", avance_fisico=Decimal(p.numero * 8),
                        estado="aprobado", enviado_en=enviado) for a in actividades for p in periodos], batch_size=2000)
    LineaPresupuesto.objects.bulk_create([
        LineaPresupuesto(plan=plan, entidad=e, orden=(j - 1) * n_lineas + i, descripcion=f"Taller de capacitación {i}",
                         costo_unitario=Decimal(2500), cantidad=Decimal(4))
        for j, e in enumerate(regiones, 1) for i in range(1, n_lineas + 1)])
    lineas = list(LineaPresupuesto.objects.filter(plan=plan))
    EjecucionPresupuestal.objects.bulk_create([
        EjecucionPresupuestal(linea=linea, anio=ANIO, mes=m, pim=Decimal(1000), certificado=Decimal(800), devengado=Decimal(600))
        for linea in lineas for m in range(1, 13)], batch_size=2000)
    call_command("migrate", verbosity=0)  # role groups
    from django.contrib.auth.models import Group

    from amc.access import Rol

    usuario = Usuario.objects.create_user("bench-planificador", password="x", entidad=mtpe)
    usuario.groups.add(Group.objects.get(name=Rol.PLANIFICADOR))
    return plan, usuario


def medir(nombre: str, fn, *, queries=False):
    # A 485-page PDF leaves a large heap behind: collect it first, or whatever runs second
    # pays for the first one's garbage and the ratios say more about the order than the code.
    gc.collect()
    with CaptureQueriesContext(connection) as ctx:
        inicio = time.perf_counter()
        resultado = fn()
        segundos = time.perf_counter() - inicio
    extra = f"  {len(ctx.captured_queries):3d} consultas" if queries else ""
    print(f"  {nombre:<44} {segundos:8.2f} s{extra}")
    return resultado, segundos


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entidades", type=int, default=25)
    parser.add_argument("--indicadores", type=int, default=40)
    parser.add_argument("--sin-pdf", action="store_true", help="omite el PDF (WeasyPrint tarda minutos en 13,000 filas)")
    args = parser.parse_args()

    from django.test import RequestFactory

    from amc import reports as machinery
    from seguimiento import reports, views

    with base_de_prueba():
        inicio = time.perf_counter()
        plan, usuario = preparar(args.entidades, args.indicadores)
        print(f"AMC · reporte de seguimiento · {connection.vendor} · {args.entidades} entidades x {args.indicadores} indicadores "
              f"x 12 periodos mensuales = {args.entidades * args.indicadores * 12:,} valores "
              f"(datos preparados en {time.perf_counter() - inicio:.1f} s)")
        rf = RequestFactory()
        from weasyprint import HTML

        HTML(string="<p>calentar</p>").write_pdf()  # fonts and Pango load once, outside the timings

        def get(formato=None):
            request = rf.get(f"/planes/{plan.pk}/seguimiento/", {"formato": formato} if formato else {})
            request.user = usuario
            response = views.seguimiento_report(request, plan.pk)
            assert response.status_code == 200, response.content[:500]
            return response

        data, _ = medir("datos del reporte (reports.seguimiento)", lambda: reports.seguimiento(plan=plan, anio=ANIO), queries=True)
        html, t_html = medir("HTML (página completa)", lambda: get(), queries=True)
        print(f"  {'':<44} {len(html.content) / 1048576:8.1f} MB de HTML")
        del html
        t_pdf = t_weasy = None
        if not args.sin_pdf:
            pdf, t_pdf = medir("PDF (render_report, WeasyPrint)", lambda: get("pdf"), queries=True)

            # Bare WeasyPrint on the same final HTML the PDF is made from.
            request = rf.get(f"/planes/{plan.pk}/seguimiento/", {"formato": "pdf"})
            request.user = usuario
            ctx = machinery.build_context(request, data=data, template="seguimiento/reportes/_seguimiento.html",
                                          title="Seguimiento del plan: metas y avances", orientation="landscape",
                                          filters=[])
            final_html = machinery.render_pdf_html(request, ctx)
            if os.environ.get("BENCH_DUMP_HTML"):
                Path(os.environ["BENCH_DUMP_HTML"]).write_text(final_html)
            # The same resources too: the report's stylesheet, read from disk.
            _, t_weasy = medir("  WeasyPrint solo, mismo HTML", lambda: HTML(
                string=final_html, base_url=machinery.PDF_BASE_URL, url_fetcher=machinery.pdf_url_fetcher()).write_pdf())
            import pdfplumber

            with pdfplumber.open(io.BytesIO(pdf.content)) as doc:
                paginas = len(doc.pages)
            print(f"  {'':<44} {paginas:8d} páginas, {len(pdf.content) / 1048576:.1f} MB; razón PDF / WeasyPrint solo = {t_pdf / t_weasy:.2f}")
            del pdf, final_html, ctx

        xlsx, t_xlsx = medir("Excel (render_report, amc.excel)", lambda: get("xlsx"), queries=True)

        def openpyxl_solo():
            from openpyxl import Workbook

            wb = Workbook(write_only=False)
            ws = wb.active
            for f in data.indicadores:
                ws.append([f.indicador.entidad.nombre_corto, f.indicador.orden, f.indicador.nombre, f.regla,
                           f.indicador.linea_base_valor, f.meta_anual, f.total, f.logro, f.semaforo_label])
            ws = wb.create_sheet()
            for f in data.indicadores:
                for c in f.celdas:
                    ws.append([f.indicador.entidad.nombre_corto, f.indicador.orden, f.indicador.nombre, c.periodo.nombre, c.meta,
                               c.valor, c.estado_label, c.acumulado, c.meta_acumulada, c.logro, c.logro_acumulado, c.semaforo_label])
            ws = wb.create_sheet()
            for f in data.actividades:
                ws.append([f.actividad.entidad.nombre_corto, f.actividad.orden, str(f.actividad),
                           *[f"{a.get_situacion_display()} {a.avance_fisico}%" if a else "" for a in f.avances], f.avance_fisico])
            ws = wb.create_sheet()
            for b in data.entidades:
                for f in b.presupuesto:
                    ws.append([b.entidad.nombre_corto, f.linea.orden, f.linea.descripcion, f.programado, f.pim, f.certificado,
                               f.devengado, f.avance_financiero, f.avance_fisico])
            ws = wb.create_sheet()
            for p, celdas in data.cumplimiento:
                ws.append([p.nombre, p.entrega_hasta, *[c.etiqueta for c in celdas]])
            buffer = io.BytesIO()
            wb.save(buffer)
            return buffer.getvalue()

        _, t_openpyxl = medir("  openpyxl solo, mismas celdas sin estilos", openpyxl_solo)
        print(f"  {'':<44} {len(xlsx.content) / 1048576:8.1f} MB; razón Excel / openpyxl solo = {t_xlsx / t_openpyxl:.2f}")
        pdf_txt = f"PDF {t_pdf:.2f} s ({t_pdf / t_weasy:.2f}x WeasyPrint)" if t_pdf else "PDF omitido"
        print(f"Resumen: HTML {t_html:.2f} s · {pdf_txt} · Excel {t_xlsx:.2f} s ({t_xlsx / t_openpyxl:.2f}x openpyxl)")


if __name__ == "__main__":
    main()
