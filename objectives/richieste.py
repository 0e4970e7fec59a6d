"""Richieste di variazione: a responsabile asks the segreteria to change an approved scheda.

- ``chiedi``: the settore's responsabile, on a scheda where a variazione can be made
  (``workflow.MODIFICHE``: approvato, in monitoraggio), writes what and why (optionally
  which indicatore or fase); the segreteria gets an e-mail with the link.
- ``accogli``: the segreteria accepts, with an optional delibera; the responsabile is
  told. The change itself is then made as any variazione, through
  ``objectives.modifiche``: the planning page opens with the request's motivazione
  written (``precompila``) and the first variazione recorded on the scheda is linked to
  the accepted requests still waiting for it (``collega``, called by the service).
- ``respingi``: the segreteria refuses, with the reason; the responsabile is told.

States: in attesa → accolta | respinta, once. Who sees a request: ``objectives.access``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core import mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from indicators.engine.formatting import breve, data_lunga
from peg import posta
from peg.access import RESPONSABILE, e_segreteria, ruoli_sulla_scheda, utenti_segreteria

from .models import Obiettivo, RichiestaVariazione
from .workflow import MODIFICHE, TransizioneNonAmmessa

R = RichiestaVariazione.Stato
# Where a change of the scheda is a variazione: there it can be asked for.
STATI_VARIABILI = frozenset(s for s, m in MODIFICHE.items() if "variazione" in m)


def _scheda(obiettivo: Obiettivo) -> str:
    return f"{obiettivo.codice} ({obiettivo.anno})"


def _nome(utente) -> str:
    return utente.get_full_name() or utente.username


# -- asking ---------------------------------------------------------------------------


def verifica_richiesta(utente, obiettivo: Obiettivo) -> None:
    """The settore's responsabile, on an approved scheda or one in monitoraggio."""
    if RESPONSABILE not in ruoli_sulla_scheda(utente, obiettivo):
        raise TransizioneNonAmmessa(
            f"Solo il responsabile del settore chiede una variazione di {_scheda(obiettivo)}."
        )
    if obiettivo.stato not in STATI_VARIABILI:
        raise TransizioneNonAmmessa(
            "Una variazione si chiede solo per una scheda approvata o in monitoraggio: "
            f"{_scheda(obiettivo)} è «{obiettivo.get_stato_display()}»."
        )


def puo_chiedere(utente, obiettivo: Obiettivo) -> bool:
    try:
        verifica_richiesta(utente, obiettivo)
    except TransizioneNonAmmessa:
        return False
    return True


@transaction.atomic
def chiedi(
    obiettivo: Obiettivo, utente, *, cosa: str, motivazione: str, indicatore=None, fase=None
) -> RichiestaVariazione:
    """Record the request and e-mail the segreteria (an error in sending: nothing recorded)."""
    verifica_richiesta(utente, obiettivo)
    for riga in (indicatore, fase):
        if riga is not None and riga.obiettivo_id != obiettivo.pk:
            raise TransizioneNonAmmessa(f"«{riga}» non è una riga di {_scheda(obiettivo)}.")
    richiesta = RichiestaVariazione.objects.create(
        obiettivo=obiettivo,
        indicatore=indicatore,
        fase=fase,
        cosa=cosa.strip(),
        motivazione=motivazione.strip(),
        richiesta_da=utente,
        richiesta_il=timezone.now(),
    )
    settore = obiettivo.settore
    righe = [
        f"{_nome(utente)}, responsabile del settore «{settore}», chiede una variazione della "
        f"scheda {_scheda(obiettivo)} - {breve(obiettivo.denominazione, 120)} del piano "
        f"«{obiettivo.piano.titolo}».",
        "",
        *_cosa(richiesta),
        "",
        f"Per accoglierla o respingerla: {link(richiesta)}",
    ]
    _invia(utenti_segreteria(obiettivo.piano.comune), _oggetto(richiesta), righe)
    return richiesta


