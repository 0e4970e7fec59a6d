"""The factories and the shared users: every model has one, the traits give the states
the workflow would, everything stays inside one comune."""

import io
from decimal import Decimal as D

import pytest
from django.apps import apps
from pypdf import PdfReader

from indicators.caricamento import carica_figli
from indicators.engine.scoring import Sistema, punteggio_obiettivo
from objectives.models import AmbitoPerformance, CambioStato, Obiettivo
from objectives.modifiche import esegui
from objectives.workflow import integrazione_richiesta, transizioni_possibili
from peg.access import ruoli_sulla_scheda
from peg.models import Missione, Programma, Ruolo
from reporting.models import Stampa
from valutazione import review
from valutazione.formati import verifica_file
from valutazione.models import Allegato, Commento, PunteggioValidato, Validazione

from . import factories as f
from .utenti import PROFILI, crea_ente, utente

pytestmark = pytest.mark.django_db
S = Obiettivo.Stato
T = Ruolo.Tipo
APPS = ("peg", "objectives", "indicators", "valutazione", "reporting", "individuale")


def _punteggio(obiettivo):
    (scheda,) = carica_figli(Obiettivo.objects.filter(pk=obiettivo.pk))
    esito, _ = punteggio_obiettivo(scheda, Sistema.del_piano(obiettivo.piano), spiega=False)
    return esito


def test_every_model_has_a_factory():
    modelli = {
        m
        for label in APPS
        for m in apps.get_app_config(label).get_models()
        if not m.__name__.startswith("Historical")
    }
    fabbriche = {
        v._meta.model
        for v in vars(f).values()
        if isinstance(v, type)
        and issubclass(v, f.Fabbrica)
        and v is not f.Fabbrica
        and v._meta.model is not None
    }
    assert sorted(m.__name__ for m in modelli - fabbriche) == []


@pytest.mark.parametrize(
    "fabbrica",
    [
        v
        for v in vars(f).values()
        if isinstance(v, type) and issubclass(v, f.Fabbrica) and v is not f.Fabbrica
    ],
    ids=lambda v: v.__name__,
)
def test_every_factory_builds_a_valid_row(fabbrica, archivio, stampe_root):
    oggetto = fabbrica()
    oggetto.full_clean()
    assert type(oggetto)._default_manager.filter(pk=oggetto.pk).exists()


def test_migration_rows_are_reused_not_duplicated():
    missioni, programmi, ambiti = (
        Missione.objects.count(),
        Programma.objects.count(),
        AmbitoPerformance.objects.count(),
    )
    assert (missioni, programmi, ambiti) != (0, 0, 0)
    programma = f.ProgrammaFactory(codice="04.02")
    assert programma.denominazione == "Altri ordini di istruzione non universitaria"
    assert programma.missione.codice == "04"
    assert f.MissioneFactory().denominazione == "Diritti sociali, politiche sociali e famiglia"
    assert f.AmbitoPerformanceFactory(numero=9).descrizione.startswith("Implementazione")
    assert (Missione.objects.count(), Programma.objects.count()) == (missioni, programmi)
    assert AmbitoPerformance.objects.count() == ambiti
    obiettivo = f.ObiettivoFactory(con_programma=True, ambiti=[1, 7])
    assert (obiettivo.programma.codice, obiettivo.missione.codice) == ("12.02", "12")
    assert list(obiettivo.ambiti.values_list("numero", flat=True)) == [1, 7]


def test_children_stay_in_the_obiettivo_comune():
    obiettivo = f.ObiettivoFactory(con_risorse=True, con_fasi=True, con_programma=True)
    comune = obiettivo.piano.comune
    assert obiettivo.settore.comune == comune
    assert obiettivo.risorse_umane.get().persona.comune == comune
    nodo = f.NodoDUPFactory(figlio=True, con_programma=True)
    assert nodo.padre.piano == nodo.piano and nodo.missione == nodo.programma.missione
    validazione = f.ValidazioneFactory()
    assert ruoli_sulla_scheda(validazione.utente, validazione.obiettivo) == {T.OIV}
    riapertura = f.RiaperturaSettoreFactory()
    assert riapertura.settore.comune == riapertura.campagna.piano.comune
    variazione = f.VariazioneFactory()
    assert ruoli_sulla_scheda(variazione.utente, variazione.obiettivo) == {T.SEGRETERIA}
    assert ruoli_sulla_scheda(variazione.utente, obiettivo) == set()  # another comune
    avviso = f.AvvisoFactory()
    assert avviso.settore.comune == avviso.campagna.piano.comune
    servizio = f.ServizioFactory()
    assert servizio.settore.servizi.get() == servizio


