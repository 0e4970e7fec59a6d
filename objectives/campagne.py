"""Campagne di rilevazione: when values may be entered, what is missing, the e-mails.

A round (``Campagna``) is open for a settore on a day when ``apertura <= oggi <=
scadenza`` and the segreteria has not closed it, or when a ``RiaperturaSettore`` for
that settore runs until ``fino_al >= oggi`` — also after the round closed: that is
what a reopening is for.

A piano with *no* campagna for a year leaves the entry free (every momento open):
comuni that do not use rounds keep working as before. Once the segreteria creates a
round for a year, values of that year are entered only inside an open round, so a
momento with no round yet is closed.

The views call only these functions; the e-mails go through Django's mail framework
(console by default, SMTP from the environment) and each sending is an ``Avviso``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicatore, Rilevazione
from peg.formatting import data_lunga
from peg.models import Ruolo

from .models import Avviso, Campagna, Fase, Obiettivo, RiaperturaSettore
from .workflow import TransizioneNonAmmessa, e_segreteria, esegui, integrazione_richiesta

log = logging.getLogger(__name__)

M = Campagna.Momento
MOMENTI = tuple(M.values)  # ("intermedia", "finale")
ETICHETTE = dict(M.choices)


# ---------------------------------------------------------------- open or closed


def in_finestra(campagna: Campagna, oggi: date) -> bool:
    """Open for every settore: inside its dates and not closed by the segreteria."""
    return campagna.chiusa_il is None and campagna.apertura <= oggi <= campagna.scadenza


def riapertura(campagna: Campagna, settore_id: int, oggi: date) -> RiaperturaSettore | None:
    """The running reopening for the settore that lasts longest (riaperture prefetched)."""
    attive = [
        r for r in campagna.riaperture.all() if r.settore_id == settore_id and r.fino_al >= oggi
    ]
    return max(attive, key=lambda r: r.fino_al, default=None)


def aperta(campagna: Campagna, settore_id: int, oggi: date) -> bool:
    return in_finestra(campagna, oggi) or riapertura(campagna, settore_id, oggi) is not None


def stato_generale(campagna: Campagna, oggi: date) -> str:
    """«aperta fino al 31 agosto 2019», «chiusa il …», «apre il …»."""
    if campagna.chiusa_il is not None:
        return f"chiusa il {data_lunga(timezone.localdate(campagna.chiusa_il))}"
    if oggi < campagna.apertura:
        return f"programmata: apre il {data_lunga(campagna.apertura)}"
    if oggi > campagna.scadenza:
        return f"chiusa (scaduta il {data_lunga(campagna.scadenza)})"
    return f"aperta fino al {data_lunga(campagna.scadenza)}"


def stato_settore(campagna: Campagna, settore_id: int, oggi: date) -> str:
    if in_finestra(campagna, oggi):
        return stato_generale(campagna, oggi)
    if r := riapertura(campagna, settore_id, oggi):
        return f"riaperta per il settore fino al {data_lunga(r.fino_al)}"
    return stato_generale(campagna, oggi)


@dataclass
class StatoMomento:
    """One momento of a scheda's year, as the rendicontazione shows and enforces it."""

    momento: str
    etichetta: str
    aperto: bool
    testo: str  # «aperta fino al 31 agosto 2019»
    motivo: str = ""  # why it is closed, for the form error and the field note


def _motivo(etichetta: str, campagna: Campagna | None, anno: int, oggi: date) -> str:
    if campagna is None:
        return f"{etichetta}: per il {anno} la segreteria non ha ancora aperto questa campagna."
    riapri = "chiedi alla segreteria di riaprirla per il tuo settore."
    if campagna.chiusa_il is not None:
        chiusa = data_lunga(timezone.localdate(campagna.chiusa_il))
        return f"{etichetta}: la campagna è stata chiusa il {chiusa}; {riapri}"
    if oggi < campagna.apertura:
        return f"{etichetta}: la campagna apre il {data_lunga(campagna.apertura)}."
    return f"{etichetta}: la campagna è chiusa (scadenza {data_lunga(campagna.scadenza)}); {riapri}"


