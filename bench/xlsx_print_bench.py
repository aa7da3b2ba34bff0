"""Workbooks that print (issue 14, item 2): every report's Excel file of the seed plan,
printed by LibreOffice, read back.

    .venv/bin/python bench/xlsx_print_bench.py [--demo] [--repeat 3] [--keep]

Sets up its own SQLite database in a temporary directory, loads the seed (`cargar_seed`,
with `--demo` also the demonstration data, so the follow-up reports have rows), downloads
each report's workbook through Django's test client, converts it with LibreOffice headless
(`soffice --convert-to pdf`, Debian's `libreoffice-calc-nogui`) and reads the pages back
(tests/libreoffice.py): pages, characters drawn over others (must be 0), words of cells not
printed (must be 0), pages without «Página N de M» (must be 0).

Then the cost of the print layout (row heights from the text, long texts continued on the
next rows, print setup): the application writing the whole-plan workbook against bare
openpyxl writing the same cells, merges and row heights (bench/reports_bench.py's
`bare_openpyxl`, heights added), as a ratio; best of --repeat.
Exit status 1 when a workbook prints badly.
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from reports_bench import bare_openpyxl, interleaved, setup_django, snapshot_cells  # noqa: E402

#: (label, URL name, query string): every report with a workbook.
REPORTS = [
    ("Plan completo", "reporte_documento", ""),
    ("Análisis causal", "reporte_analisis_causal", ""),
    ("Alternativas", "reporte_alternativas", ""),
    ("Alineamiento", "reporte_alineamiento", ""),
    ("Roles", "reporte_roles", ""),
    ("Indicadores", "reporte_indicadores", ""),
    ("Matriz lógica GN", "reporte_matriz_logica", "nivel=GN"),
    ("Matriz lógica GR", "reporte_matriz_logica", "nivel=GR"),
    ("Presupuesto", "reporte_presupuesto", ""),
    ("Cronograma", "reporte_cronograma", ""),
    ("Seguimiento", "seguimiento:reporte", ""),
    ("Tablero", "seguimiento:tablero", ""),
    ("Evaluación del periodo", "seguimiento:evaluacion_actual", ""),
]


def with_heights(content: bytes, sheets):
    """The bare writer's input plus the application's row heights, so both write the same."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(content))
    return [(s, {r: d.height for r, d in ws.row_dimensions.items() if d.height}) for s, ws in zip(sheets, wb.worksheets)]


def bare_with_heights(sheets_heights) -> bytes:
    import openpyxl

    content = bare_openpyxl([s for s, _ in sheets_heights], style_arrays=True)
    # heights set on the written workbook: reopen-free, on the same objects
    wb = openpyxl.load_workbook(io.BytesIO(content))
    for ws, (_, heights) in zip(wb.worksheets, sheets_heights):
        for r, h in heights.items():
            ws.row_dimensions[r].height = h
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo", action="store_true", help="load the demonstration data too (follow-up rows)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--solo", default="", help="only the reports whose label contains this text")
    parser.add_argument("--keep", action="store_true", help="write the workbooks and PDFs to $TMPDIR/amc-xlsx-print/")
    args = parser.parse_args(argv)
    import os

    os.environ["AMC_EXPORTACIONES_EN_SEGUNDO_PLANO"] = "0"  # the file in the response, as the worker makes it
    setup_django(None)
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from amc.access import Rol
    from planes.models import Entidad, Plan, Usuario
    from tests import libreoffice

    print("Preparando la base de datos (migrate, cargar_seed)…", flush=True)
    call_command("migrate", verbosity=0)
    call_command("cargar_seed", *(["--demo"] if args.demo else []), verbosity=0)
    plan = Plan.objects.get(codigo="mtpe-puno-2015")
    user, _ = Usuario.objects.get_or_create(username="bench-impresion", defaults={"entidad": Entidad.objects.get(codigo="mtpe")})
    user.groups.add(Group.objects.get_or_create(name=Rol.PLANIFICADOR)[0])
    client = Client()
    client.force_login(user)
    out = Path(tempfile.gettempdir()) / "amc-xlsx-print"
    if args.keep:
        out.mkdir(exist_ok=True)

    ok = True
    head = f"{'informe':<24} {'hojas':>5} {'págs':>5} {'solapes':>7} {'faltan':>6} {'sin Nº':>6} {'LibreOffice s':>13}"
    print(head)
    print("-" * len(head))
    documento = None
    for label, name, query in REPORTS:
        if args.solo.lower() not in label.lower():
            continue
        try:
            url = reverse(name, args=[plan.pk])
        except NoReverseMatch:
            print(f"{label:<24} (sin URL)")
            continue
        response = client.get(f"{url}?{query + '&' if query else ''}formato=xlsx", follow=False)
        if response.status_code == 302 and "/evaluacion/" in response["Location"]:  # the current period's evaluation
            response = client.get(f"{response['Location']}?formato=xlsx")
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("application/vnd.openxml"):
            print(f"{label:<24} (sin libro: HTTP {response.status_code})")
            continue
        content = response.content
        if name == "reporte_documento":
            documento = content
        t = time.perf_counter()
        pdf = libreoffice.convert(content)
        t = time.perf_counter() - t
        r = libreoffice.revisar(content, pdf)
        sheets = len(libreoffice.openpyxl.load_workbook(io.BytesIO(content)).sheetnames)
        bad = r.solapes or r.faltan or r.sin_numero
        ok &= not bad
        print(f"{label:<24} {sheets:>5} {r.paginas:>5} {len(r.solapes):>7} {sum(r.faltan.values()):>6} {len(r.sin_numero):>6} {t:>13.1f}")
        if r.faltan:
            print("   faltan:", ", ".join(f"{w}×{n}" for w, n in list(r.faltan.items())[:12]))
        if r.solapes:
            print("   solapes (página, carácter, carácter):", r.solapes[:8])
        if args.keep:
            stem = name.split(":")[-1] + (f"-{query.split('=')[-1]}" if query else "")
            (out / f"{stem}.xlsx").write_bytes(content)
            (out / f"{stem}.pdf").write_bytes(pdf)

    if documento is not None:
        url = reverse("reporte_documento", args=[plan.pk])
        sheets = with_heights(documento, snapshot_cells(documento))
        t_app, t_bare = interleaved(args.repeat, [lambda: client.get(f"{url}?formato=xlsx").content,
                                                 lambda: bare_with_heights(sheets)])
        print()
        print(f"Libro del plan completo (mejor de {args.repeat}): aplicación {t_app:.3f} s, openpyxl solo (mismas celdas, "
              f"uniones y altos de fila) {t_bare:.3f} s, razón {t_app / t_bare:.2f}")
    print("\nTodo se imprime legible." if ok else "\nHay libros que no se imprimen bien.")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
