"""The e-mails of a round: what each responsabile still misses, with the links to enter it.

They are queued by ``peg.posta.invia`` (sent by the worker, tried again if the mail server
fails); each sending to a settore is an ``Avviso``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core import mail
from django.utils import timezone

from indicators.engine.formatting import breve, data_lunga
from peg import posta
from peg.access import responsabili_per_settore

from ..models import Avviso, Campagna, Obiettivo, RiaperturaSettore
from .finestre import in_finestra, riapertura
from .mancanti import Ritardo, mancanti


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
    return posta.link("rendicontazione", campagna.piano.comune.slug, obiettivo.pk)


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
        righe += ["", f"{o.codice} ({o.anno}) - {breve(o.denominazione, 120)}"]
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
    destinatari = responsabili_per_settore(campagna.piano.comune_id)
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
        posta.invia(messaggi)
    invio.avvisi += Avviso.objects.bulk_create(avvisi)
    return invio


def avvisa_riapertura(riapertura: RiaperturaSettore) -> Invio:
    """The e-mail to each responsabile (with an address) of a settore the round was
    reopened for: until when, why, and what is still missing, with the links. Sent
    even with nothing missing: a reopening is also for correcting a value."""
    invio = Invio()
    campagna, settore = riapertura.campagna, riapertura.settore
    comune = campagna.piano.comune
    utenti = [u for u in responsabili_per_settore(comune.pk).get(settore.pk, []) if u.email.strip()]
    if not utenti:
        invio.senza_indirizzo.append(str(settore))
        return invio
    ritardo = mancanti(campagna, [settore.pk]).get(settore.pk, Ritardo(settore.pk))
    nome_campagna = f"{campagna.get_momento_display()} {campagna.anno}"
    fino_al = data_lunga(riapertura.fino_al)
    oggetto = f"[PEG {comune.nome}] {nome_campagna}: riaperta per il tuo settore fino al {fino_al}"
    messaggi = []
    for u in utenti:
        righe = [
            f"Gentile {u.get_full_name() or u.username},",
            "",
            f"la segreteria ha riaperto la campagna di rilevazione «{nome_campagna}» del piano "
            f"«{campagna.piano.titolo}» ({comune}) per il settore «{settore}» fino al {fino_al}.",
            f"Motivazione: {riapertura.motivazione}",
            "",
        ]
        if ritardo.n:
            righe.append(
                "Manca ancora 1 valore:"
                if ritardo.n == 1
                else f"Mancano ancora {ritardo.n} valori:"
            )
            for mancante in ritardo.obiettivi:
                o = mancante.obiettivo
                righe += ["", f"{o.codice} ({o.anno}) - {breve(o.denominazione, 120)}"]
                righe += [f"  - {voce}" for voce in mancante.voci]
                righe.append(f"  Inserisci i valori: {_link(campagna, o)}")
        else:
            righe.append("Non mancano valori: puoi correggere quelli inseriti fino a quella data.")
        righe += ["", "Messaggio inviato da PEG - Piano degli obiettivi."]
        messaggi.append(mail.EmailMessage(oggetto, "\n".join(righe), to=[u.email.strip()]))
    posta.invia(messaggi)
    invio.avvisi.append(
        Avviso.objects.create(
            campagna=campagna,
            tipo=Avviso.Tipo.RIAPERTURA,
            settore=settore,
            destinatari=", ".join(u.email.strip() for u in utenti),
            mancanti=ritardo.n,
            inviato_da=riapertura.utente,
            quando=timezone.now(),
        )
    )
    return invio
