"""Who gets what, everywhere: a role × route × method matrix built from the URL conf.

Every named route of the project (the admin aside: ``tests/test_admin.py``) has a row in
``TABELLA``: how to build its URL (which object, in which state) and, per state, the
status code each profile gets with GET and with POST. A route without a row, or a row
without a route, fails ``test_ogni_rotta_ha_la_sua_riga``.

The expected codes are derived from the rules, not read off the code: ``peg.access``
(another comune: 404), ``objectives.access`` (which schede a user sees: 404 outside;
a change not allowed in the state: 403 with why), ``objectives.workflow`` (MODIFICHE,
TRANSIZIONI), ``valutazione.access``, ``reporting.access`` and the views' docstrings.
A cell where the code answers otherwise than the rule says is marked ``# BUG:`` with
the rule's code: the test fails until the code is fixed.

Profiles: the users of ``tests.utenti.Ente`` on a scheda of settore A (``responsabile_a``
is its responsabile, ``responsabile_b`` of another settore), ``estraneo`` the segreteria
of another comune, ``anonimo`` not logged in (302 to the login page wherever the view is
``login_required``; ``require_POST`` views sit inside it, so GET gives 405 only once
logged in). POST bodies are empty or minimal (the test client skips the CSRF check):
the point is who may, not form validation, but the code is asserted exactly.

One test per (route, state): the ente and the objects are built once, then every
(method, profile) cell runs in a savepoint rolled back after it, so each cell starts
from the same fresh objects (a validation, a deleted allegato, a closed campagna never
leak into the next cell) and the mismatches of a route are reported together. On every
GET and every refused request (403, 404, 405, anonymous 302) the data must not change
(``impronta``); where a POST must change data, the row says for whom (``cambia``).

WeasyPrint is replaced by a fixed PDF (``pdf_finto``): the views, the access checks and
the templates run, the layout (a second per PDF) does not; ``tests/test_pdf.py`` tests
the PDFs. Whole-piano stampe are enqueued on commit, which never comes inside a test:
no task runs, no worker is started. E-mail goes to Django's locmem outbox.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from indicators.models import Indicatore, Rilevazione
from individuale.models import (
    Categoria,
    Comportamento,
    Contestazione,
    Distribuzione,
    Fascia,
    SchedaIndividuale,
    Smvp,
    VotoComportamento,
)
from objectives.models import (
    Avviso,
    CambioStato,
    Campagna,
    Fase,
    Obiettivo,
    RiaperturaSettore,
    RichiestaVariazione,
    Variazione,
)
from peg.models import Piano, Ruolo, Sblocco
from piao.models import Outcome, TemaObiettivo
from reporting import pdf
from reporting.models import ModelloStampa, SceltaModello, Stampa, VersioneModello
from trasparenza.models import Pubblicazione
from valutazione.models import Allegato, Commento, Componente, Nucleo, Seduta, Validazione

from .factories import (
    PDF,
    AllegatoFactory,
    CampagnaFactory,
    PersonaFactory,
    RichiestaVariazioneFactory,
    SettoreFactory,
    StampaFactory,
)
from .html_form import campi
from .utenti import Ente, utente

pytestmark = pytest.mark.django_db

MEMBRI = ("segreteria", "responsabile_a", "responsabile_b", "oiv", "lettore")
# ``estraneo_suo_comune``: the same user with his own comune's slug in the URL, the ids
# still those of the ente (the object's own comune is checked, not only the URL's).
PROFILI = (*MEMBRI, "estraneo", "estraneo_suo_comune", "anonimo")
METODI = ("GET", "POST")
OGGI = timezone.localdate


# ---------------------------------------------------------------- notation


def esito(membri: int, **eccezioni: int) -> dict[str, int]:
    """``membri`` for every role of the comune, 404 for both ``estraneo`` profiles
    (another comune: its existence is not disclosed), 302 to the login for ``anonimo``;
    ``eccezioni`` by profile name."""
    sconosciuti = set(eccezioni) - set(PROFILI)
    if sconosciuti:
        raise ValueError(f"profili sconosciuti: {sorted(sconosciuti)}")
    return {
        **dict.fromkeys(MEMBRI, membri),
        "estraneo": 404,
        "estraneo_suo_comune": 404,
        "anonimo": 302,
        **eccezioni,
    }


def ovunque(codice: int, **eccezioni: int) -> dict[str, int]:
    """A page outside any comune: ``codice`` for everybody logged in."""
    return esito(codice, estraneo=codice, estraneo_suo_comune=codice, **eccezioni)


# GET on a ``login_required`` + ``require_POST`` view: 405 for anyone logged in.
SOLO_POST = ovunque(405)


@dataclass(frozen=True)
class Caso:
    """One state of a route's objects: the codes per method and profile, the POST body
    (a dict, or a function of the ente and the URL kwargs), who must change data with
    that POST."""

    GET: dict[str, int]
    POST: dict[str, int]
    dati: dict | Callable[[Ente, dict], dict] = field(default_factory=dict)
    cambia: frozenset[str] = frozenset()

    def corpo(self, ente: Ente, kwargs: dict) -> dict:
        return self.dati(ente, kwargs) if callable(self.dati) else self.dati


def uguale(codici: dict[str, int], **altro) -> Caso:
    """The same codes for GET and POST: a page with its own form (GET shows it, POST
    saves it, with the same access rule)."""
    return Caso(GET=codici, POST=codici, **altro)


# POST on a ``login_required`` + ``require_safe`` page (read only): 405 once logged in.
SOLA_LETTURA = ovunque(405)


def lettura(codici: dict[str, int]) -> Caso:
    """A read-only page: ``codici`` for GET; a POST is refused (405) before any access
    check, nothing posted is read."""
    return Caso(GET=codici, POST=SOLA_LETTURA)


def cambia(*profili: str) -> frozenset[str]:
    return frozenset(profili)


# ---------------------------------------------------------------- objects and URLs
# Each returns the URL kwargs of the route for the state; what it builds hangs off the
# ente (scheda of settore A, campagna and stampa of its piano).

SCHEDA = ("con_rilevazioni", "con_fasi")
# A state where the form posted was read before someone else saved the scheda.
SUPERATO = "_modulo_superato"


def _scheda(ente, stato: str) -> Obiettivo:
    return ente.scheda(stato.removesuffix(SUPERATO), *SCHEDA)


def nessun_oggetto(ente, stato):
    return {}


def sul_comune(ente, stato):
    if stato == "con_logo":
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
        ente.comune.logo.save("stemma.png", ContentFile(buffer.getvalue()))
    return {"comune": ente.comune.slug}


BLOCCATO = "bloccato-matrice"


def con_un_utente_bloccato(ente, stato):
    """The comune, with a user of it (no profile: their logins would clear his failures)
    locked after AXES_FAILURE_LIMIT wrong passwords."""
    utente(ente.comune, Ruolo.Tipo.LETTORE, username=BLOCCATO)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": BLOCCATO, "password": "sbagliata"})
    return {"comune": ente.comune.slug}


def nell_organigramma(ente, stato):
    """Settore A, as the organigramma's page edits it."""
    return {"comune": ente.comune.slug, "settore_id": ente.settore_a.pk}


def sulla_persona(ente, stato):
    """A persona of the comune with no user (an invitation has nobody to go to)."""
    persona = PersonaFactory(comune=ente.comune, nome="Persona della matrice")
    return {"comune": ente.comune.slug, "persona_id": persona.pk}


def link_di_invito(ente, stato):
    """An invitation link that is not valid (a valid one is tests/test_anagrafica.py's)."""
    return {"uidb64": "MQ", "token": "non-valido"}


def link_di_recupero(ente, stato):
    """A password reset link that is not valid (a valid one is tests/test_accesso.py's)."""
    return {"uidb64": "MQ", "token": "non-valido"}


def sul_piano(ente, stato):
    """The piano, with: ``solo_bozze`` a draft of settore A (responsabile_b and the
    lettore see no scheda at all), ``con_approvate`` also a scheda in monitoraggio of
    each settore, ``con_proposte`` a proposed scheda in a piano still in bozza (for the
    approval); else none."""
    if stato in ("solo_bozze", "con_approvate"):
        ente.scheda("bozza", *SCHEDA)
    if stato == "con_approvate":
        ente.scheda("in_monitoraggio", *SCHEDA)
        ente.scheda("in_monitoraggio", *SCHEDA, settore=ente.settore_b)
    if stato == "con_proposte":
        # The piano awaits the giunta's delibera: once approved it is not approved again.
        Piano.objects.filter(pk=ente.piano.pk).update(stato=Piano.Stato.BOZZA)
        ente.scheda("proposto", *SCHEDA)
    return {"comune": ente.comune.slug, "piano_id": ente.piano.pk}


def _settore(ente, stato):
    """Settore A, or a settore of another comune (tenancy of the URL's second id)."""
    if stato.endswith("settore_altro_comune"):
        return SettoreFactory(comune=ente.altro_comune, codice="X")
    return ente.settore_a


def sul_settore(ente, stato):
    """Settore A of the piano (``solo_bozze``, ``con_approvate`` as ``sul_piano``)."""
    return {**sul_piano(ente, stato), "settore_id": _settore(ente, stato).pk}


def sulla_scheda(ente, stato):
    return {"comune": ente.comune.slug, "obiettivo_id": _scheda(ente, stato).pk}


