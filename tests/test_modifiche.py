"""The one service that changes a scheda (objectives.modifiche), as a specification:
it asks the workflow, locks, checks the versione, records the variazione, numbers the
rows, raises the versione, writes who and why into the history, also in bulk."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators.models import Indicatore
from objectives.models import CambioStato, Obiettivo, Variazione
from objectives.modifiche import (
    ModificaConcorrente,
    esegui,
    modifica,
    modifica_in_blocco,
    transizione,
)
from objectives.workflow import TransizioneNonAmmessa

from .factories import (
    FaseFactory,
    IndicatoreFactory,
    ObiettivoFactory,
    RisorsaFinanziariaFactory,
)

pytestmark = pytest.mark.django_db
S = Obiettivo.Stato


def test_a_draft_changes_for_its_responsabile_and_records_who_and_why(ente):
    scheda = ente.scheda("bozza", "con_indicatori")
    indicatore = scheda.indicatori.get(numero=1)
    with modifica(scheda, ente.responsabile_a, versione=1) as m:
        assert m.ambito == "pianificazione" and not m.variazione
        indicatore.peso = D("55")
        indicatore.save()
    scheda.refresh_from_db()
    assert scheda.versione == 2
    assert not Variazione.objects.exists()
    storia = indicatore.history.latest()
    # No request here (a command, a task): who and why come from the service.
    assert (storia.history_user, storia.history_change_reason) == (
        ente.responsabile_a,
        "Pianificazione",
    )


RUOLO = "Il tuo ruolo non permette di modificare la scheda"
STATO = "Non puoi modificare la scheda"


@pytest.mark.parametrize(
    "stato, profilo, motivo",
    [
        (S.BOZZA, "responsabile_b", RUOLO),  # another settore
        (S.BOZZA, "oiv", RUOLO),
        (S.BOZZA, "lettore", RUOLO),
        (S.PROPOSTO, "responsabile_a", STATO),  # proposed: only the segreteria
        (S.APPROVATO, "responsabile_a", RUOLO),  # a variazione is the segreteria's
        (S.RENDICONTATO, "segreteria", STATO),  # reopen first
        (S.VALIDATO, "segreteria", STATO),
        (S.VALIDATO, "superuser", STATO),  # the superuser follows the same rule
        (S.BOZZA, "estraneo", RUOLO),  # another comune
    ],
)
def test_the_workflow_refuses_and_nothing_is_written(ente, stato, profilo, motivo):
    scheda = ente.scheda(stato, "con_indicatori")
    with (
        pytest.raises(TransizioneNonAmmessa, match=motivo),
        modifica(scheda, ente.profilo(profilo), motivazione="x"),
    ):
        Indicatore.objects.filter(obiettivo=scheda).update(peso=D("1"))
    scheda.refresh_from_db()
    assert scheda.versione == 1
    assert set(scheda.indicatori.values_list("peso", flat=True)) == {D("60"), D("40")}


def test_after_approval_a_change_is_a_variazione_with_what_changed(ente):
    scheda = ente.scheda("approvato", "con_indicatori")
    with modifica(scheda, ente.segreteria, versione=1, motivazione=" Target rivisto ") as m:
        assert m.variazione
        m.annota(["indicatore 1: valore atteso 10 → 12"])
        Indicatore.objects.filter(obiettivo=scheda, numero=1).update(valore_atteso=12)
    variazione = Variazione.objects.get(obiettivo=scheda)
    assert variazione.motivazione == "Target rivisto"
    assert variazione.riepilogo == "indicatore 1: valore atteso 10 → 12"
    assert (variazione.utente, variazione.stato) == (ente.segreteria, S.APPROVATO)
    scheda.refresh_from_db()
    assert scheda.versione == 2


def test_a_variazione_without_motivazione_is_refused_and_rolled_back(ente):
    scheda = ente.scheda("in_monitoraggio", "con_indicatori")
    with (
        pytest.raises(TransizioneNonAmmessa, match="richiede la motivazione"),
        modifica(scheda, ente.segreteria, versione=1, motivazione="   "),
    ):
        indicatore = scheda.indicatori.get(numero=1)
        indicatore.peso = D("1")
        indicatore.save()
    assert not Variazione.objects.exists()
    assert set(scheda.indicatori.values_list("peso", flat=True)) == {D("60"), D("40")}
    scheda.refresh_from_db()
    assert scheda.versione == 1


def test_a_stale_versione_is_refused_with_what_changed_meanwhile(ente):
    scheda = ente.scheda("bozza", "con_indicatori")
    aperta_il = timezone.now()  # the responsabile opens the page
    with modifica(scheda, ente.segreteria, versione=1) as m:
        m.obiettivo.denominazione = "Cambiata dalla segreteria"
        m.obiettivo.save()
    with (
        pytest.raises(ModificaConcorrente) as errore,
        modifica(scheda, ente.responsabile_a, versione=1, caricato_il=aperta_il),
    ):
        pytest.fail("the body must not run")
    cambi = errore.value.cambi
    assert [(v.oggetto, v.utente) for v in cambi] == [("obiettivo", "segreteria-borgo")]
    assert ("denominazione", "Obiettivo di prova", "Cambiata dalla segreteria") in cambi[0].cambi
    scheda.refresh_from_db()
    assert scheda.versione == 2


def test_an_error_in_the_body_leaves_everything_as_it_was(ente):
    scheda = ente.scheda("approvato", "con_indicatori")
    with (
        pytest.raises(ZeroDivisionError),
        modifica(scheda, ente.segreteria, versione=1, motivazione="Rivista"),
    ):
        Indicatore.objects.filter(obiettivo=scheda).update(peso=D("1"))
        1 / 0  # noqa: B018
    scheda.refresh_from_db()
    assert scheda.versione == 1
    assert not Variazione.objects.exists()
    assert set(scheda.indicatori.values_list("peso", flat=True)) == {D("60"), D("40")}


def test_numera_parks_the_rows_that_move_and_numbers_them(ente):
    scheda = ente.scheda("bozza")
    primo = IndicatoreFactory(obiettivo=scheda, numero=1, denominazione="Primo")
    secondo = IndicatoreFactory(obiettivo=scheda, numero=2, denominazione="Secondo")
    terzo = IndicatoreFactory(obiettivo=scheda, numero=3, denominazione="Terzo")
    nuovo = Indicatore(obiettivo=scheda, denominazione="Nuovo")
    with modifica(scheda, ente.segreteria) as m:
        spostate = m.numera([terzo, primo, nuovo, secondo])
        assert spostate == [terzo, primo, nuovo, secondo]  # every one moves or is new
        for riga in spostate:
            riga.save()
    assert list(scheda.indicatori.order_by("numero").values_list("denominazione", flat=True)) == [
        "Terzo",
        "Primo",
        "Nuovo",
        "Secondo",
    ]


def test_numera_leaves_rows_that_keep_their_number(ente):
    scheda = ente.scheda("bozza", "con_indicatori")
    righe = list(scheda.indicatori.order_by("numero"))
    with modifica(scheda, ente.segreteria) as m, CaptureQueriesContext(connection) as q:
        assert m.numera(righe) == []
    assert len(q) == 0


def test_the_bulk_entry_writes_a_history_row_each_in_few_queries(ente):
    """An import of many schede: queries do not grow with the rows."""

    def importa(n: int) -> int:
        schede = [
            ObiettivoFactory(piano=ente.piano, settore=ente.settore_a, bozza=True) for _ in range(n)
        ]
        with (
            CaptureQueriesContext(connection) as q,
            modifica_in_blocco(
                schede,
                # A fresh user object, as in each request: its roles are read once per object.
                type(ente.segreteria).objects.get(pk=ente.segreteria.pk),
                versioni={o.pk: o.versione for o in schede},
                motivo="Importazione da Excel",
            ) as m,
        ):
            nuovi = [
                Indicatore(obiettivo=o, numero=k, denominazione=f"Ind {k}", graduazione="")
                for o in schede
                for k in (1, 2, 3)
            ]
            m.crea(nuovi)
            for o in schede:
                o.denominazione = "Aggiornata"
            m.aggiorna(schede, ["denominazione"])
        return len(q)

    pochi, molti = importa(2), importa(12)
    assert pochi == molti
    creati = Indicatore.history.filter(history_type="+", denominazione="Ind 1")
    assert creati.count() == 14
    assert {(h.history_user, h.history_change_reason) for h in creati} == {
        (ente.segreteria, "Importazione da Excel")
    }
    assert Obiettivo.history.filter(history_type="~", denominazione="Aggiornata").count() == 14
    assert set(
        Obiettivo.objects.filter(denominazione="Aggiornata").values_list("versione", flat=True)
    ) == {2}


def test_bulk_rows_read_their_graduazione(ente):
    scheda = ente.scheda("bozza")
    riga = Indicatore(
        obiettivo=scheda, numero=1, denominazione="X", graduazione="gg di ritardo +5 =90 %"
    )
    with modifica(scheda, ente.segreteria) as m:
        m.crea([riga])
    riga.refresh_from_db()
    assert riga.regola == {"tipo": "ritardo", "polarita": "decrescente", "soglie": [["5", "90"]]}


def test_a_new_scheda_is_checked_as_a_draft_of_its_settore(ente):
    nuova = Obiettivo(
        piano=ente.piano,
        settore=ente.settore_b,
        codice="N 1",
        anno=2019,
        anno_inizio=2019,
        anno_fine=2019,
        denominazione="Nuova",
    )
    with pytest.raises(TransizioneNonAmmessa), modifica(nuova, ente.responsabile_a):
        nuova.save()
    assert not Obiettivo.objects.filter(codice="N 1").exists()
    with modifica(nuova, ente.responsabile_b):
        nuova.save()
    nuova.refresh_from_db()
    assert nuova.versione == 1  # it starts at 1: nothing was open on it
    assert nuova.history.get().history_change_reason == "Pianificazione"


def test_a_transition_and_what_is_recorded_with_it_commit_together(ente):
    scheda = ente.scheda("rendicontato", "con_rilevazioni")
    with pytest.raises(RuntimeError), transizione(scheda, ente.oiv, "valida", motivazione="ok"):
        raise RuntimeError("the validation could not be recorded")
    scheda.refresh_from_db()
    assert (scheda.stato, scheda.versione) == (S.RENDICONTATO, 1)
    assert not CambioStato.objects.filter(obiettivo=scheda).exists()
    cambio = esegui(scheda, ente.oiv, "valida", motivazione="ok")
    scheda.refresh_from_db()
    assert (scheda.stato, scheda.versione) == (S.VALIDATO, 2)
    assert (cambio.da, cambio.a, cambio.utente) == (S.RENDICONTATO, S.VALIDATO, ente.oiv)
    assert scheda.history.latest().history_change_reason == "Valida: ok"


@pytest.mark.parametrize("stato", ["bozza", "approvato", "in_monitoraggio"])
def test_nothing_changed_leaves_the_scheda_as_it_was(ente, stato):
    """A save that writes nothing: same versione, no variazione, no history row."""
    scheda = ente.scheda(stato, "con_indicatori")
    storico = Indicatore.history.filter(obiettivo=scheda).count()
    with modifica(scheda, ente.segreteria, versione=1, motivazione="Nulla da cambiare") as m:
        m.annota([])  # a form with nothing changed describes nothing
    assert not m.cambiata
    scheda.refresh_from_db()
    assert scheda.versione == 1
    assert not Variazione.objects.exists()
    assert Indicatore.history.filter(obiettivo=scheda).count() == storico


def test_a_variazione_without_motivazione_is_refused_only_if_something_changed(ente):
    scheda = ente.scheda("in_monitoraggio", "con_indicatori")
    with modifica(scheda, ente.segreteria, versione=1) as m:
        pass
    assert not m.cambiata and not Variazione.objects.exists()


def test_a_written_row_or_a_mark_raises_the_versione(ente):
    scheda = ente.scheda("bozza", "con_indicatori")
    with modifica(scheda, ente.responsabile_a, versione=1) as m:
        scheda.indicatori.get(numero=2).delete()
    assert m.cambiata
    with modifica(scheda, ente.responsabile_a, versione=2) as m:
        Indicatore.objects.filter(obiettivo=scheda).update(peso=D("100"))
        m.segna()  # no history row for a queryset update: the caller says it
    scheda.refresh_from_db()
    assert scheda.versione == 3


def test_in_a_block_only_the_schede_that_changed_get_a_new_versione(ente):
    prima = ente.scheda("bozza", "con_indicatori")
    seconda = ente.scheda("bozza", "con_indicatori")
    with modifica_in_blocco(
        [prima, seconda], ente.segreteria, versioni={prima.pk: 1, seconda.pk: 1}
    ) as m:
        indicatore = seconda.indicatori.get(numero=1)
        indicatore.peso = D("50")
        m.aggiorna([indicatore], ["peso"])
    prima.refresh_from_db()
    seconda.refresh_from_db()
    assert (prima.versione, seconda.versione) == (1, 2)


def test_the_history_speaks_italian(ente):
    """Numbers with a comma (2 decimals for weights and percentages), dates in words,
    Sì/No, empty as "—", linked records by name."""
    import datetime

    from objectives.storico import storico_obiettivo

    scheda = ente.scheda("bozza", "con_indicatori")
    indicatore = scheda.indicatori.get(numero=1)
    fase = FaseFactory(obiettivo=scheda, numero=1, peso=D(100))
    finanziaria = RisorsaFinanziariaFactory(obiettivo=scheda, quota_parte=False, importo=None)
    with modifica(scheda, ente.responsabile_a, versione=1):
        indicatore.peso = D("35")
        indicatore.valore_atteso = D("5")
        indicatore.data_attesa = datetime.date(2019, 10, 3)
        indicatore.save()
        fase.avanzamento = D("100")
        fase.save()
        finanziaria.quota_parte = True
        finanziaria.importo = D("23000")
        finanziaria.save()
    cambi = {c[0]: c[1:] for v in storico_obiettivo(scheda) for c in v.cambi}
    assert cambi["peso (%)"] == ("60,00", "35,00")
    assert cambi["avanzamento (%)"] == ("—", "100,00")
    assert cambi["livello finale alla data"][1] == "3 ottobre 2019"
    assert cambi["livello finale atteso (valore target)"][1] == "5"
    assert cambi["quota parte"] == ("No", "Sì")
    assert cambi["importo (€)"] == ("—", "23.000,00")
    testo = " ".join(f"{a} {b}" for a, b in cambi.values())
    assert "None" not in testo and ".0000" not in testo


def test_one_way_to_say_a_value_for_history_variazioni_and_import(db):
    """peg.formatting.in_parole: the history, the variazione summary and the Excel
    import's prima → dopo say a value the same way."""
    import datetime as dt

    from indicators.models import Indicatore
    from peg.formatting import in_parole
    from reporting.excel_import.cambi import testo

    peso = Indicatore._meta.get_field("peso")
    atteso = Indicatore._meta.get_field("valore_atteso")
    polarita = Indicatore._meta.get_field("polarita")
    assert in_parole(D("30"), peso) == testo(peso, D("30")) == "30,00"
    assert in_parole(D("0.6000"), atteso) == "0,6"
    assert in_parole("decrescente", polarita) == "Più basso è meglio"
    assert in_parole(dt.date(2019, 10, 3)) == "3 ottobre 2019"
    assert in_parole(None) == in_parole("") == "—"
    assert in_parole(True) == "Sì"
    assert in_parole("riga\r\nseguente " * 20, breve=True).endswith("…")


def test_a_long_motivazione_fits_the_history_reason_and_is_kept_whole(ente):
    """The history's reason holds 100 characters (PostgreSQL refuses more: a 500 on a
    long motivazione); the variazione keeps the whole text."""
    scheda = ente.scheda("approvato", "con_indicatori")
    lunga = "Rivista con la giunta dopo il confronto con il Nucleo di valutazione " * 5
    with modifica(scheda, ente.segreteria, versione=1, motivazione=lunga):
        indicatore = scheda.indicatori.get(numero=1)
        indicatore.peso = D("55")
        indicatore.save()
    massimo = Indicatore.history.model._meta.get_field("history_change_reason").max_length
    motivi = Indicatore.history.filter(id=indicatore.pk).values_list(
        "history_change_reason", flat=True
    )
    assert all(len(m or "") <= massimo for m in motivi)
    assert any((m or "").startswith("Variazione: Rivista con la giunta") for m in motivi)
    assert Variazione.objects.get(obiettivo=scheda).motivazione == lunga.strip()