def stato_momenti(obiettivo: Obiettivo, oggi: date) -> dict[str, StatoMomento] | None:
    """Per momento, whether values may be entered now for this scheda's settore;
    None when the piano has no round for the year (free entry). One query."""
    campagne = {
        c.momento: c
        for c in Campagna.objects.filter(
            piano_id=obiettivo.piano_id, anno=obiettivo.anno
        ).prefetch_related(
            Prefetch(
                "riaperture",
                queryset=RiaperturaSettore.objects.filter(settore_id=obiettivo.settore_id),
            )
        )
    }
    if not campagne:
        return None
    # The OIV asked this scheda for an integration: its final values may be completed
    # even after the round closed (the request is the reopening).
    integrazione = integrazione_richiesta(obiettivo)
    stati = {}
    for momento in MOMENTI:
        etichetta, campagna = ETICHETTE[momento], campagne.get(momento)
        if campagna is not None and aperta(campagna, obiettivo.settore_id, oggi):
            testo = stato_settore(campagna, obiettivo.settore_id, oggi)
            stati[momento] = StatoMomento(momento, etichetta, True, testo)
        elif momento == "finale" and integrazione is not None:
            testo = f"riaperta per l'integrazione chiesta dall'OIV il {data_lunga(timezone.localdate(integrazione.quando))}"
            stati[momento] = StatoMomento(momento, etichetta, True, testo)
        else:
            testo = stato_generale(campagna, oggi) if campagna else "non ancora aperta"
            motivo = _motivo(etichetta, campagna, obiettivo.anno, oggi)
            stati[momento] = StatoMomento(momento, etichetta, False, testo, motivo)
    return stati


def momenti_aperti(obiettivo: Obiettivo, oggi: date) -> set[str]:
    """The momenti whose values may be entered today for this scheda."""
    stati = stato_momenti(obiettivo, oggi)
    return set(MOMENTI) if stati is None else {m for m, s in stati.items() if s.aperto}


def momenti_chiusi(obiettivo: Obiettivo, oggi: date) -> dict[str, str]:
    """The closed momenti with why (the Italian message the form shows)."""
    stati = stato_momenti(obiettivo, oggi) or {}
    return {m: s.motivo for m, s in stati.items() if not s.aperto}


# ---------------------------------------------------------------- what is missing


@dataclass
class Mancante:
    obiettivo: Obiettivo
    voci: list[str]  # «indicatore 2: Numero di incontri»


@dataclass
class Ritardo:
    """A settore in a round: its schede in monitoraggio and what they still miss."""

    settore_id: int
    schede: int = 0
    obiettivi: list[Mancante] = field(default_factory=list)

    @property
    def n(self) -> int:
        return sum(len(m.voci) for m in self.obiettivi)


