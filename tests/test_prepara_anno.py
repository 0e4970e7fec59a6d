"""«Prepara il piano dell'anno successivo»: the service on the demo (Cinisello Balsamo
2019 → 2020, Chiavari's pluriennali), exclusions, idempotence, the old year untouched,
the page (segreteria only) and the command's exit codes."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from indicators.models import Indicatore, Rilevazione, ValoreStorico
from objectives.anno_successivo import PreparazioneImpossibile, prepara, prepara_anno
from objectives.anno_successivo.prepara import schede_preparate
from objectives.models import (
    Fase,
    Obiettivo,
    RisorsaFinanziaria,
    RisorsaStrumentale,
    RisorsaUmana,
)
from peg.models import Piano, Ruolo

from .factories import (
    FaseFactory,
    IndicatoreFactory,
    ObiettivoFactory,
    PianoFactory,
    RilevazioneFactory,
    RisorsaFinanziariaFactory,
    ValoreStoricoFactory,
)
from .utenti import utente

pytestmark = pytest.mark.django_db


def impronta(piano, anno: int) -> dict:
    """Every row of the year's schede and what hangs off them, with their history rows:
    what must not change when the next year is prepared."""
    schede = Obiettivo.objects.filter(piano=piano, anno=anno)
    ids = list(schede.values_list("pk", flat=True))
    indicatori = Indicatore.objects.filter(obiettivo_id__in=ids)
    righe = {
        "piano": list(Piano.objects.filter(pk=piano.pk).values()),
        "schede": list(schede.order_by("pk").values()),
        "storia_schede": Obiettivo.history.filter(id__in=ids).count(),
        "indicatori": list(indicatori.order_by("pk").values()),
        "storia_indicatori": Indicatore.history.filter(obiettivo_id__in=ids).count(),
        "rilevazioni": list(Rilevazione.objects.filter(indicatore__in=indicatori).values()),
        "storici": list(ValoreStorico.objects.filter(indicatore__in=indicatori).values()),
        "fasi": list(Fase.objects.filter(obiettivo_id__in=ids).order_by("pk").values()),
    }
    for modello in (RisorsaFinanziaria, RisorsaUmana, RisorsaStrumentale):
        righe[modello.__name__] = list(modello.objects.filter(obiettivo_id__in=ids).values())
    for campo in ("responsabili", "ambiti", "nodi_dup"):
        passante = getattr(Obiettivo, campo).through
        righe[campo] = sorted(passante.objects.filter(obiettivo_id__in=ids).values_list())
    return righe


@pytest.fixture
def cinisello(demo):
    comune = demo("cinisello-balsamo")
    return comune, comune.piani.get()


# -- the service on the demo ----------------------------------------------------------


def test_cinisello_2019_diventa_2020(cinisello):
    comune, piano = cinisello
    segreteria = utente(comune, Ruolo.Tipo.SEGRETERIA)
    prima = impronta(piano, 2019)
    esito = prepara_anno(comune, 2019, utente=segreteria)

    nuovo = esito.piano
    assert esito.piano_creato
    assert (nuovo.titolo, nuovo.anni_label, nuovo.stato) == (
        "PEG 2020 - Scheda PEG di rendicontazione",
        "2020",
        Piano.Stato.BOZZA,
    )
    assert (nuovo.tipo, nuovo.base_obiettivo, nuovo.vista_dup) == (
        piano.tipo,
        piano.base_obiettivo,
        piano.vista_dup,
    )
    assert sorted(nuovo.nodi_dup.values_list("codice", flat=True)) == sorted(
        piano.nodi_dup.values_list("codice", flat=True)
    )
    # It prints as the 2019 piano did (Cinisello's own scheda PEG).
    assert list(nuovo.modelli_stampa.values_list("uso", "predefinito")) == list(
        piano.modelli_stampa.values_list("uso", "predefinito")
    )
    assert nuovo.modelli_stampa.filter(predefinito="cinisello").exists()
    assert len(esito.create) == 20
    copie = {o.codice: o for o in nuovo.obiettivi.all()}
    assert sorted(copie) == sorted(
        o.codice.replace("2019_", "2020_") for o in piano.obiettivi.filter(anno=2019)
    )
    for vecchia in piano.obiettivi.filter(anno=2019):
        nuova = copie[vecchia.codice.replace("2019_", "2020_")]
        assert (nuova.stato, nuova.anno, nuova.anno_inizio, nuova.anno_fine) == (
            "bozza",
            2020,
            2020,
            2020,
        )
        assert (nuova.settore_id, nuova.denominazione) == (
            vecchia.settore_id,
            vecchia.denominazione,
        )
        assert set(nuova.responsabili.all()) == set(vecchia.responsabili.all())
        assert {n.codice for n in nuova.nodi_dup.all()} == {
            n.codice for n in vecchia.nodi_dup.all()
        }
        assert {n.piano_id for n in nuova.nodi_dup.all()} <= {nuovo.pk}
        assert nuova.stato_attuazione == "" and nuova.delibera_numero == ""
        assert nuova.risorse_strumentali.count() == vecchia.risorse_strumentali.count()
        for i_vecchio, i_nuovo in zip(
            vecchia.indicatori.order_by("numero"), nuova.indicatori.order_by("numero"), strict=True
        ):
            assert (i_nuovo.graduazione, i_nuovo.regola, i_nuovo.peso, i_nuovo.formula) == (
                i_vecchio.graduazione,
                i_vecchio.regola,
                i_vecchio.peso,
                i_vecchio.formula,
            )
            assert i_nuovo.valore_atteso == i_vecchio.valore_atteso
            assert not i_nuovo.rilevazioni.exists()
            finale = i_vecchio.rilevazioni.get(tipo="finale")
            storico = {s.anno: s for s in i_nuovo.storico.all()}
            assert storico[2019].valore == finale.valore  # last year's raggiunto
            assert storico[2019].valore_testo == finale.valore_testo
            assert set(storico) == {2019} | set(i_vecchio.storico.values_list("anno", flat=True))
        for f_vecchia, f_nuova in zip(
            vecchia.fasi.order_by("numero"), nuova.fasi.order_by("numero"), strict=True
        ):
            assert f_nuova.descrizione == f_vecchia.descrizione
            assert f_nuova.avanzamento is None and f_nuova.data_fine_effettiva is None
            if f_vecchia.data_fine_prevista:
                assert f_nuova.data_fine_prevista.year == f_vecchia.data_fine_prevista.year + 1
    # 2019_S08_07 indicatore 1: 2019's raggiunto 89,75 after 2018 and 2017 (the demo's).
    storico = copie["2020_S08_07"].indicatori.get(numero=1).storico.all()
    assert [(s.anno, s.valore_testo) for s in storico] == [
        (2019, "89,75"),
        (2018, "84,00"),
        (2017, "78,29"),
    ]
    # Through the service: history rows with who and why.
    riga = Obiettivo.history.filter(id=copie["2020_S08_07"].pk).get()
    assert (riga.history_type, riga.history_user, riga.history_change_reason) == (
        "+",
        segreteria,
        "Preparazione del 2020 dal 2019",
    )
    assert Indicatore.history.filter(obiettivo_id=copie["2020_S08_07"].pk).count() == 4
    assert impronta(piano, 2019) == prima  # nothing of 2019 changed


def test_idempotente(cinisello):
    comune, piano = cinisello
    prepara_anno(comune, 2019)
    nuovo = Piano.objects.get(comune=comune, anno_inizio=2020)
    prima = impronta(nuovo, 2020), Piano.objects.count(), Obiettivo.history.count()
    esito = prepara_anno(comune, 2019)
    assert (esito.create, esito.piano_creato, esito.piano) == ([], False, nuovo)
    assert {v.azione for v in esito.preparazione.voci} == {"esiste"}
    assert (impronta(nuovo, 2020), Piano.objects.count(), Obiettivo.history.count()) == prima


def test_esclusioni(cinisello):
    comune, piano = cinisello
    esclusa = piano.obiettivi.get(codice="2019_S08_05")
    esito = prepara_anno(comune, 2019, escludi={esclusa.pk})
    assert len(esito.create) == 19
    assert [v.origine for v in esito.escluse] == [esclusa]
    assert not esito.piano.obiettivi.filter(codice="2020_S08_05").exists()
    # Later, without exclusions: only the one left out.
    esito = prepara_anno(comune, 2019)
    assert [n.codice for _, n in esito.create] == ["2020_S08_05"]
    with pytest.raises(PreparazioneImpossibile, match="non sono del 2019"):
        prepara_anno(comune, 2019, escludi={999999})


def test_tutte_escluse_nessun_piano_creato(cinisello):
    comune, piano = cinisello
    tutte = set(piano.obiettivi.values_list("pk", flat=True))
    esito = prepara_anno(comune, 2019, escludi=tutte)
    assert (esito.create, esito.piano) == ([], None)
    assert not Piano.objects.filter(comune=comune, anno_inizio=2020).exists()


def test_chiavari_pluriennali_niente_doppioni(demo):
    comune = demo("chiavari")
    piano = comune.piani.get()
    prima = Obiettivo.objects.count()
    esito = prepara_anno(comune, 2019)  # every 2020 scheda is in the demo already
    assert esito.create == [] and esito.piano == piano and not esito.piano_creato
    assert {v.azione for v in esito.preparazione.voci} == {"esiste"}
    esito = prepara_anno(comune, 2020)
    azioni = {v.origine.codice: v.azione for v in esito.preparazione.voci}
    assert azioni["VI - 3"] == azioni["VI - 10"] == "esiste"  # 2019-2021: 2021 there
    assert azioni["VI - 1"] == "conclusa"  # 2019-2020: ended in 2020
    assert Obiettivo.objects.count() == prima


def test_chiavari_pluriennale_senza_la_scheda_2020(demo):
    """Without VI - 3's 2020 scheda, preparing 2020 creates it (and only it): same codice
    and period, in the same PDO 2019-2021; no final value in 2019, so no storico."""
    comune = demo("chiavari")
    piano = comune.piani.get()
    Obiettivo.objects.filter(piano=piano, codice="VI - 3", anno=2020).delete()
    ricevute = []

    def ricevi(sender, coppie, **kwargs):
        ricevute.extend(coppie)

    schede_preparate.connect(ricevi)
    try:
        esito = prepara_anno(comune, 2019)
    finally:
        schede_preparate.disconnect(ricevi)
    [(vecchia, nuova)] = esito.create
    assert ricevute == esito.create
    assert (vecchia.codice, vecchia.anno) == ("VI - 3", 2019)
    assert (nuova.codice, nuova.anno, nuova.anno_inizio, nuova.anno_fine, nuova.piano) == (
        "VI - 3",
        2020,
        2019,
        2021,
        piano,
    )
    assert esito.senza_storico == ["VI - 3 (2019), indicatore 1"]
    assert not ValoreStorico.objects.filter(indicatore__obiettivo=nuova).exists()


def test_pluriennale_prosegue_e_annuale_copiata():
    """A pluriennale 2019-2021 with only its 2019 scheda continues (same codice, same
    period); dates move by a year (29 February → 28), printed texts naming 2019 are
    cleared, progress and actual values are not carried, only planned risorse are."""
    piano = PianoFactory(titolo="PDO 2019-2021")
    plur = ObiettivoFactory(
        piano=piano, codice="P 1", durata="pluriennale", anno_inizio=2019, anno_fine=2021,
        stato="validato", data_inizio_prevista=datetime.date(2019, 1, 1),
        data_fine_prevista=datetime.date(2020, 2, 29), stato_attuazione="Fatto",
    )  # fmt: skip
    indicatore = IndicatoreFactory(
        obiettivo=plur, numero=1, graduazione="proporzionale", valore_atteso=D(10),
        data_attesa=datetime.date(2019, 12, 31), scadenza_testo="entro il 31/12/2019",
        valore_atteso_testo="n. 10 utenti", anno=2019,
    )  # fmt: skip
    RilevazioneFactory(indicatore=indicatore, tipo="finale", valore=D(8), valore_testo="8")
    ValoreStoricoFactory(indicatore=indicatore, anno=2019, valore=D(1))  # replaced
    FaseFactory(
        obiettivo=plur, numero=1, avanzamento=D(100), tempi_testo="gennaio 2019",
        data_inizio_prevista=datetime.date(2019, 3, 1), monitoraggio="ok",
    )  # fmt: skip
    RisorsaFinanziariaFactory(obiettivo=plur, importo=D(100))
    RisorsaFinanziariaFactory(obiettivo=plur, importo=D(90), effettiva=True)
    annuale = ObiettivoFactory(piano=piano, codice="A 1", anno=2019)

    esito = prepara_anno(piano.comune, 2019)
    assert esito.piano == piano and not esito.piano_creato
    nuova = Obiettivo.objects.get(piano=piano, codice="P 1", anno=2020)
    assert (nuova.anno_inizio, nuova.anno_fine, nuova.stato, nuova.stato_attuazione) == (
        2019,
        2021,
        "bozza",
        "",
    )
    assert nuova.data_fine_prevista == datetime.date(2021, 2, 28)
    copia = nuova.indicatori.get()
    assert (copia.data_attesa, copia.anno, copia.scadenza_testo) == (
        datetime.date(2020, 12, 31),
        2020,
        "",
    )
    assert copia.valore_atteso_testo == "n. 10 utenti"
    assert [(s.anno, s.valore) for s in copia.storico.all()] == [(2019, D(8))]
    fase = nuova.fasi.get()
    assert (fase.avanzamento, fase.monitoraggio, fase.tempi_testo) == (None, "", "")
    assert fase.data_inizio_prevista == datetime.date(2020, 3, 1)
    assert [r.importo for r in nuova.risorse_finanziarie.all()] == [D(100)]
    assert Obiettivo.objects.filter(piano=piano, codice="A 1", anno=2020).exists()
    assert annuale.codice == "A 1"


def test_piano_chiuso_rifiuta():
    piano = PianoFactory(titolo="PEG 2019-2021", stato="rendicontato")
    ObiettivoFactory(piano=piano, codice="A 1")
    with pytest.raises(PreparazioneImpossibile, match="non prende nuove schede"):
        prepara(piano.comune, 2019)


# -- the page ---------------------------------------------------------------------------


def _url(piano, **query):
    url = reverse("prepara_anno", args=[piano.comune.slug, piano.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_pagina_della_segreteria(client, cinisello):
    comune, piano = cinisello
    client.force_login(utente(comune, Ruolo.Tipo.SEGRETERIA))
    pagina = client.get(_url(piano)).content.decode()
    assert "Schede del 2019 (20)" in pagina
    assert pagina.count('type="checkbox" name="scheda"') == 20
    assert pagina.count(" checked>") == 20
    assert "«PEG 2020 - Scheda PEG di rendicontazione», che sarà creato in bozza" in pagina
    assert 'data-conferma="Saranno create in bozza le schede del 2020 selezionate' in pagina
    assert Obiettivo.objects.count() == 20  # a GET creates nothing
    esclusa = piano.obiettivi.get(codice="2019_S08_05")
    scelte = [str(pk) for pk in piano.obiettivi.exclude(pk=esclusa.pk).values_list("pk", flat=True)]
    risposta = client.post(_url(piano), {"da": "2019", "scheda": scelte})
    assert risposta.status_code == 200
    testo = risposta.content.decode()
    assert "19 schede create in bozza per il 2020" in testo
    assert "2019_S08_05: non copiata" in testo
    assert "è stato creato in bozza" in testo
    assert Obiettivo.objects.filter(anno=2020).count() == 19


def test_pagina_anno_malformato_e_piano_ambiguo(client):
    piano = PianoFactory(titolo="PIAO 2019-2021")
    ObiettivoFactory(piano=piano, codice="A 1", anno=2019)
    client.force_login(utente(piano.comune, Ruolo.Tipo.SEGRETERIA))
    assert client.get(_url(piano, da="abc")).status_code == 200  # the default year
    assert client.get(_url(piano, da="99999999999999999999")).status_code == 200
    altro = PianoFactory(comune=piano.comune, titolo="PIAO 2020-2022", anno_inizio=2020)
    pagina = client.get(_url(piano, da=2019)).content.decode()
    assert "più piani comprendono il 2020" in pagina
    assert f'<option value="{altro.pk}">PIAO 2020-2022' in pagina
    risposta = client.post(_url(piano), {"da": "2019", "scheda": ["1"]})
    assert risposta.status_code == 400
    risposta = client.post(
        _url(piano),
        {"da": "2019", "destinazione": str(altro.pk), "scheda": [str(piano.obiettivi.get().pk)]},
    )
    assert risposta.status_code == 200
    assert Obiettivo.objects.get(anno=2020).piano == altro


def test_pagina_rifiuti(client, ente):
    url = _url(ente.piano)
    assert client.get(url).status_code == 302  # anonymous: to the login
    client.force_login(ente.responsabile_a)
    assert client.get(url).status_code == 403
    assert client.post(url, {"da": "2019"}).status_code == 403
    client.force_login(ente.estraneo)
    assert client.get(url).status_code == 404
    assert (
        client.get(
            reverse("prepara_anno", args=[ente.altro_comune.slug, ente.piano.pk])
        ).status_code
        == 404
    )
    client.force_login(ente.segreteria)
    assert client.put(url).status_code == 405


def test_link_dalla_pagina_del_piano(client, ente):
    client.force_login(ente.segreteria)
    piano = client.get(reverse("piano", args=[ente.comune.slug, ente.piano.pk])).content.decode()
    assert f'href="{_url(ente.piano)}">Prepara il piano dell' in piano
    client.force_login(ente.responsabile_a)
    piano = client.get(reverse("piano", args=[ente.comune.slug, ente.piano.pk])).content.decode()
    assert "Prepara il piano dell" not in piano


# -- the command ------------------------------------------------------------------------


def _comando(*argomenti):
    out = io.StringIO()
    call_command("prepara_anno", *argomenti, stdout=out)
    return out.getvalue()


def _errore(*argomenti) -> str:
    with pytest.raises(CommandError) as errore:
        _comando(*argomenti)
    assert errore.value.returncode == 2
    return str(errore.value)


def test_comando(cinisello):
    comune, piano = cinisello
    verifica = _comando("--comune", comune.slug, "--da", "2019", "--dry-run")
    assert verifica.startswith("Verifica (nulla salvato)")
    assert not Piano.objects.filter(anno_inizio=2020).exists()
    uscita = _comando("--comune", comune.slug, "--da", "2019", "--escludi", "2019_S08_05")
    assert "Creato il piano «PEG 2020 - Scheda PEG di rendicontazione»" in uscita
    assert "19 schede create in bozza per il 2020" in uscita
    assert "  + 2020_S08_01 (2020) da 2019_S08_01 (2019):" in uscita
    assert "  - 2019_S08_05: esclusa, non copiata" in uscita
    di_nuovo = _comando("--comune", comune.slug, "--da", "2019")
    assert "1 scheda creata in bozza per il 2020" in di_nuovo
    assert "0 schede create" in _comando("--comune", comune.slug, "--da", "2019")


def test_comando_errori(cinisello, capsys):
    comune, piano = cinisello
    assert "Comune «atlantide» sconosciuto" in _errore("--comune", "atlantide", "--da", "2019")
    assert "--da: «abc» non è un anno" in _errore("--comune", comune.slug, "--da", "abc")
    assert "nessun piano comprende il 2030" in _errore("--comune", comune.slug, "--da", "2030")
    assert "nessuna scheda del 2019 con codice «ZZ»" in _errore(
        "--comune", comune.slug, "--da", "2019", "--escludi", "ZZ"
    )
    assert "--piano: «x» non è l'id" in _errore(
        "--comune", comune.slug, "--da", "2019", "--piano", "x"
    )
    PianoFactory(comune=comune, titolo="PEG bis", anno_inizio=2019, anno_fine=2019)
    ambiguo = _errore("--comune", comune.slug, "--da", "2019")
    assert ambiguo.endswith("Indica quale con --piano ID.")
    assert f"{piano.pk}: «{piano.titolo}»" in ambiguo
    assert not Obiettivo.objects.filter(anno=2020).exists()
    from objectives.management.commands.prepara_anno import Command

    with pytest.raises(SystemExit) as uscita:
        Command().run_from_argv(["manage.py", "prepara_anno", "--comune", "x", "--da", "1"])
    assert uscita.value.code == 2
    assert "Comune «x» sconosciuto" in capsys.readouterr().err


def test_le_query_non_crescono_con_le_schede():
    """A fixed number of queries whatever the number of schede (bulk inserts)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    conteggi = []
    for n in (1, 4):
        piano = PianoFactory(titolo=f"PEG {n}", anno_inizio=2019, anno_fine=2019)
        for i in range(n):
            ObiettivoFactory(
                piano=piano, codice=f"2019_{i}", con_rilevazioni=True, con_fasi=True,
                con_risorse=True,
            )  # fmt: skip
        with CaptureQueriesContext(connection) as query:
            esito = prepara_anno(piano.comune, 2019)
        assert len(esito.create) == n
        conteggi.append(len(query))
    assert conteggi[0] == conteggi[1]


def test_le_note_degli_indicatori_restano_all_anno_che_raccontano(ente):
    scheda = ente.scheda("approvato", "con_indicatori")
    Indicatore.objects.filter(obiettivo=scheda).update(note="Questionari in elaborazione")
    prepara_anno(ente.comune, 2019, utente=ente.segreteria)
    nuovi = Indicatore.objects.filter(obiettivo__codice=scheda.codice, obiettivo__anno=2020)
    assert nuovi.exists() and set(nuovi.values_list("note", flat=True)) == {""}
