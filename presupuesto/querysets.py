"""Budget totals computed in the database, never stored."""
from django.db import models
from django.db.models import Case, F, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from amc.db import AmcQuerySet

MONEY_FIELD = models.DecimalField(max_digits=16, decimal_places=2)


def line_total_expression():
    """Total of a budget line: the sum of its sub-lines when it has them, else unit cost x
    quantity (a lump sum when quantity is empty); NULL when not determined."""
    from presupuesto.models import SublineaCosto

    sub = (
        SublineaCosto.objects.filter(linea=OuterRef("pk"))
        .order_by()
        .values("linea")
        .annotate(t=Sum(F("costo_unitario") * Coalesce(F("cantidad"), Value(1)), output_field=MONEY_FIELD))
        .values("t")
    )
    own = F("costo_unitario") * Coalesce(F("cantidad"), Value(1))
    return Case(
        When(estado="determinado", then=Coalesce(Subquery(sub, output_field=MONEY_FIELD), own, output_field=MONEY_FIELD)),
        default=Value(None),
        output_field=MONEY_FIELD,
    )


class LineaPresupuestoQuerySet(AmcQuerySet):
    def with_totals(self):
        """Each line with `total_calculado` (one subquery, no query per row)."""
        return self.annotate(total_calculado=line_total_expression())