def sull_indicatore(ente, stato):
    indicatore = _scheda(ente, stato).indicatori.order_by("numero").first()
    return {"comune": ente.comune.slug, "indicatore_id": indicatore.pk}


def sull_allegato(ente, stato):
    allegato = AllegatoFactory(obiettivo=_scheda(ente, stato), caricato_da=ente.responsabile_a)
    return {"comune": ente.comune.slug, "uuid": allegato.uuid}


def _campagna(ente, stato) -> Campagna:
    """A 2019 round of the piano, with a scheda of settore A to collect values for:
    ``aperta``, ``chiusa``, or ``da_aprire`` (its apertura came, not yet announced:
    the approved scheda goes in monitoraggio when it opens)."""
    if stato == "da_aprire":
        ente.scheda("approvato", "con_indicatori")
        return CampagnaFactory(piano=ente.piano, aperta=True, avviso_apertura_il=None)
    ente.scheda("in_monitoraggio", "con_indicatori")
    tratto = "chiusa" if stato == "chiusa" else "aperta"
    return CampagnaFactory(piano=ente.piano, **{tratto: True})


def sulla_campagna(ente, stato):
    return {"comune": ente.comune.slug, "campagna_id": _campagna(ente, stato).pk}


def sul_settore_della_campagna(ente, stato):
    campagna = _campagna(ente, "chiusa" if stato.startswith("chiusa") else "aperta")
    settore = _settore(ente, stato)
    return {"comune": ente.comune.slug, "campagna_id": campagna.pk, "settore_id": settore.pk}


def sulla_richiesta(ente, stato):
    """A request of responsabile_a on an approved scheda of settore A: ``in_attesa``,
    ``respinta``, or ``in_attesa`` on a scheda now ``rendicontato``."""
    scheda = ente.scheda("approvato", *SCHEDA)
    tratti = {"respinta": True} if stato == "respinta" else {}
    richiesta = RichiestaVariazioneFactory(
        obiettivo=scheda, richiesta_da=ente.responsabile_a, **tratti
    )
    if stato == "scheda_rendicontata":
        Obiettivo.objects.filter(pk=scheda.pk).update(stato=Obiettivo.Stato.RENDICONTATO)
    return {"comune": ente.comune.slug, "richiesta_id": richiesta.pk}


def sulla_stampa(ente, stato):
    stampa = StampaFactory(piano=ente.piano, richiesta_da=ente.segreteria, **{stato: True})
    return {"comune": ente.comune.slug, "stampa_id": stampa.pk}


def sul_predefinito(ente, stato):
    """A built-in print model (``sconosciuto``: a key no model has)."""
    chiave = "inesistente" if stato == "sconosciuto" else "chiavari"
    return {"comune": ente.comune.slug, "chiave": chiave}


def _copia_del_modello(ente):
    from reporting.modelli import copie

    return copie.copia(ente.comune, "Copia della matrice", da_predefinito="chiavari")


def sul_modello(ente, stato):
    """A copy of Chiavari's print model made by the comune (version 1)."""
    return {"comune": ente.comune.slug, "modello_id": _copia_del_modello(ente).pk}


def modello_rinominato(ente, kwargs):
    """The copy's editing form as the segreteria reads it, a section renamed."""
    client = Client()
    client.force_login(ente.segreteria)
    dati = campi(
        client.get(reverse("modifica_modello", kwargs=kwargs)).content.decode(), "modello-form"
    )
    dati["sez-3-etichetta"] = "Intestazione rinominata"
    dati["azione"] = "salva"
    return dati


def sul_piano_con_copia(ente, stato):
    """The approved piano prints with the copy, version 1 fixed; ``versione_nuova``:
    the copy has since been saved again (version 2)."""
    from reporting.modelli import copie, scelta

    modello = _copia_del_modello(ente)
    scelta.scegli(ente.piano, scelta.PIANO, modello=modello)
    if stato == "versione_nuova":
        dati = modello.versioni.first().dati
        dati["sezioni"][3]["etichetta"] = "Versione 2"
        copie.salva(modello, dati)
    return {"comune": ente.comune.slug, "piano_id": ente.piano.pk}


def _riapertura(ente, kwargs):
    prefisso = f"settore-{kwargs['settore_id']}"
    fino_al = OGGI() + datetime.timedelta(days=7)
    return {f"{prefisso}-fino_al": fino_al.isoformat(), f"{prefisso}-motivazione": "Ritardo"}


def modulo_superato(rotta: str, form_id: str | None = None):
    """The POST body: the form of the page as the segreteria reads it (``form_id`` None:
    the forms without an id, here the state buttons'), then
    someone saves the scheda (its versione moves on): a save with it is refused, 409."""

    def corpo(ente, kwargs):
        client = Client()
        client.force_login(ente.segreteria)
        dati = campi(client.get(reverse(rotta, kwargs=kwargs)).content.decode(), form_id)
        Obiettivo.objects.filter(pk=kwargs["obiettivo_id"]).update(versione=F("versione") + 1)
        return dati

    return corpo


def sull_outcome(ente, stato):
    """An outcome of valore pubblico of the piano (piao)."""
    outcome = Outcome.objects.create(piano=ente.piano, titolo="Outcome della matrice")
    return {"comune": ente.comune.slug, "outcome_id": outcome.pk}


def sul_documento_piao(ente, stato):
    """The PIAO document of the piano in a format (the PDF would be ``pdf_finto``'s)."""
    return {**sul_piano(ente, "con_approvate"), "formato": stato}


def temi_di_una_scheda(ente, kwargs):
    """The PIAO page's form: a tag ticked on a 2019 scheda of the piano."""
    scheda = Obiettivo.objects.filter(piano=ente.piano, anno=2019).order_by("pk").first()
    return {"anno": "2019", f"tema-{scheda.pk}": "digitalizzazione"}


OUTCOME_MINIMO = {
    "titolo": "Nuovo outcome",
    "ordine": "0",
    "indicatori-TOTAL_FORMS": "0",
    "indicatori-INITIAL_FORMS": "0",
}


@dataclass(frozen=True)
class Riga:
    oggetto: Callable  # (ente, stato) -> URL kwargs
    casi: dict[str, Caso]


def pubblicato(ente, stato):
    """Amministrazione trasparente: ``nulla`` an approved scheda and nothing published;
    else the piano 2019 published (its only scheda validated), ``con_relazione`` also the
    relazione, ``con_logo`` with the comune's stemma."""
    from trasparenza.pubblicazioni import pubblica

    if stato == "nulla":
        ente.scheda("approvato")
        return {"comune": ente.comune.slug}
    ente.scheda("validato")
    pubblica(ente.piano, 2019, "piano", utente=ente.segreteria)
    if stato == "con_relazione":
        pubblica(ente.piano, 2019, "relazione", utente=ente.segreteria)
    return sul_comune(ente, stato)


def pubblicato_anno(ente, stato):
    return {**pubblicato(ente, stato), "anno": 2019}


def pubblicato_con_pdf(ente, stato):
    """As ``pubblicato_anno``, with the piano's public PDF already laid out (the fake PDF
    of ``pdf_finto`` cannot be numbered as a whole piano's parts are)."""
    from trasparenza import documenti

    kwargs = pubblicato_anno(ente, stato)
    for p in Pubblicazione.objects.filter(tipo="piano"):
        documenti._in_cache(p, lambda destinazione: destinazione.write_bytes(PDF))
    return kwargs


def da_pubblicare(ente, stato):
    """The segreteria's «Pubblica»: the piano (an approved scheda), or the relazione
    while a scheda is not validated (refused with the reason)."""
    ente.scheda("approvato")
    tipo = "relazione" if stato == "relazione_non_pubblicabile" else "piano"
    return {"comune": ente.comune.slug, "piano_id": ente.piano.pk, "anno": 2019, "tipo": tipo}


def sulla_pubblicazione(ente, stato):
    from trasparenza.pubblicazioni import pubblica, ritira

    ente.scheda("approvato")
    p = pubblica(ente.piano, 2019, "piano", utente=ente.segreteria)
    if stato == "ritirata":
        ritira(p, utente=ente.segreteria, motivo="Errore materiale")
    return {"comune": ente.comune.slug, "pubblicazione_id": p.pk}


# Public pages (no login): everybody reads, nobody posts (require_safe, 405).
PUBBLICA = Caso(GET=ovunque(200, anonimo=200), POST=ovunque(405, anonimo=405))
# ... of a comune: ``estraneo_suo_comune`` asks for his own comune, which has no
# publications (404, as a comune that does not exist).
PUBBLICA_DEL_COMUNE = Caso(
    GET={**ovunque(200, anonimo=200), "estraneo_suo_comune": 404},
    POST=ovunque(405, anonimo=405),
)
NON_PUBBLICATA = Caso(GET=ovunque(404, anonimo=404), POST=ovunque(405, anonimo=405))


def col_nucleo(ente, stato):
    """The comune with its Nucleo (three members, a presidente) or, ``senza_nucleo``,
    none; ``aperta`` / ``chiusa``: with a seduta in that state."""
    from .factories import NucleoFactory, SedutaFactory

    if stato == "senza_nucleo":
        return {"comune": ente.comune.slug}
    nucleo = NucleoFactory(comuni=[ente.comune], collegiale=True)
    if stato in ("aperta", "chiusa"):
        seduta = SedutaFactory(comune=ente.comune, nucleo=nucleo, chiusa=stato == "chiusa")
        return {"comune": ente.comune.slug, "seduta_id": seduta.pk}
    return {"comune": ente.comune.slug}


