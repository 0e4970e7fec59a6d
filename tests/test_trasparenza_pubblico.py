"""The whole public site of a comune, crawled as an anonymous citizen: every link under
/trasparenza/, the PDFs, the open data files and the catalogue's distributions. None of
what must never be public appears: bozze and proposte, results the OIV has not
validated, staff names and matricole (risorse umane, addetti, who published, who
validated), allegati. Each kind has a distinctive marker placed in the data."""

import io
import json
import re
from collections import deque
from decimal import Decimal

import pytest
from pypdf import PdfReader

from indicators.models import Indicatore, Rilevazione
from trasparenza import pubblicazioni
from trasparenza.models import Pubblicazione

from .factories import AllegatoFactory, PersonaFactory, RisorsaUmanaFactory

pytestmark = pytest.mark.django_db
T = Pubblicazione.Tipo

MARCATORI = {
    "bozza": "MARCATORE-BOZZA-QX",
    "proposta": "MARCATORE-PROPOSTA-QY",
    "risorsa umana": "Marcatore Risorsaumana Kappa",
    "matricola risorsa": "MATR-RIS-552",
    "addetto": "Marcatore Addetto Zeta",
    "matricola addetto": "MATR-ADD-771",
    "non validato": "987654",
    "allegato": "marcatore-allegato-segreto",
    "chi ha pubblicato": "Marcatoresegreteria",
    "chi ha validato": "Marcatoreoiv",
    "nota di trascrizione": "MARCATORE-TRASCRIZIONE",
}


@pytest.fixture
def sito(ente, archivio, stampe_root):
    """Borgo with 2019 (approved, bozze, proposte, unvalidated results) and 2020 (all
    validated, relazione published)."""
    ente.segreteria.last_name = MARCATORI["chi ha pubblicato"]
    ente.segreteria.save()
    ente.oiv.last_name = MARCATORI["chi ha validato"]
    ente.oiv.save()
    ente.piano.note_trascrizione = MARCATORI["nota di trascrizione"]
    ente.piano.save()
    addetto = PersonaFactory(
        comune=ente.comune, nome=MARCATORI["addetto"], matricola=MARCATORI["matricola addetto"]
    )
    ente.settore_a.addetti.add(addetto)
    approvata = ente.scheda("approvato", "con_indicatori", denominazione="Obiettivo approvato")
    RisorsaUmanaFactory(
        obiettivo=approvata,
        persona=PersonaFactory(
            comune=ente.comune,
            nome=MARCATORI["risorsa umana"],
            matricola=MARCATORI["matricola risorsa"],
        ),
    )
    AllegatoFactory(obiettivo=approvata, nome=f"{MARCATORI['allegato']}.pdf")
    ente.scheda("bozza", "con_indicatori", denominazione=MARCATORI["bozza"])
    ente.scheda("proposto", denominazione=MARCATORI["proposta"])
    rendicontata = ente.scheda("rendicontato", denominazione="Obiettivo rendicontato")
    Rilevazione.objects.filter(indicatore__obiettivo=rendicontata).update(
        valore=Decimal("987654.3210"), valore_testo="987654"
    )
    anno_2020 = {"anno": 2020, "anno_inizio": 2020, "anno_fine": 2020}
    ente.scheda("validato", denominazione="Obiettivo validato 2020", **anno_2020)
    ente.scheda("validato", settore=ente.settore_b, **anno_2020)
    for anno, tipo in ((2019, T.PIANO), (2019, T.SISTEMA), (2020, T.PIANO), (2020, T.RELAZIONE)):
        pubblicazioni.pubblica(ente.piano, anno, tipo, utente=ente.segreteria)
    return ente


def _testo(risposta) -> str:
    contenuto = b"".join(risposta.streaming_content) if risposta.streaming else risposta.content
    if risposta["Content-Type"].startswith("application/pdf"):
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(contenuto)).pages)
    return contenuto.decode("utf-8")


def _collegamenti(testo: str, tipo: str) -> set[str]:
    if "json" in tipo:
        trovati = set(re.findall(r'"(https?://testserver(/trasparenza/[^"#]*))', testo))
        return {percorso for _, percorso in trovati}
    return set(re.findall(r'(?:href|src)="(/trasparenza/[^"#]*)"', testo))


def percorri(client, inizio: str) -> dict[str, str]:
    """Every page and file reachable from ``inizio`` under /trasparenza/: url → text."""
    visti: dict[str, str] = {}
    coda = deque([inizio])
    while coda:
        url = coda.popleft()
        if url in visti:
            continue
        risposta = client.get(url)
        assert risposta.status_code == 200, url
        tipo = risposta["Content-Type"]
        visti[url] = "" if tipo.startswith("image/") else _testo(risposta)
        coda.extend(_collegamenti(visti[url], tipo) - visti.keys())
    return visti


def test_niente_di_riservato_nel_sito_pubblico(sito, client):
    visti = percorri(client, "/trasparenza/borgo/")
    # The crawl reached every kind of document (a crawl that saw nothing proves nothing).
    attesi = {
        "/trasparenza/borgo/2019/piano/",
        "/trasparenza/borgo/2019/piano.pdf",
        "/trasparenza/borgo/2019/sistema/",
        "/trasparenza/borgo/2019/relazione/",
        "/trasparenza/borgo/2020/relazione/",
        "/trasparenza/borgo/2020/relazione.pdf",
        "/trasparenza/borgo/2019/premi/dati/",
        "/trasparenza/borgo/dati/catalogo.jsonld",
        "/trasparenza/borgo/dati/piano-2019.csv",
        "/trasparenza/borgo/dati/piano-2020.json",
    }
    assert attesi <= visti.keys()
    assert "Obiettivo approvato" in visti["/trasparenza/borgo/2019/piano/"]
    assert "Obiettivo approvato" in visti["/trasparenza/borgo/2019/piano.pdf"]
    assert "Obiettivo validato 2020" in visti["/trasparenza/borgo/2020/relazione/"]
    assert "92,00%" in visti["/trasparenza/borgo/2020/relazione/"]  # validated scores
    trovati = [
        f"{cosa} («{marcatore}») in {url}"
        for url, testo in visti.items()
        for cosa, marcatore in MARCATORI.items()
        if marcatore.lower() in testo.lower()
    ]
    assert trovati == []


