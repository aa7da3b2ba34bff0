"""How well a figure meets its target: % achieved and the traffic light, by the indicator's
direction (`matrices.models.Sentido`). The one place of this rule: the tracking report, the
dashboard, the period's evaluation report, the entry page and the review page call it.

% achieved (logro) is a fraction where 1 means "exactly the target" and more is better,
whatever the direction:

- ascendente (more is better): actual / target.
- descendente (less is better, e.g. a rate of informality): 2 − actual / target, never below
  0. Each point above the target costs what each point below it earns, so the light's band
  means what it says for both directions: on track while the actual is within 15% of the
  target (85%–115%). The inverse, target / actual, was not chosen: its band is lopsided
  (an actual 17.6% over the target would still be on track, one 13% under it would already
  "exceed"), and it divides by zero when the rate falls to 0 (here: 200%).
- constante (a level to hold): 1 − |actual − target| / target, never below 0: 100% at the
  level, less the further away on either side; it never "exceeds".

A target of zero gives no % (nothing to divide by); the light still speaks: zero meets it,
and anything else exceeds it (ascendente) or misses it (descendente, constante).

Traffic light, from % achieved: on track (en_meta) from 85% to 115%; below (debajo, off
track) under 85%; above (encima, the target exceeded) over 115%. "Below" and "above" speak of
the % achieved, so a descending indicator whose rate is well under its target is "above".
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from matrices.models import Sentido

UMBRAL = Decimal("0.15")
EN_META, DEBAJO, ENCIMA = "en_meta", "debajo", "encima"
SEMAFORO_LABEL = {EN_META: "En meta", DEBAJO: "Por debajo", ENCIMA: "Por encima", None: "Sin datos"}
#: How the reports explain the light, once.
SEMAFORO_EXPLICACION = (
    "Semáforo según el % de logro, que sigue el sentido de cada indicador: en meta entre 85% y 115% "
    "(el valor a menos de 15% de la meta); por debajo, menos de 85%; por encima, más de 115%. "
    "Ascendente: logro = valor / meta. Descendente (menos es mejor): logro = 2 − valor / meta, así un valor "
    "menor que la meta da más de 100%. Constante: logro = 1 − |valor − meta| / meta."
)

_CERO, _UNO, _DOS = Decimal("0"), Decimal("1"), Decimal("2")


def logro(actual, meta, sentido: str = Sentido.ASCENDENTE) -> Decimal | None:
    """% achieved as a fraction (1 = the target), by `sentido`; None when the actual or the
    target is missing or the target is zero."""
    if actual is None or meta is None or meta == 0:
        return None
    razon = Decimal(actual) / Decimal(meta)
    if sentido == Sentido.DESCENDENTE:
        return max(_CERO, _DOS - razon)
    if sentido == Sentido.CONSTANTE:
        return max(_CERO, _UNO - abs(razon - _UNO))
    return razon


def semaforo(actual, meta, sentido: str = Sentido.ASCENDENTE) -> str | None:
    """'en_meta', 'debajo' or 'encima' (see the module); None without an actual or a target."""
    if actual is None or meta is None:
        return None
    if meta == 0:
        if actual == 0:
            return EN_META
        return ENCIMA if sentido == Sentido.ASCENDENTE else DEBAJO
    fraccion = logro(actual, meta, sentido)
    if fraccion < _UNO - UMBRAL:
        return DEBAJO
    if fraccion > _UNO + UMBRAL:
        return ENCIMA
    return EN_META


@dataclass(frozen=True)
class Desempeno:
    """A figure against its target: % achieved and the light."""

    logro: Decimal | None
    semaforo: str | None

    @property
    def semaforo_label(self) -> str:
        return SEMAFORO_LABEL[self.semaforo]

    @property
    def semaforo_svg(self):
        from seguimiento import charts  # drawing, not the rule: imported where it is drawn

        return charts.semaforo(self.semaforo, self.semaforo_label)

    @property
    def fuera_de_meta(self) -> bool:
        """Off track: under the band (the entity explains why and what it will do)."""
        return self.semaforo == DEBAJO


def desempeno(actual, meta, sentido: str = Sentido.ASCENDENTE) -> Desempeno:
    """% achieved and light of `actual` against `meta` for an indicator of `sentido`."""
    return Desempeno(logro(actual, meta, sentido), semaforo(actual, meta, sentido))


def sentido_nombre(sentido: str) -> str:
    """The direction's short name, as reports print it ("Descendente")."""
    return str(Sentido(sentido).label).split(":")[0]
