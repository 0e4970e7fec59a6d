"""PDF books: the settore PDO (Soresina style), the whole piano, the Relazione sulla performance.

Each book loads its schede through ``reporting.schede.carica_schede`` (a fixed number
of queries whatever the count). The scheda and settore books are laid out as one
WeasyPrint document; the whole piano is laid out in parts (a settore, or a block of
its schede), joined afterwards, so memory stays bounded and progress is real.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, wait
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string

from indicators.engine.formatting import chiave_naturale
from indicators.engine.scoring import Sistema, calcola
from objectives.models import Obiettivo
from peg.models import Persona, Settore
from peg.organigramma_piano import ATTRIBUTO, applica, come_nel_piano, responsabili_di

from .modelli.scelta import PIANO, RENDICONTAZIONE, modelli_del_piano
from .modelli.schema import Modello
from .pdf import Parte, contesto_base, impagina_in_file, numera, render_pdf, unisci_file
from .processi import esecutore
from .processi import numero as numero_processi
from .relazione import relazione
from .schede import STATI_RENDICONTAZIONE, carica_per_scheda, carica_schede, sezioni_stampa

Avanzamento = Callable[[int, int], None] | None

# The whole piano is laid out a settore at a time, a long settore in blocks of this many
# schede: WeasyPrint's memory grows with the pages of one layout.
SCHEDE_PER_PARTE = 50
# A book of fewer schede than this per process is laid out in one: a process takes a
# second or two to start (Python, Django, WeasyPrint), the time of a few schede.
MINIMO_SCHEDE_PER_PROCESSO = 10


def _chiave(o) -> tuple:
    """Settore, then codice in natural order (VI - 2 before VI - 10) or, when the model
    keeps the document's own order, the order the schede were entered in."""
    if o.modello.ordine == "documento":
        return (o.settore.codice, o.settore.nome, o.pk)
    return (o.settore.codice, o.settore.nome, chiave_naturale(o.codice), o.pk)


def modelli_stampa(
    piano, pubblicabile: bool = False, senza_risultati: bool = False
) -> dict[str, Modello]:
    """The piano's print models by use; ``pubblicabile``: their variant without personal
    data (the transparency pages); ``senza_risultati``: without what the
    rendicontazione adds (the published piano: the plan only)."""
    modelli = modelli_del_piano(piano)
    if pubblicabile:
        modelli = {uso: m.variante_pubblicabile() for uso, m in modelli.items()}
    if senza_risultati:
        modelli = {uso: m.variante_senza_risultati() for uso, m in modelli.items()}
    return modelli


def _modello_libro(modelli: dict[str, Modello], schede: list, rendicontazione) -> Modello:
    """The model of a whole book (its page, its opening sections): the rendicontazione's
    when asked, or when every scheda in it is rendicontata or validata."""
    if rendicontazione is None:
        rendicontazione = bool(schede) and all(o.stato in STATI_RENDICONTAZIONE for o in schede)
    return modelli[RENDICONTAZIONE if rendicontazione else PIANO]


def _carica(obiettivi, rendicontazione, modelli) -> list:
    return sorted(carica_schede(obiettivi, rendicontazione, modelli), key=_chiave)


def _obiettivi(piano, anno: int, visibili=None):
    base = visibili if visibili is not None else Obiettivo.objects.all()
    return base.filter(piano=piano, anno=anno).order_by(
        "settore__codice", "settore__nome", "codice_ordinabile", "id"
    )


def _settori(ids) -> dict:
    """The settori with what their header prints (servizi, addetti, responsabili)."""
    return {
        s.pk: s
        for s in Settore.objects.filter(pk__in=ids).prefetch_related(
            "servizi",
            Prefetch("addetti", queryset=Persona.objects.order_by("nome")),
            Prefetch("responsabili", queryset=Persona.objects.order_by("nome")),
        )
    }


