"""The document of ``piao.documento`` written out: PDF (WeasyPrint, through
``reporting.pdf``), JSON and CSV.

Structured data is for machines: numbers with the dot and two decimals as strings in
JSON (exact, never a float), plain numbers with the dot in the CSV, dates ISO 8601
(aaaa-mm-gg), UTF-8. A text cell of the CSV that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) is written with a leading
apostrophe: it opens as text.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from indicators.engine.formatting import arrotonda
from peg.scrittura import cella_csv_sicura
from reporting.pdf import contesto_base, render_pdf

from .documento import Documento

FORMATI = {
    "pdf": "application/pdf",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
}


def pdf(doc: Documento) -> bytes:
    contesto = contesto_base(doc.comune, doc.titolo)
    contesto.update(doc=doc, piano=doc.piano, anno=doc.anno)
    return render_pdf("piao/pdf/documento.html", contesto)


def _dec(valore) -> str | None:
    return None if valore is None else str(arrotonda(valore))


def _data(valore) -> str | None:
    return valore.isoformat() if valore else None


def _indicatore(ind) -> dict:
    return {
        "numero": ind.numero,
        "denominazione": ind.denominazione,
        "formula": ind.formula,
        "tipo": ind.tipo,
        "unita_misura": ind.unita_misura,
        "peso": _dec(ind.peso),
        "valore_atteso": _dec(ind.valore_atteso),
        "valore_atteso_testo": ind.valore_atteso_testo,
        "data_attesa": _data(ind.data_attesa),
    }


def _obiettivo(scheda) -> dict:
    o = scheda.obiettivo
    return {
        "codice": o.codice,
        "anno": o.anno,
        "anni": [o.anno_inizio, o.anno_fine],
        "durata": o.durata,
        "tipo": o.tipo,
        "denominazione": o.denominazione,
        "risultato_atteso": o.risultato_atteso,
        "peso": _dec(o.peso),
        "stato": o.stato,
        "missione": str(o.missione) if o.missione_id else None,
        "programma": str(o.programma) if o.programma_id else None,
        "collegamenti_dup": scheda.collegamenti_dup,
        "temi": [t.chiave for t in scheda.temi],
        "indicatori": [_indicatore(i) for i in scheda.indicatori],
        "target_triennio": [
            {
                "numero": riga["numero"],
                "per_anno": {
                    str(a): {
                        "valore_atteso": _dec(i.valore_atteso),
                        "valore_atteso_testo": i.valore_atteso_testo,
                        "data_attesa": _data(i.data_attesa),
                    }
                    for a, i in riga["per_anno"].items()
                },
            }
            for riga in scheda.triennio
        ],
    }


def come_dati(doc: Documento) -> dict:
    dati = {
        "documento": doc.tipo,
        "titolo": doc.titolo,
        "comune": {
            "nome": doc.comune.nome,
            "slug": doc.comune.slug,
            "dipendenti": doc.comune.dipendenti,
        },
        "piano": {
            "id": doc.piano.pk,
            "titolo": doc.piano.titolo,
            "anni": [doc.piano.anno_inizio, doc.piano.anno_fine],
            "delibera_numero": doc.piano.delibera_numero,
            "delibera_data": _data(doc.piano.delibera_data),
        },
        "anno": doc.anno,
        "triennio": doc.anni_triennio,
        "schede_escluse_non_approvate": doc.esclusi,
        "settori": [
            {
                "codice": s.settore.codice,
                "nome": s.settore.nome,
                "responsabili": s.settore.responsabili_testo,
                "obiettivi": [_obiettivo(x) for x in s.schede],
            }
            for s in doc.settori
        ],
        "obiettivi_trasversali": [
            {
                "tema": t.chiave,
                "etichetta": t.etichetta,
                "fonte": t.fonte,
                "obiettivi": [x.obiettivo.codice for x in schede],
            }
            for t, schede in doc.trasversali
        ],
    }
    if not doc.pdo:
        dati["valore_pubblico"] = [
            {
                "titolo": o.titolo,
                "descrizione": o.descrizione,
                "indicatori_impatto": [
                    {
                        "descrizione": i.descrizione,
                        "baseline": _dec(i.baseline),
                        "target": _dec(i.target),
                        "unita": i.unita,
                    }
                    for i in o.indicatori.all()
                ],
                "obiettivi": [x.codice for x in o.obiettivi_anno],
            }
            for o in doc.outcomes
        ]
    return dati


def json_bytes(doc: Documento) -> bytes:
    return json.dumps(come_dati(doc), ensure_ascii=False, indent=2).encode()


COLONNE = (
    "anno",
    "settore_codice",
    "settore",
    "obiettivo_codice",
    "obiettivo",
    "durata",
    "peso_obiettivo",
    "missione",
    "programma",
    "collegamenti_dup",
    "temi",
    "indicatore_numero",
    "indicatore",
    "peso_indicatore",
    "unita_misura",
    "anno_target",
    "valore_atteso",
    "valore_atteso_testo",
    "data_attesa",
)


def cella(valore) -> str:
    """A value as a CSV cell: numbers with the dot, a text that would start a formula
    with an apostrophe in front."""
    if valore is None:
        return ""
    if isinstance(valore, Decimal):
        return str(arrotonda(valore))
    testo = str(valore)
    return cella_csv_sicura(testo)


def righe_csv(doc: Documento):
    """One row per indicatore and year of the triennium that has a target (the
    obiettivo's own year first); an obiettivo without indicatori, one row."""
    for s in doc.settori:
        for scheda in s.schede:
            o = scheda.obiettivo
            base = [
                doc.anno,
                s.settore.codice,
                s.settore.nome,
                o.codice,
                o.denominazione,
                o.durata,
                o.peso,
                str(o.missione) if o.missione_id else "",
                str(o.programma) if o.programma_id else "",
                "; ".join(scheda.collegamenti_dup),
                "; ".join(t.etichetta for t in scheda.temi),
            ]
            if not scheda.indicatori:
                yield base + [""] * (len(COLONNE) - len(base))
            for ind in scheda.indicatori:
                for anno, i in _per_anno(scheda, ind):
                    yield base + [
                        ind.numero,
                        ind.denominazione,
                        i.peso,
                        i.unita_misura,
                        anno,
                        i.valore_atteso,
                        i.valore_atteso_testo,
                        _data(i.data_attesa),
                    ]


def _per_anno(scheda, ind):
    per_anno = next((r["per_anno"] for r in scheda.triennio if r["numero"] == ind.numero), None)
    if not per_anno:
        return [(scheda.obiettivo.anno, ind)]
    return sorted(per_anno.items())


def csv_bytes(doc: Documento) -> bytes:
    uscita = io.StringIO()
    scrittore = csv.writer(uscita, lineterminator="\r\n")
    scrittore.writerow(COLONNE)
    for riga in righe_csv(doc):
        scrittore.writerow([cella(v) for v in riga])
    return uscita.getvalue().encode()


def scrivi(doc: Documento, formato: str) -> bytes:
    return {"pdf": pdf, "json": json_bytes, "csv": csv_bytes}[formato](doc)


def nome_file(doc: Documento, formato: str) -> str:
    prefisso = "pdo" if doc.pdo else "piao-sezione-2"
    return f"{prefisso}-{doc.comune.slug}-{doc.anno}.{formato}"
