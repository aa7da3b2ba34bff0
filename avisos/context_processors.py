"""The navigation's counts (base.html): unread notices and what waits on the home page."""
from __future__ import annotations

from django.utils.functional import cached_property

from avisos import selectors


class Navegacion:
    """Counted on first use (`selectors.contadores`): a page that shows no navigation (a PDF, a
    workbook, the login page) asks for nothing, and the home page, which lists the queues
    (`request.colas`, set by its view), counts only the notices."""

    def __init__(self, request):
        self._request = request
        self._user = getattr(request, "user", None)

    @cached_property
    def _contadores(self) -> selectors.Contadores:
        if self._user is None or not self._user.is_authenticated:
            return selectors.Contadores()
        return selectors.contadores(user=self._user, colas=getattr(self._request, "colas", None))

    @property
    def avisos(self) -> int:
        return self._contadores.avisos

    @property
    def pendientes(self) -> int:
        return self._contadores.pendientes


def navegacion(request):
    return {"navegacion": Navegacion(request)}
