"""*Rendicontazione del piano degli obiettivi (Seregno)*: the Città di Seregno's
rendicontazione 2019 (seed 003).

The settore opens with the comune, the title and the area with its responsabile; each
obiettivo then prints the document's blocks in its order. The document prints the
INFORMAZIONI TEMPORALI, the four budget headings and NOTE even when they are empty; no
totals, no scores of its own beyond the indicatori's "% Ragg.". Before values exist
the same model prints the plan (empty Valore Raggiunto).
"""

from ..catalogo import TipoSezione, colonne, registra
from .comuni import nascoste

T = "reporting/pdf/sezioni/seregno/"


def _risorse_finanziarie_vuote(o) -> bool:
    return not o.lista_risorse


registra(
    TipoSezione(
        "seregno_settore",
        "PIANO DEGLI OBIETTIVI",
        T + "settore.html",
        "settore",
        colonne=colonne(
            ("rendicontazione", "Rendicontazione anno"),
            ("piano", "Anno"),
            ("responsabile", "Responsabile"),
        ),
        descrizione="Il comune, il titolo, l'anno e l'area con il suo responsabile.",
    ),
    TipoSezione(
        "seregno_intestazione",
        "Intestazione dell'obiettivo",
        T + "intestazione.html",
        colonne=colonne(
            ("linea", "LINEA STRATEGICA"),
            ("azione", "AZIONE STRATEGICA"),
            ("missione", "Missione D.Lgs 118/2011."),
            ("programma", "Programma D.Lgs 118/2011."),
            ("obiettivo", "OBIETTIVO OPERATIVO"),
            ("centro_di_costo", "CdC Associato"),
            ("responsabile", "RESPONSABILE"),
        ),
    ),
    TipoSezione(
        "seregno_indirizzi",
        "Indirizzi del Documento Unico di Programmazione",
        T + "testo.html",
        vuota=lambda o: not o.indirizzi_dup,
    ),
    TipoSezione(
        "seregno_definizione",
        "Definizione dell'Obiettivo Operativo",
        T + "definizione.html",
        colonne=colonne(("risultato", "RISULTATO ATTESO")),
        vuota=lambda o: not (o.descrizione or o.risultato_atteso),
    ),
    TipoSezione(
        "seregno_tempi",
        "INFORMAZIONI TEMPORALI",
        T + "tempi.html",
        colonne=colonne(
            ("inizio_prevista", "Data Inizio Prev."),
            ("fine_prevista", "Data Fine Prev."),
            ("inizio_effettiva", "Data Inizio Eff."),
            ("fine_effettiva", "Data Fine Eff."),
            ("condizione", "CONDIZIONE"),
            risultati={"inizio_effettiva", "fine_effettiva", "condizione"},
        ),
    ),
    TipoSezione(
        "seregno_fasi",
        "DESCRIZIONE FASI",
        T + "fasi.html",
        colonne=colonne(
            ("codice", "Codice"),
            ("fasi", "Fasi"),
            ("inizio_prevista", "Data Inizio Prev."),
            ("fine_prevista", "Data Fine Prev."),
            ("inizio_effettiva", "Data Inizio Effet."),
            ("fine_effettiva", "Data Fine Effet."),
            risultati={"inizio_effettiva", "fine_effettiva"},
        ),
        vuota=lambda o: not o.lista_fasi,
    ),
    TipoSezione(
        "seregno_indicatori",
        "INDICATORI DI PERFORMANCE",
        T + "indicatori.html",
        colonne=colonne(
            ("tipo", "Tipo di scheda (come stampato: Scheda Obiettivo Gestionale)"),
            ("codice", "Codice Attività"),
            ("fasi", "Fasi"),
            ("indicatore", "Indicatore"),
            ("anno", "Anno"),
            ("target", "Valore Target"),
            ("prima", "1° Rilevazione"),
            ("raggiunto", "Valore Raggiunto"),
            ("percentuale", "% Ragg."),
            risultati={"prima", "raggiunto", "percentuale"},
        ),
        vuota=lambda o: not o.lista_indicatori,
    ),
    TipoSezione(
        "seregno_risorse_umane",
        "Budget risorse umane",
        T + "risorse_umane.html",
        colonne=colonne(
            ("categoria", "Categoria", True),
            ("matricola", "Matricola", True),
            ("nome", "Cognome Nome", True),
        ),
        personale=True,
        vuota=lambda o: not o.lista_risorse_umane,
        descrizione="Il personale assegnato: dati personali, esclusi dalla versione pubblicabile.",
    ),
    TipoSezione(
        "seregno_risorse_strumentali",
        "Budget risorse strumentali",
        T + "risorse_strumentali.html",
        colonne=colonne(
            ("spazi", "Spazi a disposizione"),
            ("informatica", "Dotazione informatica"),
            ("altro", "Altro"),
        ),
        vuota=lambda o: not any(righe for _, righe in o.strumentali),
    ),
    TipoSezione(
        "seregno_risorse_finanziarie",
        "Budget risorse finanziarie",
        T + "risorse_finanziarie.html",
        colonne=colonne(
            ("entrate_previste", "Entrate Previste"),
            ("entrate_effettive", "Entrate Effettive"),
            ("spese_previste", "Spese Previste"),
            ("spese_effettive", "Spese Effettive"),
            risultati={"entrate_effettive", "spese_effettive"},
        ),
        vuota=_risorse_finanziarie_vuote,
    ),
    TipoSezione(
        "seregno_monitoraggio",
        "Monitoraggio",
        T + "monitoraggio.html",
        colonne=colonne(("codice", "Codice"), ("fase", "Fase"), ("monitoraggio", "Monitoraggio")),
        vuota=lambda o: not (o.lista_fasi or o.monitoraggio),
        risultato=True,
    ),
    TipoSezione("seregno_note", "NOTE", T + "testo.html", vuota=lambda o: not o.note),
)

