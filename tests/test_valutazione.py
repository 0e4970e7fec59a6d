"""The OIV's review: validation with different scores through aggregation, requests for
integration, the comment thread, and who may do what."""

import datetime
from decimal import Decimal as D

import pytest
from django.core import mail
from django.urls import reverse

from indicators.caricamento import carica_punteggi
from indicators.models import Rilevazione
from objectives.lettura import leggi_scheda
from objectives.models import CambioStato, Obiettivo
from objectives.modifiche import esegui
from objectives.workflow import TransizioneNonAmmessa
from peg.models import Ruolo
from valutazione import review
from valutazione.models import Commento, PunteggioValidato, Validazione

from .factories import (
    ComuneFactory,
    FaseFactory,
    IndicatoreFactory,
    ObiettivoFactory,
    RilevazioneFactory,
    SettoreFactory,
)
from .utenti import utente

pytestmark = pytest.mark.django_db
S = Obiettivo.Stato
RITARDO = "gg di ritardo +5 =90 % +10gg = 80% +15gg =60%"


def _indicatore(obiettivo, numero, peso, giorni):
    """A deadline indicatore completed ``giorni`` days late (0 → 100%, 3 → 90%, 7 → 80%)."""
    indicatore = IndicatoreFactory(
        obiettivo=obiettivo, numero=numero, peso=D(peso), graduazione=RITARDO
    )
    RilevazioneFactory(
        indicatore=indicatore,
        tipo="finale",
        valore=None,
        data=indicatore.data_attesa + datetime.timedelta(days=giorni),
    )
    return indicatore


@pytest.fixture
def mondo():
    """Two rendicontati obiettivi in one settore (peso 50 each) and one in another settore;
    the OIV, the segreteria, the responsabile and a responsabile of the other settore."""
    a = ObiettivoFactory(stato=S.RENDICONTATO, codice="A", peso=D("50"))
    piano, comune = a.piano, a.piano.comune
    b = ObiettivoFactory(
        piano=piano, settore=a.settore, stato=S.RENDICONTATO, codice="B", peso=D("50")
    )
    altro_settore = SettoreFactory(comune=comune, codice="II")
    c = ObiettivoFactory(
        piano=piano, settore=altro_settore, stato=S.RENDICONTATO, codice="C", peso=D("100")
    )
    a1 = _indicatore(a, 1, "50", 0)  # 100%
    a2 = _indicatore(a, 2, "50", 7)  # 80%  → A = 90%
    _indicatore(b, 1, "100", 3)  # 90%   → B = 90%
    _indicatore(c, 1, "100", 0)  # 100%  → C = 100%
    T = Ruolo.Tipo
    utenti = {
        "oiv": utente(comune, T.OIV, username="v-oiv", email="oiv@example.org"),
        "segreteria": utente(
            comune, T.SEGRETERIA, username="v-segreteria", email="segreteria@example.org"
        ),
        "responsabile": utente(
            comune,
            T.RESPONSABILE,
            [a.settore],
            username="v-responsabile",
            email="responsabile@example.org",
        ),
        "altro": utente(
            comune, T.RESPONSABILE, [altro_settore], username="v-altro", email="altro@example.org"
        ),
    }
    return {"a": a, "b": b, "c": c, "a1": a1, "a2": a2, "piano": piano, "utenti": utenti}


def _punteggi(piano):
    return carica_punteggi(piano, anno=2019)


def test_computed_scores_before_validation(mondo):
    p = _punteggi(mondo["piano"])
    assert p.obiettivi[mondo["a"].pk].punteggio == D("90.00")
    assert p.settori[mondo["a"].settore].punteggio == D("90.00")
    assert p.ente.punteggio == D("95.00")  # (90 + 100) / 2


