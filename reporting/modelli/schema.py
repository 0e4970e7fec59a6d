"""A *modello di stampa* as data: what a print shows, in which order, under which labels.

A model is a plain dict (JSON in the database for the segreteria's copies, Python for
the built-in ones in ``predefiniti``) read into the frozen dataclasses below. Rendering
(``reporting.libri``, ``templates/reporting/pdf/``) only follows what they say: a
section the model leaves out is not printed, a column it hides has no cell, a label it
renames prints renamed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .catalogo import LIVELLI, TIPI, TipoSezione

ORIENTAMENTI = {"orizzontale": "A4 orizzontale", "verticale": "A4 verticale"}
FORMATI_CSS = {"orizzontale": "A4 landscape", "verticale": "A4 portrait"}  # @page size
ORDINI = {"codice": "Codice in ordine naturale", "documento": "Ordine del documento"}
INTERRUZIONI = {"pagina": "Ogni scheda su una nuova pagina", "continua": "Schede di seguito"}
SE_VUOTA = {
    "ometti": "Non stampare la sezione",
    "righe_vuote": "Stampare righe vuote",
    "trattino": "Stampare «—»",
}


class ModelloNonValido(ValueError):
    """A model's data that cannot be printed: the message says what and where, in Italian."""


@dataclass(frozen=True)
class Colonna:
    chiave: str
    etichetta: str
    visibile: bool = True
    personale: bool = False
    risultato: bool = False


@dataclass(frozen=True)
class Sezione:
    tipo: str
    etichetta: str
    visibile: bool = True
    se_vuota: str = "ometti"
    righe: int = 0  # with se_vuota "righe_vuote": the rows printed at least (Chiavari: 6)
    nuova_pagina: bool = False
    colonne: tuple[Colonna, ...] = ()

    @property
    def definizione(self) -> TipoSezione:
        return TIPI[self.tipo]

    @property
    def template(self) -> str:
        return self.definizione.template

    @property
    def personale(self) -> bool:
        return self.definizione.personale

    @property
    def risultato(self) -> bool:
        return self.definizione.risultato

    @property
    def col(self) -> dict[str, str]:
        """The visible columns' labels by key: ``{% if "peso" in sez.col %}{{ sez.col.peso }}``."""
        return {c.chiave: c.etichetta for c in self.colonne if c.visibile}

    @property
    def n_colonne(self) -> int:
        return sum(1 for c in self.colonne if c.visibile)

    def vuota(self, oggetto) -> bool:
        return self.definizione.vuota(oggetto)


@dataclass(frozen=True)
class Modello:
    base: str
    nome: str
    orientamento: str = "orizzontale"
    ordine: str = "codice"
    interruzione: str = "pagina"
    numeri_pagina: bool = True
    intestazione_pagina: bool = False  # the comune's name (and logo) on top of every page
    data_stampa: bool = False
    sezioni: tuple[Sezione, ...] = ()  # every level, in order; the level is the tipo's
    logo: str = ""  # data: URI; empty = the comune's
    pubblicabile: bool = False
    dati: dict = field(default_factory=dict, compare=False, repr=False)

    def livello(self, livello: str) -> list[Sezione]:
        return [s for s in self.sezioni if s.visibile and s.definizione.livello == livello]

    @property
    def libro(self) -> list[Sezione]:
        return self.livello("libro")

    @property
    def settore(self) -> list[Sezione]:
        return self.livello("settore")

    @property
    def scheda(self) -> list[Sezione]:
        return self.livello("scheda")

    def ha(self, tipo: str) -> bool:
        return any(s.tipo == tipo and s.visibile for s in self.sezioni)

    @property
    def fogli_stile(self) -> list[str]:
        """The base document's own CSS (``sezioni/<base>/stile.css``), inside base.html."""
        return [f"reporting/pdf/sezioni/{self.base}/stile.css"]

    @property
    def pagina_css(self) -> str:
        return FORMATI_CSS[self.orientamento]

    def variante_pubblicabile(self) -> Modello:
        """The same document without personal data (staff names, matricole, categorie):
        the sections and columns flagged ``personale`` are left out."""
        sezioni = tuple(
            replace(s, colonne=tuple(c for c in s.colonne if not c.personale))
            for s in self.sezioni
            if not s.personale
        )
        return replace(self, sezioni=sezioni, pubblicabile=True)

    def variante_senza_risultati(self) -> Modello:
        """The same document without what the rendicontazione adds (values reached,
        actual dates, progress, scores, the validation): the plan only. The published
        piano prints so, whatever the state of its schede: results become public with
        the relazione, once the OIV has validated them."""
        sezioni, tolta = [], False
        for s in self.sezioni:
            if s.risultato:
                tolta = tolta or s.visibile
                continue
            colonne = tuple(c for c in s.colonne if not c.risultato)
            # A page break after sections now gone would leave their page nearly empty
            # (Cinisello: the header alone, then FASI on a new page).
            nuova_pagina = s.nuova_pagina and not tolta
            sezioni.append(replace(s, colonne=colonne, nuova_pagina=nuova_pagina))
            tolta = tolta and not s.visibile
        return replace(self, sezioni=tuple(sezioni))


