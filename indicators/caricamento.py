"""Database loaders for the pure scoring engine (``indicators.engine.scoring``).

``carica_figli`` attaches to any set of schede what scoring reads (indicatori with their
rilevazioni, fasi, and the OIV's validated figures in force) in a fixed number of
queries; ``carica_punteggi`` loads and scores a piano.

The validated figures are stored by the OIV's app (``valutazione``), which sits above
this one: it registers at start-up the function that loads those in force
(``registra_rettifiche``), so nothing here imports it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

from objectives.models import Fase, Obiettivo

from .engine.scoring import FINALE, PunteggiPiano, Sistema, calcola
from .models import Indicatore, Rilevazione

# (subquery of obiettivo ids) → {obiettivo id: [validated scores in force]}
FonteRettifiche = Callable[[object], dict]
_fonte_rettifiche: FonteRettifiche | None = None


def registra_rettifiche(fonte: FonteRettifiche) -> None:
    """Called once by ``valutazione`` when the apps are ready."""
    global _fonte_rettifiche
    _fonte_rettifiche = fonte


def rettifiche_di(obiettivi_ids) -> dict:
    """The validated figures in force for the schede of a subquery, by obiettivo id."""
    if _fonte_rettifiche is None:
        # Silently none would drop the OIV's figures from every score.
        raise ImproperlyConfigured(
            "Nessuna fonte dei punteggi validati: l'app «valutazione» non è stata caricata."
        )
    return _fonte_rettifiche(obiettivi_ids)


# Only what scoring reads: a whole ente loads quickly.
CAMPI_OBIETTIVO = (
    "id",
    "codice",
    "anno",
    "peso",
    "strategicita",
    "complessita",
    "tipologia",
    "settore",
    "piano_id",
    "stato",
)
CAMPI_INDICATORE = (
    "id",
    "obiettivo_id",
    "numero",
    "peso",
    "polarita",
    "graduazione",
    "regola",
    "valore_atteso",
    "data_attesa",
    "valore_intermedio",
    "data_intermedia",
)
CAMPI_FASE = (
    "id",
    "obiettivo_id",
    "numero",
    "peso",
    "graduazione",
    "regola",
    "livello_atteso",
    "raggiunto",
    "avanzamento",
    "data_fine_prevista",
    "data_fine_effettiva",
)


def carica_punteggi(
    piano, anno: int | None = None, momento: str = FINALE, settore=None, spiega: bool = False
) -> PunteggiPiano:
    """Load a piano's schede (of one year) in five queries and score them.

    Children are grouped here rather than with prefetch_related, whose per-object
    querysets cost more than the scoring itself on a whole ente."""
    filtro = {"piano": piano}
    if anno is not None:
        filtro["anno"] = anno
    if settore is not None:
        filtro["settore"] = settore
    obiettivi = carica_figli(
        Obiettivo.objects.filter(**filtro)
        .select_related("settore")
        .only(*CAMPI_OBIETTIVO)
        .order_by("settore__codice", "settore__nome", "codice_ordinabile", "anno", "id")
    )
    return calcola(
        obiettivi,
        Sistema.del_piano(piano),
        momento,
        etichetta_ente=str(piano.comune),
        spiega=spiega,
    )


def carica_figli(obiettivi) -> list:
    """The obiettivi of a queryset with what scoring reads attached, in five queries
    whatever their number (children selected by the same filter, not by id lists)."""
    lista = list(obiettivi)
    figli = obiettivi.order_by().values("pk")
    indicatori = raggruppa(
        Indicatore.objects.filter(obiettivo__in=figli).only(*CAMPI_INDICATORE), "obiettivo_id"
    )
    fasi = raggruppa(Fase.objects.filter(obiettivo__in=figli).only(*CAMPI_FASE), "obiettivo_id")
    rilevazioni = raggruppa(
        Rilevazione.objects.filter(indicatore__obiettivo__in=figli).only(
            "id", "indicatore_id", "tipo", "valore", "data"
        ),
        "indicatore_id",
    )
    rettifiche = rettifiche_di(figli)
    for obiettivo in lista:
        obiettivo.figli = {
            "indicatori": indicatori.get(obiettivo.pk, []),
            "fasi": fasi.get(obiettivo.pk, []),
            "rettifiche": rettifiche.get(obiettivo.pk, []),
        }
        for indicatore in obiettivo.figli["indicatori"]:
            indicatore.figli = {"rilevazioni": rilevazioni.get(indicatore.pk, [])}
    return lista


def raggruppa(queryset, chiave: str) -> dict:
    """{value of ``chiave``: [objects]} in numero (else id) order, from one query."""
    gruppi: dict = {}
    ordine = "numero" if hasattr(queryset.model, "numero") else "id"
    for obj in queryset.order_by(chiave, ordine):
        gruppi.setdefault(getattr(obj, chiave), []).append(obj)
    return gruppi
