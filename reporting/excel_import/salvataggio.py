"""Saving a checked file: all of it or nothing, through the service that changes schede.

The schede go through ``objectives.modifiche.modifica_in_blocco`` — locked together,
their versione compared with the one the file was checked against (someone saved
meanwhile: nothing is saved, the row says which scheda), the variazioni recorded — and
their rows through its bulk entry points, with a history row each, in a few queries
per kind of row whatever the file's size. Only rows that change are written.
"""

from collections import defaultdict

from django.db import transaction

from indicators.models import Indicatore, Rilevazione
from objectives.models import Fase, RisorsaFinanziaria, RisorsaStrumentale, RisorsaUmana
from objectives.modifiche import TESTI_STAMPATI, ModificaConcorrente, modifica_in_blocco

from ..excel import FOGLI

MOTIVO = "Importazione da Excel"
RIEPILOGO = (
    "Scheda aggiornata dal file Excel (indicatori, fasi, risorse e rilevazioni come nel file)."
)
MODELLI = {
    "Indicatori": Indicatore,
    "Fasi": Fase,
    "Risorse finanziarie": RisorsaFinanziaria,
    "Risorse umane": RisorsaUmana,
    "Risorse strumentali": RisorsaStrumentale,
    "Rilevazioni": Rilevazione,
}


def _campi(foglio: str, modello) -> set[str]:
    """What the import writes on a saved row of this sheet."""
    campi = {c.field for c in FOGLI[foglio] if c.importa and c.field}
    campi |= {t for t in TESTI_STAMPATI.values() if hasattr(modello, t)}
    if modello in (RisorsaFinanziaria, RisorsaUmana):
        campi.add("ordine")
    return campi


# The fields of the scheda (its many-to-many links are saved by ``_collegamenti``).
CAMPI_OBIETTIVO = sorted(
    {c.field for c in FOGLI["Obiettivi"] if c.importa and c.field and c.kind != "elenco"}
    | {"settore", "anno_inizio", "anno_fine", "durata"}
)


def salva(importatore) -> None:
    da_salvare = [s for s in importatore.schede.values() if s.obiettivo is not None]
    try:
        with transaction.atomic():
            pianificate = [s for s in da_salvare if not s.variazione]
            variate = [s for s in da_salvare if s.variazione]
            if pianificate:
                _salva_blocco(importatore, pianificate, "", MOTIVO)
            if variate:
                motivazione = importatore.motivazione
                _salva_blocco(importatore, variate, motivazione, f"Variazione: {motivazione}")
    except ModificaConcorrente as exc:
        scheda = next(s for s in da_salvare if s.obiettivo.pk == exc.obiettivo.pk)
        importatore.errore(
            f"la scheda {scheda.etichetta} è stata modificata da altri durante "
            "l'importazione: ricarica il file.",
            "Obiettivi",
            scheda.riga.numero,
        )
        return
    importatore.esito.salvato = True


def _salva_blocco(importatore, schede: list, motivazione: str, motivo: str) -> None:
    obiettivi = [s.obiettivo for s in schede]
    versioni = {s.obiettivo.pk: s.esistente.versione for s in schede if s.esistente is not None}
    with modifica_in_blocco(
        obiettivi,
        importatore.utente,
        versioni=versioni,
        caricato_il=importatore.letto_il,
        motivazione=motivazione,
        motivo=motivo,
    ) as m:
        # Split before creating: a scheda just inserted is not updated again (that wrote
        # a second, «~» history row for every new scheda).
        salvati = [o for o in obiettivi if o.pk is not None]
        m.crea([o for o in obiettivi if o.pk is None])
        m.aggiorna(salvati, CAMPI_OBIETTIVO)
        for scheda in schede:
            if scheda.variazione:
                m.annota(scheda.cambi or [RIEPILOGO], obiettivo=scheda.obiettivo)
        _collegamenti(m, schede)
        _salva_righe(m, schede)


def _collegamenti(m, schede: list) -> None:
    """The DUP links and ambiti that change, for all the schede at once."""
    for campo in ("nodi_dup", "ambiti"):
        m.collega(
            campo, {s.obiettivo: s.collegamenti[campo] for s in schede if campo in s.collegamenti}
        )


def _salva_righe(m, schede: list) -> None:
    nuove, cambiate, via, rilevazioni_via = defaultdict(list), defaultdict(list), [], []
    for scheda in schede:
        obiettivo, esistente = scheda.obiettivo, scheda.esistente
        # Saved rilevazioni of kept indicatori that the file no longer has.
        tenute = {r.pk for _, r in scheda.rilevazioni if r.pk}
        for indicatore in scheda.indicatori.values():
            if indicatore.pk:
                rilevazioni_via += [r for r in indicatore.rilevazioni.all() if r.pk not in tenute]
        for foglio, numerate, salvate in (
            ("Indicatori", scheda.indicatori, esistente.indicatori.all() if esistente else []),
            ("Fasi", scheda.fasi, esistente.fasi.all() if esistente else []),
        ):
            ordinate = sorted(numerate.items())
            for _, riga in ordinate:
                riga.obiettivo = obiettivo
            # Matched by numero: a saved row keeps its number, a new one takes a free one.
            m.numera([r for _, r in ordinate], [n for n, _ in ordinate])
            tenute = {r.pk for r in numerate.values() if r.pk}
            via += [r for r in salvate if r.pk not in tenute]
            _smista(foglio, numerate.values(), nuove, cambiate)
        for foglio, righe, salvate in (
            (
                "Risorse finanziarie",
                scheda.risorse,
                esistente.risorse_finanziarie.all() if esistente else [],
            ),
            (
                "Risorse strumentali",
                scheda.strumentali,
                esistente.risorse_strumentali.all() if esistente else [],
            ),
            (
                "Risorse umane",
                scheda.umane or [],
                esistente.risorse_umane.all() if esistente and scheda.umane is not None else [],
            ),
        ):
            for riga in righe:
                riga.obiettivo = obiettivo
            tenute = {r.pk for r in righe if r.pk}
            via += [r for r in salvate if r.pk not in tenute]
            _smista(foglio, righe, nuove, cambiate)
    # Removed rows first: their cascades (rilevazioni, allegati) and their numbers go.
    m.elimina(via)
    for foglio, modello in MODELLI.items():
        if foglio == "Rilevazioni":
            continue
        m.crea(nuove[foglio])
        m.aggiorna(cambiate[foglio], _campi(foglio, modello))
    # Rilevazioni last: their indicatori now all have an id.
    for scheda in schede:
        for numero, rilevazione in scheda.rilevazioni:
            rilevazione.indicatore = scheda.indicatori[numero]
        _smista("Rilevazioni", [r for _, r in scheda.rilevazioni], nuove, cambiate)
    m.elimina(rilevazioni_via)
    m.crea(nuove["Rilevazioni"])
    m.aggiorna(cambiate["Rilevazioni"], _campi("Rilevazioni", Rilevazione))


def _smista(foglio: str, righe, nuove: dict, cambiate: dict) -> None:
    for riga in righe:
        if riga.pk is None:
            nuove[foglio].append(riga)
        elif getattr(riga, "_cambiata", False):
            cambiate[foglio].append(riga)
