"""Benchmark: the Gantt chart of a 500-activity, 36-month schedule (issue 6).

    .venv/bin/python bench/cronograma_bench.py                 # SQLite (a throwaway test database)
    DATABASE_URL=postgres://root@127.0.0.1:5432/amc_dev .venv/bin/python bench/cronograma_bench.py
    .venv/bin/python bench/cronograma_bench.py --actividades 50 --repeat 1   # a quick run

Builds, in a test database created and dropped here (the configured database is not touched),
a plan of 2015-2017 (36 months) with MTPE and DRTPE Puno, 500 activities under 10 products,
each with a schedule of 6 to 24 months, its monthly programming (physical target and amount),
a budget line, two milestones and quarterly progress reports. Then it times what a planner
waits for on /planes/<id>/cronograma/ (cut-off 30/06/2016), through Django's test client
(session, access check, queries, report data, template, rendering): the HTML page, the PDF
and the Excel file. Following the reports issue's convention, the PDF and the Excel times are
compared with the bare libraries on the same output: WeasyPrint on the very HTML the PDF is
made from, and plain openpyxl writing the same cells (values, formats, fonts, fills,
alignment, borders, widths, merges, frozen panes) and saving. Times are the best of --repeat.
"""
from __future__ import annotations

import argparse
import datetime
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

ANIOS = (2015, 2017)
CORTE = "2016-06-30"


def preparar(n_actividades: int):
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.utils import timezone

    from amc.access import Rol
    from cronograma.models import Cronograma, Hito, Mes, ProgramacionMensual
    from matrices.models import Actividad, Producto, Resultado
    from planes.models import Entidad, Plan, PlanEntidad, Usuario
    from presupuesto.models import LineaPresupuesto
    from seguimiento.models import AvanceActividad, PeriodoReporte

    call_command("loaddata", "fixtures/referencia.json", verbosity=0)
    mtpe, puno = Entidad.objects.get(codigo="mtpe"), Entidad.objects.get(codigo="drtpe-puno")
    plan = Plan.objects.create(codigo="bench-cronograma", titulo="Plan de prueba de rendimiento del cronograma",
                               servicio="Promoción del Empleo", sector="Trabajo", entidad_responsable=mtpe,
                               anio_inicio=ANIOS[0], anio_fin=ANIOS[1])
    PlanEntidad.objects.create(plan=plan, entidad=mtpe, rol="rector", orden=0)
    PlanEntidad.objects.create(plan=plan, entidad=puno, orden=1)
    final = Resultado.objects.create(plan=plan, tipo="final", orden=1, enunciado="Resultado final")
    inter = Resultado.objects.create(plan=plan, tipo="intermedio", orden=1, enunciado="Resultado intermedio",
                                     resultado_final=final)
    productos = Producto.objects.bulk_create([Producto(plan=plan, resultado=inter, orden=i, enunciado=f"Producto {i} de la cadena")
                                              for i in range(1, 11)])
    Actividad.objects.bulk_create([
        Actividad(plan=plan, entidad=mtpe if i % 2 else puno, orden=i, producto=productos[i % 10],
                  descripcion=f"Realizar acciones de capacitación y asistencia técnica para la implementación del "
                              f"servicio, línea de trabajo {i}")
        for i in range(1, n_actividades + 1)])
    actividades = list(Actividad.objects.filter(plan=plan).order_by("orden"))
    primero = Mes(ANIOS[0], 1)
    cronogramas, meses, hitos, lineas = [], [], [], []
    for k, a in enumerate(actividades):
        largo = 6 + k % 19  # 6 to 24 months
        inicio = primero.mas(k % (36 - largo + 1))
        fin = inicio.mas(largo - 1)
        cronogramas.append(Cronograma(actividad=a, inicio_anio=inicio.anio, inicio_mes=inicio.mes, fin_anio=fin.anio,
                                      fin_mes=fin.mes, meta_fisica=Decimal(largo), unidad_medida="talleres"))
        for m in inicio.hasta(fin):
            meses.append(ProgramacionMensual(actividad=a, anio=m.anio, mes=m.mes, meta_fisica=Decimal(1), monto=Decimal(500)))
        hitos += [Hito(actividad=a, nombre="Inicio", anio=inicio.anio, mes=inicio.mes),
                  Hito(actividad=a, nombre="Informe final", anio=fin.anio, mes=fin.mes)]
        lineas.append(LineaPresupuesto(plan=plan, entidad_id=a.entidad_id, orden=k + 1, actividad=a, descripcion=a.descripcion,
                                       costo_unitario=Decimal(500), cantidad=Decimal(largo)))
    Cronograma.objects.bulk_create(cronogramas, batch_size=1000)
    ProgramacionMensual.objects.bulk_create(meses, batch_size=2000)
    Hito.objects.bulk_create(hitos, batch_size=2000)
    LineaPresupuesto.objects.bulk_create(lineas, batch_size=1000)
    periodos = []
    for anio in range(ANIOS[0], ANIOS[1] + 1):
        for n in range(1, 5):
            inicio, fin = PeriodoReporte.fechas("trimestral", anio, n)
            periodos.append(PeriodoReporte(plan=plan, frecuencia="trimestral", anio=anio, numero=n, inicio=inicio, fin=fin,
                                           entrega_desde=inicio, entrega_hasta=fin + datetime.timedelta(days=15)))
    periodos = PeriodoReporte.objects.bulk_create(periodos)
    enviado = timezone.make_aware(datetime.datetime(ANIOS[0], 4, 5, 10))
    AvanceActividad.objects.bulk_create([
        AvanceActividad(actividad=a, entidad_id=a.entidad_id, periodo=p, situacion="en_proceso",
                        avance_fisico=Decimal(min(5 * (i + 1) + a.orden % 7, 95)), estado="aprobado", enviado_en=enviado)
        for a in actividades for i, p in enumerate(periodos[:6])], batch_size=2000)
    call_command("migrate", verbosity=0)  # role groups
    usuario = Usuario.objects.create_user("bench-planificador", password="x", entidad=mtpe)
    usuario.groups.add(Group.objects.get(name=Rol.PLANIFICADOR))
    return plan, usuario, len(meses)


