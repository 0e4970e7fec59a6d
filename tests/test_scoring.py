"""Scores of indicatori, fasi, obiettivi, settori and ente, and how they explain themselves."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from indicators.caricamento import carica_punteggi
from indicators.engine.scoring import (
    CALCOLATO,
    INCOMPLETO,
    INTERMEDIO,
    NON_CALCOLABILE,
    NON_MISURABILE,
    NON_RILEVATO,
    Esito,
    Sistema,
    aggrega,
    punteggio_obiettivo,
)
from indicators.models import Indicatore, Rilevazione
from objectives.models import Obiettivo

from .factories import (
    FaseFactory,
    IndicatoreFactory,
    ObiettivoFactory,
    RilevazioneFactory,
    SettoreFactory,
)

pytestmark = pytest.mark.django_db

RITARDO = "gg di ritardo +5 =90 % +10gg = 80% +15gg =60%"


def _obiettivo(pesi=("30", "70"), **kwargs):
    obiettivo = ObiettivoFactory(**kwargs)
    for numero, peso in enumerate(pesi, start=1):
        IndicatoreFactory(
            obiettivo=obiettivo, numero=numero, peso=D(peso) if peso else None, graduazione=RITARDO
        )
    return obiettivo


def _rileva(obiettivo, numero, giorni, tipo="finale"):
    RilevazioneFactory(
        indicatore=obiettivo.indicatori.get(numero=numero), tipo=tipo, valore=D(giorni)
    )


def _score(obiettivo, **sistema):
    piano = obiettivo.piano
    for key, value in sistema.items():
        setattr(piano, key, value)
    return carica_punteggi(piano, obiettivo.anno, spiega=True)


def test_obiettivo_is_the_weighted_mean_of_its_indicatori():
    obiettivo = _obiettivo()
    _rileva(obiettivo, 1, 0)  # 100
    _rileva(obiettivo, 2, 8)  # 80
    esito = _score(obiettivo).obiettivi[obiettivo.pk]
    assert (esito.stato, esito.punteggio) == (CALCOLATO, D("86.00"))
    assert "(100,00% × 30 + 80,00% × 70) / 100 = 86,00%" in esito.passi


def test_missing_value_makes_the_parent_incompleto_with_the_list():
    obiettivo = _obiettivo()
    _rileva(obiettivo, 1, 0)
    punteggi = _score(obiettivo)
    esito = punteggi.obiettivi[obiettivo.pk]
    assert esito.stato == INCOMPLETO and esito.punteggio is None
    # What is missing is said exactly: which indicatore, and what of it.
    voce = f"{obiettivo.codice} (2019) › indicatore 2: mancano la data di completamento (o i giorni di ritardo)"
    assert esito.mancanti == [voce]
    assert punteggi.ente.stato == INCOMPLETO
    assert punteggi.ente.mancanti[0].endswith(voce)


def test_missing_value_as_zero_or_excluded_as_the_piano_says():
    obiettivo = _obiettivo()
    _rileva(obiettivo, 2, 8)  # 80 with weight 70
    assert _score(obiettivo, valori_mancanti="zero").obiettivi[obiettivo.pk].punteggio == D("56.00")
    assert _score(obiettivo, valori_mancanti="escludi").obiettivi[obiettivo.pk].punteggio == D(
        "80.00"
    )


def test_weights_not_summing_to_100_are_reported_not_normalised():
    obiettivo = _obiettivo(pesi=("30", "60"))
    _rileva(obiettivo, 1, 0)
    _rileva(obiettivo, 2, 0)
    esito = _score(obiettivo).obiettivi[obiettivo.pk]
    assert esito.punteggio == D("90.00")
    assert "Pesi: 90,00% (mancano 10,00%)." in esito.avvisi
    assert _score(obiettivo, riproporziona_pesi=True).obiettivi[obiettivo.pk].punteggio == D(
        "100.00"
    )


def test_no_weights_at_all_is_a_simple_mean_and_says_so():
    obiettivo = _obiettivo(pesi=(None, None))
    _rileva(obiettivo, 1, 0)
    _rileva(obiettivo, 2, 6)
    esito = _score(obiettivo).obiettivi[obiettivo.pk]
    assert esito.punteggio == D("90.00")
    assert "Pesi non indicati: media semplice di 2 elementi." in esito.passi


def test_intermediate_and_final_scores_are_kept_apart():
    obiettivo = ObiettivoFactory()
    indicatore = IndicatoreFactory(
        obiettivo=obiettivo,
        numero=1,
        peso=D(100),
        graduazione="proporzionale",
        valore_intermedio=D(8),
        data_intermedia=datetime.date(2019, 6, 30),
        valore_atteso=D(16),
        data_attesa=datetime.date(2019, 12, 31),
    )
    RilevazioneFactory(indicatore=indicatore, tipo="intermedia", valore=D(6))
    sistema = Sistema()
    obiettivo = Obiettivo.objects.prefetch_related("indicatori__rilevazioni", "fasi").get(
        pk=obiettivo.pk
    )
    assert punteggio_obiettivo(obiettivo, sistema, INTERMEDIO)[0].punteggio == D("75.00")
    assert punteggio_obiettivo(obiettivo, sistema)[0].stato == INCOMPLETO
    RilevazioneFactory(indicatore=indicatore, tipo="finale", valore=D(16))
    obiettivo = Obiettivo.objects.prefetch_related("indicatori__rilevazioni", "fasi").get(
        pk=obiettivo.pk
    )
    assert punteggio_obiettivo(obiettivo, sistema)[0].punteggio == D("100.00")
    assert punteggio_obiettivo(obiettivo, sistema, INTERMEDIO)[0].punteggio == D("75.00")


def test_ritardo_from_the_dates_of_the_rilevazione():
    obiettivo = _obiettivo(pesi=("100",))
    indicatore = obiettivo.indicatori.get()
    indicatore.data_attesa = datetime.date(2019, 9, 30)
    indicatore.save()
    Rilevazione.objects.create(
        indicatore=indicatore, tipo="finale", data=datetime.date(2019, 10, 12)
    )
    esito = _score(obiettivo).obiettivi[obiettivo.pk]
    assert esito.punteggio == D("60.00")


def test_fasi_scores_from_own_rule_or_avanzamento_and_obiettivo_on_fasi():
    obiettivo = ObiettivoFactory()
    FaseFactory(obiettivo=obiettivo, numero=1, peso=D(50), avanzamento=D(80))
    FaseFactory(
        obiettivo=obiettivo,
        numero=2,
        peso=D(50),
        graduazione="4 incontri = 100%; 3 incontri = 90%",
        livello_atteso="4",
        raggiunto="3",
    )
    esito = _score(obiettivo, base_obiettivo="fasi").obiettivi[obiettivo.pk]
    assert esito.punteggio == D("85.00")
    FaseFactory(obiettivo=obiettivo, numero=3, peso=None)
    assert _score(obiettivo, base_obiettivo="fasi").obiettivi[obiettivo.pk].stato == INCOMPLETO


def test_obiettivo_on_both_indicatori_and_fasi():
    obiettivo = _obiettivo(pesi=("100",))
    _rileva(obiettivo, 1, 0)  # 100
    FaseFactory(obiettivo=obiettivo, numero=1, peso=D(100), avanzamento=D(50))
    esito = _score(obiettivo, base_obiettivo="entrambi", quota_indicatori=D(60)).obiettivi[
        obiettivo.pk
    ]
    assert esito.punteggio == D("80.00")


def test_settore_by_peso_or_punteggio_and_ente_as_mean_of_settori():
    first = _obiettivo(
        pesi=("100",), peso=D(25), strategicita=D(50), complessita=D(30), tipologia=D(1)
    )
    second = _obiettivo(
        pesi=("100",),
        piano=first.piano,
        settore=first.settore,
        peso=D(75),
        strategicita=D(30),
        complessita=D(20),
        tipologia=D("0.5"),
    )
    _rileva(first, 1, 0)  # 100
    _rileva(second, 1, 8)  # 80
    altro = _obiettivo(
        pesi=("100",), piano=first.piano, settore=SettoreFactory(comune=first.piano.comune)
    )
    _rileva(altro, 1, 3)  # 90
    punteggi = _score(first)
    assert punteggi.settori[first.settore].punteggio == D("85.00")  # 100 × 25 + 80 × 75
    assert punteggi.ente.punteggio == D("87.50")  # (85 + 90) / 2
    by_punteggio = _score(first, base_settore="punteggio")
    assert by_punteggio.settori[first.settore].punteggio == D("95.24")  # (100 × 80 + 80 × 25) / 105


def _senza_target(pesi=("50", "30", "20"), **kwargs):
    """Indicatori proportional to a target of 10, but the 2nd has no target (Soresina N 1)."""
    obiettivo = ObiettivoFactory(**kwargs)
    for numero, peso in enumerate(pesi, start=1):
        IndicatoreFactory(
            obiettivo=obiettivo,
            numero=numero,
            peso=D(peso) if peso else None,
            graduazione="",
            valore_atteso=None if numero == 2 else D(10),
            data_attesa=None,
        )
    return obiettivo


def test_indicatore_without_target_is_non_misurabile_and_excluded_with_its_weight():
    obiettivo = _senza_target()
    for numero, valore in ((1, 8), (2, 5), (3, 10)):
        _rileva(obiettivo, numero, valore)
    punteggi = _score(obiettivo)
    esito = punteggi.obiettivi[obiettivo.pk]
    secondo = punteggi.dettagli[obiettivo.pk]["indicatori"][obiettivo.indicatori.get(numero=2).pk]
    assert (secondo.stato, secondo.punteggio, secondo.testo) == (
        NON_MISURABILE,
        None,
        "non misurabile",
    )
    assert secondo.mancanti == []  # nothing the responsabile can still enter
    assert "manca il valore atteso" in secondo.passi[-1] and "variazione" in secondo.passi[-1]
    # Excluded, the other weights proportioned: (80 × 50 + 100 × 20) / 70.
    assert (esito.stato, esito.punteggio) == (CALCOLATO, D("85.71"))
    assert "(80,00% × 50 + 100,00% × 20) / 70 = 85,71%" in esito.passi
    assert esito.non_misurabili == [
        f"{obiettivo.codice} (2019) › indicatore 2: manca il valore atteso"
    ]
    assert any("indicatore 2 non misurabile" in a for a in esito.avvisi)
    # The same whatever the piano does with a value not entered: it is not missing.
    for regola in ("zero", "escludi"):
        assert _score(obiettivo, valori_mancanti=regola).obiettivi[obiettivo.pk].punteggio == D(
            "85.71"
        )


def test_indicatore_without_target_still_needs_its_value():
    obiettivo = _senza_target(pesi=(None, None, None))
    _rileva(obiettivo, 1, 10)
    _rileva(obiettivo, 3, 10)
    esito = _score(obiettivo).obiettivi[obiettivo.pk]
    assert esito.stato == INCOMPLETO
    (voce,) = esito.mancanti
    assert voce.startswith(f"{obiettivo.codice} (2019) › indicatore 2: manca il valore raggiunto")
    assert "valore atteso" in voce  # it will go as non misurabile: said before sending
    _rileva(obiettivo, 2, 3)
    esito = _score(obiettivo).obiettivi[obiettivo.pk]
    assert (esito.stato, esito.punteggio) == (CALCOLATO, D("100.00"))  # mean of 1 and 3


def test_all_indicatori_without_target_make_the_obiettivo_non_misurabile():
    obiettivo = _senza_target(pesi=("100",))
    Indicatore.objects.filter(obiettivo=obiettivo).update(valore_atteso=None)
    _rileva(obiettivo, 1, 4)
    punteggi = _score(obiettivo)
    assert punteggi.obiettivi[obiettivo.pk].stato == NON_MISURABILE
    assert punteggi.obiettivi[obiettivo.pk].mancanti == []
    assert punteggi.ente.stato == NON_MISURABILE


def test_unreadable_stored_text_is_not_scored_with_the_default():
    obiettivo = _obiettivo(pesi=("100",))
    Indicatore.objects.filter(obiettivo=obiettivo).update(graduazione="tanti = molto", regola=None)
    _rileva(obiettivo, 1, 0)
    esito = _score(obiettivo).obiettivi[obiettivo.pk]
    assert esito.stato == INCOMPLETO
    indicatore_esito = _score(obiettivo).dettagli[obiettivo.pk]["indicatori"][
        obiettivo.indicatori.get().pk
    ]
    assert indicatore_esito.stato == NON_CALCOLABILE
    assert "Graduazione non leggibile" in indicatore_esito.passi[0]


def test_default_rule_of_the_piano_applies_and_says_so():
    obiettivo = _obiettivo(pesi=("100",))
    Indicatore.objects.filter(obiettivo=obiettivo).update(
        graduazione="", regola=None, valore_atteso=D(10)
    )
    _rileva(obiettivo, 1, 7)
    esito = _score(obiettivo).dettagli[obiettivo.pk]["indicatori"][obiettivo.indicatori.get().pk]
    assert esito.punteggio == D("70.00")
    assert esito.passi[0] == "Graduazione non indicata: si applica quella predefinita del piano."


def test_graduazione_is_checked_and_stored_with_the_indicatore():
    indicatore = IndicatoreFactory(graduazione="4 incontri = 100%; 3 incontri = 90%")
    assert indicatore.regola == {
        "tipo": "soglie",
        "polarita": "crescente",
        "soglie": [["4", "100"], ["3", "90"]],
        "unita": "incontri",
    }
    indicatore.graduazione = "tanti = molto"
    with pytest.raises(ValidationError) as exc:
        indicatore.full_clean()
    assert exc.value.message_dict["graduazione"][0].startswith(
        "Graduazione non leggibile: Non riesco a leggere «tanti = molto»"
    )
    indicatore.graduazione = ""
    indicatore.regola = {"tipo": "lineare", "soglie": [["10", "100"]]}
    with pytest.raises(ValidationError) as exc:
        indicatore.full_clean()
    assert "almeno due soglie" in exc.value.message_dict["regola"][0]


def test_piano_default_rule_must_be_readable():
    piano = ObiettivoFactory().piano
    piano.regola_predefinita = "a occhio"
    with pytest.raises(ValidationError) as exc:
        piano.full_clean()
    assert "regola_predefinita" in exc.value.message_dict


@given(
    pesi=st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=8),
    riproporziona=st.booleans(),
)
def test_all_children_at_100_give_100(pesi, riproporziona):
    totale = sum(pesi)
    voci = [(D(p) * 100 / totale, Esito(f"i{n}", D(100), CALCOLATO)) for n, p in enumerate(pesi)]
    esito = aggrega("obiettivo", voci, Sistema(riproporziona_pesi=riproporziona))
    assert esito.punteggio == D("100.00")


# --- the demo plans --------------------------------------------------------------


def test_seregno_scores_come_out_as_the_document_gives_them(demo):
    seregno = demo("seregno")
    punteggi = carica_punteggi(seregno.piani.get(), 2019)
    confrontati = 0
    for dettaglio in punteggi.dettagli.values():
        for indicatore_id, esito in dettaglio["indicatori"].items():
            finale = Rilevazione.objects.get(indicatore_id=indicatore_id, tipo="finale")
            if finale.percentuale_raggiungimento is not None:
                assert esito.punteggio == min(finale.percentuale_raggiungimento, D(100)), (
                    indicatore_id
                )
                confrontati += 1
    assert confrontati == 33
    assert punteggi.ente.stato == CALCOLATO


def test_cinisello_scores_from_its_reported_values(demo):
    cinisello = demo("cinisello-balsamo")
    punteggi = carica_punteggi(cinisello.piani.get(), 2019)
    s08_01 = Obiettivo.objects.get(piano__comune=cinisello, codice="2019_S08_01")
    esiti = {
        Indicatore.objects.get(pk=pk).numero: e
        for pk, e in punteggi.dettagli[s08_01.pk]["indicatori"].items()
    }
    assert esiti[2].punteggio == D(100)  # (si=1, no=0) with 1
    assert esiti[4].punteggio == D("92.57")  # 4,11 / 4,44 proporzionale
    assert esiti[8].punteggio == D(100)  # differenza massima 0,6: achieved 0,30, lower is better
    assert punteggi.obiettivi[s08_01.pk].punteggio == D("99.26")
    assert punteggi.ente.stato == CALCOLATO


def test_chiavari_without_rilevazioni_is_incompleto_everywhere(demo):
    chiavari = demo("chiavari")
    punteggi = carica_punteggi(chiavari.piani.get(), 2019)
    assert punteggi.ente.stato == INCOMPLETO
    assert (
        len(punteggi.ente.mancanti)
        == Indicatore.objects.filter(
            obiettivo__piano__comune=chiavari, obiettivo__anno=2019
        ).count()
    )
    esito = next(iter(punteggi.dettagli.values()))["indicatori"]
    assert {e.stato for e in esito.values()} == {NON_RILEVATO}


def test_scoring_a_piano_uses_a_fixed_number_of_queries(django_assert_max_num_queries):
    first = _obiettivo()
    for _ in range(20):
        other = _obiettivo(piano=first.piano, settore=first.settore)
        _rileva(other, 1, 3)
        FaseFactory(obiettivo=other, numero=1, avanzamento=D(50))
    with django_assert_max_num_queries(5):
        punteggi = carica_punteggi(first.piano, 2019)
    assert len(punteggi.obiettivi) == 21


def test_punteggi_command_prints_ente_settori_obiettivi(demo):
    demo("seregno")
    out = io.StringIO()
    call_command("punteggi", "--comune", "seregno", "--anno", "2019", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(
        "Città di Seregno · Piano degli obiettivi - Rendicontazione anno 2019"
    )
    assert lines[2].startswith("ENTE") and lines[2].endswith("%")
    assert any(
        line.startswith("obiettivo  Ob_Obiet050501") and line.endswith("95,00%") for line in lines
    )


def test_punteggi_command_says_incompleto_and_lists_missing(demo):
    demo("chiavari")
    out = io.StringIO()
    call_command("punteggi", "--comune", "chiavari", "--anno", "2019", "--mancanti", stdout=out)
    text = out.getvalue()
    assert "incompleto" in text
    assert "VI - 1 (2019) › indicatore 1" in text


def test_genera_dati_builds_a_plan_of_the_requested_size():
    out = io.StringIO()
    call_command(
        "genera_dati",
        "--comune",
        "prova",
        "--settori",
        "3",
        "--obiettivi",
        "4",
        "--indicatori",
        "6",
        "--fasi",
        "2",
        stdout=out,
    )
    assert "3 settori, 12 obiettivi, 72 indicatori, 24 fasi" in out.getvalue()
    piano = Obiettivo.objects.filter(piano__comune__slug="prova").first().piano
    punteggi = carica_punteggi(piano, 2019)
    assert punteggi.ente.stato == CALCOLATO
    kinds = {i.regola["tipo"] for i in Indicatore.objects.filter(obiettivo__piano=piano)}
    assert len(kinds) >= 5
    for obiettivo in Obiettivo.objects.filter(piano=piano).prefetch_related("indicatori"):
        assert sum(i.peso for i in obiettivo.indicatori.all()) == D(100)
    with pytest.raises(CommandError, match="esiste già"):
        call_command("genera_dati", "--comune", "prova", stdout=io.StringIO())
