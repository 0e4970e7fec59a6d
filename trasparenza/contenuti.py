"""What the public pages show, read in a fixed number of queries: the obiettivi of a
published piano by settore with their indicatori and targets, the variazioni, the
piano's measurement rules in Italian sentences. Never a name of the staff, a matricola,
an allegato or a figure the OIV has not validated."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from indicators.engine.formatting import numero_compatto, percentuale
from indicators.models import Indicatore
from peg.models import Piano
from peg.organigramma_piano import fotografia

from . import access


@dataclass
class Settore:
    titolo: str
    responsabile: str  # as printed on the piano: an official act (docs/trasparenza.md)
    obiettivi: list = field(default_factory=list)


def obiettivi_per_settore(pubblicazione) -> list[Settore]:
    schede = (
        access.schede_pubbliche(pubblicazione)
        .select_related("settore")
        .prefetch_related(
            Prefetch("indicatori", queryset=Indicatore.objects.order_by("numero", "pk"))
        )
        .order_by("settore__codice", "settore__nome", "codice_ordinabile", "pk")
    )
    # The settori as the approved piano has them (a later reorganisation changes nothing).
    foto = fotografia(pubblicazione.piano)
    settori: dict[int, Settore] = {}
    for o in schede:
        s = foto.get(o.settore_id) or o.settore
        if o.settore_id not in settori:
            titolo = f"{s.codice} {s.nome}".strip()
            settori[o.settore_id] = Settore(titolo, s.responsabili_testo)
        settori[o.settore_id].obiettivi.append(o)
    return list(settori.values())


def target(indicatore) -> str:
    """The expected value as the piano prints it, else the number the Italian way."""
    testo = indicatore.valore_atteso_testo or numero_compatto(indicatore.valore_atteso)
    if testo and indicatore.unita_misura and not indicatore.valore_atteso_testo:
        testo = f"{testo} {indicatore.unita_misura}"
    return testo


def variazioni(pubblicazione) -> list:
    return list(
        access.variazioni_pubbliche(pubblicazione)
        .select_related("obiettivo")
        .only("quando", "motivazione", "obiettivo__codice", "obiettivo__denominazione")
        .order_by("quando", "pk")
    )


# ---------------------------------------------------------------- the sistema in words

BASE_OBIETTIVO = {
    Piano.BaseObiettivo.INDICATORI: "Il risultato di ogni obiettivo è la media dei "
    "punteggi dei suoi indicatori, ciascuno pesato con il peso scritto nella scheda.",
    Piano.BaseObiettivo.FASI: "Il risultato di ogni obiettivo è la media dello stato di "
    "avanzamento delle sue fasi, ciascuna pesata con il peso scritto nella scheda.",
}
BASE_SETTORE = {
    Piano.BaseSettore.PESO: "Il risultato di un settore è la media dei risultati dei "
    "suoi obiettivi, pesati con il peso che ciascuno ha nel settore.",
    Piano.BaseSettore.PUNTEGGIO: "Il risultato di un settore è la media dei risultati dei "
    "suoi obiettivi, pesati con il punteggio della pesatura (strategicità più complessità, "
    "per la tipologia).",
}
VALORI_MANCANTI = {
    Piano.ValoriMancanti.INCOMPLETO: "Se manca il valore raggiunto di un indicatore, il "
    "risultato dell'obiettivo resta incompleto finché il valore non è rilevato.",
    Piano.ValoriMancanti.ZERO: "Se manca il valore raggiunto di un indicatore, "
    "quell'indicatore vale zero.",
    Piano.ValoriMancanti.ESCLUDI: "Se manca il valore raggiunto di un indicatore, "
    "l'indicatore non si conta e i pesi degli altri sono riproporzionati.",
}


def sistema(piano) -> list[str]:
    """The piano's measurement rules (its SMVP fields) as sentences."""
    frasi = []
    if piano.base_obiettivo == Piano.BaseObiettivo.ENTRAMBI:
        indicatori = piano.quota_indicatori
        frasi.append(
            "Il risultato di ogni obiettivo combina indicatori e fasi: gli indicatori "
            f"contano per il {percentuale(indicatori)}, le fasi per il "
            f"{percentuale(100 - indicatori)}."
        )
    else:
        frasi.append(BASE_OBIETTIVO[piano.base_obiettivo])
    frasi.append(
        "Ogni indicatore ha un valore atteso (target) e una graduazione che dice quale "
        "punteggio, da 0 a 100, corrisponde al valore raggiunto; dove la scheda non ne "
        f"scrive una vale la regola «{piano.regola_predefinita}»."
    )
    frasi.append(BASE_SETTORE[piano.base_settore])
    frasi.append(VALORI_MANCANTI[piano.valori_mancanti])
    if piano.riproporziona_pesi:
        frasi.append("Se i pesi non sommano a 100 sono riproporzionati in modo che lo facciano.")
    else:
        frasi.append(
            "I pesi valgono come sono scritti: se non sommano a 100 la differenza è segnalata."
        )
    frasi.append(
        f"Un obiettivo si considera raggiunto dal {percentuale(piano.soglia_raggiunto)} in su."
    )
    frasi.append(
        "I punteggi sono arrotondati a due decimali (il mezzo per eccesso) e diventano "
        "definitivi quando l'Organismo indipendente di valutazione li valida."
    )
    return frasi


def peso(valore) -> str:
    return percentuale(valore) if valore is not None else ""


__all__ = ["obiettivi_per_settore", "peso", "sistema", "target", "variazioni"]