def sul_componente(ente, stato):
    kwargs = col_nucleo(ente, "con_nucleo")
    from valutazione.models import Componente

    presidente = Componente.objects.get(nucleo__comuni=ente.comune, presidente=True)
    return {**kwargs, "componente_id": presidente.pk}


def coda_con_seduta(ente, stato):
    """A rendicontata scheda in the queue and an open seduta of the Nucleo."""
    ente.scheda("rendicontato", *SCHEDA)
    col_nucleo(ente, "aperta")
    return {"comune": ente.comune.slug}


def _blocco(ente, kwargs):
    from valutazione.models import Seduta

    scheda = Obiettivo.objects.get(piano=ente.piano, stato="rendicontato")
    seduta = Seduta.objects.get(comune=ente.comune)
    return {
        "scelte": [scheda.pk],
        f"versione-{scheda.pk}": scheda.versione,
        "seduta": seduta.pk,
        "conferma": "1",
    }


def documento_dell_anno(ente, stato):
    """The piano's 2019: ``validato`` every scheda validated, ``da_validare`` one not."""
    ente.scheda("validato" if stato == "validato" else "rendicontato", *SCHEDA)
    return {"comune": ente.comune.slug, "piano_id": ente.piano.pk, "anno": 2019}


def validazione_pubblicata(ente, stato):
    """As ``pubblicato_anno`` (the piano published); ``con_validazione`` also the OIV's
    documento di validazione della Relazione."""
    from trasparenza.pubblicazioni import pubblica

    kwargs = pubblicato_anno(ente, "piano")
    if stato == "con_validazione":
        pubblica(ente.piano, 2019, "validazione", utente=ente.segreteria)
    return kwargs


def sui_premi(ente, stato):
    """The premi 2019 of the ente: a fondo unico of € 1.000,00, two schede DEFINITIVA
    (``non_definitive``: consegnate, the real run is refused); ``con_distribuzione``:
    already distributed once."""
    from individuale import premi

    from .factories import CategoriaFactory, SchedaIndividualeFactory, SmvpFactory

    smvp = SmvpFactory(comune=ente.comune, con_fasce=True, fondi="unico", fondo_unico=1000)
    categoria = CategoriaFactory(smvp=smvp, dipendenti=True)
    tratto = "consegnata" if stato == "non_definitive" else "definitiva"
    for punteggio in (95, 80):
        SchedaIndividualeFactory(
            smvp=smvp, categoria=categoria, punteggio_finale=punteggio, **{tratto: True}
        )
    if stato == "con_distribuzione":
        premi.distribuisci(smvp, utente=ente.segreteria)
    return {"comune": ente.comune.slug, "anno": 2019}


def sullo_smvp(ente, stato):
    """The SMVP 2019 of the ente: one category (not used by any scheda) with one
    comportamento, the four fasce."""
    from .factories import CategoriaFactory, ComportamentoFactory, SmvpFactory

    smvp = SmvpFactory(comune=ente.comune, con_fasce=True)
    categoria = CategoriaFactory(smvp=smvp, nome="Categoria della matrice")
    ComportamentoFactory(categoria=categoria)
    return {"comune": ente.comune.slug, "anno": 2019}


def sulla_categoria_smvp(ente, stato):
    kwargs = sullo_smvp(ente, stato)
    from individuale.models import Categoria

    return {**kwargs, "categoria_id": Categoria.objects.get(nome="Categoria della matrice").pk}


CATEGORIA_MINIMA = {
    "nome": "Nuova categoria",
    "tipo": "eq",
    "valutatore": "nucleo_sindaco",
    "peso_ente": "60",
    "peso_settore": "0",
    "peso_obiettivi": "0",
    "peso_comportamenti": "40",
    "peso_differenziazione": "0",
    "scala_minima": "1",
    "scala_massima": "5",
    "ordine": "0",
    "comportamenti-TOTAL_FORMS": "0",
    "comportamenti-INITIAL_FORMS": "0",
}


def sulla_scheda_individuale(ente, stato):
    """The scheda individuale 2019 of a persona (no login) of settore A, evaluated by
    responsabile_a on one comportamento: ``bozza`` (voted, ready to be delivered) or
    ``consegnata`` (acknowledged 30 days ago: the term of the conciliazione expired);
    with ``azione`` in the URL, the move of that state (consegna, rendi_definitiva)."""
    from .factories import (
        CategoriaFactory,
        ComportamentoFactory,
        SchedaIndividualeFactory,
        SmvpFactory,
        VotoComportamentoFactory,
    )

    smvp = SmvpFactory(comune=ente.comune, anno=2019)
    categoria = CategoriaFactory(
        smvp=smvp, dipendenti=True, peso_settore=0, peso_obiettivi=0, peso_comportamenti=100
    )
    comportamento = ComportamentoFactory(categoria=categoria)
    tratti = {}
    if stato.startswith("consegnata"):
        vista = timezone.now() - datetime.timedelta(days=30)
        tratti = {"consegnata": True, "presa_visione_il": vista, "presa_visione_modo": "accesso"}
    scheda = SchedaIndividualeFactory(
        smvp=smvp,
        categoria=categoria,
        persona=PersonaFactory(comune=ente.comune, nome="Valutata della matrice"),
        settore=ente.settore_a,
        valutatore=ente.responsabile_a,
        **tratti,
    )
    VotoComportamentoFactory(scheda=scheda, comportamento=comportamento)
    return {"comune": ente.comune.slug, "scheda_id": scheda.pk}


def sull_azione_individuale(ente, stato):
    nome = "consegna" if stato == "bozza" else "rendi_definitiva"
    return {**sulla_scheda_individuale(ente, stato), "nome": nome}


def sulle_schede_individuali(ente, stato):
    kwargs = sulla_scheda_individuale(ente, stato)
    return {"comune": kwargs["comune"], "anno": 2019}


def voti_individuali(ente, kwargs):
    """The evaluator's votes changed (5 instead of 4)."""
    scheda = SchedaIndividuale.objects.get(pk=kwargs["scheda_id"])
    voto = scheda.voti.get()
    k = voto.comportamento_id
    return {
        "voti-versione": scheda.versione,
        f"voti-voto_{k}": "5",
        f"voti-commento_{k}": "Ottimo lavoro di squadra.",
        "voti-giudizio": "Anno positivo.",
    }


def servizio_individuale(ente, kwargs):
    """The dati di servizio changed (part-time 50,00%, 180 days)."""
    scheda = SchedaIndividuale.objects.get(pk=kwargs["scheda_id"])
    return {
        "servizio-versione": scheda.versione,
        "servizio-percentuale_servizio": "50,00",
        "servizio-giorni_servizio": "180",
    }


def servizio_dell_anno(ente, kwargs):
    """The year's page of the dati di servizio: the matrix's scheda changed."""
    scheda = SchedaIndividuale.objects.get(persona__nome="Valutata della matrice")
    return {
        f"s{scheda.pk}-versione": scheda.versione,
        f"s{scheda.pk}-percentuale_servizio": "50,00",
        f"s{scheda.pk}-giorni_servizio": "180",
    }


def consegna_individuale(ente, kwargs):
    scheda = SchedaIndividuale.objects.get(pk=kwargs["scheda_id"])
    return {"consegna-versione": scheda.versione, "consegna-colloquio_data": "2020-03-02"}


# ---------------------------------------------------------------- the table

SCADENZA_NUOVA = (OGGI() + datetime.timedelta(days=20)).isoformat()