def test_indicatore_override_counts_through_obiettivo_settore_and_ente(mondo):
    oiv = mondo["utenti"]["oiv"]
    review.valida(
        mondo["a"],
        oiv,
        [review.Rettifica(mondo["a2"].pk, D("100"), "Ritardo dovuto al fornitore, documentato")],
    )
    p = _punteggi(mondo["piano"])
    a = p.obiettivi[mondo["a"].pk]
    assert (a.punteggio, a.punteggio_calcolato, a.validato) == (D("100.00"), D("90.00"), True)
    assert a.testo_pieno == "100,00% validato (calcolato 90,00%)"
    settore = p.settori[mondo["a"].settore]
    assert (settore.punteggio, settore.punteggio_calcolato) == (D("95.00"), D("90.00"))
    assert (p.ente.punteggio, p.ente.punteggio_calcolato) == (D("97.50"), D("95.00"))
    dettaglio = p.dettagli[mondo["a"].pk]["indicatori"][mondo["a2"].pk]
    assert (dettaglio.punteggio, dettaglio.punteggio_calcolato) == (D("100.00"), D("80.00"))
    assert "Ritardo dovuto al fornitore" in dettaglio.passi[-1]
    validazione = Validazione.objects.get(obiettivo=mondo["a"])
    assert (validazione.punteggio_calcolato, validazione.punteggio) == (D("90.00"), D("100.00"))


def test_obiettivo_override_wins_over_the_aggregate(mondo):
    review.valida(
        mondo["a"],
        mondo["utenti"]["oiv"],
        [
            review.Rettifica(mondo["a2"].pk, D("100"), "Documentato"),
            review.Rettifica(None, D("70"), "Risultato parziale rispetto al risultato atteso"),
        ],
    )
    p = _punteggi(mondo["piano"])
    assert p.obiettivi[mondo["a"].pk].punteggio == D("70.00")
    assert p.obiettivi[mondo["a"].pk].punteggio_calcolato == D("90.00")
    assert p.settori[mondo["a"].settore].punteggio == D("80.00")  # (70 + 90) / 2
    # The scheda as read for its page, the PDF and the review has the same figures.
    esito = leggi_scheda(mondo["a"]).esito
    assert (esito.punteggio, esito.testo_calcolato) == (D("70.00"), "90,00%")


def test_validation_as_computed_changes_no_figure_and_locks(mondo):
    review.valida(
        mondo["a"], mondo["utenti"]["oiv"], [review.Rettifica(mondo["a1"].pk, D("100"), "")]
    )
    assert not PunteggioValidato.objects.exists()  # equal to the computed one: no rettifica
    a = Obiettivo.objects.get(pk=mondo["a"].pk)
    assert a.stato == S.VALIDATO
    p = _punteggi(mondo["piano"])
    assert p.obiettivi[a.pk].punteggio == D("90.00") and not p.obiettivi[a.pk].validato
    with pytest.raises(TransizioneNonAmmessa):
        esegui(a, mondo["utenti"]["responsabile"], "rendiconta")


def test_different_score_needs_motivazione_and_range(mondo):
    oiv = mondo["utenti"]["oiv"]
    with pytest.raises(TransizioneNonAmmessa, match="richiede la motivazione"):
        review.valida(mondo["a"], oiv, [review.Rettifica(mondo["a2"].pk, D("95"), " ")])
    with pytest.raises(TransizioneNonAmmessa, match="tra 0 e 100"):
        review.valida(mondo["a"], oiv, [review.Rettifica(None, D("101"), "Troppo")])
    altrui = mondo["c"].indicatori.get().pk  # a real indicatore, of another obiettivo
    with pytest.raises(TransizioneNonAmmessa, match="non appartiene"):
        review.valida(mondo["a"], oiv, [review.Rettifica(altrui, D("10"), "x")])
    assert Obiettivo.objects.get(pk=mondo["a"].pk).stato == S.RENDICONTATO
    assert not Validazione.objects.exists()


def test_reopening_brings_back_the_computed_score_and_revalidation_supersedes(mondo):
    a, oiv, segreteria = mondo["a"], mondo["utenti"]["oiv"], mondo["utenti"]["segreteria"]
    review.valida(a, oiv, [review.Rettifica(None, D("60"), "Prima valutazione")])
    esegui(a, segreteria, "riapri_monitoraggio", motivazione="Errore materiale")
    assert _punteggi(mondo["piano"]).obiettivi[a.pk].punteggio == D("90.00")
    esegui(a, mondo["utenti"]["responsabile"], "rendiconta")
    review.valida(a, oiv, [review.Rettifica(None, D("85"), "Seconda valutazione")])
    assert _punteggi(mondo["piano"]).obiettivi[a.pk].punteggio == D("85.00")
    assert Validazione.objects.filter(obiettivo=a).count() == 2
    assert Validazione.objects.filter(obiettivo=a, attiva=True).get().punteggio == D("85.00")
    assert PunteggioValidato.objects.filter(obiettivo=a, attivo=True).get().punteggio == D("85")


