"""*Piano degli obiettivi di settore (Soresina)*: the Comune di Soresina's PDO 2017 (seed 002).

One book per settore: the title lines (comune, provincia, the settore's area, PIANO DEGLI
OBIETTIVI and the year), the settore's header table (SETTORE, RESPONSABILE DI PO,
SERVIZI DEL SETTORE, ADDETTO: the addetti are personal data, left out of the publishable
variant), then each obiettivo after the other: its description, origin, how it is
carried out, the servizi involved, the resources as one line, the indicators' table.

The same model serves plan and rendicontazione (the document is one): VALORI RISULTATO
and PERCENTUALE REALIZZAZIONE fill in once values exist. The document prints each
indicator's deadline ("31.12.2017", kept in ``scadenza_testo``) in VALORI RISULTATO: so
does the print, with the final value under it once recorded.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

from indicators.engine.formatting import euro
from objectives.models import RisorsaFinanziaria

from ..catalogo import TipoSezione, colonne, registra
from .comuni import nascoste

T = "reporting/pdf/sezioni/soresina/"

registra(
    TipoSezione(
        "soresina_titolo",
        "PIANO DEGLI OBIETTIVI",
        T + "titolo.html",
        "settore",
        descrizione="Comune, provincia, area del settore e titolo del piano con l'anno.",
    ),
    TipoSezione(
        "soresina_settore",
        "Intestazione del settore",
        T + "settore.html",
        "settore",
        colonne=colonne(
            ("settore", "SETTORE"),
            ("responsabile", "RESPONSABILE DI PO"),
            ("servizi", "SERVIZI DEL SETTORE"),
            ("addetti", "ADDETTO", True),
        ),
        descrizione="Settore, responsabile, servizi del settore e addetti numerati.",
    ),
    TipoSezione(
        "soresina_obiettivo",
        "Obiettivo",
        T + "obiettivo.html",
        colonne=colonne(
            ("descrizione", "DESCRIZIONE DELL'OBIETTIVO DA REALIZZARE"),
            ("origine", "RIFERIMENTI D'ORIGINE"),
            ("modalita", "MODALITÀ DI REALIZZAZIONE"),
            ("servizi", "SERVIZI COINVOLTI"),
            ("risorse", "RISORSE STANZIATE"),
        ),
        descrizione="Descrizione con il codice, riferimenti d'origine, modalità di "
        "realizzazione, servizi coinvolti, risorse stanziate su una riga (senza totale).",
    ),
    TipoSezione(
        "soresina_indicatori",
        "Indicatori dell'obiettivo",
        T + "indicatori.html",
        colonne=colonne(
            ("descrizione", "DESCRIZIONE DEGLI INDICATORI DELL'OBIETTIVO"),
            ("obiettivo", "VALORI OBIETTIVO"),
            ("risultato", "VALORI RISULTATO"),
            ("percentuale", "PERCENTUALE REALIZZAZIONE"),
            risultati={"risultato", "percentuale"},
        ),
        vuota=lambda o: not o.lista_indicatori,
        descrizione="Indicatori con valori obiettivo, scadenza e valore finale, "
        "percentuale di realizzazione.",
    ),
)

MODELLO = {
    "base": "soresina",
    "nome": "Piano degli obiettivi di settore (Soresina)",
    "orientamento": "verticale",
    "ordine": "documento",
    "interruzione": "continua",
    "numeri_pagina": False,  # the document has none; a copy can turn them on
    "sezioni": [
        *nascoste("copertina", "indice", "riepilogo"),
        {"tipo": "soresina_titolo"},
        {"tipo": "soresina_settore"},
        {"tipo": "soresina_obiettivo"},
        {"tipo": "soresina_indicatori", "se_vuota": "righe_vuote", "righe": 1},
        *nascoste("validazione", "gantt"),
    ],
}

# "CAP. 448902 € 23.000,00", "163000 € 1.000", "CAP. 1234/2 € 50": a capitolo (its articolo
# aside) and its amount in a printed line.
_VOCE = re.compile(r"(\d+)(?:/\w+)?\s*€\s*(\d[\d.]*(?:,\d+)?)")
_QUOTA_PARTE = re.compile(r"quota\s+parte", re.IGNORECASE)


def stanziate(o) -> list:
    """The resources RISORSE STANZIATE lists: the expected spending, in order."""
    return [
        r
        for r in o.lista_risorse
        if r.tipo == RisorsaFinanziaria.Tipo.SPESA
        and r.natura == RisorsaFinanziaria.Natura.PREVISTA
    ]


def voce(r) -> str:
    """One resource the document's way: "CAP. 443500 € 270.000,00 QUOTA PARTE"."""
    capitolo = f"{r.capitolo}/{r.articolo}" if r.capitolo and r.articolo else r.capitolo
    parti = (
        f"CAP. {capitolo}" if capitolo else "",
        r.descrizione,
        euro(r.importo),
        "QUOTA PARTE" if r.quota_parte else "",
    )
    return " ".join(p for p in parti if p)


def risorse_stanziate(o) -> str:
    """RISORSE STANZIATE on one line, never a total (a "quota parte" or a capitolo shared
    with other obiettivi is not the obiettivo's whole).

    The line as printed (``risorse_finanziarie_testo``) while it still says exactly the
    resources' capitoli, amounts and quote parti; once they change, the line is written
    from them."""
    righe = stanziate(o)
    stampata = (o.risorse_finanziarie_testo or "").strip()
    if stampata and _voci_del_testo(stampata) == Counter(_chiave(r) for r in righe):
        return stampata
    return "; ".join(voce(r) for r in righe)


def _chiave(r) -> tuple:
    return (r.capitolo, r.importo, r.quota_parte)


def _voci_del_testo(testo: str) -> Counter | None:
    """(capitolo, amount, quota parte) of each resource a printed line names."""
    trovate = list(_VOCE.finditer(testo))
    voci: Counter = Counter()
    for k, m in enumerate(trovate):
        fine = trovate[k + 1].start() if k + 1 < len(trovate) else len(testo)
        try:
            importo = Decimal(m.group(2).replace(".", "").replace(",", ".")).quantize(
                Decimal("0.01")
            )
        except InvalidOperation:
            return None
        voci[(m.group(1), importo, bool(_QUOTA_PARTE.search(testo, m.end(), fine)))] += 1
    return voci