TABELLA: dict[str, Riga] = {
    # -- the favicon browsers ask for by themselves: everybody, GET only ------------
    "favicon": Riga(
        nessun_oggetto,
        {"pagina": Caso(GET=ovunque(200, anonimo=200), POST=ovunque(405, anonimo=405))},
    ),
    # -- the load balancer's health check (peg.salute): everybody, GET only -----------
    "salute": Riga(
        nessun_oggetto,
        {"pagina": Caso(GET=ovunque(200, anonimo=200), POST=ovunque(405, anonimo=405))},
    ),
    # -- peg: access, password, the comune ------------------------------------------
    "login": Riga(nessun_oggetto, {"pagina": uguale(ovunque(200, anonimo=200))}),
    # Django's LogoutView: POST only, also for a visitor not logged in.
    "logout": Riga(
        nessun_oggetto,
        {
            "pagina": Caso(
                GET=ovunque(405, anonimo=405),
                POST=ovunque(302, anonimo=302),
            )
        },
    ),
    "password_change": Riga(nessun_oggetto, {"pagina": uguale(ovunque(200))}),
    "password_change_done": Riga(
        nessun_oggetto,
        {"pagina": Caso(GET=ovunque(200), POST=ovunque(405))},
    ),
    # «Password dimenticata?»: Django's views, open to everybody.
    "password_reset": Riga(nessun_oggetto, {"pagina": uguale(ovunque(200, anonimo=200))}),
    "password_reset_done": Riga(
        nessun_oggetto,
        {"pagina": Caso(GET=ovunque(200, anonimo=200), POST=ovunque(405, anonimo=405))},
    ),
    "password_reset_confirm": Riga(
        link_di_recupero, {"non_valido": uguale(ovunque(200, anonimo=200))}
    ),
    "password_reset_complete": Riga(
        nessun_oggetto,
        {"pagina": Caso(GET=ovunque(200, anonimo=200), POST=ovunque(405, anonimo=405))},
    ),
    # Locked logins: the segreteria of the comune sees and unlocks its users only.
    "accessi_bloccati": Riga(
        con_un_utente_bloccato,
        {"bloccato": uguale(esito(403, segreteria=200, estraneo_suo_comune=200))},
    ),
    "sblocca_accesso": Riga(
        con_un_utente_bloccato,
        {
            "bloccato": Caso(
                GET=SOLO_POST,
                # estraneo_suo_comune: his own comune's page, a user of another comune.
                POST=esito(403, segreteria=302),
                dati={"username": BLOCCATO},
                cambia=cambia("segreteria"),
            )
        },
    ),
    "comune": Riga(sul_comune, {"pagina": lettura(esito(200, estraneo_suo_comune=200))}),
    # -- peg.anagrafica: a new comune (superusers only), the organigramma (segreteria) --
    "nuovo_comune": Riga(nessun_oggetto, {"pagina": uguale(ovunque(403))}),
    "invito": Riga(link_di_invito, {"non_valido": uguale(ovunque(200, anonimo=200))}),
    # An empty POST is an invalid form (no nome): shown again, nothing saved.
    "dati_comune": Riga(
        sul_comune, {"pagina": uguale(esito(403, segreteria=200, estraneo_suo_comune=200))}
    ),
    "organizzazione": Riga(
        sul_comune, {"pagina": lettura(esito(403, segreteria=200, estraneo_suo_comune=200))}
    ),
    # An empty POST is an invalid form: shown again, nothing saved.
    "nuovo_settore": Riga(
        sul_comune, {"pagina": uguale(esito(403, segreteria=200, estraneo_suo_comune=200))}
    ),
    "modifica_settore": Riga(nell_organigramma, {"pagina": uguale(esito(403, segreteria=200))}),
    "nuova_persona": Riga(
        sul_comune, {"pagina": uguale(esito(403, segreteria=200, estraneo_suo_comune=200))}
    ),
    "modifica_persona": Riga(sulla_persona, {"pagina": uguale(esito(403, segreteria=200))}),
    "invita_persona": Riga(
        sulla_persona, {"senza_utente": Caso(GET=SOLO_POST, POST=esito(403, segreteria=302))}
    ),
    # An empty POST (no file): the form again with its error, 400.
    "importa_organigramma": Riga(
        sul_comune,
        {
            "pagina": Caso(
                GET=esito(403, segreteria=200, estraneo_suo_comune=200),
                POST=esito(403, segreteria=400, estraneo_suo_comune=400),
            )
        },
    ),
    "modello_organigramma": Riga(
        sul_comune, {"pagina": lettura(esito(403, segreteria=200, estraneo_suo_comune=200))}
    ),
    "comune_logo": Riga(
        sul_comune,
        {"con_logo": lettura(esito(200)), "senza_logo": lettura(esito(404))},
    ),
    # -- objectives: home, piano, scheda, state, planning, rendicontazione -----------
    "home": Riga(nessun_oggetto, {"pagina": lettura(ovunque(200))}),
    "piano": Riga(
        sul_piano, {"solo_bozze": lettura(esito(200)), "con_approvate": lettura(esito(200))}
    ),
    # A settore's schede, as the piano shows them (section loaded by htmx, or its page).
    "piano_settore": Riga(
        sul_settore,
        {
            "solo_bozze": lettura(esito(200)),
            "con_approvate": lettura(esito(200)),
            "settore_altro_comune": lettura(esito(404)),
        },
    ),
    # Drafts (bozza, proposto) only for segreteria, OIV and the settore's responsabile.
    "obiettivo": Riga(
        sulla_scheda,
        {
            "proposto": lettura(esito(200, responsabile_b=404, lettore=404)),
            "approvato": lettura(esito(200)),
        },
    ),
    # TRANSIZIONI, each state with a move someone may make there.
    "cambia_stato": Riga(
        sulla_scheda,
        {
            "bozza": Caso(
                GET=SOLO_POST,
                POST=esito(
                    403, segreteria=302, responsabile_a=302, responsabile_b=404, lettore=404
                ),
                dati={"azione": "proponi"},
                cambia=cambia("segreteria", "responsabile_a"),
            ),
            "in_monitoraggio": Caso(
                GET=SOLO_POST,
                POST=esito(403, responsabile_a=302),
                dati={"azione": "rendiconta"},
                cambia=cambia("responsabile_a"),
            ),
            # «valida» is done on the review page: the OIV is sent there.
            "rendicontato": Caso(
                GET=SOLO_POST, POST=esito(403, oiv=302), dati={"azione": "valida"}
            ),
        },
    ),
    # MODIFICHE: the rendicontazione by the settore's responsabile and the segreteria,
    # only in monitoraggio; drafts stay invisible (404) to who does not see them.
    "rendicontazione": Riga(
        sulla_scheda,
        {
            "bozza": uguale(esito(403, responsabile_b=404, lettore=404)),
            "in_monitoraggio": uguale(esito(403, segreteria=200, responsabile_a=200)),
            "in_monitoraggio_modulo_superato": Caso(
                GET=esito(403, segreteria=200, responsabile_a=200),
                POST=esito(403, segreteria=409, responsabile_a=409),
                dati=modulo_superato("rendicontazione", "rendicontazione-form"),
            ),
            "rendicontato": uguale(esito(403)),
        },
    ),
    "anteprima_rendicontazione": Riga(
        sulla_scheda,
        {
            "in_monitoraggio": Caso(
                GET=SOLO_POST, POST=esito(403, segreteria=200, responsabile_a=200)
            ),
            "rendicontato": Caso(GET=SOLO_POST, POST=esito(403)),
        },
    ),
    "approva_piano": Riga(
        sul_piano,
        {
            "con_proposte": Caso(
                GET=SOLO_POST,
                POST=esito(403, segreteria=302),
                dati={"delibera_numero": "12", "delibera_data": "2019-04-01"},
                cambia=cambia("segreteria"),
            )
        },
    ),
    # «Prepara il piano dell'anno successivo»: the segreteria's (objectives.anno_views);
    # the POST with the 2019 draft checked creates its 2020 copy.
    "prepara_anno": Riga(
        sul_piano,
        {
            "solo_bozze": Caso(
                GET=esito(403, segreteria=200),
                POST=esito(403, segreteria=200),
                dati=lambda ente, kwargs: {
                    "da": "2019",
                    "scheda": [str(o.pk) for o in ente.piano.obiettivi.filter(anno=2019)],
                },
                cambia=cambia("segreteria"),
            )
        },
    ),
    # settori_modificabili: the segreteria anywhere, a responsabile in his settori.
    "nuovo_obiettivo": Riga(sul_piano, {"pagina": uguale(esito(200, oiv=403, lettore=403))}),
    "anteprima_nuovo": Riga(
        sul_piano, {"pagina": Caso(GET=SOLO_POST, POST=esito(200, oiv=403, lettore=403))}
    ),
    # MODIFICHE: pianificazione in bozza (responsabile, segreteria), in proposto
    # (segreteria); variazione from approvato to in monitoraggio (segreteria); then none.
    "modifica_obiettivo": Riga(
        sulla_scheda,
        {
            "bozza": uguale(
                esito(403, segreteria=200, responsabile_a=200, responsabile_b=404, lettore=404)
            ),
            "bozza_modulo_superato": Caso(
                GET=esito(403, segreteria=200, responsabile_a=200, responsabile_b=404, lettore=404),
                POST=esito(
                    403, segreteria=409, responsabile_a=409, responsabile_b=404, lettore=404
                ),
                dati=modulo_superato("modifica_obiettivo", "scheda-form"),
            ),
            "proposto": uguale(esito(403, segreteria=200, responsabile_b=404, lettore=404)),
            "in_monitoraggio": uguale(esito(403, segreteria=200)),
            "rendicontato": uguale(esito(403)),
        },
    ),
    "anteprima_modifica": Riga(
        sulla_scheda,
        {
            "bozza": Caso(
                GET=SOLO_POST,
                POST=esito(
                    403, segreteria=200, responsabile_a=200, responsabile_b=404, lettore=404
                ),
            ),
            "proposto": Caso(
                GET=SOLO_POST,
                POST=esito(403, segreteria=200, responsabile_b=404, lettore=404),
            ),
            "in_monitoraggio": Caso(GET=SOLO_POST, POST=esito(403, segreteria=200)),
            "rendicontato": Caso(GET=SOLO_POST, POST=esito(403)),
        },
    ),
    # Campagne: every role sees the list; the detail and every change are the
    # segreteria's (403 for the other roles of the comune).
    "campagne": Riga(sul_piano, {"pagina": Caso(GET=esito(200), POST=esito(403, segreteria=200))}),
    "campagna": Riga(sulla_campagna, {"aperta": lettura(esito(403, segreteria=200))}),
    "apri_campagna": Riga(
        sulla_campagna,
        {
            "da_aprire": Caso(
                GET=SOLO_POST, POST=esito(403, segreteria=302), cambia=cambia("segreteria")
            )
        },
    ),
    "chiudi_campagna": Riga(
        sulla_campagna,
        {
            "aperta": Caso(
                GET=SOLO_POST, POST=esito(403, segreteria=302), cambia=cambia("segreteria")
            )
        },
    ),
    "riapri_campagna": Riga(
        sulla_campagna,
        {
            "chiusa": Caso(
                GET=SOLO_POST,
                POST=esito(403, segreteria=302),
                dati={"scadenza": SCADENZA_NUOVA},
                cambia=cambia("segreteria"),
            )
        },
    ),
    "sollecito_campagna": Riga(
        sulla_campagna,
        {
            "aperta": Caso(
                GET=SOLO_POST, POST=esito(403, segreteria=302), cambia=cambia("segreteria")
            )
        },
    ),
    # The settore of the URL must be of the campagna's comune (404), once the user
    # may act on the campagna (403 first for the other roles).
    "sollecito_settore": Riga(
        sul_settore_della_campagna,
        {
            "aperta": Caso(
                GET=SOLO_POST, POST=esito(403, segreteria=302), cambia=cambia("segreteria")
            ),
            "aperta_settore_altro_comune": Caso(GET=SOLO_POST, POST=esito(403, segreteria=404)),
        },
    ),
    "riapri_settore": Riga(
        sul_settore_della_campagna,
        {
            "chiusa": Caso(
                GET=SOLO_POST,
                POST=esito(403, segreteria=302),
                dati=_riapertura,
                cambia=cambia("segreteria"),
            ),
            "chiusa_settore_altro_comune": Caso(
                GET=SOLO_POST, POST=esito(403, segreteria=404), dati=_riapertura
            ),
        },
    ),
    # -- valutazione: the OIV's queue and review, the thread, the allegati ------------
    "coda_valutazione": Riga(
        sul_comune,
        {"pagina": lettura(esito(403, segreteria=200, oiv=200, estraneo_suo_comune=200))},
    ),
    # The review: OIV, segreteria and the settore's responsabili (others 403), of a
    # scheda the user sees (404 first).
    "revisione": Riga(
        sulla_scheda,
        {
            "bozza": lettura(esito(200, responsabile_b=404, lettore=404)),
            "rendicontato": lettura(esito(403, segreteria=200, responsabile_a=200, oiv=200)),
        },
    ),
    "valida": Riga(
        sulla_scheda,
        {
            # An empty form validates at the computed score.
            "rendicontato": Caso(GET=SOLO_POST, POST=esito(403, oiv=302), cambia=cambia("oiv")),
            # Not rendicontato (a second tab): the OIV is told why on the review page.
            "in_monitoraggio": Caso(GET=SOLO_POST, POST=esito(403, oiv=302)),
        },
    ),
    "integrazione": Riga(
        sulla_scheda,
        {
            "rendicontato": Caso(
                GET=SOLO_POST,
                POST=esito(403, oiv=302),
                dati={"messaggio": "Manca il verbale."},
                cambia=cambia("oiv"),
            ),
            # TRANSIZIONI: richiedi_integrazione only from rendicontato (403 with why).
            "in_monitoraggio": Caso(
                GET=SOLO_POST, POST=esito(403), dati={"messaggio": "Manca il verbale."}
            ),
        },
    ),
    # Bulk validation from the queue: the OIV only (the segreteria sees the queue: 403).
    "valida_selezionate": Riga(
        coda_con_seduta,
        {
            "rendicontato": Caso(
                GET=SOLO_POST,
                POST=esito(403, oiv=302, estraneo_suo_comune=403),
                dati=_blocco,
                cambia=cambia("oiv"),
            )
        },
    ),
    # -- the Nucleo (valutazione.access): OIV and segreteria; its composition, the
    # segreteria; another comune 404. Without a Nucleo a seduta is refused (403, why).
    "nucleo": Riga(
        col_nucleo,
        {
            "senza_nucleo": Caso(
                GET=esito(403, segreteria=200, oiv=200, estraneo_suo_comune=200),
                POST=esito(403, segreteria=302, estraneo_suo_comune=302),
                dati={"nome": "Nucleo di valutazione"},
                cambia=cambia("segreteria"),
            ),
        },
    ),
    "nucleo_componente_nuovo": Riga(
        col_nucleo,
        {
            "con_nucleo": Caso(
                GET=esito(403, segreteria=200, estraneo_suo_comune=403),
                POST=esito(403, segreteria=302, estraneo_suo_comune=403),
                dati={"nome": "Nuovo componente", "esterno": "on"},
                cambia=cambia("segreteria"),
            ),
        },
    ),
    "nucleo_componente": Riga(
        sul_componente,
        {
            "presidente": Caso(
                GET=esito(403, segreteria=200),
                POST=esito(403, segreteria=302),
                dati={
                    "nome": "Ada Esempio",
                    "esterno": "on",
                    "presidente": "on",
                    "qualifica": "Presidente",
                },
                cambia=cambia("segreteria"),
            ),
        },
    ),
    "seduta_nuova": Riga(
        col_nucleo,
        {
            "con_nucleo": Caso(
                GET=esito(403, segreteria=200, oiv=200, estraneo_suo_comune=403),
                POST=esito(403, segreteria=302, oiv=302, estraneo_suo_comune=403),
                dati={"data": "2020-03-12"},
                cambia=cambia("segreteria", "oiv"),
            ),
        },
    ),
    "seduta": Riga(
        col_nucleo,
        {
            "aperta": Caso(
                GET=esito(403, segreteria=200, oiv=200),
                POST=esito(403, segreteria=302, oiv=302),
                dati={"data": "2020-03-12", "verbale": "Il nucleo valida i risultati 2019."},
                cambia=cambia("segreteria", "oiv"),
            ),
            # A closed verbale is final: 403 with why.
            "chiusa": Caso(
                GET=esito(403, segreteria=200, oiv=200),
                POST=esito(403),
                dati={"data": "2020-03-12", "verbale": "Altro"},
            ),
        },
    ),
    "chiudi_seduta": Riga(
        col_nucleo,
        {
            "aperta": Caso(
                GET=SOLO_POST,
                POST=esito(403, segreteria=302, oiv=302),
                cambia=cambia("segreteria", "oiv"),
            ),
            "chiusa": Caso(GET=SOLO_POST, POST=esito(403)),
        },
    ),
    # Those who see the review talk until the scheda is validated.
    "commenta": Riga(
        sulla_scheda,
        {
            "rendicontato": Caso(
                GET=SOLO_POST,
                POST=esito(403, segreteria=302, responsabile_a=302, oiv=302),
                dati={"testo": "Serve il verbale."},
                cambia=cambia("segreteria", "responsabile_a", "oiv"),
            ),
            "validato": Caso(GET=SOLO_POST, POST=esito(403), dati={"testo": "Serve il verbale."}),
        },
    ),
    # Seeing follows the scheda (404 outside); adding and removing follow the
    # rendicontazione rule (403 with why).
    "allegati": Riga(
        sulla_scheda,
        {
            "bozza": Caso(
                GET=esito(200, responsabile_b=404, lettore=404),
                POST=esito(403, responsabile_b=404, lettore=404),
            ),
            "in_monitoraggio": Caso(
                GET=esito(200), POST=esito(403, segreteria=200, responsabile_a=200)
            ),
            "rendicontato": Caso(GET=esito(200), POST=esito(403)),
        },
    ),
    "allegato": Riga(
        sull_allegato,
        {
            "bozza": lettura(esito(200, responsabile_b=404, lettore=404)),
            "in_monitoraggio": lettura(esito(200)),
        },
    ),
    "elimina_allegato": Riga(
        sull_allegato,
        {
            "bozza": Caso(GET=SOLO_POST, POST=esito(403, responsabile_b=404, lettore=404)),
            "in_monitoraggio": Caso(
                GET=SOLO_POST,
                POST=esito(403, segreteria=302, responsabile_a=302),
                cambia=cambia("segreteria", "responsabile_a"),
            ),
            "rendicontato": Caso(GET=SOLO_POST, POST=esito(403)),
        },
    ),
    # -- reporting: dashboards, relazione, stampe, Excel, PDF --------------------------
    # Every role of the comune; each sees the scores of the schede he sees.
    "cruscotto": Riga(
        sul_piano, {"solo_bozze": lettura(esito(200)), "con_approvate": lettura(esito(200))}
    ),
    "cruscotto_settore": Riga(
        sul_settore,
        {
            "solo_bozze": lettura(esito(200)),
            "con_approvate": lettura(esito(200)),
            "settore_altro_comune": lettura(esito(404)),
        },
    ),
    "relazione": Riga(
        sul_piano, {"solo_bozze": lettura(esito(200)), "con_approvate": lettura(esito(200))}
    ),
    # A settore of the relazione, as its page shows it (section loaded by htmx, or a page).
    "relazione_settore": Riga(
        sul_settore,
        {
            "solo_bozze": lettura(esito(200)),
            "con_approvate": lettura(esito(200)),
            "settore_altro_comune": lettura(esito(404)),
        },
    ),
    "andamento_indicatore": Riga(
        sull_indicatore,
        {
            "bozza": lettura(esito(200, responsabile_b=404, lettore=404)),
            "in_monitoraggio": lettura(esito(200)),
        },
    ),
    # The whole-piano book holds every settore's drafts: segreteria and OIV only.
    "richiedi_stampa": Riga(
        sul_piano,
        {
            "pagina": Caso(
                GET=SOLO_POST,
                POST=esito(403, segreteria=302, oiv=302),
                dati={"anno": "2019"},
                cambia=cambia("segreteria", "oiv"),
            )
        },
    ),
    "stampa": Riga(sulla_stampa, {"in_coda": lettura(esito(403, segreteria=200, oiv=200))}),
    "scarica_stampa": Riga(
        sulla_stampa,
        {
            "pronta": lettura(esito(403, segreteria=200, oiv=200)),
            # Not ready: 404 «Il PDF non è pronto», once the user may print at all.
            "in_coda": lettura(esito(403, segreteria=404, oiv=404)),
        },
    ),
    "excel_esporta": Riga(
        sul_piano, {"solo_bozze": lettura(esito(200)), "con_approvate": lettura(esito(200))}
    ),
    "excel_modello": Riga(sul_piano, {"pagina": lettura(esito(200))}),
    # Import: the segreteria's; a POST without the file answers 400 with the page.
    "excel_importa": Riga(
        sul_piano,
        {"pagina": Caso(GET=esito(403, segreteria=200), POST=esito(403, segreteria=400))},
    ),
    # Print models: the segreteria of the comune (estraneo_suo_comune: his own comune's).
    "modelli_stampa": Riga(
        sul_comune, {"pagina": lettura(esito(403, segreteria=200, estraneo_suo_comune=200))}
    ),
    "copia_modello": Riga(
        sul_comune,
        {
            "pagina": Caso(
                GET=SOLO_POST,
                POST=esito(403, segreteria=302, estraneo_suo_comune=302),
                dati={"da": "predefinito:chiavari", "nome": "Copia di prova"},
                cambia=cambia("segreteria"),
            )
        },
    ),
    "modello_predefinito": Riga(
        sul_predefinito,
        {
            "chiavari": lettura(esito(403, segreteria=200, estraneo_suo_comune=200)),
            "sconosciuto": lettura(esito(403, segreteria=404, estraneo_suo_comune=404)),
        },
    ),
    # An empty POST is refused with the page (400); the form as read, changed, saves.
    "modifica_modello": Riga(
        sul_modello,
        {
            "vuoto": Caso(GET=esito(403, segreteria=200), POST=esito(403, segreteria=400)),
            "rinominato": Caso(
                GET=esito(403, segreteria=200),
                POST=esito(403, segreteria=302),
                dati=modello_rinominato,
                cambia=cambia("segreteria"),
            ),
        },
    ),
    "anteprima_modello": Riga(
        sul_modello, {"vuoto": Caso(GET=SOLO_POST, POST=esito(403, segreteria=400))}
    ),
    "modelli_piano": Riga(
        sul_piano,
        {
            "pagina": Caso(
                GET=esito(403, segreteria=200),
                POST=esito(403, segreteria=302),
                dati={"uso": "piano", "modello": "predefinito:soresina"},
                cambia=cambia("segreteria"),
            )
        },
    ),
    "aggiorna_modello_piano": Riga(
        sul_piano_con_copia,
        {
            # Nothing newer: a message, nothing changes.
            "versione_fissata": Caso(
                GET=SOLO_POST, POST=esito(403, segreteria=302), dati={"uso": "piano"}
            ),
            "versione_nuova": Caso(
                GET=SOLO_POST,
                POST=esito(403, segreteria=302),
                dati={"uso": "piano"},
                cambia=cambia("segreteria"),
            ),
        },
    ),
    "pdf_scheda": Riga(
        sulla_scheda,
        {
            "bozza": lettura(esito(200, responsabile_b=404, lettore=404)),
            "in_monitoraggio": lettura(esito(200)),
        },
    ),
    "pdf_rendicontazione": Riga(
        sulla_scheda,
        {
            "bozza": lettura(esito(200, responsabile_b=404, lettore=404)),
            "in_monitoraggio": lettura(esito(200)),
        },
    ),
    # A book holds only the schede the user sees (pdf_views): every role gets one.
    "pdf_settore": Riga(
        sul_settore,
        {
            "solo_bozze": lettura(
                esito(
                    200,
                    # BUG: 500 (VariableDoesNotExist: «responsabili»). Who sees no scheda
                    # of the settore in the year gets libri.pdf_settore's empty section,
                    # which lacks the "responsabili" key that _settore.html passes to
                    # |default: a filter argument that does not resolve raises.
                    responsabile_b=200,
                    lettore=200,
                )
            ),
            "con_approvate": lettura(esito(200)),
            "settore_altro_comune": lettura(esito(404)),
        },
    ),
    "pdf_relazione": Riga(
        sul_piano, {"solo_bozze": lettura(esito(200)), "con_approvate": lettura(esito(200))}
    ),
    # The Nucleo's documento di validazione: OIV and segreteria, once every scheda of
    # the year is validated (before, 403 saying how many are missing).
    "documento_validazione": Riga(
        documento_dell_anno,
        {
            "validato": lettura(esito(403, segreteria=200, oiv=200)),
            "da_validare": lettura(esito(403)),
        },
    ),
    # -- richieste di variazione (objectives.richieste, objectives.access) ------------
    # Asked by the settore's responsabile, on an approved scheda or one in monitoraggio;
    # 403 with why for the others who see the scheda, and in the other states.
    "richiedi_variazione": Riga(
        sulla_scheda,
        {
            "bozza": uguale(esito(403, responsabile_b=404, lettore=404)),
            "approvato": Caso(
                GET=esito(403, responsabile_a=200),
                POST=esito(403, responsabile_a=302),
                dati={"cosa": "Target da 4 a 3", "motivazione": "Un operatore in meno"},
                cambia=cambia("responsabile_a"),
            ),
            "in_monitoraggio": uguale(esito(403, responsabile_a=200)),
            "rendicontato": uguale(esito(403)),
        },
    ),
    # The segreteria and the responsabili (their settori's); the others 403.
    "richieste_variazione": Riga(
        sul_piano,
        {"pagina": uguale(esito(403, segreteria=200, responsabile_a=200, responsabile_b=200))},
    ),
    "richiesta_variazione": Riga(
        sulla_richiesta, {"in_attesa": uguale(esito(403, segreteria=200, responsabile_a=200))}
    ),
    # Decided by the segreteria, once, while the scheda can still be varied.
    "accogli_richiesta": Riga(
        sulla_richiesta,
        {
            "in_attesa": Caso(
                GET=SOLO_POST, POST=esito(403, segreteria=302), cambia=cambia("segreteria")
            ),
            "respinta": Caso(GET=SOLO_POST, POST=esito(403)),
            "scheda_rendicontata": Caso(GET=SOLO_POST, POST=esito(403)),
        },
    ),
    "respingi_richiesta": Riga(
        sulla_richiesta,
        {
            "in_attesa": Caso(
                GET=SOLO_POST,
                POST=esito(403, segreteria=302),
                dati={"risposta": "Target già ridotto"},
                cambia=cambia("segreteria"),
            ),
            "respinta": Caso(GET=SOLO_POST, POST=esito(403), dati={"risposta": "No"}),
        },
    ),
    # -- PIAO (piao.access): every role reads page and documents (approved schede
    # only); the segreteria tags the schede and edits the outcomes, the others 403.
    "piao": Riga(
        sul_piano, {"solo_bozze": lettura(esito(200)), "con_approvate": lettura(esito(200))}
    ),
    "piao_documento": Riga(
        sul_documento_piao, {"csv": lettura(esito(200)), "xls": lettura(esito(404))}
    ),
    "piao_temi": Riga(
        sul_piano,
        {
            "con_approvate": Caso(
                GET=SOLO_POST,
                POST=esito(403, segreteria=302),
                dati=temi_di_una_scheda,
                cambia=cambia("segreteria"),
            )
        },
    ),
    "piao_nuovo_outcome": Riga(
        sul_piano,
        {
            "pagina": Caso(
                GET=esito(403, segreteria=200),
                POST=esito(403, segreteria=302),
                dati=OUTCOME_MINIMO,
                cambia=cambia("segreteria"),
            )
        },
    ),
    "piao_outcome": Riga(
        sull_outcome,
        {"pagina": Caso(GET=esito(403, segreteria=200), POST=esito(403, segreteria=400))},
    ),
    "piao_elimina_outcome": Riga(
        sull_outcome,
        {
            "pagina": Caso(
                GET=SOLO_POST, POST=esito(403, segreteria=302), cambia=cambia("segreteria")
            )
        },
    ),
    # -- trasparenza: the public section (no login) and the segreteria's publications --
    "robots_txt": Riga(nessun_oggetto, {"pagina": PUBBLICA}),
    "trasparenza_indice": Riga(pubblicato, {"piano": PUBBLICA_DEL_COMUNE, "nulla": NON_PUBBLICATA}),
    "trasparenza_logo": Riga(
        pubblicato, {"con_logo": PUBBLICA_DEL_COMUNE, "piano": NON_PUBBLICATA}
    ),
    "trasparenza_catalogo": Riga(
        pubblicato, {"piano": PUBBLICA_DEL_COMUNE, "nulla": NON_PUBBLICATA}
    ),
    "trasparenza_piano": Riga(
        pubblicato_anno, {"piano": PUBBLICA_DEL_COMUNE, "nulla": NON_PUBBLICATA}
    ),
    "trasparenza_piano_pdf": Riga(
        pubblicato_con_pdf, {"piano": PUBBLICA_DEL_COMUNE, "nulla": NON_PUBBLICATA}
    ),
    # Before the relazione is published the page says so (200); its PDF does not exist.
    "trasparenza_relazione": Riga(
        pubblicato_anno, {"piano": PUBBLICA_DEL_COMUNE, "nulla": NON_PUBBLICATA}
    ),
    "trasparenza_relazione_pdf": Riga(
        pubblicato_anno, {"con_relazione": PUBBLICA_DEL_COMUNE, "piano": NON_PUBBLICATA}
    ),
    "trasparenza_sistema": Riga(pubblicato_anno, {"piano": PUBBLICA_DEL_COMUNE}),
    # Controlli e rilievi (art. 31): the page says when it is not yet published.
    "trasparenza_validazione": Riga(
        validazione_pubblicata,
        {"con_validazione": PUBBLICA_DEL_COMUNE, "piano": PUBBLICA_DEL_COMUNE},
    ),
    "trasparenza_validazione_pdf": Riga(
        validazione_pubblicata, {"con_validazione": PUBBLICA_DEL_COMUNE, "piano": NON_PUBBLICATA}
    ),
    "trasparenza_premi_ammontare": Riga(pubblicato_anno, {"piano": PUBBLICA_DEL_COMUNE}),
    "trasparenza_premi_dati": Riga(pubblicato_anno, {"piano": PUBBLICA_DEL_COMUNE}),
    "trasparenza_dati_csv": Riga(
        pubblicato_anno, {"piano": PUBBLICA_DEL_COMUNE, "nulla": NON_PUBBLICATA}
    ),
    "trasparenza_dati_json": Riga(
        pubblicato_anno, {"piano": PUBBLICA_DEL_COMUNE, "nulla": NON_PUBBLICATA}
    ),
    "trasparenza_gestione": Riga(
        sul_comune, {"pagina": lettura(esito(403, segreteria=200, estraneo_suo_comune=200))}
    ),
    # The relazione while a scheda is not validated: the segreteria's POST is refused
    # with the reason (403).
    "trasparenza_pubblica": Riga(
        da_pubblicare,
        {
            "piano": Caso(
                GET=esito(403, segreteria=200),
                POST=esito(403, segreteria=302),
                dati={"data_pubblicazione": "2019-05-02"},
                cambia=cambia("segreteria"),
            ),
            "relazione_non_pubblicabile": Caso(
                GET=esito(403, segreteria=200),
                POST=esito(403),
                dati={"data_pubblicazione": "2019-05-02"},
            ),
        },
    ),
    "trasparenza_ritira": Riga(
        sulla_pubblicazione,
        {
            "in_vigore": Caso(
                GET=esito(403, segreteria=200),
                POST=esito(403, segreteria=302),
                dati={"motivo": "Delibera annullata"},
                cambia=cambia("segreteria"),
            ),
            "ritirata": Caso(GET=esito(403), POST=esito(403), dati={"motivo": "Di nuovo"}),
        },
    ),
    # -- the SMVP (individuale.access: every role of the comune reads, the segreteria
    # changes, 403 with why for the others; another comune 404). An empty or partial POST
    # of a form is shown again with its errors (400).
    "smvp_elenco": Riga(sul_comune, {"pagina": lettura(esito(200, estraneo_suo_comune=200))}),
    "smvp_crea": Riga(
        sul_comune,
        {
            "pagina": Caso(
                GET=SOLO_POST,
                POST=esito(403, segreteria=302, estraneo_suo_comune=302),
                dati={"anno": "2020", "copia": "on"},
                cambia=cambia("segreteria"),
            )
        },
    ),
    "smvp": Riga(sullo_smvp, {"pagina": lettura(esito(200))}),
    "smvp_impostazioni": Riga(
        sullo_smvp,
        {"pagina": Caso(GET=esito(403, segreteria=200), POST=esito(403, segreteria=400))},
    ),
    "smvp_nuova_categoria": Riga(
        sullo_smvp,
        {
            "pagina": Caso(
                GET=esito(403, segreteria=200),
                POST=esito(403, segreteria=302),
                dati=CATEGORIA_MINIMA,
                cambia=cambia("segreteria"),
            )
        },
    ),
    "smvp_categoria": Riga(
        sulla_categoria_smvp,
        {"pagina": Caso(GET=esito(403, segreteria=200), POST=esito(403, segreteria=400))},
    ),
    "smvp_elimina_categoria": Riga(
        sulla_categoria_smvp,
        {
            "pagina": Caso(
                GET=SOLO_POST, POST=esito(403, segreteria=302), cambia=cambia("segreteria")
            )
        },
    ),
    "smvp_anteprima_pesi": Riga(
        sullo_smvp, {"pagina": Caso(GET=SOLO_POST, POST=esito(403, segreteria=200))}
    ),
    "smvp_fasce": Riga(
        sullo_smvp,
        {"pagina": Caso(GET=esito(403, segreteria=200), POST=esito(403, segreteria=400))},
    ),
    # -- the premi (individuale.access.verifica_premi: segreteria and ufficio personale;
    # the PERSONALE role is not a profile here: tests/test_premi.py) --------------------
    "premi": Riga(sui_premi, {"definitive": lettura(esito(403, segreteria=200))}),
    "premi_simulazione": Riga(sui_premi, {"definitive": lettura(esito(403, segreteria=200))}),
    # Not every scheda DEFINITIVA: the confirmation says why, the POST is refused (403).
    "premi_distribuisci": Riga(
        sui_premi,
        {
            "definitive": Caso(
                GET=esito(403, segreteria=200),
                POST=esito(403, segreteria=302),
                cambia=cambia("segreteria"),
            ),
            "non_definitive": Caso(GET=esito(403, segreteria=200), POST=esito(403)),
        },
    ),
    # Nothing distributed yet: no prospetto (404).
    "premi_prospetto": Riga(
        sui_premi,
        {
            "con_distribuzione": lettura(esito(403, segreteria=200)),
            "definitive": lettura(esito(403, segreteria=404)),
        },
    ),
    # -- individuale: the schede di valutazione individuale (individuale.access: the
    # person his own, the evaluator his, Nucleo/sindaco their chain, segreteria all;
    # individuale.workflow: who moves what). The year's list: every role of the comune,
    # each seeing his rows (estraneo_suo_comune: his comune has no SMVP 2019, 404).
    "schede_individuali": Riga(sulle_schede_individuali, {"bozza": lettura(esito(200))}),
    # The segreteria creates the schede; an empty POST is an invalid form (400).
    "crea_schede_individuali": Riga(
        sulle_schede_individuali,
        {"bozza": Caso(GET=esito(403, segreteria=200), POST=esito(403, segreteria=400))},
    ),
    "rendi_definitive_scadute": Riga(
        sulle_schede_individuali,
        {
            "consegnata": Caso(
                GET=SOLO_POST, POST=esito(403, segreteria=302), cambia=cambia("segreteria")
            )
        },
    ),
    # Seen by the segreteria and the evaluator (responsabile of settore A) only.
    "scheda_individuale": Riga(
        sulla_scheda_individuale,
        {"bozza": lettura(esito(404, segreteria=200, responsabile_a=200))},
    ),
    "pdf_scheda_individuale": Riga(
        sulla_scheda_individuale,
        {"bozza": lettura(esito(404, segreteria=200, responsabile_a=200))},
    ),
    # The votes are the evaluator's (the segreteria sees them: 403 with why).
    "voti_scheda_individuale": Riga(
        sulla_scheda_individuale,
        {
            "bozza": Caso(
                GET=SOLO_POST,
                POST=esito(404, segreteria=403, responsabile_a=302),
                dati=voti_individuali,
                cambia=cambia("responsabile_a"),
            ),
            "consegnata": Caso(
                GET=SOLO_POST,
                POST=esito(404, segreteria=403, responsabile_a=403),
                dati=voti_individuali,
            ),
        },
    ),
    # The obiettivi individuali: segreteria and evaluator in bozza (none posted: nothing
    # to save, 302 without a change).
    "obiettivi_scheda_individuale": Riga(
        sulla_scheda_individuale,
        {
            "bozza": Caso(
                GET=SOLO_POST,
                POST=esito(404, segreteria=302, responsabile_a=302),
                dati={"obiettivi-versione": "1"},
            )
        },
    ),
    # The dati di servizio (part-time, days): segreteria and ufficio personale (not a
    # profile here: tests/test_schede_individuali.py) in every state but DEFINITIVA; the
    # evaluator sees the scheda but does not change them (403 with why).
    "servizio_scheda_individuale": Riga(
        sulla_scheda_individuale,
        {
            stato: Caso(
                GET=SOLO_POST,
                POST=esito(404, segreteria=302, responsabile_a=403),
                dati=servizio_individuale,
                cambia=cambia("segreteria"),
            )
            for stato in ("bozza", "consegnata")
        },
    ),
    # The year's page of the dati di servizio: segreteria and ufficio personale.
    "servizio_schede_individuali": Riga(
        sulle_schede_individuali,
        {
            "bozza": Caso(
                GET=esito(403, segreteria=200),
                POST=esito(403, segreteria=302),
                dati=servizio_dell_anno,
                cambia=cambia("segreteria"),
            )
        },
    ),
    # bozza: «consegna» (the evaluator); consegnata with the term expired: «rendi
    # definitiva» (the evaluator or the segreteria).
    "azione_scheda_individuale": Riga(
        sull_azione_individuale,
        {
            "bozza": Caso(
                GET=SOLO_POST,
                POST=esito(404, segreteria=403, responsabile_a=302),
                dati=consegna_individuale,
                cambia=cambia("responsabile_a"),
            ),
            "consegnata": Caso(
                GET=SOLO_POST,
                POST=esito(404, segreteria=302, responsabile_a=302),
                cambia=cambia("segreteria", "responsabile_a"),
            ),
        },
    ),
}


