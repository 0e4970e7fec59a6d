"""Server-rendered SVG charts: pure functions from values to an SVG string.

No JavaScript and no external resources, so the charts print and go into PDFs as they
are. Each chart is ``role="img"`` (``"group"`` when its bars are links) labelled by its own ``<title>`` and ``<desc>``, writes
every value as Italian text beside its mark (readable in greyscale and without colour)
and scales with its ``viewBox``. All text is escaped here; the caller marks the
string safe.
"""

from __future__ import annotations

import html
import math
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from indicators.engine.formatting import numero, numero_compatto, percentuale


def escape(testo) -> str:
    """The text of ``django.utils.html.escape`` (every character it escapes, always),
    without its wrapper for lazy strings: a chart escapes a hundred texts."""
    return html.escape(str(testo))


FONT = "'Titillium Web', Arial, Helvetica, sans-serif"
TESTO = "#1a1a1a"
GRIGIO = "#5c6f82"
GRIGLIA = "#d9dadb"
BLU = "#0066cc"
BLU_SCURO = "#003d7a"
BLU_CHIARO = "#8fb8e6"
ROSSO = "#b00020"
TRATTEGGIO = f'stroke="{GRIGLIA}" stroke-width="1" stroke-dasharray="3 3"'


@dataclass
class Voce:
    """One bar: a label and a value (None when there is none: ``testo`` says why)."""

    etichetta: str
    valore: Decimal | None
    calcolato: Decimal | None = None  # the engine's figure when the OIV set another
    testo: str = ""  # shown instead of / beside the value
    href: str = ""
    colore: str = ""


@dataclass
class Punto:
    """One year of a trend: the value and where it comes from."""

    anno: int
    valore: Decimal | None
    fonte: str = ""  # "valore storico", "rilevazione finale"
    corrente: bool = False


def nuovo_id() -> str:
    # ids must be unique in the page: several charts can sit on the same page.
    return "g" + uuid.uuid4().hex[:10]


def tronca(testo: str, lunghezza: int) -> str:
    testo = " ".join(str(testo).split())
    return testo if len(testo) <= lunghezza else testo[: lunghezza - 1].rstrip() + "…"