def test_state_traits_follow_the_workflow():
    stati = {
        "bozza": S.BOZZA,
        "proposto": S.PROPOSTO,
        "approvato": S.APPROVATO,
        "in_monitoraggio": S.IN_MONITORAGGIO,
        "rendicontato": S.RENDICONTATO,
        "validato": S.VALIDATO,
        "integrazione_richiesta": S.IN_MONITORAGGIO,
    }
    for tratto, stato in stati.items():
        obiettivo = f.ObiettivoFactory(**{tratto: True})
        assert obiettivo.stato == stato, tratto
        approvata = stato not in (S.BOZZA, S.PROPOSTO)
        assert (obiettivo.delibera_numero, str(obiettivo.delibera_data)) == (
            ("45", "2019-03-28") if approvata else ("", "None")
        ), tratto


def test_rendicontato_has_every_final_value_and_could_be_sent():
    obiettivo = f.ObiettivoFactory(in_monitoraggio=True, con_rilevazioni=True)
    assert sorted(obiettivo.indicatori.values_list("numero", "peso", "rilevazioni__valore")) == [
        (1, D("60.00"), D("10")),
        (2, D("40.00"), D("8")),
    ]
    esito = _punteggio(obiettivo)
    assert (esito.punteggio, esito.mancanti) == (D("92.00"), [])
    responsabile = utente(obiettivo.piano.comune, T.RESPONSABILE, [obiettivo.settore])
    esegui(obiettivo, responsabile, "rendiconta")  # refused if a final value were missing
    obiettivo.refresh_from_db()
    assert obiettivo.stato == S.RENDICONTATO
    rendicontato = f.ObiettivoFactory(rendicontato=True)
    assert _punteggio(rendicontato).punteggio == D("92.00")
    assert rendicontato.stato_attuazione


def test_in_monitoraggio_without_values_is_refused_by_rendiconta():
    obiettivo = f.ObiettivoFactory(in_monitoraggio=True, con_indicatori=True)
    responsabile = utente(obiettivo.piano.comune, T.RESPONSABILE, [obiettivo.settore])
    with pytest.raises(review.TransizioneNonAmmessa, match="mancano"):
        esegui(obiettivo, responsabile, "rendiconta")


def test_intermedie_and_a_changed_value():
    obiettivo = f.ObiettivoFactory(
        con_intermedie=True, con_rilevazioni=True, indicatore_2__raggiunto=D(3)
    )
    valori = obiettivo.indicatori.order_by("numero", "rilevazioni__tipo").values_list(
        "numero", "rilevazioni__tipo", "rilevazioni__valore"
    )
    assert list(valori) == [
        (1, "finale", D(10)),
        (1, "intermedia", D(5)),
        (2, "finale", D(3)),
        (2, "intermedia", D("1.5")),
    ]


