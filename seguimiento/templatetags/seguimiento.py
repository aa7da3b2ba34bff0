from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from amc import formatting
from seguimiento import services
from seguimiento.models import CondicionValor

register = template.Library()


@register.filter
def es_revisor(user, plan=None) -> bool:
    """{% if user|es_revisor:plan %}: who reviews in the plan (ministry reviewers, administrators,
    and a regional directorate where the plan has it review its region's municipalities)."""
    return services.is_reviewer(user, plan)


@register.simple_tag
def fila_periodo(c) -> str:
    """One period row of the targets-vs-actuals table (seguimiento.reports.CeldaPeriodo).
    A large plan has 12,000 of them: built here in one step, where the same markup as a
    template loop costs several times more. The page and the PDF both call it from the
    report's one partial."""
    pendiente = ' <span class="pendiente">por revisar</span>' if c.estado == "enviado" else ""
    valor = '<span class="empty-cell">—</span>' if c.valor is None else formatting.number(c.valor)
    return mark_safe(
        f'<tr><td colspan="4" class="sub">{escape(c.periodo.nombre)}{pendiente}</td>'
        f'<td class="num">{formatting.number(c.meta)}</td><td class="num">{valor}</td>'
        f'<td class="num">{formatting.number(c.acumulado)}</td><td class="num">{formatting.number(c.meta_acumulada)}</td>'
        f'<td class="num">{formatting.percent(c.logro)}</td><td class="num">{formatting.percent(c.logro_acumulado)}</td>'
        f'<td>{c.semaforo_svg if c.semaforo else ""}</td></tr>'
    )


@register.filter
def cantidad(value, indicador) -> str:
    """{{ valor|cantidad:indicador }}: a value or target of `indicador`; a count
    (`Indicador.es_conteo`, «Nº de …») without decimals."""
    return formatting.cantidad(value, entero=bool(getattr(indicador, "es_conteo", False)))


@register.filter
def valor_leido(valor, indicador) -> str:
    """{{ valor|valor_leido:indicador }}: a filed value as people read it: the number (a count
    without decimals), «No aplica» / «Sin información», or «—» (nothing filed, or no number)."""
    if not valor or (valor.condicion == CondicionValor.VALOR and valor.valor is None):
        return "—"
    if valor.condicion != CondicionValor.VALOR:
        return valor.get_condicion_display()
    return cantidad(valor.valor, indicador)


@register.simple_tag
def valores_anteriores(fila) -> str:
    """The entry page's «Valores anteriores» of one indicator (selectors.FilaIndicador): each
    earlier period's value and its state, or «ninguno». A year of monthly values is 11 of them
    for each of 40 indicators: built here, where a template loop with an include costs several
    times more."""
    if not fila.anteriores:
        return "ninguno"
    return mark_safe("; ".join(
        f"<b>{escape(v.periodo.nombre_corto)}: {escape(valor_leido(v, fila.indicador))}</b> ({escape(v.get_estado_display().lower())})"
        for v in fila.anteriores))
