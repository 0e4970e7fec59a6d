"""PIAO sezione 2 (2.1 Valore pubblico, 2.2 Performance) and the stand-alone PDO: the
document from the data (PDF, JSON, CSV), the page (temi, outcomes), the command."""

import csv
import io
import json
import re
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from indicators.models import Indicatore
from objectives.models import Obiettivo
from peg.models import Comune, Piano
from piao import documento, formati
from piao.models import IndicatoreImpatto, Outcome, TemaObiettivo
from tests.factories import IndicatoreFactory, PianoFactory

pytestmark = pytest.mark.django_db
S = Obiettivo.Stato


def pdf_in_testo(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))


def _piano(slug: str) -> Piano:
    return Piano.objects.get(comune__slug=slug)


def righe_csv(contenuto: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(contenuto.decode())))


# ---------------------------------------------------------------- the document


def test_pdf_di_chiavari_sezione_2(demo):
    demo("chiavari")
    doc = documento.costruisci(_piano("chiavari"), 2019)
    t = pdf_in_testo(formati.pdf(doc))
    for atteso in (
        "Piano integrato di attività e organizzazione 2019-2021",
        "Sezione 2 Valore pubblico, Performance e Anticorruzione",
        "2.1 Valore pubblico",
        "2.2 Performance",
        "Riepilogo per settore",
        "VI - 1",
        'PROGETTO "LE STORIE" PER ADOLESCENTI E FAMIGLIE',
        "30,00%",  # the weight of VI - 1's first indicatore
        "30 settembre 2019",  # its target date
        "5 al 31 gennaio 2020",  # the 2020 target of the same indicatore (triennium)
        "Riferimento DUP 5",
        "Obiettivi trasversali",
    ):
        assert atteso in t, atteso
    assert "Piano dettagliato degli obiettivi 2019 " not in t


def test_pdf_di_cinisello_con_missioni_e_pesi(demo):
    demo("cinisello-balsamo")
    piano = _piano("cinisello-balsamo")
    o = Obiettivo.objects.filter(piano=piano, anno=2019, missione__isnull=False).first()
    doc = documento.costruisci(piano, 2019)
    t = pdf_in_testo(formati.pdf(doc))
    assert o.codice in t
    assert f"Missione {o.missione.codice}" in t
    frazionario = next(
        i
        for i in Indicatore.objects.filter(obiettivo__piano=piano, obiettivo__anno=2019)
        if i.valore_atteso is not None and i.valore_atteso != i.valore_atteso.to_integral_value()
    )
    atteso = documento.testo_target(frazionario.valore_atteso, frazionario.valore_atteso_testo)
    assert "," in atteso and atteso in t  # the Italian decimal comma


def test_json_e_csv_hanno_le_righe_attese(demo):
    demo("chiavari")
    piano = _piano("chiavari")
    doc = documento.costruisci(piano, 2019)
    dati = json.loads(formati.json_bytes(doc))
    approvate = Obiettivo.objects.filter(piano=piano, anno=2019, stato__in=documento.APPROVATI)
    codici = [o["codice"] for s in dati["settori"] for o in s["obiettivi"]]
    assert sorted(codici) == sorted(approvate.values_list("codice", flat=True))
    assert dati["documento"] == "piao" and "valore_pubblico" in dati
    vi1 = next(o for s in dati["settori"] for o in s["obiettivi"] if o["codice"] == "VI - 1")
    assert vi1["indicatori"][0]["peso"] == "30.00"
    assert vi1["indicatori"][0]["data_attesa"] == "2019-09-30"
    assert vi1["target_triennio"][0]["per_anno"]["2020"]["valore_atteso"] == "5.00"

    righe = righe_csv(formati.csv_bytes(doc))
    # Expected: per indicatore of 2019, one row for 2019 and one per later approved
    # scheda of the same codice (2020, 2021) holding an indicatore with that number.
    attese = 0
    for o in approvate:
        for ind in o.indicatori.all():
            attese += (
                1
                + Indicatore.objects.filter(
                    obiettivo__piano=piano,
                    obiettivo__codice=o.codice,
                    obiettivo__anno__in=[2020, 2021],
                    obiettivo__stato__in=documento.APPROVATI,
                    numero=ind.numero,
                ).count()
            )
    assert len(righe) == attese
    riga = next(
        r
        for r in righe
        if r["obiettivo_codice"] == "VI - 1"
        and r["indicatore_numero"] == "1"
        and r["anno_target"] == "2020"
    )
    assert (riga["valore_atteso"], riga["data_attesa"]) == ("5.00", "2020-01-31")
    assert riga["peso_indicatore"] == "30.00"  # machine-readable: the dot


