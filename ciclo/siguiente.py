"""«Nuevo plan a partir de este» (issue 12, item 5): next year's plan, created as a proposal from
this one. Only what the user asks for is copied; the preview (`siguiente_preparar`) and the
creation (`siguiente_crear`) read the same `Copia`, so the preview lists exactly what is created.

- Always: the new plan (next years, same service, rector and participating entities), linked both
  ways (`Plan.plan_anterior` / `plan.plan_siguiente`, a one-to-one: a plan has one next plan).
- «diagnostico»: problems, causes (with their sub-points), alternatives (with their sub-items).
- «cadena»: the results chain (final and intermediate results, products).
- «actividades»: the activities not completed (no approved progress report says «Concluida»),
  each marked as carried over (`Actividad.arrastrada_de`).
- «indicadores»: the indicators of what is copied, with the last approved value reported in
  follow-up as the new baseline (value and year); yearly targets are the new plan's to set.

Everything is written in one transaction with `bulk_create` in batches (history kept per batch,
`amc.auditoria.crear_en_lote`): the queries grow with the number of batches, not of rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from amc.auditoria import con_motivo, con_usuario, crear_en_lote
from ciclo.services import check_puede_gestionar
from matrices.models import (
    Actividad, Alternativa, Causa, Indicador, Problema, Producto, Resultado, SubitemAlternativa, SubpuntoCausa,
)
from planes.models import Plan, PlanEntidad
from seguimiento.models import AvanceActividad, CondicionValor, EstadoRevision, ValorIndicador

LOTE = 500

#: What the user may ask to copy, in the form's order: (key, label).
OPCIONES = (
    ("diagnostico", "Problemas, causas y alternativas"),
    ("cadena", "Cadena de resultados (resultados y productos)"),
    ("actividades", "Actividades no concluidas (se marcan como arrastradas)"),
    ("indicadores", "Indicadores, con su último valor reportado como nueva línea de base"),
)
CLAVES = tuple(k for k, _ in OPCIONES)


@dataclass
class Copia:
    """What «Nuevo plan a partir de este» will create: read once, shown by the preview, written
    by `siguiente_crear`."""

    plan: Plan
    opciones: tuple[str, ...]
    codigo: str
    anio_inicio: int
    anio_fin: int
    participaciones: list = field(default_factory=list)
    problemas: list = field(default_factory=list)
    causas: list = field(default_factory=list)
    subpuntos: list = field(default_factory=list)
    alternativas: list = field(default_factory=list)
    subitems: list = field(default_factory=list)
    resultados: list = field(default_factory=list)
    productos: list = field(default_factory=list)
    actividades: list = field(default_factory=list)  # not completed: carried over
    concluidas: int = 0  # left behind
    indicadores: list = field(default_factory=list)
    lineas_base: dict = field(default_factory=dict)  # indicator id -> (value, year) last reported

    @property
    def resumen(self) -> list[tuple[str, int]]:
        """(what, how many) rows of the preview, in the order they are created."""
        filas = [("Entidades participantes", len(self.participaciones))]
        if "diagnostico" in self.opciones:
            filas += [("Problemas", len(self.problemas)), ("Causas", len(self.causas)),
                      ("Subpuntos de causas", len(self.subpuntos)), ("Alternativas", len(self.alternativas)),
                      ("Subítems de alternativas", len(self.subitems))]
        if "cadena" in self.opciones:
            filas += [("Resultados", len(self.resultados)), ("Productos", len(self.productos))]
        if "actividades" in self.opciones:
            filas += [("Actividades arrastradas (no concluidas)", len(self.actividades))]
        if "indicadores" in self.opciones:
            filas += [("Indicadores", len(self.indicadores)),
                      ("… con línea de base del último valor reportado", len(self.lineas_base))]
        return filas

    @property
    def total(self) -> int:
        return sum(n for _, n in self.resumen)


def codigo_siguiente(plan: Plan, anio: int) -> str:
    """The plan's code with its year replaced by the new one («mtpe-puno-2015» → «mtpe-puno-2016»)."""
    base = re.sub(r"-?(19|20)\d{2}$", "", plan.codigo)
    return f"{base}-{anio}"


