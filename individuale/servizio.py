"""The one way to change a scheda di valutazione individuale (as ``objectives.modifiche``
is for the schede obiettivo).

Every change — the votes, the obiettivi individuali, the data of service, each move of
``individuale.workflow`` — runs inside ``_modifica()``, which in one transaction:

1. locks the scheda's row (``select_for_update``, only that row; for a move the SMVP's
   row first, which the SMVP's saves and the premi run lock too);
2. compares the ``versione`` the form was read with — stale: ``ModificaConcorrente``
   (409, the page again with what the user typed);
3. asks ``individuale.workflow`` whether this user may do it in the present state —
   refused: ``TransizioneNonAmmessa`` with the reason (403);
4. lets the caller change the scheda and its rows; every history row written carries
   who and why (``peg.storia.autore``);
5. raises ``versione`` only if something changed (a history row was written).

At DEFINITIVA the component scores and the final one are frozen on the row from
``individuale.punteggi`` (the validation gate of ``workflow.verifica_validati`` first).
E-mails (``individuale.avvisi_schede``, through the queue): to the person when the
scheda is delivered, to the evaluator when a conciliazione is asked. The schede are
created by ``individuale.creazione_schede``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from indicators.engine.formatting import numero
from peg.storia import Autore, autore

from . import avvisi_schede
from .models import Contestazione, SchedaIndividuale, Smvp, VotoComportamento
from .punteggi import punteggi_delle_schede
from .workflow import (
    TransizioneNonAmmessa,
    scadenza_conciliazione,
    verifica_azione,
    verifica_data_cartacea,
    verifica_modifica,
    verifica_validati,
    verifica_voti_completi,
)

S = SchedaIndividuale.Stato
COMPONENTI = ("ente", "settore", "obiettivi", "comportamenti", "differenziazione")


class ModificaConcorrente(Exception):
    """Someone changed the scheda after this form was read."""

    def __init__(self, scheda: SchedaIndividuale):
        self.scheda = scheda
        super().__init__(
            "La scheda è stata modificata da un altro utente dopo che l'hai aperta "
            f"(ora è «{scheda.get_stato_display()}», versione {scheda.versione})."
        )


def punteggi_di(schede) -> dict:
    """The live scores of ``schede`` (``individuale.punteggi``)."""
    return punteggi_delle_schede(list(schede))


@dataclass
class Cambio:
    """The change in progress ``_modifica`` hands to its caller."""

    scheda: SchedaIndividuale  # locked, as it is now
    utente: object
    autore: Autore
    segnata: bool = False

    @property
    def cambiata(self) -> bool:
        return bool(self.autore.scritte) or self.segnata


@contextmanager
def _modifica(
    scheda: SchedaIndividuale,
    utente,
    motivo: str,
    *,
    versione: int | None = None,
    cosa: str | None = None,
    azione: str | None = None,
    oggi: date | None = None,
) -> Iterator[Cambio]:
    with transaction.atomic():
        if azione is not None:
            # A move can make the scheda leave BOZZA or become DEFINITIVA: the SMVP's
            # saves check both under this row's lock (``individuale.smvp_in_uso``), and
            # the premi run takes it too. Always the SMVP first, then the scheda.
            Smvp.objects.select_for_update().filter(pk=scheda.smvp_id).first()
        bloccata = _blocca(scheda.pk)
        if versione is not None and versione != bloccata.versione:
            raise ModificaConcorrente(bloccata)
        if cosa is not None:
            verifica_modifica(utente, bloccata, cosa)
        if azione is not None:
            verifica_azione(utente, bloccata, azione, oggi)
        with autore(utente, motivo) as a:
            cambio = Cambio(bloccata, utente, a)
            yield cambio
        if cambio.cambiata:
            SchedaIndividuale.objects.filter(pk=bloccata.pk).update(versione=F("versione") + 1)
            bloccata.versione += 1


def _blocca(pk: int) -> SchedaIndividuale:
    try:
        return (
            SchedaIndividuale.objects.select_for_update(of=("self",))
            .select_related("smvp__comune", "categoria", "persona__utente", "settore", "valutatore")
            .get(pk=pk)
        )
    except SchedaIndividuale.DoesNotExist:
        raise Http404("La scheda non esiste più.") from None


# ---------------------------------------------------------------- changes in BOZZA


def salva_voti(
    scheda: SchedaIndividuale,
    utente,
    versione: int,
    voti: dict[int, tuple[Decimal | None, str]],
    giudizio: str,
) -> Cambio:
    """The comportamenti's votes and comments (by comportamento id) and the giudizio."""
    with _modifica(scheda, utente, "Voti del valutatore", versione=versione, cosa="voti") as c:
        _scrivi_voti(c.scheda, voti)
        if c.scheda.note_valutatore != giudizio:
            c.scheda.note_valutatore = giudizio
            c.scheda.save(update_fields=["note_valutatore"])
    return c


