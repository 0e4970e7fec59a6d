"""Schede prepared for print: the read model of a scheda (``objectives.lettura``) plus
what only the print shows — the layout chosen (scheda or rendicontazione), BOZZA on
drafts, the OIV's validation in force and the Gantt of the fasi.

Loaded in a fixed number of queries whatever the count; the templates issue none.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.safestring import mark_safe

from objectives.access import BOZZE
from objectives.lettura import leggi_schede
from objectives.models import Obiettivo
from valutazione.punteggi import validazioni_in_vigore

from . import gantt as gantt_svg

# Past these states the scheda has actual values: print it as a rendicontazione.
STATI_RENDICONTAZIONE = (Obiettivo.Stato.RENDICONTATO, Obiettivo.Stato.VALIDATO)


def carica_schede(obiettivi, rendicontazione: bool | None = None) -> list[Obiettivo]:
    """The schede of a queryset, prepared for print, in its order.

    ``rendicontazione``: True/False forces the layout; None chooses per scheda
    (rendicontato and validato print as rendicontazione)."""
    schede = leggi_schede(obiettivi)
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
        o.gantt = ""
        if any(_con_date(f) for f in o.lista_fasi):
            # Fixed SVG ids: the same scheda prints the same bytes.
            svg = gantt_svg.gantt(o.lista_fasi, anni=[o.anno], oggi=oggi, ident=f"gantt{o.pk}")
            o.gantt = mark_safe(svg)  # noqa: S308 - every text escaped by reporting.svg
    return schede


def _con_date(fase) -> bool:
    return any(
        (
            fase.data_inizio_prevista,
            fase.data_fine_prevista,
            fase.data_inizio_effettiva,
            fase.data_fine_effettiva,
        )
    )