# ---------------------------------------------------------------- the routes


def rotte_del_progetto() -> tuple[set[str], list[str]]:
    """(names of every route but the admin's, patterns without a name), walking the
    resolver through every include."""
    nomi, senza_nome = set(), []

    def visita(patterns, prefisso="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                ns = ":".join(filter(None, [namespace, p.namespace]))
                visita(p.url_patterns, prefisso + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                if p.name:
                    nomi.add(f"{namespace}:{p.name}" if namespace else p.name)
                else:
                    senza_nome.append(prefisso + str(p.pattern))

    visita(get_resolver().url_patterns)
    return nomi, senza_nome


def test_ogni_rotta_ha_la_sua_riga():
    rotte, senza_nome = rotte_del_progetto()
    mancanti = sorted(rotte - set(TABELLA))
    superflue = sorted(set(TABELLA) - rotte)
    problemi = []
    if mancanti:
        problemi.append(
            "Rotte senza riga in TABELLA (aggiungere chi ottiene cosa): " + ", ".join(mancanti)
        )
    if superflue:
        problemi.append("Righe di TABELLA senza rotta (eliminarle): " + ", ".join(superflue))
    if senza_nome:
        problemi.append("Rotte senza nome (darne uno): " + ", ".join(senza_nome))
    assert not problemi, "\n".join(problemi)


def test_ogni_caso_copre_ogni_profilo_e_metodo():
    for nome, riga in TABELLA.items():
        for stato, caso in riga.casi.items():
            for metodo in METODI:
                assert set(getattr(caso, metodo)) == set(PROFILI), (nome, stato, metodo)
            assert caso.cambia <= {p for p in MEMBRI if caso.POST[p] < 400}, (nome, stato)


# ---------------------------------------------------------------- the matrix


@pytest.fixture
def pdf_finto(monkeypatch):
    """WeasyPrint's layout skipped: every PDF is the factories' one-page PDF."""
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: PDF)


# The rows a request may add or delete: counted in one query.
CONTATI = (
    Nucleo,  # valutazione: the Nucleo, its members and sedute (and their history)
    Componente,
    Componente.history.model,
    Seduta,
    Seduta.history.model,
    Pubblicazione,
    Pubblicazione.history.model,  # a withdrawal adds a history row
    Allegato,
    Avviso,
    CambioStato,
    Commento,
    Fase,
    Indicatore,
    ModelloStampa,
    RiaperturaSettore,
    RichiestaVariazione,
    Rilevazione,
    Sblocco,
    Stampa,
    Validazione,
    Variazione,
    VersioneModello,
    Distribuzione,  # individuale: the premi
    Smvp,  # individuale: the SMVP and its parts
    Categoria,
    Comportamento,
    Fascia,
    Outcome,  # piao
    TemaObiettivo,  # piao
    SchedaIndividuale.history.model,  # individuale: every change of a scheda individuale
    VotoComportamento.history.model,
    Contestazione,
)


def impronta() -> tuple:
    """What a GET or a refused request must leave as it was: the state and versione of
    every scheda (every change of one goes through ``objectives.modifiche``, which moves
    its versione), campagne and piani, the piani's print model choices, how many rows of ``CONTATI``, the e-mails sent."""
    tabelle = ", ".join(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(m._meta.db_table)})" for m in CONTATI
    )
    with connection.cursor() as cursore:
        cursore.execute(f"SELECT {tabelle}")
        conteggi = cursore.fetchone()
    return (
        list(Obiettivo.objects.order_by("pk").values_list("pk", "stato", "versione")),
        list(
            Campagna.objects.order_by("pk").values_list(
                "pk", "scadenza", "chiusa_il", "avviso_apertura_il", "avviso_scadenza_il"
            )
        ),
        list(Piano.objects.order_by("pk").values_list("pk", "stato", "delibera_numero")),
        list(RichiestaVariazione.objects.order_by("pk").values_list("pk", "stato")),
        list(
            SceltaModello.objects.order_by("pk").values_list(
                "pk", "predefinito", "modello", "versione_fissata"
            )
        ),
        conteggi,
        len(mail.outbox),
    )


