"""factory_boy factories for every model of peg, objectives, indicators, valutazione and
reporting, with traits for the states the tests need.

Conventions:

- Everything hangs off one comune: the settore, persona, ruolo... of an obiettivo are
  of the obiettivo's own comune (``SelfAttribute``), never of a fresh one.
- ``Missione``, ``Programma`` and ``AmbitoPerformance`` are loaded by data migrations:
  their factories get or create on the natural key, so they never clash with those rows.
- The state traits of ``ObiettivoFactory`` leave a scheda as the workflow
  (``objectives.workflow``) would: ``rendicontato`` has every final value,
  ``validato`` an active ``Validazione`` (and the OIV's comment), and so on. They do not
  record ``CambioStato`` rows, which the app only displays, except where the state *is*
  the history: ``integrazione_richiesta`` (read by ``workflow.integrazione_richiesta``).
  ``con_storia=True`` records the whole path up to the state.
- Children are added by traits (``con_indicatori``, ``con_rilevazioni``, ``con_fasi``,
  ``con_risorse``) as named ``RelatedFactory`` declarations, so a test may change one:
  ``ObiettivoFactory(con_rilevazioni=True, indicatore_2__raggiunto=D(3))``.
- Users get no role unless the model implies one (a ``Validazione`` is the OIV's);
  ``UserFactory(comune=c, ruolo="oiv")`` or ``tests.utenti.utente()`` give one.
"""

import datetime
import itertools
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from indicators.caricamento import carica_figli
from indicators.engine.formatting import percentuale
from indicators.engine.scoring import Sistema, punteggio_obiettivo
from indicators.models import Indicatore, Rilevazione, ValoreStorico
from objectives.models import (
    AmbitoPerformance,
    Avviso,
    CambioStato,
    Campagna,
    Fase,
    Obiettivo,
    RiaperturaSettore,
    RichiestaVariazione,
    RisorsaFinanziaria,
    RisorsaStrumentale,
    RisorsaUmana,
    Variazione,
)
from objectives.workflow import TRANSIZIONI
from peg.classificazione import MISSIONI, PROGRAMMI
from peg.models import (
    Comune,
    Missione,
    NodoDUP,
    Persona,
    Piano,
    Programma,
    Ruolo,
    Sblocco,
    Servizio,
    Settore,
    SettoreDelPiano,
)
from reporting.models import ModelloStampa, SceltaModello, Stampa, VersioneModello
from valutazione.formati import content_type
from valutazione.models import Allegato, Commento, PunteggioValidato, Validazione

D = Decimal
S = Obiettivo.Stato
T = Ruolo.Tipo
OGGI = timezone.localdate


def _pdf_minimo() -> bytes:
    """A real one-page PDF (catalog, pages, page, cross-reference table): 300 bytes."""
    oggetti = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    posizioni = []
    for numero, corpo in enumerate(oggetti, 1):
        posizioni.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (numero, corpo)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(oggetti) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % p for p in posizioni)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(oggetti) + 1,
        xref,
    )
    return bytes(pdf)


PDF = _pdf_minimo()