def test_responsabile_and_segreteria_cannot_validate(mondo, client):
    a = mondo["a"]
    for nome in ("responsabile", "segreteria"):
        with pytest.raises(TransizioneNonAmmessa):
            review.valida(a, mondo["utenti"][nome], [])
        client.force_login(mondo["utenti"][nome])
        url = reverse("valida", args=[a.piano.comune.slug, a.pk])
        assert client.post(url, {"punteggio": "100", "motivazione": "x"}).status_code == 403
        # The generic state button does not validate either: it leads to the review page.
        r = client.post(
            reverse("cambia_stato", args=[a.piano.comune.slug, a.pk]), {"azione": "valida"}
        )
        assert r.status_code == 403
    assert Obiettivo.objects.get(pk=a.pk).stato == S.RENDICONTATO


def test_oiv_cannot_change_the_responsabile_values(mondo, client):
    a = mondo["a"]
    Obiettivo.objects.filter(pk=a.pk).update(stato=S.IN_MONITORAGGIO)
    client.force_login(mondo["utenti"]["oiv"])
    url = reverse("rendicontazione", args=[a.piano.comune.slug, a.pk])
    assert client.get(url).status_code == 403
    campo = f"ind-{mondo['a2'].pk}-finale_data"
    assert client.post(url, {campo: "2019-09-30"}).status_code == 403
    assert mondo["a2"].rilevazioni.get(tipo="finale").data == datetime.date(2019, 10, 7)