def _sezione(settore, modello: Modello, esito=None) -> dict:
    """A settore's part of a book: its opening sections and (filled by the caller) its schede."""
    sezione = {
        "settore": settore,
        "servizi": list(settore.servizi.all()),
        "addetti": list(settore.addetti.all()),
        "responsabili": responsabili_di(
            settore, lambda: ", ".join(p.nome for p in settore.responsabili.all())
        ),
        "esito": esito,
        "schede": [],
    }
    sezione["sezioni_stampa"] = sezioni_stampa(modello.settore, sezione)
    return sezione


def _sezioni(piano, schede: list, modello: Modello) -> tuple[list[dict], object]:
    """Schede grouped by settore with the settore's data and scores, plus the ente's."""
    settori = _settori({o.settore_id for o in schede})
    # As the schede's piano photographed them (``carica_schede`` read the photograph).
    voci = {o.settore_id: v for o in schede if (v := getattr(o.settore, ATTRIBUTO, None))}
    for settore in settori.values():
        applica(settore, voci)
    punteggi = calcola(
        schede, Sistema.del_piano(piano), etichetta_ente=str(piano.comune), spiega=False
    )
    esiti_settore = {s.pk: e for s, e in punteggi.settori.items()}
    sezioni: dict[int, dict] = {}
    for o in schede:
        settore = settori[o.settore_id]
        o.settore = settore  # the prefetched one: servizi and addetti without queries
        if settore.pk not in sezioni:
            sezioni[settore.pk] = _sezione(settore, modello, esiti_settore.get(settore.pk))
        sezioni[settore.pk]["schede"].append(o)
    return list(sezioni.values()), punteggi.ente


def pdf_schede(
    obiettivi,
    rendicontazione: bool | None = None,
    titolo: str = "",
    modelli: dict[str, Modello] | None = None,
) -> bytes:
    """One or more schede (a queryset) without the book's opening: the scheda PDF.
    ``modelli``: the print models by use (a preview); by default, the piano's."""
    schede = carica_per_scheda(obiettivi, rendicontazione, modelli)
    if not schede:
        raise ValueError("Nessuna scheda da stampare.")
    primo = schede[0]
    contesto = contesto_base(primo.piano.comune, titolo or _titolo_scheda(primo), primo.modello)
    contesto["schede"] = schede
    return render_pdf("reporting/pdf/schede.html", contesto)


def _titolo_scheda(o) -> str:
    tipo = "Rendicontazione" if o.rendicontazione else "Scheda obiettivo"
    return f"{o.piano.titolo} · {tipo} {o.codice} ({o.anno})"


def pdf_settore(
    piano,
    settore,
    anno: int,
    visibili=None,
    rendicontazione: bool | None = None,
    modelli: dict[str, Modello] | None = None,
) -> bytes:
    """The settore's book: its opening sections (as the model says), then each scheda."""
    modelli = modelli or modelli_stampa(piano)
    schede = _carica(
        _obiettivi(piano, anno, visibili).filter(settore=settore), rendicontazione, modelli
    )
    modello = _modello_libro(modelli, schede, rendicontazione)
    if schede:
        settori, _ = _sezioni(piano, schede, modello)
    else:
        # No scheda the user sees this year: the opening alone, as the book would print it.
        solo = _settori([settore.pk])[settore.pk]
        come_nel_piano(piano, [solo])
        settori = [_sezione(solo, modello)]
    nome = settori[0]["settore"].nome  # as the piano approved it
    contesto = contesto_base(piano.comune, f"{piano.titolo} · {nome} · {anno}", modello)
    contesto.update(piano=piano, anno=anno, settori=settori)
    return render_pdf("reporting/pdf/settore.html", contesto)


def _parti(settori: list[dict]):
    """(sezione, blocco of its schede, whether the settore's header comes first)."""
    for sezione in settori:
        schede = sezione["schede"]
        for inizio in range(0, len(schede), SCHEDE_PER_PARTE):
            yield sezione, schede[inizio : inizio + SCHEDE_PER_PARTE], inizio == 0


