"""Who sees which scheda individuale (individuale.access): the person only his own, the
evaluator those he evaluates, the Nucleo and the sindaco their chain, the segreteria all,
another comune nothing (404 everywhere, as if it did not exist)."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from individuale import access
from objectives.access import obiettivi_visibili
from peg.models import Ruolo

from .factories import (
    CategoriaFactory,
    PersonaFactory,
    SchedaIndividualeFactory,
    SmvpFactory,
)
from .utenti import crea_ente, utente

pytestmark = pytest.mark.django_db
T = Ruolo.Tipo


@pytest.fixture
def schede(ente):
    """Three schede 2019: «Conti» (EQ, Nucleo → sindaco, with his login), «Bianchi»
    (staff of settore A, evaluated by responsabile_a, with her login), both delivered;
    «Rossi» (staff of settore B, no login) in bozza; plus a sindaco, the ufficio
    personale and the logins of Conti and Bianchi."""
    smvp = SmvpFactory(comune=ente.comune, anno=2019)
    eq = CategoriaFactory(smvp=smvp)
    staff = CategoriaFactory(smvp=smvp, dipendenti=True)
    conti_u = utente(ente.comune, T.DIPENDENTE, username="conti")
    bianchi_u = utente(ente.comune, T.DIPENDENTE, username="bianchi")
    conti = SchedaIndividualeFactory(
        smvp=smvp,
        categoria=eq,
        persona=PersonaFactory(comune=ente.comune, nome="Conti", utente=conti_u),
        settore=ente.settore_a,
        consegnata=True,
    )
    bianchi = SchedaIndividualeFactory(
        smvp=smvp,
        categoria=staff,
        persona=PersonaFactory(comune=ente.comune, nome="Bianchi", utente=bianchi_u),
        settore=ente.settore_a,
        valutatore=ente.responsabile_a,
        consegnata=True,
    )
    rossi = SchedaIndividualeFactory(
        smvp=smvp,
        categoria=staff,
        persona=PersonaFactory(comune=ente.comune, nome="Rossi"),
        settore=ente.settore_b,
        valutatore=ente.responsabile_b,
    )
    return {
        "schede": {"conti": conti, "bianchi": bianchi, "rossi": rossi},
        "utenti": {
            "conti": conti_u,
            "bianchi": bianchi_u,
            "sindaco": utente(ente.comune, T.SINDACO, username="sindaco"),
            "personale": utente(ente.comune, T.PERSONALE, username="personale"),
        },
    }


# Who sees which scheda (the rest: 404).
VEDE = {
    "conti": {"conti"},
    "bianchi": {"bianchi"},
    "responsabile_a": {"bianchi"},
    "responsabile_b": {"rossi"},
    "oiv": {"conti"},
    "sindaco": {"conti"},
    "segreteria": {"conti", "bianchi", "rossi"},
    "superuser": {"conti", "bianchi", "rossi"},
    "lettore": set(),
    "personale": set(),
    "estraneo": set(),
}


def _utente(ente, schede, nome):
    return schede["utenti"].get(nome) or ente.profilo(nome)


@pytest.mark.parametrize("profilo", sorted(VEDE))
def test_chi_vede_quale_scheda(client, ente, schede, profilo):
    user = _utente(ente, schede, profilo)
    client.force_login(user)
    for nome, scheda in schede["schede"].items():
        for rotta in ("scheda_individuale", "pdf_scheda_individuale"):
            url = reverse(rotta, args=[ente.comune.slug, scheda.pk])
            atteso = 200 if nome in VEDE[profilo] else 404
            assert client.get(url).status_code == atteso, (profilo, nome, rotta)
    # The list of the year: 200 to every role of the comune, with only what he sees.
    elenco = client.get(reverse("schede_individuali", args=[ente.comune.slug, 2019]))
    if profilo == "estraneo":
        assert elenco.status_code == 404
        return
    assert elenco.status_code == 200
    pagina = elenco.content.decode()
    visti = {
        nome
        for nome, s in schede["schede"].items()
        if reverse("scheda_individuale", args=[ente.comune.slug, s.pk]) + '"' in pagina
    }
    assert visti == VEDE[profilo]


def test_la_bozza_non_e_ancora_del_valutato(client, ente, schede):
    """Before the consegna the person does not read the evaluator's draft (404), the
    evaluator does."""
    bianchi = schede["schede"]["bianchi"]
    bianchi.stato = "bozza"
    bianchi.save()
    url = reverse("scheda_individuale", args=[ente.comune.slug, bianchi.pk])
    client.force_login(schede["utenti"]["bianchi"])
    assert client.get(url).status_code == 404
    client.force_login(ente.responsabile_a)
    assert client.get(url).status_code == 200


def test_un_altro_comune_404_anche_con_il_suo_slug(client, ente, schede):
    """The estraneo with his own comune's slug and the ente's scheda id: still 404."""
    client.force_login(ente.estraneo)
    scheda = schede["schede"]["conti"]
    url = reverse("scheda_individuale", args=[ente.altro_comune.slug, scheda.pk])
    assert client.get(url).status_code == 404
    assert access.schede_visibili(ente.estraneo, ente.comune).count() == 0


def test_la_persona_non_vede_le_altre_anche_se_valuta(client, ente, schede):
    """Bianchi is also a responsabile of settore B: she sees Rossi's (hers to evaluate)
    and her own, never anyone else's; nobody evaluates himself."""
    bianchi = schede["utenti"]["bianchi"]
    Ruolo.objects.create(utente=bianchi, comune=ente.comune, tipo=T.RESPONSABILE).settori.add(
        ente.settore_b
    )
    visibili = set(
        access.schede_visibili(bianchi, ente.comune).values_list("persona__nome", flat=True)
    )
    assert visibili == {"Bianchi", "Rossi"}
    from individuale.workflow import VALUTATORE, chi_sono

    assert VALUTATORE not in chi_sono(bianchi, schede["schede"]["bianchi"])