def test_validato_is_what_the_oiv_validation_leaves():
    obiettivo = f.ObiettivoFactory(validato=True)
    validazione = obiettivo.validazioni.get()
    assert (validazione.attiva, validazione.punteggio_calcolato, validazione.punteggio) == (
        True,
        D("92.00"),
        D("92.00"),
    )
    assert ruoli_sulla_scheda(validazione.utente, obiettivo) == {T.OIV}
    commento = obiettivo.commenti.get()
    assert (commento.tipo, commento.autore, commento.testo) == (
        Commento.Tipo.VALIDAZIONE,
        validazione.utente,
        "Rendicontazione validata: 92,00%",
    )
    assert not PunteggioValidato.objects.exists()
    assert _punteggio(obiettivo).punteggio == D("92.00")
    # What review.valida leaves on a rendicontato scheda of the same piano.
    rendicontato = f.ObiettivoFactory(rendicontato=True, piano=obiettivo.piano)
    vera = review.valida(rendicontato, validazione.utente, [])
    assert (vera.attiva, vera.punteggio_calcolato, vera.punteggio) == (True, D("92.00"), D("92.00"))
    rendicontato.refresh_from_db()
    assert rendicontato.stato == obiettivo.stato
    assert rendicontato.commenti.get().testo == commento.testo


def test_con_rettifica_counts_the_oiv_score():
    obiettivo = f.ObiettivoFactory(con_rettifica=True)
    validazione = Validazione.objects.get(obiettivo=obiettivo)
    rettifica = PunteggioValidato.objects.get()
    assert (rettifica.validazione, rettifica.obiettivo, rettifica.indicatore) == (
        validazione,
        obiettivo,
        None,
    )
    assert (rettifica.punteggio_calcolato, rettifica.punteggio) == (D("92.00"), D("95.00"))
    assert validazione.punteggio == D("95.00")
    assert obiettivo.commenti.get().testo == "Rendicontazione validata: 95,00% (calcolato 92,00%)"
    esito = _punteggio(obiettivo)
    assert (esito.punteggio, esito.punteggio_calcolato) == (D("95.00"), D("92.00"))
    per_indicatore = f.PunteggioValidatoFactory(per_indicatore=True)
    assert per_indicatore.indicatore.obiettivo == per_indicatore.obiettivo
    assert per_indicatore.indicatore.numero == 1


def test_storia_records_the_path_to_the_state():
    attore = f.UserFactory()
    obiettivo = f.ObiettivoFactory(validato=True, con_storia=True, storia__utente=attore)
    cambi = list(obiettivo.cambi_stato.order_by("quando", "id").values_list("azione", "da", "a"))
    assert cambi == [
        ("proponi", S.BOZZA, S.PROPOSTO),
        ("approva", S.PROPOSTO, S.APPROVATO),
        ("avvia_monitoraggio", S.APPROVATO, S.IN_MONITORAGGIO),
        ("rendiconta", S.IN_MONITORAGGIO, S.RENDICONTATO),
        ("valida", S.RENDICONTATO, S.VALIDATO),
    ]
    assert set(obiettivo.cambi_stato.values_list("utente", flat=True)) == {attore.pk}
    assert not f.ObiettivoFactory(validato=True).cambi_stato.exists()
    assert not f.ObiettivoFactory(bozza=True, con_storia=True).cambi_stato.exists()


def test_integrazione_richiesta_is_read_by_the_workflow():
    obiettivo = f.ObiettivoFactory(integrazione_richiesta=True)
    cambio = integrazione_richiesta(obiettivo)
    assert (cambio.azione, cambio.da, cambio.a) == (
        "richiedi_integrazione",
        S.RENDICONTATO,
        S.IN_MONITORAGGIO,
    )
    assert cambio.motivazione == f.MOTIVAZIONE_INTEGRAZIONE
    assert ruoli_sulla_scheda(cambio.utente, obiettivo) == {T.OIV}
    commento = obiettivo.commenti.get()
    assert (commento.tipo, commento.testo, commento.autore, commento.quando) == (
        Commento.Tipo.INTEGRAZIONE,
        f.MOTIVAZIONE_INTEGRAZIONE,
        cambio.utente,
        cambio.quando,
    )
    # Without it, a scheda in monitoraggio has no pending request.
    assert integrazione_richiesta(f.ObiettivoFactory(in_monitoraggio=True, con_storia=True)) is None
    assert CambioStato.objects.filter(azione="richiedi_integrazione").count() == 1