def test_i_marcatori_ci_sono_nelle_pagine_del_personale(sito, client):
    """The markers are real: the staff's own pages show them (the crawl could fail)."""
    client.force_login(sito.segreteria)
    piano = client.get(f"/borgo/piani/{sito.piano.pk}/").content.decode()
    assert MARCATORI["bozza"] in piano and MARCATORI["proposta"] in piano
    assert Indicatore.objects.filter(obiettivo__denominazione=MARCATORI["bozza"]).exists()


def test_risultati_solo_delle_schede_validate_nei_dati_aperti(sito, client):
    dati = json.loads(client.get("/trasparenza/borgo/dati/piano-2020.json").content)
    raggiunti = [r["valore_raggiunto"] for r in dati["indicatori"]]
    assert raggiunti and all(v is not None for v in raggiunti)
    dati_2019 = json.loads(client.get("/trasparenza/borgo/dati/piano-2019.json").content)
    assert {r["obiettivo"] for r in dati_2019["indicatori"]} == {
        "Obiettivo approvato",
        "Obiettivo rendicontato",
    }
    assert all(r["valore_raggiunto"] is None for r in dati_2019["indicatori"])


# The demo's two published piani print with their own comuni's models, which are
# rendicontazione documents: their published PDF must still be the plan only. Column
# headers of what the rendicontazione adds, and Cinisello's fase responsabile (a name).
SOLO_IL_PIANO = {
    "seregno": (
        ["Valore Target", "Data Inizio Prev."],
        ["1° Rilevazione", "% Ragg.", "Data Inizio Eff.", "Entrate Effettive"],
    ),
    "cinisello-balsamo": (
        ["Inizio Previsto", "Valore Atteso"],
        ["Inizio Effettivo", "Avanz.", "STATO DI ATTUAZIONE", "BRUSON"],
    ),
}


@pytest.mark.parametrize("slug", SOLO_IL_PIANO)
def test_the_published_piano_pdf_of_a_rendicontazione_model_prints_the_plan_only(
    client, stampe_root, slug
):
    from objectives.demo_loader import DEMO_DIR, carica_file

    carica_file(DEMO_DIR / f"{slug}.json")
    risposta = client.get(f"/trasparenza/{slug}/2019/piano.pdf")
    assert risposta.status_code == 200
    contenuto = b"".join(risposta.streaming_content) if risposta.streaming else risposta.content
    testo = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(contenuto)).pages)
    attesi, vietati = SOLO_IL_PIANO[slug]
    assert all(a in testo for a in attesi), [a for a in attesi if a not in testo]
    assert [v for v in vietati if v in testo] == []


def test_a_document_not_published_answers_a_404_for_citizens(client, ente):
    risposta = client.get(f"/trasparenza/{ente.comune.slug}/2019/piano/")
    assert risposta.status_code == 404
    pagina = risposta.content.decode()
    assert "non è pubblicato in Amministrazione trasparente" in pagina
    assert f'href="/trasparenza/{ente.comune.slug}/"' in pagina
    assert "con il tuo ruolo" not in pagina
    altrove = client.get("/trasparenza/inventato/").content.decode()
    assert 'href="/accesso/"' in altrove


def test_the_plan_only_variant_drops_the_page_break_left_behind_by_removed_sections():
    from reporting.modelli.predefiniti.cinisello import MODELLO
    from reporting.modelli.schema import leggi

    modello = leggi(MODELLO)
    assert next(s for s in modello.sezioni if s.tipo == "cinisello_fasi").nuova_pagina
    piano = modello.variante_senza_risultati()
    assert [
        s.tipo for s in piano.sezioni if s.tipo in ("gantt", "cinisello_stato_attuazione")
    ] == []
    assert not next(s for s in piano.sezioni if s.tipo == "cinisello_fasi").nuova_pagina


def test_il_sistema_pubblicato_comprende_la_valutazione_individuale_senza_persone(sito, client):
    """Walk finding: the published SMVP showed only the piano's measurement rules. It
    now says the individual side too (categories, who evaluates, weights, comportamenti,
    fasce), with no person, vote or comment."""
    from .factories import (
        CategoriaFactory,
        ComportamentoFactory,
        SchedaIndividualeFactory,
        SmvpFactory,
        VotoComportamentoFactory,
    )

    smvp = SmvpFactory(comune=sito.comune, anno=2019, con_fasce=True)
    categoria = CategoriaFactory(smvp=smvp, nome="Elevate qualificazioni")
    comportamento = ComportamentoFactory(categoria=categoria, nome="Orientamento al risultato")
    scheda = SchedaIndividualeFactory(
        smvp=smvp, categoria=categoria, persona__nome="Valutata Riservatissima"
    )
    VotoComportamentoFactory(
        scheda=scheda, comportamento=comportamento, commento="Commento riservatissimo"
    )
    testo = client.get("/trasparenza/borgo/2019/sistema/").content.decode()
    assert "La valutazione individuale" in testo
    assert "Elevate qualificazioni" in testo and "Orientamento al risultato" in testo
    assert "60,00%" in testo and "da 90,00% a 100,00%" in testo
    assert "Riservatissima" not in testo and "riservatissimo" not in testo
