"""Benchmark of the whole plan document (issue 4) as PDF and Excel.

    .venv/bin/python bench/reports_bench.py [--repeat N] [--copies 10] [--keep]

Sets up its own SQLite database in a temporary directory (or uses DATABASE_URL when
--database-url is given), loads the seed with `cargar_seed`, builds a plan ten times the
seed's size by copying every piece of it ten times (problems, causes, alternatives, roles,
results chain, activities, indicators, budget lines, part A; narrative texts ten times
longer), then times, for the seed plan and the large plan:

- the application: a GET of /planes/<id>/documento/?formato=pdf and ?formato=xlsx through
  Django's test client (session, access check, queries, report data, template, rendering);
- bare WeasyPrint rendering the same final HTML the application renders (`HTML(string=...)
  .write_pdf()`);
- bare openpyxl writing the same cells (values, number formats, bold/fill/wrap, merges,
  widths, frozen header) that the application's workbook holds, and saving it.

With --cpu-runs N it only measures the seed's PDF: the median CPU time (time.process_time, less
noisy than wall time on a shared machine) of N renderings by the application (tagged PDF/UA-1),
of the PDF/A-2a variant, of the same HTML without tags and by bare WeasyPrint, against
BEFORE_CPU_S, the same measure taken before issue 13 item 2 (auto table layout, leader dots, no
tags), and against the before-document (documento_semilla_antes.html.gz) rendered now, in the
same rounds: CPU time grows with the machine's load (BEFORE_CPU_S was taken at load 6.7), so
the ratio to the before measured at the same load is the fair one.

It prints absolute times (best of --repeat rounds; in each round the application and the
bare renderers run one after the other) and the ratios application / bare. Aim:
the application adds at most 15% over WeasyPrint and 30% over openpyxl.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: CPU seconds of the seed document's PDF before issue 13 item 2 (`--cpu-runs 3`, 2026-12-01,
#: WeasyPrint 70, 2 shared cores, load average 6.7; 43 pages, untagged): the before-figure.
BEFORE_CPU_S = 5.81
sys.path.insert(0, str(ROOT))


def setup_django(database_url: str | None) -> str | None:
    tmpdir = None
    if not database_url:
        tmpdir = tempfile.mkdtemp(prefix="amc-bench-")
        database_url = f"sqlite:///{tmpdir}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "amc.settings"
    # Production settings: with DEBUG on, Django would log every query and the application's
    # side of the comparison would pay for it.
    import secrets

    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        os.environ[name] = "0"  # the test client speaks plain HTTP
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: no collectstatic here
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"  # the test client's host
    import django

    django.setup()
    return tmpdir


# ----------------------------------------------------------------------------- the 10x plan


def clone_plan(src, copies: int):
    """A new plan holding `copies` copies of every piece of `src` (narratives: one section
    each, with its text `copies` times; visions, missions and responsible units, which are
    one per entity, once)."""
    from django.db import transaction

    from matrices import models as mm
    from planes import models as pm
    from presupuesto import models as bm

    with transaction.atomic():
        dst = pm.Plan.objects.create(
            codigo=f"{src.codigo}-x{copies}", titulo=f"{src.titulo} (×{copies})", servicio=src.servicio, sector=src.sector,
            entidad_responsable=src.entidad_responsable, anio_inicio=src.anio_inicio, anio_fin=src.anio_fin, estado=src.estado,
            finalidad=src.finalidad, alcance=src.alcance, resultados_esperados=src.resultados_esperados,
        )
        for pe in pm.PlanEntidad.objects.filter(plan=src):
            pm.PlanEntidad.objects.create(plan=dst, entidad=pe.entidad, rol=pe.rol, orden=pe.orden)
        n_problemas = mm.Problema.objects.filter(plan=src).count() or 1
        # (model, bumps of unique fields per copy k)
        spec = [
            (mm.Problema, {"numero": lambda v, k: v + n_problemas * k}),
            (mm.Causa, {}), (mm.SubpuntoCausa, {}), (mm.Alternativa, {}), (mm.SubitemAlternativa, {}),
            (mm.AlternativaPriorizada, {}),
            (mm.ObjetivoNacional, {"orden": lambda v, k: v + 100 * k}), (mm.IndicadorNacional, {}), (mm.MetaIndicadorNacional, {}),
            (mm.FilaRoles, {"orden": lambda v, k: v + 1000 * k}), (mm.CeldaRol, {}),
            (mm.Resultado, {"orden": lambda v, k: v + 100 * k}),
            (mm.Producto, {"orden": lambda v, k: v + 100 * k}),
            (mm.Actividad, {"orden": lambda v, k: v + 1000 * k}),
            (mm.Indicador, {"orden": lambda v, k: v + 1000 * k}), (mm.MetaIndicador, {}),
            (mm.IndicadorProducto, {}), (mm.TareaNivel, {}),
            (bm.LineaPresupuesto, {"orden": lambda v, k: v + 1000 * k}), (bm.SublineaCosto, {}),
            (pm.BaseLegal, {"orden": lambda v, k: v + 1000 * k}),
            (pm.ServicioPrestado, {"letra": lambda v, k: v if k == 0 else f"{v[0]}{k}"}),
            (pm.Objetivo, {"numero": lambda v, k: v + 10 * k}), (pm.Estrategia, {}), (pm.AccionEstrategica, {}),
            (pm.HallazgoEvaluacion, {"orden": lambda v, k: v + 100 * k}),
            (pm.MiembroEquipo, {"orden": lambda v, k: v + 100 * k}),
            (pm.FuncionNivel, {"orden": lambda v, k: v + 1000 * k}),
            (pm.NotaFuente, {"orden": lambda v, k: v + 100 * k}),
        ]
        maps: dict[type, dict[int, int]] = {pm.Plan: {src.pk: dst.pk}}
        for model, bumps in spec:
            rows = list(model.objects.filter(**{model.plan_field: src}).order_by("pk"))
            if model is mm.Resultado:  # final results first: intermediates point at them
                rows.sort(key=lambda r: (r.tipo != "final", r.pk))
            fks = [f for f in model._meta.concrete_fields if f.is_relation]
            maps[model] = {}
            for k in range(copies):
                for row in rows:
                    old_pk = row.pk
                    new = model(**{f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if not f.primary_key})
                    for f in fks:
                        target = f.related_model
                        value = getattr(row, f.attname)
                        if value is None:
                            continue
                        if target is pm.Plan:
                            setattr(new, f.attname, dst.pk)
                        elif target in maps and target is not model:
                            setattr(new, f.attname, maps[target][(value, k)] if (value, k) in maps[target] else maps[target].get(value))
                        elif target is model:  # self reference: resolved below
                            setattr(new, f.attname, maps[model].get((value, k)))
                    for name, bump in bumps.items():
                        setattr(new, name, bump(getattr(row, name), k))
                    new.save(force_insert=True)
                    maps[model][(old_pk, k)] = new.pk
        for model in (pm.Declaracion, pm.OrganoResponsable):
            for row in model.objects.filter(plan=src):
                row.pk = None
                row.plan = dst
                row.save(force_insert=True)
        for row in pm.SeccionNarrativa.objects.filter(plan=src):
            row.pk = None
            row.plan = dst
            row.texto = "\n\n".join([row.texto] * copies)
            row.save(force_insert=True)
    return dst


# ----------------------------------------------------------------------------- timing


def interleaved(n: int, fns) -> list[float]:
    """Best time of each function over n rounds, the functions run one after another in
    each round."""
    best = [None] * len(fns)
    for _ in range(n):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            elapsed = time.perf_counter() - t
            best[i] = elapsed if best[i] is None or elapsed < best[i] else best[i]
    return best


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
                              c.fill.fgColor.rgb if c.fill and c.fill.fill_type else None,
                              bool(c.alignment.wrap_text), c.alignment.horizontal, c.alignment.vertical,
                              c.data_type, bool(c.quotePrefix)))
        widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
        merges = [str(r) for r in ws.merged_cells.ranges]
        sheets.append((ws.title, cells, widths, merges, ws.freeze_panes))
    return sheets


def bare_openpyxl(sheets, style_arrays: bool = False) -> bytes:
    """Write the same cells with plain openpyxl, then save.

    style_arrays=False: openpyxl's public styling API with shared style objects (`cell.font =
    font`), what a hand-written exporter does. style_arrays=True: each style combination
    registered once and copied to cells as a style array, the shortcut amc.excel takes: the
    tightest baseline, so the ratio against it is the application's own overhead."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.styles.cell_style import StyleArray

    thin = Side(style="thin", color="A6B3C0")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    fonts, fills, aligns, arrays = {}, {}, {}, {}
    wb = Workbook()
    wb.remove(wb.active)
    for title, cells, widths, merges, freeze in sheets:
        ws = wb.create_sheet(title)
        for r, c, value, fmt, bold, italic, fill, wrap, horizontal, vertical, dtype, quote in cells:
            cell = ws.cell(row=r, column=c)
            if value is not None:
                cell.value = value
                if dtype == "s":
                    cell.data_type = "s"
            key = (bold, italic)
            font = fonts.get(key) or fonts.setdefault(key, Font(name="Calibri", size=10, bold=bold, italic=italic))
            fill_obj = (fills.get(fill) or fills.setdefault(fill, PatternFill("solid", fgColor=fill))) if fill else None
            akey = (wrap, horizontal, vertical)
            align = aligns.get(akey) or aligns.setdefault(akey, Alignment(wrap_text=wrap, horizontal=horizontal, vertical=vertical))
            if style_arrays:
                skey = (key, fill, akey, fmt, quote)
                arr = arrays.get(skey)
                if arr is None:
                    cell.number_format = fmt
                    cell.font = font
                    if fill_obj is not None:
                        cell.fill = fill_obj
                    cell.alignment = align
                    cell.border = border
                    cell.quotePrefix = quote
                    arr = arrays[skey] = StyleArray(cell._style)
                cell._style = StyleArray(arr)
                continue
            cell.number_format = fmt
            cell.font = font
            if fill_obj is not None:
                cell.fill = fill_obj
            cell.alignment = align
            cell.border = border
            if quote:
                cell.quotePrefix = True
        for letter, width in widths.items():
            ws.column_dimensions[letter].width = width
        for rng in merges:
            ws.merge_cells(rng)
        ws.freeze_panes = freeze
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def cpu_median(runs: int, fn) -> float:
    """Median CPU time (time.process_time: this process only, so less noisy than wall time on
    a shared machine) of `fn` over `runs` runs."""
    import statistics

    times = []
    for _ in range(runs):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times)


#: The seed document's final HTML as the code before issue 13 item 2 made it (commit 3471956:
#: `amc.reports.render_pdf_html` of /planes/<id>/documento/, CSS inlined, nothing linked),
#: rendered as that code rendered it (bare WeasyPrint, untagged): the before-figure measured
#: again beside the after-figure, at the same machine load.
ANTES_HTML = Path(__file__).with_name("documento_semilla_antes.html.gz")


def seed_pdf_cpu(plan, user, runs: int, dump: str | None) -> dict:
    """CPU time of the seed document's PDF: the application's (the final HTML through
    `amc.reports.html_to_pdf`, what the view and the export task call), its PDF/A variant, the
    same without tags, bare WeasyPrint on the same HTML (tagged), and the before-document as
    the before-code made it. The variants run one after another in each of `runs` rounds
    (after one warm-up round) so a change of machine load weighs on all alike; medians.
    `dump`: write the application's PDF there."""
    import gc
    import gzip
    import statistics

    from django.test import RequestFactory
    from django.urls import reverse
    from weasyprint import HTML

    from amc import reports as ar
    from documento import reports as dr

    url = reverse("reporte_documento", args=[plan.pk])
    request = RequestFactory().get(url, {"formato": "pdf"})
    request.user = user
    ctx = ar.build_context(request, data=dr.documento(plan=plan), template="documento/_documento.html",
                           title="Plan completo", orientation="portrait", cover=True)
    html = ar.render_pdf_html(request, ctx)
    antes = gzip.decompress(ANTES_HTML.read_bytes()).decode()
    pdf = ar.html_to_pdf(html)
    if dump:
        Path(dump).write_bytes(pdf)

    def bare(source, **options):
        return HTML(string=source, base_url=ar.PDF_BASE_URL, url_fetcher=ar.pdf_url_fetcher()).write_pdf(**options)

    def untagged():
        with ar.sin_recolector(), ar.zlib_pdf():
            return ar.weasyprint_html(html).write_pdf()

    # The floor: the plan's narrative (introduction and part A: plain paragraphs and lists, no
    # table), laid out alone by the application. No page of the document can cost less than a page
    # of plain prose, so its CPU time per page times the document's pages bounds the after-figure.
    inicio = html.index('<div class="documento">') + len('<div class="documento">')
    desde, hasta = (html.rindex("<section", 0, html.index(f'id="{ancla}"')) for ancla in ("sec-intro", "sec-b"))
    prosa = html[:inicio] + html[desde:hasta] + "</div></body></html>"
    paginas_prosa = len(ar.weasyprint_html(prosa).render().pages)

    variants = {
        "antes": lambda: bare(antes),
        "prosa": lambda: ar.html_to_pdf(prosa),
        "app": lambda: ar.html_to_pdf(html),
        "pdfa": lambda: ar.html_to_pdf(html, formato="pdfa"),
        "untagged": untagged,
        "bare": lambda: bare(html, pdf_variant=ar.PDF_VARIANTS["pdf"]),
    }
    times = {k: [] for k in variants}
    sizes = {}
    for round_ in range(runs + 1):
        for name, fn in variants.items():
            gc.collect()  # each starts from the same heap: no garbage of the one before
            t = time.process_time()
            sizes[name] = len(fn())
            if round_:
                times[name].append(time.process_time() - t)
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = len(doc.pages)
    out = {f"cpu_{k}": statistics.median(v) for k, v in times.items()}
    out.update(bytes=sizes["app"], bytes_antes=sizes["antes"], pages=pages, pages_prosa=paginas_prosa)
    return out


def measure(plan, user, repeat: int) -> dict:
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from weasyprint import HTML

    from amc import reports as ar
    from documento import reports as dr

    client = Client()
    client.force_login(user)
    url = reverse("reporte_documento", args=[plan.pk])

    def app(fmt):
        response = client.get(f"{url}?formato={fmt}")
        assert response.status_code == 200, response.status_code
        return response.content

    # The final HTML the application hands to WeasyPrint, built the same way as the view.
    request = RequestFactory().get(url, {"formato": "pdf"})
    request.user = user
    ctx = ar.build_context(request, data=dr.documento(plan=plan), template="documento/_documento.html",
                           title="Plan completo", orientation="portrait", cover=True)
    html = ar.render_pdf_html(request, ctx)

    out = {}
    with CaptureQueriesContext(connection) as queries:
        app("xlsx")
    out["queries"] = len(queries)
    # App and bare runs alternate within each repetition, so a change of machine load during
    # the benchmark weighs on both sides alike; the best of each is kept.
    xlsx = app("xlsx")
    sheets = snapshot_cells(xlsx)
    t_app_xlsx, t_bare_xlsx, t_bare_xlsx_fast = interleaved(repeat, [
        lambda: app("xlsx"), lambda: bare_openpyxl(sheets), lambda: bare_openpyxl(sheets, style_arrays=True)])
    pdf = app("pdf")
    # Bare WeasyPrint writes the same variant (tagged PDF/UA-1) the application writes.
    t_app_pdf, t_bare_pdf = interleaved(repeat, [lambda: app("pdf"), lambda: HTML(
        string=html, base_url=ar.PDF_BASE_URL, url_fetcher=ar.pdf_url_fetcher()).write_pdf(pdf_variant=ar.PDF_VARIANTS["pdf"])])
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = len(doc.pages)
    out.update(
        app_pdf=t_app_pdf, bare_pdf=t_bare_pdf, app_xlsx=t_app_xlsx, bare_xlsx=t_bare_xlsx, bare_xlsx_fast=t_bare_xlsx_fast,
        pages=pages,
        cells=sum(len(s[1]) for s in sheets), sheets=len(sheets), pdf_bytes=len(pdf), xlsx_bytes=len(xlsx),
    )
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs per measurement; the best is kept (default 2)")
    parser.add_argument("--copies", type=int, default=10, help="size of the large plan, in copies of the seed (default 10)")
    parser.add_argument("--database-url", default=None, help="use this database instead of a temporary SQLite file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--cpu-runs", type=int, default=0,
                        help="only the seed's PDF: median CPU time of N renderings (issue 13 item 2: before/after)")
    parser.add_argument("--dump", default=None, help="with --cpu-runs: write the seed's PDF to this file")
    args = parser.parse_args(argv)

    tmpdir = setup_django(args.database_url)
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from amc.access import Rol
    from planes.models import Entidad, Plan, Usuario

    print("Preparando la base de datos (migrate, cargar_seed)…", flush=True)
    call_command("migrate", verbosity=0)
    call_command("cargar_seed", verbosity=0)
    seed = Plan.objects.get(codigo="mtpe-puno-2015")
    user, _ = Usuario.objects.get_or_create(username="bench-planificador", defaults={"entidad": Entidad.objects.get(codigo="mtpe")})
    user.groups.add(Group.objects.get_or_create(name=Rol.PLANIFICADOR)[0])

    if args.cpu_runs:
        m = seed_pdf_cpu(seed, user, args.cpu_runs, args.dump)
        load = os.getloadavg()
        ratio = m["cpu_app"] / BEFORE_CPU_S
        print(f"PDF del documento de la semilla ({m['pages']} págs., {m['bytes'] / 1024:.0f} KB): mediana de {args.cpu_runs} "
              f"corridas alternadas, tiempo de CPU (s); carga media {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
        print(f"  aplicación (html_to_pdf, PDF/UA-1) {m['cpu_app']:.2f} · PDF/A-2a {m['cpu_pdfa']:.2f} · "
              f"sin etiquetas {m['cpu_untagged']:.2f} · WeasyPrint solo, mismo HTML, con etiquetas {m['cpu_bare']:.2f}")
        print(f"  antes, medido ahora (documento de antes, WeasyPrint sin etiquetas, {m['bytes_antes'] / 1024:.0f} KB) "
              f"{m['cpu_antes']:.2f}")
        print(f"  después / antes: {ratio:.2f} contra BEFORE_CPU_S ({BEFORE_CPU_S:.2f} s, medido con carga 6.7) · "
              f"{m['cpu_app'] / m['cpu_antes']:.2f} contra el antes medido ahora (misma carga) · "
              f"sin etiquetas {m['cpu_untagged'] / m['cpu_antes']:.2f}")
        por_pagina, por_pagina_prosa = m["cpu_app"] / m["pages"], m["cpu_prosa"] / m["pages_prosa"]
        print(f"  piso: la prosa del plan sola (introducción y parte A, {m['pages_prosa']} págs., sin tablas) "
              f"{1000 * por_pagina_prosa:.0f} ms/pág. contra {1000 * por_pagina:.0f} ms/pág. del documento; "
              f"{m['pages']} págs. de prosa tomarían {por_pagina_prosa * m['pages']:.2f} s = "
              f"{por_pagina_prosa * m['pages'] / m['cpu_antes']:.2f} del antes medido ahora")
        print("  Objetivo (issue 13, item 2): ≤ 0.50 · " + ("cumplido" if ratio <= 0.5 else "NO cumplido") +
              " contra BEFORE_CPU_S, " + ("cumplido" if m["cpu_app"] <= 0.5 * m["cpu_antes"] else "NO cumplido") +
              " contra el antes medido ahora.")
        return 0

    large = Plan.objects.filter(codigo=f"{seed.codigo}-x{args.copies}").first() or clone_plan(seed, args.copies)
    rows = []
    for label, plan in (("semilla", seed), (f"×{args.copies}", large)):
        print(f"Midiendo el plan {label}…", flush=True)
        rows.append((label, measure(plan, user, args.repeat)))

    print()
    print(f"Documento completo del plan (mejor de {args.repeat} corridas; segundos)")
    head = (f"{'plan':>8} {'págs':>5} {'celdas':>7} {'consultas':>9} | {'PDF app':>8} {'WeasyPrint':>10} {'razón':>6} | "
            f"{'Excel app':>9} {'openpyxl':>8} {'razón':>6} {'openpyxl*':>9} {'razón*':>6}")
    print(head)
    print("-" * len(head))
    ok = True
    for label, m in rows:
        r_pdf = m["app_pdf"] / m["bare_pdf"]
        r_xlsx = m["app_xlsx"] / m["bare_xlsx"]
        r_fast = m["app_xlsx"] / m["bare_xlsx_fast"]
        ok &= r_pdf <= 1.15 and r_xlsx <= 1.30
        print(f"{label:>8} {m['pages']:>5} {m['cells']:>7} {m['queries']:>9} | {m['app_pdf']:>8.2f} {m['bare_pdf']:>10.2f} {r_pdf:>6.2f}"
              f" | {m['app_xlsx']:>9.2f} {m['bare_xlsx']:>8.2f} {r_xlsx:>6.2f} {m['bare_xlsx_fast']:>9.2f} {r_fast:>6.2f}")
    print()
    print("openpyxl: API pública de estilos (cell.font = …); openpyxl*: cada estilo registrado una vez y copiado a las")
    print("celdas, el atajo que usa amc.excel (línea de base más estricta).")
    print("Objetivo: razón PDF ≤ 1.15 (WeasyPrint), razón Excel ≤ 1.30 (openpyxl): " + ("cumplido." if ok else "NO cumplido."))
    if tmpdir and not args.keep:
        import shutil

        shutil.rmtree(tmpdir, ignore_errors=True)
    elif tmpdir:
        print(f"Base de datos en {tmpdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
