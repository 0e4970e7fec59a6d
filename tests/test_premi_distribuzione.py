"""The distribution of a fondo (individuale/distribuzione.py, pure): hand-computed cents,
the art. 81 maggiorazione with its tie rule, and property checks (hypothesis): the total
never exceeds the fondo, a higher score never gets less at equal service, the same
score gets the same premio."""

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from individuale.distribuzione import (
    DistribuzioneImpossibile,
    Valutato,
    distribuisci,
    fascia_di,
)

D = Decimal
# The fasce: ≥ 90 → 100%, 70-89 → 80%, 50-69 → 50%, < 50 → 0%.
FASCE = [(D(90), D(100)), (D(70), D(80)), (D(50), D(50)), (D(0), D(0))]


def _importi(esito):
    return [q.importo for q in esito.quote]


def test_fascia_di():
    assert fascia_di(D("90"), FASCE) == D(100)
    assert fascia_di(D("89.99"), FASCE) == D(80)
    assert fascia_di(D("50"), FASCE) == D(50)
    assert fascia_di(D("49.99"), FASCE) == D(0)
    assert fascia_di(D("40"), [(D(50), D(50))]) is None
    assert fascia_di(D("40"), []) is None


def test_centesimi_per_difetto_calcolati_a_mano():
    """Pesi 100×95 = 9500, 80×80 = 6400, 50×60 = 3000 (Σ 18900) su € 1.000,00:
    502,645… → 502,64; 338,624… → 338,62; 158,730… → 158,73; Σ 999,99, residuo 0,01."""
    valutati = [Valutato("a", D(95)), Valutato("b", D(80)), Valutato("c", D(60))]
    esito = distribuisci(D("1000.00"), valutati, FASCE)
    assert _importi(esito) == [D("502.64"), D("338.62"), D("158.73")]
    assert [q.fascia for q in esito.quote] == [D(100), D(80), D(50)]
    assert (esito.distribuito, esito.residuo) == (D("999.99"), D("0.01"))
    assert esito.premio_medio is None and esito.beneficiari == []


def test_servizio_part_time_e_giorni():
    """Stesso punteggio (90): a tempo pieno tutto l'anno, al 50% tutto l'anno, a tempo
    pieno per 73 giorni: pesi 100×90×100×365, 100×90×50×365, 100×90×100×73 = 10:5:2
    su € 1.700,00 → 1.000,00, 500,00, 200,00; senza il criterio «servizio» in parti
    uguali (566,666… → 566,66 ciascuno, residuo 0,02)."""
    valutati = [
        Valutato("pieno", D(90)),
        Valutato("meta", D(90), percentuale_servizio=D(50)),
        Valutato("breve", D(90), giorni_servizio=73),
    ]
    esito = distribuisci(D("1700"), valutati, FASCE, per_servizio=True)
    assert _importi(esito) == [D("1000.00"), D("500.00"), D("200.00")]
    assert esito.residuo == 0
    uguali = distribuisci(D("1700"), valutati, FASCE)
    assert _importi(uguali) == [D("566.66")] * 3 and uguali.residuo == D("0.02")


def test_art_81_calcolato_a_mano():
    """Sei dipendenti (95, 92, 85, 85, 75, 60), € 10.000,00, maggiorazione 30%, quota 20%.
    Pesi 9500, 9200, 6800, 6800, 6000, 3000 (Σ 41300). Prima ripartizione: 2300,24,
    2227,60, 1646,48, 1646,48, 1452,78, 726,39 (Σ 9999,97); premio medio 1666,661… →
    M = 30% = 499,998… → 500,00 per eccesso. Posti: floor(6 × 20%) = 1: il 95.
    Seconda ripartizione di 10.000 − 500 = 9.500: 2185,23, 2116,22, 1564,16, 1564,16,
    1380,14, 690,07; il primo riceve 2185,23 + 500,00 = 2685,23. Σ 9999,98."""
    punteggi = ["95", "92", "85", "85", "75", "60"]
    valutati = [Valutato(i, D(p), differenziabile=True) for i, p in enumerate(punteggi)]
    esito = distribuisci(D("10000"), valutati, FASCE, maggiorazione=D(30), quota_beneficiari=D(20))
    assert esito.premio_medio == D("1666.66")
    assert (esito.maggiorazione, esito.posti, esito.beneficiari) == (D("500.00"), 1, [0])
    assert [q.base for q in esito.quote] == [
        D("2185.23"),
        D("2116.22"),
        D("1564.16"),
        D("1564.16"),
        D("1380.14"),
        D("690.07"),
    ]
    assert [q.maggiorazione for q in esito.quote] == [D("500.00")] + [D("0.00")] * 5
    assert _importi(esito)[0] == D("2685.23")
    assert (esito.distribuito, esito.residuo) == (D("9999.98"), D("0.02"))
    assert esito.nota == ""


