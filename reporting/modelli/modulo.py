"""The segreteria's page for a copied model, as data: the model's dict in its explicit
form (``normalizza``), what the page's form posts read back into it (``leggi_modulo``,
every refusal an Italian message, nothing half-read), the rows the page shows
(``righe``), a section moved up or down (``sposta``) and what changed between two
versions (``differenze``).

Generic over whatever sections and columns a model has: a copy can rename, hide and
reorder what its base model lists, never add a section kind nor a column.
"""

from __future__ import annotations

import base64
import binascii
import copy
from dataclasses import dataclass, field

from peg.immagini import (
    LOGO_FORMATI,
    LOGO_MAX_KB,
    ImmagineNonValida,
    troppo_grande,
    verifica_logo,
)
from peg.parametri import intero

from .catalogo import TIPI
from .schema import INTERRUZIONI, ORDINI, ORIENTAMENTI, SE_VUOTA, ModelloNonValido, leggi

MAX_ETICHETTA = 200
OPZIONI = {
    "orientamento": (ORIENTAMENTI, "Orientamento della pagina"),
    "ordine": (ORDINI, "Ordine delle schede"),
    "interruzione": (INTERRUZIONI, "Interruzione tra le schede"),
}
INTERRUTTORI = ("numeri_pagina", "intestazione_pagina", "data_stampa")
DOVE = {
    "libro": "una volta, all'inizio del libro",
    "settore": "all'inizio di ogni settore",
    "scheda": "in ogni scheda",
}


def normalizza(dati: dict) -> dict:
    """``dati`` with every option, label and flag written out (a built-in model lists only
    what differs from its kinds' defaults): two dicts describing the same print compare
    equal. Keys this module does not know are kept as they are."""
    modello = leggi(dati)
    esplicito = copy.deepcopy(dati)
    esplicito.update(
        base=modello.base,
        nome=modello.nome,
        orientamento=modello.orientamento,
        ordine=modello.ordine,
        interruzione=modello.interruzione,
        numeri_pagina=modello.numeri_pagina,
        intestazione_pagina=modello.intestazione_pagina,
        data_stampa=modello.data_stampa,
        logo=modello.logo,
    )
    sezioni = []
    for voce, sez in zip(dati.get("sezioni", []), modello.sezioni, strict=True):
        nuova = copy.deepcopy(voce)
        nuova.update(
            tipo=sez.tipo,
            etichetta=sez.etichetta,
            visibile=sez.visibile,
            se_vuota=sez.se_vuota,
            righe=sez.righe,
            nuova_pagina=sez.nuova_pagina,
            colonne={
                c.chiave: {"etichetta": c.etichetta, "visibile": c.visibile} for c in sez.colonne
            },
        )
        sezioni.append(nuova)
    esplicito["sezioni"] = sezioni
    return esplicito


def senza_sezioni_ignote(dati: dict) -> tuple[dict, list[str]]:
    """``dati`` without the sections whose kind the product no longer has (a version
    saved before a change of the built-in models), and a warning for each."""
    sezioni = dati.get("sezioni", [])
    if not isinstance(sezioni, list):  # not a model at all: ``leggi`` says so
        return dati, []
    note = [
        s
        for s in sezioni
        if isinstance(s, dict) and isinstance(s.get("tipo"), str) and s["tipo"] in TIPI
    ]
    if len(note) == len(sezioni):
        return dati, []
    avvisi = [
        f"La sezione «{s.get('etichetta') or s.get('tipo') if isinstance(s, dict) else s}» "
        "non esiste più nei modelli del prodotto: non si stampa e sarà tolta al prossimo "
        "salvataggio."
        for s in sezioni
        if s not in note
    ]
    return {**dati, "sezioni": note}, avvisi


@dataclass
class Letto:
    """What the form posted, in the model's shape (also when refused: the page shows it
    again as typed), and why it cannot be saved."""

    dati: dict
    errori: list[str] = field(default_factory=list)
    manomesso: bool = False  # sections that are not the model's: the page must be reloaded


def _testo(post, nome: str) -> str:
    valore = post.get(nome, "")
    return valore.strip() if isinstance(valore, str) else ""


def _etichetta(post, nome: str, dove: str, errori: list[str]) -> str:
    testo = _testo(post, nome)
    if not testo:
        errori.append(f"{dove}: l'etichetta non può essere vuota.")
    elif len(testo) > MAX_ETICHETTA:
        errori.append(
            f"{dove}: l'etichetta è troppo lunga ({len(testo)} caratteri, al massimo "
            f"{MAX_ETICHETTA})."
        )
    return testo


def _spuntato(post, nome: str) -> bool:
    return bool(post.get(nome))


