"""The plan-wide pages at any size: the piano's page lists up to PIANO_SCHEDE_IN_PAGINA
schede, a bigger selection groups them in settore sections loaded on demand (htmx),
each page in at most 15 queries and 250 kB whatever the piano's size."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.caricamento import carica_punteggi
from objectives.models import Obiettivo
from peg.models import Piano, Ruolo

from .utenti import utente

pytestmark = pytest.mark.django_db

MASSIMO_QUERY = 15
MASSIMO_HTML = 250_000
SETTORI, OBIETTIVI = 4, 30


@pytest.fixture
def grande(db, settings):
    """A generated piano of 4 settori × 30 obiettivi, above a threshold lowered to 50,
    with a segreteria and an OIV."""
    settings.PIANO_SCHEDE_IN_PAGINA = 50
    call_command(
        "genera_dati",
        *("--comune", "grande", "--settori", str(SETTORI), "--obiettivi", str(OBIETTIVI)),
        *("--indicatori", "3", "--fasi", "2"),
        stdout=io.StringIO(),
    )
    piano = Piano.objects.get(comune__slug="grande")
    return piano, utente(piano.comune, Ruolo.Tipo.SEGRETERIA)


def _settori(piano):
    return list(piano.comune.settori.order_by("codice"))


def _schede(html):
    """The scheda links of a page."""
    return set(re.findall(r'href="/grande/obiettivi/(\d+)/"', html))


def test_a_big_piano_groups_its_settori(client, grande, django_assert_max_num_queries):
    piano, segreteria = grande
    client.force_login(segreteria)
    with django_assert_max_num_queries(MASSIMO_QUERY):
        risposta = client.get(reverse("piano", args=["grande", piano.pk]))
    html = risposta.content.decode()
    assert len(risposta.content) <= MASSIMO_HTML
    # No scheda is listed: each settore is a collapsed section with its count, loaded on
    # demand, and a plain link to its page for a browser without JavaScript.
    assert not _schede(html)
    assert "120 schede: sono raggruppate per settore" in html
    for settore in _settori(piano):
        url = reverse("piano_settore", args=["grande", piano.pk, settore.pk])
        assert f'hx-get="{url}"' in html
        assert f'href="{url}"' in html
    assert html.count('class="accordion-collapse collapse"') == SETTORI


def test_a_settore_section_lists_its_schede_with_their_scores(
    client, grande, django_assert_max_num_queries
):
    piano, segreteria = grande
    client.force_login(segreteria)
    settore = _settori(piano)[1]
    url = reverse("piano_settore", args=["grande", piano.pk, settore.pk])
    with django_assert_max_num_queries(MASSIMO_QUERY):
        frammento = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    schede = Obiettivo.objects.filter(piano=piano, settore=settore)
    assert _schede(frammento) == {str(pk) for pk in schede.values_list("pk", flat=True)}
    assert "<html" not in frammento
    # The score of each scheda is the engine's, with explanations or without.
    punteggi = carica_punteggi(piano, settore=settore, spiega=True)
    for esito in punteggi.obiettivi.values():
        assert esito.testo_pieno in frammento
    # Without htmx the same URL is a page of its own, with the way back to the piano.
    with django_assert_max_num_queries(MASSIMO_QUERY):
        pagina = client.get(url).content.decode()
    assert "<html" in pagina and _schede(pagina) == _schede(frammento)
    assert reverse("piano", args=["grande", piano.pk]) in pagina


def test_filters_stay_in_the_url_and_a_small_selection_is_listed(client, grande, settings):
    piano, segreteria = grande
    client.force_login(segreteria)
    settore = _settori(piano)[2]
    url = reverse("piano", args=["grande", piano.pk])
    html = client.get(url, {"settore": settore.pk}).content.decode()
    # 30 schede of one settore: under the threshold, listed in full.
    attesi = Obiettivo.objects.filter(piano=piano, settore=settore).values_list("pk", flat=True)
    assert _schede(html) == {str(pk) for pk in attesi}
    assert f'<option value="{settore.pk}" selected>' in html
    # The state filter travels with the settore sections.
    settings.PIANO_SCHEDE_IN_PAGINA = 10
    Obiettivo.objects.filter(piano=piano, codice__endswith="1").update(stato="approvato")
    html = client.get(url, {"stato": "approvato"}).content.decode()
    sezione = reverse("piano_settore", args=["grande", piano.pk, settore.pk])
    assert f'hx-get="{sezione}?stato=approvato"' in html
    frammento = client.get(sezione, {"stato": "approvato"}, HTTP_HX_REQUEST="true").content.decode()
    approvati = Obiettivo.objects.filter(piano=piano, settore=settore, stato="approvato")
    assert 0 < approvati.count() < OBIETTIVI
    assert _schede(frammento) == {str(pk) for pk in approvati.values_list("pk", flat=True)}
    # Nonsense is ignored, never an error.
    assert client.get(url, {"settore": "x", "stato": "boh", "anno": "-"}).status_code == 200


def test_a_small_piano_lists_every_scheda(client, grande, settings):
    piano, segreteria = grande
    settings.PIANO_SCHEDE_IN_PAGINA = 200
    client.force_login(segreteria)
    html = client.get(reverse("piano", args=["grande", piano.pk])).content.decode()
    assert len(_schede(html)) == SETTORI * OBIETTIVI
    assert "accordion-collapse" not in html


def test_a_responsabile_sees_in_a_section_only_what_he_sees_on_the_piano(client, ente):
    """Settore A's draft is not shown to the responsabile of B, in the section too."""
    bozza = ente.scheda("bozza")
    url = reverse("piano_settore", args=[ente.comune.slug, ente.piano.pk, ente.settore_a.pk])
    client.force_login(ente.responsabile_b)
    assert str(bozza.pk) not in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    client.force_login(ente.responsabile_a)
    assert f"/obiettivi/{bozza.pk}/" in client.get(url, HTTP_HX_REQUEST="true").content.decode()