def best_of(repeat: int, fn):
    best, result = None, None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t
        best = elapsed if best is None or elapsed < best else best
    return best, result


def snapshot_cells(content: bytes):
    """Everything the application's workbook holds, to be written again by bare openpyxl."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(content))
    sheets = []
    for ws in wb.worksheets:
        cells = []
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                cells.append((c.row, c.column, c.value, c.number_format, bool(c.font.bold), bool(c.font.italic),
                              c.font.color.rgb if c.font.color is not None and isinstance(c.font.color.rgb, str) else None,
                              c.fill.fgColor.rgb if c.fill and c.fill.fill_type else None,
                              bool(c.alignment.wrap_text), c.alignment.horizontal, c.alignment.vertical))
        widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
        merges = [str(r) for r in ws.merged_cells.ranges]
        sheets.append((ws.title, cells, widths, merges, ws.freeze_panes))
    return sheets


def bare_openpyxl(sheets) -> bytes:
    """Write the same cells with plain openpyxl (shared style objects), then save."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="A6B3C0")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    fonts, fills, aligns = {}, {}, {}
    wb = Workbook()
    wb.remove(wb.active)
    for title, cells, widths, merges, freeze in sheets:
        ws = wb.create_sheet(title)
        for r, c, value, fmt, bold, italic, color, fill, wrap, horizontal, vertical in cells:
            cell = ws.cell(row=r, column=c)
            if value is not None:
                cell.value = value
            cell.number_format = fmt
            key = (bold, italic, color)
            cell.font = fonts.get(key) or fonts.setdefault(key, Font(name="Calibri", size=10, bold=bold, italic=italic, color=color))
            if fill:
                cell.fill = fills.get(fill) or fills.setdefault(fill, PatternFill("solid", fgColor=fill))
            akey = (wrap, horizontal, vertical)
            cell.alignment = aligns.get(akey) or aligns.setdefault(akey, Alignment(wrap_text=wrap, horizontal=horizontal,
                                                                                    vertical=vertical))
            cell.border = border
        for letter, width in widths.items():
            ws.column_dimensions[letter].width = width
        for rng in merges:
            ws.merge_cells(rng)
        ws.freeze_panes = freeze
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actividades", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    import pdfplumber
    from django.test import Client
    from weasyprint import HTML

    from amc import reports as machinery

    with base_de_prueba():
        inicio = time.perf_counter()
        plan, usuario, n_meses = preparar(args.actividades)
        print(f"AMC · cronograma (diagrama de Gantt) · {connection.vendor} · {args.actividades} actividades x 36 meses, "
              f"{n_meses:,} meses programados (datos preparados en {time.perf_counter() - inicio:.1f} s); "
              f"mejor de {args.repeat}")
        client = Client()
        client.force_login(usuario)
        url = f"/planes/{plan.pk}/cronograma/?hoy={CORTE}"

        def get(formato=""):
            response = client.get(url + (f"&formato={formato}" if formato else ""))
            assert response.status_code == 200, response.content[:500]
            return response

        # The final HTML the PDF is made from: captured as the view hands it to WeasyPrint.
        capturado = {}
        original = machinery.html_to_pdf

        def capturar(html, **kwargs):
            capturado["html"] = html
            return original(html, **kwargs)

        consultas = {}

        def contar(formato):
            def fn():
                with CaptureQueriesContext(connection) as ctx:
                    response = get(formato)
                consultas[formato] = len(ctx.captured_queries)
                return response
            return fn

        get()  # the session's first request
        HTML(string="<p>x</p>").write_pdf()  # WeasyPrint's one-off start (fonts) is not the report's
        t_html, html = best_of(args.repeat, contar(""))
        print(f"  {'HTML (página completa)':<44} {t_html:8.2f} s  {consultas['']} consultas, "
              f"{len(html.content) / 1048576:.1f} MB")

        machinery.html_to_pdf = capturar
        try:
            t_pdf, pdf = best_of(args.repeat, contar("pdf"))
        finally:
            machinery.html_to_pdf = original
        if os.environ.get("BENCH_DUMP_HTML"):
            Path(os.environ["BENCH_DUMP_HTML"]).write_text(capturado["html"])
        def bare():  # the same HTML with the same resources (the chart's stylesheet, read from disk)
            return HTML(string=capturado["html"], base_url=machinery.PDF_BASE_URL,
                        url_fetcher=machinery.pdf_url_fetcher()).write_pdf()

        t_weasy, _ = best_of(args.repeat, bare)
        with pdfplumber.open(io.BytesIO(pdf.content)) as doc:
            paginas = len(doc.pages)
        print(f"  {'PDF (render_report, WeasyPrint, A3)':<44} {t_pdf:8.2f} s  {consultas['pdf']} consultas, {paginas} páginas, "
              f"{len(pdf.content) / 1048576:.1f} MB")
        print(f"  {'  WeasyPrint solo, mismo HTML':<44} {t_weasy:8.2f} s  razón PDF / WeasyPrint solo = {t_pdf / t_weasy:.2f}")

        t_xlsx, xlsx = best_of(args.repeat, contar("xlsx"))
        hojas = snapshot_cells(xlsx.content)
        celdas = sum(len(h[1]) for h in hojas)
        t_openpyxl, _ = best_of(args.repeat, lambda: bare_openpyxl(hojas))
        print(f"  {'Excel (render_report, amc.excel)':<44} {t_xlsx:8.2f} s  {consultas['xlsx']} consultas, {celdas:,} celdas, "
              f"{len(xlsx.content) / 1048576:.1f} MB")
        print(f"  {'  openpyxl solo, mismas celdas y estilos':<44} {t_openpyxl:8.2f} s  razón Excel / openpyxl solo = "
              f"{t_xlsx / t_openpyxl:.2f}")
        print(f"Resumen: HTML {t_html:.2f} s · PDF {t_pdf:.2f} s ({t_pdf / t_weasy:.2f}x WeasyPrint) · "
              f"Excel {t_xlsx:.2f} s ({t_xlsx / t_openpyxl:.2f}x openpyxl)")


if __name__ == "__main__":
    main()