class Fabbrica(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        # Post-generation hooks save what they change: no extra save (nor history row).
        skip_postgeneration_save = True


# ---------------------------------------------------------------- users and the ente


class UserFactory(Fabbrica):
    """A user; with ``comune`` and ``ruolo`` (a Ruolo.Tipo) also that role there."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"utente{n}")
    password = factory.django.Password("demo")

    class Params:
        comune = None
        ruolo = None
        superuser = factory.Trait(is_superuser=True, is_staff=True)
        staff = factory.Trait(is_staff=True)

    ruolo_nel_comune = factory.Maybe(
        "ruolo",
        yes_declaration=factory.RelatedFactory(
            "tests.factories.RuoloFactory",
            "utente",
            comune=factory.SelfAttribute("..comune"),
            tipo=factory.SelfAttribute("..ruolo"),
        ),
    )


class ComuneFactory(Fabbrica):
    class Meta:
        model = Comune

    nome = factory.Sequence(lambda n: f"Borgo {n}")
    slug = factory.Sequence(lambda n: f"borgo-{n}")
    provincia = "Genova"


class MissioneFactory(Fabbrica):
    """Missione 12 of the national classification, as migration peg.0002 loads it."""

    class Meta:
        model = Missione
        django_get_or_create = ("codice",)

    codice = "12"
    denominazione = factory.LazyAttribute(lambda o: MISSIONI.get(o.codice, f"Missione {o.codice}"))


class ProgrammaFactory(Fabbrica):
    """Programma 12.02 and its missione, both as migration peg.0002 loads them."""

    class Meta:
        model = Programma
        django_get_or_create = ("codice",)

    codice = "12.02"
    missione = factory.SubFactory(
        MissioneFactory, codice=factory.LazyAttribute(lambda o: o.factory_parent.codice[:2])
    )
    denominazione = factory.LazyAttribute(
        lambda o: PROGRAMMI.get(o.codice, f"Programma {o.codice}")
    )


class PianoFactory(Fabbrica):
    """An approved PEG 2019-2021 (the default); traits for the other states and SMVPs."""

    class Meta:
        model = Piano

    comune = factory.SubFactory(ComuneFactory)
    tipo = Piano.Tipo.PEG
    titolo = factory.Sequence(lambda n: f"PEG {n}")
    anno_inizio = 2019
    anno_fine = 2021
    stato = Piano.Stato.APPROVATO

    class Params:
        bozza = factory.Trait(stato=Piano.Stato.BOZZA)
        approvato = factory.Trait(
            stato=Piano.Stato.APPROVATO,
            delibera_numero="45",
            delibera_data=datetime.date(2019, 3, 28),
        )
        in_monitoraggio = factory.Trait(approvato=True, stato=Piano.Stato.IN_MONITORAGGIO)
        # The obiettivo is measured with its fasi, or with both (50% each).
        misura_fasi = factory.Trait(base_obiettivo=Piano.BaseObiettivo.FASI)
        misura_entrambi = factory.Trait(base_obiettivo=Piano.BaseObiettivo.ENTRAMBI)


class SettoreFactory(Fabbrica):
    class Meta:
        model = Settore

    comune = factory.SubFactory(ComuneFactory)
    codice = "I"
    nome = factory.Sequence(lambda n: f"Settore {n}")

    @factory.post_generation
    def responsabili(obj, create, extracted, **kwargs):
        """``responsabili=[persona, ...]``: the persone who direct it."""
        if create and extracted:
            obj.responsabili.set(extracted)


class ServizioFactory(Fabbrica):
    class Meta:
        model = Servizio

    settore = factory.SubFactory(SettoreFactory)
    nome = factory.Sequence(lambda n: f"Servizio {n}")
    ordine = factory.Sequence(lambda n: n)


class PersonaFactory(Fabbrica):
    class Meta:
        model = Persona

    comune = factory.SubFactory(ComuneFactory)
    nome = factory.Sequence(lambda n: f"Rossi Mario {n}")
    categoria = "Categoria D"
    matricola = factory.Sequence(lambda n: str(1000 + n))

    class Params:
        # The persona has an account (a responsabile who logs in).
        con_utente = factory.Trait(utente=factory.SubFactory(UserFactory))


class NodoDUPFactory(Fabbrica):
    class Meta:
        model = NodoDUP

    piano = factory.SubFactory(PianoFactory)
    livello = "Linea strategica"
    codice = factory.Sequence(lambda n: f"L{n}")

    class Params:
        # A child node (Azione strategica) under a new root of the same piano.
        figlio = factory.Trait(
            livello="Azione strategica",
            padre=factory.SubFactory(
                "tests.factories.NodoDUPFactory", piano=factory.SelfAttribute("..piano")
            ),
        )
        con_programma = factory.Trait(
            programma=factory.SubFactory(ProgrammaFactory),
            missione=factory.SelfAttribute("programma.missione"),
        )


class SettoreDelPianoFactory(Fabbrica):
    """A settore as an approved piano photographed it (``peg.organigramma_piano``)."""

    class Meta:
        model = SettoreDelPiano

    piano = factory.SubFactory(PianoFactory)
    settore = factory.SubFactory(SettoreFactory, comune=factory.SelfAttribute("..piano.comune"))
    codice = factory.SelfAttribute("settore.codice")
    nome = factory.SelfAttribute("settore.nome")


def _un_settore_se_nessuno(ruolo, create, extracted, **kwargs):
    if create and not ruolo.settori.exists():
        ruolo.settori.add(SettoreFactory(comune=ruolo.comune))


class RuoloFactory(Fabbrica):
    """A role of a new user in a comune; ``settori=[...]`` for a responsabile's settori.

    The ``responsabile`` trait, without ``settori``, makes him responsabile of a new
    settore of the same comune; ``tipo=Ruolo.Tipo.RESPONSABILE`` alone gives no settore."""

    class Meta:
        model = Ruolo

    utente = factory.SubFactory(UserFactory)
    comune = factory.SubFactory(ComuneFactory)
    tipo = T.LETTORE

    @factory.post_generation
    def settori(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.settori.set(extracted)

    class Params:
        segreteria = factory.Trait(tipo=T.SEGRETERIA)
        responsabile = factory.Trait(
            tipo=T.RESPONSABILE, settore_predefinito=factory.PostGeneration(_un_settore_se_nessuno)
        )
        oiv = factory.Trait(tipo=T.OIV)
        lettore = factory.Trait(tipo=T.LETTORE)


class SbloccoFactory(Fabbrica):
    """The segreteria of a comune unlocked one of its users (peg.blocchi.sblocca)."""

    class Meta:
        model = Sblocco

    comune = factory.SubFactory(ComuneFactory)
    utente = factory.LazyAttribute(lambda o: RuoloFactory(comune=o.comune).utente)
    sbloccato_da = factory.LazyAttribute(
        lambda o: RuoloFactory(comune=o.comune, segreteria=True).utente
    )
    tentativi = 5


# ---------------------------------------------------------------- the scheda and its rows


class AmbitoPerformanceFactory(Fabbrica):
    """One of the ten ambiti loaded by migration objectives.0002 (get or create)."""

    class Meta:
        model = AmbitoPerformance
        django_get_or_create = ("numero",)

    numero = 1
    descrizione = factory.LazyAttribute(lambda o: f"Ambito {o.numero}")


class IndicatoreFactory(Fabbrica):
    class Meta:
        model = Indicatore

    obiettivo = factory.SubFactory("tests.factories.ObiettivoFactory")
    numero = factory.Sequence(lambda n: n + 1)
    peso = D("50.00")
    denominazione = "Indicatore di prova"
    formula = "Giorni di ritardo"
    valore_atteso = D("0")
    data_attesa = datetime.date(2019, 9, 30)
    graduazione = "gg di ritardo +5 =90 % +10gg = 80% +15gg =60%"

    class Params:
        # The value the rilevazioni of the traits below record (default: the target).
        raggiunto = factory.SelfAttribute("valore_atteso")
        raggiunto_intermedio = factory.LazyAttribute(
            lambda o: o.raggiunto / 2 if o.raggiunto is not None else None
        )
        # raggiunto / atteso × 100, at most 100%.
        proporzionale = factory.Trait(
            formula="Pratiche istruite",
            graduazione="proporzionale",
            valore_atteso=D(10),
            valore_intermedio=D(5),
            data_intermedia=datetime.date(2019, 6, 30),
            data_attesa=datetime.date(2019, 12, 31),
        )
        decrescente = factory.Trait(polarita=Indicatore.Polarita.DECRESCENTE)
        con_intermedia = factory.Trait(
            rilevazione_intermedia=factory.RelatedFactory(
                "tests.factories.RilevazioneFactory",
                "indicatore",
                intermedia=True,
                valore=factory.SelfAttribute("..raggiunto_intermedio"),
            )
        )
        con_finale = factory.Trait(
            rilevazione_finale=factory.RelatedFactory(
                "tests.factories.RilevazioneFactory",
                "indicatore",
                finale=True,
                valore=factory.SelfAttribute("..raggiunto"),
            )
        )


class RilevazioneFactory(Fabbrica):
    """A final value (the default); ``intermedia`` / ``prima`` for the others."""

    class Meta:
        model = Rilevazione

    indicatore = factory.SubFactory(IndicatoreFactory)
    tipo = Rilevazione.Tipo.FINALE
    valore = D("1")

    class Params:
        prima = factory.Trait(tipo=Rilevazione.Tipo.PRIMA)
        intermedia = factory.Trait(tipo=Rilevazione.Tipo.INTERMEDIA)
        finale = factory.Trait(tipo=Rilevazione.Tipo.FINALE)


class ValoreStoricoFactory(Fabbrica):
    class Meta:
        model = ValoreStorico

    indicatore = factory.SubFactory(IndicatoreFactory)
    anno = 2018
    valore = D("1")


class FaseFactory(Fabbrica):
    class Meta:
        model = Fase

    obiettivo = factory.SubFactory("tests.factories.ObiettivoFactory")
    numero = factory.Sequence(lambda n: n + 1)
    peso = D("50.00")
    descrizione = "Fase di prova"
    data_inizio_prevista = datetime.date(2019, 1, 1)
    data_fine_prevista = datetime.date(2019, 12, 31)

    class Params:
        in_corso = factory.Trait(avanzamento=D(50), data_inizio_effettiva=datetime.date(2019, 1, 7))
        completata = factory.Trait(
            avanzamento=D(100),
            data_inizio_effettiva=datetime.date(2019, 1, 7),
            data_fine_effettiva=datetime.date(2019, 11, 29),
        )


class RisorsaFinanziariaFactory(Fabbrica):
    class Meta:
        model = RisorsaFinanziaria

    obiettivo = factory.SubFactory("tests.factories.ObiettivoFactory")
    capitolo = factory.Sequence(lambda n: str(448900 + n))
    importo = D("23000.00")

    class Params:
        entrata = factory.Trait(tipo=RisorsaFinanziaria.Tipo.ENTRATA)
        effettiva = factory.Trait(natura=RisorsaFinanziaria.Natura.EFFETTIVA)


class RisorsaUmanaFactory(Fabbrica):
    class Meta:
        model = RisorsaUmana

    obiettivo = factory.SubFactory("tests.factories.ObiettivoFactory")
    persona = factory.SubFactory(
        PersonaFactory, comune=factory.SelfAttribute("..obiettivo.piano.comune")
    )
    percentuale_impiego = D(50)


class RisorsaStrumentaleFactory(Fabbrica):
    class Meta:
        model = RisorsaStrumentale

    obiettivo = factory.SubFactory("tests.factories.ObiettivoFactory")
    tipo = RisorsaStrumentale.Tipo.INFORMATICA
    descrizione = "Due postazioni di lavoro"


# The moves of the workflow that lead to each state.
PERCORSO = {
    S.BOZZA: [],
    S.PROPOSTO: ["proponi"],
    S.APPROVATO: ["proponi", "approva"],
    S.IN_MONITORAGGIO: ["proponi", "approva", "avvia_monitoraggio"],
    S.RENDICONTATO: ["proponi", "approva", "avvia_monitoraggio", "rendiconta"],
    S.VALIDATO: ["proponi", "approva", "avvia_monitoraggio", "rendiconta", "valida"],
}
MOTIVAZIONE_INTEGRAZIONE = "Manca il verbale del tavolo tecnico: allegalo e invia di nuovo."


def _registra(obiettivo, azioni, utente, motivazioni=None):
    """CambioStato rows for ``azioni`` in order, a minute apart, ending now."""
    utente = utente or UserFactory()
    motivazioni = motivazioni or {}
    ora = timezone.now()
    da = S.BOZZA
    for n, azione in enumerate(azioni):
        a = TRANSIZIONI[azione].a
        CambioStatoFactory(
            obiettivo=obiettivo,
            azione=azione,
            da=da,
            a=a,
            utente=utente,
            quando=ora - datetime.timedelta(minutes=len(azioni) - 1 - n),
            motivazione=motivazioni.get(azione, ""),
        )
        da = a


def _storia(obiettivo, create, extracted, utente=None, **kwargs):
    """The workflow's path up to the scheda's state (``storia__utente=`` who moved it)."""
    if create:
        _registra(obiettivo, PERCORSO[obiettivo.stato], utente)


def _integrazione(obiettivo, create, extracted, utente=None, **kwargs):
    """Sent, then sent back by the OIV: the last move is «richiedi_integrazione», with the
    OIV's comment, as ``valutazione.review.richiedi_integrazione`` leaves it."""
    if not create:
        return
    utente = utente or UserFactory(comune=obiettivo.piano.comune, ruolo=T.OIV)
    azioni = [*PERCORSO[S.RENDICONTATO], "richiedi_integrazione"]
    _registra(obiettivo, azioni, utente, {"richiedi_integrazione": MOTIVAZIONE_INTEGRAZIONE})
    CommentoFactory(
        obiettivo=obiettivo,
        autore=utente,
        integrazione=True,
        testo=MOTIVAZIONE_INTEGRAZIONE,
        quando=obiettivo.cambi_stato.order_by("-quando", "-id").first().quando,
    )


class ObiettivoFactory(Fabbrica):
    """A scheda 2019 of an approved piano, in stato approvato without delibera nor
    children: the old default, kept for the tests that rely on it.

    States: ``bozza``, ``proposto``, ``approvato`` (with its delibera),
    ``in_monitoraggio``, ``rendicontato`` (every final value: 92,00%), ``validato``
    (an active Validazione by an OIV of the comune, at the computed score),
    ``con_rettifica`` (validated at 95,00% instead, with the motivazione),
    ``integrazione_richiesta`` (the OIV sent it back: it records its own path, no
    ``con_storia`` with it). Children: ``con_indicatori``
    (two, weights 60 + 40, proportional, target 10), ``con_rilevazioni`` (their final
    values 10 and 8), ``con_intermedie`` (5 and 4), ``con_fasi`` (two, 50 + 50),
    ``con_risorse`` (one of each kind). ``con_storia``: the CambioStato path.
    """

    class Meta:
        model = Obiettivo

    piano = factory.SubFactory(PianoFactory)
    settore = factory.SubFactory(SettoreFactory, comune=factory.SelfAttribute("..piano.comune"))
    codice = factory.Sequence(lambda n: f"OB - {n}")
    anno = 2019
    anno_inizio = 2019
    anno_fine = 2019
    denominazione = "Obiettivo di prova"
    stato = S.APPROVATO

    @factory.post_generation
    def responsabili(obj, create, extracted, **kwargs):
        """``responsabili=[persona, ...]`` (persone of the same comune)."""
        if create and extracted:
            obj.responsabili.set(extracted)

    @factory.post_generation
    def ambiti(obj, create, extracted, **kwargs):
        """``ambiti=[1, 7]``: ambiti della performance by numero."""
        if create and extracted:
            obj.ambiti.set([AmbitoPerformanceFactory(numero=n) for n in extracted])

    class Params:
        # Children (declared first: the validazione below is computed from them).
        con_indicatori = factory.Trait(
            indicatore_1=factory.RelatedFactory(
                IndicatoreFactory,
                "obiettivo",
                proporzionale=True,
                numero=1,
                peso=D(60),
                denominazione="Pratiche istruite entro l'anno",
            ),
            indicatore_2=factory.RelatedFactory(
                IndicatoreFactory,
                "obiettivo",
                proporzionale=True,
                numero=2,
                peso=D(40),
                denominazione="Sportelli aperti",
                raggiunto=D(8),
            ),
        )
        con_rilevazioni = factory.Trait(
            con_indicatori=True, indicatore_1__con_finale=True, indicatore_2__con_finale=True
        )
        con_intermedie = factory.Trait(
            con_indicatori=True,
            indicatore_1__con_intermedia=True,
            indicatore_2__con_intermedia=True,
        )
        con_fasi = factory.Trait(
            fase_1=factory.RelatedFactory(
                FaseFactory, "obiettivo", numero=1, peso=D(50), descrizione="Analisi"
            ),
            fase_2=factory.RelatedFactory(
                FaseFactory, "obiettivo", numero=2, peso=D(50), descrizione="Realizzazione"
            ),
        )
        con_risorse = factory.Trait(
            risorsa_finanziaria=factory.RelatedFactory(RisorsaFinanziariaFactory, "obiettivo"),
            risorsa_umana=factory.RelatedFactory(RisorsaUmanaFactory, "obiettivo"),
            risorsa_strumentale=factory.RelatedFactory(RisorsaStrumentaleFactory, "obiettivo"),
        )
        con_programma = factory.Trait(
            programma=factory.SubFactory(ProgrammaFactory),
            missione=factory.SelfAttribute("programma.missione"),
        )
        pluriennale = factory.Trait(
            durata=Obiettivo.Durata.PLURIENNALE, anno_inizio=2019, anno_fine=2020
        )

        # States, each on the way of objectives.workflow.
        bozza = factory.Trait(stato=S.BOZZA)
        proposto = factory.Trait(stato=S.PROPOSTO)
        approvato = factory.Trait(
            stato=S.APPROVATO, delibera_numero="45", delibera_data=datetime.date(2019, 3, 28)
        )
        in_monitoraggio = factory.Trait(approvato=True, stato=S.IN_MONITORAGGIO)
        # «rendiconta» is refused while a final value is missing.
        rendicontato = factory.Trait(
            in_monitoraggio=True,
            con_rilevazioni=True,
            stato=S.RENDICONTATO,
            stato_attuazione="Obiettivo raggiunto nei tempi previsti.",
        )
        validato = factory.Trait(
            rendicontato=True,
            stato=S.VALIDATO,
            validazione=factory.RelatedFactory("tests.factories.ValidazioneFactory", "obiettivo"),
        )
        con_rettifica = factory.Trait(validato=True, validazione__con_rettifica=True)
        integrazione_richiesta = factory.Trait(
            in_monitoraggio=True,
            con_rilevazioni=True,
            stato_attuazione="Obiettivo raggiunto nei tempi previsti.",
            integrazione=factory.PostGeneration(_integrazione),
        )
        con_storia = factory.Trait(storia=factory.PostGeneration(_storia))


class CambioStatoFactory(Fabbrica):
    """One move of the workflow (``azione``), from and to the states it goes between."""

    class Meta:
        model = CambioStato

    obiettivo = factory.SubFactory(ObiettivoFactory, proposto=True)
    azione = "proponi"
    da = factory.LazyAttribute(lambda o: sorted(TRANSIZIONI[o.azione].da)[0])
    a = factory.LazyAttribute(lambda o: TRANSIZIONI[o.azione].a)
    utente = factory.SubFactory(UserFactory)
    quando = factory.LazyFunction(timezone.now)


class VariazioneFactory(Fabbrica):
    """A change of an approved scheda, by the segreteria of its comune."""

    class Meta:
        model = Variazione

    obiettivo = factory.SubFactory(ObiettivoFactory, approvato=True)
    utente = factory.SubFactory(
        UserFactory, comune=factory.SelfAttribute("..obiettivo.piano.comune"), ruolo=T.SEGRETERIA
    )
    quando = factory.LazyFunction(timezone.now)
    stato = factory.SelfAttribute("obiettivo.stato")
    motivazione = "Delibera di variazione n. 12"
    riepilogo = "indicatore 1: Livello finale atteso (valore target) 10 → 12"


class RichiestaVariazioneFactory(Fabbrica):
    """A responsabile asks for a variazione of an approved scheda; traits ``accolta``
    and ``respinta`` (with its reason) by a segreteria of its comune."""

    class Meta:
        model = RichiestaVariazione

    obiettivo = factory.SubFactory(ObiettivoFactory, approvato=True)
    richiesta_da = factory.SubFactory(
        UserFactory, comune=factory.SelfAttribute("..obiettivo.piano.comune"), ruolo=T.RESPONSABILE
    )
    richiesta_il = factory.LazyFunction(timezone.now)
    cosa = "Valore atteso dell'indicatore 1 da 10 a 8"
    motivazione = "Un operatore in meno da marzo"

    class Params:
        accolta = factory.Trait(
            stato=RichiestaVariazione.Stato.ACCOLTA,
            decisa_da=factory.SubFactory(
                UserFactory,
                comune=factory.SelfAttribute("..obiettivo.piano.comune"),
                ruolo=T.SEGRETERIA,
            ),
            decisa_il=factory.LazyFunction(timezone.now),
        )
        respinta = factory.Trait(
            stato=RichiestaVariazione.Stato.RESPINTA,
            decisa_da=factory.SubFactory(
                UserFactory,
                comune=factory.SelfAttribute("..obiettivo.piano.comune"),
                ruolo=T.SEGRETERIA,
            ),
            decisa_il=factory.LazyFunction(timezone.now),
            risposta="Il target è già stato ridotto",
        )


# ---------------------------------------------------------------- campagne


def _date_campagna(momento):
    if momento == Campagna.Momento.INTERMEDIA:
        return datetime.date(2019, 6, 30), datetime.date(2019, 7, 1), datetime.date(2019, 8, 31)
    return datetime.date(2019, 12, 31), datetime.date(2020, 1, 2), datetime.date(2020, 1, 31)


class CampagnaFactory(Fabbrica):
    """The 2019 intermedia round (values at 30 June, 1 July - 31 August 2019).

    ``finale``: the finale round (31 December, 2 - 31 January 2020). Relative to today:
    ``aperta`` (opened, its e-mail sent), ``programmata`` (opens in five days),
    ``scaduta`` (its deadline passed), ``chiusa`` (closed early by the segreteria)."""

    class Meta:
        model = Campagna

    piano = factory.SubFactory(PianoFactory)
    anno = 2019
    momento = Campagna.Momento.INTERMEDIA
    data_riferimento = factory.LazyAttribute(lambda o: _date_campagna(o.momento)[0])
    apertura = factory.LazyAttribute(lambda o: _date_campagna(o.momento)[1])
    scadenza = factory.LazyAttribute(lambda o: _date_campagna(o.momento)[2])

    class Params:
        intermedia = factory.Trait(momento=Campagna.Momento.INTERMEDIA)
        finale = factory.Trait(momento=Campagna.Momento.FINALE)
        aperta = factory.Trait(
            apertura=factory.LazyFunction(lambda: OGGI() - datetime.timedelta(days=5)),
            scadenza=factory.LazyFunction(lambda: OGGI() + datetime.timedelta(days=10)),
            avviso_apertura_il=factory.LazyFunction(timezone.now),
        )
        programmata = factory.Trait(
            apertura=factory.LazyFunction(lambda: OGGI() + datetime.timedelta(days=5)),
            scadenza=factory.LazyFunction(lambda: OGGI() + datetime.timedelta(days=30)),
        )
        scaduta = factory.Trait(
            apertura=factory.LazyFunction(lambda: OGGI() - datetime.timedelta(days=40)),
            scadenza=factory.LazyFunction(lambda: OGGI() - datetime.timedelta(days=10)),
            avviso_apertura_il=factory.LazyFunction(
                lambda: timezone.now() - datetime.timedelta(days=40)
            ),
        )
        chiusa = factory.Trait(aperta=True, chiusa_il=factory.LazyFunction(timezone.now))


class RiaperturaSettoreFactory(Fabbrica):
    """The round reopened for a settore of its comune for five more days, by the segreteria."""

    class Meta:
        model = RiaperturaSettore

    campagna = factory.SubFactory(CampagnaFactory, chiusa=True)
    settore = factory.SubFactory(
        SettoreFactory, comune=factory.SelfAttribute("..campagna.piano.comune")
    )
    fino_al = factory.LazyFunction(lambda: OGGI() + datetime.timedelta(days=5))
    motivazione = "Dati in ritardo"
    utente = factory.SubFactory(
        UserFactory, comune=factory.SelfAttribute("..campagna.piano.comune"), ruolo=T.SEGRETERIA
    )
    quando = factory.LazyFunction(timezone.now)


class AvvisoFactory(Fabbrica):
    """The opening e-mail of a round to a settore of its comune (sent by the cron)."""

    class Meta:
        model = Avviso

    campagna = factory.SubFactory(CampagnaFactory, aperta=True)
    tipo = Avviso.Tipo.APERTURA
    settore = factory.SubFactory(
        SettoreFactory, comune=factory.SelfAttribute("..campagna.piano.comune")
    )
    destinatari = "responsabile@example.org"
    mancanti = 2
    quando = factory.LazyFunction(timezone.now)

    class Params:
        scadenza = factory.Trait(tipo=Avviso.Tipo.SCADENZA)
        sollecito = factory.Trait(tipo=Avviso.Tipo.SOLLECITO)


# ---------------------------------------------------------------- valutazione


def _punteggio_calcolato(obiettivo) -> Decimal | None:
    """What the engine gives the scheda now (as ``review.valida`` records it)."""
    (scheda,) = carica_figli(Obiettivo.objects.select_related("piano").filter(pk=obiettivo.pk))
    esito, _ = punteggio_obiettivo(scheda, Sistema.del_piano(scheda.piano), spiega=False)
    return esito.punteggio


def _testo_validazione(validazione) -> str:
    """The first line of the comment ``review.valida`` writes."""
    testo = f"Rendicontazione validata: {percentuale(validazione.punteggio) or 'incompleto'}"
    if validazione.punteggio != validazione.punteggio_calcolato:
        testo += f" (calcolato {percentuale(validazione.punteggio_calcolato) or 'incompleto'})"
    return testo


class CommentoFactory(Fabbrica):
    """A comment in the OIV's thread; ``integrazione`` / ``validazione`` for the others."""

    class Meta:
        model = Commento

    obiettivo = factory.SubFactory(ObiettivoFactory, rendicontato=True)
    autore = factory.SubFactory(UserFactory)
    tipo = Commento.Tipo.COMMENTO
    testo = "Serve il verbale del tavolo tecnico."
    quando = factory.LazyFunction(timezone.now)

    class Params:
        integrazione = factory.Trait(tipo=Commento.Tipo.INTEGRAZIONE)
        validazione = factory.Trait(tipo=Commento.Tipo.VALIDAZIONE)


class ValidazioneFactory(Fabbrica):
    """The active validation of a validated scheda by an OIV of its comune, at the score
    the engine computes, with the OIV's comment (as ``review.valida`` leaves them).

    ``con_rettifica``: the OIV set the obiettivo at 95,00% instead, with the motivazione.
    Used alone it builds a validated scheda with its final values."""

    class Meta:
        model = Validazione

    obiettivo = factory.SubFactory(ObiettivoFactory, rendicontato=True, stato=S.VALIDATO)
    utente = factory.SubFactory(
        UserFactory, comune=factory.SelfAttribute("..obiettivo.piano.comune"), ruolo=T.OIV
    )
    quando = factory.LazyFunction(timezone.now)
    punteggio_calcolato = factory.LazyAttribute(lambda o: _punteggio_calcolato(o.obiettivo))
    punteggio = factory.SelfAttribute("punteggio_calcolato")
    attiva = True

    class Params:
        con_rettifica = factory.Trait(
            punteggio=D("95.00"),
            rettifica=factory.RelatedFactory(
                "tests.factories.PunteggioValidatoFactory",
                "validazione",
                obiettivo=factory.SelfAttribute("..obiettivo"),
                punteggio=D("95.00"),
                punteggio_calcolato=factory.SelfAttribute("..punteggio_calcolato"),
            ),
        )

    commento = factory.RelatedFactory(
        CommentoFactory,
        factory_related_name="",
        obiettivo=factory.SelfAttribute("..obiettivo"),
        autore=factory.SelfAttribute("..utente"),
        quando=factory.SelfAttribute("..quando"),
        validazione=True,
        testo=factory.LazyAttribute(lambda o: _testo_validazione(o.factory_parent)),
    )


class PunteggioValidatoFactory(Fabbrica):
    """A score the OIV set instead of the computed one (the obiettivo's, by default;
    ``per_indicatore`` for its first indicatore). Used alone it does not change the
    validazione's own ``punteggio``: the ``con_rettifica`` traits do."""

    class Meta:
        model = PunteggioValidato

    validazione = factory.SubFactory(ValidazioneFactory)
    obiettivo = factory.SelfAttribute("validazione.obiettivo")
    indicatore = None
    punteggio_calcolato = factory.SelfAttribute("validazione.punteggio_calcolato")
    punteggio = D("95.00")
    motivazione = "Il ritardo non dipende dal settore: lo dimostra il verbale allegato."

    class Params:
        per_indicatore = factory.Trait(
            indicatore=factory.LazyAttribute(
                lambda o: o.obiettivo.indicatori.order_by("numero").first()
            ),
            punteggio_calcolato=None,
        )


class AllegatoFactory(Fabbrica):
    """A real PDF in the private archive (``settings.ALLEGATI_ROOT``: point it at a
    temporary folder, e.g. with the ``archivio`` fixture), on a scheda in monitoraggio.

    ``nome`` and ``contenuto`` set the file; type and size follow them as the upload
    form records them. ``su_indicatore`` / ``su_fase``: about one row of the scheda."""

    class Meta:
        model = Allegato

    class Params:
        nome = "verbale.pdf"
        contenuto = PDF
        su_indicatore = factory.Trait(
            indicatore=factory.SubFactory(
                IndicatoreFactory, obiettivo=factory.SelfAttribute("..obiettivo")
            )
        )
        su_fase = factory.Trait(
            fase=factory.SubFactory(FaseFactory, obiettivo=factory.SelfAttribute("..obiettivo"))
        )

    obiettivo = factory.SubFactory(ObiettivoFactory, in_monitoraggio=True)
    tipo = Allegato.Tipo.VERBALE
    descrizione = "Verbale"
    file = factory.LazyAttribute(lambda o: ContentFile(o.contenuto, name=o.nome))
    nome_file = factory.SelfAttribute("nome")
    content_type = factory.LazyAttribute(lambda o: content_type(o.nome))
    dimensione = factory.LazyAttribute(lambda o: len(o.contenuto))
    caricato_da = factory.SubFactory(UserFactory)
    caricato_il = factory.LazyFunction(timezone.now)


# ---------------------------------------------------------------- reporting

_PROGRESSIVO = itertools.count(1)


def _scrivi_pdf(stampa, create, extracted, **kwargs):
    """The book on disk under ``settings.STAMPE_ROOT``, written as the task writes it."""
    if create:
        from reporting.tasks import scrivi_file

        stampa.file = scrivi_file(stampa, lambda handle: handle.write(PDF))
        stampa.save(update_fields=["file"])


class StampaFactory(Fabbrica):
    """A whole-piano book for 2019 requested by the segreteria: ``in_coda`` (the
    default), ``in_corso`` (12 of 80 schede), ``pronta`` (its PDF written under
    ``settings.STAMPE_ROOT``: point it at a temporary folder), ``fallita`` (errore)."""

    class Meta:
        model = Stampa

    piano = factory.SubFactory(PianoFactory)
    anno = 2019
    richiesta_da = factory.SubFactory(
        UserFactory, comune=factory.SelfAttribute("..piano.comune"), ruolo=T.SEGRETERIA
    )
    stato = Stampa.Stato.IN_CODA
    task_id = factory.LazyFunction(lambda: f"task-{next(_PROGRESSIVO)}")

    class Params:
        in_coda = factory.Trait(stato=Stampa.Stato.IN_CODA)
        in_corso = factory.Trait(stato=Stampa.Stato.IN_CORSO, fatti=12, totale=80)
        pronta = factory.Trait(
            stato=Stampa.Stato.PRONTA,
            fatti=3,
            totale=3,
            completata_il=factory.LazyFunction(timezone.now),
            pdf=factory.PostGeneration(_scrivi_pdf),
        )
        fallita = factory.Trait(
            stato=Stampa.Stato.ERRORE,
            errore="La stampa non è riuscita: errore interno, registrato nel log del server.",
            completata_il=factory.LazyFunction(timezone.now),
        )


def _dati_modello(versione) -> dict:
    """A copy's data: its base's built-in model under the copy's name."""
    import copy

    from reporting.modelli.predefiniti import PREDEFINITI

    dati = copy.deepcopy(PREDEFINITI[versione.modello.base])
    dati["nome"] = versione.modello.nome
    return dati


class ModelloStampaFactory(Fabbrica):
    """A segreteria's copy of a built-in print model (Chiavari's by default), with its
    first version: ``base="soresina"`` for another."""

    class Meta:
        model = ModelloStampa

    comune = factory.SubFactory(ComuneFactory)
    nome = factory.Sequence(lambda n: f"Modello del comune {n}")
    base = "chiavari"
    prima_versione = factory.RelatedFactory(
        "tests.factories.VersioneModelloFactory", factory_related_name="modello"
    )


class VersioneModelloFactory(Fabbrica):
    class Meta:
        model = VersioneModello

    modello = factory.SubFactory(ModelloStampaFactory, prima_versione=None)
    numero = factory.LazyAttribute(lambda v: v.modello.versioni.count() + 1)
    dati = factory.LazyAttribute(_dati_modello)


class SceltaModelloFactory(Fabbrica):
    """The piano prints its plan with a built-in model (``predefinito``) or, with
    ``modello=…``, with a copy."""

    class Meta:
        model = SceltaModello

    piano = factory.SubFactory(PianoFactory)
    uso = SceltaModello.Uso.PIANO
    predefinito = "soresina"


# ---------------------------------------------------------------- individuale: the SMVP


class SmvpFactory(Fabbrica):
    """A comune's SMVP for 2019, empty: categories and fasce by their factories, or the
    ``con_fasce`` trait for the issue's four (≥ 90 → 100%, 70 → 80%, 50 → 50%, 0 → 0%)."""

    class Meta:
        model = "individuale.Smvp"

    comune = factory.SubFactory(ComuneFactory)
    anno = 2019

    class Params:
        con_fasce = factory.Trait(
            fascia_90=factory.RelatedFactory(
                "tests.factories.FasciaFactory", "smvp", da=D(90), percentuale=D(100)
            ),
            fascia_70=factory.RelatedFactory(
                "tests.factories.FasciaFactory", "smvp", da=D(70), percentuale=D(80)
            ),
            fascia_50=factory.RelatedFactory(
                "tests.factories.FasciaFactory", "smvp", da=D(50), percentuale=D(50)
            ),
            fascia_0=factory.RelatedFactory(
                "tests.factories.FasciaFactory", "smvp", da=D(0), percentuale=D(0)
            ),
        )


class CategoriaFactory(Fabbrica):
    """The EQ of the issue: 60% organizzativa dell'ente, 40% comportamenti on a 1-5
    scale, the Nucleo proposes and the sindaco decides. ``dipendenti`` for the staff
    evaluated by their responsabile (settore 30, obiettivi 20, comportamenti 50, art. 81)."""

    class Meta:
        model = "individuale.Categoria"

    smvp = factory.SubFactory(SmvpFactory)
    nome = factory.Sequence(lambda n: f"Elevate qualificazioni {n}")
    tipo = "eq"
    valutatore = "nucleo_sindaco"
    peso_ente = D(60)
    peso_comportamenti = D(40)
    ordine = factory.Sequence(lambda n: n)

    class Params:
        dipendenti = factory.Trait(
            nome=factory.Sequence(lambda n: f"Personale dipendente {n}"),
            tipo="dipendente",
            valutatore="responsabile",
            peso_ente=D(0),
            peso_settore=D(30),
            peso_obiettivi=D(20),
            peso_comportamenti=D(50),
            differenziazione_premio=True,
        )


class ComportamentoFactory(Fabbrica):
    """A behaviour of the category's catalogue; peso 0 (all 0: equal weights)."""

    class Meta:
        model = "individuale.Comportamento"

    categoria = factory.SubFactory(CategoriaFactory)
    nome = factory.Sequence(lambda n: f"Comportamento {n}")
    descrizione = "Capacità di organizzare il lavoro proprio e dei collaboratori."
    ordine = factory.Sequence(lambda n: n)


class FasciaFactory(Fabbrica):
    class Meta:
        model = "individuale.Fascia"

    smvp = factory.SubFactory(SmvpFactory)
    da = D(90)
    percentuale = D(100)


# ---------------------------------------------------------------- schede individuali
# (the "schede" part of issue 16; SmvpFactory, CategoriaFactory, ComportamentoFactory
# come from the SMVP part: referenced by name, resolved when used)


class SchedaIndividualeFactory(Fabbrica):
    """The scheda individuale 2019 of a new persona of the SMVP's comune, in BOZZA.

    States (fields as ``individuale.servizio`` leaves them): ``consegnata`` (colloquio
    held, delivered), ``vista`` (consegnata and acknowledged from the person's login
    today), ``contestata``, ``definitiva``. The votes and the conciliazione are separate
    factories (VotoComportamentoFactory, ContestazioneFactory)."""

    class Meta:
        model = "individuale.SchedaIndividuale"

    smvp = factory.SubFactory("tests.factories.SmvpFactory")
    categoria = factory.SubFactory(
        "tests.factories.CategoriaFactory", smvp=factory.SelfAttribute("..smvp")
    )
    persona = factory.SubFactory(PersonaFactory, comune=factory.SelfAttribute("..smvp.comune"))
    settore = factory.SubFactory(SettoreFactory, comune=factory.SelfAttribute("..smvp.comune"))
    stato = "bozza"

    class Params:
        consegnata = factory.Trait(
            stato="consegnata",
            colloquio_data=datetime.date(2020, 3, 2),
            colloquio_note="Colloquio svolto nell'ufficio del responsabile.",
            consegnata_il=factory.LazyFunction(timezone.now),
        )
        vista = factory.Trait(
            consegnata=True,
            presa_visione_il=factory.LazyFunction(timezone.now),
            presa_visione_modo="accesso",
        )
        contestata = factory.Trait(vista=True, stato="contestata")
        definitiva = factory.Trait(
            vista=True,
            stato="definitiva",
            definitiva_il=factory.LazyFunction(timezone.now),
        )


class VotoComportamentoFactory(Fabbrica):
    """A vote (4) with its comment on a comportamento of the scheda's categoria."""

    class Meta:
        model = "individuale.VotoComportamento"

    scheda = factory.SubFactory(SchedaIndividualeFactory)
    comportamento = factory.SubFactory(
        "tests.factories.ComportamentoFactory",
        categoria=factory.SelfAttribute("..scheda.categoria"),
    )
    voto = D("4")
    commento = "Collabora con i colleghi e rispetta le scadenze."


class ObiettivoAssegnatoFactory(Fabbrica):
    """An obiettivo 2019 of a piano of the scheda's comune assigned with weight 100."""

    class Meta:
        model = "individuale.ObiettivoAssegnato"

    scheda = factory.SubFactory(SchedaIndividualeFactory)
    obiettivo = factory.SubFactory(
        ObiettivoFactory,
        piano__comune=factory.SelfAttribute("...scheda.smvp.comune"),
    )
    peso = D("100")


class ContestazioneFactory(Fabbrica):
    """The person's request of conciliazione on the whole scheda (``voto=…`` for one
    comportamento); ``con_risposta=True`` for the answered one (respinta)."""

    class Meta:
        model = "individuale.Contestazione"

    scheda = factory.SubFactory(SchedaIndividualeFactory, contestata=True)
    motivi = "Il voto non tiene conto del lavoro svolto durante l'emergenza."
    presentata_il = factory.LazyFunction(timezone.now)
    presentata_da = factory.SubFactory(UserFactory)

    class Params:
        con_risposta = factory.Trait(
            esito="respinta",
            risposta="Il voto resta: le scadenze non sono state rispettate.",
            risposta_da=factory.SubFactory(UserFactory),
            risposta_il=factory.LazyFunction(timezone.now),
        )


# ---------------------------------------------------------------- the Nucleo (valutazione)


class NucleoFactory(Fabbrica):
    """A Nucleo serving ``comuni=[…]`` (none by default); ``collegiale``: three external
    members, the first presidente."""

    class Meta:
        model = "valutazione.Nucleo"

    nome = factory.Sequence(lambda n: f"Nucleo di valutazione {n}")

    @factory.post_generation
    def comuni(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.comuni.set(extracted)

    class Params:
        collegiale = factory.Trait(
            presidente=factory.RelatedFactory(
                "tests.factories.ComponenteFactory",
                "nucleo",
                nome="Ada Esempio",
                presidente=True,
            ),
            secondo=factory.RelatedFactory(
                "tests.factories.ComponenteFactory", "nucleo", nome="Bruno Fittizio"
            ),
            terzo=factory.RelatedFactory(
                "tests.factories.ComponenteFactory", "nucleo", nome="Carla Inventata"
            ),
        )


class ComponenteFactory(Fabbrica):
    """An external member in carica (no dates, no login)."""

    class Meta:
        model = "valutazione.Componente"

    nucleo = factory.SubFactory(NucleoFactory)
    nome = factory.Sequence(lambda n: f"Componente {n}")
    qualifica = "Esperto esterno"
    esterno = True
    presidente = False


class SedutaFactory(Fabbrica):
    """An open seduta (``chiusa=True``: a closed verbale) of a Nucleo that serves the
    comune, on 12 March 2020; ``numero`` a sequence unless given."""

    class Meta:
        model = "valutazione.Seduta"

    comune = factory.SubFactory(ComuneFactory)
    nucleo = factory.SubFactory(NucleoFactory)
    data = datetime.date(2020, 3, 12)
    anno = factory.LazyAttribute(lambda o: o.data.year)
    numero = factory.Sequence(lambda n: n + 1)
    ordine_del_giorno = "1. Validazione dei risultati 2019."
    verbale = "Il nucleo esamina le rendicontazioni e valida i risultati."
    chiusa = False

    @factory.post_generation
    def serve_il_comune(obj, create, extracted, **kwargs):
        if create:
            obj.nucleo.comuni.add(obj.comune)


# ---------------------------------------------------------------- premi (individuale)


class DistribuzioneFactory(Fabbrica):
    """A distribution in force of a fondo unico of € 1.000,00, nothing distributed yet:
    add quote with QuotaFactory (``distribuito`` is the caller's to set,
    as ``individuale.premi.distribuisci`` does)."""

    class Meta:
        model = "individuale.Distribuzione"

    smvp = factory.SubFactory("tests.factories.SmvpFactory")
    categoria = None
    fondo = D("1000.00")
    distribuito = D("0.00")
    eseguita_il = factory.LazyFunction(timezone.now)


class QuotaFactory(Fabbrica):
    """A person's quota (score 95, fascia 100%, € 500,00) of a distribution, on a
    DEFINITIVA scheda of the distribution's SMVP."""

    class Meta:
        model = "individuale.Quota"

    distribuzione = factory.SubFactory(DistribuzioneFactory)
    scheda = factory.SubFactory(
        "tests.factories.SchedaIndividualeFactory",
        smvp=factory.SelfAttribute("..distribuzione.smvp"),
        definitiva=True,
        punteggio_finale=D("95"),
    )
    punteggio = D("95")
    fascia = D("100")
    base = D("500.00")
    importo = D("500.00")
