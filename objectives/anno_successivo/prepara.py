"""«Prepara il piano dell'anno successivo»: next year's schede from this year's.

``prepara`` says what would happen to each scheda of the year, saving nothing (the
page's list and the command's report); ``prepara_anno`` does it, in one transaction,
through the service that creates schede (``objectives.modifiche``: the workflow's
check that the piano still takes new schede, history rows with who and why):

- a pluriennale obiettivo whose period goes on continues with the next year's scheda
  (same codice) in bozza, unless that scheda exists already;
- an annual obiettivo is copied in bozza (its codice with the new year where it names
  the old one), unless excluded or already there;
- a pluriennale obiettivo that ended this year is not carried on;
- nothing of the old year changes; a second run finds everything there and creates
  nothing (not even the piano).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.dispatch import Signal

from indicators.models import ValoreStorico

from ..models import Obiettivo
from ..modifiche import modifica_in_blocco
from ..piano_anno import piano_dell_anno
from ..workflow import puo_creare_schede
from . import copia as c
from .piano import nodi_per_codice, nuovo_piano, piano_di_destinazione, titolo_del_nuovo

CONTINUA = "continua"  # pluriennale: the next yearly scheda
COPIA = "copia"  # annuale: copied for the next year
ESISTE = "esiste"  # the next year's scheda is there already
CONCLUSA = "conclusa"  # pluriennale ended this year

SPIEGAZIONI = {
    CONTINUA: "obiettivo pluriennale: nuova scheda {anno} in bozza",
    COPIA: "copiata in bozza per il {anno}",
    ESISTE: "la scheda {anno} esiste già: non si crea nulla",
    CONCLUSA: "obiettivo pluriennale concluso nel {da}: non prosegue",
}


# Sent inside the transaction with ``coppie`` [(old scheda, new scheda)] once the next
# year's schede exist: a layer above carries its own per-scheda data (e.g. PIAO themes).
schede_preparate = Signal()


class PreparazioneImpossibile(Exception):
    """The next year cannot be prepared: ``str()`` says why, in Italian."""


@dataclass
class Voce:
    """One scheda of the year and what happens to it."""

    origine: Obiettivo
    codice: str  # the next year's codice
    azione: str
    anno: int

    @property
    def da_creare(self) -> bool:
        return self.azione in (CONTINUA, COPIA)

    @property
    def spiegazione(self) -> str:
        testo = SPIEGAZIONI[self.azione].format(anno=self.anno, da=self.anno - 1)
        if self.azione == COPIA and self.codice != self.origine.codice:
            testo += f" come {self.codice}"
        return testo


@dataclass
class Preparazione:
    comune: object
    da_anno: int
    origine: object  # the Piano of da_anno
    destinazione: object | None  # the Piano of the next year; None: to be created
    voci: list[Voce]

    @property
    def anno(self) -> int:
        return self.da_anno + 1

    @property
    def titolo_destinazione(self) -> str:
        if self.destinazione is not None:
            return self.destinazione.titolo
        return titolo_del_nuovo(self.origine, self.anno)

    @property
    def da_creare(self) -> list[Voce]:
        return [v for v in self.voci if v.da_creare]

    @property
    def restano(self) -> list[Voce]:
        return [v for v in self.voci if not v.da_creare]


@dataclass
class Esito:
    preparazione: Preparazione
    piano: object | None  # where the schede went (None: nothing created)
    piano_creato: bool = False
    create: list[tuple[Obiettivo, Obiettivo]] = field(default_factory=list)  # (old, new)
    escluse: list[Voce] = field(default_factory=list)
    senza_storico: list[str] = field(default_factory=list)  # indicatori with no final value


def prepara(comune, da_anno: int, *, piano_id=None, destinazione_id=None) -> Preparazione:
    """What ``prepara_anno`` would do (nothing saved). ``SceltaPiano`` when the year's
    piano (or the next year's) cannot be chosen; ``PreparazioneImpossibile`` when the
    next year's piano takes no new schede."""
    anno = da_anno + 1
    origine = piano_dell_anno(comune, da_anno, piano_id)
    destinazione = piano_di_destinazione(comune, anno, destinazione_id)
    if destinazione is not None and not puo_creare_schede(destinazione):
        raise PreparazioneImpossibile(
            f"Il piano «{destinazione.titolo}» del {anno} è «{destinazione.get_stato_display()}»: "
            "non prende nuove schede."
        )
    esistenti = set()
    if destinazione is not None:
        esistenti = set(destinazione.obiettivi.filter(anno=anno).values_list("codice", flat=True))
    schede = (
        origine.obiettivi.filter(anno=da_anno)
        .select_related("settore")
        .order_by("settore__codice", "settore__nome", "codice_ordinabile", "pk")
    )
    voci = []
    for obiettivo in schede:
        codice = c.codice_nuovo(obiettivo, anno)
        pluriennale = obiettivo.durata == Obiettivo.Durata.PLURIENNALE
        if pluriennale and obiettivo.anno_fine < anno:
            azione = CONCLUSA
        elif codice in esistenti:
            azione = ESISTE
        else:
            azione = CONTINUA if pluriennale else COPIA
        voci.append(Voce(obiettivo, codice, azione, anno))
    return Preparazione(comune, da_anno, origine, destinazione, voci)


def prepara_anno(
    comune,
    da_anno: int,
    *,
    escludi=frozenset(),
    utente=None,
    piano_id=None,
    destinazione_id=None,
) -> Esito:
    """Create the schede of ``da_anno + 1`` from those of ``da_anno`` (module doc).
    ``escludi``: ids of schede of ``da_anno`` not to carry over; ``utente``: who (None:
    a command on the server)."""
    try:
        with transaction.atomic():
            return _prepara_anno(comune, da_anno, set(escludi), utente, piano_id, destinazione_id)
    except IntegrityError as exc:  # another run created the same schede meanwhile
        raise PreparazioneImpossibile(
            f"Le schede del {da_anno + 1} sono state create da un'altra operazione nel "
            "frattempo: riapri la pagina e riprova."
        ) from exc


def _prepara_anno(comune, da_anno, escludi, utente, piano_id, destinazione_id) -> Esito:
    prep = prepara(comune, da_anno, piano_id=piano_id, destinazione_id=destinazione_id)
    ignote = escludi - {v.origine.pk for v in prep.voci}
    if ignote:
        raise PreparazioneImpossibile(
            f"Da escludere: {len(ignote)} schede che non sono del {da_anno} nel piano "
            f"«{prep.origine.titolo}»."
        )
    scelte = [v for v in prep.da_creare if v.origine.pk not in escludi]
    esito = Esito(prep, prep.destinazione)
    esito.escluse = [v for v in prep.da_creare if v.origine.pk in escludi]
    if not scelte:
        return esito
    if esito.piano is None:
        esito.piano, esito.piano_creato = nuovo_piano(prep.origine, prep.anno), True
    _crea(esito, scelte, utente)
    return esito


def _origini(voci: list[Voce]) -> list[Obiettivo]:
    """The old schede with everything the copy reads, in a fixed number of queries."""
    m2m = [f.name for f in Obiettivo._meta.many_to_many]
    per_id = {
        o.pk: o
        for o in Obiettivo.objects.filter(pk__in=[v.origine.pk for v in voci]).prefetch_related(
            *m2m,
            "indicatori__rilevazioni",
            "indicatori__storico",
            "fasi",
            "risorse_finanziarie",
            "risorse_umane",
            "risorse_strumentali",
        )
    }
    return [per_id[v.origine.pk] for v in voci]


def _crea(esito: Esito, voci: list[Voce], utente) -> None:
    prep, piano = esito.preparazione, esito.piano
    origini = _origini(voci)
    nuove = [c.copia_obiettivo(o, piano, prep.anno) for o in origini]
    motivo = f"Preparazione del {prep.anno} dal {prep.da_anno}"
    with modifica_in_blocco(nuove, utente, motivo=motivo) as m:
        m.crea(nuove)
        _collegamenti(m, origini, nuove, prep.origine, piano)
        indicatori, fasi, storici = [], [], []
        risorse: dict[type, list] = {}
        for vecchia, nuova in zip(origini, nuove, strict=True):
            for indicatore in vecchia.indicatori.all():
                copia = c.copia_indicatore(indicatore, nuova, prep.da_anno)
                indicatori.append(copia)
                storici += c.storico(indicatore, copia, prep.da_anno)
                if c.finale(indicatore) is None:
                    esito.senza_storico.append(
                        f"{vecchia.codice} ({vecchia.anno}), indicatore {indicatore.numero}"
                    )
            fasi += [c.copia_fase(f, nuova, prep.da_anno) for f in vecchia.fasi.all()]
            for modello, righe in c.copia_risorse(vecchia, nuova).items():
                risorse.setdefault(modello, []).extend(righe)
        m.crea(indicatori)
        m.crea(fasi)
        for righe in risorse.values():
            m.crea(righe)
        # Valori storici keep no history of their own (they are read-only facts).
        ValoreStorico.objects.bulk_create(storici)
    esito.create = list(zip(origini, nuove, strict=True))
    schede_preparate.send(sender=Obiettivo, coppie=esito.create, utente=utente)


def _collegamenti(m, origini, nuove, piano_vecchio, piano) -> None:
    """Every many-to-many link of the old scheda (responsabili, ambiti, DUP …); DUP nodes
    belong to a piano: in another piano the node with the same codice, if any."""
    nodi = None if piano.pk == piano_vecchio.pk else nodi_per_codice(piano)
    for campo in (f.name for f in Obiettivo._meta.many_to_many):
        collegamenti = {}
        for vecchia, nuova in zip(origini, nuove, strict=True):
            collegati = list(getattr(vecchia, campo).all())
            if campo == "nodi_dup" and nodi is not None:
                collegati = [nodi[n.codice] for n in collegati if n.codice in nodi]
            if collegati:
                collegamenti[nuova] = collegati
        m.collega(campo, collegamenti)
