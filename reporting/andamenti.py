"""An indicatore's values over the years, from what the page already loaded."""

from __future__ import annotations

from .svg import Punto


def anno_scheda(indicatore) -> int | None:
    # indicatore.obiettivo is cached by the scheda's prefetch: no query.
    return indicatore.anno or getattr(indicatore.obiettivo, "anno", None)


def punti(indicatore, anno: int | None = None) -> list[Punto]:
    """ValoreStorico years, then the scheda's year from its finale Rilevazione.

    Reads ``storico.all()`` and ``rilevazioni.all()``: prefetch them for lists."""
    anno = anno or anno_scheda(indicatore)
    per_anno = {
        s.anno: Punto(s.anno, s.valore, "valore storico")
        for s in indicatore.storico.all()
        if s.valore is not None
    }
    finale = next((r for r in indicatore.rilevazioni.all() if r.tipo == "finale"), None)
    if anno is not None:
        valore = finale.valore if finale else None
        per_anno[anno] = Punto(anno, valore, "rilevazione finale", corrente=True)
    return [per_anno[a] for a in sorted(per_anno)]


def ha_storico(indicatore) -> bool:
    return any(True for _ in indicatore.storico.all())
