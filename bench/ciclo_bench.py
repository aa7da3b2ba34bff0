"""Benchmark: «Nuevo plan a partir de este» on a plan ten times the seed's size (issue 12, item 5).

    .venv/bin/python bench/ciclo_bench.py                 # SQLite (a throwaway test database)
    DATABASE_URL=postgres://root@127.0.0.1:5432/amc_dev .venv/bin/python bench/ciclo_bench.py
    .venv/bin/python bench/ciclo_bench.py --veces 2 --repeat 1   # a quick run

Builds, in a test database created and dropped here (the configured database is not touched),
the seed plan (cargar_seed) and a plan made of --veces copies of the seed's diagnosis, results
chain, activities and indicators (problems renumbered), with approved follow-up reports: a
quarter of the activities completed, every indicator with an approved value. Then it times
`ciclo.siguiente.siguiente_crear` with every option (what the page's «Crear» runs: the reads, the
new plan, the copies in batches with their history), counts its queries and the rows it writes,
and compares it with the bare library doing the same writes: Django's `bulk_create` of the same
rows, without reads, checks or history. Times are the best of --repeat (each run on a fresh copy
of the source plan's link: the created plan is deleted between runs).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amc.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from base_de_prueba import base_de_prueba  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def _bulk(filas, modelo, cambios):
    """Copies of `filas` with `cambios(old)` applied, by Django's bulk_create alone; {old pk: new pk}."""
    nuevos = []
    for v in filas:
        valores = {f.attname: getattr(v, f.attname) for f in modelo._meta.concrete_fields if not f.primary_key}
        valores.update(cambios(v))
        nuevos.append(modelo(**valores))
    creados = modelo.objects.bulk_create(nuevos, batch_size=500)
    return {v.pk: n.pk for v, n in zip(filas, creados)}


def preparar(veces: int):
    from decimal import Decimal

    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.utils import timezone

    from amc.access import Rol
    from matrices.models import (
        Actividad, Alternativa, Causa, Indicador, Problema, Producto, Resultado, SubitemAlternativa, SubpuntoCausa,
    )
    from planes.models import Plan, PlanEntidad, Usuario
    from seguimiento.models import AvanceActividad, EstadoRevision, PeriodoReporte, ValorIndicador

    call_command("cargar_seed", verbosity=0)
    seed = Plan.objects.get(codigo="mtpe-puno-2015")
    plan = Plan.objects.create(codigo="bench-ciclo-2015", titulo="Plan de prueba de rendimiento (10 veces la semilla)",
                               servicio=seed.servicio, sector=seed.sector, entidad_responsable=seed.entidad_responsable,
                               anio_inicio=2015, anio_fin=2015)
    PlanEntidad.objects.bulk_create([PlanEntidad(plan=plan, entidad_id=p.entidad_id, rol=p.rol, orden=p.orden)
                                     for p in seed.participaciones.all()])

    copiar = _bulk
    s_prob = list(Problema.objects.filter(plan=seed))
    s_causas = list(Causa.objects.filter(problema__plan=seed))
    s_sub = list(SubpuntoCausa.objects.filter(causa__problema__plan=seed))
    s_alt = list(Alternativa.objects.filter(problema__plan=seed))
    s_items = list(SubitemAlternativa.objects.filter(alternativa__problema__plan=seed))
    s_res = list(Resultado.objects.filter(plan=seed).order_by("-tipo"))
    s_prod = list(Producto.objects.filter(plan=seed))
    s_act = list(Actividad.objects.filter(plan=seed))
    s_ind = list(Indicador.objects.filter(plan=seed))
    n_prob = len(s_prob)
    for k in range(veces):
        prob = copiar(s_prob, Problema, lambda v: {"plan_id": plan.pk, "numero": v.numero + k * n_prob})
        causas = copiar(s_causas, Causa, lambda v: {"problema_id": prob[v.problema_id]})
        copiar(s_sub, SubpuntoCausa, lambda v: {"causa_id": causas[v.causa_id]})
        alts = copiar(s_alt, Alternativa, lambda v: {"problema_id": prob[v.problema_id], "causa_id": causas.get(v.causa_id)})
        copiar(s_items, SubitemAlternativa, lambda v: {"alternativa_id": alts[v.alternativa_id]})
        res = {}
        for r in s_res:  # finals first
            res.update(copiar([r], Resultado, lambda v: {"plan_id": plan.pk, "orden": v.orden + k * 10,
                                                         "resultado_final_id": res.get(v.resultado_final_id)}))
        prod = copiar(s_prod, Producto, lambda v: {"plan_id": plan.pk, "orden": v.orden + k * 10, "resultado_id": res[v.resultado_id]})
        acts = copiar(s_act, Actividad, lambda v: {"plan_id": plan.pk, "orden": v.orden + k * 100,
                                                   "producto_id": prod.get(v.producto_id)})
        copiar(s_ind, Indicador, lambda v: {"plan_id": plan.pk, "orden": v.orden + k * 100,
                                            "resultado_id": res.get(v.resultado_id), "producto_id": prod.get(v.producto_id),
                                            "actividad_id": acts.get(v.actividad_id)})
    inicio, fin = PeriodoReporte.fechas("anual", 2015, 1)
    periodo = PeriodoReporte.objects.create(plan=plan, frecuencia="anual", anio=2015, numero=1, inicio=inicio, fin=fin,
                                            entrega_desde=inicio, entrega_hasta=fin, estado="cerrado")
    ahora = timezone.now()
    actividades = list(Actividad.objects.filter(plan=plan).order_by("pk"))
    AvanceActividad.objects.bulk_create([
        AvanceActividad(actividad=a, entidad_id=a.entidad_id, periodo=periodo, situacion="concluida", avance_fisico=100,
                        estado=EstadoRevision.APROBADO, enviado_en=ahora) for a in actividades[::4]])
    ValorIndicador.objects.bulk_create([
        ValorIndicador(indicador=i, entidad_id=i.entidad_id, periodo=periodo, valor=Decimal(n % 50), estado=EstadoRevision.APROBADO,
                       enviado_en=ahora) for n, i in enumerate(Indicador.objects.filter(plan=plan))])
    usuario = Usuario.objects.create_user(username="bench-mtpe", password="x", entidad=seed.entidad_responsable)
    usuario.groups.add(Group.objects.get(name=Rol.MINISTERIO))
    return plan, usuario


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--veces", type=int, default=10, help="copies of the seed in the source plan")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from ciclo import siguiente as sig
    from planes.models import Plan

    with base_de_prueba():
        plan, usuario = preparar(args.veces)
        opciones = [k for k, _ in sig.OPCIONES]
        copia = sig.siguiente_preparar(plan=plan, usuario=usuario, opciones=opciones)
        filas = copia.total - len(copia.lineas_base) + 1  # rows written: the plan and every copied row
        print(f"AMC · nuevo plan a partir de este · {connection.vendor} · plan de {args.veces} veces la semilla: "
              f"{len(copia.problemas)} problemas, {len(copia.causas)} causas, {len(copia.alternativas)} alternativas, "
              f"{len(copia.actividades)} actividades por arrastrar ({copia.concluidas} concluidas), "
              f"{len(copia.indicadores)} indicadores · {filas:,} filas por escribir")

        t_app, consultas = None, 0
        for _ in range(args.repeat):
            with transaction.atomic():
                with CaptureQueriesContext(connection) as ctx:
                    t0 = time.perf_counter()
                    nuevo = sig.siguiente_crear(plan=plan, usuario=usuario, opciones=opciones)
                    t = time.perf_counter() - t0
                consultas = len(ctx)
                t_app = t if t_app is None else min(t_app, t)
                transaction.set_rollback(True)  # the next run starts from the same data
        assert not Plan.objects.filter(pk=nuevo.pk).exists()

        # the bare library: the same rows, bulk_create only (no reads, checks, history)
        t_bare = None
        for _ in range(args.repeat):
            with transaction.atomic():
                t0 = time.perf_counter()
                _bare(copia)
                t = time.perf_counter() - t0
                t_bare = t if t_bare is None else min(t_bare, t)
                transaction.set_rollback(True)

        print(f"  {'siguiente_crear (leer, copiar, historial)':<46} {t_app:8.2f} s  {consultas} consultas, "
              f"{consultas / filas:.4f} consultas por fila copiada")
        print(f"  {'  bulk_create solo, mismas filas':<46} {t_bare:8.2f} s  razón siguiente_crear / bulk_create solo = "
              f"{t_app / t_bare:.2f}")