def _url(ente, rotta: str, kwargs: dict, profilo: str) -> str:
    if profilo == "estraneo_suo_comune" and "comune" in kwargs:
        kwargs = {**kwargs, "comune": ente.altro_comune.slug}
    return reverse(rotta, kwargs=kwargs)


def _sessioni(ente) -> dict[str, str]:
    """A session per logged-in profile, opened once outside the savepoints."""
    sessioni = {}
    for profilo in PROFILI:
        utente = ente.profilo("estraneo" if profilo == "estraneo_suo_comune" else profilo)
        if utente is not None:
            client = Client()
            client.force_login(utente)
            sessioni[profilo] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessioni


def _richiesta(sessione: str | None, metodo: str, url: str, dati: dict):
    """A fresh client (no cookie of a previous cell: messages, session) per request."""
    client = Client(raise_request_exception=False)
    if sessione is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessione
    return client.get(url) if metodo == "GET" else client.post(url, dati)


def _perche(risposta) -> str:
    """What the answer says, for the failure message."""
    if risposta.status_code == 500 and risposta.exc_info:
        return f"{risposta.exc_info[0].__name__}: {risposta.exc_info[1]}"
    if risposta.status_code in (301, 302):
        return f"→ {risposta['Location']}"
    if risposta.context and "motivo" in risposta.context:
        return str(risposta.context["motivo"])
    return ""


