"""Request and response guards of the whole site (settings.MIDDLEWARE)."""
from __future__ import annotations

import logging

from django.db import DataError
from django.utils.cache import patch_cache_control

from amc.reports import bad_request

logger = logging.getLogger(__name__)


class QueryStringGuardMiddleware:
    """A 400 page in Spanish, never a 500, for a query string no page can use.

    - A NUL byte (`?q=%00`, `?estado=%00`) in a parameter's name or value: no page takes one,
      and PostgreSQL refuses text that holds it ("A string literal cannot contain NUL").
    - A number the database cannot hold (`?anio_inicio__in=99999999999999999999` overflows
      SQLite's integers) found while a GET page's query runs: the filter was wrong, not the
      application. (The admin's lists refuse such numbers before querying: amc.admin.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                shown = name.replace("\x00", "%00")
                return bad_request(
                    request,
                    f"La dirección tiene un carácter nulo (%00) en el parámetro «{shown}»: no es un valor "
                    "válido. Quítelo de la dirección o vuelva a la página y use sus filtros.",
                )
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method in ("GET", "HEAD") and request.GET and isinstance(exception, (OverflowError, DataError)):
            logger.warning("Parámetros fuera de rango en %s: %s", request.get_full_path(), exception, exc_info=exception)
            return bad_request(
                request,
                "Un valor de la dirección está fuera de rango (por ejemplo, un año o un número con demasiadas "
                "cifras). Corrija la dirección o vuelva a la página y use sus filtros.",
            )
        return None


class PrivateNoStoreMiddleware:
    """`Cache-Control: private, no-store` on every response to a logged-in user (pages, PDF,
    Excel, CSV, evidence files): neither a shared proxy nor the browser's disk keeps what only
    that user may see. Static files never get here (WhiteNoise answers them first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