# -- deciding -------------------------------------------------------------------------


def verifica_decisione(utente, richiesta: RichiestaVariazione) -> None:
    """The segreteria of the comune, once per request."""
    if not e_segreteria(utente, richiesta.obiettivo.piano.comune):
        raise TransizioneNonAmmessa(
            "Solo la segreteria accoglie o respinge una richiesta di variazione."
        )
    if richiesta.stato != R.IN_ATTESA:
        raise TransizioneNonAmmessa(
            f"La richiesta di variazione di {_scheda(richiesta.obiettivo)} è già stata "
            f"{richiesta.get_stato_display().lower()}."
        )


def puo_decidere(utente, richiesta: RichiestaVariazione) -> bool:
    try:
        verifica_decisione(utente, richiesta)
    except TransizioneNonAmmessa:
        return False
    return True


@transaction.atomic
def accogli(
    richiesta: RichiestaVariazione,
    utente,
    delibera_numero: str = "",
    delibera_data: date | None = None,
) -> RichiestaVariazione:
    """Accept: the variazione is then recorded on the planning page (``precompila``)."""
    richiesta = _blocca(richiesta)
    verifica_decisione(utente, richiesta)
    obiettivo = richiesta.obiettivo
    if obiettivo.stato not in STATI_VARIABILI:
        raise TransizioneNonAmmessa(
            f"{_scheda(obiettivo)} è «{obiettivo.get_stato_display()}» e non si può variare: "
            "riaprila prima di accogliere la richiesta."
        )
    if bool(delibera_numero.strip()) != bool(delibera_data):
        raise TransizioneNonAmmessa("Della delibera servono numero e data, o nessuno dei due.")
    richiesta.delibera_numero, richiesta.delibera_data = delibera_numero.strip(), delibera_data
    _decidi(richiesta, utente, R.ACCOLTA, "")
    return richiesta


@transaction.atomic
def respingi(richiesta: RichiestaVariazione, utente, risposta: str) -> RichiestaVariazione:
    richiesta = _blocca(richiesta)
    verifica_decisione(utente, richiesta)
    if not risposta.strip():
        raise TransizioneNonAmmessa("Scrivi perché la richiesta è respinta.")
    _decidi(richiesta, utente, R.RESPINTA, risposta.strip())
    return richiesta


def _decidi(richiesta: RichiestaVariazione, utente, stato: str, risposta: str) -> None:
    richiesta.stato, richiesta.risposta = stato, risposta
    richiesta.decisa_da, richiesta.decisa_il = utente, timezone.now()
    richiesta.save()
    obiettivo = richiesta.obiettivo
    righe = [
        f"la tua richiesta di variazione della scheda {_scheda(obiettivo)} - "
        f"{breve(obiettivo.denominazione, 120)} del {data_lunga(timezone.localdate(richiesta.richiesta_il))} "
        f"è stata {richiesta.get_stato_display().lower()} da {_nome(utente)}"
        + (f" (delibera {delibera(richiesta)})." if richiesta.delibera_numero else "."),
        "",
        *_cosa(richiesta),
    ]
    if stato == R.RESPINTA:
        righe += ["", f"Motivo: {risposta}"]
    else:
        righe += ["", "La segreteria registra ora la variazione della scheda."]
    righe += ["", f"La richiesta: {link(richiesta)}"]
    _invia([richiesta.richiesta_da], _oggetto(richiesta, stato), righe)


def delibera(richiesta: RichiestaVariazione) -> str:
    """«n. 12 del 2 maggio 2019», or empty."""
    if not richiesta.delibera_numero:
        return ""
    return f"n. {richiesta.delibera_numero} del {data_lunga(richiesta.delibera_data)}"


# -- the variazione that follows ----------------------------------------------------


