"""Schede prepared for print: the read model of a scheda (``objectives.lettura``) plus
what only the print shows — the layout chosen (scheda or rendicontazione), BOZZA on
drafts, the OIV's validation in force and the Gantt of the fasi.

Loaded in a fixed number of queries whatever the count; the templates issue none.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.safestring import mark_safe

from objectives.access import BOZZE
from objectives.lettura import leggi_scheda, leggi_schede
from objectives.models import Obiettivo
from peg.organigramma_piano import come_nelle_schede
from valutazione.punteggi import validazioni_in_vigore

from . import gantt as gantt_svg
from .modelli.scelta import PIANO, RENDICONTAZIONE, modelli_del_piano
from .modelli.schema import Modello, Sezione

# Past these states the scheda has actual values: print it as a rendicontazione.
STATI_RENDICONTAZIONE = (Obiettivo.Stato.RENDICONTATO, Obiettivo.Stato.VALIDATO)


def carica_schede(
    obiettivi, rendicontazione: bool | None = None, modelli: dict[str, Modello] | None = None
) -> list[Obiettivo]:
    """The schede of a queryset, prepared for print, in its order.

    ``rendicontazione``: True/False forces the layout; None chooses per scheda
    (rendicontato and validato print as rendicontazione). ``modelli``: the print models
    by use ("piano", "rendicontazione"); by default, those of each scheda's piano."""
    return prepara_schede(leggi_schede(obiettivi), rendicontazione, modelli)


def carica_per_scheda(
    obiettivi, rendicontazione: bool | None = None, modelli: dict[str, Modello] | None = None
) -> list[Obiettivo]:
    """``carica_schede`` for the scheda's own PDF: a single scheda goes through the scheda
    page's loader (``leggi_scheda``), which reads only the relations that have rows —
    about half the queries, what a one-page print costs beyond WeasyPrint; more than one
    as ``carica_schede``, after one query to tell (two rows at most)."""
    prime = list(obiettivi.select_related("piano__comune", "settore")[:2])
    if len(prime) != 1:
        return carica_schede(obiettivi, rendicontazione, modelli)
    return prepara_schede([leggi_scheda(prime[0])], rendicontazione, modelli)


def prepara_schede(
    schede: list[Obiettivo], rendicontazione: bool | None, modelli: dict[str, Modello] | None
) -> list[Obiettivo]:
    """What only the print adds to schede already read (``carica_schede``): and each
    scheda's settore as its piano approved it (``peg.organigramma_piano``)."""
    per_piano: dict[int, dict[str, Modello]] = {}
    come_nelle_schede(schede)
    # Only where some scheda is validated: no query for a book of drafts.
    validate = [o.pk for o in schede if o.stato == Obiettivo.Stato.VALIDATO]
    validazioni = validazioni_in_vigore(validate) if validate else {}
    oggi = timezone.localdate()
    for o in schede:
        o.in_bozza = o.stato in BOZZE
        o.rendicontazione = (
            o.stato in STATI_RENDICONTAZIONE if rendicontazione is None else rendicontazione
        )
        o.validazione = validazioni.get(o.pk)
        if modelli is None and o.piano_id not in per_piano:
            per_piano[o.piano_id] = modelli_del_piano(o.piano)
        uso = RENDICONTAZIONE if o.rendicontazione else PIANO
        o.modello = (modelli or per_piano[o.piano_id])[uso]
        o.ambiti_in_colonne = _in_colonne(o.ambiti_stampa)
        o.gantt = ""
        # Only for a model that prints it; fixed SVG ids: the same scheda, the same bytes.
        if o.modello.ha("gantt") and any(_con_date(f) for f in o.lista_fasi):
            svg = gantt_svg.gantt(
                o.lista_fasi,
                anni=[o.anno],
                oggi=oggi,
                ident=f"gantt{o.pk}",
                stampa=True,
            )
            o.gantt = mark_safe(svg)  # noqa: S308 - every text escaped by reporting.svg
        o.sezioni_stampa = sezioni_stampa(o.modello.scheda, o)
    return schede


def sezioni_stampa(sezioni: list[Sezione], oggetto) -> list[tuple[Sezione, bool]]:
    """(section, whether it is empty) for each section that prints: an empty one only if
    its model says to print it empty (rows, or "—")."""
    stampate = []
    for sez in sezioni:
        vuota = sez.vuota(oggetto)
        if not (vuota and sez.se_vuota == "ometti"):
            stampate.append((sez, vuota))
    return stampate


def _in_colonne(ambiti: list) -> list[tuple]:
    """The ambiti as the document lists them: first half on the left, the rest on the right."""
    meta = (len(ambiti) + 1) // 2
    sinistra, destra = ambiti[:meta], ambiti[meta:]
    return [(s, destra[i] if i < len(destra) else None) for i, s in enumerate(sinistra)]


def _con_date(fase) -> bool:
    return any(
        (
            fase.data_inizio_prevista,
            fase.data_fine_prevista,
            fase.data_inizio_effettiva,
            fase.data_fine_effettiva,
        )
    )
