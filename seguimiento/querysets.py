"""Querysets of the follow-up models: what each page loads, named for its caller."""
from __future__ import annotations

from django.core.exceptions import ValidationError

from amc.db import AmcQuerySet

# Values that count as reported in the tracking report: submitted (pending review) or approved.
REPORTADOS = ("enviado", "aprobado")


class AppendOnlyQuerySet(AmcQuerySet):
    """History rows are written once: bulk updates and deletes are refused too."""

    def update(self, **kwargs):
        raise ValidationError("El historial solo admite nuevos registros: no se modifica.")

    def delete(self):
        raise ValidationError("El historial no se borra.")


class PeriodoReporteQuerySet(AmcQuerySet):
    def of_plan(self, plan, anio: int | None = None):
        """A plan's periods in time order (of one year, when given)."""
        qs = self.filter(plan=plan).order_by("inicio")
        return qs.filter(anio=anio) if anio else qs


class ReportadoQuerySet(AmcQuerySet):
    """Indicator values and activity progress."""

    def reportados(self):
        """What counts in reports: submitted or approved (not drafts, not returned)."""
        return self.filter(estado__in=REPORTADOS)
