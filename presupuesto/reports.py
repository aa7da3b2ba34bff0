"""Report data of the budget (section 13.3): every line with its cost sub-lines, totals per
activity, per level of government and for the plan, and a summary by MEF spending code.

Totals are computed (the line's `total_calculado` annotation, sub-lines' cost x quantity),
never read from a stored field. A line "No se ha determinado" has no amount: it is shown as
such and it is not a zero, so it adds nothing to the totals and the totals say how many such
lines they leave out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from amc.excel import Column
from amc.formatting import NO_DETERMINADO
from amc.vocabulario import nivel_nombre
from planes.models import Entidad, NivelGobierno, Plan
from planes.reports import EntidadRef, Nota, agrupadas, entidad_ref, filas, notas_fuente, notas_xlsx, titulo_version
from presupuesto.models import Clasificador, LineaPresupuesto, SublineaCosto

SIN_MONTO = "–"
SIN_ESPECIFICA = "Sin especificación del gasto"


def sin_denominacion(anio: int) -> str:
    """The «Denominación» of a spending code the classifier of the plan's year does not hold."""
    return f"No figura en el clasificador de gastos {anio}"
ZERO = Decimal("0.00")


@dataclass
class SublineaP:
    concepto: str
    unidad_medida: str
    costo_unitario: Decimal
    cantidad: Decimal | None
    total: Decimal
    especifica: str


@dataclass
class LineaP:
    orden: int
    descripcion: str
    entidad: EntidadRef
    nivel_codigo: str
    nivel_nombre: str  # "Gobierno Nacional", as the table writes it
    estado: str
    unidad_medida: str
    costo_unitario: Decimal | None
    cantidad: Decimal | None
    total: Decimal | None
    especifica: str
    sublineas: list[SublineaP] = field(default_factory=list)

    @property
    def no_determinada(self) -> bool:
        return self.estado == LineaPresupuesto.Estado.NO_DETERMINADO

    @property
    def total_texto(self) -> str:
        """What the last column shows when there is no amount."""
        return NO_DETERMINADO if self.no_determinada else SIN_MONTO


@dataclass
class TotalNivel:
    nivel_codigo: str
    nombre: str
    total: Decimal
    lineas: int
    no_determinadas: int
    sin_monto: int

    @property
    def etiqueta(self) -> str:
        """"Total Gobierno Nacional (15 actividades «No se ha determinado», no suman)"."""
        if not self.no_determinadas:
            return f"Total {self.nombre}"
        n = self.no_determinadas
        return f"Total {self.nombre} ({n} actividad{'es' if n != 1 else ''} «{NO_DETERMINADO}», no suman)"


@dataclass
class ResumenEspecifica:
    codigo: str
    nombre: str
    total: Decimal


@dataclass
class Presupuesto:
    plan: Plan
    lineas: list[LineaP]
    totales_nivel: list[TotalNivel]
    total_plan: Decimal
    resumen: list[ResumenEspecifica]
    notas: list[Nota]
    a_la_fecha: object = None  # the plan as it was then (as signed), else today's

    @property
    def titulo(self) -> str:
        return titulo_version("13.3 Presupuesto", self.plan, self.a_la_fecha)

    @property
    def no_determinadas(self) -> int:
        return sum(t.no_determinadas for t in self.totales_nivel)

    @property
    def total_resumen(self) -> Decimal:
        return sum((r.total for r in self.resumen), ZERO)


def _lineas_de_hoy(plan: Plan, filtros: dict):
    """Today's lines: (line, its entity, its sub-lines, its total), the total computed by the
    database (`with_totals`). 2 queries."""
    qs = (
        LineaPresupuesto.objects.filter(plan=plan, **filtros).with_totals().select_related("entidad__nivel")
        .order_by("orden")
        .prefetch_related(Prefetch("sublineas", queryset=SublineaCosto.objects.order_by("orden")))
    )
    return [(ln, ln.entidad, list(ln.sublineas.all()), ln.total_calculado) for ln in qs]


def _lineas_a_la_fecha(plan: Plan, filtros: dict, a_la_fecha):
    """The lines as they were at `a_la_fecha`, read from the history (the plan as signed), with
    their sub-lines of then; each total by the same rule (`LineaPresupuesto.total`). 3 queries."""
    lineas = list(filas(LineaPresupuesto, a_la_fecha).filter(plan=plan, **filtros).order_by("orden"))
    entidades = Entidad.objects.select_related("nivel").in_bulk({ln.entidad_id for ln in lineas})
    sublineas = agrupadas(filas(SublineaCosto, a_la_fecha).filter(linea_id__in=[ln.pk for ln in lineas]).order_by("orden"), "linea_id")
    return [(ln, entidades[ln.entidad_id], sublineas.get(ln.pk, []), ln.total(sublineas.get(ln.pk, []))) for ln in lineas]