def check_sin_siguiente(plan: Plan) -> None:
    siguiente = Plan.objects.filter(plan_anterior=plan).only("codigo").first()
    if siguiente is not None:
        raise ValidationError(f"Ya se creó el plan siguiente a partir de este: {siguiente.codigo}. "
                              "Un plan tiene un solo plan siguiente; ábralo desde la lista de planes.")


def siguiente_preparar(*, plan: Plan, usuario, opciones) -> Copia:
    """Read what the next plan will hold (a fixed number of queries)."""
    check_puede_gestionar(usuario, plan)
    desconocidas = [o for o in opciones if o not in CLAVES]
    if desconocidas:
        raise ValidationError(f"Opción desconocida: {', '.join(desconocidas)}. Posibles: {', '.join(CLAVES)}.")
    opciones = tuple(k for k in CLAVES if k in opciones)
    if "indicadores" in opciones and not ({"cadena", "actividades"} & set(opciones)):
        raise ValidationError({"opciones": "Los indicadores miden resultados, productos o actividades: para copiarlos, "
                                           "elija también la cadena de resultados o las actividades."})
    check_sin_siguiente(plan)
    duracion = plan.anio_fin - plan.anio_inicio
    anio = plan.anio_fin + 1
    copia = Copia(plan, opciones, codigo_siguiente(plan, anio), anio, anio + duracion)
    copia.participaciones = list(PlanEntidad.objects.filter(plan=plan).order_by("orden", "pk"))
    if "diagnostico" in opciones:
        copia.problemas = list(Problema.objects.filter(plan=plan).order_by("numero"))
        copia.causas = list(Causa.objects.filter(problema__plan=plan).order_by("pk"))
        copia.subpuntos = list(SubpuntoCausa.objects.filter(causa__problema__plan=plan).order_by("pk"))
        copia.alternativas = list(Alternativa.objects.filter(problema__plan=plan).order_by("pk"))
        copia.subitems = list(SubitemAlternativa.objects.filter(alternativa__problema__plan=plan).order_by("pk"))
    if "cadena" in opciones:
        copia.resultados = list(Resultado.objects.filter(plan=plan).order_by("-tipo", "orden"))  # finals first
        copia.productos = list(Producto.objects.filter(plan=plan).order_by("orden"))
    if "actividades" in opciones:
        concluidas = set(AvanceActividad.objects.filter(
            actividad__plan=plan, estado=EstadoRevision.APROBADO,
            situacion=AvanceActividad.EstadoActividad.CONCLUIDA).values_list("actividad_id", flat=True))
        todas = list(Actividad.objects.filter(plan=plan).order_by("entidad_id", "orden"))
        copia.actividades = [a for a in todas if a.pk not in concluidas]
        copia.concluidas = len(todas) - len(copia.actividades)
    if "indicadores" in opciones:
        llevadas = {a.pk for a in copia.actividades}
        cadena = "cadena" in opciones
        copia.indicadores = [
            i for i in Indicador.objects.filter(plan=plan).order_by("entidad_id", "orden")
            if (i.actividad_id and i.actividad_id in llevadas) or (cadena and (i.resultado_id or i.producto_id))
        ]
        copia.lineas_base = ultimos_valores(plan, {i.pk for i in copia.indicadores})
    return copia


def ultimos_valores(plan: Plan, ids: set[int]) -> dict[int, tuple]:
    """indicator id -> (value, year) of its last approved value with a number (1 query)."""
    ultimos: dict[int, tuple] = {}
    filas = (ValorIndicador.objects.filter(indicador__plan=plan, estado=EstadoRevision.APROBADO,
                                           condicion=CondicionValor.VALOR, valor__isnull=False)
             .order_by("periodo__fin", "pk").values_list("indicador_id", "valor", "periodo__anio"))
    for indicador_id, valor, anio in filas:
        if indicador_id in ids:
            ultimos[indicador_id] = (valor, anio)
    return ultimos


