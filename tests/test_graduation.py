"""The graduation engine: every rule kind, every seed phrase, the edges of each step."""

import datetime
import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from indicators.engine.graduation import (
    BOOLEANO,
    DECRESCENTE,
    LINEARE,
    PERCENTUALE,
    PROPORZIONALE,
    RITARDO,
    SOGLIE,
    DatiMancanti,
    GraduationSyntaxError,
    RiferimentoMancante,
    Rule,
    parse,
)
from objectives.demo_loader import DEMO_DIR

RITARDO_CHIAVARI = "gg di ritardo +5 =90 % +10gg = 80% +15gg =60%"
SCADENZA = datetime.date(2019, 9, 30)


def _seed_texts():
    texts = set()
    for path in DEMO_DIR.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        for piano in data["piani"]:
            for settore in piano["settori"]:
                for obiettivo in settore["obiettivi"]:
                    for item in obiettivo["indicatori"] + obiettivo["fasi"]:
                        if item["graduazione"]:
                            texts.add(item["graduazione"])
    return sorted(texts)


SEED_TEXTS = _seed_texts()


def test_the_seeds_hold_the_expected_variety():
    assert len(SEED_TEXTS) >= 30
    assert {parse(t).kind for t in SEED_TEXTS} == {
        RITARDO,
        SOGLIE,
        PROPORZIONALE,
        BOOLEANO,
        PERCENTUALE,
    }


@pytest.mark.parametrize("text", SEED_TEXTS)
def test_every_seed_graduazione_parses_and_reads_back(text):
    rule = parse(text)
    assert rule.describe()
    assert Rule.from_dict(rule.to_dict()) == rule


@pytest.mark.parametrize(
    "giorni, expected",
    [
        (-3, "100"),
        (0, "100"),
        (1, "90"),
        (5, "90"),
        (6, "80"),
        (10, "80"),
        (11, "60"),
        (15, "60"),
        (16, "0"),
        (200, "0"),
    ],
)
def test_ritardo_steps_at_and_past_each_threshold(giorni, expected):
    rule = parse(RITARDO_CHIAVARI)
    completed = SCADENZA + datetime.timedelta(days=giorni)
    assert rule.score(deadline=SCADENZA, completed_on=completed) == D(expected)
    # The same from the days of delay entered as the achieved value ("Giorni di ritardo").
    assert rule.score(0, max(giorni, 0)) == D(expected)


@pytest.mark.parametrize(
    "text",
    [
        "gg di ritardo +5 = 90 % +10gg = 80% +15gg = 60%",
        "giorni di ritardo +5 giorni = 90%; +10 giorni = 80%; +15 giorni = 60%",
        "GG DI RITARDO: +5=90% +10=80% +15=60%",
    ],
)
def test_ritardo_spacing_and_spelling_variants(text):
    assert parse(text) == parse(RITARDO_CHIAVARI)


def test_ritardo_with_a_stated_floor():
    rule = parse("gg di ritardo +5 = 90% +10 = 80% oltre = 50%")
    assert rule.score(0, 11) == D("50")
    assert "oltre 10 giorni: 50,00%" in rule.describe()


def test_ritardo_needs_a_date_or_the_days():
    with pytest.raises(DatiMancanti):
        parse(RITARDO_CHIAVARI).score(0, None, deadline=SCADENZA)


def test_ritardo_without_a_deadline_cannot_count_the_days_of_a_date():
    rule = parse(RITARDO_CHIAVARI)
    with pytest.raises(RiferimentoMancante, match="manca la scadenza"):
        rule.score(0, None, completed_on=SCADENZA)
    assert rule.score(0, D(3)) == D(90)  # the days of delay entered need no deadline


@pytest.mark.parametrize(
    "achieved, expected",
    [("5", "100"), ("4", "100"), ("3.9", "90"), ("3", "90"), ("2", "0"), ("0", "0")],
)
def test_soglie_step_function_even_when_target_is_higher(achieved, expected):
    rule = parse("4 incontri = 100% dell'obiettivo; 3 incontri = 90%")
    assert rule.score(D("5"), D(achieved)) == D(expected)


