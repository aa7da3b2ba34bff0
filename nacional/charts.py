"""The national view's charts, drawn on the server as SVG (no JavaScript, no network; WeasyPrint
draws the same markup in the PDF): regions compared on one catalogue indicator, and the trend
of each entity over the years. Colours and number format are seguimiento's."""
from __future__ import annotations

from decimal import Decimal
from typing import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from seguimiento.charts import COLOR_META, COLOR_REAL, _num

#: One colour per entity in a trend chart (cycled), told apart by a marker shape as well.
SERIES = ("#1f6f8b", "#c2571a", "#2e7d32", "#6a3d9a", "#b8860b", "#8b1e3f", "#3b5b92", "#4d7c0f")
_MARCAS = ("circle", "square", "diamond")


def _tope(valores) -> Decimal:
    return max([Decimal(v) for v in valores if v is not None] or [Decimal("1")]) or Decimal("1")


def _titulo(texto: str, limite: int = 80) -> str:
    return escape(texto if len(texto) <= limite else texto[:limite - 2] + "…")


def barras_regiones(titulo: str, regiones: Sequence[str], metas: Sequence, valores: Sequence, *, ancho: int = 560) -> SafeString:
    """Horizontal bars, one pair per region: the target (grey) over the value (blue), the value
    written at the bar's end. A region without a value shows «sin dato»."""
    fila_h, izquierda, arriba = 30, 150, 24
    alto = arriba + fila_h * max(1, len(regiones)) + 26
    area = ancho - izquierda - 60
    tope = _tope([*metas, *valores])
    partes = [f'<svg class="grafico grafico-regiones" role="img" aria-label="{escape(titulo)}" width="{ancho}" height="{alto}" '
              f'viewBox="0 0 {ancho} {alto}" xmlns="http://www.w3.org/2000/svg">',
              f'<text x="0" y="14" font-size="11" font-weight="bold" fill="#1b2733">{_titulo(titulo)}</text>']
    for i, region in enumerate(regiones):
        y = arriba + i * fila_h
        partes.append(f'<text x="{izquierda - 6}" y="{y + 17}" font-size="10" text-anchor="end" fill="#1b2733">'
                      f'{_titulo(region, 26)}</text>')
        for j, (cifra, color, alto_barra) in enumerate(((metas[i], COLOR_META, 8), (valores[i], COLOR_REAL, 12))):
            yb = y + (2 if j == 0 else 11)
            if cifra is None:
                if j == 1:
                    partes.append(f'<text x="{izquierda + 2}" y="{yb + 10}" font-size="9" fill="#5b6b7a">sin dato</text>')
                continue
            w = float(Decimal(cifra) / tope) * area
            nombre = "Meta" if j == 0 else "Valor"
            partes.append(f'<rect x="{izquierda}" y="{yb}" width="{w:.1f}" height="{alto_barra}" fill="{color}">'
                          f'<title>{nombre} {escape(region)}: {escape(_num(cifra))}</title></rect>')
            if j == 1:
                partes.append(f'<text x="{izquierda + w + 4:.1f}" y="{yb + 10}" font-size="9" fill="#1b2733">{escape(_num(cifra))}</text>')
    ly = alto - 8
    partes.append(f'<rect x="{izquierda}" y="{ly - 8}" width="9" height="9" fill="{COLOR_META}"/>'
                  f'<text x="{izquierda + 12}" y="{ly}" font-size="9" fill="#5b6b7a">Meta</text>'
                  f'<rect x="{izquierda + 50}" y="{ly - 8}" width="9" height="9" fill="{COLOR_REAL}"/>'
                  f'<text x="{izquierda + 62}" y="{ly}" font-size="9" fill="#5b6b7a">Valor reportado</text></svg>')
    return mark_safe("".join(partes))