def _scrivi_voti(scheda, voti: dict[int, tuple[Decimal | None, str]]) -> list[tuple]:
    """Save the votes that changed: [(comportamento, voto prima, voto dopo)]."""
    esistenti = {v.comportamento_id: v for v in scheda.voti.all()}
    cambiati = []
    for comportamento in scheda.categoria.comportamenti.all():
        if comportamento.pk not in voti:
            continue
        voto, commento = voti[comportamento.pk]
        riga = esistenti.get(comportamento.pk) or VotoComportamento(
            scheda=scheda, comportamento=comportamento
        )
        if riga.pk is not None and riga.voto == voto and riga.commento == commento:
            continue
        cambiati.append((comportamento, riga.voto, voto))
        riga.voto, riga.commento = voto, commento
        riga.save()
    return cambiati


def assegna_obiettivi(
    scheda: SchedaIndividuale, utente, versione: int, pesi: dict[int, Decimal]
) -> Cambio:
    """The obiettivi individuali: ``pesi`` by obiettivo id (the form checked they sum
    to 100); the others assigned before are taken away."""
    motivo = "Obiettivi individuali assegnati"
    with _modifica(scheda, utente, motivo, versione=versione, cosa="obiettivi") as c:
        esistenti = {a.obiettivo_id: a for a in c.scheda.obiettivi_assegnati.all()}
        for obiettivo_id, assegnato in esistenti.items():
            if obiettivo_id not in pesi:
                assegnato.delete()
                c.segnata = True
        for obiettivo_id, peso in pesi.items():
            assegnato = esistenti.get(obiettivo_id)
            if assegnato is None:
                c.scheda.obiettivi_assegnati.create(obiettivo_id=obiettivo_id, peso=peso)
            elif assegnato.peso != peso:
                assegnato.peso = peso
                assegnato.save(update_fields=["peso"])
            else:
                continue
            c.segnata = True  # ObiettivoAssegnato keeps no history of its own
    return c


def salva_servizio(
    scheda: SchedaIndividuale, utente, versione: int, percentuale: Decimal, giorni: int
) -> Cambio:
    """The part-time % and the days of service (the premi's SERVIZIO criterion): the
    segreteria or the ufficio personale, until DEFINITIVA; written only when changed."""
    with _modifica(scheda, utente, "Dati di servizio", versione=versione, cosa="servizio") as c:
        s = c.scheda
        if (s.percentuale_servizio, s.giorni_servizio) != (percentuale, giorni):
            s.percentuale_servizio, s.giorni_servizio = percentuale, giorni
            s.save(update_fields=["percentuale_servizio", "giorni_servizio"])
    return c


# ---------------------------------------------------------------- the moves


def proponi(scheda, utente, versione: int, seduta) -> Cambio:
    """The Nucleo proposes in an open seduta of the comune (→ PROPOSTA)."""
    with _modifica(scheda, utente, "Proposta del Nucleo", versione=versione, azione="proponi") as c:
        s = c.scheda
        if seduta is None or seduta.comune_id != s.smvp.comune_id or seduta.chiusa:
            raise TransizioneNonAmmessa(
                "La proposta va riferita a una seduta aperta del Nucleo per questo comune: "
                "registra prima la seduta."
            )
        verifica_voti_completi(s, s.voti.all(), s.categoria.comportamenti.all())
        s.seduta_proposta, s.proposta_il, s.stato = seduta, timezone.now(), S.PROPOSTA
        s.save()
    return c


def decidi(scheda, utente, versione, colloquio_data, colloquio_note, voti, motivazione) -> Cambio:
    """The sindaco decides: accepts the proposal or changes votes with a motivazione,
    which stays in each changed vote's comment (→ CONSEGNATA)."""
    with _modifica(
        scheda, utente, "Decisione del sindaco", versione=versione, azione="decidi"
    ) as c:
        s = c.scheda
        attuali = {v.comportamento_id: v for v in s.voti.all()}
        nuovi = {
            k: (voto, _con_motivazione(attuali[k], voto, motivazione))
            for k, (voto, _) in voti.items()
            if k in attuali and voto is not None and voto != attuali[k].voto
        }
        if nuovi and not motivazione.strip():
            raise TransizioneNonAmmessa(
                "Cambiare i voti proposti dal Nucleo richiede una motivazione."
            )
        _scrivi_voti(s, nuovi)
        s.decisa_da, s.decisa_il = utente, timezone.now()
        _consegna(s, colloquio_data, colloquio_note)
    return c