def test_review_page_and_validation_through_the_view(mondo, client):
    a, a2 = mondo["a"], mondo["a2"]
    slug = a.piano.comune.slug
    client.force_login(mondo["utenti"]["oiv"])
    html = client.get(reverse("revisione", args=[slug, a.pk])).content.decode()
    assert 'id="form-validazione"' in html and "90,00%" in html and "80,00%" in html
    url = reverse("valida", args=[slug, a.pk])
    # A different score without motivazione: refused at the field, nothing saved.
    r = client.post(url, {f"ind-{a2.pk}-punteggio": "95,5"})
    assert r.status_code == 400
    assert "scrivi la motivazione" in r.content.decode()
    assert not Validazione.objects.exists()
    r = client.post(
        url,
        {
            f"ind-{a2.pk}-punteggio": "95,5",
            f"ind-{a2.pk}-motivazione": "Ritardo non imputabile",
            "note": "Ok",
        },
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.stato == S.VALIDATO
    html = client.get(reverse("revisione", args=[slug, a.pk])).content.decode()
    assert "95,50%" in html and "Ritardo non imputabile" in html and 'id="bloccato"' in html
    assert 'id="form-validazione"' not in html
    # Both figures on the scheda: 97,75% validated, 90,00% computed.
    html = client.get(reverse("obiettivo", args=[slug, a.pk])).content.decode()
    assert "97,75% validato (calcolato 90,00%)" in html


def test_request_for_integration_reopens_entry_and_emails_the_responsabile(
    mondo, client, django_capture_on_commit_callbacks
):
    a = mondo["a"]
    slug = a.piano.comune.slug
    client.force_login(mondo["utenti"]["oiv"])
    url = reverse("integrazione", args=[slug, a.pk])
    assert client.post(url, {"messaggio": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"messaggio": "Allegare la determina di affidamento."})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.stato == S.IN_MONITORAGGIO
    assert CambioStato.objects.filter(obiettivo=a, azione="richiedi_integrazione").exists()
    assert Commento.objects.get(obiettivo=a).tipo == Commento.Tipo.INTEGRAZIONE
    assert [m.to for m in mail.outbox] == [["responsabile@example.org"]]
    assert "Allegare la determina" in mail.outbox[0].body
    # The responsabile sees the request on his rendicontazione and may enter again.
    client.force_login(mondo["utenti"]["responsabile"])
    html = client.get(reverse("revisione", args=[slug, a.pk])).content.decode()
    assert "Integrazione richiesta" in html and "Allegare la determina" in html
    assert client.get(reverse("rendicontazione", args=[slug, a.pk])).status_code == 200


def test_comment_thread_permissions(mondo, client):
    a, c = mondo["a"], mondo["c"]
    slug = a.piano.comune.slug
    for nome in ("oiv", "responsabile", "segreteria"):
        client.force_login(mondo["utenti"][nome])
        r = client.post(reverse("commenta", args=[slug, a.pk]), {"testo": f"Messaggio di {nome}"})
        assert r.status_code == 302
    assert Commento.objects.filter(obiettivo=a).count() == 3
    # A responsabile of another settore may not read or write the thread of A.
    client.force_login(mondo["utenti"]["altro"])
    assert client.get(reverse("revisione", args=[slug, a.pk])).status_code == 403
    assert client.post(reverse("commenta", args=[slug, a.pk]), {"testo": "x"}).status_code == 403
    assert client.get(reverse("revisione", args=[slug, c.pk])).status_code == 200
    # After validation the thread is closed.
    review.valida(a, mondo["utenti"]["oiv"], [])
    client.force_login(mondo["utenti"]["responsabile"])
    assert (
        client.post(reverse("commenta", args=[slug, a.pk]), {"testo": "Tardi"}).status_code == 403
    )


def test_queue_filters_and_refusals(mondo, client):
    a, b, c = mondo["a"], mondo["b"], mondo["c"]
    slug = a.piano.comune.slug
    url = reverse("coda_valutazione", args=[slug])
    client.force_login(mondo["utenti"]["responsabile"])
    assert client.get(url).status_code == 403
    client.force_login(utente(ComuneFactory(), Ruolo.Tipo.OIV))  # OIV of another comune
    assert client.get(url).status_code == 404
    client.force_login(mondo["utenti"]["oiv"])
    html = client.get(url).content.decode()
    assert all(f">{o.codice}<" in html for o in (a, b, c))
    html = client.get(url, {"settore": c.settore_id}).content.decode()
    assert ">C<" in html and ">A<" not in html
    html = client.get(url, {"fascia": "piena"}).content.decode()  # only C is at 100%
    assert ">C<" in html and ">A<" not in html and ">B<" not in html
    review.valida(a, mondo["utenti"]["oiv"], [])
    html = client.get(url).content.decode()
    assert ">A<" not in html and ">B<" in html
    html = client.get(url, {"stato": "validato"}).content.decode()
    assert ">A<" in html and ">B<" not in html


def test_queue_queries_are_bounded(mondo, client, django_assert_max_num_queries):
    client.force_login(mondo["utenti"]["oiv"])
    for n in range(30):
        o = ObiettivoFactory(piano=mondo["piano"], settore=mondo["c"].settore, stato=S.RENDICONTATO)
        _indicatore(o, 1, "100", n % 15)
    with django_assert_max_num_queries(14):
        assert (
            client.get(reverse("coda_valutazione", args=[mondo["piano"].comune.slug])).status_code
            == 200
        )


def test_a_lettore_sees_the_scheda_but_not_the_review(mondo, client):
    a = mondo["a"]
    client.force_login(utente(a.piano.comune, Ruolo.Tipo.LETTORE))
    slug = a.piano.comune.slug
    html = client.get(reverse("obiettivo", args=[slug, a.pk])).content.decode()
    assert reverse("revisione", args=[slug, a.pk]) not in html
    assert client.get(reverse("revisione", args=[slug, a.pk])).status_code == 403
    assert client.get(reverse("coda_valutazione", args=[slug])).status_code == 403


@pytest.mark.parametrize("n", [1, 25])
def test_review_page_queries_are_bounded(mondo, client, django_assert_max_num_queries, n):
    a = mondo["a"]
    for numero in range(3, 3 + n):
        _indicatore(a, numero, "0", numero % 12)
    for tipo in ("oiv", "responsabile"):
        client.force_login(mondo["utenti"][tipo])
        with django_assert_max_num_queries(30):
            r = client.get(reverse("revisione", args=[a.piano.comune.slug, a.pk]))
        assert r.status_code == 200


def test_obiettivo_score_is_compared_with_the_rescored_indicatori(mondo):
    """A = 90 computed; with indicatore 2 at 100 it would be 100: typing 90 for the
    obiettivo is a decision (needs its motivazione) and it counts."""
    a, a2, oiv = mondo["a"], mondo["a2"], mondo["utenti"]["oiv"]
    rettifiche = [
        review.Rettifica(a2.pk, D("100"), "Ritardo non imputabile"),
        review.Rettifica(None, D("90"), ""),
    ]
    with pytest.raises(TransizioneNonAmmessa, match="l'obiettivo.*100,00%.*motivazione"):
        review.valida(a, oiv, rettifiche)
    rettifiche[1] = review.Rettifica(None, D("90"), "Risultato atteso raggiunto solo in parte")
    review.valida(a, oiv, rettifiche)
    p = _punteggi(mondo["piano"])
    assert (p.obiettivi[a.pk].punteggio, p.obiettivi[a.pk].punteggio_calcolato) == (
        D("90.00"),
        D("90.00"),
    )
    assert PunteggioValidato.objects.filter(obiettivo=a, indicatore=None).get().punteggio == 90


def test_the_form_asks_for_the_obiettivo_motivazione_when_indicatori_change(mondo, client):
    a, a2 = mondo["a"], mondo["a2"]
    client.force_login(mondo["utenti"]["oiv"])
    r = client.post(
        reverse("valida", args=[a.piano.comune.slug, a.pk]),
        {f"ind-{a2.pk}-punteggio": "100", f"ind-{a2.pk}-motivazione": "Ok", "punteggio": "90"},
    )
    assert r.status_code == 400 and "scrivi la motivazione" in r.content.decode()
    assert not Validazione.objects.exists()


def test_reopened_scheda_no_longer_shows_the_old_validation(mondo, client):
    a = mondo["a"]
    review.valida(a, mondo["utenti"]["oiv"], [review.Rettifica(None, D("60"), "Parziale")])
    esegui(a, mondo["utenti"]["segreteria"], "riapri_monitoraggio", motivazione="Errore")
    client.force_login(mondo["utenti"]["oiv"])
    html = client.get(reverse("revisione", args=[a.piano.comune.slug, a.pk])).content.decode()
    assert 'id="validazione"' not in html and "90,00%" in html


def test_a_second_tab_is_told_the_scheda_is_already_validated(mondo, client):
    a = mondo["a"]
    url = reverse("valida", args=[a.piano.comune.slug, a.pk])
    client.force_login(mondo["utenti"]["oiv"])
    assert client.post(url, {}).status_code == 302
    r = client.post(url, {}, follow=True)
    assert r.status_code == 200
    assert "Non si può validare: l&#x27;obiettivo è «Validato»" in r.content.decode()
    assert Validazione.objects.filter(obiettivo=a).count() == 1


def test_review_page_draws_no_gantt_for_fasi_without_dates(mondo, client):
    a = mondo["a"]
    FaseFactory(obiettivo=a, numero=1, data_inizio_prevista=None, data_fine_prevista=None)
    client.force_login(mondo["utenti"]["oiv"])
    html = client.get(reverse("revisione", args=[a.piano.comune.slug, a.pk])).content.decode()
    assert "<svg" not in html
    FaseFactory(obiettivo=a, numero=2)  # 1 gennaio - 31 dicembre 2019
    html = client.get(reverse("revisione", args=[a.piano.comune.slug, a.pk])).content.decode()
    assert "<svg" in html and ">2019<" in html


def test_a_validation_on_figures_that_changed_meanwhile_is_refused(client, ente):
    scheda = ente.scheda("rendicontato", "con_rilevazioni")
    client.force_login(ente.oiv)
    url = reverse("valida", args=[ente.comune.slug, scheda.pk])
    pagina = client.get(reverse("revisione", args=[ente.comune.slug, scheda.pk])).content.decode()
    assert f'name="versione" value="{scheda.versione}"' in pagina
    # Meanwhile the segreteria reopens it, the responsabile changes a value and sends it again.
    esegui(scheda, ente.segreteria, "riapri_monitoraggio", motivazione="Valore da correggere")
    Rilevazione.objects.filter(indicatore__obiettivo=scheda, tipo="finale").update(valore=D("1"))
    esegui(scheda, ente.responsabile_a, "rendiconta")
    response = client.post(url, {"versione": 1, "note": ""})
    assert response.status_code == 409
    assert "Nel frattempo la scheda è cambiata" in response.content.decode()
    scheda.refresh_from_db()
    assert scheda.stato == Obiettivo.Stato.RENDICONTATO
    assert not scheda.validazioni.exists()
    # On the figures as they are now, the validation goes through.
    assert client.post(url, {"versione": scheda.versione, "note": ""}).status_code == 302
    scheda.refresh_from_db()
    assert scheda.stato == Obiettivo.Stato.VALIDATO