def leggi(dati: dict) -> Modello:
    """The model described by ``dati``; ModelloNonValido says what is wrong, whatever the
    data (values of the wrong type included: stored JSON is not trusted)."""
    try:
        return _leggi(dati)
    except (TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, ModelloNonValido):
            raise
        raise ModelloNonValido(
            "Il modello di stampa non è leggibile: un suo valore non è del tipo atteso."
        ) from exc


def _leggi(dati: dict) -> Modello:
    if not isinstance(dati, dict):
        raise ModelloNonValido("Il modello di stampa non è leggibile.")
    base = dati.get("base", "")
    nome = str(dati.get("nome", "")).strip()
    if not nome:
        raise ModelloNonValido("Il modello di stampa deve avere un nome.")
    opzioni = {
        "orientamento": (ORIENTAMENTI, "orientamento della pagina"),
        "ordine": (ORDINI, "ordine delle schede"),
        "interruzione": (INTERRUZIONI, "interruzione tra le schede"),
    }
    valori = {}
    for chiave, (ammessi, descrizione) in opzioni.items():
        valore = dati.get(chiave, Modello.__dataclass_fields__[chiave].default)
        if valore not in ammessi:
            raise ModelloNonValido(f"Valore non ammesso per {descrizione}: «{valore}».")
        valori[chiave] = valore
    sezioni = []
    for posizione, voce in enumerate(dati.get("sezioni", []), 1):
        sezioni.append(_sezione(voce, posizione))
    return Modello(
        base=base,
        nome=nome,
        numeri_pagina=bool(dati.get("numeri_pagina", True)),
        intestazione_pagina=bool(dati.get("intestazione_pagina", False)),
        data_stampa=bool(dati.get("data_stampa", False)),
        logo=str(dati.get("logo", "") or ""),
        sezioni=tuple(sezioni),
        dati=dati,
        **valori,
    )


def _sezione(voce: dict, posizione: int) -> Sezione:
    tipo = voce.get("tipo") if isinstance(voce, dict) else None
    if tipo not in TIPI:
        raise ModelloNonValido(f"Sezione {posizione}: tipo di sezione sconosciuto «{tipo}».")
    definizione = TIPI[tipo]
    se_vuota = voce.get("se_vuota", "ometti")
    if se_vuota not in SE_VUOTA:
        raise ModelloNonValido(f"Sezione {posizione}: valore non ammesso «{se_vuota}».")
    scelte = voce.get("colonne", {}) or {}
    colonne = []
    for c in definizione.colonne:
        scelta = scelte.get(c.chiave, {})
        colonne.append(
            Colonna(
                chiave=c.chiave,
                etichetta=str(scelta.get("etichetta", c.etichetta)),
                visibile=bool(scelta.get("visibile", True)),
                personale=c.personale,
                risultato=c.risultato,
            )
        )
    return Sezione(
        tipo=tipo,
        etichetta=str(voce.get("etichetta", definizione.etichetta)),
        visibile=bool(voce.get("visibile", True)),
        se_vuota=se_vuota,
        righe=int(voce.get("righe", 0) or 0),
        nuova_pagina=bool(voce.get("nuova_pagina", False)),
        colonne=tuple(colonne),
    )


__all__ = ["LIVELLI", "Colonna", "Modello", "ModelloNonValido", "Sezione", "leggi"]