def _con_motivazione(voto: VotoComportamento, nuovo, motivazione: str) -> str:
    nota = f"[Decisione del sindaco: voto {numero(voto.voto)} → {numero(nuovo)}. {motivazione.strip()}]"
    return f"{voto.commento}\n{nota}".strip()


def consegna(scheda, utente, versione, colloquio_data, colloquio_note) -> Cambio:
    """The evaluator delivers the scheda after the colloquio (→ CONSEGNATA)."""
    motivo = "Consegna al valutato"
    with _modifica(scheda, utente, motivo, versione=versione, azione="consegna") as c:
        s = c.scheda
        verifica_voti_completi(s, s.voti.all(), s.categoria.comportamenti.all())
        _consegna(s, colloquio_data, colloquio_note)
    return c


def _consegna(s: SchedaIndividuale, colloquio_data, colloquio_note) -> None:
    if colloquio_data is None:
        raise TransizioneNonAmmessa("La consegna richiede la data del colloquio.")
    if colloquio_data > timezone.localdate():
        raise TransizioneNonAmmessa("La data del colloquio non può essere nel futuro.")
    s.colloquio_data, s.colloquio_note = colloquio_data, colloquio_note
    s.consegnata_il, s.stato = timezone.now(), S.CONSEGNATA
    s.save()
    if s.persona.utente_id and s.persona.utente.email:
        transaction.on_commit(lambda: avvisi_schede.consegna(s))


def presa_visione(scheda, utente) -> Cambio:
    """The person takes note from his own login: the term of the conciliazione starts."""
    with _modifica(scheda, utente, "Presa visione", azione="presa_visione") as c:
        s = c.scheda
        s.presa_visione_il, s.presa_visione_modo = timezone.now(), s.PresaVisione.ACCESSO
        s.presa_visione_registrata_da = utente
        s.save()
    return c


def presa_visione_cartacea(scheda, utente, il: date | None) -> Cambio:
    """The evaluator records the acknowledgement signed on paper, with its date."""
    with _modifica(scheda, utente, "Presa visione su carta", azione="presa_visione_cartacea") as c:
        s = c.scheda
        verifica_data_cartacea(s, il)
        s.presa_visione_il = timezone.make_aware(datetime.combine(il, time(12)))
        s.presa_visione_modo = s.PresaVisione.CARTACEA
        s.presa_visione_registrata_da = utente
        s.save()
    return c


def accetta(scheda, utente) -> Cambio:
    with _modifica(scheda, utente, "Valutazione accettata", azione="accetta") as c:
        _definitiva(c.scheda)
    return c


def accetta_cartacea(scheda, utente) -> Cambio:
    """The evaluator records the acceptance the person signed on paper."""
    motivo = "Valutazione accettata su carta"
    with _modifica(scheda, utente, motivo, azione="accetta_cartacea") as c:
        _definitiva(c.scheda)
    return c


def rendi_definitiva(scheda, utente, oggi: date | None = None) -> Cambio:
    motivo = "Definitiva: termine di conciliazione scaduto"
    with _modifica(scheda, utente, motivo, azione="rendi_definitiva", oggi=oggi) as c:
        _definitiva(c.scheda)
    return c


def rendi_definitive_scadute(smvp, utente, oggi: date | None = None):
    """Every CONSEGNATA scheda of the year whose term expired with no request →
    DEFINITIVA: (schede made final, [(scheda, why not)])."""
    oggi = oggi or timezone.localdate()
    fatte, rifiutate = [], []
    candidate = SchedaIndividuale.objects.filter(smvp=smvp, stato=S.CONSEGNATA).exclude(
        presa_visione_il=None
    )
    for scheda in candidate.select_related("smvp", "persona"):
        scadenza = scadenza_conciliazione(scheda)
        if scadenza is None or scadenza >= oggi:
            continue
        try:
            fatte.append(rendi_definitiva(scheda, utente, oggi).scheda)
        except TransizioneNonAmmessa as errore:
            rifiutate.append((scheda, str(errore)))
    return fatte, rifiutate