def mancanti(campagna: Campagna, settori=None) -> dict[int, Ritardo]:
    """Per settore id, the values still missing for the round, in four queries whatever
    the size of the piano.

    Missing: an indicatore of a scheda in monitoraggio with no rilevazione of the
    round's momento carrying a value or a date (days-late indicatori are measured by
    the date); for the finale also a fase with neither avanzamento nor result."""
    schede = Obiettivo.objects.filter(
        piano_id=campagna.piano_id, anno=campagna.anno, stato=Obiettivo.Stato.IN_MONITORAGGIO
    )
    if settori is not None:
        schede = schede.filter(settore_id__in=[getattr(s, "pk", s) for s in settori])
    obiettivi = list(
        schede.only("id", "codice", "anno", "denominazione", "settore_id", "piano_id").order_by(
            "settore_id", "codice", "id"
        )
    )
    indicatori: dict[int, list] = {}
    for i in (
        Indicatore.objects.filter(obiettivo__in=schede)
        .only("id", "obiettivo_id", "numero", "denominazione")
        .order_by("obiettivo_id", "numero")
    ):
        indicatori.setdefault(i.obiettivo_id, []).append(i)
    rilevati = set(
        Rilevazione.objects.filter(indicatore__obiettivo__in=schede, tipo=campagna.momento)
        .filter(Q(valore__isnull=False) | Q(data__isnull=False))
        .values_list("indicatore_id", flat=True)
    )
    fasi: dict[int, list] = {}
    if campagna.momento == M.FINALE:
        for f in (
            Fase.objects.filter(
                obiettivo__in=schede,
                avanzamento__isnull=True,
                raggiunto="",
                data_fine_effettiva__isnull=True,
            )
            .only("id", "obiettivo_id", "numero", "descrizione")
            .order_by("obiettivo_id", "numero")
        ):
            fasi.setdefault(f.obiettivo_id, []).append(f)
    risultato: dict[int, Ritardo] = {}
    for obiettivo in obiettivi:
        ritardo = risultato.setdefault(obiettivo.settore_id, Ritardo(obiettivo.settore_id))
        ritardo.schede += 1
        voci = [
            f"indicatore {i.numero}: {_breve(i.denominazione)}"
            for i in indicatori.get(obiettivo.pk, [])
            if i.pk not in rilevati
        ]
        voci += [f"fase {f.numero}: {_breve(f.descrizione)}" for f in fasi.get(obiettivo.pk, [])]
        if voci:
            ritardo.obiettivi.append(Mancante(obiettivo, voci))
    return risultato


def _breve(testo: str, n: int = 90) -> str:
    testo = " ".join(testo.split())
    return testo if len(testo) <= n else testo[: n - 1] + "…"


def responsabili(comune_id: int) -> dict[int, list]:
    """Per settore id, the users with a responsabile role on it (one query)."""
    righe = (
        Ruolo.settori.through.objects.filter(
            ruolo__comune_id=comune_id, ruolo__tipo=Ruolo.Tipo.RESPONSABILE
        )
        .select_related("ruolo__utente")
        .order_by("ruolo__utente__last_name", "ruolo__utente__username")
    )
    per_settore: dict[int, list] = {}
    for riga in righe:
        utenti = per_settore.setdefault(riga.settore_id, [])
        if riga.ruolo.utente not in utenti:
            utenti.append(riga.ruolo.utente)
    return per_settore


@dataclass
class InCorso:
    """A round on the home page: the segreteria's settori behind, a responsabile's gaps."""

    campagna: Campagna
    stato: str
    aperta: bool = True
    settori_in_ritardo: int = 0
    mancanti: int = 0


def in_corso(comune, oggi: date) -> list[InCorso]:
    """The comune's open rounds with how many settori are behind (segreteria's home)."""
    risultato = []
    for campagna in (
        Campagna.objects.filter(
            piano__comune=comune, chiusa_il__isnull=True, apertura__lte=oggi, scadenza__gte=oggi
        )
        .select_related("piano")
        .order_by("scadenza", "id")
    ):
        ritardi = mancanti(campagna).values()
        risultato.append(
            InCorso(
                campagna,
                stato_generale(campagna, oggi),
                settori_in_ritardo=sum(1 for r in ritardi if r.n),
                mancanti=sum(r.n for r in ritardi),
            )
        )
    return risultato


RECENTI = 30  # days a closed round stays on a responsabile's home


def del_responsabile(comune, utente, oggi: date) -> list[InCorso]:
    """Rounds that concern a responsabile: open for one of his settori, or closed in the
    last days (so he sees that it closed), with what his settori still miss."""
    settori = list(
        Ruolo.settori.through.objects.filter(
            ruolo__utente=utente, ruolo__comune=comune, ruolo__tipo=Ruolo.Tipo.RESPONSABILE
        ).values_list("settore_id", flat=True)
    )
    if not settori:
        return []
    campagne = (
        Campagna.objects.filter(piano__comune=comune, apertura__lte=oggi)
        .filter(
            Q(scadenza__gte=oggi - timedelta(days=RECENTI))
            | Q(riaperture__settore_id__in=settori, riaperture__fino_al__gte=oggi)
        )
        .distinct()
        .select_related("piano")
        .prefetch_related("riaperture")
        .order_by("scadenza", "id")
    )
    risultato = []
    for campagna in campagne:
        stati = {stato_settore(campagna, s, oggi) for s in settori}
        aperta_ = any(aperta(campagna, s, oggi) for s in settori)
        ritardi = mancanti(campagna, settori).values() if aperta_ else []
        risultato.append(
            InCorso(
                campagna,
                "; ".join(sorted(stati)),
                aperta=aperta_,
                mancanti=sum(r.n for r in ritardi),
            )
        )
    return risultato


