"""The demo's individual evaluation: Cinisello Balsamo 2019 (already rendicontato) gets
its SMVP (EQ: 60% organizzativa del settore, 40% comportamenti, proposed by the Nucleo
and decided by the sindaco; staff: 30/70, evaluated by the segretario generale, with the
art. 81 maggiorazione), the fasce of the README's walkthrough, a fondo unico of
€ 10.000,00 and six persons — Mario Conti (EQ, responsabile of 08_S) and five clearly
fictitious staff members of his settore — with their comportamenti voted and commented.
Conti's scheda is in compilazione (the walkthrough carries it through the Nucleo, the
sindaco and the conciliazione); the staff's were delivered in April 2020. Users:
``sindaco``, ``segretario`` and ``esempio`` (a staff member with a login, who reads only
her own scheda). Received from ``carica_demo`` (``demo_caricata``); idempotent: an
existing 2019 SMVP is left as it is."""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from objectives.demo_accounts import ruolo_demo, utente_demo
from peg.models import Comune, Persona, Ruolo

from .models import Categoria, Comportamento, Fascia, SchedaIndividuale, Smvp, VotoComportamento

COMUNE = "cinisello-balsamo"
ANNO = 2019
SETTORE = "08_S"
FASCE = ((90, 100), (70, 80), (50, 50), (0, 0))
C = Categoria

CATEGORIE = {
    "eq": {
        "nome": "Elevate qualificazioni",
        "tipo": C.Tipo.EQ,
        "valutatore": C.Valutatore.NUCLEO_SINDACO,
        "peso_settore": 60,
        "peso_comportamenti": 40,
        "scala_massima": 10,
        "ordine": 1,
        "comportamenti": (
            (
                "Gestione e valorizzazione dei collaboratori",
                "Assegna compiti chiari, delega, sviluppa le competenze del gruppo.",
            ),
            (
                "Orientamento al risultato e all'utenza",
                "Porta a termine gli obiettivi nei tempi, ascolta e risponde ai cittadini.",
            ),
            (
                "Programmazione e controllo",
                "Pianifica le attività, ne verifica l'andamento e corregge per tempo.",
            ),
            (
                "Integrazione con gli altri settori",
                "Collabora ai progetti trasversali e condivide le informazioni.",
            ),
        ),
    },
    "dipendenti": {
        "nome": "Personale dipendente",
        "tipo": C.Tipo.DIPENDENTE,
        "valutatore": C.Valutatore.SEGRETARIO,
        "peso_settore": 30,
        "peso_comportamenti": 70,
        "scala_massima": 5,
        "differenziazione_premio": True,
        "ordine": 2,
        "comportamenti": (
            ("Impegno e affidabilità", "Rispetta tempi e impegni presi, è costante."),
            ("Competenza professionale", "Conosce le norme e le procedure del proprio lavoro."),
            ("Orientamento all'utenza", "È disponibile e chiaro con cittadini e colleghi."),
            ("Collaborazione", "Lavora in gruppo e si sostituisce ai colleghi se serve."),
        ),
    },
}

# nome, area, profilo, part-time %, giorni di servizio, votes (one per comportamento)
PERSONALE = (
    ("Anna Esempio", "istruttori", "Istruttore amministrativo", 100, 365, (5, 5, 4, 5)),
    ("Bruno Fittizio", "operatori_esperti", "Collaboratore amministrativo", 50, 365, (5, 4, 4, 5)),
    ("Carla Prova", "istruttori", "Istruttore educativo", 100, 365, (4, 3, 4, 4)),
    ("Dario Campione", "funzionari", "Funzionario assistente sociale", 100, 365, (4, 4, 3, 4)),
    ("Elena Modello", "operatori", "Operatore dei servizi", 100, 181, (2, 3, 3, 2)),
)
VOTI_CONTI = (8, 9, 7, 8)
GIUDIZIO_CONTI = (
    "Il settore ha raggiunto quasi tutti gli obiettivi del 2019 con un organico ridotto; "
    "da migliorare la programmazione dei bandi."
)
COMMENTI = {
    5: "Pienamente adeguato: un riferimento per i colleghi.",
    4: "Adeguato, con margini di crescita limitati.",
    3: "Sufficiente: da rafforzare nel prossimo anno.",
    2: "Non sempre adeguato: concordato un percorso di miglioramento.",
}