def test_ente_sotto_50_dipendenti_ha_il_pdo(demo):
    comune = demo("chiavari")
    Comune.objects.filter(pk=comune.pk).update(dipendenti=30)
    piano = _piano("chiavari")
    Outcome.objects.create(piano=piano, titolo="Benessere dei giovani")
    doc = documento.costruisci(piano, 2019)
    t = pdf_in_testo(formati.pdf(doc))
    assert "Piano della performance" in t and "Piano dettagliato degli obiettivi 2019" in t
    assert not re.search(r"(?<![\d.])2\.[12](?!\d)", t) and "semplificata" not in t
    assert "Benessere dei giovani" not in t
    assert "VI - 1" in t
    dati = json.loads(formati.json_bytes(doc))
    assert dati["documento"] == "pdo" and "valore_pubblico" not in dati


def test_dipendenti_non_indicati_valgono_la_sezione_completa(ente):
    assert ente.comune.dipendenti is None
    assert documento.tipo_documento(ente.comune) == documento.PIAO
    ente.comune.dipendenti = 50
    assert documento.tipo_documento(ente.comune) == documento.PIAO
    ente.comune.dipendenti = 49
    assert documento.tipo_documento(ente.comune) == documento.PDO


def test_bozze_e_proposte_non_entrano_mai(ente, client):
    ente.scheda("approvato", "con_indicatori", denominazione="Obiettivo approvato")
    ente.scheda("bozza", denominazione="SEGRETO IN BOZZA")
    ente.scheda("proposto", denominazione="SEGRETO PROPOSTO")
    doc = documento.costruisci(ente.piano, 2019)
    assert doc.esclusi == 2 and doc.n_schede == 1
    for contenuto in (pdf_in_testo(formati.pdf(doc)), formati.json_bytes(doc).decode()):
        assert "Obiettivo approvato" in contenuto
        assert "SEGRETO" not in contenuto
    assert "SEGRETO" not in formati.csv_bytes(doc).decode()
    client.force_login(ente.segreteria)
    pagina = client.get(reverse("piao", args=[ente.comune.slug, ente.piano.pk]) + "?anno=2019")
    testo = re.sub(r"\s+", " ", pagina.content.decode())
    assert "2 schede sono escluse perché non ancora approvate" in testo


def test_target_di_un_anno_successivo_in_bozza_non_compare(ente):
    codice = "PL - 1"
    campi = dict(codice=codice, anno_inizio=2019, anno_fine=2020, durata="pluriennale")
    o19 = ente.scheda("approvato", **campi)
    o20 = ente.scheda("bozza", anno=2020, **campi)
    IndicatoreFactory(obiettivo=o19, numero=1, valore_atteso=D("10"))
    IndicatoreFactory(obiettivo=o20, numero=1, valore_atteso=D("777"))
    doc = documento.costruisci(ente.piano, 2019)
    assert "777" not in formati.csv_bytes(doc).decode()
    Obiettivo.objects.filter(pk=o20.pk).update(stato=S.APPROVATO)
    doc = documento.costruisci(ente.piano, 2019)
    assert "777.00" in formati.csv_bytes(doc).decode()


def test_csv_non_lascia_formule(ente):
    ente.scheda("approvato", "con_indicatori", denominazione='=HYPERLINK("http://x","y")')
    ente.scheda("approvato", denominazione="+1+2", codice="@SOMMA")
    contenuto = formati.csv_bytes(documento.costruisci(ente.piano, 2019)).decode()
    righe = righe_csv(contenuto.encode())
    obiettivi = {r["obiettivo"] for r in righe}
    assert '\'=HYPERLINK("http://x","y")' in obiettivi and "'+1+2" in obiettivi
    assert "'@SOMMA" in {r["obiettivo_codice"] for r in righe}
    for riga in csv.reader(io.StringIO(contenuto)):
        assert not any(c.startswith(("=", "+", "@")) for c in riga)
    assert formati.cella("-3") == "'-3" and formati.cella(D("-3")) == "-3.00"


