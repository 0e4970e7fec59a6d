"""The next year's copy of one scheda, unsaved: the scheda, its indicatori (with last
year's raggiunto as valore storico), fasi and risorse, as ``prepara_anno`` inserts them.

What carries over and what does not (docs/anno.md):
- the scheda: every field, settore, responsabili and the other links; in bozza, with no
  delibera, no actual dates, no stato di attuazione or monitoraggio; planned dates moved
  by a year; an annual obiettivo takes the new year as its period;
- indicatori: graduazione, formula, targets, weights as they were, dates moved by a year;
  the storico gets last year's final value;
- indicatori: without their notes (about last year's values);
- fasi: as planned, dates moved by a year, no progress, no actual dates, no notes;
- risorse: the planned financial ones (an "effettiva" row is last year's spending, not
  a budget), the human and instrumental ones;
- a printed text ("come stampato") that names the old year is cleared: it described the
  old date, and the new one is in the structured field beside it;
- transcription notes stay with the document they describe.
"""

from __future__ import annotations

import re
from datetime import date

from indicators.models import Indicatore, ValoreStorico
from indicators.models import Rilevazione as R

from ..models import Fase, Obiettivo, RisorsaFinanziaria, RisorsaStrumentale, RisorsaUmana

# Fields that belong to the old year's life of a scheda, never copied.
NON_COPIATI_OBIETTIVO = {
    "stato": Obiettivo.Stato.BOZZA,
    "delibera_numero": "",
    "delibera_data": None,
    "versione": 1,
    "data_inizio_effettiva": None,
    "data_fine_effettiva": None,
    "stato_attuazione": "",
    "monitoraggio": "",
    "note_trascrizione": "",
}
NON_COPIATI_FASE = {
    "avanzamento": None,
    "raggiunto": "",
    "monitoraggio": "",
    "data_inizio_effettiva": None,
    "data_fine_effettiva": None,
    "note_trascrizione": "",
}
DATE_SPOSTATE = ("data_inizio_prevista", "data_fine_prevista", "data_intermedia", "data_attesa")
TESTI_CON_ANNO = ("valore_intermedio_testo", "valore_atteso_testo", "scadenza_testo", "tempi_testo")


def un_anno_dopo(giorno: date | None) -> date | None:
    """The same day a year later (29 February: the 28th)."""
    if giorno is None:
        return None
    try:
        return giorno.replace(year=giorno.year + 1)
    except ValueError:
        return giorno.replace(year=giorno.year + 1, day=28)


def _anno_nel_testo(anno: int) -> re.Pattern:
    return re.compile(rf"(?<!\d){anno}(?!\d)")


def codice_nuovo(obiettivo: Obiettivo, anno: int) -> str:
    """The codice of the next year's scheda: a pluriennale keeps its own (it is one
    obiettivo, one scheda per year); an annual codice that names the old year gets the
    new one (Cinisello's 2019_S08_09 becomes 2020_S08_09), else it stays."""
    if obiettivo.durata == Obiettivo.Durata.PLURIENNALE:
        return obiettivo.codice
    return _anno_nel_testo(anno - 1).sub(str(anno), obiettivo.codice)


def _campi(istanza, *escludi: str) -> dict:
    """The concrete fields of a row, without its id and ``escludi`` (by attname)."""
    return {
        f.attname: getattr(istanza, f.attname)
        for f in type(istanza)._meta.concrete_fields
        if not f.primary_key and f.name not in escludi and f.attname not in escludi
    }


def _sposta(copia, da_anno: int) -> None:
    """Dates moved by a year; printed texts naming the old year cleared."""
    for campo in DATE_SPOSTATE:
        if hasattr(copia, campo):
            setattr(copia, campo, un_anno_dopo(getattr(copia, campo)))
    vecchio = _anno_nel_testo(da_anno)
    for campo in TESTI_CON_ANNO:
        if hasattr(copia, campo) and vecchio.search(getattr(copia, campo) or ""):
            setattr(copia, campo, "")


def copia_obiettivo(origine: Obiettivo, piano, anno: int) -> Obiettivo:
    """The scheda of ``anno`` made from ``origine`` (of ``anno - 1``), unsaved."""
    copia = Obiettivo(**_campi(origine, "piano", "codice_ordinabile"))
    copia.piano = piano
    copia.codice = codice_nuovo(origine, anno)
    copia.anno = anno
    if origine.durata != Obiettivo.Durata.PLURIENNALE:
        copia.anno_inizio = copia.anno_fine = anno
    for campo, valore in NON_COPIATI_OBIETTIVO.items():
        setattr(copia, campo, valore)
    _sposta(copia, anno - 1)
    return copia


def finale(indicatore: Indicatore) -> R | None:
    """The indicatore's final rilevazione (prefetched ``rilevazioni``), if any."""
    return next((r for r in indicatore.rilevazioni.all() if r.tipo == R.Tipo.FINALE), None)


def copia_indicatore(origine: Indicatore, obiettivo: Obiettivo, da_anno: int) -> Indicatore:
    # Its notes are about last year's values (Cinisello: «questionari in elaborazione»).
    copia = Indicatore(**_campi(origine, "obiettivo", "note_trascrizione", "note"))
    copia.obiettivo = obiettivo
    if copia.anno == da_anno:
        copia.anno = da_anno + 1
    _sposta(copia, da_anno)
    return copia


def storico(origine: Indicatore, copia: Indicatore, da_anno: int) -> list[ValoreStorico]:
    """The copy's valori storici: the old ones, and ``da_anno``'s raggiunto (the final
    rilevazione's value) in place of any older row of that year."""
    righe = {
        s.anno: ValoreStorico(
            indicatore=copia, anno=s.anno, valore=s.valore, valore_testo=s.valore_testo
        )
        for s in origine.storico.all()
    }
    ultima = finale(origine)
    if ultima is not None and (ultima.valore is not None or ultima.valore_testo.strip()):
        righe[da_anno] = ValoreStorico(
            indicatore=copia, anno=da_anno, valore=ultima.valore, valore_testo=ultima.valore_testo
        )
    return [righe[a] for a in sorted(righe, reverse=True)]


def copia_fase(origine: Fase, obiettivo: Obiettivo, da_anno: int) -> Fase:
    copia = Fase(**_campi(origine, "obiettivo"))
    copia.obiettivo = obiettivo
    for campo, valore in NON_COPIATI_FASE.items():
        setattr(copia, campo, valore)
    _sposta(copia, da_anno)
    return copia


def copia_risorse(origine: Obiettivo, obiettivo: Obiettivo) -> dict[type, list]:
    """The copy's risorse by model: the planned financial ones, human, instrumental."""
    return {
        RisorsaFinanziaria: [
            RisorsaFinanziaria(**_campi(r, "obiettivo"), obiettivo=obiettivo)
            for r in origine.risorse_finanziarie.all()
            if r.natura == RisorsaFinanziaria.Natura.PREVISTA
        ],
        RisorsaUmana: [
            RisorsaUmana(**_campi(r, "obiettivo"), obiettivo=obiettivo)
            for r in origine.risorse_umane.all()
        ],
        RisorsaStrumentale: [
            RisorsaStrumentale(**_campi(r, "obiettivo"), obiettivo=obiettivo)
            for r in origine.risorse_strumentali.all()
        ],
    }
