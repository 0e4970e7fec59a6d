"""The scores of the schede individuali, computed by hand (docs/smvp.md).

The ente's piano 2019: settore A has obiettivo A 1 validated at the computed 92,00%
(indicatori 60 × 100% + 40 × 80%), settore B has B 1 validated at 95,00% instead of the
computed 92,00% (a rettifica). The settori weigh their obiettivi equally (no peso):
settore A 92,00%, settore B 95,00%, the ente (mean of the settori) 93,50%.
"""

from decimal import Decimal as D

import pytest

from individuale.differenziazione import differenziazione
from individuale.models import ObiettivoAssegnato, SchedaIndividuale, VotoComportamento
from individuale.punteggi import punteggi_delle_schede
from objectives.models import Obiettivo

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def anno(ente):
    a1 = ente.scheda("validato", codice="A 1")
    b1 = ente.scheda("con_rettifica", codice="B 1", settore=ente.settore_b)
    smvp = f.SmvpFactory(comune=ente.comune, con_fasce=True)
    return ente, smvp, a1, b1


def _scheda(smvp, categoria, voti=(), settore=None, **campi):
    persona = f.PersonaFactory(comune=smvp.comune)
    scheda = SchedaIndividuale.objects.create(
        smvp=smvp, categoria=categoria, persona=persona, settore=settore, **campi
    )
    for comportamento, voto in zip(categoria.comportamenti.all(), voti, strict=False):
        VotoComportamento.objects.create(scheda=scheda, comportamento=comportamento, voto=voto)
    return scheda


def _eq(smvp, **campi):
    """The issue's EQ: 60 ente, 40 comportamenti on 1-5, two comportamenti of equal weight."""
    categoria = f.CategoriaFactory(smvp=smvp, **campi)
    f.ComportamentoFactory(categoria=categoria, nome="Organizzazione")
    f.ComportamentoFactory(categoria=categoria, nome="Collaborazione")
    return categoria


def test_ente_and_comportamenti(anno):
    ente, smvp, *_ = anno
    scheda = _scheda(smvp, _eq(smvp), voti=[D(5), D(3)])
    p = punteggi_delle_schede(SchedaIndividuale.objects.all())[scheda.pk]
    # Votes 5 and 3 on 1-5: 100 and 50, equal weights: 75. 60 × 93,50 + 40 × 75 = 86,10.
    assert (p.ente, p.comportamenti, p.finale) == (D("93.50"), D("75.00"), D("86.10"))
    assert (p.settore, p.obiettivi, p.differenziazione) == (None, None, None)
    assert p.validati and p.mancanti == [] and p.da_validare == []


def test_settore_obiettivi_and_weighted_comportamenti(anno):
    ente, smvp, a1, b1 = anno
    categoria = f.CategoriaFactory(smvp=smvp, dipendenti=True, scala_massima=10)
    f.ComportamentoFactory(categoria=categoria, peso=D(70))
    f.ComportamentoFactory(categoria=categoria, peso=D(30))
    scheda = _scheda(smvp, categoria, voti=[D(10), D(4)], settore=ente.settore_a)
    ObiettivoAssegnato.objects.create(scheda=scheda, obiettivo=a1, peso=D(70))
    ObiettivoAssegnato.objects.create(scheda=scheda, obiettivo=b1, peso=D(30))
    p = punteggi_delle_schede([scheda])[scheda.pk]
    # Obiettivi 70 × 92 + 30 × 95 = 92,90; votes 10 and 4 on 1-10: 100 and 33,33…,
    # weighted 70/30: 80,00. 30 × 92 + 20 × 92,90 + 50 × 80 = 86,18.
    assert (p.settore, p.obiettivi, p.comportamenti) == (D("92.00"), D("92.90"), D("80.00"))
    assert p.finale == D("86.18") and p.ente is None and p.validati


def test_a_missing_vote_leaves_no_finale_and_says_which(anno):
    ente, smvp, *_ = anno
    scheda = _scheda(smvp, _eq(smvp), voti=[D(4)])
    p = punteggi_delle_schede([scheda])[scheda.pk]
    assert p.finale is None and p.comportamenti is None
    assert p.mancanti == ["manca il voto di «Collaborazione»"]


def test_a_vote_outside_the_scale_is_not_counted(anno):
    ente, smvp, *_ = anno
    scheda = _scheda(smvp, _eq(smvp), voti=[D(4), D(7)])
    p = punteggi_delle_schede([scheda])[scheda.pk]
    assert p.finale is None
    assert p.mancanti == ["il voto di «Collaborazione» è fuori dalla scala 1–5"]


def test_missing_settore_and_obiettivi_said_in_italian(anno):
    ente, smvp, *_ = anno
    categoria = f.CategoriaFactory(smvp=smvp, dipendenti=True)
    f.ComportamentoFactory(categoria=categoria)
    scheda = _scheda(smvp, categoria, voti=[D(3)])
    p = punteggi_delle_schede([scheda])[scheda.pk]
    assert p.finale is None
    assert p.mancanti == [
        "performance del settore: la scheda non indica il settore",
        "nessun obiettivo individuale assegnato",
    ]


def test_results_not_yet_validated_are_provisional(anno):
    ente, smvp, a1, _ = anno
    ente.scheda("rendicontato", codice="A 2")
    categoria = f.CategoriaFactory(smvp=smvp, dipendenti=True)
    f.ComportamentoFactory(categoria=categoria)
    scheda = _scheda(smvp, categoria, voti=[D(5)], settore=ente.settore_b)
    ObiettivoAssegnato.objects.create(scheda=scheda, obiettivo=a1, peso=D(100))
    # Settore B is all validated, A 1 too: the A 2 awaiting the Nucleo is not used.
    assert punteggi_delle_schede([scheda])[scheda.pk].validati
    eq = _scheda(smvp, _eq(smvp), voti=[D(5), D(5)])
    p = punteggi_delle_schede([eq])[eq.pk]
    # The ente uses every settore: A 2 (92,00% computed) awaits the Nucleo.
    assert not p.validati and p.provvisorio
    assert p.da_validare == ["A - Settore A: 1 obiettivo (A 2)"]
    assert p.ente == D("93.50") and p.finale == D("96.10")