# ---------------------------------------------------------------- e-mails


@dataclass
class Invio:
    """What one sending did, for the segreteria's message and the command's report."""

    avvisi: list[Avviso] = field(default_factory=list)
    senza_indirizzo: list[str] = field(default_factory=list)  # settori behind, nobody to write to
    spostate: int = 0  # schede moved to in monitoraggio when the round opened

    @property
    def email(self) -> int:
        return sum(len(a.destinatari.split(", ")) for a in self.avvisi)

    def riepilogo(self) -> str:
        parti = []
        if self.spostate:
            parti.append(_n(self.spostate, "scheda passata", "schede passate") + " in monitoraggio")
        if self.avvisi:
            parti.append(
                _n(self.email, "e-mail inviata", "e-mail inviate")
                + " a "
                + _n(len(self.avvisi), "settore", "settori")
            )
        else:
            parti.append("nessuna e-mail da inviare")
        if self.senza_indirizzo:
            parti.append(
                "senza un responsabile con indirizzo e-mail: " + ", ".join(self.senza_indirizzo)
            )
        return "; ".join(parti) + "."


def _n(n: int, singolare: str, plurale: str) -> str:
    return f"{n} {singolare if n == 1 else plurale}"


OGGETTI = {
    Avviso.Tipo.APERTURA: "è aperta",
    Avviso.Tipo.SCADENZA: "scade il {scadenza}",
    Avviso.Tipo.SOLLECITO: "sollecito, scade il {scadenza}",
}
APERTURE = {
    Avviso.Tipo.APERTURA: "è aperta la campagna di rilevazione",
    Avviso.Tipo.SCADENZA: "si avvicina la scadenza della campagna di rilevazione",
    Avviso.Tipo.SOLLECITO: "ti ricordiamo la campagna di rilevazione",
}


def _link(campagna: Campagna, obiettivo: Obiettivo) -> str:
    percorso = reverse("rendicontazione", args=[campagna.piano.comune.slug, obiettivo.pk])
    return settings.SITE_URL.rstrip("/") + percorso


def testo_email(
    campagna: Campagna, tipo: str, utente, settore, ritardo: Ritardo, fino_al: date
) -> tuple[str, str]:
    """Subject and body of the e-mail to one responsabile, in Italian."""
    piano, comune = campagna.piano, campagna.piano.comune
    nome_campagna = f"{campagna.get_momento_display()} {campagna.anno}"
    oggetto = f"[PEG {comune.nome}] {nome_campagna}: " + OGGETTI[tipo].format(
        scadenza=data_lunga(fino_al)
    )
    righe = [
        f"Gentile {utente.get_full_name() or utente.username},",
        "",
        f"{APERTURE[tipo]} «{nome_campagna}» del piano «{piano.titolo}» ({comune}).",
        f"Valori alla data del {data_lunga(campagna.data_riferimento)}, "
        f"da inserire entro il {data_lunga(fino_al)}.",
        "",
        f"Per il settore «{settore}» "
        + ("manca ancora 1 valore:" if ritardo.n == 1 else f"mancano ancora {ritardo.n} valori:"),
    ]
    for mancante in ritardo.obiettivi:
        o = mancante.obiettivo
        righe += ["", f"{o.codice} ({o.anno}) - {_breve(o.denominazione, 120)}"]
        righe += [f"  - {voce}" for voce in mancante.voci]
        righe.append(f"  Inserisci i valori: {_link(campagna, o)}")
    if campagna.note.strip():
        righe += ["", "Note della segreteria:", campagna.note.strip()]
    righe += ["", "Messaggio inviato da PEG - Piano degli obiettivi."]
    return oggetto, "\n".join(righe)


