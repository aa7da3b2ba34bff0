"""Formatting of amounts, percentages and dates as users in Peru read them.

One place for it, so the page, the PDF and the Excel file agree.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# CLDR es-PE puts a non-breaking space after the symbol: "S/ 1,234.50" never wraps.
SOLES_PREFIX = "S/\u00a0"
NO_DETERMINADO = "No se ha determinado"
TWO_PLACES = Decimal("0.01")


def number(value, places: int = 2) -> str:
    """1234.5 -> '1,234.50' (es-PE: comma for thousands, point for decimals)."""
    if value is None:
        return ""
    quant = Decimal(1).scaleb(-places)
    value = Decimal(value).quantize(quant, rounding=ROUND_HALF_UP)
    return f"{value:,.{places}f}"


def soles(value, empty: str = NO_DETERMINADO) -> str:
    """An amount in soles, 'S/ 1,234.50'; `empty` when the amount is not determined."""
    if value is None:
        return empty
    return SOLES_PREFIX + number(value)


def percent(value, places: int = 1) -> str:
    """0.857 -> '85.7%'. `value` is a fraction."""
    if value is None:
        return ""
    return number(Decimal(value) * 100, places) + "%"


def percent_number(value) -> Decimal | None:
    """0.857 -> Decimal('85.7'): a fraction as the percentage number a workbook's cell holds
    (formatted there as 0.0), rounded to one decimal; None stays None."""
    return None if value is None else (Decimal(value) * 100).quantize(Decimal("0.1"))


def cantidad(value, *, entero: bool = False) -> str:
    """A quantity: a count (`entero`) without decimals when it is whole (12, 1,250), anything
    else with two (12.50)."""
    if value is None:
        return ""
    if entero and Decimal(value) == Decimal(value).to_integral_value():
        return number(value, 0)
    return number(value)
