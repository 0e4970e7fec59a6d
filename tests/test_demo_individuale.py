"""The demo's individual evaluation (individuale/demo.py): Cinisello Balsamo 2019 gets
its SMVP, six schede with every comportamento voted and commented, the users sindaco and
esempio; loading again changes nothing, and Cinisello can still be reloaded."""

import io
from decimal import Decimal

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from individuale.models import SchedaIndividuale, Smvp, VotoComportamento
from peg.models import Ruolo


def test_cinisello_2019_has_its_smvp_and_six_schede(demo_all):
    smvp = Smvp.objects.get(comune__slug="cinisello-balsamo", anno=2019)
    assert (smvp.fondi, smvp.fondo_unico) == (Smvp.Fondi.UNICO, Decimal("10000.00"))
    assert [(f.da, f.percentuale) for f in smvp.fasce.all()] == [
        (Decimal(90), Decimal(100)),
        (Decimal(70), Decimal(80)),
        (Decimal(50), Decimal(50)),
        (Decimal(0), Decimal(0)),
    ]
    eq, dipendenti = smvp.categorie.all()
    assert (eq.peso_settore, eq.peso_comportamenti) == (Decimal(60), Decimal(40))
    assert dipendenti.differenziazione_premio and not eq.differenziazione_premio
    schede = SchedaIndividuale.objects.filter(smvp=smvp).select_related("persona", "valutatore")
    assert len(schede) == 6
    conti = schede.get(persona__nome__iexact="Mario Conti")
    assert conti.categoria == eq and conti.valutatore is None
    # The staff's evaluator is the segretario: Conti sees no scheda but his own.
    assert {s.valutatore.username for s in schede if s != conti} == {"segretario"}
    assert not VotoComportamento.objects.filter(scheda__smvp=smvp, voto__isnull=True).exists()
    assert not VotoComportamento.objects.filter(scheda__smvp=smvp, commento="").exists()
    assert VotoComportamento.objects.filter(scheda__smvp=smvp).count() == 6 * 4
    assert conti.stato == SchedaIndividuale.Stato.BOZZA
    altre = [s for s in schede if s != conti]
    assert {s.stato for s in altre} == {SchedaIndividuale.Stato.CONSEGNATA}
    assert all(s.presa_visione_il for s in altre)


def test_sindaco_and_a_staff_member_can_log_in(demo_all):
    for username, tipo in (
        ("sindaco", "sindaco"),
        ("segretario", "lettore"),
        ("esempio", "dipendente"),
    ):
        richiesta = RequestFactory().post("/accesso/")
        assert authenticate(richiesta, username=username, password="demo") is not None
        ruolo = Ruolo.objects.get(utente__username=username)
        assert (ruolo.comune.slug, ruolo.tipo) == ("cinisello-balsamo", tipo)
    scheda = SchedaIndividuale.objects.get(persona__utente__username="esempio")
    assert scheda.persona.nome == "Anna Esempio"
    # She took note from her own login; the others on paper.
    assert scheda.presa_visione_modo == SchedaIndividuale.PresaVisione.ACCESSO
    altri = SchedaIndividuale.objects.filter(presa_visione_il__isnull=False).exclude(pk=scheda.pk)
    assert {s.presa_visione_modo for s in altri} == {SchedaIndividuale.PresaVisione.CARTACEA}


def test_loading_again_changes_nothing_and_cinisello_reloads(demo_all):
    prima = list(SchedaIndividuale.objects.values_list("pk", "persona__nome"))
    uscita = io.StringIO()
    call_command("carica_demo", stdout=uscita)
    assert list(SchedaIndividuale.objects.values_list("pk", "persona__nome")) == prima
    assert "sistema di valutazione" not in uscita.getvalue()
    # The comune deleted and loaded again: its individual evaluation goes and comes back.
    uscita = io.StringIO()
    call_command("carica_demo", "cinisello-balsamo", "--sostituisci", stdout=uscita)
    assert "6 schede individuali" in uscita.getvalue()
    assert SchedaIndividuale.objects.filter(smvp__comune__slug="cinisello-balsamo").count() == 6
