"""The rows of the Excel export (``reporting.excel``), loaded in a fixed number of
queries whatever the number of schede: one ``values()`` query per sheet, children
selected by the same filter as the schede (a subquery, not a list of ids), the links
(DUP, ambiti) in one query each. No model instances: at Roma scale (1,500 schede,
350,000 cells) per-object querysets cost more than writing the file.

Each cell is what ``excel.valore`` gives for the same object (the import compares the
file with the schede through it): choices as their Italian labels, "" as an empty
cell, links written out; the rows in the same order as ``excel.istanze``.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.db.models import F

from indicators.models import Indicatore, Rilevazione
from objectives.models import (
    Fase,
    Obiettivo,
    RisorsaFinanziaria,
    RisorsaStrumentale,
    RisorsaUmana,
)
from peg.organigramma_piano import fotografie

from . import excel

TIPI_RILEVAZIONE = {tipo: indice for indice, tipo in enumerate(Rilevazione.Tipo.values)}
# Cells computed here (not a field's value), by sheet: filled under the column's chiave.
CALCOLATE = {
    "Obiettivi": {
        "CODICE",
        "ANNO",
        "SETTORE_CODICE",
        "SETTORE",
        "COLLEGAMENTI_DUP",
        "MISSIONE",
        "PROGRAMMA",
        "AMBITI",
        "PUNTEGGIO",
    },
    "Indicatori": {"CODICE", "ANNO", "NUMERO"},
    "Fasi": {"CODICE", "ANNO", "NUMERO"},
    "Rilevazioni": {"CODICE", "ANNO", "INDICATORE"},
    "Risorse finanziarie": {"CODICE", "ANNO"},
    "Risorse umane": {"CODICE", "ANNO", "MATRICOLA", "NOME", "CATEGORIA"},
    "Risorse strumentali": {"CODICE", "ANNO"},
}


def _converti(col: excel.Col):
    """The cell of a field's value, as ``excel.valore`` writes it."""
    if col.kind == "bool":
        return lambda dato: "sì" if dato else "no"
    if col.kind == "scelta":
        etichette = dict(col.choices)
        return lambda dato: etichette.get(dato, dato) or None
    return lambda dato: None if dato == "" else dato


def _campi(foglio: str) -> list[str]:
    return [c.field for c in excel.FOGLI[foglio] if c.chiave not in CALCOLATE[foglio]]


def _scrittore(foglio: str):
    """A function turning one loaded row (dict) into the sheet's cells."""
    passi = [
        (c.chiave, None) if c.chiave in CALCOLATE[foglio] else (c.field, _converti(c))
        for c in excel.FOGLI[foglio]
    ]

    def riga(dati: dict) -> list:
        return [dati[k] if f is None else f(dati[k]) for k, f in passi]

    return riga


def _oggetto(codice, denominazione) -> str | None:
    """A missione or programma as its ``__str__`` writes it."""
    return None if codice is None else f"{codice} {denominazione}"


def _elenco(testi) -> str | None:
    return "\n".join(testi) or None


def _raggruppa(righe, chiave: str, ordine) -> dict[int, list[dict]]:
    gruppi: dict = {}
    for riga in righe:
        gruppi.setdefault(riga[chiave], []).append(riga)
    for lista in gruppi.values():
        lista.sort(key=ordine)
    return gruppi


def _collegamenti(id_obiettivi, relazione: str, campi: tuple, ordine, testo) -> dict[int, str]:
    """{obiettivo id: the linked objects, one a line} of a many-to-many link."""
    righe = (
        Obiettivo.objects.filter(pk__in=id_obiettivi, **{f"{relazione}__isnull": False})
        .order_by()
        .values_list("pk", *(f"{relazione}__{c}" for c in campi))
    )
    gruppi: dict = {}
    for pk, *valori in righe:
        gruppi.setdefault(pk, []).append(valori)
    return {
        pk: _elenco(testo(v) for v in sorted(lista, key=ordine)) for pk, lista in gruppi.items()
    }