def _bare(copia):
    """The same inserts with Django's bulk_create, ids remapped, nothing else."""
    from matrices.models import (
        Actividad, Alternativa, Causa, Indicador, Problema, Producto, Resultado, SubitemAlternativa, SubpuntoCausa,
    )
    from planes.models import Plan, PlanEntidad

    p = copia.plan
    nuevo = Plan.objects.create(codigo="bench-bare", titulo=p.titulo, servicio=p.servicio, sector=p.sector,
                                entidad_responsable_id=p.entidad_responsable_id, anio_inicio=copia.anio_inicio,
                                anio_fin=copia.anio_fin)

    lote = _bulk
    lote(copia.participaciones, PlanEntidad, lambda v: {"plan_id": nuevo.pk})
    prob = lote(copia.problemas, Problema, lambda v: {"plan_id": nuevo.pk})
    causas = lote(copia.causas, Causa, lambda v: {"problema_id": prob[v.problema_id]})
    lote(copia.subpuntos, SubpuntoCausa, lambda v: {"causa_id": causas[v.causa_id]})
    alts = lote(copia.alternativas, Alternativa, lambda v: {"problema_id": prob[v.problema_id], "causa_id": causas.get(v.causa_id)})
    lote(copia.subitems, SubitemAlternativa, lambda v: {"alternativa_id": alts[v.alternativa_id]})
    res = lote([r for r in copia.resultados if r.tipo == "final"], Resultado, lambda v: {"plan_id": nuevo.pk})
    res.update(lote([r for r in copia.resultados if r.tipo != "final"], Resultado,
                    lambda v: {"plan_id": nuevo.pk, "resultado_final_id": res.get(v.resultado_final_id)}))
    prod = lote(copia.productos, Producto, lambda v: {"plan_id": nuevo.pk, "resultado_id": res[v.resultado_id]})
    acts = lote(copia.actividades, Actividad, lambda v: {"plan_id": nuevo.pk, "producto_id": prod.get(v.producto_id),
                                                          "arrastrada_de_id": v.pk})
    lote(copia.indicadores, Indicador, lambda v: {"plan_id": nuevo.pk, "resultado_id": res.get(v.resultado_id),
                                                   "producto_id": prod.get(v.producto_id), "actividad_id": acts.get(v.actividad_id)})


if __name__ == "__main__":
    main()
