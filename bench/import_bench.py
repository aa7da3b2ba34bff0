"""Benchmark: import 10,000 indicator values from one Excel sheet (issue 7).

    .venv/bin/python bench/import_bench.py                 # SQLite (a throwaway test database)
    DATABASE_URL=postgres://root@127.0.0.1:5432/amc_dev .venv/bin/python bench/import_bench.py
    .venv/bin/python bench/import_bench.py --filas 20000

Builds a plan with 834 indicators of DRTPE Puno and twelve open monthly periods in a test
database (created and dropped here; the configured database is not touched), writes the
workbook a person would upload, then times the three steps a user waits for: reading the
file, the preview (validate every row, write, roll back) and applying it; then a second
preview of the same file (every row unchanged). Prints time, rows per second and queries.
"""
from __future__ import annotations

import argparse
import datetime
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
from django.test.utils import CaptureQueriesContext  # noqa: E402

COLUMNAS = ["Plan", "Entidad", "Indicador (orden)", "Periodo", "Valor", "Enlace del medio de verificación", "Comentario",
            "Motivo del cambio"]


def preparar(filas: int):
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from amc.access import Rol
    from matrices.models import Indicador
    from planes.models import Entidad, Plan, PlanEntidad, Usuario
    from seguimiento.models import PeriodoReporte

    call_command("loaddata", "fixtures/referencia.json", verbosity=0)
    mtpe, puno = Entidad.objects.get(codigo="mtpe"), Entidad.objects.get(codigo="drtpe-puno")
    plan = Plan.objects.create(codigo="bench-2015", titulo="Plan de prueba de rendimiento", servicio="x", sector="Trabajo",
                               entidad_responsable=mtpe, anio_inicio=2015, anio_fin=2015)
    PlanEntidad.objects.create(plan=plan, entidad=mtpe, rol="rector")
    PlanEntidad.objects.create(plan=plan, entidad=puno)
    hasta = datetime.date.today() + datetime.timedelta(days=30)
    periodos = []
    for mes in range(1, 13):
        inicio, fin = PeriodoReporte.fechas("mensual", 2015, mes)
        periodos.append(PeriodoReporte.objects.create(plan=plan, frecuencia="mensual", anio=2015, numero=mes, inicio=inicio,
                                                      fin=fin, entrega_desde=datetime.date(2015, 1, 1), entrega_hasta=hasta))
    n_ind = -(-filas // 12)
    from matrices.models import Producto, Resultado

    final = Resultado.objects.create(plan=plan, tipo="final", orden=1, enunciado="F")
    inter = Resultado.objects.create(plan=plan, tipo="intermedio", orden=1, enunciado="I", resultado_final=final)
    producto = Producto.objects.create(plan=plan, resultado=inter, orden=1, enunciado="P")
    Indicador.objects.bulk_create([Indicador(plan=plan, entidad=puno, orden=i, producto=producto, nombre=f"Indicador {i}")
                                   for i in range(1, n_ind + 1)])
    call_command("migrate", verbosity=0)  # groups are created by planes' migrations / role sync
    usuario = Usuario.objects.create_user("bench", password="x", entidad=puno)
    usuario.groups.add(Group.objects.get(name=Rol.REGIONAL))
    return plan, puno, usuario, periodos


def libro(plan, periodos, filas: int) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Valores de indicadores"
    ws.append(COLUMNAS)
    for i in range(filas):
        ws.append([plan.codigo, "drtpe-puno", i // 12 + 1, periodos[i % 12].nombre_corto, (i % 97) + 0.5, "", "", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def medir(nombre: str, filas: int, fn):
    with CaptureQueriesContext(connection) as ctx:
        inicio = time.perf_counter()
        resultado = fn()
        segundos = time.perf_counter() - inicio
    print(f"{nombre:<34} {segundos:7.2f} s  {filas / segundos:9,.0f} filas/s  {len(ctx.captured_queries):5d} consultas")
    return resultado


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filas", type=int, default=10_000)
    args = parser.parse_args()
    filas = args.filas

    from importacion.services import Resultado, hoja_por_clave, importar_libro, leer_libro

    with base_de_prueba():
        plan, puno, usuario, periodos = preparar(filas)
        data = libro(plan, periodos, filas)
        clases = [hoja_por_clave("valorindicador")]
        print(f"AMC · importar {filas:,} valores de indicadores · {connection.vendor} · libro de {len(data) / 1024:,.0f} KB")

        def importar(aplicar):
            return importar_libro(data=data, nombre="valores.xlsx", plan=plan, entidad=puno, usuario=usuario, clases=clases,
                                  aplicar=aplicar)

        medir("leer el libro (openpyxl, filas)", filas, lambda: leer_libro(data, "valores.xlsx", clases, Resultado()))
        vista = medir("vista previa (validar, deshacer)", filas, lambda: importar(False))
        assert vista.contar("nueva") == filas and not vista.errores, vista.errores
        hecho = medir("aplicar (validar, guardar)", filas, lambda: importar(True))
        assert hecho.aplicado
        otra = medir("vista previa otra vez (sin cambios)", filas, lambda: importar(False))
        assert otra.contar("sin_cambios") == filas


if __name__ == "__main__":
    main()