def leggi_modulo(salvati: dict, post, file_logo=None) -> Letto:
    """The model ``salvati`` (normalized) as the form ``post`` changes it."""
    dati = copy.deepcopy(salvati)
    errori: list[str] = []
    for chiave, (ammessi, descrizione) in OPZIONI.items():
        valore = _testo(post, chiave)
        if valore not in ammessi:
            errori.append(f"{descrizione}: valore non ammesso «{valore[:40]}».")
        else:
            dati[chiave] = valore
    for chiave in INTERRUTTORI:
        dati[chiave] = _spuntato(post, chiave)
    dati["logo"] = _logo(salvati.get("logo", ""), post, file_logo, errori)
    sezioni = _sezioni_postate(salvati.get("sezioni", []), post)
    if sezioni is None:
        return Letto(
            copy.deepcopy(salvati),
            [
                "Il modulo non corrisponde alle sezioni del modello salvato: ricaricare la "
                "pagina e ripetere le modifiche."
            ],
            manomesso=True,
        )
    dati["sezioni"] = [_sezione(post, i, voce, errori) for i, voce in sezioni]
    return Letto(dati, errori)


def _sezioni_postate(salvate: list[dict], post) -> list[tuple[int, dict]] | None:
    """(form index, saved section) in the order posted; None when the posted sections are
    not exactly the saved ones (a tampered or stale form)."""
    per_tipo: dict[str, list[dict]] = {}
    for voce in salvate:
        per_tipo.setdefault(voce["tipo"], []).append(voce)
    ordine = []
    for i in range(len(salvate)):
        tipo = _testo(post, f"sez-{i}-tipo")
        if not per_tipo.get(tipo):
            return None
        ordine.append((i, per_tipo[tipo].pop(0)))
    postate = {k for k in post if k.startswith("sez-") and k.endswith("-tipo")}
    if len(postate) != len(salvate):
        return None
    return ordine


def _sezione(post, i: int, voce: dict, errori: list[str]) -> dict:
    nuova = copy.deepcopy(voce)
    prefisso = f"sez-{i}-"
    dove = f"Sezione {i + 1} («{voce.get('etichetta') or TIPI[voce['tipo']].etichetta}»)"
    nuova["etichetta"] = _etichetta(post, prefisso + "etichetta", dove, errori)
    nuova["visibile"] = _spuntato(post, prefisso + "visibile")
    nuova["nuova_pagina"] = _spuntato(post, prefisso + "nuova_pagina")
    se_vuota = _testo(post, prefisso + "se_vuota")
    if se_vuota in SE_VUOTA:
        nuova["se_vuota"] = se_vuota
    else:
        errori.append(f"{dove}: valore non ammesso per «se vuota»: «{se_vuota[:40]}».")
    colonne = {}
    for c in TIPI[voce["tipo"]].colonne:
        salvata = (voce.get("colonne") or {}).get(c.chiave, {})
        nome = salvata.get("etichetta") or c.etichetta
        colonne[c.chiave] = {
            "etichetta": _etichetta(
                post, f"{prefisso}col-{c.chiave}-etichetta", f"{dove}, colonna «{nome}»", errori
            ),
            "visibile": _spuntato(post, f"{prefisso}col-{c.chiave}-visibile"),
        }
    nuova["colonne"] = colonne
    return nuova


# ---------------------------------------------------------------- the logo


def _logo(salvato: str, post, file_logo, errori: list[str]) -> str:
    """The logo after the form: removed, a new file, one uploaded in an earlier round of
    the same unsaved form (``logo_nuovo``, checked again), or the saved one."""
    if _spuntato(post, "togli_logo"):
        return ""
    try:
        if file_logo is not None:
            if file_logo.size > LOGO_MAX_KB * 1024:
                raise ModelloNonValido(troppo_grande(file_logo.size))
            return logo_data_uri(file_logo.read())
        nuovo = _testo(post, "logo_nuovo")
        if nuovo and nuovo != salvato:
            return logo_data_uri(_da_data_uri(nuovo))
    except ModelloNonValido as exc:
        errori.append(str(exc))
    return salvato


