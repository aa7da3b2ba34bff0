"""AMC's own system checks (registered by amc.apps)."""
from __future__ import annotations

from django.conf import settings
from django.core import checks

PRELOAD_MIN_SECONDS = 31536000  # what browsers' HSTS preload lists ask for: a year


def hsts_preload(app_configs, **kwargs):
    """HSTS preload is opt-in (SECURE_HSTS_PRELOAD=1): once a domain is on the browsers' preload
    lists, leaving them takes months, and it binds every subdomain. This replaces Django's
    security.W021, which asks every site to opt in; what it checks instead is that an opted-in
    site meets the lists' requirements (a year's max-age, subdomains included)."""
    if not settings.SECURE_HSTS_PRELOAD:
        return []
    if settings.SECURE_HSTS_SECONDS < PRELOAD_MIN_SECONDS or not settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        return [checks.Warning(
            "SECURE_HSTS_PRELOAD está activo pero el dominio no cumple lo que piden las listas de precarga: "
            f"SECURE_HSTS_SECONDS de al menos {PRELOAD_MIN_SECONDS} y SECURE_HSTS_INCLUDE_SUBDOMAINS activo.",
            id="amc.W001",
        )]
    return []
