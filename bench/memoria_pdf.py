"""Peak memory of one export (issue 13): the national tracking report's PDF made as the task
worker makes it (`amc.exportaciones.procesar`), in a fresh process, on the load database.

    DATABASE_URL=postgres://root@127.0.0.1:5432/amc_h6 .venv/bin/python bench/memoria_pdf.py
    DATABASE_URL=... .venv/bin/python bench/memoria_pdf.py --entero      # laid out whole, as before (takes GBs)
    DATABASE_URL=... .venv/bin/python bench/memoria_pdf.py --ruta documento/

Prints the time, the pages, the file's size and the process's peak resident memory (VmHWM from
/proc/self/status), with the baseline of the same process before the export, and the ratio to
WeasyPrint alone is not repeated here (bench/seguimiento_bench.py prints it).
"""
from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amc.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("MEDIA_ROOT", str(Path(__file__).resolve().parent / ".media"))

import django  # noqa: E402

django.setup()


def vmhwm_mb() -> float:
    for linea in Path("/proc/self/status").read_text().splitlines():
        if linea.startswith("VmHWM:"):
            return int(linea.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ruta", default="seguimiento/", help="el informe bajo /planes/<id>/ (seguimiento/, documento/, cronograma/)")
    parser.add_argument("--entero", action="store_true", help="sin partes: el PDF maquetado de una vez (como antes)")
    args = parser.parse_args()
    from pypdf import PdfReader

    from amc import exportaciones
    from amc.models import Exportacion
    from planes import reports as planes_reports
    from planes.models import Plan, Usuario

    if args.entero:
        planes_reports.ENTIDADES_EN_UNA_PAGINA = 10_000
        import seguimiento.views as sv

        sv.ENTIDADES_EN_UNA_PAGINA = 10_000
    plan = Plan.objects.get(codigo="carga-nacional")
    usuario = Usuario.objects.get(username="carga-planificador")
    base = vmhwm_mb()
    exp = Exportacion.objects.create(clave=f"bench-{time.time_ns()}", usuario=usuario, titulo="bench memoria",
                                     ruta=f"/planes/{plan.pk}/{args.ruta}", consulta="", formato="pdf")
    inicio = time.perf_counter()
    estado = exportaciones.procesar(exp.pk)
    segundos = time.perf_counter() - inicio
    exp.refresh_from_db()
    contenido = exp.archivo.read() if exp.archivo else b""
    paginas = len(PdfReader(io.BytesIO(contenido)).pages) if contenido else 0
    print(f"{args.ruta} {'entero' if args.entero else 'por partes'}: {estado} en {segundos:.0f} s, {paginas} páginas, "
          f"{len(contenido) / 1048576:.1f} MB; memoria máxima del proceso {vmhwm_mb():.0f} MB (antes de exportar {base:.0f} MB); "
          f"carga media {os.getloadavg()[0]:.1f}")
    if exp.archivo:
        exp.archivo.delete(save=False)
    exp.delete()


if __name__ == "__main__":
    main()