def test_ruolo_traits():
    assert f.RuoloFactory(segreteria=True).tipo == T.SEGRETERIA
    assert f.RuoloFactory(oiv=True).tipo == T.OIV
    assert f.RuoloFactory().tipo == f.RuoloFactory(lettore=True).tipo == T.LETTORE
    responsabile = f.RuoloFactory(responsabile=True)
    settore = responsabile.settori.get()
    assert (responsabile.tipo, settore.comune) == (T.RESPONSABILE, responsabile.comune)
    scelto = f.SettoreFactory()
    con_settori = f.RuoloFactory(responsabile=True, comune=scelto.comune, settori=[scelto])
    assert list(con_settori.settori.all()) == [scelto]
    assert not f.RuoloFactory(tipo=T.RESPONSABILE).settori.exists()
    user = f.UserFactory(comune=scelto.comune, ruolo=T.OIV)
    assert list(user.ruoli.values_list("comune", "tipo")) == [(scelto.comune.pk, T.OIV)]
    assert not f.UserFactory().ruoli.exists()


def test_campagna_traits(ente):
    oggi = f.OGGI()
    from objectives import campagne

    intermedia = f.CampagnaFactory(piano=ente.piano)
    assert (str(intermedia.apertura), str(intermedia.scadenza)) == ("2019-07-01", "2019-08-31")
    finale = f.CampagnaFactory(piano=ente.piano, finale=True)
    assert (str(finale.data_riferimento), str(finale.apertura), str(finale.scadenza)) == (
        "2019-12-31",
        "2020-01-02",
        "2020-01-31",
    )
    stati = {
        tratto: campagne.stato_generale(f.CampagnaFactory(anno=2020, **{tratto: True}), oggi)
        for tratto in ("aperta", "programmata", "scaduta", "chiusa")
    }
    assert stati["aperta"].startswith("aperta fino al ")
    assert stati["programmata"].startswith("programmata: apre il ")
    assert stati["scaduta"].startswith("chiusa (scaduta il ")
    assert stati["chiusa"].startswith("chiusa il ")


def test_rilevazione_traits():
    indicatore = f.IndicatoreFactory()
    tipi = [
        f.RilevazioneFactory(indicatore=indicatore, **{t: True}).tipo
        for t in ("prima", "intermedia", "finale")
    ]
    assert tipi == ["prima", "intermedia", "finale"]


def test_allegato_is_a_real_pdf_in_the_private_archive(archivio):
    allegato = f.AllegatoFactory()
    percorso = archivio / allegato.file.name
    assert percorso.read_bytes() == f.PDF
    assert percorso.parent.parent.name == str(allegato.obiettivo.piano.comune_id)
    assert (allegato.nome_file, allegato.content_type, allegato.dimensione) == (
        "verbale.pdf",
        "application/pdf",
        len(f.PDF),
    )
    assert len(PdfReader(io.BytesIO(f.PDF)).pages) == 1
    with allegato.file.open("rb") as file:
        assert verifica_file(file).nome == "PDF"  # the app's own magic-byte check
    assert allegato.obiettivo.stato == S.IN_MONITORAGGIO
    su_indicatore = f.AllegatoFactory(su_indicatore=True)
    assert su_indicatore.indicatore.obiettivo == su_indicatore.obiettivo
    assert su_indicatore.riferimento == f"Indicatore {su_indicatore.indicatore.numero}"
    su_fase = f.AllegatoFactory(su_fase=True, obiettivo=su_indicatore.obiettivo)
    assert su_fase.fase.obiettivo == su_indicatore.obiettivo
    assert Allegato.objects.count() == 3


def test_stampa_traits(stampe_root):
    assert f.StampaFactory().stato == Stampa.Stato.IN_CODA
    assert f.StampaFactory(in_corso=True, anno=2020).percentuale == 15
    pronta = f.StampaFactory(pronta=True)
    assert pronta.stato == Stampa.Stato.PRONTA
    assert pronta.percorso.read_bytes() == f.PDF
    assert pronta.percorso.is_relative_to(stampe_root)
    assert ruoli_sulla_scheda(pronta.richiesta_da, f.ObiettivoFactory(piano=pronta.piano)) == {
        T.SEGRETERIA
    }
    assert f.StampaFactory(fallita=True).errore.startswith("La stampa non è riuscita")