def chiedi_conciliazione(scheda, utente, motivi: str, voto_id: int | None) -> Cambio:
    """The person asks for the conciliazione, within the term (→ CONTESTATA)."""
    with _modifica(
        scheda, utente, "Richiesta di conciliazione", azione="chiedi_conciliazione"
    ) as c:
        s = c.scheda
        if not motivi.strip():
            raise TransizioneNonAmmessa("La richiesta di conciliazione richiede i motivi.")
        voto = s.voti.filter(pk=voto_id).first() if voto_id else None
        if voto_id and voto is None:
            raise TransizioneNonAmmessa("Il comportamento indicato non è di questa scheda.")
        punteggi = punteggi_di([s])
        Contestazione.objects.create(
            scheda=s,
            voto=voto,
            motivi=motivi.strip(),
            presentata_il=timezone.now(),
            presentata_da=utente,
            voto_prima=voto.voto if voto else None,
            punteggio_prima=punteggi[s.pk].finale,
        )
        s.stato = S.CONTESTATA
        s.save(update_fields=["stato"])
        transaction.on_commit(lambda: avvisi_schede.conciliazione(s))
    return c


def contestazione_aperta(scheda) -> Contestazione | None:
    return scheda.contestazioni.filter(risposta_il=None).select_related("voto").last()


def rispondi(
    scheda, utente, versione, esito: str, risposta: str, voto_dopo, voto_id: int | None = None
) -> Cambio:
    """The answer to the conciliazione (evaluator; sindaco for the Nucleo's chain), then
    DEFINITIVA. Accolta (even in part) changes a vote: the contested comportamento's,
    or — for a request on the whole scheda — the one ``voto_id`` names."""
    motivo = "Risposta alla conciliazione"
    with _modifica(scheda, utente, motivo, versione=versione, azione="rispondi") as c:
        s = c.scheda
        richiesta = contestazione_aperta(s)
        if richiesta is None or not risposta.strip() or esito not in Contestazione.Esito.values:
            raise TransizioneNonAmmessa("La risposta richiede l'esito e il testo della risposta.")
        voto = richiesta.voto or _voto_scelto(s, voto_id, voto_dopo)
        cambia_voto = voto is not None and voto_dopo is not None and voto_dopo != voto.voto
        if esito == Contestazione.Esito.RESPINTA and cambia_voto:
            raise TransizioneNonAmmessa("Una richiesta respinta lascia il voto com'era.")
        if esito != Contestazione.Esito.RESPINTA and not cambia_voto:
            raise TransizioneNonAmmessa(
                f"Una richiesta «{Contestazione.Esito(esito).label.lower()}» cambia un voto: "
                "scegli «respinta» o cambia un voto (il comportamento e il nuovo voto)."
            )
        prima = voto.voto if voto else None
        if cambia_voto:
            voto.voto = voto_dopo
            voto.save(update_fields=["voto"])
        finale = _definitiva(s)
        richiesta.esito, richiesta.risposta = esito, risposta.strip()
        if cambia_voto and richiesta.voto is None:
            # The request was on the whole scheda: the answer says which vote changed.
            richiesta.voto_prima = prima
            richiesta.risposta += (
                f"\n[Voto cambiato: «{voto.comportamento.nome}» {numero(prima)} → "
                f"{numero(voto_dopo)}.]"
            )
        richiesta.voto_dopo = voto.voto if voto else None
        richiesta.punteggio_dopo = finale
        richiesta.risposta_da, richiesta.risposta_il = utente, timezone.now()
        richiesta.save()
    return c


def _voto_scelto(s: SchedaIndividuale, voto_id: int | None, voto_dopo):
    """The vote a whole-scheda request's answer changes (None: none chosen)."""
    if voto_id is None:
        if voto_dopo is not None:
            raise TransizioneNonAmmessa(
                "Indica quale comportamento cambia con il nuovo voto: la richiesta riguarda "
                "l'intera scheda."
            )
        return None
    voto = s.voti.select_related("comportamento").filter(pk=voto_id).first()
    if voto is None:
        raise TransizioneNonAmmessa("Il comportamento indicato non è di questa scheda.")
    return voto


def _definitiva(s: SchedaIndividuale) -> Decimal:
    """The gate, then the scores frozen on the row (→ DEFINITIVA): the final score."""
    p = punteggi_di([s]).get(s.pk)
    verifica_validati(s, p)
    for nome in COMPONENTI:
        setattr(s, f"punteggio_{nome}", getattr(p, nome))
    s.punteggio_finale = p.finale
    s.stato, s.definitiva_il = S.DEFINITIVA, timezone.now()
    s.save()
    return p.finale
