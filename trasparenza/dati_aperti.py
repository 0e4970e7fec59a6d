"""The open data of a published piano: one row per indicatore with its obiettivo and
target, in CSV and JSON. Machine-readable: numbers with the dot, dates ISO 8601, UTF-8;
the value reached only for schede the OIV validated. No person is named (the
responsabili stay in the piano's pages and print)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from django.db.models import Prefetch

from indicators.models import Indicatore, Rilevazione
from objectives.models import Obiettivo
from peg.scrittura import cella_csv_sicura

from . import access

COLONNE = (
    "anno",
    "settore_codice",
    "settore",
    "obiettivo_codice",
    "obiettivo",
    "obiettivo_stato",
    "indicatore_numero",
    "indicatore",
    "formula",
    "tipo",
    "unita_misura",
    "peso",
    "valore_atteso",
    "valore_atteso_testo",
    "data_attesa",
    "valore_raggiunto",
    "data_rilevazione",
)
NUMERICHE = {"anno", "indicatore_numero", "peso", "valore_atteso", "valore_raggiunto"}


def _testo(valore) -> str:
    if valore is None:
        return ""
    if isinstance(valore, Decimal):
        return format(valore.normalize(), "f") if valore == valore else ""
    return str(valore)


def _numero(valore):
    """A JSON number (None: null); values have at most 4 decimals, exact as a float's
    shortest representation."""
    if valore is None:
        return None
    if isinstance(valore, Decimal):
        return int(valore) if valore == valore.to_integral_value() else float(valore)
    return valore


def righe(pubblicazione) -> list[dict]:
    validata = Obiettivo.Stato.VALIDATO
    finali = Rilevazione.objects.filter(tipo=Rilevazione.Tipo.FINALE).order_by("-data", "-pk")
    schede = (
        access.schede_pubbliche(pubblicazione)
        .select_related("settore")
        .prefetch_related(
            Prefetch(
                "indicatori",
                queryset=Indicatore.objects.order_by("numero", "pk").prefetch_related(
                    Prefetch("rilevazioni", queryset=finali, to_attr="finali")
                ),
            )
        )
        .order_by("settore__codice", "settore__nome", "codice_ordinabile", "pk")
    )
    uscita = []
    for o in schede:
        base = {
            "anno": o.anno,
            "settore_codice": o.settore.codice,
            "settore": o.settore.nome,
            "obiettivo_codice": o.codice,
            "obiettivo": o.denominazione,
            "obiettivo_stato": o.get_stato_display(),
        }
        for i in o.indicatori.all() or [None]:
            riga = dict.fromkeys(COLONNE)
            riga.update(base)
            if i is not None:
                finale = i.finali[0] if (o.stato == validata and i.finali) else None
                riga.update(
                    indicatore_numero=i.numero,
                    indicatore=i.denominazione,
                    formula=i.formula,
                    tipo=i.get_tipo_display() if i.tipo else "",
                    unita_misura=i.unita_misura,
                    peso=i.peso,
                    valore_atteso=i.valore_atteso,
                    valore_atteso_testo=i.valore_atteso_testo,
                    data_attesa=i.data_attesa.isoformat() if i.data_attesa else "",
                    valore_raggiunto=finale.valore if finale else None,
                    data_rilevazione=finale.data.isoformat() if finale and finale.data else "",
                )
            uscita.append(riga)
    return uscita


def csv_bytes(pubblicazione) -> bytes:
    buffer = io.StringIO()
    scrittore = csv.writer(buffer, lineterminator="\r\n")
    scrittore.writerow(COLONNE)
    for riga in righe(pubblicazione):
        scrittore.writerow(
            _testo(riga[c]) if c in NUMERICHE else cella_csv_sicura(_testo(riga[c]))
            for c in COLONNE
        )
    return buffer.getvalue().encode("utf-8")


def json_bytes(pubblicazione, comune) -> bytes:
    dati = {
        "comune": str(comune),
        "codice_ipa": comune.codice_ipa,
        "piano": pubblicazione.piano.titolo,
        "anno": pubblicazione.anno,
        "data_pubblicazione": pubblicazione.data_pubblicazione.isoformat(),
        "licenza": "https://creativecommons.org/licenses/by/4.0/",
        "colonne_numeriche": sorted(NUMERICHE),
        "indicatori": [
            {c: _numero(r[c]) if c in NUMERICHE else _testo(r[c]) for c in COLONNE}
            for r in righe(pubblicazione)
        ],
    }
    return json.dumps(dati, ensure_ascii=False, indent=1).encode("utf-8")
