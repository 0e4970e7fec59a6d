"""The one way to change a scheda obiettivo and what hangs off it.

Every path that changes a scheda — the planning and rendicontazione pages, the state
buttons and the campagne, the admin, the Excel import, the OIV's validation, the
allegati — does it inside ``modifica()`` (one scheda) or ``modifica_in_blocco()``
(an import), which in one transaction:

1. lock the scheda's row (``select_for_update``): two changes never interleave, and
   what is checked is what is changed;
2. compare the ``versione`` the form or file was read with — stale:
   ``ModificaConcorrente`` with what changed meanwhile (409);
3. ask ``objectives.workflow`` whether this user may make this change in the scheda's
   present state — the rule lives only there; refused: ``TransizioneNonAmmessa`` with
   the reason (403);
4. let the caller change the scheda and its rows; every history row written meanwhile
   carries who and why (``peg.storia.autore``), also in bulk (``crea``, ``aggiorna``);
   indicatori and fasi get their numbers through ``numera``;
5. record the ``Variazione`` when the change is one (after approval: with its
   motivazione and the list of what changed), the ``CambioStato`` of a transition, and
   raise ``versione``, so that any form opened before is refused instead of applied.
   Only for a scheda that really changed: one for which a history row was written
   (a save, a delete, ``crea``/``aggiorna``/``elimina``), or that the caller described
   (``annota``) or marked (``segna``). An unchanged save leaves the scheda exactly as it
   was: same versione, no variazione, no history row (``Modifica.cambiata`` tells the
   caller). Callers therefore save only the forms and rows that changed.

``TransizioneNonAmmessa`` is a PermissionDenied (the project's 403 page with the
reason); ``objectives.http`` answers ``ModificaConcorrente`` with 409. No other module
raises ``versione`` or creates a ``Variazione`` or a ``CambioStato``
(``tests/test_architettura.py`` checks it).

Locks: only the scheda rows (``of=("self",)``: on PostgreSQL a join would lock the piano,
comune and settore too, and every save of a comune would wait for the others), always
in pk order, so that two blocks never wait for each other crosswise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Case, F, Model, Value, When
from django.http import Http404
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators.regola import ConGraduazione
from peg.access import leggi_ruoli_sulle_schede
from peg.storia import autore, motivo_storico

from .models import CambioStato, Obiettivo, Variazione
from .richieste import collega as collega_richieste
from .storico import Voce, storico_obiettivo
from .workflow import (
    TransizioneNonAmmessa,
    ambito_scheda,
    verifica_approvazione_piano,
    verifica_delibera,
    verifica_modifica,
    verifica_transizione,
)

# "scheda": the scheda itself, planning before approval and a variazione after it.
SCHEDA = "scheda"
# A row that changes numero waits here first: numero is unique in the obiettivo.
PARCHEGGIO = 10000

# Printed texts ("entro il 30/11", "80%") describe the value they sit beside: a changed
# value makes them stale, so they are cleared rather than left contradicting it.
TESTI_STAMPATI = {
    "valore_intermedio": "valore_intermedio_testo",
    "valore_atteso": "valore_atteso_testo",
    "data_attesa": "scadenza_testo",
    "data_inizio_prevista": "tempi_testo",
    "data_fine_prevista": "tempi_testo",
}


def testi_superati(istanza, cambiati: Iterable[str], prima: dict | None = None) -> None:
    """Clear the printed text beside each value in ``cambiati`` (the scheda or a row).
    With ``prima`` (the values before, as an import has them) a text that was itself
    rewritten is kept."""
    for campo in cambiati:
        testo = TESTI_STAMPATI.get(campo)
        if not testo or not hasattr(istanza, testo):
            continue
        if prima is not None and getattr(istanza, testo) != prima.get(testo):
            continue
        setattr(istanza, testo, "")


class ModificaConcorrente(Exception):
    """Someone saved the scheda after this form (or file) was read."""

    def __init__(self, obiettivo: Obiettivo, cambi: list[Voce]):
        self.obiettivo = obiettivo
        self.cambi = cambi
        super().__init__("La scheda è stata modificata da un altro utente dopo che l'hai aperta.")


@dataclass
class Coinvolta:
    """A scheda in a change: the row as locked, the ambito checked, the versione read
    under the lock (None for a new scheda)."""

    obiettivo: Obiettivo
    ambito: str
    versione: int | None


@dataclass
class Modifica:
    """The change in progress that ``modifica()`` hands to its caller."""

    utente: object
    motivazione: str
    motivo: str
    schede: dict = field(default_factory=dict)  # obiettivo id (or id() if new) → Coinvolta
    riepiloghi: dict = field(default_factory=dict)  # obiettivo id → [what changed]
    cambio: CambioStato | None = None  # the state change of ``transizione()``
    alza_versione: bool = True
    segnate: set = field(default_factory=set)  # schede marked changed by the caller
    scritte: list = field(default_factory=list)  # rows with a history row written
    cambiate: set = field(default_factory=set)  # after the block: the schede that changed

    @property
    def obiettivo(self) -> Obiettivo:
        """The scheda, locked and as it is now (``modifica()`` of one scheda)."""
        return next(iter(self.schede.values())).obiettivo

    @property
    def ambito(self) -> str:
        return next(iter(self.schede.values())).ambito

    @property
    def variazione(self) -> bool:
        return self.ambito == "variazione"

    def annota(self, righe: Iterable[str], obiettivo: Obiettivo | None = None) -> None:
        """What changed, in words, for the variazione (``obiettivo``: in a block)."""
        chiave = (obiettivo or self.obiettivo).pk
        righe = list(righe)
        self.riepiloghi.setdefault(chiave, []).extend(righe)
        if righe:
            self.segnate.add(chiave)

    def segna(self, obiettivo: Obiettivo | None = None) -> None:
        """The scheda changed in a way that writes no history row (e.g. a queryset
        ``update``): raise its versione all the same."""
        self.segnate.add((obiettivo or self.obiettivo).pk)

    @property
    def cambiata(self) -> bool:
        """After the block: whether anything changed (False: an unchanged save)."""
        return bool(self.cambiate) or self.cambio is not None

    # -- rows -----------------------------------------------------------------------

    def numera(self, righe: list, numeri: Iterable[int] | None = None) -> list:
        """Number the rows of one scheda (indicatori or fasi, saved or new): 1, 2, 3…
        in the order given, or ``numeri``. Saved rows that move are parked first, since
        numero is unique in the obiettivo. Returns the rows whose numero changed."""
        numeri = list(numeri) if numeri is not None else list(range(1, len(righe) + 1))
        spostate = []
        for riga, numero in zip(righe, numeri, strict=True):
            if riga.pk is None or riga.numero != numero:
                spostate.append(riga)
            riga.numero = numero
        da_parcheggiare = [r.pk for r in spostate if r.pk is not None]
        if da_parcheggiare:
            modello = type(spostate[0])
            modello.objects.filter(pk__in=da_parcheggiare).update(numero=F("numero") + PARCHEGGIO)
        return spostate

    def crea(self, righe: list[Model]) -> list[Model]:
        """Insert new rows of one model with their history rows, in a few queries."""
        if not righe:
            return []
        for riga in righe:
            if isinstance(riga, ConGraduazione):
                riga.aggiorna_regola()
            if isinstance(riga, Obiettivo):
                riga.aggiorna_ordinamento()
        creati = bulk_create_with_history(
            righe,
            type(righe[0]),
            default_user=self._utente,
            default_change_reason=motivo_storico(self.motivo),
        )
        self.scritte.extend(creati)
        return creati

    def aggiorna(self, righe: list[Model], campi: Iterable[str]) -> None:
        """Update rows of one model (only ``campi``) with their history rows."""
        if not righe:
            return
        campi = set(campi)
        if isinstance(righe[0], ConGraduazione) and "graduazione" in campi:
            for riga in righe:
                riga.aggiorna_regola()
            campi.add("regola")
        if isinstance(righe[0], Obiettivo) and "codice" in campi:
            for riga in righe:
                riga.aggiorna_ordinamento()
            campi.add("codice_ordinabile")
        bulk_update_with_history(
            righe,
            type(righe[0]),
            sorted(campi),
            default_user=self._utente,
            default_change_reason=motivo_storico(self.motivo),
        )
        self.scritte.extend(righe)

    def collega(self, campo: str, collegamenti: dict) -> None:
        """Set a many-to-many link of several schede ({obiettivo: [objects]}, e.g.
        ``nodi_dup`` or ``ambiti``) in two queries whatever their number; links write no
        history row, so each scheda is marked changed."""
        if not collegamenti:
            return
        relazione = getattr(Obiettivo, campo)
        passante = relazione.through
        colonna = f"{relazione.field.m2m_reverse_field_name()}_id"
        passante.objects.filter(obiettivo_id__in=[o.pk for o in collegamenti]).delete()
        passante.objects.bulk_create(
            passante(obiettivo_id=o.pk, **{colonna: collegato.pk})
            for o, collegati in collegamenti.items()
            for collegato in collegati
        )
        for obiettivo in collegamenti:
            self.segna(obiettivo)

    def elimina(self, righe: Iterable[Model]) -> None:
        """Delete rows one by one, so that their cascades follow (rilevazioni, allegati
        and their files) and every tracked row gets its history row."""
        for riga in righe:
            riga.delete()

    @property
    def _utente(self):
        return self.utente if getattr(self.utente, "pk", None) else None


@contextmanager
def modifica(
    obiettivo: Obiettivo,
    utente,
    ambito: str = SCHEDA,
    *,
    versione: int | None = None,
    caricato_il: datetime | None = None,
    motivazione: str = "",
    motivo: str = "",
    alza_versione: bool = True,
    negata: Callable[[Obiettivo], str] | None = None,
) -> Iterator[Modifica]:
    """Change one scheda (see the module's steps). ``ambito``: "scheda" (planning or
    variazione, by its state), "rendicontazione"; ``versione`` and ``caricato_il``: what
    the form was loaded with. A new scheda (no pk) is checked as a draft of its settore
    and saved by the caller. ``utente`` None: a command run on the server, with the
    segreteria's rights; the state rule still applies. ``negata`` words the refusal
    for the caller's users (the rule stays the workflow's)."""
    with modifica_in_blocco(
        [obiettivo],
        utente,
        ambito,
        versioni=None if versione is None else {obiettivo.pk: versione},
        caricato_il=caricato_il,
        motivazione=motivazione,
        motivo=motivo,
        alza_versione=alza_versione,
        negata=negata,
    ) as m:
        yield m


@contextmanager
def modifica_in_blocco(
    obiettivi: list[Obiettivo],
    utente,
    ambito: str = SCHEDA,
    *,
    versioni: dict[int, int] | None = None,
    caricato_il: datetime | None = None,
    motivazione: str = "",
    motivo: str = "",
    alza_versione: bool = True,
    negata: Callable[[Obiettivo], str] | None = None,
) -> Iterator[Modifica]:
    """Change several schede at once (an import): one lock for all, the same checks for
    each, one UPDATE of their versioni and the variazioni in one INSERT."""
    motivazione = motivazione.strip()
    with transaction.atomic():
        m = Modifica(utente, motivazione, motivo, alza_versione=alza_versione)
        bloccati = _blocca([o.pk for o in obiettivi if o.pk is not None])
        attuali = [bloccati[o.pk] if o.pk is not None else o for o in obiettivi]
        leggi_ruoli_sulle_schede(utente, attuali)
        for obiettivo, attuale in zip(obiettivi, attuali, strict=True):
            # A stale form first: "it changed meanwhile" explains a refusal that the new
            # state would cause (e.g. approved while a draft was being edited).
            if versioni is not None and obiettivo.pk is not None:
                _verifica_versione(attuale, versioni[obiettivo.pk], caricato_il)
            risolto = ambito_scheda(attuale) if ambito == SCHEDA else ambito
            try:
                verifica_modifica(utente, attuale, risolto)
            except TransizioneNonAmmessa:
                if negata is None:
                    raise
                raise TransizioneNonAmmessa(negata(attuale)) from None
            chiave = obiettivo.pk if obiettivo.pk is not None else id(obiettivo)
            m.schede[chiave] = Coinvolta(
                attuale, risolto, attuale.versione if obiettivo.pk is not None else None
            )
        if not m.motivo and m.schede:
            ambiti = {v.ambito for v in m.schede.values()}
            if len(ambiti) > 1:
                raise ValueError("Un blocco con schede in ambiti diversi richiede il motivo.")
            m.motivo = _motivo(ambiti.pop(), motivazione)
        with autore(utente, m.motivo) as scrittura:
            yield m
            m.scritte.extend(scrittura.scritte)
            _registra(m, obiettivi)


@contextmanager
def transizione(
    obiettivo: Obiettivo,
    utente,
    nome: str,
    *,
    motivazione: str = "",
    delibera_numero: str = "",
    delibera_data: date | None = None,
    versione: int | None = None,
) -> Iterator[Modifica]:
    """Move the scheda along the workflow (the checks are ``workflow.verifica_transizione``);
    what the caller records inside (e.g. the OIV's validation) commits with the move.
    ``versione``: the one the page showed (a page that shows figures to decide on, as
    the OIV's review, must pass it); refused if the scheda changed since."""
    motivazione = motivazione.strip()
    with transaction.atomic():
        attuale = _blocca([obiettivo.pk])[obiettivo.pk]
        if versione is not None:
            _verifica_versione(attuale, versione, None)
        t = verifica_transizione(
            utente,
            attuale,
            nome,
            motivazione=motivazione,
            delibera_numero=delibera_numero,
            delibera_data=delibera_data,
        )
        motivo = f"{t.etichetta}: {motivazione}".strip(": ")
        m = Modifica(utente, motivazione, motivo)
        m.schede[attuale.pk] = Coinvolta(attuale, "stato", attuale.versione)
        with autore(utente, motivo):
            da = attuale.stato
            attuale.stato = t.a
            if t.delibera:
                attuale.delibera_numero = delibera_numero.strip()
                attuale.delibera_data = delibera_data
            attuale.versione += 1
            attuale.save()
            m.alza_versione = False  # raised with the move itself
            m.cambio = CambioStato.objects.create(
                obiettivo=attuale,
                da=da,
                a=t.a,
                azione=t.nome,
                utente=utente,
                quando=timezone.now(),
                motivazione=motivazione,
            )
            yield m
        # Only once committed with the caller's records: a failure leaves the object as it was.
        obiettivo.stato, obiettivo.versione = attuale.stato, attuale.versione


def verifica_variazione(obiettivo: Obiettivo, utente, motivazione: str) -> None:
    """A variazione has its motivazione and the user who records it."""
    if not motivazione.strip():
        raise TransizioneNonAmmessa(
            f"{obiettivo.codice} ({obiettivo.anno}) è «{obiettivo.get_stato_display()}»: una "
            "modifica è una variazione e richiede la motivazione."
        )
    if getattr(utente, "pk", None) is None:
        raise TransizioneNonAmmessa("Una variazione è registrata a nome di un utente.")


def esegui(obiettivo: Obiettivo, utente, nome: str, **dati) -> CambioStato:
    """Move the scheda (``transizione`` with nothing else to record)."""
    with transizione(obiettivo, utente, nome, **dati) as m:
        pass
    return m.cambio


@transaction.atomic
def approva_piano(piano, utente, delibera_numero: str, delibera_data: date | None) -> int:
    """The giunta approves the piano with one delibera: every proposed scheda is approved
    with it (drafts stay drafts). Returns how many schede were approved."""
    verifica_approvazione_piano(utente, piano)
    verifica_delibera(delibera_numero, delibera_data)
    proposte = list(piano.obiettivi.filter(stato=Obiettivo.Stato.PROPOSTO).order_by("pk"))
    for obiettivo in proposte:
        esegui(
            obiettivo,
            utente,
            "approva",
            delibera_numero=delibera_numero,
            delibera_data=delibera_data,
        )
    piano.stato = piano.Stato.APPROVATO
    piano.delibera_numero, piano.delibera_data = delibera_numero.strip(), delibera_data
    piano.save(update_fields=["stato", "delibera_numero", "delibera_data"])
    return len(proposte)


# -- inside ------------------------------------------------------------------------------


def _blocca(ids: list[int]) -> dict[int, Obiettivo]:
    """The schede's rows, locked (only them, in pk order), with piano, comune, settore.
    A scheda deleted meanwhile answers 404."""
    if not ids:
        return {}
    bloccati = {
        o.pk: o
        for o in Obiettivo.objects.select_for_update(of=("self",))
        .select_related("piano__comune", "settore")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    if mancanti := set(ids) - set(bloccati):
        raise Http404(f"La scheda è stata eliminata nel frattempo (id {min(mancanti)}).")
    return bloccati


def verifica_versione(obiettivo: Obiettivo, versione: int, caricato_il: datetime | None) -> None:
    """A form's versione against the scheda as it is now, before the form is read
    (no lock: ``modifica()`` checks again under it). Stale: ``ModificaConcorrente``."""
    attuale = Obiettivo.objects.filter(pk=obiettivo.pk).first()
    if attuale is None:
        raise Http404(f"La scheda è stata eliminata nel frattempo (id {obiettivo.pk}).")
    _verifica_versione(attuale, versione, caricato_il)


def _verifica_versione(attuale: Obiettivo, versione: int, caricato_il: datetime | None) -> None:
    if attuale.versione != versione:
        cambi = storico_obiettivo(attuale)
        if caricato_il is not None:
            cambi = [v for v in cambi if v.quando > caricato_il]
        raise ModificaConcorrente(attuale, cambi)


def _motivo(ambito: str, motivazione: str) -> str:
    if ambito == "variazione":
        return f"Variazione: {motivazione}"
    return {"pianificazione": "Pianificazione", "rendicontazione": "Rendicontazione"}.get(
        ambito, ""
    )


def _scheda_di(riga: Model) -> int | None:
    """The scheda a written row belongs to (None: not known, counts for every one)."""
    if isinstance(riga, Obiettivo):
        return riga.pk
    if (obiettivo_id := getattr(riga, "obiettivo_id", None)) is not None:
        return obiettivo_id
    if getattr(riga, "indicatore_id", None) is not None:  # a rilevazione
        try:
            return riga.indicatore.obiettivo_id
        except ObjectDoesNotExist:  # deleted with its indicatore: not known
            return None
    return None


def _cambiate(m: Modifica) -> set:
    """The keys of ``m.schede`` that changed: new, written or marked by the caller."""
    nuove = {k for k, v in m.schede.items() if v.versione is None}
    scritte = {_scheda_di(riga) for riga in m.scritte}
    if None in scritte:
        return set(m.schede)
    return (nuove | scritte | m.segnate) & set(m.schede)


def _registra(m: Modifica, obiettivi: list[Obiettivo]) -> None:
    """After the caller's changes: the variazioni and the new versioni, for the schede
    that changed (an unchanged save leaves its scheda as it was)."""
    ora = timezone.now()
    m.cambiate = _cambiate(m)
    variazioni = []
    for chiave, voce in m.schede.items():
        if voce.ambito != "variazione" or chiave not in m.cambiate:
            continue
        o = voce.obiettivo
        # Checked here, after the caller's form: a missing motivazione is its form error.
        verifica_variazione(o, m.utente, m.motivazione)
        variazioni.append(
            Variazione(
                obiettivo=o,
                utente=m.utente,
                quando=ora,
                stato=o.stato,
                motivazione=m.motivazione,
                riepilogo="\n".join(m.riepiloghi.get(o.pk, [])),
            )
        )
    # An accepted richiesta di variazione points to the variazione that applies it.
    collega_richieste(Variazione.objects.bulk_create(variazioni))
    if not m.alza_versione:
        return
    # From the versione read under the lock, not F("versione") + 1: a body that saved
    # an older copy of the scheda cannot take the versione back.
    alzate = {
        v.obiettivo.pk: v.versione + 1
        for k, v in m.schede.items()
        if v.versione is not None and k in m.cambiate
    }
    if not alzate:
        return
    if len(set(alzate.values())) == 1:
        nuova = Value(next(iter(alzate.values())))
    else:
        nuova = Case(*(When(pk=pk, then=Value(v)) for pk, v in alzate.items()))
    Obiettivo.objects.filter(pk__in=list(alzate)).update(versione=nuova)
    for obiettivo in [*obiettivi, *(v.obiettivo for v in m.schede.values())]:
        if obiettivo.pk in alzate:
            obiettivo.versione = alzate[obiettivo.pk]
