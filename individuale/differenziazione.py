"""The capacità di differenziare i giudizi of an evaluator, from the comportamenti
scores (0–100) of the schede he evaluates. Pure: standard library only.

The rule (docs/smvp.md): the population standard deviation σ of those scores, in
points of the 0–100 scale; σ ≥ ``SOGLIA`` points (judgements visibly spread) gives 100,
less gives σ / SOGLIA × 100 (all the same votes: 0). Points rather than the coefficient
of variation: a spread of 10 points means the same whether the staff is rated 40 or 90
on average, and a high-rated office is not penalised for being good. Fewer than two
schede evaluated: there is nothing to differentiate (the caller excludes the component).
"""

from decimal import ROUND_HALF_UP, Decimal

SOGLIA = Decimal("10")
CENTO = Decimal("100")


def deviazione_standard(valori: list[Decimal]) -> Decimal:
    n = len(valori)
    media = sum(valori, Decimal(0)) / n
    varianza = sum(((v - media) ** 2 for v in valori), Decimal(0)) / n
    return varianza.sqrt()


def differenziazione(valori: list[Decimal], soglia: Decimal = SOGLIA) -> Decimal | None:
    """0–100, half-up to two places; None with fewer than two values."""
    if len(valori) < 2:
        return None
    sigma = deviazione_standard([Decimal(v) for v in valori])
    punteggio = min(CENTO, sigma / soglia * CENTO)
    return punteggio.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