def test_query_non_crescono_con_gli_obiettivi(ente):
    def conta():
        with CaptureQueriesContext(connection) as q:
            doc = documento.costruisci(ente.piano, 2019)
            formati.json_bytes(doc)
            formati.csv_bytes(doc)
        return len(q.captured_queries), doc.n_schede

    def aggiungi(n):
        for _ in range(n):
            o = ente.scheda("approvato", "con_indicatori", anno_fine=2020, durata="pluriennale")
            ente.scheda(
                "approvato",
                "con_indicatori",
                codice=o.codice,
                anno=2020,
                anno_fine=2020,
                durata="pluriennale",
            )
            TemaObiettivo.objects.create(obiettivo=o, tema="digitalizzazione")
        Outcome.objects.create(piano=ente.piano, titolo="Outcome").obiettivi.add(o)

    aggiungi(2)
    poche, n1 = conta()
    aggiungi(6)
    molte, n2 = conta()
    assert (n1, n2) == (2, 8)
    assert molte == poche


# ---------------------------------------------------------------- the page


def _url(ente, nome="piao", *args):
    return reverse(nome, args=[ente.comune.slug, ente.piano.pk, *args])


def test_temi_dalla_pagina_andata_e_ritorno(ente, client):
    a = ente.scheda("approvato")
    b = ente.scheda("bozza")
    client.force_login(ente.segreteria)
    dati = {
        "anno": "2019",
        f"tema-{a.pk}": ["digitalizzazione", "accessibilita", "art8_h", "inventato"],
        f"tema-{b.pk}": ["trasparenza"],
    }
    risposta = client.post(_url(ente, "piao_temi"), dati)
    assert risposta.status_code == 302
    assert set(TemaObiettivo.objects.values_list("obiettivo_id", "tema")) == {
        (a.pk, "digitalizzazione"),
        (a.pk, "accessibilita"),
        (b.pk, "trasparenza"),
    }
    prima = sorted(TemaObiettivo.objects.values_list("pk", flat=True))
    pagina = client.get(_url(ente) + "?anno=2019").content.decode()
    assert re.search(rf'name="tema-{a.pk}" value="digitalizzazione"[^>]*checked', pagina)
    assert not re.search(rf'name="tema-{a.pk}" value="trasparenza"[^>]*checked', pagina)
    # The same form saved twice: nothing moves.
    risposta = client.post(_url(ente, "piao_temi"), dati, follow=True)
    assert "Nessun tema cambiato." in risposta.content.decode()
    assert sorted(TemaObiettivo.objects.values_list("pk", flat=True)) == prima
    # Unticking removes; the document groups the approved one by tema.
    client.post(_url(ente, "piao_temi"), {"anno": "2019", f"tema-{a.pk}": ["accessibilita"]})
    assert set(TemaObiettivo.objects.values_list("tema", flat=True)) == {"accessibilita"}
    doc = documento.costruisci(ente.piano, 2019)
    assert [(t.chiave, [x.obiettivo.pk for x in s]) for t, s in doc.trasversali] == [
        ("accessibilita", [a.pk])
    ]


def test_gli_ambiti_dell_art_8_sono_quelli_della_scheda(ente, client):
    """One owner for the ambiti: the scheda (its planning page); the PIAO reads them,
    it does not tag them again."""
    from objectives.models import AmbitoPerformance

    a = ente.scheda("approvato")
    a.ambiti.set(AmbitoPerformance.objects.filter(numero__in=[8, 9]))
    doc = documento.costruisci(ente.piano, 2019)
    gruppi = [(t.chiave, t.etichetta, [x.obiettivo.pk for x in s]) for t, s in doc.trasversali]
    assert gruppi[0] == ("art8_h", "h) Pari opportunità", [a.pk])
    assert gruppi[1][0] == "ambito_9" and "anticorruzione" in gruppi[1][1]
    client.force_login(ente.segreteria)
    pagina = client.get(_url(ente) + "?anno=2019").content.decode()
    assert "h) Pari opportunità" in pagina
    assert 'value="art8_h"' not in pagina  # not a tag of the PIAO page


