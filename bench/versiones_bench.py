"""Benchmark: the reports of a signed plan «como se suscribió» against the same reports today
(issue 12, item 4: «reports can show the plan as signed or as amended today»).

    .venv/bin/python bench/versiones_bench.py                 # SQLite (a throwaway test database)
    DATABASE_URL=postgres://root@127.0.0.1:5432/amc_dev .venv/bin/python bench/versiones_bench.py
    .venv/bin/python bench/versiones_bench.py --copias 2 --repeat 1   # a quick run

Builds, in a test database created and dropped here (the configured database is not touched),
the seed plan and a plan holding --copias copies of every piece of it (`reports_bench.clone_plan`),
signs it (every structural row gets its history row of the signing), then amends it once with
a reason: a tenth of the activities, causes and cost sub-lines changed, so the history holds
more than one row for them. Then it times each report of the structure (the data function the
page, the PDF and the Excel call) today and as signed, best of --repeat, with its queries. The
signed version reads each table's history as of the signing (django-simple-history `as_of`); the
bare library is today's report, which reads the tables themselves: the ratio signed / today is
what reading the history costs.
"""
from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amc.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from base_de_prueba import base_de_prueba  # noqa: E402


def preparar(copias: int):
    from decimal import Decimal

    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from amc.access import Rol
    from ciclo import services
    from matrices.models import Actividad, Causa
    from planes.models import Plan, Usuario
    from presupuesto.models import SublineaCosto
    from reports_bench import clone_plan

    call_command("cargar_seed", verbosity=0)
    seed = Plan.objects.get(codigo="mtpe-puno-2015")
    plan = clone_plan(seed, copias)
    usuario = Usuario.objects.create_user(username="bench-versiones", password="x", entidad=seed.entidad_responsable)
    usuario.groups.add(Group.objects.get(name=Rol.MINISTERIO))
    plan = services.plan_suscribir(plan=plan, usuario=usuario, fecha=datetime.date(2015, 6, 30),
                                   documento="Convenio de prueba", firmantes="Ministro\nPresidente regional")

    def enmienda():
        for modelo, filtro, campo, cambio in ((Actividad, {"plan": plan}, "descripcion", lambda v: f"{v} (modificada)"),
                                              (Causa, {"problema__plan": plan}, "texto", lambda v: f"{v} (modificada)"),
                                              (SublineaCosto, {"linea__plan": plan}, "cantidad", lambda v: (v or Decimal(1)) + 1)):
            for fila in list(modelo.objects.filter(**filtro).order_by("pk"))[::10]:  # a tenth of them
                setattr(fila, campo, cambio(getattr(fila, campo)))
                fila.save()
    mod = services.plan_modificar(plan=plan, usuario=usuario, motivo="Ajuste de prueba", cambios=enmienda)
    return Plan.objects.get(pk=plan.pk), mod.cambios.count()


def medir(fn, repeat: int) -> tuple[float, int]:
    mejor, consultas = None, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            fn()
            t = time.perf_counter() - t0
        consultas = len(ctx)
        mejor = t if mejor is None else min(mejor, t)
    return mejor, consultas


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copias", type=int, default=10, help="copies of the seed in the signed plan")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from matrices import reports as mr
    from planes.models import Plan
    from presupuesto import reports as pr

    with base_de_prueba():
        plan, cambios = preparar(args.copias)
        informes = {
            "7 análisis causal": lambda p, f: mr.analisis_causal(plan=p, a_la_fecha=f),
            "8-9 alternativas": lambda p, f: mr.alternativas(plan=p, a_la_fecha=f),
            "13 indicadores": lambda p, f: mr.indicadores(plan=p, a_la_fecha=f),
            "13.1 matriz lógica GN": lambda p, f: mr.matriz_logica(plan=p, nivel="GN", a_la_fecha=f),
            "13.2 matriz lógica GR": lambda p, f: mr.matriz_logica(plan=p, nivel="GR", a_la_fecha=f),
            "13.3 presupuesto": lambda p, f: pr.presupuesto(plan=p, a_la_fecha=f),
        }
        print(f"AMC · informes como se suscribió · {connection.vendor} · plan de {args.copias} veces la semilla, "
              f"suscrito y modificado una vez ({cambios} cambios registrados); mejor de {args.repeat}")
        print(f"  {'informe':<24} {'hoy (s)':>8} {'consultas':>9} {'suscrito (s)':>12} {'consultas':>9} {'razón':>6}")
        for nombre, fn in informes.items():
            # A fresh plan object each time: nothing cached on it from the run before.
            t_hoy, q_hoy = medir(lambda: fn(Plan.objects.get(pk=plan.pk), None), args.repeat)
            t_sus, q_sus = medir(lambda: fn(Plan.objects.get(pk=plan.pk), plan.suscrito_en), args.repeat)
            print(f"  {nombre:<24} {t_hoy:8.3f} {q_hoy - 1:9d} {t_sus:12.3f} {q_sus - 1:9d} {t_sus / t_hoy:6.2f}")
        print("  (consultas sin la del plan; razón = suscrito / hoy)")


if __name__ == "__main__":
    main()
