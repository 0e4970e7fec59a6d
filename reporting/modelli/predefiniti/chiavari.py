"""*Scheda obiettivo PDO (Chiavari)*: the Comune di Chiavari's PDO 2019-21 schede (seed 001).

The same scheda serves plan and rendicontazione: the RAGGIUNTO column of the piano
operativo fills in once values exist.
"""

from ..catalogo import TipoSezione, colonne, registra
from .comuni import nascoste

T = "reporting/pdf/sezioni/chiavari/"

registra(
    TipoSezione(
        "chiavari_intestazione",
        "Intestazione della scheda",
        T + "intestazione.html",
        colonne=colonne(
            ("anni", "ANNI"),  # a pluriennale scheda: "ANNI 2019-2020"
            ("anno", "ANNO"),  # an annual one: "ANNO 2019"
            ("codice", "Codice obiettivo"),
            ("dup", "Riferimento DUP"),
            ("denominazione", "Denominazione"),
            ("unita_responsabile", "Unità organizzativa responsabile"),
            ("responsabile", "Responsabile"),
            ("unita_coinvolte", "Unità organizzative coinvolte"),
            ("durata", "Obiettivo"),
        ),
    ),
    TipoSezione(
        "chiavari_risultato",
        "Risultato atteso",
        T + "risultato.html",
        vuota=lambda o: not (o.risultato_atteso or o.descrizione),
    ),
    TipoSezione("chiavari_ambiti", "Ambiti della performance organizzativa", T + "ambiti.html"),
    TipoSezione(
        "chiavari_pesatura",
        "Pesatura",
        T + "pesatura.html",
        colonne=colonne(
            ("strategicita", "Strategicità"),
            ("complessita", "Complessità"),
            ("tipologia", "Tipologia"),
            ("punteggio", "Punteggio"),
        ),
        descrizione="(Strategicità + Complessità) x Tipologia = Punteggio, su una riga.",
    ),
    TipoSezione(
        "chiavari_indicatori",
        "Indicatori",
        T + "indicatori.html",
        colonne=colonne(
            ("numero", "N°"),
            ("peso", "PESO"),
            ("denominazione", "DENOMINAZIONE"),
            ("formula", "FORMULA DI CALCOLO"),
            ("intermedio_atteso", "ATTESO"),
            ("intermedio_data", "ALLA DATA"),
            ("finale_atteso", "ATTESO"),
            ("finale_data", "ALLA DATA"),
            ("graduazione", "GRADUAZIONE CONSEGUIMENTO"),
        ),
        vuota=lambda o: not o.lista_indicatori,
    ),
    TipoSezione("chiavari_note", "Note:", T + "note.html", vuota=lambda o: not o.note),
    TipoSezione(
        "chiavari_piano_operativo",
        "Piano operativo",
        T + "piano_operativo.html",
        colonne=colonne(
            ("numero", "N°"),
            ("peso", "PESO"),
            ("attivita", "SUB-OBIETTIVO / ATTIVITÀ"),
            ("tempi", "TEMPI (I/F)"),
            ("indicatori", "INDICATORI"),
            ("livello", "LIVELLO ATTESO"),
            ("graduazione", "GRADUAZIONE CONSEGUIMENTO"),
            ("raggiunto", "RAGGIUNTO"),
            risultati={"raggiunto"},
        ),
        vuota=lambda o: not o.lista_fasi,
    ),
    TipoSezione(
        "risorse_finanziarie",
        "Risorse finanziarie",
        T + "risorse_finanziarie.html",
        colonne=colonne(
            ("capitolo", "CAPITOLO"),
            ("articolo", "ART."),
            ("descrizione", "DESCRIZIONE"),
            ("importo", "IMPORTO"),
        ),
        vuota=lambda o: not o.lista_risorse,
    ),
)

MODELLO = {
    "base": "chiavari",
    "nome": "Scheda obiettivo PDO (Chiavari)",
    "orientamento": "orizzontale",
    "ordine": "documento",
    "interruzione": "pagina",
    "sezioni": [
        *nascoste("copertina", "indice", "riepilogo"),
        {"tipo": "chiavari_intestazione"},
        {"tipo": "chiavari_risultato", "se_vuota": "righe_vuote"},
        {"tipo": "chiavari_ambiti"},
        {"tipo": "chiavari_pesatura"},
        {"tipo": "chiavari_indicatori", "se_vuota": "righe_vuote", "righe": 6},
        {"tipo": "chiavari_note", "se_vuota": "righe_vuote"},  # "Note:" even when empty
        {"tipo": "chiavari_piano_operativo", "se_vuota": "righe_vuote", "righe": 6},
        {"tipo": "risorse_finanziarie", "visibile": False},
        *nascoste("validazione", "gantt"),
    ],
}