@pytest.fixture
def rendicontato(grande):
    piano, _ = grande
    Obiettivo.objects.filter(piano=piano).update(stato=Obiettivo.Stato.RENDICONTATO)
    return piano, utente(piano.comune, Ruolo.Tipo.OIV)


def test_the_oiv_queue_goes_by_pages(client, rendicontato, django_assert_max_num_queries):
    piano, oiv = rendicontato
    client.force_login(oiv)
    url = reverse("coda_valutazione", args=["grande"])
    with django_assert_max_num_queries(MASSIMO_QUERY):
        risposta = client.get(url)
    html = risposta.content.decode()
    assert len(risposta.content) <= MASSIMO_HTML
    # 120 to validate, 50 a page: the first 50, in the queue's order, then the others.
    assert "120 obiettivi" in html and "pagina 1 di 3" in html
    revisioni = re.findall(r'href="/grande/obiettivi/(\d+)/valutazione/"', html)
    assert len(revisioni) == 50
    visti = set(revisioni)
    for pagina in (2, 3):
        html = client.get(url, {"pagina": pagina}).content.decode()
        visti |= set(re.findall(r'href="/grande/obiettivi/(\d+)/valutazione/"', html))
    assert visti == {str(pk) for pk in Obiettivo.objects.values_list("pk", flat=True)}
    # Pages keep the filters; a page out of range is the last one, nonsense the first.
    settore = _settori(piano)[0]
    html = client.get(url, {"settore": settore.pk, "stato": "tutti"}).content.decode()
    assert "30 obiettivi" in html and "pagina 1 di" not in html
    html = client.get(url, {"stato": "tutti"}).content.decode()
    assert 'href="?stato=tutti&amp;pagina=2"' in html
    assert "pagina 3 di 3" in client.get(url, {"pagina": 99}).content.decode()
    assert "pagina 1 di 3" in client.get(url, {"pagina": "x"}).content.decode()
    # By band: every scheda scored, the page shows those of the band.
    from indicators.engine.fasce import FASCE
    from valutazione import coda

    for f in FASCE:
        attese = coda.righe(oiv, piano.comune, coda.Filtri(fascia=f.chiave))
        html = client.get(url, {"fascia": f.chiave}).content.decode()
        assert f"{len(attese)} obiettiv" in html
        mostrate = re.findall(r'href="/grande/obiettivi/(\d+)/valutazione/"', html)
        assert mostrate == [str(o.pk) for o, _, _ in attese[:50]]


