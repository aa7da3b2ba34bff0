"""Benchmark: the national view with many regional plans (issue 12).

    .venv/bin/python bench/nacional_bench.py                       # SQLite (a throwaway test database)
    DATABASE_URL=postgres://root@127.0.0.1:5432/amc_dev .venv/bin/python bench/nacional_bench.py
    .venv/bin/python bench/nacional_bench.py --planes 5 --indicadores 8   # a quick run

Builds, in a test database created and dropped here (the configured database is not touched),
25 regional plans (one regional entity each) x 40 indicators x 4 quarters of 2015: a target and
an approved value per indicator and quarter, the indicators linked to 8 catalogue entries (5
indicators each, added up inside the region), 2 budget lines per plan with their monthly
execution (`tests/nacional/factories.plan_regional`). Then it times what a planner waits for on
/nacional/ for the IV quarter: the data (and its queries), the page, the PDF and the Excel file,
each through the view as a request makes them. As in the other benchmarks, the PDF is compared
with bare WeasyPrint on the very HTML the PDF is made from, and the Excel file with openpyxl
appending the same cell values with no styles.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amc.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from base_de_prueba import base_de_prueba  # noqa: E402
from seguimiento_bench import medir  # noqa: E402  (the tracking report's timer: collects garbage first, counts queries)

URL = "/nacional/"
PARAMS = {"anio": "2015", "periodo": "trimestral-4", "nivel": "GR"}


def preparar(n_planes: int, n_indicadores: int, n_entradas: int):
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from amc.access import Rol
    from planes.models import Entidad, Usuario
    from tests.nacional.factories import catalogo_conteos, plan_regional

    call_command("migrate", verbosity=0)  # role groups
    call_command("loaddata", "fixtures/referencia.json", "fixtures/catalogo_indicadores.json", verbosity=0)
    entradas = catalogo_conteos(n_entradas)
    mtpe = Entidad.objects.get(codigo="mtpe")
    for n in range(1, n_planes + 1):
        plan_regional(n, entradas=entradas, indicadores=n_indicadores, mtpe=mtpe)
    usuario = Usuario.objects.create_user("bench-planificador", password="x", entidad=mtpe)
    usuario.groups.add(Group.objects.get(name=Rol.PLANIFICADOR))
    return usuario


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--planes", type=int, default=25)
    parser.add_argument("--indicadores", type=int, default=40)
    parser.add_argument("--entradas", type=int, default=8, help="entradas del catálogo a las que se vinculan")
    args = parser.parse_args()

    from django.test import RequestFactory
    from weasyprint import HTML

    from amc import reports as machinery
    from nacional import reports, views

    with base_de_prueba():
        inicio = time.perf_counter()
        usuario = preparar(args.planes, args.indicadores, args.entradas)
        print(f"AMC · vista nacional · {connection.vendor} · {args.planes} planes regionales x {args.indicadores} indicadores "
              f"x 4 trimestres = {args.planes * args.indicadores * 4:,} valores, {args.entradas} entradas del catálogo "
              f"(datos preparados en {time.perf_counter() - inicio:.1f} s)")
        rf = RequestFactory()
        HTML(string="<p>calentar</p>").write_pdf()  # fonts and Pango load once, outside the timings

        def get(formato=None):
            request = rf.get(URL, {**PARAMS, **({"formato": formato} if formato else {})})
            request.user = usuario
            response = views.vista_nacional(request)
            assert response.status_code == 200, response.content[:500]
            return response

        def datos():
            return reports.vista_nacional(user=usuario, anio=2015, frecuencia="trimestral", numero=4, nivel="GR",
                                          url_region=views._url_region)

        data, _ = medir("datos (reports.vista_nacional)", datos, queries=True)
        html, t_html = medir("HTML (página completa)", lambda: get(), queries=True)
        print(f"  {'':<44} {len(html.content) / 1024:8.0f} KB de HTML, {len(data.filas)} regiones x {len(data.entradas)} entradas")
        pdf, t_pdf = medir("PDF (render_report, WeasyPrint)", lambda: get("pdf"), queries=True)
        request = rf.get(URL, {**PARAMS, "formato": "pdf"})
        request.user = usuario
        ctx = machinery.build_context(request, data=data, template="nacional/_vista.html", title="Vista nacional",
                                      orientation="landscape", filters=[])
        final_html = machinery.render_pdf_html(request, ctx)
        _, t_weasy = medir("  WeasyPrint solo, mismo HTML", lambda: HTML(
            string=final_html, base_url=machinery.PDF_BASE_URL, url_fetcher=machinery.pdf_url_fetcher()).write_pdf())
        import pdfplumber

        with pdfplumber.open(io.BytesIO(pdf.content)) as doc:
            paginas = len(doc.pages)
        print(f"  {'':<44} {paginas:8d} páginas; razón PDF / WeasyPrint solo = {t_pdf / t_weasy:.2f}")

        xlsx, t_xlsx = medir("Excel (render_report, amc.excel)", lambda: get("xlsx"), queries=True)

        def openpyxl_solo():
            from openpyxl import Workbook

            wb = Workbook()
            ws = wb.active
            for f in data.filas:
                fila = [f.entidad.nombre, f.entidad.nivel.codigo, f.plan.codigo, ""]
                for c in f.columnas:
                    fila += [c.valor, c.meta, c.logro, c.semaforo] if c else [None, None, None, ""]
                ws.append(fila)
            ws = wb.create_sheet()
            for e, t in data.columnas:
                ws.append([e.codigo, e.nombre, e.unidad, e.sentido, e.agregacion, t.etiqueta, t.valor, t.meta,
                           t.desempeno.logro, t.desempeno.semaforo, t.regiones])
            ws = wb.create_sheet()
            for f in data.filas:
                ws.append([f.entidad.nombre, f.plan.codigo, f.esperados, f.enviados, f.completitud, f.puntualidad.etiqueta,
                           f.programado, f.pim, f.devengado, f.avance_financiero])
            buffer = io.BytesIO()
            wb.save(buffer)
            return buffer.getvalue()

        _, t_openpyxl = medir("  openpyxl solo, mismas celdas sin estilos", openpyxl_solo)
        print(f"  {'':<44} {len(xlsx.content) / 1024:8.0f} KB; razón Excel / openpyxl solo = {t_xlsx / t_openpyxl:.2f}")
        print(f"Resumen: datos {len(data.filas)} regiones · HTML {t_html:.2f} s · PDF {t_pdf:.2f} s "
              f"({t_pdf / t_weasy:.2f}x WeasyPrint) · Excel {t_xlsx:.2f} s ({t_xlsx / t_openpyxl:.2f}x openpyxl)")


if __name__ == "__main__":
    main()