def _marca(forma: str, x: float, y: float, color: str, relleno: bool) -> str:
    fill = color if relleno else "#ffffff"
    if forma == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{fill}" stroke="{color}" stroke-width="1.5"/>'
    if forma == "diamond":
        return (f'<polygon points="{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y:.1f} {x:.1f},{y + 4.5:.1f} {x - 4.5:.1f},{y:.1f}" '
                f'fill="{fill}" stroke="{color}" stroke-width="1.5"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{fill}" stroke="{color}" stroke-width="1.5"/>'


def lineas(titulo: str, anios: Sequence[int], series: Sequence[tuple[str, Sequence, Sequence]], *, ancho: int = 560,
           alto: int = 240) -> SafeString:
    """A line per entity over the years: the value as a solid line with filled markers, the
    target as a dashed line with hollow ones; a missing year breaks the line."""
    izquierda, derecha, arriba = 44, 12, 24
    leyenda_h = 16 * len(series) + 8
    area_w, area_h = ancho - izquierda - derecha, alto - arriba - 24
    total_h = alto + leyenda_h
    tope = _tope([v for _, vals, metas in series for v in [*vals, *metas]])
    n = max(1, len(anios) - 1)
    x_de = {a: izquierda + (area_w * i / n if len(anios) > 1 else area_w / 2) for i, a in enumerate(anios)}

    def y_de(v) -> float:
        return arriba + area_h - float(Decimal(v) / tope) * area_h

    partes = [f'<svg class="grafico grafico-tendencias" role="img" aria-label="{escape(titulo)}" width="{ancho}" '
              f'height="{total_h}" viewBox="0 0 {ancho} {total_h}" xmlns="http://www.w3.org/2000/svg">',
              f'<text x="0" y="14" font-size="11" font-weight="bold" fill="#1b2733">{_titulo(titulo)}</text>',
              f'<line x1="{izquierda}" y1="{arriba + area_h}" x2="{ancho - derecha}" y2="{arriba + area_h}" stroke="#a6b3c0"/>',
              f'<text x="{izquierda - 4}" y="{arriba + 8}" font-size="9" text-anchor="end" fill="#5b6b7a">{escape(_num(tope))}</text>',
              f'<text x="{izquierda - 4}" y="{arriba + area_h}" font-size="9" text-anchor="end" fill="#5b6b7a">0</text>']
    for a in anios:
        partes.append(f'<text x="{x_de[a]:.1f}" y="{arriba + area_h + 14}" font-size="9" text-anchor="middle" fill="#5b6b7a">{a}</text>')
    for k, (nombre, valores, metas) in enumerate(series):
        color, forma = SERIES[k % len(SERIES)], _MARCAS[k % len(_MARCAS)]
        for cifras, relleno, guiones in ((metas, False, ' stroke-dasharray="4 3"'), (valores, True, "")):
            tramo = []
            for a, v in zip(anios, cifras):
                if v is None:
                    if len(tramo) > 1:
                        partes.append(f'<polyline points="{" ".join(tramo)}" fill="none" stroke="{color}" stroke-width="1.6"{guiones}/>')
                    tramo = []
                    continue
                tramo.append(f"{x_de[a]:.1f},{y_de(v):.1f}")
            if len(tramo) > 1:
                partes.append(f'<polyline points="{" ".join(tramo)}" fill="none" stroke="{color}" stroke-width="1.6"{guiones}/>')
            for a, v in zip(anios, cifras):
                if v is not None:
                    que = "Valor" if relleno else "Meta"
                    partes.append(f'<g>{_marca(forma, x_de[a], y_de(v), color, relleno)}'
                                  f'<title>{que} {escape(nombre)} {a}: {escape(_num(v))}</title></g>')
        ly = alto + 8 + 16 * k
        partes.append(f'{_marca(forma, izquierda + 4, ly - 3, color, True)}'
                      f'<text x="{izquierda + 14}" y="{ly}" font-size="9" fill="#1b2733">{escape(nombre)}: valor (línea continua), '
                      f'meta (línea discontinua)</text>')
    partes.append("</svg>")
    return mark_safe("".join(partes))
