"""Gantt of the fasi: planned against actual, on a month grid, as the Cinisello scheda draws it.

A pure function from fasi (anything with ``numero``, ``descrizione`` and the four
``Periodo`` dates) to an SVG string. Months have equal width and a date falls inside
its month by day, so a fase from 1 January to 30 June covers exactly six of twelve
columns. Planned bars are light and plain, actual bars dark and hatched: they read
apart in greyscale too.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from indicators.engine.formatting import data_breve, data_lunga, quanti

from .svg import (
    BLU_CHIARO,
    BLU_SCURO,
    GRIGIO,
    GRIGLIA,
    ROSSO,
    escape,
    f,
    nuovo_id,
    svg,
    testo,
    tronca,
)

MESI_BREVI = ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic")

LARGHEZZA = 760
X0 = 270  # the month grid starts here; N° and denominazione on its left
X1 = 750
ALTO = 44  # year and month headers
RIGA = 34
RIGA_GRUPPO = 24
SENZA_DATE = "date non indicate"
# Where a fase's name is cut to end before the month grid: in Titillium, and in print.
CARATTERI = 40
CARATTERI_STAMPA = 32


@dataclass
class Barra:
    tipo: str  # "prevista" | "effettiva"
    x: float
    larghezza: float
    inizio: date
    fine: date
    aperta: bool = False  # started, not finished: drawn up to today
    traguardo: bool = False  # only the end date: a diamond, no bar


@dataclass
class Riga:
    numero: str
    descrizione: str
    gruppo: str = ""
    barre: list[Barra] = field(default_factory=list)


class Scala:
    """Dates → x on a grid of equal months from 1 January of ``primo`` to 31 December of ``ultimo``."""

    def __init__(self, primo: int, ultimo: int, x0: float = X0, x1: float = X1):
        self.primo, self.ultimo = primo, ultimo
        self.x0, self.x1 = x0, x1
        self.mesi = 12 * (ultimo - primo + 1)
        self.mese = (x1 - x0) / self.mesi

    @property
    def inizio(self) -> date:
        return date(self.primo, 1, 1)

    @property
    def fine(self) -> date:
        return date(self.ultimo, 12, 31)

    def x(self, giorno: date) -> float:
        """The left edge of ``giorno``; the day after the range is the right edge."""
        if giorno > self.fine:
            return self.x1
        if giorno < self.inizio:
            return self.x0
        mesi = 12 * (giorno.year - self.primo) + giorno.month - 1
        giorni = calendar.monthrange(giorno.year, giorno.month)[1]
        return self.x0 + (mesi + (giorno.day - 1) / giorni) * self.mese

    def scadenza(self, tipo: str, giorno: date) -> Barra:
        """A milestone at the end of ``giorno``: only the end date is known."""
        return Barra(tipo, self.x(giorno + timedelta(days=1)), 0, giorno, giorno, traguardo=True)

    def barra(self, tipo: str, inizio: date, fine: date, aperta: bool = False) -> Barra:
        # Bars include their last day: they end where the next day begins.
        sx, dx = self.x(inizio), self.x(fine + timedelta(days=1))
        return Barra(tipo, sx, max(dx - sx, 1.5), inizio, fine, aperta)


def date_di(fase) -> list[date]:
    nomi = (
        "data_inizio_prevista",
        "data_fine_prevista",
        "data_inizio_effettiva",
        "data_fine_effettiva",
    )
    return [d for d in (getattr(fase, n, None) for n in nomi) if d]


def scala_per(fasi: Iterable, anni: Iterable[int] = (), oggi: date | None = None) -> Scala:
    """The years spanned by the fasi' dates (and ``anni``), or ``oggi``'s year if none."""
    tutti = {d.year for fase in fasi for d in date_di(fase)} | set(anni)
    if not tutti:
        tutti = {(oggi or date.today()).year}
    return Scala(min(tutti), max(tutti))


def righe(
    fasi: Iterable, scala: Scala, oggi: date | None = None, gruppo: Callable | None = None
) -> list[Riga]:
    """One row per fase with its bars; no bar where a date is missing."""
    risultato = []
    for fase in fasi:
        riga = Riga(str(fase.numero), fase.descrizione, str(gruppo(fase)) if gruppo else "")
        if fase.data_inizio_prevista and fase.data_fine_prevista:
            riga.barre.append(
                scala.barra("prevista", fase.data_inizio_prevista, fase.data_fine_prevista)
            )
        elif fase.data_fine_prevista:
            # Only a deadline (Chiavari: "30 settembre 2019"): a milestone, not a bar.
            riga.barre.append(scala.scadenza("prevista", fase.data_fine_prevista))
        inizio, fine = fase.data_inizio_effettiva, fase.data_fine_effettiva
        if inizio and fine:
            riga.barre.append(scala.barra("effettiva", inizio, fine))
        elif fine:
            riga.barre.append(scala.scadenza("effettiva", fine))
        elif inizio and oggi and inizio <= oggi:
            # Begun and not finished: actual up to today, open on the right.
            riga.barre.append(scala.barra("effettiva", inizio, min(oggi, scala.fine), aperta=True))
        risultato.append(riga)
    return risultato


def _periodo(barra: Barra) -> str:
    if barra.traguardo:
        return f"entro {data_lunga(barra.fine)}"
    fine = "in corso" if barra.aperta else data_lunga(barra.fine)
    return f"{data_lunga(barra.inizio)} – {fine}"


def _traguardo(barra: Barra, numero: str, by: float, prevista: bool) -> str:
    """A diamond at the end date, with the date written beside it."""
    cx, cy = barra.x, by + 5.5
    scritta = ("entro " if prevista else "conclusa il ") + data_breve(barra.fine)
    a_sinistra = cx > X1 - 110
    return (
        f'<path class="traguardo-{barra.tipo}" data-fase="{escape(numero)}" '
        f'd="M{f(cx)} {f(cy - 6)}l6 6l-6 6l-6 -6z" '
        f'fill="{BLU_CHIARO if prevista else BLU_SCURO}" stroke="{BLU_SCURO}" stroke-width="0.8">'
        f"<title>Fase {escape(numero)}, {'scadenza prevista' if prevista else 'fine effettiva'}: "
        f"{escape(data_lunga(barra.fine))}</title></path>"
        + testo(
            cx - 9 if a_sinistra else cx + 9,
            cy + 4,
            scritta,
            font_size="10",
            text_anchor="end" if a_sinistra else "",
        )
    )


def gantt(
    fasi: Iterable,
    titolo: str = "Piano operativo: tempi previsti ed effettivi",
    gruppo: Callable | None = None,
    anni: Iterable[int] = (),
    oggi: date | None = None,
    ident: str | None = None,
    stampa: bool = False,
) -> str:
    """The Gantt as an SVG string.

    ``gruppo`` (fase → label, e.g. the obiettivo's codice) adds a heading row before
    each group, for a settore's Gantt; ``anni`` widens the grid (the scheda's year);
    ``oggi`` draws the today line when it falls inside the grid; ``stampa``: for a PDF,
    without the page's inline sizing (WeasyPrint would stretch it to the page's height) and
    with fase names cut shorter (the PDF has no Titillium: its fallback font is wider)."""
    caratteri = CARATTERI_STAMPA if stampa else CARATTERI
    fasi = list(fasi)
    ident = ident or nuovo_id()
    scala = scala_per(fasi, anni, oggi)
    elenco = righe(fasi, scala, oggi, gruppo)
    parti: list[str] = []
    tratteggio = f"{ident}-tratteggio"
    defs = (
        f'<defs><pattern id="{tratteggio}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{BLU_SCURO}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern></defs>'
    )
    parti.append(defs)

    y = ALTO
    corpo: list[str] = []
    gruppo_corrente = None
    for riga in elenco:
        if gruppo and riga.gruppo != gruppo_corrente:
            gruppo_corrente = riga.gruppo
            corpo.append(
                f'<rect x="0" y="{y}" width="{LARGHEZZA}" height="{RIGA_GRUPPO}" fill="#eef3f8"/>'
            )
            corpo.append(
                testo(6, y + 16, tronca(riga.gruppo, 90), font_weight="700", class_="gruppo")
            )
            y += RIGA_GRUPPO
        corpo.append(
            f'<line x1="0" y1="{y + RIGA}" x2="{LARGHEZZA}" y2="{y + RIGA}" stroke="{GRIGLIA}"/>'
        )
        corpo.append(testo(6, y + 21, riga.numero, font_weight="700"))
        corpo.append(
            f'<text x="30" y="{y + 21}">{escape(tronca(riga.descrizione, caratteri))}'
            f"<title>{escape(riga.descrizione)}</title></text>"
        )
        if not riga.barre:
            corpo.append(
                testo(
                    X0 + 6,
                    y + 21,
                    SENZA_DATE,
                    font_style="italic",
                    fill=GRIGIO,
                    class_="senza-date",
                )
            )
        for barra in riga.barre:
            prevista = barra.tipo == "prevista"
            by = y + (5 if prevista else 18)
            riempimento = BLU_CHIARO if prevista else f"url(#{tratteggio})"
            etichetta = "prevista" if prevista else "effettiva"
            if barra.traguardo:
                corpo.append(_traguardo(barra, riga.numero, by, prevista))
                continue
            corpo.append(
                f'<rect class="barra-{barra.tipo}" data-fase="{escape(riga.numero)}" '
                f'x="{f(barra.x)}" y="{by}" width="{f(barra.larghezza)}" height="11" '
                f'fill="{riempimento}" stroke="{BLU_SCURO}" stroke-width="0.8">'
                f"<title>Fase {escape(riga.numero)}, {etichetta}: {escape(_periodo(barra))}</title>"
                f"</rect>"
            )
            if barra.aperta:
                corpo.append(
                    testo(barra.x + barra.larghezza + 4, by + 10, "in corso", font_size="10")
                )
        y += RIGA
    if not elenco:
        corpo.append(testo(X0 + 6, y + 21, "Nessuna fase.", fill=GRIGIO))
        y += RIGA
    fondo = y

    # Month grid and headers, drawn before the rows so bars sit above the lines.
    griglia: list[str] = []
    stretti = scala.mese < 22
    for m in range(scala.mesi):
        gx = scala.x0 + m * scala.mese
        nuovo_anno = m % 12 == 0
        griglia.append(
            f'<line x1="{f(gx)}" y1="{ALTO - (30 if nuovo_anno else 14)}" x2="{f(gx)}" y2="{fondo}" '
            f'stroke="{GRIGIO if nuovo_anno else GRIGLIA}"/>'
        )
        nome = MESI_BREVI[m % 12]
        if scala.mese >= 8:
            griglia.append(
                testo(
                    gx + scala.mese / 2,
                    ALTO - 4,
                    nome[0] if stretti else nome,
                    text_anchor="middle",
                    font_size="10",
                    fill=GRIGIO,
                )
            )
        if nuovo_anno:
            griglia.append(
                testo(
                    gx + 6 * scala.mese,
                    ALTO - 22,
                    str(scala.primo + m // 12),
                    text_anchor="middle",
                    font_weight="700",
                )
            )
    griglia.append(
        f'<line x1="{f(scala.x1)}" y1="{ALTO - 30}" x2="{f(scala.x1)}" y2="{fondo}" stroke="{GRIGIO}"/>'
    )
    griglia.append(testo(6, ALTO - 4, "N°", font_weight="700", font_size="11"))
    griglia.append(testo(30, ALTO - 4, "Fase", font_weight="700", font_size="11"))
    griglia.append(f'<line x1="0" y1="{ALTO}" x2="{LARGHEZZA}" y2="{ALTO}" stroke="{GRIGIO}"/>')

    # Today's line, on top of everything.
    if oggi and scala.inizio <= oggi <= scala.fine:
        ox = scala.x(oggi)
        corpo.append(
            f'<line class="oggi" x1="{f(ox)}" y1="{ALTO - 8}" x2="{f(ox)}" y2="{fondo}" '
            f'stroke="{ROSSO}" stroke-width="1.5" stroke-dasharray="4 3">'
            f"<title>Oggi, {escape(data_lunga(oggi))}</title></line>"
        )
        corpo.append(testo(ox + 3, fondo + 12, "oggi", font_size="10", fill=ROSSO))

    # Legend: pattern and position, not colour alone.
    ly = fondo + 26
    legenda = [
        f'<rect x="{X0}" y="{ly - 10}" width="26" height="11" fill="{BLU_CHIARO}" '
        f'stroke="{BLU_SCURO}" stroke-width="0.8"/>',
        testo(X0 + 32, ly, "prevista (sopra)", font_size="11"),
        f'<rect x="{X0 + 150}" y="{ly - 10}" width="26" height="11" fill="url(#{tratteggio})" '
        f'stroke="{BLU_SCURO}" stroke-width="0.8"/>',
        testo(X0 + 182, ly, "effettiva (sotto, tratteggiata)", font_size="11"),
    ]
    if any(b.traguardo for r in elenco for b in r.barre):
        legenda += [
            f'<path d="M{X0 + 366} {ly - 10}l6 6l-6 6l-6 -6z" fill="{BLU_CHIARO}" '
            f'stroke="{BLU_SCURO}" stroke-width="0.8"/>',
            testo(X0 + 378, ly, "solo scadenza", font_size="11"),
        ]
    senza = sum(1 for r in elenco if not r.barre)
    descrizione = (
        f"{quanti(len(elenco), 'fase,fasi')} su una griglia mensile da gennaio {scala.primo} a dicembre "
        f"{scala.ultimo}; per ogni fase la barra chiara indica i tempi previsti, quella "
        f"tratteggiata sotto i tempi effettivi."
        + (f" {quanti(senza, 'fase senza date,fasi senza date')}." if senza else "")
        + " I dati sono anche nella tabella che accompagna il grafico."
    )
    parti += griglia + corpo + legenda
    return svg(
        ident,
        LARGHEZZA,
        ly + 10,
        titolo,
        descrizione,
        "".join(parti),
        classe="grafico gantt",
        stampa=stampa,
    )
