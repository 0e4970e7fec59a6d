"""The Nucleo's documento di validazione della Relazione sulla performance of a year: a
PDF built from the data — the Nucleo and its members, the sedute in which it worked,
what it examined, the outcome per settore as the relazione computes it
(``reporting.relazione``: nothing recomputed here), the rettifiche with their
motivazioni, the conclusion and room for the members' signatures.

It exists only once every scheda of the year is validated (``motivo_non_disponibile``).
The conclusion (``Esito``), a rule of this product where the law leaves it to the Nucleo:

- *validata*: every scheda validated as computed, no note of the Nucleo;
- *validata con rilievi*: every scheda validated, some with a score set differently
  from the computed one (a rettifica, with its motivazione) or with a note;
- *non validata*: the relazione cannot state the ente's result (no obiettivo of the year
  has a computable score), so there is nothing the Nucleo can certify.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from objectives.models import Obiettivo
from valutazione.models import Seduta
from valutazione.nucleo import in_carica, nucleo_del_comune

from .pdf import contesto_base, render_pdf
from .relazione import Relazione, relazione

TEMPLATE = "reporting/pdf/validazione_relazione.html"


class Esito:
    VALIDATA = "validata"
    CON_RILIEVI = "validata con rilievi"
    NON_VALIDATA = "non validata"


@dataclass
class Settore:
    titolo: str
    responsabili: str
    obiettivi: int
    validati: int
    rettificati: int
    esito: object  # the relazione's Esito of the settore


@dataclass
class Documento:
    comune: object
    piano: object
    anno: int
    nucleo: object | None
    componenti: list
    sedute: list[Seduta]
    relazione: Relazione
    settori: list[Settore] = field(default_factory=list)
    esito: str = Esito.VALIDATA
    data: date | None = None
    firmatari: list = field(default_factory=list)

    @property
    def titolo(self) -> str:
        return f"Documento di validazione della Relazione sulla performance {self.anno}"

    @property
    def rettifiche(self):
        """(settore, riga obiettivo) with motivazioni or notes of the Nucleo."""
        return self.relazione.con_motivazioni


def motivo_non_disponibile(piano, anno: int) -> str | None:
    """Why the documento cannot be produced yet (None: it can)."""
    stati = list(Obiettivo.objects.filter(piano=piano, anno=anno).values_list("stato", flat=True))
    if not stati:
        return f"Il piano «{piano.titolo}» non ha schede per il {anno}: non c'è nulla da validare."
    mancano = sum(1 for s in stati if s != Obiettivo.Stato.VALIDATO)
    if mancano:
        return (
            f"Il documento di validazione della Relazione sulla performance {anno} si "
            f"produce quando il nucleo ha validato tutte le schede dell'anno: ne mancano "
            f"{mancano} su {len(stati)}."
        )
    return None


def sedute_dell_anno(piano, anno: int) -> list[Seduta]:
    """The sedute in which the year's validations and integration requests were decided."""
    decise = Q(validazioni__obiettivo__piano=piano, validazioni__obiettivo__anno=anno) | Q(
        commenti__obiettivo__piano=piano, commenti__obiettivo__anno=anno
    )
    ids = Seduta.objects.filter(decise).values("pk")
    return list(Seduta.objects.filter(pk__in=ids).order_by("data", "numero", "pk"))


def esito(dati: Relazione) -> str:
    if dati.ente.punteggio is None:
        return Esito.NON_VALIDATA
    if dati.con_motivazioni:
        return Esito.CON_RILIEVI
    return Esito.VALIDATA


def documento(piano, anno: int, oggi: date | None = None) -> Documento:
    """The documento's data (the caller checks ``motivo_non_disponibile`` first)."""
    dati = relazione(piano, anno)
    sedute = sedute_dell_anno(piano, anno)
    nucleo = nucleo_del_comune(piano.comune)
    # The members in carica on the last seduta's day; who signs: those present at that
    # seduta (the one that concluded), dated that day. Without sedute: today's members.
    giorno = sedute[-1].data if sedute else (oggi or timezone.localdate())
    componenti = list(in_carica(nucleo, giorno).order_by("-presidente", "nome", "pk"))
    presenti = list(sedute[-1].presenti.order_by("-presidente", "nome", "pk")) if sedute else []
    settori = [
        Settore(
            titolo=s.titolo,
            responsabili=s.responsabili,
            obiettivi=len(s.obiettivi),
            validati=sum(r.validato for r in s.obiettivi),
            rettificati=sum(r.rettificato for r in s.obiettivi),
            esito=s.esito,
        )
        for s in dati.settori
    ]
    return Documento(
        comune=piano.comune,
        piano=piano,
        anno=anno,
        nucleo=nucleo,
        componenti=componenti,
        sedute=sedute,
        firmatari=presenti or componenti,
        relazione=dati,
        settori=settori,
        esito=esito(dati),
        data=giorno,
    )


def pdf_documento(piano, anno: int, oggi: date | None = None) -> bytes:
    dati = documento(piano, anno, oggi)
    contesto = contesto_base(piano.comune, dati.titolo, oggi=oggi)
    contesto["pagina"]["formato"] = "A4"
    contesto.update(documento=dati, piano=piano, anno=anno)
    return render_pdf(TEMPLATE, contesto)