def test_art_81_pari_merito_al_limite_esclusi_tutti():
    """Quota 40% di 5 = 2 posti: il 95 entra, i due 90 insieme li supererebbero: fuori
    entrambi (a pari punteggio pari premio) e la nota lo dice."""
    punteggi = ["95", "90", "90", "80", "70"]
    valutati = [Valutato(i, D(p), differenziabile=True) for i, p in enumerate(punteggi)]
    esito = distribuisci(D("5000"), valutati, FASCE, quota_beneficiari=D(40))
    assert esito.posti == 2 and esito.beneficiari == [0]
    assert "2 a pari punteggio" in esito.nota
    assert esito.quote[1].importo == esito.quote[2].importo


def test_art_81_almeno_un_posto_e_solo_con_una_fascia():
    """floor(3 × 10%) = 0 → almeno 1; chi è sotto ogni fascia con premio non la riceve."""
    valutati = [
        Valutato("a", D(40), differenziabile=True),
        Valutato("b", D(30), differenziabile=True),
        Valutato("c", D(20), differenziabile=True),
    ]
    esito = distribuisci(D("900"), valutati, FASCE, quota_beneficiari=D(10))
    assert esito.posti == 1 and esito.beneficiari == []
    assert esito.nota.startswith("Nessuno ha un punteggio")
    assert esito.distribuito == 0 and esito.residuo == D("900")


def test_art_81_solo_per_le_categorie_che_la_prevedono():
    valutati = [Valutato("eq", D(99)), Valutato("dip", D(80), differenziabile=True)]
    esito = distribuisci(D("1000"), valutati, FASCE, quota_beneficiari=D(100))
    assert esito.beneficiari == ["dip"]
    assert esito.quote[0].maggiorazione == 0 and esito.quote[1].maggiorazione > 0


def test_maggiorazioni_oltre_il_fondo_rifiutate():
    """€ 0,02 to 100, 50, 50 (pesi 10000, 2500, 2500): the first pass gives 0,01 to the
    first and 0 to the others (P̄ = 0,01, M = 0,01 rounded up); three posti, all in a
    fascia: 3 × 0,01 > 0,02."""
    valutati = [Valutato(i, D(p), differenziabile=True) for i, p in enumerate([100, 50, 50])]
    with pytest.raises(
        DistribuzioneImpossibile,
        match=r"\(3 × € 0,01\) superano la parte del fondo che spetta al personale "
        r"interessato \(€ 0,02\)",
    ):
        distribuisci(D("0.02"), valutati, FASCE, quota_beneficiari=D(100))


def test_fondo_zero_negativo_e_persone_doppie():
    esito = distribuisci(D("0"), [Valutato("a", D(95))], FASCE)
    assert _importi(esito) == [D("0.00")] and esito.residuo == 0
    with pytest.raises(DistribuzioneImpossibile, match="negativo"):
        distribuisci(D("-1"), [Valutato("a", D(95))], FASCE)
    with pytest.raises(DistribuzioneImpossibile, match="due volte"):
        distribuisci(D("1"), [Valutato("a", D(95)), Valutato("a", D(90))], FASCE)


# ---------------------------------------------------------------- properties

punteggi = st.integers(0, 10000).map(lambda c: D(c) / 100)
fondi = st.integers(0, 10**9).map(lambda c: D(c) / 100)


def _o_rifiuto(*args, **kwargs):
    """The distribution, or (refused: k × M over a fondo of a few cents) not a case."""
    try:
        return distribuisci(*args, **kwargs)
    except DistribuzioneImpossibile as exc:
        assert "superano la parte del fondo" in str(exc)
        assume(False)


@st.composite
def fasce_crescenti(draw):
    """Fasce whose percentuale never goes down as the score goes up (as an SMVP has)."""
    soglie = sorted(draw(st.sets(st.integers(1, 99), max_size=4)))
    percentuali = sorted(
        draw(st.lists(st.integers(0, 100), min_size=len(soglie) + 1, max_size=len(soglie) + 1))
    )
    return list(zip([D(0)] + [D(s) for s in soglie], [D(p) for p in percentuali], strict=True))