def test_outcome_crea_modifica_elimina(ente, client):
    a = ente.scheda("approvato", denominazione="Obiettivo collegato")
    altro_anno = ente.scheda("approvato", anno=2020, anno_fine=2020)
    client.force_login(ente.segreteria)
    dati = {
        "titolo": "Benessere delle famiglie",
        "descrizione": "Meno attese ai servizi",
        "ordine": "1",
        "obiettivi_anno": [str(a.pk)],
        "indicatori-TOTAL_FORMS": "2",
        "indicatori-INITIAL_FORMS": "0",
        "indicatori-0-descrizione": "Famiglie in lista d'attesa",
        "indicatori-0-baseline": "1.250,50",
        "indicatori-0-target": "900",
        "indicatori-0-unita": "famiglie",
    }
    risposta = client.post(_url(ente, "piao_nuovo_outcome") + "?anno=2019", dati)
    assert risposta.status_code == 302, re.findall(
        r"text-danger[^<]*<|alert[^<]*<[^<]*", risposta.content.decode()
    )
    outcome = Outcome.objects.get()
    outcome.obiettivi.add(altro_anno)  # a link of another year: the 2019 form keeps it
    ind = outcome.indicatori.get()
    assert (ind.baseline, ind.target) == (D("1250.50"), D("900.00"))
    pagina = client.get(_url(ente) + "?anno=2019").content.decode()
    assert "Benessere delle famiglie" in pagina and "1.250,50" in pagina
    assert re.search(r'data-conferma="L(&#x27;|\')outcome «Benessere delle famiglie»', pagina)
    doc = documento.costruisci(ente.piano, 2019)
    t = pdf_in_testo(formati.pdf(doc))
    assert "Famiglie in lista d'attesa" in t and "1.250,50" in t and "Obiettivo collegato" in t

    modifica = reverse("piao_outcome", args=[ente.comune.slug, outcome.pk]) + "?anno=2019"
    assert client.get(modifica).status_code == 200
    dati |= {
        "titolo": "Benessere",
        "obiettivi_anno": [],
        "indicatori-INITIAL_FORMS": "1",
        "indicatori-0-id": str(ind.pk),
        "indicatori-0-outcome": str(outcome.pk),
        "indicatori-0-target": "abc",
    }
    errata = client.post(modifica, dati)
    assert errata.status_code == 400 and "Riga 1" in errata.content.decode()
    dati["indicatori-0-target"] = "800,5"
    assert client.post(modifica, dati).status_code == 302
    outcome.refresh_from_db()
    assert outcome.titolo == "Benessere"
    assert list(outcome.obiettivi.all()) == [altro_anno]
    assert outcome.indicatori.get().target == D("800.50")

    elimina = reverse("piao_elimina_outcome", args=[ente.comune.slug, outcome.pk])
    assert client.post(elimina, {"anno": "2019"}).status_code == 302
    assert not Outcome.objects.exists() and not IndicatoreImpatto.objects.exists()


def test_rifiuti(ente, client):
    a = ente.scheda("approvato")
    outcome = Outcome.objects.create(piano=ente.piano, titolo="Outcome")
    modifica = reverse("piao_outcome", args=[ente.comune.slug, outcome.pk])
    temi = _url(ente, "piao_temi")

    client.force_login(ente.responsabile_a)
    assert client.get(_url(ente)).status_code == 200
    assert 'name="tema-' not in client.get(_url(ente)).content.decode()
    negata = client.post(temi, {"anno": "2019", f"tema-{a.pk}": ["digitalizzazione"]})
    assert negata.status_code == 403 and not TemaObiettivo.objects.exists()
    assert client.get(modifica).status_code == 403
    assert client.get(_url(ente, "piao_nuovo_outcome")).status_code == 403

    client.force_login(ente.estraneo)
    assert client.get(_url(ente)).status_code == 404
    assert client.get(modifica).status_code == 404
    assert client.get(_url(ente, "piao_documento", "pdf")).status_code == 404
    altro = reverse("piao_outcome", args=[ente.altro_comune.slug, outcome.pk])
    assert client.get(altro).status_code == 404  # his comune's slug, the ente's outcome

    client.force_login(ente.lettore)
    assert client.get(_url(ente, "piao_documento", "xls")).status_code == 404
    assert client.get(_url(ente, "piao_documento", "json")).status_code == 200

    client.logout()
    for url in (_url(ente), _url(ente, "piao_documento", "csv"), modifica):
        risposta = client.get(url)
        assert risposta.status_code == 302 and risposta["Location"].startswith(reverse("login"))


