"""Regional plans built in bulk for the national view's query-count tests and its benchmark
(bench/nacional_bench.py): each plan is MTPE plus one regional entity, with indicators linked
to the catalogue, the year's quarters, a target and an approved value per indicator and
quarter, and budget lines with their monthly execution. Few queries per plan (bulk inserts)."""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from matrices.models import Actividad, Indicador, IndicadorCatalogo, MetaIndicador, Producto, Resultado
from planes.models import Entidad, NivelGobierno, Plan, PlanEntidad
from presupuesto.models import LineaPresupuesto
from seguimiento.models import EjecucionPresupuestal, MetaPeriodo, PeriodoReporte, ValorIndicador

ANIO = 2015
TRIMESTRES = {1: ((1, 1), (3, 31)), 2: ((4, 1), (6, 30)), 3: ((7, 1), (9, 30)), 4: ((10, 1), (12, 31))}


def catalogo_conteos(n: int) -> list[IndicadorCatalogo]:
    """`n` catalogue entries to link to: the fixture's counts first, then made-up counts that add up."""
    entradas = list(IndicadorCatalogo.objects.filter(unidad="numero", agregacion="suma").order_by("orden"))
    for i in range(len(entradas), n):
        entradas.append(IndicadorCatalogo.objects.create(codigo=f"prueba-conteo-{i}", nombre=f"Nº de prueba {i}",
                                                         unidad="numero", agregacion="suma", orden=100 + i))
    return entradas[:n]


def plan_regional(n: int, *, entradas: list[IndicadorCatalogo], indicadores: int = 4, lineas: int = 2,
                  factor=Decimal("0.9"), mtpe: Entidad | None = None) -> tuple[Plan, Entidad]:
    """The n-th regional plan of `ANIO`: a new regional entity with `indicadores` indicators (the
    i-th linked to entradas[i % len]), 4 quarters, target 10 + i and an approved value
    (target x factor, rounded) per quarter, and `lineas` budget lines of S/ 1,000.00 with
    S/ 50.00 of PIM and S/ 40.00 devengado each month."""
    mtpe = mtpe or Entidad.objects.get(codigo="mtpe")
    region = Entidad.objects.create(codigo=f"prueba-region-{n}", nombre=f"Dirección Regional de Prueba {n:02d}",
                                    sigla=f"DR{n:02d}", nivel=NivelGobierno.objects.get(codigo="GR"),
                                    tipo=Entidad.Tipo.DIRECCION_REGIONAL)
    plan = Plan.objects.create(codigo=f"prueba-regional-{n}", titulo=f"Plan regional de prueba {n}", servicio="Promoción del Empleo",
                               sector="Trabajo", entidad_responsable=mtpe, anio_inicio=ANIO, anio_fin=ANIO)
    PlanEntidad.objects.bulk_create([PlanEntidad(plan=plan, entidad=mtpe, rol=PlanEntidad.Rol.RECTOR, orden=0),
                                     PlanEntidad(plan=plan, entidad=region, orden=1)])
    final = Resultado.objects.create(plan=plan, tipo="final", orden=1, enunciado="Resultado final")
    intermedio = Resultado.objects.create(plan=plan, tipo="intermedio", orden=1, enunciado="Intermedio", resultado_final=final)
    producto = Producto.objects.create(plan=plan, resultado=intermedio, orden=1, enunciado="Producto")
    actividad = Actividad.objects.create(plan=plan, producto=producto, entidad=region, orden=1, descripcion="Actividad")
    inds = Indicador.objects.bulk_create([
        Indicador(plan=plan, entidad=region, orden=i + 1, actividad=actividad, nombre=f"Nº de prueba {i + 1}",
                  catalogo=entradas[i % len(entradas)]) for i in range(indicadores)])
    inds = list(Indicador.objects.filter(plan=plan).order_by("orden"))
    MetaIndicador.objects.bulk_create([MetaIndicador(indicador=ind, anio=ANIO, valor=Decimal(4 * (10 + i))) for i, ind in enumerate(inds)])
    periodos = PeriodoReporte.objects.bulk_create([
        PeriodoReporte(plan=plan, frecuencia="trimestral", anio=ANIO, numero=q, inicio=datetime.date(ANIO, *a),
                       fin=datetime.date(ANIO, *b), entrega_desde=datetime.date(ANIO, *a),
                       entrega_hasta=datetime.date(ANIO, *b) + datetime.timedelta(days=15))
        for q, (a, b) in TRIMESTRES.items()])
    periodos = list(PeriodoReporte.objects.filter(plan=plan).order_by("numero"))
    MetaPeriodo.objects.bulk_create([MetaPeriodo(indicador=ind, periodo=p, valor=Decimal(10 + i))
                                     for i, ind in enumerate(inds) for p in periodos])
    enviado = timezone.make_aware(datetime.datetime(ANIO, 12, 31, 10))
    ValorIndicador.objects.bulk_create([
        ValorIndicador(indicador=ind, entidad=region, periodo=p, valor=(Decimal(10 + i) * factor).quantize(Decimal("1")),
                       estado="aprobado", enviado_en=enviado, evidencia_url="https://example.org/prueba")
        for i, ind in enumerate(inds) for p in periodos])
    lins = LineaPresupuesto.objects.bulk_create([
        LineaPresupuesto(plan=plan, entidad=region, orden=k + 1, descripcion=f"Línea {k + 1}", costo_unitario=Decimal("1000.00"))
        for k in range(lineas)])
    lins = list(LineaPresupuesto.objects.filter(plan=plan))
    EjecucionPresupuestal.objects.bulk_create([
        EjecucionPresupuestal(linea=lin, anio=ANIO, mes=m, pim=Decimal("50.00"), certificado=Decimal("50.00"), devengado=Decimal("40.00"))
        for lin in lins for m in range(1, 13)])
    return plan, region