def f(value: float) -> str:
    """A coordinate: one decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def testo(x, y, contenuto, **attrs) -> str:
    """A <text> element with escaped content; attrs with _ become -."""
    resto = "".join(
        f' {k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in attrs.items() if v != ""
    )
    return f'<text x="{f(x)}" y="{f(y)}"{resto}>{escape(contenuto)}</text>'


# On a page the chart shrinks with its column; in a PDF the print's CSS sizes it.
STILE_PAGINA = 'style="max-width:100%;height:auto" '


def svg(
    ident: str, larghezza: int, altezza: float, titolo: str, descrizione: str, corpo: str, **extra
) -> str:
    classe = escape(extra.get("classe", "grafico"))
    # With links inside, "img" would hide them from screen readers while keeping focus.
    ruolo = "group" if "<a " in corpo else "img"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{classe}" id="{ident}" '
        f'viewBox="0 0 {larghezza} {f(altezza)}" width="{larghezza}" height="{f(altezza)}" '
        f'{"" if extra.get("stampa") else STILE_PAGINA}role="{ruolo}" '
        f'aria-labelledby="{ident}-titolo {ident}-desc" '
        f'font-family="{escape(FONT)}" font-size="12" fill="{TESTO}">'
        f'<title id="{ident}-titolo">{escape(titolo)}</title>'
        f'<desc id="{ident}-desc">{escape(descrizione)}</desc>'
        f"{corpo}</svg>"
    )


def _scala_massima(valori: Iterable[Decimal | None], minimo: int = 100) -> Decimal:
    """At least 100 (a score's full mark), else the largest value rounded up to 10."""
    massimo = max((v for v in valori if v is not None), default=Decimal(0))
    massimo = max(Decimal(minimo), massimo)
    return Decimal(math.ceil(massimo / 10) * 10)


def barre(
    voci: list[Voce],
    titolo: str,
    descrizione: str = "",
    formato: Callable = percentuale,
    ident: str | None = None,
) -> str:
    """Horizontal bars, label → value (0..100 and beyond), the 100 line marked.

    A voce with ``calcolato`` gets a black tick at the engine's figure and the text
    "95,00% validato (calcolato 80,00%)"."""
    ident = ident or nuovo_id()
    # Labels on the left, then the bars, then room for "95,00% validato (calcolato 80,00%)".
    larghezza, sinistra, area = 820, 250, 300
    riga, alto = 26, 28
    scala = _scala_massima([v.valore for v in voci] + [v.calcolato for v in voci])

    def x(valore) -> float:
        return sinistra + float(max(valore, 0) / scala) * area

    altezza = alto + riga * max(len(voci), 1) + 10
    parti = []
    passo = 25 if scala <= 150 else 50
    for tacca in range(0, int(scala) + 1, passo):
        linea = x(Decimal(tacca))
        # The full mark (100) is solid, the other ticks dashed.
        stile = f'stroke="{GRIGIO}" stroke-width="1.5"' if tacca == 100 else TRATTEGGIO
        parti.append(
            f'<line x1="{f(linea)}" y1="{alto - 6}" x2="{f(linea)}" y2="{f(altezza - 10)}" {stile}/>'
        )
        parti.append(
            testo(
                linea, alto - 10, formato(tacca), text_anchor="middle", font_size="10", fill=GRIGIO
            )
        )
    for n, voce in enumerate(voci):
        y = alto + n * riga
        etichetta = testo(
            sinistra - 8, y + 16, tronca(voce.etichetta, 36), text_anchor="end", font_size="11"
        )
        if voce.href:
            etichetta = f'<a href="{escape(voce.href)}">{etichetta}</a>'
        parti.append(etichetta)
        if voce.valore is None:
            parti.append(
                testo(
                    sinistra + 4,
                    y + 16,
                    voce.testo or "non calcolato",
                    font_style="italic",
                    fill=GRIGIO,
                )
            )
            continue
        fine = x(voce.valore)
        parti.append(
            f'<rect class="barra" x="{sinistra}" y="{y + 5}" width="{f(fine - sinistra)}" '
            f'height="15" fill="{escape(voce.colore or BLU)}">'
            f"<title>{escape(voce.etichetta)}: {escape(voce.testo or formato(voce.valore))}</title>"
            f"</rect>"
        )
        scritta = voce.testo or formato(voce.valore)
        if voce.calcolato is not None:
            tacca = x(voce.calcolato)
            parti.append(
                f'<path class="calcolato" d="M{f(tacca)} {y + 2}v21" stroke="{TESTO}" '
                f'stroke-width="2.5"/><path d="M{f(tacca - 4)} {y + 1}h8l-4 5z" fill="{TESTO}"/>'
            )
            if not voce.testo:
                scritta = f"{formato(voce.valore)} validato (calcolato {formato(voce.calcolato)})"
        fine_testo = max(fine, x(voce.calcolato) if voce.calcolato is not None else 0)
        parti.append(testo(fine_testo + 6, y + 16, scritta, font_size="12", font_weight="600"))
    if not voci:
        parti.append(testo(sinistra, alto + 16, "Nessun dato.", fill=GRIGIO))
    descrizione = descrizione or "; ".join(
        f"{v.etichetta}: {v.testo or (formato(v.valore) if v.valore is not None else 'non calcolato')}"
        for v in voci
    )
    return svg(ident, larghezza, altezza, titolo, descrizione, "".join(parti))


def colonne(
    voci: list[Voce],
    titolo: str,
    descrizione: str = "",
    ident: str | None = None,
) -> str:
    """Vertical columns of counts (obiettivi per fascia, per stato), the count on top."""
    ident = ident or nuovo_id()
    colonna, spazio = 56, 40
    larghezza = max(360, 40 + len(voci) * (colonna + spazio))
    alto, area = 28, 150
    base = alto + area
    massimo = max((int(v.valore or 0) for v in voci), default=0) or 1
    parti = [
        f'<line x1="20" y1="{base}" x2="{larghezza - 20}" y2="{base}" stroke="{GRIGIO}"/>',
    ]
    for n, voce in enumerate(voci):
        conteggio = int(voce.valore or 0)
        sx = 40 + n * (colonna + spazio)
        h = area * conteggio / massimo
        centro = sx + colonna / 2
        parti.append(
            f'<rect class="colonna" x="{sx}" y="{f(base - h)}" width="{colonna}" '
            f'height="{f(h)}" fill="{escape(voce.colore or BLU)}" stroke="{TESTO}" '
            f'stroke-width="0.5"><title>{escape(voce.etichetta)}: {conteggio}</title></rect>'
        )
        parti.append(
            testo(centro, base - h - 6, str(conteggio), text_anchor="middle", font_weight="700")
        )
        righe = _a_capo(voce.etichetta, 14)[:3]
        for r, riga_testo in enumerate(righe):
            parti.append(
                testo(centro, base + 16 + r * 13, riga_testo, text_anchor="middle", font_size="11")
            )
    altezza = base + 16 + 13 * 3
    descrizione = descrizione or "; ".join(f"{v.etichetta}: {int(v.valore or 0)}" for v in voci)
    return svg(ident, larghezza, altezza, titolo, descrizione, "".join(parti))


def _a_capo(testo_: str, larghezza: int) -> list[str]:
    """Words into lines of about ``larghezza`` characters."""
    righe: list[str] = []
    for parola in str(testo_).split():
        if righe and len(righe[-1]) + 1 + len(parola) <= larghezza:
            righe[-1] += " " + parola
        else:
            righe.append(parola)
    return righe or [""]


def _passo_tondo(ampiezza: float, tacche: int = 4) -> float:
    """A round step (1, 2, 2.5, 5 × 10^k) giving about ``tacche`` ticks."""
    grezzo = ampiezza / tacche if ampiezza > 0 else 1
    potenza = 10 ** math.floor(math.log10(grezzo))
    return next(m * potenza for m in (1, 2, 2.5, 5, 10) if m * potenza >= grezzo)


def andamento(
    punti: list[Punto],
    titolo: str,
    descrizione: str = "",
    atteso: Decimal | None = None,
    unita: str = "",
    ident: str | None = None,
) -> str:
    """Values over the years, the target as a dashed line.

    Historical values are hollow circles, the current year a filled square, so the
    two read apart without colour."""
    ident = ident or nuovo_id()
    larghezza, sinistra, destra, alto, basso = 560, 64, 470, 30, 200
    punti = sorted(punti, key=lambda p: p.anno)
    valori = [float(p.valore) for p in punti if p.valore is not None]
    if atteso is not None:
        valori.append(float(atteso))
    minimo = min([0.0, *valori])
    massimo = max([0.0, *valori])
    passo = _passo_tondo(massimo - minimo or 1)
    massimo = math.ceil(massimo * 1.08 / passo) * passo if massimo > 0 else passo
    minimo = math.floor(minimo / passo) * passo

    def y(valore) -> float:
        return basso - (float(valore) - minimo) / (massimo - minimo) * (basso - alto)

    anni = [p.anno for p in punti]
    primo, ultimo = (min(anni), max(anni)) if anni else (0, 0)

    def x(anno: int) -> float:
        if ultimo == primo:
            return (sinistra + destra) / 2
        return sinistra + 20 + (anno - primo) / (ultimo - primo) * (destra - sinistra - 40)

    parti = []
    tacca = minimo
    while tacca <= massimo + passo / 1000:
        ty = y(tacca)
        parti.append(
            f'<line x1="{sinistra}" y1="{f(ty)}" x2="{destra}" y2="{f(ty)}" stroke="{GRIGLIA}"/>'
        )
        parti.append(
            testo(
                sinistra - 6,
                ty + 4,
                numero_compatto(Decimal(str(round(tacca, 6)))),
                text_anchor="end",
                font_size="10",
                fill=GRIGIO,
            )
        )
        tacca += passo
    parti.append(
        f'<line x1="{sinistra}" y1="{basso}" x2="{destra}" y2="{basso}" stroke="{GRIGIO}"/>'
    )
    for anno in range(primo, ultimo + 1) if anni else []:
        parti.append(testo(x(anno), basso + 18, str(anno), text_anchor="middle", font_weight="600"))
    if atteso is not None:
        ay = y(atteso)
        parti.append(
            f'<line class="atteso" x1="{sinistra}" y1="{f(ay)}" x2="{destra}" y2="{f(ay)}" '
            f'stroke="{ROSSO}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        parti.append(
            testo(destra + 6, ay + 4, f"atteso {numero(atteso)}{unita}", font_size="11", fill=ROSSO)
        )
    presenti = [p for p in punti if p.valore is not None]
    if len(presenti) > 1:
        d = " ".join(f"{f(x(p.anno))},{f(y(p.valore))}" for p in presenti)
        parti.append(f'<polyline points="{d}" fill="none" stroke="{BLU_SCURO}" stroke-width="2"/>')
    for p in punti:
        if p.valore is None:
            parti.append(
                testo(x(p.anno), basso - 6, "non rilevato", text_anchor="middle", fill=GRIGIO)
            )
            continue
        px, py = x(p.anno), y(p.valore)
        nota = f"{p.anno}: {numero(p.valore)}{unita}" + (f" ({p.fonte})" if p.fonte else "")
        if p.corrente:
            parti.append(
                f'<rect class="punto corrente" x="{f(px - 5)}" y="{f(py - 5)}" width="10" '
                f'height="10" fill="{BLU_SCURO}"><title>{escape(nota)}</title></rect>'
            )
        else:
            parti.append(
                f'<circle class="punto" cx="{f(px)}" cy="{f(py)}" r="5" fill="#fff" '
                f'stroke="{BLU_SCURO}" stroke-width="2"><title>{escape(nota)}</title></circle>'
            )
        parti.append(
            testo(
                px,
                py - 10,
                f"{numero(p.valore)}{unita}",
                text_anchor="middle",
                font_weight="700",
                class_="valore",
            )
        )
    # Legend: shape, not colour, tells the series apart.
    ly = basso + 40
    parti.append(
        f'<circle cx="{sinistra + 6}" cy="{ly - 4}" r="5" fill="#fff" stroke="{BLU_SCURO}" '
        f'stroke-width="2"/>'
    )
    parti.append(testo(sinistra + 16, ly, "anni precedenti", font_size="11"))
    parti.append(
        f'<rect x="{sinistra + 120}" y="{ly - 9}" width="10" height="10" fill="{BLU_SCURO}"/>'
    )
    parti.append(testo(sinistra + 136, ly, "anno della scheda", font_size="11"))
    if atteso is not None:
        parti.append(
            f'<line x1="{sinistra + 250}" y1="{ly - 4}" x2="{sinistra + 278}" y2="{ly - 4}" '
            f'stroke="{ROSSO}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        parti.append(testo(sinistra + 284, ly, "valore atteso", font_size="11"))
    if not punti:
        parti.append(testo(sinistra + 10, alto + 40, "Nessun valore.", fill=GRIGIO))
    descrizione = descrizione or "; ".join(
        f"{p.anno}: {numero(p.valore) + unita if p.valore is not None else 'non rilevato'}"
        for p in punti
    ) + (f"; valore atteso {numero(atteso)}{unita}" if atteso is not None else "")
    return svg(ident, larghezza, ly + 12, titolo, descrizione, "".join(parti))
