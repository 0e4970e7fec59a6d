"""``obiettivo_for_user`` looks the scheda up with a query compiled once per shape of the
user's roles (objectives.access._scheda_visibile): for every profile, every state and
settore, and responsabili of none, one and two settori, it finds exactly the schede
``obiettivi_visibili`` lists, with piano and settore attached; any other is a 404."""

import pytest
from django.http import Http404

from objectives.access import obiettivi_visibili, obiettivo_for_user
from objectives.models import Obiettivo
from peg.models import Ruolo

from .factories import ObiettivoFactory, PianoFactory, SettoreFactory
from .utenti import PROFILI, utente

pytestmark = pytest.mark.django_db
STATI = ("bozza", "proposto", "approvato", "in_monitoraggio", "rendicontato", "validato")


def test_la_scheda_trovata_e_quella_che_la_regola_rende_visibile(ente, django_assert_num_queries):
    settore_c = SettoreFactory(comune=ente.comune, codice="C", nome="Settore C")
    schede = [
        ente.scheda(stato, settore=settore)
        for stato in STATI
        for settore in (ente.settore_a, settore_c)
    ]
    schede.append(ObiettivoFactory(piano=PianoFactory(comune=ente.altro_comune), bozza=True))
    utenti = [ente.profilo(p) for p in PROFILI if p not in ("anonimo", "senza_ruolo", "estraneo")]
    utenti.append(utente(ente.comune, Ruolo.Tipo.RESPONSABILE, [ente.settore_a, settore_c]))
    utenti.append(utente(ente.comune, Ruolo.Tipo.RESPONSABILE, []))
    slug = ente.comune.slug
    for user in utenti:
        visibili = set(obiettivi_visibili(user, ente.comune).values_list("pk", flat=True))
        assert visibili, user
        for scheda in schede:
            if scheda.pk in visibili:
                letta = obiettivo_for_user(user, slug, scheda.pk)
                attesa = Obiettivo.objects.select_related("piano", "settore").get(pk=scheda.pk)
                assert (letta.pk, letta.piano.pk, letta.settore.nome) == (
                    attesa.pk,
                    attesa.piano.pk,
                    attesa.settore.nome,
                )
                assert letta.piano.comune == ente.comune
            else:
                with pytest.raises(Http404):
                    obiettivo_for_user(user, slug, scheda.pk)
    # The roles, the comune and the scheda in two queries, the piano and settore joined.
    user = ente.responsabile_a
    with django_assert_num_queries(2):
        letta = obiettivo_for_user(user, slug, schede[0].pk)
        assert letta.settore.codice == "A" and letta.piano.titolo == "PEG 2019-2021"


def test_un_id_non_numerico_o_fuori_misura_e_una_pagina_che_non_esiste(ente, client):
    for chiave in ("12abc", "1.5", None, 2**63, 10**20, -(2**63) - 1):
        with pytest.raises(Http404):
            obiettivo_for_user(ente.segreteria, ente.comune.slug, chiave)
    # Django's <int:...> takes any number of digits: a 404 page, not an error.
    client.force_login(ente.segreteria)
    for url in (f"/{ente.comune.slug}/obiettivi/{10**20}/", f"/{ente.comune.slug}/piani/{10**20}/"):
        assert client.get(url).status_code == 404, url


def test_piano_e_settore_si_cercano_solo_nel_comune(ente):
    from peg.access import piano_for_user, settore_del_comune

    altro = PianoFactory(comune=ente.altro_comune)
    slug = ente.comune.slug
    assert piano_for_user(ente.lettore, slug, ente.piano.pk) == ente.piano
    assert settore_del_comune(ente.comune, ente.settore_b.pk) == ente.settore_b
    for chiave in (altro.pk, 10**9, 2**63, 10**20, -(2**63) - 1, "x", "1.5", None):
        with pytest.raises(Http404):
            piano_for_user(ente.lettore, slug, chiave)
    altro_settore = SettoreFactory(comune=ente.altro_comune)
    with pytest.raises(Http404):
        settore_del_comune(ente.comune, altro_settore.pk)