def _verifica(risposta, profilo: str, url: str, atteso: int) -> str | None:
    """None if the answer is the expected one, in the expected form."""
    codice = risposta.status_code
    if codice != atteso:
        return f"atteso {atteso}, ottenuto {codice} {_perche(risposta)}".rstrip()
    if codice == 302 and profilo == "anonimo":
        login = reverse("login")
        if not risposta["Location"].startswith(login):
            return f"302 non verso l'accesso: {risposta['Location']}"
        if url != reverse("logout") and risposta["Location"] != f"{login}?next={quote(url)}":
            return f"302 verso l'accesso senza ritorno alla pagina: {risposta['Location']}"
    if codice == 403:
        modelli = [t.name for t in risposta.templates]
        if "403.html" not in modelli or not risposta.context.get("motivo"):
            return f"403 senza la pagina del prodotto con il motivo ({modelli})"
    return None


def _rifiuto(profilo: str, codice: int) -> bool:
    return codice in (403, 404, 405, 409) or (profilo == "anonimo" and codice == 302)


CASI = [(nome, stato) for nome, riga in TABELLA.items() for stato in riga.casi]


def _cella(caso: Caso, metodo: str, profilo: str, sessione, url: str, dati: dict):
    """One request in a savepoint rolled back after it: what is wrong with it, or None."""
    atteso = getattr(caso, metodo)[profilo]
    with transaction.atomic():
        mail.outbox = []
        prima = impronta()
        risposta = _richiesta(sessione, metodo, url, dati)
        problema = _verifica(risposta, profilo, url, atteso)
        cambiato = impronta() != prima
        transaction.set_rollback(True)
    if problema:
        return problema
    if cambiato and (metodo == "GET" or _rifiuto(profilo, atteso)):
        return f"{atteso} ma i dati sono cambiati"
    if not cambiato and metodo == "POST" and profilo in caso.cambia:
        return f"{atteso} ma non è cambiato nulla"
    return None