def presupuesto(*, plan: Plan, nivel: str = "", entidad: str = "", con_notas: bool = True,
                a_la_fecha=None) -> Presupuesto:
    """Section 13.3: the plan's budget lines in the table's order, each with its computed
    total and its cost sub-lines; totals per level and for the plan; a summary by MEF spending
    code (a sub-line without its own code counts under its line's code), with the code's name
    from the classifier of the plan's first year when it is there.

    Filters `nivel` (GN/GR/GL) and `entidad` (code) keep those lines; totals are of what is
    shown. `a_la_fecha`: the budget as it was then, read from its history (the plan as signed:
    `planes.reports.version_filter`). Loads lines with totals, entities and levels (1), sub-lines
    (1), levels (1), classifier names (1), notes (1): 5 queries; as it was then, 6."""
    filtros = {}
    if nivel:
        filtros["entidad__nivel__codigo"] = nivel
    if entidad:
        filtros["entidad__codigo"] = entidad
    leidas = _lineas_de_hoy(plan, filtros) if a_la_fecha is None else _lineas_a_la_fecha(plan, filtros, a_la_fecha)
    lineas = []
    for ln, ent, sublineas, total in leidas:
        subs = [
            SublineaP(s.concepto, s.unidad_medida, s.costo_unitario, s.cantidad, s.total(), s.especifica_gasto)
            for s in sublineas
        ]
        if total is not None:
            total = Decimal(total).quantize(Decimal("0.01"))
        lineas.append(LineaP(
            ln.orden, ln.descripcion, entidad_ref(ent), ent.nivel.codigo,
            nivel_nombre(ent.nivel.codigo), ln.estado, ln.unidad_medida,
            ln.costo_unitario, ln.cantidad, total, ln.especifica_gasto, subs,
        ))

    totales = []
    for n in NivelGobierno.objects.order_by("orden"):
        del_nivel = [x for x in lineas if x.nivel_codigo == n.codigo]
        if not del_nivel:
            continue
        totales.append(TotalNivel(
            n.codigo, nivel_nombre(n.codigo),
            sum((x.total for x in del_nivel if x.total is not None), ZERO), len(del_nivel),
            sum(1 for x in del_nivel if x.no_determinada),
            sum(1 for x in del_nivel if x.estado == LineaPresupuesto.Estado.SIN_MONTO),
        ))
    total_plan = sum((t.total for t in totales), ZERO)

    por_codigo: dict[str, Decimal] = {}
    for x in lineas:
        if x.total is None:
            continue
        if x.sublineas:
            for s in x.sublineas:
                code = s.especifica or x.especifica
                por_codigo[code] = por_codigo.get(code, ZERO) + s.total
        else:
            por_codigo[x.especifica] = por_codigo.get(x.especifica, ZERO) + x.total
    nombres = dict(
        Clasificador.objects.filter(anio=plan.anio_inicio, codigo__in=[c for c in por_codigo if c]).values_list("codigo", "nombre")
    )
    resumen = [ResumenEspecifica(c, nombres.get(c) or sin_denominacion(plan.anio_inicio), por_codigo[c]) for c in sorted((c for c in por_codigo if c), key=_code_key)]
    if "" in por_codigo:
        resumen.append(ResumenEspecifica("", SIN_ESPECIFICA, por_codigo[""]))
    return Presupuesto(plan, lineas, totales, total_plan, resumen, notas_fuente(plan, "13.3") if con_notas else [], a_la_fecha)


def _code_key(code: str):
    return tuple(int(p) if p.isdigit() else 0 for p in code.split("."))


def presupuesto_xlsx(data: Presupuesto, workbook) -> None:
    columns = [
        Column("Actividad", 60), Column("Nivel de Gobierno", 18), Column("Unidad de Medida", 16),
        Column("Costeo Unitario (S/)", 15, "money"), Column("Cantidad", 10, "number"), Column("Total (S/)", 15, "money"),
        Column("Especificación del gasto", 16), Column("Total por Nivel de Gobierno (S/)", 20, "money"),
    ]
    sheet = workbook.sheet("13.3 Presupuesto", columns)
    for x in data.lineas:
        if x.sublineas:
            first = sheet.row([x.descripcion, x.nivel_nombre, None, None, None, None, x.especifica or None, x.total])
            for s in x.sublineas:
                sheet.row([s.concepto, None, s.unidad_medida, s.costo_unitario, s.cantidad, s.total, s.especifica or None, None],
                          style="sub")
            sheet.merge_down(2, first, sheet.next_row - 1)
            sheet.merge_down(8, first, sheet.next_row - 1)
        elif x.total is not None:
            sheet.row([x.descripcion, x.nivel_nombre, x.unidad_medida, x.costo_unitario, x.cantidad, x.total,
                       x.especifica or None, x.total])
        else:
            sheet.row([x.descripcion, x.nivel_nombre, SIN_MONTO, SIN_MONTO, SIN_MONTO, SIN_MONTO, SIN_MONTO, x.total_texto])
    for t in data.totales_nivel:
        sheet.row([t.etiqueta, None, None, None, None, None, None, t.total], style="total")
    sheet.row(["Total del plan", None, None, None, None, None, None, data.total_plan], style="total")
    sheet.skip()
    if data.no_determinadas:
        n = data.no_determinadas
        sheet.note(f"{n} actividad{'es' if n != 1 else ''} con monto «{NO_DETERMINADO}»: no suman en los totales (no son cero).")
    notas_xlsx(sheet, data.notas, skip=False)

    sheet = workbook.sheet("13.3 Resumen por específica", [Column("Especificación del gasto", 22), Column("Denominación", 50),
                                                            Column("Total (S/)", 16, "money")])
    for r in data.resumen:
        sheet.row([r.codigo or None, r.nombre or None, r.total])
    sheet.row(["Total", None, data.total_resumen], style="total")