# ---------------------------------------------------------------- the shared users


def test_ente_gives_each_profile_its_roles(ente):
    scheda_a = ente.scheda("in_monitoraggio")
    scheda_b = ente.scheda("in_monitoraggio", settore=ente.settore_b)
    attesi = {
        "senza_ruolo": (set(), set()),
        "segreteria": ({T.SEGRETERIA}, {T.SEGRETERIA}),
        "responsabile_a": ({T.RESPONSABILE}, set()),
        "responsabile_b": (set(), {T.RESPONSABILE}),
        "oiv": ({T.OIV}, {T.OIV}),
        "lettore": ({T.LETTORE}, {T.LETTORE}),
        "estraneo": (set(), set()),
        "superuser": ({T.SEGRETERIA}, {T.SEGRETERIA}),  # the app treats him as segreteria
    }
    assert set(attesi) == set(PROFILI) - {"anonimo"}
    for profilo, (in_a, in_b) in attesi.items():
        user = ente.profilo(profilo)
        assert (ruoli_sulla_scheda(user, scheda_a), ruoli_sulla_scheda(user, scheda_b)) == (
            in_a,
            in_b,
        ), profilo
    assert ente.profilo("anonimo") is None
    assert list(ente.estraneo.ruoli.values_list("comune", "tipo")) == [
        (ente.altro_comune.pk, T.SEGRETERIA)
    ]
    assert ente.superuser.is_superuser and not ente.superuser.ruoli.exists()
    assert ente.segreteria.email == "segreteria-borgo@example.org"
    with pytest.raises(ValueError, match="profilo sconosciuto"):
        ente.profilo("sindaco")


def test_ente_scheda_in_any_state_and_transitions(ente):
    scheda = ente.scheda("rendicontato", "con_fasi", codice="A - 1")
    assert (scheda.piano, scheda.settore, scheda.codice) == (ente.piano, ente.settore_a, "A - 1")
    assert scheda.fasi.count() == 2
    assert [t.nome for t in transizioni_possibili(ente.oiv, scheda)] == [
        "valida",
        "richiedi_integrazione",
    ]
    assert [t.nome for t in transizioni_possibili(ente.segreteria, scheda)] == [
        "riapri_monitoraggio"
    ]
    assert transizioni_possibili(ente.responsabile_a, scheda) == []


def test_ente_schede_use_the_ente_users(ente):
    utenti = set(type(ente.oiv).objects.values_list("pk", flat=True))
    validata = ente.scheda("con_rettifica", "con_storia")
    rimandata = ente.scheda("integrazione_richiesta", settore=ente.settore_b)
    assert validata.validazioni.get().utente == ente.oiv
    assert set(validata.cambi_stato.values_list("utente", flat=True)) == {ente.segreteria.pk}
    assert integrazione_richiesta(rimandata).utente == ente.oiv
    assert rimandata.commenti.get().autore == ente.oiv
    assert set(type(ente.oiv).objects.values_list("pk", flat=True)) == utenti


def test_two_enti_do_not_clash(ente):
    altro = crea_ente("valle", "Valle")
    assert altro.comune != ente.comune and altro.segreteria != ente.segreteria
    assert altro.segreteria.username == "segreteria-valle"


def test_utente_helper():
    comune = f.ComuneFactory(slug="paese")
    settore = f.SettoreFactory(comune=comune)
    user = utente(comune, T.RESPONSABILE, [settore], first_name="Maura", email="")
    ruolo = user.ruoli.get()
    assert (ruolo.comune, ruolo.tipo, list(ruolo.settori.all())) == (
        comune,
        T.RESPONSABILE,
        [settore],
    )
    assert (user.first_name, user.email) == ("Maura", "")
    assert user.username.startswith("responsabile-paese-")
    assert user.check_password("demo")
    stesso = utente(comune, T.OIV, username=user.username)
    assert stesso == user and set(user.ruoli.values_list("tipo", flat=True)) == {
        T.RESPONSABILE,
        T.OIV,
    }