def carica(obiettivi) -> tuple[list[dict], dict[str, list[list]], dict]:
    """The schede of a queryset (in its order) as dicts, the rows of every sheet, and
    the photographs of the schede's piani (``peg.organigramma_piano.fotografie``: the
    settori are written as each piano approved them)."""
    scrittori = {nome: _scrittore(nome) for nome in excel.FOGLI}
    schede = list(
        obiettivi.values(
            "pk",
            "codice",
            "anno",
            "piano_id",
            "settore_id",
            "settore__codice",
            "settore__nome",
            "missione__codice",
            "missione__denominazione",
            "programma__codice",
            "programma__denominazione",
            "strategicita",
            "complessita",
            "tipologia",
            *_campi("Obiettivi"),
        )
    )
    dati = {nome: [] for nome in excel.FOGLI}
    if not schede:
        return schede, dati, {}
    id_obiettivi = obiettivi.order_by().values("pk")
    figli = _figli(id_obiettivi)
    voci = fotografie({scheda["piano_id"] for scheda in schede})
    nodi = _collegamenti(
        id_obiettivi,
        "nodi_dup",
        ("ordine", "codice", "denominazione", "pk"),
        lambda v: (v[0], v[1], v[3]),
        lambda v: f"{v[1]} {v[2]}".strip(),
    )
    ambiti = _collegamenti(
        id_obiettivi,
        "ambiti",
        ("numero", "descrizione", "pk"),
        lambda v: (v[0], v[2]),
        lambda v: f"{v[0]}. {v[1]}",
    )
    for scheda in schede:
        pk = scheda["pk"]
        chiave = {"CODICE": scheda["codice"], "ANNO": scheda["anno"]}
        voce = voci.get((scheda["piano_id"], scheda["settore_id"]))
        if voce is not None:
            scheda["settore__codice"], scheda["settore__nome"] = voce.codice, voce.nome
        scheda.update(
            chiave,
            SETTORE_CODICE=scheda["settore__codice"] or None,
            SETTORE=scheda["settore__nome"],
            COLLEGAMENTI_DUP=nodi.get(pk),
            MISSIONE=_oggetto(scheda["missione__codice"], scheda["missione__denominazione"]),
            PROGRAMMA=_oggetto(scheda["programma__codice"], scheda["programma__denominazione"]),
            AMBITI=ambiti.get(pk),
            PUNTEGGIO=Obiettivo.punteggio.fget(SimpleNamespace(**scheda)),
        )
        dati["Obiettivi"].append(scrittori["Obiettivi"](scheda))
        for nome, righe in figli.items():
            scrivi = scrittori[nome]
            for riga in righe.get(pk, ()):
                riga.update(chiave)
                dati[nome].append(scrivi(riga))
    return schede, dati, voci


def _figli(id_obiettivi) -> dict[str, dict[int, list[dict]]]:
    """{sheet: {obiettivo id: [rows in the sheet's order]}} of the sheets below a scheda."""
    indicatori = _raggruppa(
        Indicatore.objects.filter(obiettivo__in=id_obiettivi)
        .order_by()
        .values("pk", "obiettivo_id", *_campi("Indicatori"), NUMERO=F("numero")),
        "obiettivo_id",
        lambda r: r["NUMERO"],
    )
    rilevazioni = _raggruppa(
        Rilevazione.objects.filter(indicatore__obiettivo__in=id_obiettivi)
        .order_by()
        .values(
            "pk",
            *_campi("Rilevazioni"),
            obiettivo=F("indicatore__obiettivo_id"),
            INDICATORE=F("indicatore__numero"),
        ),
        "obiettivo",
        lambda r: (
            r["INDICATORE"],
            TIPI_RILEVAZIONE.get(r["tipo"], len(TIPI_RILEVAZIONE)),
            r["pk"],
        ),
    )
    umane = RisorsaUmana.objects.filter(obiettivo__in=id_obiettivi).order_by()
    persone = {"MATRICOLA": "matricola", "NOME": "nome", "CATEGORIA": "categoria"}
    return {
        "Indicatori": indicatori,
        "Fasi": _raggruppa(
            Fase.objects.filter(obiettivo__in=id_obiettivi)
            .order_by()
            .values("pk", "obiettivo_id", *_campi("Fasi"), NUMERO=F("numero")),
            "obiettivo_id",
            lambda r: r["NUMERO"],
        ),
        "Rilevazioni": rilevazioni,
        "Risorse finanziarie": _raggruppa(
            RisorsaFinanziaria.objects.filter(obiettivo__in=id_obiettivi)
            .order_by()
            .values("pk", "obiettivo_id", "ordine", *_campi("Risorse finanziarie")),
            "obiettivo_id",
            lambda r: (r["tipo"], r["natura"], r["ordine"], r["pk"]),
        ),
        "Risorse umane": _raggruppa(
            (
                r | {chiave: r[chiave] or None for chiave in persone}
                for r in umane.values(
                    "pk",
                    "obiettivo_id",
                    "ordine",
                    *_campi("Risorse umane"),
                    **{chiave: F(f"persona__{campo}") for chiave, campo in persone.items()},
                )
            ),
            "obiettivo_id",
            lambda r: (r["ordine"], r["pk"]),
        ),
        "Risorse strumentali": _raggruppa(
            RisorsaStrumentale.objects.filter(obiettivo__in=id_obiettivi)
            .order_by()
            .values("pk", "obiettivo_id", *_campi("Risorse strumentali")),
            "obiettivo_id",
            lambda r: (r["tipo"], r["pk"]),
        ),
    }
