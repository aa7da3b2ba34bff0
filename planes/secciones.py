"""The plan's sections as the overview page counts them. Each app registers the sections it
holds (from its AppConfig.ready()), so that planes, the base app, imports none of them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SeccionContada:
    """A section of the plan: its number and title in the document, the model whose rows it
    counts and the path from that model to its plan."""

    orden: int  # position in the document
    numero: str
    titulo: str
    model: type
    plan_path: str = "plan"

    def admin_url(self, plan) -> str:
        meta = self.model._meta
        return f"/admin/{meta.app_label}/{meta.model_name}/?{self.plan_path}__id__exact={plan.pk}"


_SECCIONES: dict[tuple[str, str], SeccionContada] = {}


def registrar(*secciones: SeccionContada) -> None:
    """Add sections to the overview (registering one twice replaces it)."""
    for s in secciones:
        _SECCIONES[(s.numero, s.titulo)] = s


def secciones_contadas() -> list[SeccionContada]:
    return sorted(_SECCIONES.values(), key=lambda s: s.orden)