@pytest.mark.parametrize(("rotta", "stato"), CASI, ids=[f"{n}-{s}" for n, s in CASI])
def test_matrice(rotta, stato, ente, archivio, stampe_root, pdf_finto):
    riga = TABELLA[rotta]
    caso = riga.casi[stato]
    kwargs = riga.oggetto(ente, stato)
    dati = caso.corpo(ente, kwargs)
    sessioni = _sessioni(ente)
    discrepanze = []
    for metodo in METODI:
        for profilo in PROFILI:
            url = _url(ente, rotta, kwargs, profilo)
            problema = _cella(caso, metodo, profilo, sessioni.get(profilo), url, dati)
            if problema:
                discrepanze.append(f"{metodo} {profilo}: {problema}")
    url = reverse(rotta, kwargs=kwargs)
    assert not discrepanze, f"{rotta} [{stato}] {url}\n  " + "\n  ".join(discrepanze)


# ---------------------------------------------------------------- the error pages


def test_403_nella_grafica_del_prodotto_con_il_motivo(client, ente):
    client.force_login(ente.lettore)
    risposta = client.get(reverse("coda_valutazione", args=[ente.comune.slug]))
    assert risposta.status_code == 403
    assert "base.html" in [t.name for t in risposta.templates]
    assert "riservata al nucleo di valutazione" in risposta.content.decode()


@pytest.mark.parametrize(
    ("profilo", "rotta"), [("estraneo", "piano"), ("segreteria", "comune_logo")]
)
def test_404_nella_grafica_del_prodotto(client, ente, profilo, rotta):
    """Every page extends templates/base.html (docs/architettura.md), in Italian.

    BUG: there is no templates/404.html, so a 404 is the bootstrap_italia_template
    theme's demo page («Error 404 / Page or Resource not found 404», «Nome
    Ente/Organizzazione», «Comune di Lorem Ipsum»), in English, outside the product."""
    client.force_login(ente.profilo(profilo))
    kwargs = {"comune": ente.comune.slug}
    if rotta == "piano":
        kwargs["piano_id"] = ente.piano.pk
    risposta = client.get(reverse(rotta, kwargs=kwargs))
    assert risposta.status_code == 404
    pagina = risposta.content.decode()
    assert "Page or Resource not found" not in pagina and "Lorem Ipsum" not in pagina
    assert "base.html" in [t.name for t in risposta.templates]
