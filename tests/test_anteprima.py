"""Live previews and Italian number input: what the responsabile sees while typing."""

import pytest
from django.urls import reverse

from indicators.models import Rilevazione
from peg.forms import normalizza_numero
from peg.models import Ruolo

from .factories import FaseFactory, IndicatoreFactory
from .test_rendicontazione import _post, scheda  # noqa: F401 (fixture)
from .utenti import utente

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("testo", "atteso"),
    [
        ("23.000,00", "23000.00"),
        ("€ 1.500", "1500"),
        ("12,5", "12.5"),
        ("0,6", "0.6"),
        ("0.6", "0.6"),
        ("2.5", "2.5"),
        ("1.234.567", "1234567"),
        ("-3,25", "-3.25"),
        ("0.600", "0.600"),  # a leading 0 is never an Italian thousands group
    ],
)
def test_italian_numbers_are_read_as_written(testo, atteso):
    assert normalizza_numero(testo) == atteso


def _anteprima(obiettivo):
    return reverse("anteprima_rendicontazione", args=[obiettivo.piano.comune.slug, obiettivo.pk])


def test_rendicontazione_preview_scores_what_is_typed_and_saves_nothing(client, scheda):  # noqa: F811
    client.force_login(utente(scheda.piano.comune, Ruolo.Tipo.RESPONSABILE, [scheda.settore]))
    response = client.post(_anteprima(scheda), _post(scheda))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Conseguimento dell'obiettivo: 87,00%" in html  # 80 × 30 + 90 × 70
    assert 'hx-swap-oob="true"' in html
    i2 = scheda.indicatori.get(numero=2)
    assert f'id="esito-ind-{i2.pk}"' in html and "Conseguimento: 90,00%" in html
    assert not Rilevazione.objects.filter(indicatore__obiettivo=scheda).exists()
    scheda.fasi.get().refresh_from_db()
    assert scheda.fasi.get().avanzamento is None

    # A value that is not a number keeps the stored state in the preview.
    data = _post(scheda, **{f"ind-{i2.pk}-finale_valore": "tre"})
    html = client.post(_anteprima(scheda), data).content.decode()
    assert f'id="esito-ind-{i2.pk}"' in html and "non rilevato" in html


@pytest.mark.parametrize("ruolo", [Ruolo.Tipo.OIV, Ruolo.Tipo.LETTORE])
def test_rendicontazione_preview_is_refused_to_who_cannot_enter(client, scheda, ruolo):  # noqa: F811
    client.force_login(utente(scheda.piano.comune, ruolo))
    assert client.post(_anteprima(scheda), _post(scheda)).status_code == 403
    assert client.get(_anteprima(scheda)).status_code == 405


def test_preview_queries_do_not_grow_with_the_scheda(client, scheda, django_assert_max_num_queries):  # noqa: F811
    client.force_login(utente(scheda.piano.comune, Ruolo.Tipo.RESPONSABILE, [scheda.settore]))
    data = _post(scheda)
    for numero in range(3, 30):
        indicatore = IndicatoreFactory(obiettivo=scheda, numero=numero, peso=0)
        fase = FaseFactory(obiettivo=scheda, numero=numero + 1, peso=0)
        data[f"ind-{indicatore.pk}-finale_valore"] = "1"
        data[f"fase-{fase.pk}-avanzamento"] = "50"
    with django_assert_max_num_queries(7):
        assert client.post(_anteprima(scheda), data).status_code == 200
