"""*Scheda PEG di rendicontazione (Cinisello Balsamo)*: the Comune di Cinisello Balsamo's
PEG 2019 rendicontazione (seed 004).

Once per settore, the report's title and its "Parametri selezionati". Per obiettivo, two
parts: the scheda's header, Tipo di Obiettivo, "Collegato a" (the DUP chain), STATO DI
ATTUAZIONE AL 31 DICEMBRE and GANTT; then, on a new page, FASI and INDICATORI. The header
repeats on top of every page of its obiettivo, as in the document (a running header:
``sezioni/cinisello/stile.css``). The plan prints with the same model before values exist.
"""

from ..catalogo import TipoSezione, colonne, registra
from .comuni import nascoste

T = "reporting/pdf/sezioni/cinisello/"

registra(
    TipoSezione(
        "cinisello_parametri",
        "SCHEDA PEG DI RENDICONTAZIONE",
        T + "parametri.html",
        "settore",
        colonne=colonne(
            ("parametri", "Parametri selezionati:"),
            ("vista", "Vista"),
            ("livello", "Livello"),
            ("centro", "Centro di Responsabilità"),
        ),
        descrizione="Titolo della stampa e parametri: vista del DUP, livello, centro di "
        "responsabilità.",
    ),
    TipoSezione(
        "cinisello_intestazione",
        "Intestazione della scheda",
        T + "intestazione.html",
        colonne=colonne(
            ("codice", "OBIETTIVO DI PEG"),
            ("area_tematica", "Area Tematica"),
            ("assessorato", "Assessorato"),
            ("direzione", "Direzione"),
            ("direttore", "Direttore"),
            ("centro", "Centro di responsabilità"),
            ("responsabile", "Responsabile"),
        ),
        descrizione="Ripetuta in cima a ogni pagina dell'obiettivo.",
    ),
    TipoSezione("cinisello_tipo", "Tipo di Obiettivo", T + "tipo.html"),
    TipoSezione(
        "cinisello_collegamenti",
        "Collegato a",
        T + "collegamenti.html",
        colonne=colonne(
            ("mandato", "OBIETTIVO DI MANDATO"),
            ("missione", "OBIETTIVO DI MISSIONE"),
            ("programma", "OBIETTIVO DI PROGRAMMA"),
        ),
        vuota=lambda o: not o.nodi,
        descrizione="Gli obiettivi del DUP a cui l'obiettivo è collegato.",
    ),
    TipoSezione(
        "cinisello_stato_attuazione",
        "STATO DI ATTUAZIONE AL 31 DICEMBRE",
        T + "stato_attuazione.html",
        vuota=lambda o: not o.stato_attuazione,
        risultato=True,
    ),
    TipoSezione(
        "cinisello_fasi",
        "FASI",
        T + "fasi.html",
        colonne=colonne(
            ("descrizione", "Descrizione"),
            ("peso", "Peso"),
            ("avanzamento", "Avanz."),
            ("inizio_previsto", "Inizio Previsto"),
            ("fine_prevista", "Fine Prevista"),
            ("inizio_effettivo", "Inizio Effettivo"),
            ("fine_effettiva", "Fine Effettiva"),
            ("responsabile", "Responsabile", True),
            ("centro", "Centro di Responsabilità"),
            ("note", "Note"),
            risultati={"avanzamento", "inizio_effettivo", "fine_effettiva", "note"},
        ),
        vuota=lambda o: not o.lista_fasi,
    ),
    TipoSezione(
        "cinisello_indicatori",
        "INDICATORI",
        T + "indicatori.html",
        colonne=colonne(
            ("descrizione", "Descrizione"),
            ("tipo", "Tipo"),
            ("atteso", "Valore Atteso"),
            ("raggiunto", "Valore Raggiunto"),
            # {anno}: the scheda's year minus one, minus two.
            ("raggiunto_1", "Valore Raggiunto {anno}"),
            ("raggiunto_2", "Valore Raggiunto {anno}"),
            ("note", "Note"),
            risultati={"raggiunto", "note"},
        ),
        vuota=lambda o: not o.lista_indicatori,
        descrizione="Le colonne dei due anni precedenti si stampano sempre, anche vuote.",
    ),
)

MODELLO = {
    "base": "cinisello",
    "nome": "Scheda PEG di rendicontazione (Cinisello Balsamo)",
    "orientamento": "orizzontale",
    "ordine": "documento",
    "interruzione": "pagina",
    "numeri_pagina": False,
    "sezioni": [
        *nascoste("copertina", "indice", "riepilogo"),
        {"tipo": "cinisello_parametri"},
        {"tipo": "cinisello_intestazione"},
        {"tipo": "cinisello_tipo"},
        {"tipo": "cinisello_collegamenti"},
        {"tipo": "cinisello_stato_attuazione"},
        {"tipo": "gantt", "etichetta": "GANTT"},
        {"tipo": "cinisello_fasi", "nuova_pagina": True},
        {"tipo": "cinisello_indicatori"},
        *nascoste("validazione"),
    ],
}