def pdf_piano(
    piano,
    anno: int,
    avanzamento: Avanzamento = None,
    visibili=None,
    rendicontazione: bool | None = None,
    modelli: dict[str, Modello] | None = None,
    processi: int | None = None,
) -> bytes:
    """The whole piano of one year as bytes (``scrivi_piano`` into a temporary file)."""
    with tempfile.TemporaryDirectory(prefix="peg-piano-") as cartella:
        file = Path(cartella) / "piano.pdf"
        scrivi_piano(
            piano,
            anno,
            file,
            avanzamento=avanzamento,
            visibili=visibili,
            rendicontazione=rendicontazione,
            modelli=modelli,
            processi=processi,
        )
        return file.read_bytes()


def _cartella_stampe() -> Path:
    cartella = Path(settings.STAMPE_ROOT)
    cartella.mkdir(parents=True, exist_ok=True)
    return cartella


def scrivi_piano(
    piano,
    anno: int,
    destinazione,
    avanzamento: Avanzamento = None,
    visibili=None,
    rendicontazione: bool | None = None,
    modelli: dict[str, Modello] | None = None,
    processi: int | None = None,
) -> None:
    """Writes the whole piano of one year to ``destinazione`` (a path or a binary file):
    the model's opening (cover, table of contents, scores: each if the model shows it),
    then every settore.

    Each settore (a long one in blocks of ``SCHEDE_PER_PARTE`` schede) is laid out on
    its own, without page numbers, and written to a temporary file; the parts are laid
    out by ``processi`` processes side by side (``reporting.processi``; default the
    setting PROCESSI_STAMPA, one for a short book: see ``_processi``), while this one
    writes the next parts' HTML. Then the front matter (cover, table of contents with
    the page where each settore and scheda starts, scores) is laid out knowing those
    pages, each part gets its "pagina x di y" (``pdf.numera``, in the processes too) and
    the parts are joined (``pdf.unisci_file``). Memory stays that of a few parts' layouts
    and of the compressed pages of the book, never the layout of the whole.

    ``avanzamento(fatti, totale)`` reports the schede laid out as parts complete
    (totale: the schede); the last call, (totale, totale), comes once the PDF is written.
    """
    modelli = modelli or modelli_stampa(piano)
    schede = _carica(_obiettivi(piano, anno, visibili), rendicontazione, modelli)
    totale = len(schede)
    modello = _modello_libro(modelli, schede, rendicontazione)
    settori, ente = _sezioni(piano, schede, modello) if schede else ([], None)
    contesto = contesto_base(piano.comune, f"{piano.titolo} · {anno}", modello)
    contesto.update(
        piano=piano,
        anno=anno,
        settori=settori,
        ente=ente,
        n_schede=totale,
        numerazione_esterna=True,
    )
    blocchi = list(_parti(settori))
    processi = _processi(processi, len(blocchi), totale)
    with (
        # Beside the books, not in /tmp: often held in memory (tmpfs), where a big book's
        # parts would count against the RAM the layout in parts keeps bounded.
        tempfile.TemporaryDirectory(prefix=".parti-", dir=_cartella_stampe()) as cartella,
        esecutore(processi) as pool,
    ):
        lavoro = (pool, 2 * processi, cartella)
        parti = _impagina_parti(lavoro, contesto, blocchi, avanzamento, totale)
        corpo = 0  # pages of the parts before this one
        for (sezione, blocco, intestazione), parte in zip(blocchi, parti, strict=True):
            if intestazione:
                sezione["pagina_corpo"] = corpo + parte.ancore[f"settore-{sezione['settore'].pk}"]
            for o in blocco:
                o.pagina_corpo = corpo + parte.ancore[f"scheda-{o.pk}"]
            corpo += parte.pagine
        contesto["libro_sezioni"] = sezioni_stampa(modello.libro, contesto)
        if contesto["libro_sezioni"] or not parti:
            parti.insert(0, _fronte(contesto, settori, cartella))
        file = [p.file for p in parti]
        if contesto["pagina"]["numeri"]:
            file = _numera(pool, parti, cartella, contesto["pagina"])
        unisci_file(file, parti[0].rimandi, destinazione)
    if avanzamento:
        avanzamento(totale, totale)


