"""Weight sums of a group (indicatori or fasi of an obiettivo, obiettivi of a settore).

The schede print the sum under each table with "OK" when it is 100,00%.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .formatting import CENTO, ZERO, arrotonda, percentuale


@dataclass(frozen=True)
class VerificaPesi:
    totale: Decimal
    elementi: int
    senza_peso: int

    @property
    def ok(self) -> bool:
        return self.elementi > 0 and self.senza_peso == 0 and self.totale == CENTO

    @property
    def scarto(self) -> Decimal:
        """Positive when weights are missing, negative when they exceed 100."""
        return CENTO - self.totale

    @property
    def etichetta(self) -> str:
        """ "100,00% OK", or what is wrong, in Italian."""
        if self.elementi == 0:
            return "nessun elemento"
        if self.senza_peso == self.elementi:
            return "pesi non indicati"
        testo = percentuale(self.totale)
        if self.ok:
            return f"{testo} OK"
        parti = []
        if self.scarto > ZERO:
            parti.append(f"mancano {percentuale(self.scarto)}")
        elif self.scarto < ZERO:
            parti.append(f"eccedono {percentuale(-self.scarto)}")
        if self.senza_peso:
            parti.append(f"{self.senza_peso} senza peso")
        return f"{testo} ({', '.join(parti)})"


def verifica_pesi(pesi: Iterable[Decimal | None]) -> VerificaPesi:
    """Sum of the weights of a group and whether it makes 100,00%."""
    pesi = list(pesi)
    presenti = [Decimal(p) for p in pesi if p is not None]
    return VerificaPesi(
        totale=arrotonda(sum(presenti, ZERO)),
        elementi=len(pesi),
        senza_peso=len(pesi) - len(presenti),
    )


# How the refusals name a group: «I pesi degli indicatori …», «1 fase è senza peso».
GRUPPI = {
    "indicatori": ("degli indicatori", "indicatore", "indicatori"),
    "fasi": ("delle fasi", "fase", "fasi"),
}


def errore_pesi(verifica: VerificaPesi, gruppo: str) -> str | None:
    """Why a group's weights cannot stand on an approved scheda, or None: they total
    100,00%, or none is given (the piano's rule then: equal weights), or there is no
    element. «I pesi degli indicatori sommano 90,00%: mancano 10,00%.»"""
    if verifica.elementi == 0 or verifica.senza_peso == verifica.elementi or verifica.ok:
        return None
    di, uno, molti = GRUPPI[gruppo]
    testo = f"I pesi {di} sommano {percentuale(verifica.totale)}"
    if verifica.scarto > ZERO:
        testo += f": mancano {percentuale(verifica.scarto)}"
    elif verifica.scarto < ZERO:
        testo += f": eccedono di {percentuale(-verifica.scarto)}"
    if n := verifica.senza_peso:
        testo += f"; {n} {uno} è senza peso" if n == 1 else f"; {n} {molti} sono senza peso"
    return testo + "."
