from django import template

from amc import formatting

register = template.Library()


@register.filter
def soles(value, empty=formatting.NO_DETERMINADO):
    """{{ linea.total|soles }} -> 'S/ 1,234.50', or 'No se ha determinado'."""
    return formatting.soles(value, empty)


@register.filter
def numero(value, places=2):
    return formatting.number(value, int(places))


@register.filter
def porcentaje(value, places=1):
    return formatting.percent(value, int(places))