@pytest.mark.parametrize(
    "achieved, expected", [("80", "100"), ("79.99", "90"), ("70", "90"), ("60", "75"), ("59", "0")]
)
def test_percentage_thresholds(achieved, expected):
    rule = parse(
        "80% dei questionari = 100% dell'obiettivo; 70% = 90% dell'obiettivo; 60%= 75% dell'obiettivo"
    )
    assert rule.unita == "%"
    assert rule.score(D("80"), D(achieved)) == D(expected)


@pytest.mark.parametrize(
    "text",
    [
        "4 incontri = 100% dell'obiettivo; 3 incontri = 90% obiettivo",
        "4 incontri =100% obiettivo raggiunto; 3 incontri =90 %",
        "4 incontrii = 100%; 3 incontrii = 90% ;",
        "4 incontri = 100% dell'obiettivo; 3 incontri = 90 % incontri",
    ],
)
def test_soglie_suffix_variants(text):
    rule = parse(text)
    assert [(s.soglia, s.punti) for s in rule.steps] == [(D(4), D(100)), (D(3), D(90))]


def test_thresholds_written_with_their_percentages_keep_their_direction():
    rule = parse("80% = 100%; 70% = 90%")
    assert rule.with_polarita(DECRESCENTE) == rule


def test_soglie_lower_is_better_is_read_from_the_text_and_from_the_indicator():
    rule = parse("2 reclami = 100%; 4 reclami = 80%")
    assert rule.polarita == DECRESCENTE
    assert [rule.score(None, D(v)) for v in ("1", "2", "3", "4", "5")] == [
        D(100),
        D(100),
        D(80),
        D(80),
        D(0),
    ]
    differenza = parse("0,6 = 100%").with_polarita(DECRESCENTE)  # Cinisello: differenza massima 0,6
    assert differenza.score(None, D("0.30")) == D(100)
    assert differenza.score(None, D("0.61")) == D(0)


def test_proporzionale_capped_inverted_and_with_minimum():
    rule = parse("proporzionale")
    assert rule.score(D("60"), D("45")) == D("75.00")
    assert rule.score(D("600"), D("812.5")) == D("100")
    assert rule.score(D("3"), D("2")) == D("66.67")  # half-up
    assert rule.with_polarita(DECRESCENTE).score(D("0.6"), D("0.3")) == D("100")
    assert rule.with_polarita(DECRESCENTE).score(D("0.6"), D("0.8")) == D("75.00")
    minimo = parse("proporzionale, minimo 50%")
    assert minimo.score(D("10"), D("5")) == D("50.00")
    assert minimo.score(D("10"), D("4.99")) == D("0")
    # Without a target a value cannot be measured (non misurabile: only a variazione
    # adds the target); without the value it is simply not rilevato yet.
    with pytest.raises(RiferimentoMancante, match="manca il valore atteso"):
        rule.score(None, D("1"))
    with pytest.raises(DatiMancanti, match="manca il valore raggiunto"):
        rule.score(None, None)
    assert rule.manca_riferimento(None, None) == "manca il valore atteso"
    assert rule.manca_riferimento(D("3"), None) is None


@pytest.mark.parametrize("text", ["(si=1, no=0)", "(SI=1 NO=0)", "(si =1, no=0)"])
def test_booleano(text):
    rule = parse(text)
    assert rule.kind == BOOLEANO
    assert (rule.score(1, 1), rule.score(1, 0)) == (D(100), D(0))
    with pytest.raises(ValueError, match="deve essere 1 o 0"):
        rule.score(1, 2)


@pytest.mark.parametrize("text", ["(SI=100)", "(SI = 100)"])
def test_percentuale_diretta_as_seregno_reports(text):
    rule = parse(text)
    assert rule.kind == PERCENTUALE
    assert rule.score(D(100), D(95)) == D("95.00")
    assert rule.score(D(100), D(212)) == D(100)


def test_lineare_interpolates_between_thresholds():
    rule = parse("lineare: 10 = 100%; 5 = 60%")
    assert rule.kind == LINEARE
    assert rule.score(None, D(10)) == D(100)
    assert rule.score(None, D("7.5")) == D("80.00")
    assert rule.score(None, D(5)) == D(60)
    assert rule.score(None, D("4.99")) == D(0)
    assert rule.score(None, D(12)) == D(100)