def _nuevos(filas, modelo, cambios, usuario, motivo):
    """Copies of `filas` with `cambios(old)` applied (a dict of field values), created in batches;
    returns {old pk: new pk}."""
    nuevos = []
    for vieja in filas:
        valores = {f.attname: getattr(vieja, f.attname) for f in modelo._meta.concrete_fields if not f.primary_key}
        valores.update(cambios(vieja))
        nuevos.append(modelo(**valores))
    creados = crear_en_lote(nuevos, modelo, usuario=usuario, motivo=motivo, batch_size=LOTE)
    return {vieja.pk: nueva.pk for vieja, nueva in zip(filas, creados)}


def siguiente_crear(*, plan: Plan, usuario, opciones) -> Plan:
    """Create next year's plan as a proposal with what `opciones` asks for (see the module). A
    plan has one next plan: asking twice creates nothing the second time (a clear error)."""
    copia = siguiente_preparar(plan=plan, usuario=usuario, opciones=opciones)
    motivo = f"Creado a partir del plan {plan.codigo}"
    try:
        with transaction.atomic(), con_usuario(usuario):
            Plan.objects.select_for_update().get(pk=plan.pk)  # two clicks at once: the second waits, then is refused
            check_sin_siguiente(plan)
            if Plan.objects.filter(codigo=copia.codigo).exists():
                raise ValidationError(f"Ya existe un plan con el código {copia.codigo}: cámbiele el código antes de crear "
                                      "el plan siguiente.")
            nuevo = Plan(codigo=copia.codigo, titulo=plan.titulo, servicio=plan.servicio, sector=plan.sector,
                         entidad_responsable_id=plan.entidad_responsable_id, anio_inicio=copia.anio_inicio,
                         anio_fin=copia.anio_fin, finalidad=plan.finalidad, alcance=plan.alcance,
                         resultados_esperados=plan.resultados_esperados, plan_anterior=plan)
            nuevo.full_clean()
            con_motivo(nuevo, motivo).save()
            _copiar(copia, nuevo, usuario, motivo)
    except IntegrityError as exc:  # another request created it between the check and the insert
        check_sin_siguiente(plan)
        raise ValidationError(f"No se pudo crear el plan siguiente: {exc}") from exc
    return nuevo


def _copiar(copia: Copia, nuevo: Plan, usuario, motivo: str) -> None:
    def lote(filas, modelo, cambios):
        return _nuevos(filas, modelo, cambios, usuario, motivo) if filas else {}

    lote(copia.participaciones, PlanEntidad, lambda v: {"plan_id": nuevo.pk})
    problemas = lote(copia.problemas, Problema, lambda v: {"plan_id": nuevo.pk})
    causas = lote(copia.causas, Causa, lambda v: {"problema_id": problemas[v.problema_id]})
    lote(copia.subpuntos, SubpuntoCausa, lambda v: {"causa_id": causas[v.causa_id]})
    alternativas = lote(copia.alternativas, Alternativa,
                        lambda v: {"problema_id": problemas[v.problema_id], "causa_id": causas.get(v.causa_id)})
    lote(copia.subitems, SubitemAlternativa, lambda v: {"alternativa_id": alternativas[v.alternativa_id]})
    finales = [r for r in copia.resultados if r.tipo == Resultado.Tipo.FINAL]
    resultados = lote(finales, Resultado, lambda v: {"plan_id": nuevo.pk})
    resultados.update(lote([r for r in copia.resultados if r.tipo != Resultado.Tipo.FINAL], Resultado,
                           lambda v: {"plan_id": nuevo.pk, "resultado_final_id": resultados.get(v.resultado_final_id)}))
    productos = lote(copia.productos, Producto, lambda v: {"plan_id": nuevo.pk, "resultado_id": resultados[v.resultado_id]})
    actividades = lote(copia.actividades, Actividad, lambda v: {
        "plan_id": nuevo.pk, "producto_id": productos.get(v.producto_id), "arrastrada_de_id": v.pk})

    def indicador(v):
        valor, anio = copia.lineas_base.get(v.pk, (v.linea_base_valor, v.linea_base_anio))
        return {"plan_id": nuevo.pk, "linea_base_valor": valor, "linea_base_anio": anio,
                "resultado_id": resultados.get(v.resultado_id), "producto_id": productos.get(v.producto_id),
                "actividad_id": actividades.get(v.actividad_id)}

    lote(copia.indicadores, Indicador, indicador)
