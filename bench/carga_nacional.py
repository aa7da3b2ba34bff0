"""The national-scale database of the load test (issue 13, performance): BENCH DATA, not the seed.

    DATABASE_URL=postgres://root@127.0.0.1:5432/amc_h6 .venv/bin/python bench/carga_nacional.py
    DATABASE_URL=... .venv/bin/python bench/carga_nacional.py --rehacer     # drop the bench plan and build it again

Migrates the configured database (never a production one: it refuses unless the database's name
has `carga`, `bench`, `amc_h` or `test` in it), loads the reference data and builds one plan,
«Plan nacional de prueba de carga (datos de demostración)», with the shape of a national
rollout: 25 regional directorates × 40 indicators × 12 monthly periods (12,000 approved values),
20 activities per entity (500 activities, each with its schedule, monthly programming, two
milestones, a budget line and monthly progress) and 4 budget lines per entity with monthly
execution (the same generator as `bench/seguimiento_bench.py`, which builds it in a throwaway
test database). Every name says it is test data: entities `bench-region-N` («Dirección Regional
de Trabajo N»), users `carga-*`.

Users (password `carga-2015!`, bench only):
    carga-planificador  Planificadores, MTPE            (reports, dashboard, lists, whole plan)
    carga-ministerio    Personal del ministerio, MTPE   (review)
    carga-region-N      Personal de dirección regional, bench-region-N (entry), N = 1..25
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amc.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

CODIGO_PLAN = "carga-nacional"
CLAVE = "carga-2015!"
ENTIDADES, INDICADORES, ACTIVIDADES_POR_ENTIDAD = 25, 40, 20


def cronogramas_crear(plan) -> None:
    """A schedule for every activity of the bench plan: 2015, 3 to 12 months each."""
    from cronograma.models import Cronograma, Hito, ProgramacionMensual
    from matrices.models import Actividad

    crons, meses, hitos = [], [], []
    for k, a in enumerate(Actividad.objects.filter(plan=plan).order_by("entidad_id", "orden")):
        largo = 3 + k % 10
        inicio = 1 + k % (12 - largo + 1)
        fin = inicio + largo - 1
        crons.append(Cronograma(actividad=a, inicio_anio=2015, inicio_mes=inicio, fin_anio=2015, fin_mes=fin,
                                meta_fisica=Decimal(largo), unidad_medida="talleres"))
        meses += [ProgramacionMensual(actividad=a, anio=2015, mes=m, meta_fisica=Decimal(1), monto=Decimal(500))
                  for m in range(inicio, fin + 1)]
        hitos += [Hito(actividad=a, nombre="Inicio", anio=2015, mes=inicio),
                  Hito(actividad=a, nombre="Informe final", anio=2015, mes=fin)]
    Cronograma.objects.bulk_create(crons, batch_size=1000)
    ProgramacionMensual.objects.bulk_create(meses, batch_size=2000)
    Hito.objects.bulk_create(hitos, batch_size=2000)


def usuarios_crear(plan) -> None:
    from django.contrib.auth.models import Group

    from amc.access import Rol
    from planes.models import Entidad, Usuario

    mtpe = Entidad.objects.get(codigo="mtpe")
    grupos = {g.name: g for g in Group.objects.all()}

    def usuario(nombre, entidad, rol):
        u, _ = Usuario.objects.get_or_create(username=nombre, defaults={"entidad": entidad})
        u.entidad = entidad
        u.set_password(CLAVE)
        u.save()
        u.groups.set([grupos[rol]])

    usuario("carga-planificador", mtpe, Rol.PLANIFICADOR)
    usuario("carga-ministerio", mtpe, Rol.MINISTERIO)
    for e in Entidad.objects.filter(codigo__startswith="bench-region-"):
        usuario(f"carga-region-{e.codigo.removeprefix('bench-region-')}", e, Rol.REGIONAL)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rehacer", action="store_true", help="borra el plan de prueba de carga y lo vuelve a crear")
    args = parser.parse_args()
    nombre = str(connection.settings_dict["NAME"])
    if not any(s in nombre for s in ("carga", "bench", "amc_h", "test")):
        sys.exit(f"La base «{nombre}» no parece de pruebas: se usa solo con una base de carga (amc_carga, amc_h6...).")
    from django.core.management import call_command

    from planes.models import Entidad, Plan

    inicio = time.perf_counter()
    call_command("migrate", verbosity=0)
    existe = Plan.objects.filter(codigo=CODIGO_PLAN).first()
    if existe and not args.rehacer:
        print(f"El plan {CODIGO_PLAN} ya existe (id {existe.pk}); use --rehacer para crearlo de nuevo.")
        return
    from bench.seguimiento_bench import preparar

    with transaction.atomic():
        if existe:
            Plan.objects.filter(pk=existe.pk).delete()
            Entidad.objects.filter(codigo__startswith="bench-region-").delete()
        Plan.objects.filter(codigo="bench-seguimiento").delete()
        plan, _ = preparar(ENTIDADES, INDICADORES, n_actividades=ACTIVIDADES_POR_ENTIDAD)
        plan.codigo = CODIGO_PLAN
        plan.titulo = "Plan nacional de prueba de carga (datos de demostración)"
        plan.save()
        cronogramas_crear(plan)
        usuarios_crear(plan)
    from planes.models import Usuario

    Usuario.objects.filter(username="bench-planificador").delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the planner's statistics for the bulk-loaded tables (autovacuum would, later)
            cursor.execute("ANALYZE")
    print(f"Plan {CODIGO_PLAN} (id {plan.pk}) creado en {nombre} en {time.perf_counter() - inicio:.0f} s: "
          f"{ENTIDADES} entidades × {INDICADORES} indicadores × 12 periodos, {ENTIDADES * ACTIVIDADES_POR_ENTIDAD} actividades.")


if __name__ == "__main__":
    main()