def _da_data_uri(testo: str) -> bytes:
    intestazione, _, contenuto = testo.partition(",")
    if intestazione not in {f"data:{t};base64" for t in LOGO_FORMATI.values()}:
        raise ModelloNonValido("Logo: il file caricato non è leggibile, sceglierlo di nuovo.")
    try:
        return base64.b64decode(contenuto, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ModelloNonValido(
            "Logo: il file caricato non è leggibile, sceglierlo di nuovo."
        ) from exc


def logo_data_uri(contenuto: bytes) -> str:
    """A PNG or JPEG image of at most LOGO_MAX_KB as a data: URI; anything else refused
    (peg.immagini)."""
    try:
        formato = verifica_logo(contenuto)
    except ImmagineNonValida as exc:
        raise ModelloNonValido(str(exc)) from exc
    codificato = base64.b64encode(contenuto).decode()
    return f"data:{LOGO_FORMATI[formato]};base64,{codificato}"


# ---------------------------------------------------------------- the page


def sposta(dati: dict, richiesta: str) -> str:
    """Move a section one place up or down (``"su-3"``, ``"giu-0"``: form indices);
    returns what happened, in Italian ("" if the request makes no sense)."""
    verso, _, indice = (richiesta or "").partition("-")
    sezioni = dati.get("sezioni", [])
    i = intero(indice, massimo=len(sezioni) - 1)
    if verso not in ("su", "giu") or i is None:
        return ""
    j = i - 1 if verso == "su" else i + 1
    if not 0 <= j < len(sezioni):
        return ""
    sezioni[i], sezioni[j] = sezioni[j], sezioni[i]
    return (
        f"«{sezioni[j]['etichetta']}» spostata {'in su' if verso == 'su' else 'in giù'}: "
        "salvare per creare la nuova versione."
    )


def righe(dati: dict) -> list[dict]:
    """The model's sections as the page lists them, with their kind's description."""
    elenco = []
    for i, voce in enumerate(dati.get("sezioni", [])):
        tipo = TIPI[voce["tipo"]]
        colonne = []
        for c in tipo.colonne:
            scelta = (voce.get("colonne") or {}).get(c.chiave, {})
            colonne.append(
                {
                    "chiave": c.chiave,
                    "originale": c.etichetta,
                    "etichetta": scelta.get("etichetta", c.etichetta),
                    "visibile": scelta.get("visibile", True),
                    "personale": c.personale,
                }
            )
        elenco.append(
            {
                "indice": i,
                "tipo": voce["tipo"],
                "originale": tipo.etichetta,
                "descrizione": tipo.descrizione,
                "dove": DOVE[tipo.livello],
                "personale": tipo.personale,
                "etichetta": voce.get("etichetta", tipo.etichetta),
                "visibile": voce.get("visibile", True),
                "se_vuota": voce.get("se_vuota", "ometti"),
                "se_vuota_testo": SE_VUOTA.get(voce.get("se_vuota", "ometti"), ""),
                "nuova_pagina": voce.get("nuova_pagina", False),
                "colonne": colonne,
                "primo": i == 0,
                "ultimo": i == len(dati["sezioni"]) - 1,
            }
        )
    return elenco


def pagina_testo(dati: dict) -> list[str]:
    """The page options in words (the read-only page of a built-in model)."""
    testi = [
        ORIENTAMENTI[dati["orientamento"]],
        ORDINI[dati["ordine"]],
        INTERRUZIONI[dati["interruzione"]],
        "Numeri di pagina" if dati["numeri_pagina"] else "Senza numeri di pagina",
        "Intestazione con il nome del comune"
        if dati["intestazione_pagina"]
        else "Senza intestazione con il nome del comune",
        "Data di stampa" if dati["data_stampa"] else "Senza data di stampa",
    ]
    return testi


def differenze(prima: dict, dopo: dict) -> list[str]:
    """What changes printing with ``dopo`` instead of ``prima``, one Italian line each."""
    a = normalizza(senza_sezioni_ignote(prima)[0])
    b = normalizza(senza_sezioni_ignote(dopo)[0])
    righe_diff = []
    for chiave, (ammessi, descrizione) in OPZIONI.items():
        if a[chiave] != b[chiave]:
            righe_diff.append(f"{descrizione}: {ammessi[a[chiave]]} → {ammessi[b[chiave]]}")
    nomi = {
        "numeri_pagina": "numeri di pagina",
        "intestazione_pagina": "intestazione con il nome del comune",
        "data_stampa": "data di stampa",
    }
    for chiave, nome in nomi.items():
        if a[chiave] != b[chiave]:
            righe_diff.append(f"{nome.capitalize()}: {'sì' if b[chiave] else 'no'}")
    if a["logo"] != b["logo"]:
        righe_diff.append("Logo: " + ("cambiato" if b["logo"] else "tolto"))
    if [s["tipo"] for s in a["sezioni"]] != [s["tipo"] for s in b["sezioni"]]:
        righe_diff.append("Ordine delle sezioni cambiato")
    prima_per_tipo = {s["tipo"]: s for s in a["sezioni"]}
    for s in b["sezioni"]:
        vecchia = prima_per_tipo.get(s["tipo"])
        if vecchia is not None:
            righe_diff.extend(_differenze_sezione(vecchia, s))
    return righe_diff


def _differenze_sezione(a: dict, b: dict) -> list[str]:
    nome = f"«{a['etichetta']}»"
    diff = []
    if a["etichetta"] != b["etichetta"]:
        diff.append(f"Sezione {nome} rinominata «{b['etichetta']}»")
    if a["visibile"] != b["visibile"]:
        diff.append(f"Sezione {nome} {'stampata' if b['visibile'] else 'non stampata'}")
    if a["se_vuota"] != b["se_vuota"]:
        diff.append(f"Sezione {nome} se vuota: {SE_VUOTA[b['se_vuota']].lower()}")
    if a["nuova_pagina"] != b["nuova_pagina"]:
        diff.append(
            f"Sezione {nome} {'su una nuova pagina' if b['nuova_pagina'] else 'di seguito'}"
        )
    for chiave, col in b["colonne"].items():
        vecchia = a["colonne"].get(chiave)
        if vecchia is None:
            continue
        if vecchia["etichetta"] != col["etichetta"]:
            diff.append(
                f"Sezione {nome}, colonna «{vecchia['etichetta']}» rinominata «{col['etichetta']}»"
            )
        if vecchia["visibile"] != col["visibile"]:
            stato = "stampata" if col["visibile"] else "nascosta"
            diff.append(f"Sezione {nome}, colonna «{vecchia['etichetta']}» {stato}")
    return diff