def test_scarica_dalla_pagina(ente, client):
    ente.scheda("approvato", "con_indicatori", denominazione="Obiettivo scaricato")
    client.force_login(ente.oiv)
    risposta = client.get(_url(ente, "piao_documento", "csv") + "?anno=2019")
    assert risposta.status_code == 200
    assert risposta["Content-Disposition"] == 'attachment; filename="piao-sezione-2-borgo-2019.csv"'
    assert "Obiettivo scaricato" in risposta.content.decode()
    dati = json.loads(client.get(_url(ente, "piao_documento", "json") + "?anno=2019").content)
    assert dati["anno"] == 2019 and dati["settori"][0]["obiettivi"][0]["denominazione"]


def test_link_dalla_pagina_del_piano(ente, client):
    client.force_login(ente.lettore)
    pagina = client.get(reverse("piano", args=[ente.comune.slug, ente.piano.pk])).content
    assert _url(ente).encode() in pagina


# ---------------------------------------------------------------- the command


def test_comando_esporta_piao(demo, tmp_path):
    demo("chiavari")
    uscita = io.StringIO()
    call_command(
        "esporta_piao", comune="chiavari", anno=2019, output=str(tmp_path / "p.json"), stdout=uscita
    )
    assert "Sezione 2" in uscita.getvalue()
    assert json.loads((tmp_path / "p.json").read_text())["anno"] == 2019
    call_command(
        "esporta_piao",
        comune="chiavari",
        anno=2019,
        output=str(tmp_path / "p.dat"),
        formato="csv",
        stdout=io.StringIO(),
    )
    assert (tmp_path / "p.dat").read_text().startswith("anno,settore_codice")
    call_command("esporta_piao", comune="chiavari", anno=2019, output=str(tmp_path / "p.pdf"))
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")


def test_comando_rifiuta_con_messaggi(ente, tmp_path):
    uscita = str(tmp_path / "x.pdf")
    with pytest.raises(CommandError, match="sconosciuto") as e:
        call_command("esporta_piao", comune="nessuno", anno=2019, output=uscita)
    assert e.value.returncode == 2
    with pytest.raises(CommandError) as e:
        call_command("esporta_piao", comune="borgo", anno=1990, output=uscita)
    assert e.value.returncode == 2 and "1990" in str(e.value)
    PianoFactory(comune=ente.comune, titolo="PIAO 2020-2022", anno_inizio=2020, anno_fine=2022)
    with pytest.raises(CommandError, match="--piano") as e:
        call_command("esporta_piao", comune="borgo", anno=2020, output=uscita)
    assert e.value.returncode == 2
    call_command("esporta_piao", comune="borgo", anno=2020, piano=ente.piano.pk, output=uscita)
    with pytest.raises(CommandError, match="Non riesco a scrivere") as e:
        call_command(
            "esporta_piao", comune="borgo", anno=2019, output=str(tmp_path / "no" / "x.pdf")
        )


def test_l_anno_dopo_prende_i_temi_delle_schede_da_cui_viene(ente):
    from objectives.anno_successivo.prepara import prepara_anno

    a = ente.scheda("approvato")
    TemaObiettivo.objects.create(obiettivo=a, tema="digitalizzazione")
    prepara_anno(ente.comune, 2019, utente=ente.segreteria)
    nuova = a.__class__.objects.get(piano__comune=ente.comune, codice=a.codice, anno=2020)
    assert list(nuova.temi_piao.values_list("tema", flat=True)) == ["digitalizzazione"]