def test_truncated_tail_is_ignored_aloud_never_silently():
    rule = parse("4 incontri = 100% dell'obiettivo; 3")
    assert rule.avvisi == (
        "il testo sembra interrotto: la parte finale «3» è incompleta e non è considerata",
    )
    spiegazione = rule.explain(D(5), D(4))
    assert f"Attenzione: {rule.avvisi[0]}" in spiegazione.passi


@pytest.mark.parametrize(
    "text, position, fragment",
    [
        ("", 0, "vuota"),
        ("raggiungimento ottimo", 0, "«raggiungimento ottimo»"),
        ("4 incontri = 100%; tanti = molto; 2 incontri = 50%", 19, "«tanti = molto»"),
        ("4 incontri = 100% quasi; 3 = 90%", 18, "«quasi»"),
        ("gg di ritardo +5 = 90% poi basta", 23, "«poi basta»"),
        ("4 incontri = 100%; 3 incontri = 120%", 19, "oltre 100"),
        ("4 incontri = 70%; 3 incontri = 90%; 5 incontri = 80%", 0, "non sono in ordine"),
    ],
)
def test_unreadable_text_names_the_part_and_where(text, position, fragment):
    with pytest.raises(GraduationSyntaxError) as exc:
        parse(text)
    assert fragment in exc.value.message
    assert exc.value.position == position


def test_explain_shows_inputs_step_and_result():
    passi = (
        parse(RITARDO_CHIAVARI)
        .explain(deadline=SCADENZA, completed_on=datetime.date(2019, 10, 8))
        .passi
    )
    assert passi[0].startswith("Regola: Giorni di ritardo rispetto alla scadenza")
    assert "Scadenza 30 settembre 2019, completamento 8 ottobre 2019: 8 giorni di ritardo" in passi
    assert "Ritardo fino a 10 giorni: 80,00%" in passi
    assert passi[-1] == "Percentuale di conseguimento: 80,00%"


def test_from_dict_refuses_bad_structures():
    with pytest.raises(ValueError, match="Tipo di regola sconosciuto"):
        Rule.from_dict({"tipo": "magia"})
    with pytest.raises(ValueError, match="almeno una soglia"):
        Rule.from_dict({"tipo": "soglie"})
    with pytest.raises(ValueError, match="fuori da 0-100"):
        Rule.from_dict({"tipo": "soglie", "soglie": [["4", "130"]]})


# --- the gradua command --------------------------------------------------------


def _gradua(*args):
    out = io.StringIO()
    call_command("gradua", *args, stdout=out)
    return out.getvalue().strip().splitlines()


@pytest.mark.parametrize(
    "args, expected",
    [
        ([RITARDO_CHIAVARI, "--scadenza", "2019-09-30", "--completato", "2019-10-05"], "90,00"),
        ([RITARDO_CHIAVARI, "--scadenza", "2019-09-30", "--completato", "2019-10-06"], "80,00"),
        ([RITARDO_CHIAVARI, "--scadenza", "2019-09-30", "--completato", "2019-10-15"], "60,00"),
        ([RITARDO_CHIAVARI, "--scadenza", "2019-09-30", "--completato", "2019-10-16"], "0,00"),
        ([RITARDO_CHIAVARI, "--atteso", "0", "--raggiunto", "10"], "80,00"),
        (
            [
                "4 incontri = 100% dell'obiettivo; 3 incontri = 90%",
                "--atteso",
                "5",
                "--raggiunto",
                "3",
            ],
            "90,00",
        ),
        (
            [
                "4 incontri = 100% dell'obiettivo; 3 incontri = 90%",
                "--atteso",
                "5",
                "--raggiunto",
                "2",
            ],
            "0,00",
        ),
        (["proporzionale", "--atteso", "60", "--raggiunto", "45"], "75,00"),
        (["proporzionale", "--atteso", "0,6", "--raggiunto", "0.3", "--decrescente"], "100,00"),
        (["(si=1, no=0)", "--atteso", "1", "--raggiunto", "1"], "100,00"),
        (["(SI=100)", "--atteso", "100", "--raggiunto", "95"], "95,00"),
        (["lineare: 10 = 100%; 5 = 60%", "--raggiunto", "7,5"], "80,00"),
    ],
)
def test_gradua_prints_the_score_last(args, expected):
    assert _gradua(*args)[-1] == expected