@settings(max_examples=300, deadline=None)
@given(
    fondo=fondi,
    lista=st.lists(
        st.tuples(punteggi, st.integers(1, 100), st.integers(1, 365), st.booleans()),
        min_size=1,
        max_size=25,
    ),
    fasce=fasce_crescenti(),
    per_servizio=st.booleans(),
    maggiorazione=st.integers(30, 100),
    quota=st.integers(0, 100),
)
def test_il_totale_non_supera_mai_il_fondo(fondo, lista, fasce, per_servizio, maggiorazione, quota):
    valutati = [Valutato(i, p, D(pt), g, diff) for i, (p, pt, g, diff) in enumerate(lista)]
    esito = _o_rifiuto(
        fondo,
        valutati,
        fasce,
        per_servizio=per_servizio,
        maggiorazione=D(maggiorazione),
        quota_beneficiari=D(quota),
    )
    assert esito.distribuito == sum(_importi(esito))
    assert esito.distribuito <= fondo
    assert esito.residuo == fondo - esito.distribuito >= 0
    assert all(q.importo >= 0 and q.importo == q.importo.quantize(D("0.01")) for q in esito.quote)
    assert len(esito.beneficiari) <= esito.posti
    if any(q.peso > 0 for q in esito.quote):
        # Each person loses less than a cent to each rounding down (two passes for the
        # differenziabili when somebody gets the maggiorazione).
        arrotondamenti = len(valutati) + (len(valutati) if esito.beneficiari else 0)
        assert esito.residuo < D("0.01") * arrotondamenti


@settings(max_examples=300, deadline=None)
@given(
    fondo=fondi,
    lista=st.lists(punteggi, min_size=1, max_size=25),
    fasce=fasce_crescenti(),
    differenziabili=st.booleans(),
    quota=st.integers(0, 100),
    part_time=st.integers(1, 100),
    giorni=st.integers(1, 365),
)
def test_piu_punteggio_mai_meno_premio_e_pari_punteggio_pari_premio(
    fondo, lista, fasce, differenziabili, quota, part_time, giorni
):
    valutati = [Valutato(i, p, D(part_time), giorni, differenziabili) for i, p in enumerate(lista)]
    esito = _o_rifiuto(fondo, valutati, fasce, per_servizio=True, quota_beneficiari=D(quota))
    for a in esito.quote:
        for b in esito.quote:
            if a.punteggio > b.punteggio:
                assert a.importo >= b.importo, (a, b)
            if a.punteggio == b.punteggio:
                assert a.importo == b.importo, (a, b)


def test_art_81_pagata_dal_personale_non_da_chi_condivide_il_fondo_unico():
    """Review finding: under a fondo unico the EQ (not differenziabile) kept paying the
    comparto's maggiorazione and fell below a staff member with a lower score. The EQ's
    premio is the same with and without art. 81; the maggiorazione comes out of the
    staff's share."""
    valutati = [Valutato("eq", D(95))] + [
        Valutato(k, D(p), differenziabile=True)
        for k, p in (("a", 94), ("b", 60), ("c", 60), ("d", 60), ("e", 60))
    ]
    senza = distribuisci(D("10000"), valutati, FASCE, quota_beneficiari=D(0))
    con = distribuisci(D("10000"), valutati, FASCE, quota_beneficiari=D(20))
    assert con.beneficiari == ["a"]
    assert con.quote[0].importo == senza.quote[0].importo
    # The staff's exact share: 10.000 × (9400 + 4 × 3000) / (9500 + 9400 + 4 × 3000).
    staff = sum(q.importo for q in con.quote[1:])
    assert staff <= D("10000") * D(21400) / D(30900)
    assert con.quote[1].importo == con.quote[1].base + con.maggiorazione


@settings(max_examples=200, deadline=None)
@given(
    fondo=fondi,
    lista=st.lists(st.tuples(punteggi, st.booleans()), min_size=1, max_size=20),
    fasce=fasce_crescenti(),
    quota=st.integers(1, 100),
)
def test_chi_non_ha_l_art_81_riceve_lo_stesso_con_e_senza(fondo, lista, fasce, quota):
    valutati = [Valutato(i, p, differenziabile=d) for i, (p, d) in enumerate(lista)]
    con = _o_rifiuto(fondo, valutati, fasce, quota_beneficiari=D(quota))
    senza = distribuisci(fondo, valutati, fasce, quota_beneficiari=D(0))
    for q_con, q_senza, v in zip(con.quote, senza.quote, valutati, strict=True):
        if not v.differenziabile:
            assert q_con.importo == q_senza.importo
