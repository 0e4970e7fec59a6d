"""The giunta approves the piano with one delibera: the segreteria records it once."""

import pytest
from django.urls import reverse

from objectives.models import CambioStato, Obiettivo
from peg.models import Piano, Ruolo

from .factories import ComuneFactory, ObiettivoFactory, PianoFactory, SettoreFactory
from .utenti import utente

pytestmark = pytest.mark.django_db
S = Obiettivo.Stato


@pytest.fixture
def piano():
    piano = PianoFactory(stato=Piano.Stato.BOZZA)
    for codice, stato in (("A", "proposto"), ("B", "proposto"), ("C", "bozza")):
        ObiettivoFactory(piano=piano, codice=codice, **{stato: True})
    return piano


def _url(piano):
    return reverse("approva_piano", args=[piano.comune.slug, piano.pk])


DELIBERA = {"delibera_numero": "45", "delibera_data": "2019-03-28"}


def test_segreteria_approves_every_proposed_scheda_with_the_delibera(client, piano):
    client.force_login(utente(piano.comune, Ruolo.Tipo.SEGRETERIA))
    assert (
        "Approva il piano"
        in client.get(reverse("piano", args=[piano.comune.slug, piano.pk])).content.decode()
    )
    response = client.post(_url(piano), DELIBERA, follow=True)
    assert "Piano approvato: 2 schede proposte ora approvate." in response.content.decode()
    stati = dict(piano.obiettivi.values_list("codice", "stato"))
    assert stati == {"A": S.APPROVATO, "B": S.APPROVATO, "C": S.BOZZA}
    assert set(
        piano.obiettivi.filter(stato=S.APPROVATO).values_list("delibera_numero", flat=True)
    ) == {"45"}
    assert CambioStato.objects.filter(azione="approva").count() == 2
    piano.refresh_from_db()
    assert (piano.stato, piano.delibera_numero, str(piano.delibera_data)) == (
        Piano.Stato.APPROVATO,
        "45",
        "2019-03-28",
    )


def test_without_delibera_nothing_changes(client, piano):
    client.force_login(utente(piano.comune, Ruolo.Tipo.SEGRETERIA))
    response = client.post(_url(piano), {"delibera_numero": "45"}, follow=True)
    assert "servono numero e data della delibera" in response.content.decode()
    assert piano.obiettivi.filter(stato=S.PROPOSTO).count() == 2
    piano.refresh_from_db()
    assert piano.stato == Piano.Stato.BOZZA


@pytest.mark.parametrize("tipo", [Ruolo.Tipo.RESPONSABILE, Ruolo.Tipo.OIV, Ruolo.Tipo.LETTORE])
def test_others_may_not_approve(client, piano, tipo):
    client.force_login(utente(piano.comune, tipo))
    assert client.post(_url(piano), DELIBERA).status_code == 403
    assert (
        "Approva il piano"
        not in client.get(reverse("piano", args=[piano.comune.slug, piano.pk])).content.decode()
    )
    assert piano.obiettivi.filter(stato=S.PROPOSTO).count() == 2


def test_another_comune_segreteria_gets_404(client, piano):
    client.force_login(utente(ComuneFactory(), Ruolo.Tipo.SEGRETERIA))
    assert client.post(_url(piano), DELIBERA).status_code == 404
    # require_POST answers before the comune is looked up, the same for every piano id.
    assert client.get(_url(piano)).status_code == 405
    assert piano.obiettivi.filter(stato=S.PROPOSTO).count() == 2


def test_once_approved_the_piano_shows_its_delibera_and_no_approve_button(client, piano):
    client.force_login(utente(piano.comune, Ruolo.Tipo.SEGRETERIA))
    client.post(_url(piano), DELIBERA)
    pagina = client.get(reverse("piano", args=[piano.comune.slug, piano.pk])).content.decode()
    assert "delibera n. 45 del 28 marzo 2019" in pagina
    assert "Approva il piano" not in pagina
    assert _url(piano) not in pagina


def test_an_approved_piano_is_not_approved_again(client, piano):
    client.force_login(utente(piano.comune, Ruolo.Tipo.SEGRETERIA))
    client.post(_url(piano), DELIBERA)
    ObiettivoFactory(piano=piano, codice="D", proposto=True)
    risposta = client.post(_url(piano), {"delibera_numero": "99", "delibera_data": "2019-06-01"})
    assert risposta.status_code == 403
    assert "Il piano è già approvato con la delibera n. 45 del 28 marzo 2019" in (
        risposta.content.decode()
    )
    assert piano.obiettivi.get(codice="D").stato == S.PROPOSTO
    piano.refresh_from_db()
    assert piano.delibera_numero == "45"


@pytest.mark.parametrize("stato", [Piano.Stato.RENDICONTATO, Piano.Stato.VALIDATO])
def test_no_new_scheda_in_a_piano_rendicontato_or_validato(client, stato):
    piano = PianoFactory(stato=stato)
    SettoreFactory(comune=piano.comune)
    client.force_login(utente(piano.comune, Ruolo.Tipo.SEGRETERIA))
    url = reverse("nuovo_obiettivo", args=[piano.comune.slug, piano.pk])
    pagina = client.get(reverse("piano", args=[piano.comune.slug, piano.pk])).content.decode()
    assert url not in pagina
    for risposta in (client.get(url), client.post(url, {})):
        assert risposta.status_code == 403
        assert (
            f"Il piano «{piano.titolo}» è «{piano.get_stato_display()}»: "
            "non si possono creare nuove schede." in risposta.content.decode()
        )
    assert not piano.obiettivi.exists()
