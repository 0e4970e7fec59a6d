"""The PIAO's cross-cutting themes, which the segreteria tags obiettivi with, and the
ambiti of art. 8 D.Lgs 150/2009, which are not tags: every scheda already carries them
(``Obiettivo.ambiti``, chosen on its planning page: objectives.AmbitoPerformance 1-8 are
lettere a-h), and the document reads them from there, so the rule has one owner. A
fixed list in code (a theme is a rule of law, not the comune's choice); the keys are
stored, so never rename one.

Sources:
- art. 8 c. 1 D.Lgs 150/2009, lettere a)-h): the ambiti della performance organizzativa;
- art. 6 c. 2 DL 80/2021 (the PIAO's contents) and the Piano tipo of DM 30 giugno 2022
  n. 132 (sottosezioni 2.1-2.3): trasparenza e anticorruzione (lett. d), semplificazione
  e reingegnerizzazione delle procedure (lett. e), piena accessibilità fisica e digitale
  (lett. f), parità di genere (lett. g), and the digitalizzazione the Piano tipo asks
  the performance sottosezione to plan.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tema:
    chiave: str
    etichetta: str
    fonte: str
    trasversale: bool  # a PIAO theme (True) or an ambito of art. 8 (False)


TEMI_PIAO = (
    Tema("digitalizzazione", "Digitalizzazione", "DM 132/2022, Piano tipo, 2.2", True),
    Tema(
        "pari_opportunita",
        "Pari opportunità ed equilibrio di genere",
        "DL 80/2021 art. 6 c. 2 lett. g",
        True,
    ),
    Tema(
        "trasparenza",
        "Trasparenza e anticorruzione",
        "DL 80/2021 art. 6 c. 2 lett. d; DM 132/2022, 2.3",
        True,
    ),
    Tema(
        "semplificazione",
        "Semplificazione e reingegnerizzazione delle procedure",
        "DL 80/2021 art. 6 c. 2 lett. e",
        True,
    ),
    Tema(
        "accessibilita",
        "Piena accessibilità, fisica e digitale",
        "DL 80/2021 art. 6 c. 2 lett. f",
        True,
    ),
)

_ART8 = "D.Lgs 150/2009 art. 8 c. 1 lett. "
AMBITI_ART8 = (
    Tema("art8_a", "a) Bisogni della collettività", _ART8 + "a", False),
    Tema("art8_b", "b) Attuazione di piani e programmi", _ART8 + "b", False),
    Tema("art8_c", "c) Soddisfazione dei destinatari", _ART8 + "c", False),
    Tema("art8_d", "d) Modernizzazione dell'organizzazione e competenze", _ART8 + "d", False),
    Tema("art8_e", "e) Relazioni con i cittadini e partecipazione", _ART8 + "e", False),
    Tema("art8_f", "f) Efficienza nell'impiego delle risorse", _ART8 + "f", False),
    Tema("art8_g", "g) Qualità e quantità dei servizi", _ART8 + "g", False),
    Tema("art8_h", "h) Pari opportunità", _ART8 + "h", False),
)

# The order of the document's groups of obiettivi trasversali.
TEMI = TEMI_PIAO + AMBITI_ART8
PER_CHIAVE = {t.chiave: t for t in TEMI}
# What the segreteria tags: the PIAO's themes only.
ETICHETTABILI = {t.chiave: t for t in TEMI_PIAO}
SCELTE = [(t.chiave, t.etichetta) for t in TEMI_PIAO]


def ambiti_della_scheda(obiettivo) -> list[Tema]:
    """The scheda's own ambiti della performance organizzativa as the document groups
    them: 1-8 are art. 8's lettere a-h, the others (the comune's own, e.g. Chiavari's
    anticorruzione) by their description. ``ambiti`` prefetched."""
    temi = []
    for ambito in obiettivo.ambiti.all():
        if 1 <= ambito.numero <= len(AMBITI_ART8):
            temi.append(AMBITI_ART8[ambito.numero - 1])
        else:
            temi.append(
                Tema(f"ambito_{ambito.numero}", ambito.descrizione, "ambito della scheda", False)
            )
    return temi
