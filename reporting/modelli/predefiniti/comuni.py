"""Sections any model may hold, none of them in the four documents: the whole-piano
book's cover, table of contents and scores, the OIV's validation, the Gantt. The
built-in models list them hidden (``nascoste``): a copy can show them."""

from ..catalogo import TipoSezione, registra

T = "reporting/pdf/sezioni/comuni/"

registra(
    TipoSezione(
        "copertina",
        "Copertina",
        T + "copertina.html",
        "libro",
        descrizione="Nome e stemma del comune, titolo del piano, anno, delibera.",
    ),
    TipoSezione(
        "indice",
        "Indice",
        T + "indice.html",
        "libro",
        descrizione="I settori e le schede con il numero di pagina (solo nel piano intero).",
    ),
    TipoSezione(
        "riepilogo",
        "Riepilogo dei punteggi",
        T + "riepilogo.html",
        "libro",
        descrizione="Il conseguimento di ogni settore e dell'ente.",
        risultato=True,
    ),
    TipoSezione(
        "validazione",
        "Validazione del Nucleo di valutazione",
        T + "validazione.html",
        vuota=lambda o: o.validazione is None,
        descrizione="Punteggio validato, data e motivazioni dell'OIV.",
        risultato=True,
    ),
    TipoSezione(
        "gantt",
        "Gantt",
        T + "gantt.html",
        vuota=lambda o: not o.gantt,
        descrizione="Il diagramma delle fasi.",
        risultato=True,
    ),
)


def nascoste(*tipi: str) -> list[dict]:
    """Sections listed in a built-in model but not printed: a copy may turn them on."""
    return [{"tipo": t, "visibile": False} for t in tipi]