def _processi(richiesti: int | None, parti: int, schede: int) -> int:
    """Processes for a book of ``parti`` parts and ``schede`` schede: as asked (or the
    setting), no more than the parts, and one for a short book, where starting the
    processes (a second or two each) costs more than it saves."""
    return max(1, min(numero_processi(richiesti), parti, schede // MINIMO_SCHEDE_PER_PROCESSO))


def _impagina_parti(lavoro, contesto, blocchi, avanzamento, totale) -> list[Parte]:
    """Every part laid out to its file, in order. The HTML of the next parts is written
    while the processes lay out the previous ones, at most two per process ahead, so
    that the waiting HTML never holds the whole book either.
    ``lavoro``: the pool, how many parts may wait for it, the temporary folder."""
    pool, massimo, cartella = lavoro
    parti: list[Parte | None] = [None] * len(blocchi)
    in_corso: dict = {}
    fatti = 0

    def raccogli(finiti) -> None:
        nonlocal fatti
        for futuro in finiti:
            indice = in_corso.pop(futuro)
            parti[indice] = futuro.result()
            fatti += len(blocchi[indice][1])
            if avanzamento and fatti < totale:
                avanzamento(fatti, totale)

    for indice, (sezione, blocco, intestazione) in enumerate(blocchi):
        html = render_to_string(
            "reporting/pdf/piano_parte.html",
            {**contesto, "s": sezione, "blocco": blocco, "intestazione": intestazione},
        )
        file = os.path.join(cartella, f"parte-{indice}.pdf")
        in_corso[pool.submit(impagina_in_file, html, file)] = indice
        del html
        raccogli([f for f in list(in_corso) if f.done()])
        while len(in_corso) >= massimo:
            raccogli(wait(in_corso, return_when=FIRST_COMPLETED).done)
    raccogli(wait(in_corso).done if in_corso else [])
    return parti  # type: ignore[return-value]


def _numera(pool, parti: list[Parte], cartella: str, pagina: dict) -> list[str]:
    """Each part's file with its page numbers (``pdf.numera``), in the processes."""
    totale = sum(p.pagine for p in parti)
    futuri, inizio = [], 1
    for indice, parte in enumerate(parti):
        uscita = os.path.join(cartella, f"numerata-{indice}.pdf")
        futuri.append(pool.submit(numera, parte.file, uscita, inizio, totale, pagina))
        inizio += parte.pagine
    return [futuro.result() for futuro in futuri]


def _fronte(contesto: dict, settori: list[dict], cartella: str) -> Parte:
    """The book's opening (cover, table of contents, scores), with the final page numbers
    of the settori.

    Those numbers depend on the front matter's own length: laid out with a guess, then
    again with the pages it took, until the two agree (the second time, in practice).
    """
    pagine = 0
    for _ in range(5):
        for sezione in settori:
            sezione["pagina"] = pagine + sezione["pagina_corpo"]
            for o in sezione["schede"]:
                o.pagina = pagine + o.pagina_corpo
        html = render_to_string("reporting/pdf/piano.html", contesto)
        fronte = impagina_in_file(html, os.path.join(cartella, "fronte.pdf"))
        if fronte.pagine == pagine:
            return fronte
        pagine = fronte.pagine
    raise RuntimeError("L'indice del piano non trova un numero di pagine stabile.")


def pdf_relazione(piano, anno: int, visibili=None) -> bytes:
    """The Relazione sulla performance of the year (``reporting.relazione``)."""
    dati = relazione(piano, anno, visibili)
    contesto = contesto_base(piano.comune, f"Relazione sulla performance {anno}")
    contesto.update(piano=piano, anno=anno, relazione=dati)
    return render_pdf("reporting/pdf/relazione.html", contesto)