MODELLO = {
    "base": "seregno",
    "nome": "Rendicontazione del piano degli obiettivi (Seregno)",
    "orientamento": "orizzontale",
    "ordine": "documento",
    "interruzione": "pagina",
    "numeri_pagina": False,
    "sezioni": [
        *nascoste("copertina", "indice", "riepilogo"),
        {"tipo": "seregno_settore"},
        {"tipo": "seregno_intestazione"},
        {"tipo": "seregno_indirizzi"},
        {"tipo": "seregno_definizione"},
        {"tipo": "seregno_tempi"},
        {"tipo": "seregno_fasi"},
        {"tipo": "seregno_indicatori"},
        {"tipo": "seregno_risorse_umane"},
        # The document prints these headings even when there is nothing under them.
        {"tipo": "seregno_risorse_strumentali", "se_vuota": "righe_vuote"},
        {"tipo": "seregno_risorse_finanziarie", "se_vuota": "righe_vuote"},
        {"tipo": "seregno_monitoraggio"},
        {"tipo": "seregno_note", "se_vuota": "righe_vuote"},
        *nascoste("validazione", "gantt"),
    ],
}


# What the section templates read, grouped the document's way (``{% load seregno %}``).

PERIODO = (
    "data_inizio_prevista",
    "data_fine_prevista",
    "data_inizio_effettiva",
    "data_fine_effettiva",
)


def attivita(o) -> list[dict]:
    """The scheda's codici attività in the order of its fasi, each with its fasi as
    (number printed, fase) and its monitoraggio paragraphs. A fase that names no codice
    belongs to the scheda's own; within a named attività the fasi are numbered from 1, as
    the document prints them (Ob_Obiet050902: «FASE 1»)."""
    gruppi: dict[str, dict] = {}
    for f in o.lista_fasi:
        codice = f.codice_attivita or o.codice
        gruppo = gruppi.setdefault(codice, {"codice": codice, "fasi": [], "testi": []})
        numero = len(gruppo["fasi"]) + 1 if f.codice_attivita else f.numero
        gruppo["fasi"].append((numero, f))
        gruppo["testi"].extend(_paragrafi(f.monitoraggio))
    lista = list(gruppi.values()) or [{"codice": o.codice, "fasi": [], "testi": []}]
    # The scheda's monitoraggio, less what its fasi already say, goes to the first
    # attività with nothing of its own (the document's row for that codice).
    gia_detti = {t for g in lista for t in g["testi"]}
    resto = [t for t in _paragrafi(o.monitoraggio) if t not in gia_detti]
    if resto:
        senza = [g for g in lista if not g["testi"]]
        (senza or lista)[0]["testi"].extend(resto)
    return lista


def _paragrafi(testo: str) -> list[str]:
    return [t.strip() for t in (testo or "").split("\n") if t.strip()]


def righe_fasi(o) -> list[dict]:
    """DESCRIZIONE FASI's rows: an attività's consecutive fasi with the same four dates
    share a row (the document prints a row per codice attività, whose fasi share them)."""
    righe: list[dict] = []
    for gruppo in attivita(o):
        precedente = None
        for numero, f in gruppo["fasi"]:
            periodo = tuple(getattr(f, campo) for campo in PERIODO)
            if precedente is not None and precedente["periodo"] == periodo:
                precedente["fasi"].append((numero, f))
                continue
            precedente = {"codice": gruppo["codice"], "fasi": [(numero, f)], "periodo": periodo}
            precedente.update(zip(PERIODO, periodo, strict=True))
            righe.append(precedente)
    return righe


def attivita_indicatore(indicatore, o) -> dict:
    """The attività an indicatore measures (its codice and fasi): the one it names (no
    fasi if none has that codice), else the scheda's with all its fasi."""
    if not indicatore.codice_attivita:
        return {"codice": o.codice, "fasi": [(f.numero, f) for f in o.lista_fasi]}
    for gruppo in attivita(o):
        if gruppo["codice"] == indicatore.codice_attivita:
            return gruppo
    return {"codice": indicatore.codice_attivita, "fasi": []}


def strumentali(o) -> list[tuple[str, list]]:
    """(column key, rows) of Budget risorse strumentali in the document's order."""
    per_tipo: dict[str, list] = {"spazi": [], "informatica": [], "altro": []}
    for r in o.risorse_strumentali.all():  # prefetched by objectives.lettura
        per_tipo.setdefault(r.tipo, []).append(r)
    return list(per_tipo.items())


def finanziarie(o) -> list[tuple[str, list]]:
    """(column key, rows) of the four Budget risorse finanziarie parts, in the
    document's order: Entrate Previste, Entrate Effettive, Spese Previste, Spese Effettive."""
    parti: dict[str, list] = {
        f"{tipo}_{natura}": []
        for tipo in ("entrate", "spese")
        for natura in ("previste", "effettive")
    }
    for r in o.lista_risorse:
        tipo = "entrate" if r.tipo == "entrata" else "spese"
        natura = "effettive" if r.natura == "effettiva" else "previste"
        parti[f"{tipo}_{natura}"].append(r)
    return list(parti.items())