def invia(
    campagna: Campagna, tipo: str, oggi: date, *, utente=None, settori=None, invio=None
) -> Invio:
    """One e-mail per responsabile (with an address) of each settore still behind,
    sent together; each settore's sending is an Avviso. Settori with nothing
    missing get nothing."""
    invio = invio or Invio()
    campagna = (
        Campagna.objects.select_related("piano__comune")
        .prefetch_related("riaperture")
        .get(pk=campagna.pk)
    )
    ritardi = mancanti(campagna, settori)
    destinatari = responsabili(campagna.piano.comune_id)
    nomi = {
        s.pk: s
        for s in campagna.piano.comune.settori.filter(pk__in=list(ritardi)).only(
            "id", "codice", "nome"
        )
    }
    messaggi, avvisi = [], []
    for settore_id, ritardo in ritardi.items():
        if not ritardo.n:
            continue
        settore = nomi[settore_id]
        utenti = [u for u in destinatari.get(settore_id, []) if u.email.strip()]
        if not utenti:
            invio.senza_indirizzo.append(str(settore))
            continue
        r = riapertura(campagna, settore_id, oggi)
        fino_al = r.fino_al if r and not in_finestra(campagna, oggi) else campagna.scadenza
        for u in utenti:
            oggetto, corpo = testo_email(campagna, tipo, u, settore, ritardo, fino_al)
            messaggi.append(mail.EmailMessage(oggetto, corpo, to=[u.email.strip()]))
        avvisi.append(
            Avviso(
                campagna=campagna,
                tipo=tipo,
                settore_id=settore_id,
                destinatari=", ".join(u.email.strip() for u in utenti),
                mancanti=ritardo.n,
                inviato_da=utente,
                quando=timezone.now(),
            )
        )
    if messaggi:
        mail.get_connection().send_messages(messaggi)
    invio.avvisi += Avviso.objects.bulk_create(avvisi)
    return invio


# ---------------------------------------------------------------- the round's life


def _attore(campagna: Campagna):
    """Who moves the schede when the cron opens a round: its creator if still
    segreteria of the comune, else any segreteria user of the comune."""
    comune = campagna.piano.comune
    if campagna.creata_da is not None and e_segreteria(campagna.creata_da, comune):
        return campagna.creata_da
    ruolo = (
        Ruolo.objects.filter(comune=comune, tipo=Ruolo.Tipo.SEGRETERIA)
        .select_related("utente")
        .order_by("id")
        .first()
    )
    return ruolo.utente if ruolo else None


@transaction.atomic
def apri(campagna: Campagna, oggi: date, utente=None) -> Invio | None:
    """Open the round once: the piano's approved schede of the year go in monitoraggio
    (recorded as CambioStato) and every responsabile behind gets the opening e-mail.
    None if it is not due (apertura in the future, closed, already announced)."""
    campagna = (
        Campagna.objects.select_for_update().select_related("piano__comune").get(pk=campagna.pk)
    )
    if campagna.avviso_apertura_il is not None or campagna.chiusa_il is not None:
        return None
    if not campagna.apertura <= oggi <= campagna.scadenza:
        return None
    invio = Invio()
    attore = utente or _attore(campagna)
    approvate = Obiettivo.objects.filter(
        piano_id=campagna.piano_id, anno=campagna.anno, stato=Obiettivo.Stato.APPROVATO
    )
    if attore is None and approvate.exists():
        log.warning(
            "%s: nessun utente di segreteria, schede approvate lasciate com'erano", campagna
        )
    elif attore is not None:
        for obiettivo in approvate.select_related("piano"):
            try:
                esegui(obiettivo, attore, "avvia_monitoraggio")
            except TransizioneNonAmmessa as exc:  # e.g. the actor lost the role meanwhile
                log.warning("%s: %s", campagna, exc)
            else:
                invio.spostate += 1
    invia(campagna, Avviso.Tipo.APERTURA, oggi, utente=utente, invio=invio)
    campagna.avviso_apertura_il = timezone.now()
    campagna.save(update_fields=["avviso_apertura_il"])
    return invio