def test_a_big_relazione_groups_its_settori(client, rendicontato, django_assert_max_num_queries):
    piano, oiv = rendicontato
    client.force_login(oiv)
    url = reverse("relazione", args=["grande", piano.pk])
    with django_assert_max_num_queries(MASSIMO_QUERY):
        risposta = client.get(url)
    html = risposta.content.decode()
    assert len(risposta.content) <= MASSIMO_HTML
    assert "120 obiettivi: la relazione è raggruppata per settore" in html
    assert not _schede(html)
    anno = piano.anno_inizio
    for settore in _settori(piano):
        sezione = reverse("relazione_settore", args=["grande", piano.pk, settore.pk])
        assert f'hx-get="{sezione}?anno={anno}"' in html
        assert f'href="{sezione}?anno={anno}"' in html
    # A section: its obiettivi with their scores and why some were not reached.
    settore = _settori(piano)[0]
    sezione = reverse("relazione_settore", args=["grande", piano.pk, settore.pk])
    with django_assert_max_num_queries(MASSIMO_QUERY):
        frammento = client.get(sezione, {"anno": anno}, HTTP_HX_REQUEST="true").content.decode()
    schede = Obiettivo.objects.filter(piano=piano, settore=settore)
    assert _schede(frammento) == {str(pk) for pk in schede.values_list("pk", flat=True)}
    assert "<html" not in frammento and "Obiettivi non raggiunti" in frammento
    punteggi = carica_punteggi(piano, settore=settore, spiega=True)
    for esito in punteggi.obiettivi.values():
        assert esito.testo in frammento
    pagina = client.get(sezione, {"anno": anno}).content.decode()
    assert "<html" in pagina and _schede(pagina) == _schede(frammento)
    # The print version is the whole document.
    stampa = client.get(url, {"stampa": "1"}).content.decode()
    assert stampa.count('class="settore-relazione') == SETTORI


@pytest.mark.parametrize("valore", ["²", "١٢", " 3", "1_0"])
def test_a_crafted_number_in_the_query_is_ignored_not_a_500(client, ente, valore):
    """``str.isdigit()`` is true for «²» but ``int("²")`` fails: pages ignore such values."""
    slug, piano = ente.comune.slug, ente.piano.pk
    urls = [
        reverse("piano", args=[slug, piano]),
        reverse("piano_settore", args=[slug, piano, ente.settore_a.pk]),
        reverse("relazione", args=[slug, piano]),
        reverse("relazione_settore", args=[slug, piano, ente.settore_a.pk]),
        reverse("cruscotto", args=[slug, piano]),
        reverse("cruscotto_settore", args=[slug, piano, ente.settore_a.pk]),
        reverse("coda_valutazione", args=[slug]),
        reverse("excel_esporta", args=[slug, piano]),
    ]
    for profilo in ("segreteria", "oiv"):
        client.force_login(ente.profilo(profilo))
        for url in urls:
            for nome in ("anno", "settore", "pagina"):
                risposta = client.get(url, {nome: valore})
                assert risposta.status_code in (200, 403, 404), (profilo, url, nome)


@pytest.mark.parametrize("valore", ["²", "١٢", "1_0"])
def test_a_whole_number_cell_takes_only_ascii_digits(valore):
    """An Excel cell «²» is a clear error on the row, not a ValueError (a 500)."""
    from reporting.excel import ANNO
    from reporting.excel_import.celle import CellaNonValida, leggi_cella

    assert leggi_cella("2019", ANNO) == 2019
    with pytest.raises(CellaNonValida, match="non è un numero intero"):
        leggi_cella(valore, ANNO)