@pytest.mark.parametrize(
    "args",
    [
        ["boh = forse", "--atteso", "1", "--raggiunto", "1"],
        ["proporzionale", "--atteso", "uno", "--raggiunto", "1"],
        [RITARDO_CHIAVARI, "--scadenza", "30/09/2019", "--completato", "2019-10-01"],
        [RITARDO_CHIAVARI],
    ],
)
def test_gradua_exits_2_on_bad_input(args):
    with pytest.raises(CommandError) as exc:
        call_command("gradua", *args, stdout=io.StringIO())
    assert exc.value.returncode == 2


# --- properties ----------------------------------------------------------------

decimals = st.decimals(
    min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False
)
rules = st.sampled_from([parse(t) for t in SEED_TEXTS if parse(t).kind in (SOGLIE, PROPORZIONALE)])
days = st.integers(min_value=-400, max_value=400)


@given(rule=rules, target=decimals, a=decimals, b=decimals, decrescente=st.booleans())
def test_scores_stay_in_range_and_are_monotonic(rule, target, a, b, decrescente):
    if decrescente:
        rule = rule.with_polarita(DECRESCENTE)
    low, high = sorted((a, b))
    s_low, s_high = rule.score(target, low), rule.score(target, high)
    assert D(0) <= s_low <= D(100) and D(0) <= s_high <= D(100)
    if rule.polarita == DECRESCENTE:
        assert s_high <= s_low
    else:
        assert s_high >= s_low


@given(a=days, b=days)
def test_more_delay_never_raises_a_ritardo_score(a, b):
    rule = parse(RITARDO_CHIAVARI)
    early, late = sorted((a, b))
    s_early = rule.score(deadline=SCADENZA, completed_on=SCADENZA + datetime.timedelta(days=early))
    s_late = rule.score(deadline=SCADENZA, completed_on=SCADENZA + datetime.timedelta(days=late))
    assert D(0) <= s_late <= s_early <= D(100)


@given(target=decimals, achieved=decimals)
def test_lineare_and_percentuale_stay_in_range(target, achieved):
    for rule in (parse("lineare: 10 = 100%; 5 = 60%; 2 = 10%"), parse("(SI=100)")):
        assert D(0) <= rule.score(target, achieved) <= D(100)


@pytest.mark.parametrize(
    "text, troncato",
    [
        ("gg di ritardo +5 = 90%; +10gg =", "«+10gg ="),
        ("4 incontri = 100%; 3 = 90%;4", "«4»"),
        ("4 incontri = 100%; 3 = 90%;", "«;»"),
        ("gg di ritardo +5 = 90%;", "«;»"),
        ("4 incontri = 100% / 3 = 90% /", "«/»"),
    ],
)
def test_text_cut_short_is_warned_in_italian(text, troncato):
    rule = parse(text)
    assert len(rule.avvisi) == 1
    assert "sembra interrotto" in rule.avvisi[0] and troncato in rule.avvisi[0]
    passi = rule.explain(D(4), D(4)).passi
    assert any(p.startswith("Attenzione: il testo sembra interrotto") for p in passi)


@pytest.mark.parametrize("text", ["4 incontri = 100%; 3 = 90%", "(si=1, no=0)", "proporzionale."])
def test_complete_text_has_no_warning(text):
    assert parse(text).avvisi == ()


@pytest.mark.parametrize(
    "text, dove",
    [
        ("raggiungimento ottimo", "(all'inizio del testo)"),
        ("4 incontri = 100%; tanti = molto; 2 incontri = 50%", "(dopo «4 incontri = 100%;»)"),
        ("gg di ritardo +5 = 90% poi basta", "(dopo «gg di ritardo +5 = 90%»)"),
        (
            "gg di ritardo +5 = 90%; +10 = 80%; +20 = 70%; +30 = 60%; ecco",
            "(dopo «…+20 = 70%; +30 = 60%;»)",
        ),
    ],
)
def test_error_position_is_said_in_words(text, dove):
    with pytest.raises(GraduationSyntaxError) as exc:
        parse(text)
    assert str(exc.value).endswith(dove)
    assert "carattere" not in str(exc.value)