def preavviso_dovuto(campagna: Campagna, oggi: date) -> bool:
    giorni = (campagna.scadenza - oggi).days
    return (
        campagna.avviso_apertura_il is not None
        and campagna.avviso_scadenza_il is None
        and in_finestra(campagna, oggi)
        and giorni <= settings.CAMPAGNE_PREAVVISO_GIORNI
    )


@transaction.atomic
def avvisa_scadenza(campagna: Campagna, oggi: date) -> Invio | None:
    """The deadline e-mail, once, when the scadenza is CAMPAGNE_PREAVVISO_GIORNI away."""
    campagna = Campagna.objects.select_for_update().get(pk=campagna.pk)
    if not preavviso_dovuto(campagna, oggi):
        return None
    invio = invia(campagna, Avviso.Tipo.SCADENZA, oggi)
    campagna.avviso_scadenza_il = timezone.now()
    campagna.save(update_fields=["avviso_scadenza_il"])
    return invio


def avvisi_del_giorno(oggi: date) -> list[tuple[Campagna, str, Invio]]:
    """What the daily command does: open the rounds due, warn of the near deadlines.

    One e-mail a day at most per round: the deadline warning waits for the day after
    the opening."""
    fatti = []
    campagne = Campagna.objects.filter(
        chiusa_il__isnull=True, apertura__lte=oggi, scadenza__gte=oggi
    ).filter(Q(avviso_apertura_il__isnull=True) | Q(avviso_scadenza_il__isnull=True))
    for campagna in campagne.select_related("piano__comune").order_by("scadenza", "id"):
        if campagna.avviso_apertura_il is None:
            if invio := apri(campagna, oggi):
                fatti.append((campagna, "apertura", invio))
        elif invio := avvisa_scadenza(campagna, oggi):
            fatti.append((campagna, "scadenza", invio))
    return fatti


def sollecita(campagna: Campagna, utente, oggi: date, settore=None) -> Invio:
    """A reminder to one settore, or to every settore behind, where the round is open."""
    campagna = Campagna.objects.prefetch_related("riaperture").get(pk=campagna.pk)
    if settore is not None:
        if not aperta(campagna, settore.pk, oggi):
            raise TransizioneNonAmmessa(
                f"La campagna è chiusa per «{settore}»: riaprila per il settore prima di sollecitare."
            )
        settori = [settore.pk]
    elif in_finestra(campagna, oggi):
        settori = None
    else:
        settori = sorted({r.settore_id for r in campagna.riaperture.all() if r.fino_al >= oggi})
        if not settori:
            raise TransizioneNonAmmessa(
                "La campagna è chiusa: non ci sono ritardatari da sollecitare."
            )
    return invia(campagna, Avviso.Tipo.SOLLECITO, oggi, utente=utente, settori=settori)


def chiudi(campagna: Campagna) -> None:
    if campagna.chiusa_il is None:
        campagna.chiusa_il = timezone.now()
        campagna.save(update_fields=["chiusa_il"])


def riapri(campagna: Campagna, scadenza: date) -> None:
    """Reopen the whole round until a new deadline (the deadline e-mail goes again)."""
    if scadenza != campagna.scadenza:
        campagna.avviso_scadenza_il = None
    campagna.chiusa_il, campagna.scadenza = None, scadenza
    campagna.full_clean()
    campagna.save()


def riapri_settore(campagna, settore, fino_al: date, motivazione: str, utente) -> RiaperturaSettore:
    return RiaperturaSettore.objects.create(
        campagna=campagna,
        settore=settore,
        fino_al=fino_al,
        motivazione=motivazione.strip(),
        utente=utente,
        quando=timezone.now(),
    )
