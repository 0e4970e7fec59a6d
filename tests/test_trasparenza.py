"""Amministrazione trasparente › Performance: publishing and withdrawing (segreteria),
the rules on what may go public, the public pages, robots.txt, the login page's link,
the footer's accessibility links and the demo's publications."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from objectives.models import Obiettivo
from peg.models import Piano
from trasparenza import pubblicazioni
from trasparenza.models import Pubblicazione

from .factories import ObiettivoFactory, PianoFactory

pytestmark = pytest.mark.django_db
T = Pubblicazione.Tipo


def _pubblica(ente, tipo=T.PIANO, anno=2019, **campi):
    return pubblicazioni.pubblica(ente.piano, anno, tipo, utente=ente.segreteria, **campi)


def test_il_piano_si_pubblica_solo_con_schede_approvate(ente):
    ente.scheda("bozza")
    with pytest.raises(ValidationError, match="Nessuna scheda del 2019 è approvata"):
        _pubblica(ente)
    with pytest.raises(ValidationError, match="non ha schede per il 2020"):
        _pubblica(ente, anno=2020)
    with pytest.raises(ValidationError, match="non comprende l'anno 2025"):
        _pubblica(ente, anno=2025)
    ente.scheda("approvato")
    p = _pubblica(ente, delibera_numero="12", delibera_data=datetime.date(2019, 2, 1))
    assert p.in_vigore and p.pubblicata_da == ente.segreteria
    with pytest.raises(ValidationError, match="già una pubblicazione in vigore"):
        _pubblica(ente)


def test_la_relazione_solo_quando_tutte_le_schede_sono_validate(ente, client):
    ente.scheda("validato")
    rendicontata = ente.scheda("rendicontato")
    assert "ne mancano 1 su 2" in pubblicazioni.motivo_non_pubblicabile(
        ente.piano, 2019, T.RELAZIONE
    )
    client.force_login(ente.segreteria)
    url = reverse("trasparenza_pubblica", args=["borgo", ente.piano.pk, 2019, T.RELAZIONE])
    pagina = client.get(url)
    assert pagina.status_code == 200
    testo = pagina.content.decode()
    assert "ne mancano 1 su 2" in testo and "disabled" in testo
    rifiuto = client.post(url, {"data_pubblicazione": "2020-06-30"})
    assert rifiuto.status_code == 403 and "ne mancano 1 su 2" in rifiuto.content.decode()
    assert not Pubblicazione.objects.exists()
    Obiettivo.objects.filter(pk=rendicontata.pk).update(stato=Obiettivo.Stato.VALIDATO)
    risposta = client.post(
        url,
        {
            "data_pubblicazione": "30/06/2020",
            "delibera_numero": "77",
            "delibera_data": "15/06/2020",
        },
    )
    assert risposta.status_code == 302
    p = Pubblicazione.objects.get()
    assert (p.tipo, p.anno, p.delibera_numero) == (T.RELAZIONE, 2019, "77")
    assert p.data_pubblicazione == datetime.date(2020, 6, 30)
    assert p.fine_obbligo == datetime.date(2025, 12, 31)


def test_i_premi_senza_distribuzione_non_si_pubblicano_e_la_pagina_dice_perche(ente, client):
    """With a distribution in force they do: tests/test_premi_art20.py."""
    ente.scheda("approvato")
    _pubblica(ente)
    for tipo in (T.PREMI_AMMONTARE, T.PREMI_DATI):
        with pytest.raises(ValidationError, match="Nessuna distribuzione dei premi del 2019"):
            _pubblica(ente, tipo=tipo)
    pagina = client.get(reverse("trasparenza_premi_dati", args=["borgo", 2019]))
    assert "si pubblicano dopo la distribuzione dei premi" in pagina.content.decode()


def test_pubblica_data_malformata_400_senza_salvare(ente, client):
    ente.scheda("approvato")
    client.force_login(ente.segreteria)
    url = reverse("trasparenza_pubblica", args=["borgo", ente.piano.pk, 2019, T.PIANO])
    risposta = client.post(url, {"data_pubblicazione": "trentuno febbraio"})
    assert risposta.status_code == 400
    assert "Scrivi la data come 30/09/2019." in risposta.content.decode()
    assert not Pubblicazione.objects.exists()
    sconosciuto = reverse("trasparenza_pubblica", args=["borgo", ente.piano.pk, 2019, "xyz"])
    assert client.post(sconosciuto).status_code == 404


def test_conferma_dice_cosa_diventa_pubblico(ente, client):
    ente.scheda("approvato")
    client.force_login(ente.segreteria)
    url = reverse("trasparenza_pubblica", args=["borgo", ente.piano.pk, 2019, T.PIANO])
    testo = client.get(url).content.decode()
    assert 'data-conferma="Diventano pubblici gli obiettivi delle schede approvate' in testo


def test_ritiro_con_motivo_e_storico(ente, client):
    ente.scheda("approvato")
    p = _pubblica(ente)
    client.force_login(ente.segreteria)
    url = reverse("trasparenza_ritira", args=["borgo", p.pk])
    vuoto = client.post(url, {"motivo": "   "})
    assert vuoto.status_code == 400 and "Indica il motivo del ritiro" in vuoto.content.decode()
    assert Pubblicazione.objects.get().in_vigore
    assert client.post(url, {"motivo": "Delibera annullata"}).status_code == 302
    p.refresh_from_db()
    assert (p.ritirata_il is not None, p.motivo_ritiro, p.ritirata_da) == (
        True,
        "Delibera annullata",
        ente.segreteria,
    )
    storia = list(p.history.order_by("history_id"))
    assert [s.history_type for s in storia] == ["+", "~"]
    assert storia[-1].history_user == ente.segreteria
    assert client.post(url, {"motivo": "ancora"}).status_code == 403
    # Nothing in force: the comune's public section is gone (404), the row stays.
    anonimo = client.__class__()
    assert anonimo.get(reverse("trasparenza_indice", args=["borgo"])).status_code == 404
    gestione = client.get(reverse("trasparenza_gestione", args=["borgo"])).content.decode()
    assert "Delibera annullata" in gestione
    # Published again after the withdrawal: a new row, the old one kept.
    _pubblica(ente)
    assert Pubblicazione.objects.count() == 2


def test_ritiro_senza_motivo_rifiutato_dal_servizio(ente):
    ente.scheda("approvato")
    p = _pubblica(ente)
    with pytest.raises(ValidationError, match="motivo"):
        pubblicazioni.ritira(p, utente=ente.segreteria, motivo="")


@pytest.mark.parametrize(
    ("profilo", "codice"),
    [("segreteria", 200), ("responsabile_a", 403), ("oiv", 403), ("estraneo", 404)],
)
def test_gestione_solo_della_segreteria(ente, client, profilo, codice):
    client.force_login(ente.profilo(profilo))
    assert client.get(reverse("trasparenza_gestione", args=["borgo"])).status_code == codice


def test_gestione_anonimo_al_login(ente, client):
    risposta = client.get(reverse("trasparenza_gestione", args=["borgo"]))
    assert risposta.status_code == 302 and "/accesso/" in risposta["Location"]


def test_gestione_mostra_pulsante_disabilitato_con_il_motivo(ente, client):
    ente.scheda("approvato")
    client.force_login(ente.segreteria)
    testo = client.get(reverse("trasparenza_gestione", args=["borgo"])).content.decode()
    assert "La relazione si pubblica quando l&#x27;OIV ha validato tutte le schede" in testo
    assert "disabled" in testo
    piano = reverse("trasparenza_pubblica", args=["borgo", ente.piano.pk, 2019, T.PIANO])
    assert piano in testo


# ---------------------------------------------------------------- public pages


def test_pagine_pubbliche_indicizzabili_e_senza_accesso(ente, client):
    ente.scheda("approvato", "con_indicatori", denominazione="Obiettivo pubblico")
    _pubblica(ente, delibera_numero="12", delibera_data=datetime.date(2019, 2, 1))
    _pubblica(ente, tipo=T.SISTEMA)
    indice = client.get(reverse("trasparenza_indice", args=["borgo"]))
    assert indice.status_code == 200
    testo = indice.content.decode()
    assert '<meta name="robots" content="index, follow">' in testo
    assert "noindex" not in testo
    piano = client.get(reverse("trasparenza_piano", args=["borgo", 2019])).content.decode()
    assert "Obiettivo pubblico" in piano and "Pratiche istruite entro l&#x27;anno" in piano
    assert "n. 12 del 1 febbraio 2019" in piano and "31 dicembre" in piano
    assert "60,00%" in piano  # the indicatore's weight, the Italian way
    sistema = client.get(reverse("trasparenza_sistema", args=["borgo", 2019])).content.decode()
    assert "Un obiettivo si considera raggiunto dal 100,00% in su." in sistema
    relazione = client.get(reverse("trasparenza_relazione", args=["borgo", 2019]))
    assert "non è ancora disponibile" in relazione.content.decode()
    assert client.get(reverse("trasparenza_piano", args=["borgo", 2020])).status_code == 404
    # The staff's pages stay out of search engines.
    client.force_login(ente.segreteria)
    assert 'content="noindex, nofollow"' in client.get(reverse("home")).content.decode()


def test_sistema_in_parole_segue_le_regole_del_piano(ente, client):
    Piano.objects.filter(pk=ente.piano.pk).update(
        base_obiettivo=Piano.BaseObiettivo.ENTRAMBI,
        quota_indicatori=70,
        valori_mancanti=Piano.ValoriMancanti.ZERO,
        soglia_raggiunto=90,
    )
    ente.scheda("approvato")
    _pubblica(ente, tipo=T.SISTEMA)
    testo = client.get(reverse("trasparenza_sistema", args=["borgo", 2019])).content.decode()
    assert "gli indicatori contano per il 70,00%, le fasi per il 30,00%" in testo
    assert "quell&#x27;indicatore vale zero" in testo
    assert "raggiunto dal 90,00% in su" in testo


def test_comune_senza_pubblicazioni_404(ente, client):
    ente.scheda("approvato")
    for url in (
        reverse("trasparenza_indice", args=["borgo"]),
        reverse("trasparenza_logo", args=["borgo"]),
        reverse("trasparenza_catalogo", args=["borgo"]),
        reverse("trasparenza_indice", args=["inesistente"]),
    ):
        assert client.get(url).status_code == 404, url


def test_robots_txt(client):
    risposta = client.get("/robots.txt")
    assert risposta.status_code == 200
    assert risposta.content.decode().splitlines() == [
        "User-agent: *",
        "Allow: /trasparenza/",
        "Disallow: /",
    ]


def test_pagina_di_accesso_elenca_i_comuni_pubblicati(ente, client):
    assert "Amministrazione trasparente" not in client.get(reverse("login")).content.decode()
    ente.scheda("approvato")
    _pubblica(ente)
    testo = client.get(reverse("login")).content.decode()
    assert "Amministrazione trasparente" in testo
    assert reverse("trasparenza_indice", args=["borgo"]) in testo
    assert "borgo-altrove" not in testo


def test_piede_con_dichiarazione_e_indirizzo_di_accessibilita(ente, client):
    ente.scheda("approvato")
    _pubblica(ente)
    comune = ente.comune
    comune.dichiarazione_accessibilita = "https://form.agid.gov.it/view/dichiarazione-borgo"
    comune.email_accessibilita = "accessibilita@borgo.example.org"
    comune.save()
    for testo in (
        client.get(reverse("trasparenza_indice", args=["borgo"])).content.decode(),
        _da_loggato(client, ente, reverse("comune", args=["borgo"])),
    ):
        assert 'href="https://form.agid.gov.it/view/dichiarazione-borgo"' in testo
        assert 'href="mailto:accessibilita@borgo.example.org"' in testo


def _da_loggato(client, ente, url):
    client.force_login(ente.segreteria)
    testo = client.get(url).content.decode()
    client.logout()
    return testo


def test_logo_pubblico_solo_per_comuni_pubblicati(ente, client, archivio):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    ente.comune.logo.save("stemma.png", ContentFile(buffer.getvalue()))
    url = reverse("trasparenza_logo", args=["borgo"])
    assert client.get(url).status_code == 404
    ente.scheda("approvato")
    _pubblica(ente)
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("trasparenza_indice", args=["borgo"])).content.decode()


def test_un_solo_documento_per_anno_anche_tra_due_piani(ente):
    ente.scheda("approvato")
    _pubblica(ente)
    altro = PianoFactory(comune=ente.comune, anno_inizio=2019, anno_fine=2019, approvato=True)
    ObiettivoFactory(piano=altro, settore=ente.settore_a, stato=Obiettivo.Stato.APPROVATO)
    with pytest.raises(ValidationError, match="già una pubblicazione in vigore"):
        pubblicazioni.pubblica(altro, 2019, T.PIANO, utente=ente.segreteria)


def test_post_sulle_pagine_pubbliche_405(ente, client):
    ente.scheda("approvato")
    _pubblica(ente)
    assert client.post(reverse("trasparenza_indice", args=["borgo"])).status_code == 405


# ---------------------------------------------------------------- demo


def test_demo_pubblica_seregno_e_cinisello_2019_senza_relazione(demo, client):
    demo("seregno", "cinisello-balsamo", "chiavari")
    in_vigore = set(
        Pubblicazione.objects.filter(ritirata_il__isnull=True).values_list(
            "comune__slug", "anno", "tipo"
        )
    )
    assert in_vigore == {
        ("seregno", 2019, T.PIANO),
        ("seregno", 2019, T.SISTEMA),
        ("cinisello-balsamo", 2019, T.PIANO),
        ("cinisello-balsamo", 2019, T.SISTEMA),
    }
    for slug in ("seregno", "cinisello-balsamo"):
        assert client.get(reverse("trasparenza_piano", args=[slug, 2019])).status_code == 200
        relazione = client.get(reverse("trasparenza_relazione", args=[slug, 2019]))
        assert "non è ancora disponibile" in relazione.content.decode()
    assert client.get(reverse("trasparenza_indice", args=["chiavari"])).status_code == 404


def test_pagina_del_piano_con_query_fisse(ente, client, django_assert_num_queries):
    """The public piano page reads in a fixed number of queries, whatever the schede."""
    ente.scheda("approvato", "con_indicatori")
    _pubblica(ente)
    url = reverse("trasparenza_piano", args=["borgo", 2019])
    client.get(url)  # warm up (content types, templates)
    with CaptureQueriesContext(connection) as poche:
        assert client.get(url).status_code == 200
    for _ in range(5):
        ente.scheda("approvato", "con_indicatori", settore=ente.settore_b)
    with django_assert_num_queries(len(poche)):
        assert client.get(url).status_code == 200


def test_il_piano_pubblicato_mostra_i_settori_come_all_approvazione(ente, client):
    ente.scheda("approvato")
    _pubblica(ente)
    ente.settore_a.nome = "Settore riorganizzato"
    ente.settore_a.save()
    testo = client.get(reverse("trasparenza_piano", args=["borgo", 2019])).content.decode()
    assert "A Settore A" in testo and "Settore riorganizzato" not in testo


def test_una_delibera_ha_numero_e_data_e_un_documento_in_vigore_non_si_ripubblica(ente, client):
    from trasparenza.forms import PubblicaForm

    form = PubblicaForm({"data_pubblicazione": "30/06/2020", "delibera_numero": "45"})
    assert not form.is_valid()
    assert form.errors["delibera_data"] == ["Con il numero della delibera serve la sua data."]
    ente.scheda("approvato")
    pubblicazioni.pubblica(ente.piano, 2019, T.PIANO, utente=ente.segreteria)
    motivo = pubblicazioni.motivo_non_pubblicabile(ente.piano, 2019, T.PIANO)
    assert "c'è già una pubblicazione in vigore" in motivo


def test_la_gestione_legge_in_query_fisse_qualunque_sia_la_durata_del_piano(ente, client):
    """The segreteria's page asks per piano, never per year and kind of document."""
    url = reverse("trasparenza_gestione", args=["borgo"])
    client.force_login(ente.segreteria)
    client.get(url)
    with CaptureQueriesContext(connection) as triennale:
        assert client.get(url).status_code == 200
    Piano.objects.filter(pk=ente.piano.pk).update(anno_fine=2026)
    with CaptureQueriesContext(connection) as otto_anni:
        assert client.get(url).status_code == 200
    assert len(otto_anni) == len(triennale)
