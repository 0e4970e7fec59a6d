"""What a responsabile has to do, as his home page lists it ("Cosa devo fare").

Each thing is a ``Voce``: its kind, a text, a link to the page where it is done, a
deadline when it has one, and sub-items with their own links. Requests from the OIV,
proposals sent back, open rounds with what is missing, the next deadline of each scheda.
Another kind is one more function returning voci, listed in ``TITOLI`` for its place
and its title. A fixed number of queries whatever the number of schede (the schede
come loaded by the caller, with ``figli``).
"""

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils import timezone

from indicators.caricamento import CAMPI_OBIETTIVO, carica_figli
from indicators.engine.formatting import data_lunga
from peg.access import ruoli

from . import campagne
from .models import Obiettivo
from .workflow import richieste_al_responsabile, ultima_azione

S = Obiettivo.Stato
IN_CORSO = (S.APPROVATO, S.IN_MONITORAGGIO)
# What scoring reads of a scheda, and the home's list and its rounds.
CAMPI = (*CAMPI_OBIETTIVO, "denominazione")

# The kinds, in the order of the list (a kind not named here goes last).
TITOLI = {
    "integrazione": "Integrazione chiesta dall'OIV",
    "restituita": "Scheda riportata in bozza",
    "campagna": "Campagna di rilevazione",
    "scadenza": "Prossima scadenza",
}


@dataclass
class Voce:
    tipo: str
    testo: str
    link: str
    azione: str  # the link's label: «Completa la rendicontazione»
    scadenza: date | None = None
    dettagli: list[tuple[str, str]] = field(default_factory=list)  # (testo, link)

    @property
    def titolo(self) -> str:
        return TITOLI.get(self.tipo, self.tipo)


def schede_del_responsabile(utente, comune, settori=None, piani=None) -> list[Obiettivo]:
    """The schede of the responsabile's settori in the comune (``settori`` if the caller
    read them already), every year, with ``figli`` (light rows: the list and the home
    read only dates, numbers and weights of indicatori and fasi) and ``piano`` (one of
    ``piani``, the comune's piani if the caller read them). Of each scheda only what
    the home shows, scores and lists (``CAMPI``), and its last move's azione (the
    requests waiting for him are read only if one may wait)."""
    settori = ruoli(utente, comune).settori if settori is None else settori
    piani = {p.pk: p for p in (comune.piani.all() if piani is None else piani)}
    schede = carica_figli(
        Obiettivo.objects.filter(piano_id__in=list(piani), settore_id__in=settori)
        .only(*CAMPI)
        .annotate(ultima_azione=ultima_azione())
        .order_by("-anno", "settore__codice", "codice_ordinabile", "id"),
        leggeri=True,
    )
    for obiettivo in schede:
        obiettivo.piano = piani[obiettivo.piano_id]
    return schede


def da_fare(
    utente, comune, oggi: date, schede: list[Obiettivo] | None = None, settori=None
) -> list[Voce]:
    """The list for ``utente`` in ``comune``; ``schede`` his and ``settori`` his, if
    already read."""
    if schede is None:
        schede = schede_del_responsabile(utente, comune, settori)
    voci = [
        *_richieste(comune, schede),
        *_campagne(comune, utente, oggi, settori, schede),
        *_scadenze(comune, schede, oggi),
    ]
    ordine = list(TITOLI)
    return sorted(
        voci,
        key=lambda v: (
            ordine.index(v.tipo) if v.tipo in ordine else len(ordine),
            v.scadenza or date.max,
        ),
    )


def _scheda(obiettivo: Obiettivo) -> str:
    return f"{obiettivo.codice} ({obiettivo.anno})"


def _url(nome: str, comune, obiettivo: Obiettivo) -> str:
    return reverse(nome, args=[comune.slug, obiettivo.pk])


def _richieste(comune, schede) -> list[Voce]:
    per_id = {o.pk: o for o in schede}
    voci = []
    for pk, cambio in richieste_al_responsabile(schede).items():
        obiettivo = per_id[pk]
        chi = cambio.utente.get_full_name() or cambio.utente.username if cambio.utente else ""
        quando = data_lunga(timezone.localdate(cambio.quando))
        if cambio.azione == "richiedi_integrazione":
            voci.append(
                Voce(
                    "integrazione",
                    f"{_scheda(obiettivo)}: l'OIV{f' ({chi})' if chi else ''} chiede "
                    f"un'integrazione ({quando}): «{cambio.motivazione}»",
                    _url("rendicontazione", comune, obiettivo),
                    "Completa la rendicontazione e inviala di nuovo",
                )
            )
        else:
            voci.append(
                Voce(
                    "restituita",
                    f"{_scheda(obiettivo)}: riportata in bozza{f' da {chi}' if chi else ''} "
                    f"({quando}): «{cambio.motivazione}»",
                    _url("obiettivo", comune, obiettivo),
                    "Correggi la scheda e proponila di nuovo",
                )
            )
    return voci


def _campagne(comune, utente, oggi: date, settori=None, schede=None) -> list[Voce]:
    voci = []
    for r in campagne.del_responsabile(comune, utente, oggi, settori, schede):
        c = r.campagna
        testo = (
            f"{c.get_momento_display()} {c.anno} ({c.piano.titolo}, valori al "
            f"{data_lunga(c.data_riferimento)}): {r.stato}"
        )
        if r.aperta:
            testo += (
                " · nessun valore mancante"
                if not r.mancanti
                else " · ti manca 1 valore"
                if r.mancanti == 1
                else f" · ti mancano {r.mancanti} valori"
            )
        dettagli = [
            (
                f"{_scheda(m.obiettivo)}: {'; '.join(m.voci)}",
                _url("rendicontazione", comune, m.obiettivo),
            )
            for m in r.obiettivi
        ]
        link = dettagli[0][1] if dettagli else reverse("piano", args=[comune.slug, c.piano_id])
        azione = "Inserisci i valori" if dettagli else "Apri il piano"
        voci.append(Voce("campagna", testo, link, azione, r.scadenza, dettagli))
    return voci


def prossima_scadenza(obiettivo: Obiettivo, oggi: date) -> tuple[date, str] | None:
    """The scheda's next due date from today with what is due: an indicatore without its
    final value, a fase not yet ended (``figli`` loaded: numbers only, no texts)."""
    date_ = [
        (i.data_attesa, f"indicatore {i.numero}")
        for i in obiettivo.figli["indicatori"]
        if i.data_attesa
        and i.data_attesa >= oggi
        and not any(r.tipo == "finale" for r in i.figli["rilevazioni"])
    ]
    date_ += [
        (f.data_fine_prevista, f"fase {f.numero}")
        for f in obiettivo.figli["fasi"]
        if f.data_fine_prevista and f.data_fine_prevista >= oggi and not f.data_fine_effettiva
    ]
    return min(date_, default=None, key=lambda d: d[0])


def _scadenze(comune, schede, oggi: date) -> list[Voce]:
    voci = []
    for obiettivo in schede:
        if obiettivo.stato not in IN_CORSO or not (prossima := prossima_scadenza(obiettivo, oggi)):
            continue
        quando, cosa = prossima
        monitoraggio = obiettivo.stato == S.IN_MONITORAGGIO
        voci.append(
            Voce(
                "scadenza",
                f"{_scheda(obiettivo)}: {cosa} da completare",
                _url("rendicontazione" if monitoraggio else "obiettivo", comune, obiettivo),
                "Inserisci la rendicontazione" if monitoraggio else "Apri la scheda",
                quando,
            )
        )
    return voci
