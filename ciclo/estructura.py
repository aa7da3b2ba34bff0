"""What a plan's structure is: the rows that, once the plan is signed, change only through an
amendment (issue 12, item 4: problems, causes, alternatives, activities, indicators, targets,
budget; with the results chain the logical matrix is made of). The one list: the guard
(`planes.estructura`), the «as signed» snapshot and the amendment's old/new values read it."""
from __future__ import annotations

from matrices import models as mx
from presupuesto import models as pr
from seguimiento import models as sg

ESTRUCTURA = (
    mx.Problema, mx.Causa, mx.SubpuntoCausa, mx.Alternativa, mx.SubitemAlternativa, mx.AlternativaPriorizada,
    mx.Resultado, mx.Producto, mx.Actividad, mx.Indicador, mx.MetaIndicador, mx.IndicadorProducto, mx.TareaNivel,
    pr.LineaPresupuesto, pr.SublineaCosto,
    sg.MetaPeriodo,
)
