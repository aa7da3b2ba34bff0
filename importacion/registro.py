"""What can be imported and listed: each app registers its own sheets and lists here, from
its AppConfig.ready(), so that this app names none of them.

    registrar_hoja(CausaResource, orden=10)
    registrar_lista(Lista("causas", "Causas", CausaFilter, CausaResource, causas_visibles, orden=50))

Sheets are applied in `orden` (causes before the alternatives that cite them; an indicator
before its targets); lists are offered in `orden`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

_HOJAS: dict[type, int] = {}
_LISTAS: dict[str, "Lista"] = {}


def registrar_hoja(resource: type, *, orden: int) -> None:
    """Make a sheet (an importacion.resources.HojaResource) importable, applied in `orden`."""
    _HOJAS[resource] = orden


def hojas() -> list[type]:
    """The importable sheets, in the order a workbook's sheets are applied."""
    return sorted(_HOJAS, key=_HOJAS.__getitem__)


@dataclass(frozen=True)
class Lista:
    """A filtered list across the plans a user may read, exported with its sheet's columns."""

    clave: str
    titulo: str
    filterset: Callable  # a django-filter FilterSet class
    resource: Callable  # the sheet's resource class: the list's columns
    queryset: Callable  # (user) -> the rows the user may read, with what the columns need
    orden: int = 0


def registrar_lista(lista: Lista) -> None:
    _LISTAS[lista.clave] = lista


def listas() -> list[Lista]:
    return sorted(_LISTAS.values(), key=lambda lista: lista.orden)


def lista_get(clave: str) -> Lista | None:
    return _LISTAS.get(clave)