def test_ruoli_nuovi_sulle_schede_obiettivo(ente):
    """The sindaco reads the piano like a lettore; dipendente and ufficio personale see
    no scheda obiettivo (objectives.access)."""
    ente.scheda("approvato")
    ente.scheda("bozza")
    sindaco = utente(ente.comune, T.SINDACO)
    assert obiettivi_visibili(sindaco, ente.comune).count() == 1
    for tipo in (T.DIPENDENTE, T.PERSONALE):
        assert obiettivi_visibili(utente(ente.comune, tipo), ente.comune).count() == 0


def test_la_home_del_dipendente(client, ente, schede):
    """A user whose only role is DIPENDENTE lands on a home with his valutazione."""
    client.force_login(schede["utenti"]["conti"])
    pagina = client.get(reverse("home")).content.decode()
    assert "Le mie valutazioni" in pagina
    assert (
        reverse("scheda_individuale", args=[ente.comune.slug, schede["schede"]["conti"].pk])
        in pagina
    )
    assert "Bianchi" not in pagina
    # Rossi's draft waits for responsabile_b's votes; Bianchi's delivered scheda waits for
    # her own presa visione (she has a login: no paper one), nothing for responsabile_a.
    client.force_login(ente.responsabile_b)
    pagina = client.get(reverse("home")).content.decode()
    assert "Valutazioni da fare" in pagina and "Rossi" in pagina
    client.force_login(ente.responsabile_a)
    assert "Valutazioni da fare" not in client.get(reverse("home")).content.decode()


def test_due_comuni_con_lo_stesso_id(client, ente, schede):
    """A scheda id of another comune under this comune's slug: 404."""
    altro = crea_ente("altro", "Altro")
    smvp = SmvpFactory(comune=altro.comune, anno=2019)
    sua = SchedaIndividualeFactory(smvp=smvp, categoria=CategoriaFactory(smvp=smvp, peso_ente=D(0)))
    client.force_login(ente.segreteria)
    assert (
        client.get(reverse("scheda_individuale", args=[ente.comune.slug, sua.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("rotta", ["scheda_individuale", "schede_individuali"])
def test_numeri_oltre_la_colonna_404(client, ente, rotta):
    """Ids and years beyond what the database holds: 404, never a 500."""
    client.force_login(ente.segreteria)
    url = reverse(rotta, args=[ente.comune.slug, 10**20])
    assert client.get(url).status_code == 404


def test_la_home_della_segreteria_non_carica_le_schede_di_tutti(client, ente, schede):
    """Review: the home's block read every scheda the segreteria may see (the whole
    staff of a big comune) to find hers; it reads hers only, and the years in one query."""
    # One scheda of the year, for the year's link: not the three of the staff.
    assert len(access.schede_in_corso(ente.segreteria, ente.comune)) == 1
    client.force_login(ente.segreteria)
    pagina = client.get(reverse("home")).content.decode()
    assert reverse("schede_individuali", args=[ente.comune.slug, 2019]) in pagina
    assert "Rossi" not in pagina
