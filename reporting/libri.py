"""PDF books: the settore PDO (Soresina style), the whole piano, the Relazione sulla performance.

Each book loads its schede through ``reporting.schede.carica_schede`` (a fixed number
of queries whatever the count) and is laid out as one WeasyPrint document, so the
table of contents can print page numbers (``target-counter``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db.models import Prefetch
from django.template.loader import render_to_string

from indicators.scoring import Sistema, calcola
from objectives.models import Obiettivo
from peg.models import Persona, Settore

from .pdf import contesto_base, html_to_pdf, render_pdf
from .relazione import relazione
from .schede import carica_schede

Avanzamento = Callable[[int, int], None] | None


def _chiave(o) -> tuple:
    """Settore, then codice in natural order: VI - 2 before VI - 10."""
    parti = re.split(r"(\d+)", o.codice)
    codice = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parti)
    return (o.settore.codice, o.settore.nome, codice, o.pk)


def _carica(obiettivi, rendicontazione) -> list:
    return sorted(carica_schede(obiettivi, rendicontazione), key=_chiave)


def _obiettivi(piano, anno: int, visibili=None):
    base = visibili if visibili is not None else Obiettivo.objects.all()
    return base.filter(piano=piano, anno=anno).order_by(
        "settore__codice", "settore__nome", "codice", "id"
    )


def _sezioni(piano, schede: list) -> tuple[list[dict], object]:
    """Schede grouped by settore with the settore's data and scores, plus the ente's."""
    ids = {o.settore_id for o in schede}
    settori = {
        s.pk: s
        for s in Settore.objects.filter(pk__in=ids).prefetch_related(
            "servizi",
            Prefetch("addetti", queryset=Persona.objects.order_by("nome")),
            Prefetch("responsabili", queryset=Persona.objects.order_by("nome")),
        )
    }
    punteggi = calcola(
        schede, Sistema.del_piano(piano), etichetta_ente=str(piano.comune), spiega=False
    )
    esiti_settore = {s.pk: e for s, e in punteggi.settori.items()}
    sezioni: dict[int, dict] = {}
    for o in schede:
        settore = settori[o.settore_id]
        o.settore = settore  # the prefetched one: servizi and addetti without queries
        sezione = sezioni.setdefault(
            settore.pk,
            {
                "settore": settore,
                "servizi": list(settore.servizi.all()),
                "addetti": list(settore.addetti.all()),
                "responsabili": ", ".join(p.nome for p in settore.responsabili.all()),
                "esito": esiti_settore.get(settore.pk),
                "schede": [],
            },
        )
        sezione["schede"].append(o)
    return list(sezioni.values()), punteggi.ente


def pdf_schede(obiettivi, rendicontazione: bool | None = None, titolo: str = "") -> bytes:
    """One or more schede (a queryset) without cover: the scheda PDF."""
    schede = carica_schede(obiettivi, rendicontazione)
    if not schede:
        raise ValueError("Nessuna scheda da stampare.")
    primo = schede[0]
    contesto = contesto_base(primo.piano.comune, titolo or _titolo_scheda(primo))
    contesto["schede"] = schede
    return render_pdf("reporting/pdf/schede.html", contesto)


def _titolo_scheda(o) -> str:
    tipo = "Rendicontazione" if o.rendicontazione else "Scheda obiettivo"
    return f"{o.piano.titolo} · {tipo} {o.codice} ({o.anno})"


def pdf_settore(
    piano, settore, anno: int, visibili=None, rendicontazione: bool | None = None
) -> bytes:
    """The settore's PDO: header with responsabile, servizi, addetti, then each scheda."""
    schede = _carica(_obiettivi(piano, anno, visibili).filter(settore=settore), rendicontazione)
    contesto = contesto_base(piano.comune, f"{piano.titolo} · {settore.nome} · {anno}")
    if schede:
        settori, _ = _sezioni(piano, schede)
    else:
        settori = [{"settore": settore, "schede": [], "servizi": [], "addetti": []}]
    contesto.update(piano=piano, anno=anno, settori=settori)
    return render_pdf("reporting/pdf/settore.html", contesto)


def pdf_piano(
    piano,
    anno: int,
    avanzamento: Avanzamento = None,
    visibili=None,
    rendicontazione: bool | None = None,
) -> bytes:
    """The whole piano of one year: cover, table of contents, scores, every settore.

    ``avanzamento(fatti, totale)`` is called as each scheda is rendered; the last call
    (totale, totale) comes only once the PDF is written, the slow part being the layout.
    """
    schede = _carica(_obiettivi(piano, anno, visibili), rendicontazione)
    totale = len(schede) + 1  # the final layout counts as one step
    settori, ente = _sezioni(piano, schede) if schede else ([], None)
    contesto = contesto_base(piano.comune, f"{piano.titolo} · {anno}")
    contesto.update(piano=piano, anno=anno, settori=settori, ente=ente, n_schede=len(schede))
    if avanzamento:
        # Rendering the schede one by one only to report progress would double the work:
        # the template loop is fast, WeasyPrint's layout is what takes time.
        for fatti in range(1, len(schede) + 1):
            avanzamento(fatti, totale)
    html = render_to_string("reporting/pdf/piano.html", contesto)
    pdf = html_to_pdf(html)
    if avanzamento:
        avanzamento(totale, totale)
    return pdf


def pdf_relazione(piano, anno: int, visibili=None) -> bytes:
    """The Relazione sulla performance of the year (``reporting.relazione``)."""
    dati = relazione(piano, anno, visibili)
    contesto = contesto_base(piano.comune, f"Relazione sulla performance {anno}")
    contesto.update(piano=piano, anno=anno, relazione=dati)
    return render_pdf("reporting/pdf/relazione.html", contesto)
