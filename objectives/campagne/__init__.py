"""Campagne di rilevazione: when values may be entered, what is missing, the e-mails,
the life of a round. The views and the daily command call only these functions.

- ``finestre``: whether a momento is open for a settore today, and why not;
- ``mancanti``: the values still missing, per settore; the rounds on the home pages;
- ``avvisi``: the e-mails to the responsabili (each sending an ``Avviso``);
- ``ciclo``: open, warn, remind, close, reopen;
- ``situazione``: a round and the rounds of a piano as their pages show them.
"""

from .avvisi import Invio, avvisa_riapertura, invia, testo_email
from .ciclo import (
    apri,
    avvisa_scadenza,
    avvisi_del_giorno,
    chiudi,
    preavviso_dovuto,
    riapri,
    riapri_settore,
    sollecita,
)
from .finestre import (
    ETICHETTE,
    MOMENTI,
    StatoMomento,
    aperta,
    in_finestra,
    momenti_aperti,
    momenti_chiusi,
    riapertura,
    stato_generale,
    stato_momenti,
    stato_settore,
)
from .mancanti import (
    InCorso,
    Mancante,
    Ritardo,
    del_responsabile,
    in_corso,
    mancanti,
    settori_della_campagna,
)
from .situazione import RigaSettore, Situazione, anno_proposto, del_piano, situazione

__all__ = [
    "ETICHETTE",
    "RigaSettore",
    "Situazione",
    "anno_proposto",
    "del_piano",
    "situazione",
    "MOMENTI",
    "InCorso",
    "Invio",
    "Mancante",
    "Ritardo",
    "StatoMomento",
    "aperta",
    "apri",
    "avvisa_scadenza",
    "avvisi_del_giorno",
    "chiudi",
    "del_responsabile",
    "in_corso",
    "in_finestra",
    "invia",
    "mancanti",
    "momenti_aperti",
    "momenti_chiusi",
    "preavviso_dovuto",
    "riapertura",
    "riapri",
    "riapri_settore",
    "avvisa_riapertura",
    "settori_della_campagna",
    "sollecita",
    "stato_generale",
    "stato_momenti",
    "stato_settore",
    "testo_email",
]