def _consegnata(persona, segretario) -> dict:
    """The staff's schede as the segretario delivered them in April 2020, with the
    presa visione (on paper; from her login for Anna Esempio): the term of the
    conciliazione is long past, so once the Nucleo validates the results they are made
    definitive in one act (the README's walkthrough)."""
    consegna = timezone.make_aware(datetime(2020, 4, 15, 10, 0))
    return {
        "stato": SchedaIndividuale.Stato.CONSEGNATA,
        "colloquio_data": date(2020, 4, 15),
        "colloquio_note": "Colloquio di restituzione con il segretario generale.",
        "consegnata_il": consegna,
        "presa_visione_il": timezone.make_aware(datetime(2020, 4, 20, 9, 0)),
        "presa_visione_modo": (
            SchedaIndividuale.PresaVisione.ACCESSO
            if persona.utente_id
            else SchedaIndividuale.PresaVisione.CARTACEA
        ),
        "presa_visione_registrata_da": persona.utente or segretario,
        "note_valutatore": "Valutazione consegnata e discussa nel colloquio.",
    }


def _commento(voto: int, massimo: int) -> str:
    return COMMENTI[max(2, min(5, round(voto * 5 / massimo)))]


@transaction.atomic
def carica_demo_individuale(sender, slugs, **kwargs) -> str | None:
    if COMUNE not in slugs:
        return None
    comune = Comune.objects.filter(slug=COMUNE).first()
    if comune is None or Smvp.objects.filter(comune=comune, anno=ANNO).exists():
        return None
    settore = comune.settori.get(codice=SETTORE)
    conti = comune.persone.get(nome__iexact="Mario Conti")
    if not conti.matricola:  # the payroll's prospetto goes by matricola
        conti.matricola = "DEMO-00"
        conti.save(update_fields=["matricola"])
    smvp = Smvp.objects.create(
        comune=comune,
        anno=ANNO,
        fondi=Smvp.Fondi.UNICO,
        fondo_unico=Decimal("10000.00"),
        quota_beneficiari=Decimal("20"),
    )
    Fascia.objects.bulk_create(
        Fascia(smvp=smvp, da=Decimal(da), percentuale=Decimal(p)) for da, p in FASCE
    )
    categorie = {}
    for chiave, dati in CATEGORIE.items():
        dati = dict(dati)
        comportamenti = dati.pop("comportamenti")
        categoria = Categoria.objects.create(smvp=smvp, **dati)
        Comportamento.objects.bulk_create(
            Comportamento(categoria=categoria, nome=nome, descrizione=descr, ordine=i)
            for i, (nome, descr) in enumerate(comportamenti, 1)
        )
        categorie[chiave] = categoria
    sindaco = utente_demo("sindaco", "Sindaca", "(demo)")
    ruolo_demo(sindaco, comune, Ruolo.Tipo.SINDACO)
    # The segretario evaluates the staff (and reads the piano, as the giunta does).
    segretario = utente_demo("segretario", "Segretario generale", "(demo)")
    ruolo_demo(segretario, comune, Ruolo.Tipo.LETTORE)
    esempio = utente_demo("esempio", "Anna", "Esempio")
    ruolo_demo(esempio, comune, Ruolo.Tipo.DIPENDENTE)
    schede = [(conti, categorie["eq"], None, 100, 365, VOTI_CONTI)]
    for i, (nome, area, profilo, parttime, giorni, voti) in enumerate(PERSONALE, 1):
        persona, _ = Persona.objects.get_or_create(
            comune=comune,
            matricola=f"DEMO-{i:02d}",
            defaults={
                "nome": nome,
                "area": area,
                "profilo": profilo,
                # Anna Esempio has a login: she reads her own scheda.
                "utente": esempio if i == 1 else None,
            },
        )
        settore.addetti.add(persona)
        schede.append((persona, categorie["dipendenti"], segretario, parttime, giorni, voti))
    for persona, categoria, chi, parttime, giorni, voti in schede:
        scheda = SchedaIndividuale.objects.create(
            smvp=smvp,
            categoria=categoria,
            persona=persona,
            settore=settore,
            valutatore=chi,
            percentuale_servizio=Decimal(parttime),
            giorni_servizio=giorni,
            **(_consegnata(persona, segretario) if chi else {"note_valutatore": GIUDIZIO_CONTI}),
        )
        VotoComportamento.objects.bulk_create(
            VotoComportamento(
                scheda=scheda,
                comportamento=c,
                voto=Decimal(v),
                commento=_commento(v, categoria.scala_massima),
            )
            for c, v in zip(categoria.comportamenti.all(), voti, strict=True)
        )
    return (
        f"{comune.nome}: sistema di valutazione {ANNO} con {len(schede)} schede individuali "
        "(utenti sindaco, segretario ed esempio)."
    )
