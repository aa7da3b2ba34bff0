"""Querysets of the follow-up models: what each page loads, named for its caller."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q

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

    def delete(self):
        """A period with values is not deleted (see PeriodoReporte.delete): none is, then."""
        from seguimiento import rules  # rules reads the models, which use these querysets

        con_valores = self.filter(Q(valores__isnull=False) | Q(avances__isnull=False)).distinct().first()
        if con_valores is not None:
            raise ValidationError(rules.periodo_no_se_borra(con_valores))
        return super().delete()


class ReportadoQuerySet(AmcQuerySet):
    """Indicator values and activity progress."""

    def reportados(self):
        """What counts in reports: submitted or approved (not drafts, not returned)."""
        return self.filter(estado__in=REPORTADOS)
