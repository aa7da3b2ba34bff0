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
def cantidad(value):
    """{{ sublinea.cantidad|cantidad }} -> '3' (a whole count without decimals), '2.50'."""
    return formatting.cantidad(value, entero=True)


@register.filter
def porcentaje(value, places=1):
    return formatting.percent(value, int(places))
