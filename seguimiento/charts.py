"""Charts drawn on the server as inline SVG: they need no JavaScript and no network, and
WeasyPrint draws the same markup in the PDF."""
from __future__ import annotations

import functools
from decimal import Decimal
from typing import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from amc.formatting import number, percent

COLOR_META = "#9aa8b6"
COLOR_REAL = "#1f6f8b"
SEMAFORO_COLOR = {"en_meta": "#2e7d32", "debajo": "#c62828", "encima": "#1565c0", None: "#9aa8b6"}


def _num(value) -> str:
    return number(value, 2).rstrip("0").rstrip(".") if value is not None else "—"


def barra(fraccion: Decimal | None, etiqueta: str, *, ancho: int = 320, color: str = COLOR_REAL) -> SafeString:
    """A horizontal progress bar with its label and percentage (a fraction of 1; capped at the
    bar's end when over 100%)."""
    alto = 22
    f = max(Decimal("0"), min(Decimal("1"), Decimal(fraccion))) if fraccion is not None else Decimal("0")
    lleno = int(ancho * f)
    texto = percent(fraccion) if fraccion is not None else "sin datos"
    return mark_safe(
        f'<svg class="barra" role="img" aria-label="{escape(etiqueta)}: {texto}" width="{ancho + 70}" height="{alto}" '
        f'viewBox="0 0 {ancho + 70} {alto}" xmlns="http://www.w3.org/2000/svg">'
        f'<rect x="0" y="3" width="{ancho}" height="{alto - 6}" fill="#e4eaf0" rx="3"/>'
        f'<rect x="0" y="3" width="{lleno}" height="{alto - 6}" fill="{color}" rx="3"/>'
        f'<text x="{ancho + 6}" y="{alto - 6}" font-size="12" fill="#1b2733">{escape(texto)}</text></svg>'
    )


def meta_vs_real(titulo: str, etiquetas: Sequence[str], metas: Sequence, reales: Sequence,
                 *, ancho: int = 420, alto: int = 170) -> SafeString:
    """Grouped bars per period: the target (grey) beside the actual (blue), with the actual's
    value written above its bar. Missing values leave a gap."""
    n = max(1, len(etiquetas))
    izquierda, abajo, arriba = 34, 30, 22
    area_w, area_h = ancho - izquierda - 6, alto - abajo - arriba
    tope = max([Decimal(v) for v in [*metas, *reales] if v is not None] or [Decimal("1")]) or Decimal("1")
    grupo = area_w / n
    barra_w = max(3.0, min(22.0, grupo / 2 - 3))
    partes = [
        f'<svg class="grafico" role="img" aria-label="{escape(titulo)}" width="{ancho}" height="{alto}" '
        f'viewBox="0 0 {ancho} {alto}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="13" font-size="11" font-weight="bold" fill="#1b2733">'
        f'{escape(titulo if len(titulo) <= 62 else titulo[:60] + "…")}</text>',
        f'<line x1="{izquierda}" y1="{arriba + area_h}" x2="{ancho - 4}" y2="{arriba + area_h}" stroke="#a6b3c0"/>',
        f'<text x="{izquierda - 4}" y="{arriba + 8}" font-size="9" text-anchor="end" fill="#5b6b7a">{escape(_num(tope))}</text>',
        f'<text x="{izquierda - 4}" y="{arriba + area_h}" font-size="9" text-anchor="end" fill="#5b6b7a">0</text>',
    ]
    for i, etiqueta in enumerate(etiquetas):
        x0 = izquierda + i * grupo + (grupo - 2 * barra_w - 2) / 2
        for j, (valor, color) in enumerate(((metas[i], COLOR_META), (reales[i], COLOR_REAL))):
            if valor is None:
                continue
            h = float(Decimal(valor) / tope) * area_h
            x = x0 + j * (barra_w + 2)
            partes.append(f'<rect x="{x:.1f}" y="{arriba + area_h - h:.1f}" width="{barra_w:.1f}" height="{h:.1f}" fill="{color}">'
                          f'<title>{"Meta" if j == 0 else "Valor"} {escape(etiqueta)}: {escape(_num(valor))}</title></rect>')
            if j == 1 and n <= 12:
                partes.append(f'<text x="{x + barra_w / 2:.1f}" y="{arriba + area_h - h - 3:.1f}" font-size="9" '
                              f'text-anchor="middle" fill="#1b2733">{escape(_num(valor))}</text>')
        partes.append(f'<text x="{izquierda + i * grupo + grupo / 2:.1f}" y="{alto - abajo + 14}" font-size="9" '
                      f'text-anchor="middle" fill="#5b6b7a">{escape(etiqueta)}</text>')
    leyenda_y = alto - 4
    partes.append(f'<rect x="{izquierda}" y="{leyenda_y - 8}" width="9" height="9" fill="{COLOR_META}"/>'
                  f'<text x="{izquierda + 12}" y="{leyenda_y}" font-size="9" fill="#5b6b7a">Meta</text>'
                  f'<rect x="{izquierda + 50}" y="{leyenda_y - 8}" width="9" height="9" fill="{COLOR_REAL}"/>'
                  f'<text x="{izquierda + 62}" y="{leyenda_y}" font-size="9" fill="#5b6b7a">Valor reportado</text>')
    partes.append("</svg>")
    return mark_safe("".join(partes))


@functools.lru_cache(maxsize=32)
def semaforo(estado: str | None, etiqueta: str) -> SafeString:
    """A dot in the traffic-light colour, followed by its label (the colour is never the only sign)."""
    color = SEMAFORO_COLOR.get(estado, SEMAFORO_COLOR[None])
    return mark_safe(
        f'<span class="semaforo semaforo-{escape(estado or "sin")}"><svg width="10" height="10" viewBox="0 0 10 10" '
        f'xmlns="http://www.w3.org/2000/svg" aria-hidden="true"><circle cx="5" cy="5" r="5" fill="{color}"/></svg> '
        f'{escape(etiqueta)}</span>'
    )