def test_a_scheda_not_validated_any_more_counts_its_computed_score(anno):
    ente, smvp, a1, b1 = anno
    Obiettivo.objects.filter(pk=b1.pk).update(stato=Obiettivo.Stato.RENDICONTATO)
    scheda = _scheda(smvp, _eq(smvp), voti=[D(5), D(3)])
    p = punteggi_delle_schede([scheda])[scheda.pk]
    # B 1 reopened: its rettifica is no longer in force, 92 counts; ente 92.
    assert p.ente == D("92.00") and not p.validati


def _valutatore(ente, smvp, voti_valutati, peso_differenziazione=D(10)):
    """A responsabile (ente 40, comportamenti 50, differenziazione 10) who evaluates one
    scheda per vote in ``voti_valutati`` (one comportamento on 1-11: step 10 points)."""
    categoria = _eq(
        smvp,
        nome="Responsabili",
        peso_ente=D(40),
        peso_comportamenti=D(50),
        peso_differenziazione=peso_differenziazione,
    )
    utente = f.UserFactory()
    persona = f.PersonaFactory(comune=ente.comune, utente=utente)
    scheda = SchedaIndividuale.objects.create(smvp=smvp, categoria=categoria, persona=persona)
    for c, voto in zip(categoria.comportamenti.all(), [D(5), D(3)], strict=True):
        VotoComportamento.objects.create(scheda=scheda, comportamento=c, voto=voto)
    staff = f.CategoriaFactory(smvp=smvp, dipendenti=True, scala_massima=11)
    f.ComportamentoFactory(categoria=staff)
    for voto in voti_valutati:
        _scheda(smvp, staff, voti=[voto], valutatore=utente)
    return scheda


def test_differenziazione_proportional_below_the_threshold(anno):
    ente, smvp, *_ = anno
    scheda = _valutatore(ente, smvp, [D(9), D(8)])
    p = punteggi_delle_schede([scheda])[scheda.pk]
    # Evaluated 80 and 70: σ = 5 points, half of 10: 50,00.
    # 40 × 93,50 + 50 × 75 + 10 × 50 = 37,40 + 37,50 + 5 = 79,90.
    assert (p.differenziazione, p.finale) == (D("50.00"), D("79.90"))


def test_differenziazione_full_at_the_threshold(anno):
    ente, smvp, *_ = anno
    scheda = _valutatore(ente, smvp, [D(11), D(9), D(7)])
    p = punteggi_delle_schede([scheda])[scheda.pk]
    # 100, 80, 60: σ = 16,33 ≥ 10: 100. 37,40 + 37,50 + 10 = 84,90.
    assert (p.differenziazione, p.finale) == (D("100.00"), D("84.90"))


def test_differenziazione_excluded_with_fewer_than_two(anno):
    ente, smvp, *_ = anno
    scheda = _valutatore(ente, smvp, [D(9)])
    p = punteggi_delle_schede([scheda])[scheda.pk]
    # Excluded, weights re-proportioned: (40 × 93,50 + 50 × 75) / 90 = 83,22.
    assert (p.differenziazione, p.finale) == (None, D("83.22"))
    assert p.mancanti == [] and "esclusa" in p.avvisi[0]


def test_differenziazione_waits_for_the_evaluated_votes(anno):
    ente, smvp, *_ = anno
    scheda = _valutatore(ente, smvp, [D(9), None])
    p = punteggi_delle_schede([scheda])[scheda.pk]
    assert p.finale is None
    assert p.mancanti == ["differenziazione: 1 scheda valutata senza tutti i voti"]


def test_the_formula():
    assert differenziazione([D(50)]) is None
    assert differenziazione([D(60), D(60)]) == D("0.00")
    assert differenziazione([D(60), D(63)]) == D("15.00")
    assert differenziazione([D(0), D(100)]) == D("100.00")


def test_no_piano_of_the_year(ente):
    smvp = f.SmvpFactory(comune=ente.comune, anno=2030)
    scheda = _scheda(smvp, _eq(smvp), voti=[D(5), D(5)])
    p = punteggi_delle_schede([scheda])[scheda.pk]
    assert p.finale is None and "nessun piano comprende il 2030" in p.mancanti[0]


def test_the_queries_do_not_grow_with_the_schede(anno, django_assert_max_num_queries):
    ente, smvp, a1, b1 = anno
    categoria = f.CategoriaFactory(smvp=smvp, dipendenti=True, peso_differenziazione=D(0))
    f.ComportamentoFactory(categoria=categoria)
    valutatore = _valutatore(ente, smvp, [D(9), D(8)])

    def crea(n):
        for _ in range(n):
            s = _scheda(smvp, categoria, voti=[D(4)], settore=ente.settore_a)
            ObiettivoAssegnato.objects.create(scheda=s, obiettivo=a1, peso=D(100))

    crea(2)
    with django_assert_max_num_queries(13):
        pochi = punteggi_delle_schede(SchedaIndividuale.objects.all())
    crea(20)
    with django_assert_max_num_queries(13):
        molti = punteggi_delle_schede(SchedaIndividuale.objects.all())
    assert len(molti) == len(pochi) + 20
    assert molti[valutatore.pk].finale == D("79.90")