def da_applicare(obiettivo: Obiettivo) -> QuerySet[RichiestaVariazione]:
    """The accepted requests whose variazione is not recorded yet."""
    return RichiestaVariazione.objects.filter(
        obiettivo=obiettivo, stato=R.ACCOLTA, variazione__isnull=True
    ).select_related("richiesta_da", "indicatore", "fase")


def motivazione_variazione(richiesta: RichiestaVariazione) -> str:
    """The motivazione the variazione is recorded with: the request's, and whose."""
    rif = f" (delibera {delibera(richiesta)})" if richiesta.delibera_numero else ""
    return f"Richiesta di {_nome(richiesta.richiesta_da)} accolta{rif}: {richiesta.motivazione}"


def precompila(form, obiettivo: Obiettivo) -> list[RichiestaVariazione]:
    """Write the accepted requests' motivazione in the variazione form (not yet bound);
    returns them, for the page to show what was asked."""
    accolte = list(da_applicare(obiettivo)) if obiettivo.pk else []
    if accolte and "motivazione" in form.fields and not form.is_bound:
        form.initial["motivazione"] = "\n".join(motivazione_variazione(r) for r in accolte)
    return accolte


def collega(variazioni: Iterable) -> None:
    """Link each new Variazione to its scheda's accepted requests waiting for one
    (called by ``objectives.modifiche`` when it records variazioni, in its transaction)."""
    per_scheda = {v.obiettivo_id: v for v in variazioni}
    if not per_scheda:
        return
    attese = RichiestaVariazione.objects.filter(
        obiettivo_id__in=list(per_scheda), stato=R.ACCOLTA, variazione__isnull=True
    ).values_list("pk", "obiettivo_id")
    per_obiettivo: dict[int, list[int]] = {}
    for pk, obiettivo_id in attese:
        per_obiettivo.setdefault(obiettivo_id, []).append(pk)
    for obiettivo_id, pks in per_obiettivo.items():
        RichiestaVariazione.objects.filter(pk__in=pks).update(variazione=per_scheda[obiettivo_id])


# -- inside ---------------------------------------------------------------------------


def link(richiesta: RichiestaVariazione) -> str:
    return posta.link("richiesta_variazione", richiesta.obiettivo.piano.comune.slug, richiesta.pk)


def _oggetto(richiesta: RichiestaVariazione, stato: str | None = None) -> str:
    o = richiesta.obiettivo
    esito = f": {R(stato).label.lower()}" if stato else ""
    return f"[PEG {o.piano.comune.nome}] Richiesta di variazione di {_scheda(o)}{esito}"


def _cosa(richiesta: RichiestaVariazione) -> list[str]:
    righe = [f"Che cosa cambiare: {richiesta.cosa}"]
    if richiesta.indicatore_id:
        righe.append(f"Riguarda: indicatore {richiesta.indicatore}")
    if richiesta.fase_id:
        righe.append(f"Riguarda: {richiesta.fase}")
    return [*righe, f"Perché: {richiesta.motivazione}"]


def _invia(destinatari: list, oggetto: str, righe: list[str]) -> None:
    """One e-mail per user with an address, queued in the caller's transaction
    (``peg.posta``: a mail server down delays it, never fails the decision)."""
    messaggi = []
    for utente in destinatari:
        if not utente.email.strip():
            continue
        corpo = "\n".join(
            [f"Gentile {_nome(utente)},", "", *righe, "", "Messaggio inviato da PEG."]
        )
        messaggi.append(mail.EmailMessage(oggetto, corpo, to=[utente.email.strip()]))
    if messaggi:
        posta.invia(messaggi)


def _blocca(richiesta: RichiestaVariazione) -> RichiestaVariazione:
    return (
        RichiestaVariazione.objects.select_for_update(of=("self",))
        .select_related("obiettivo__piano__comune", "obiettivo__settore", "richiesta_da")
        .select_related("indicatore", "fase")
        .get(pk=richiesta.pk)
    )
