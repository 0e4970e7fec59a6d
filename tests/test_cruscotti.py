"""Charts (SVG), the Gantt of the fasi and the dashboards: valid accessible SVG with the
values as Italian text, bars placed by date, who may see what, bounded queries."""

import datetime
import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.engine import fasce
from indicators.engine.scoring import Esito
from indicators.models import Indicatore
from objectives.models import Obiettivo
from peg.models import Comune, Ruolo, Settore
from reporting import gantt, svg

from .factories import (
    FaseFactory,
    IndicatoreFactory,
    ObiettivoFactory,
    PianoFactory,
    RilevazioneFactory,
    RuoloFactory,
    SettoreFactory,
    UserFactory,
)

G = datetime.date
NS = "{http://www.w3.org/2000/svg}"
S = Obiettivo.Stato


def _svg(markup: str) -> ET.Element:
    """Parse one SVG and check what makes it an accessible image."""
    root = ET.fromstring(markup)
    # "group" when the bars are links (an "img" would hide them from screen readers).
    links = root.find(f".//{NS}a") is not None
    assert root.tag == f"{NS}svg" and root.get("role") == ("group" if links else "img")
    titolo, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert titolo is not None and titolo.text and desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{titolo.get('id')} {desc.get('id')}"
    assert root.get("viewBox").startswith("0 0 ")
    assert "<script" not in markup and 'href="http' not in markup
    return root


def _testi(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def _svgs(html: str) -> list[ET.Element]:
    return [_svg(m) for m in re.findall(r"<svg .*?</svg>", html, flags=re.S)]


def _fase(numero, inizio=None, fine=None, inizio_eff=None, fine_eff=None, descrizione="Fase"):
    return SimpleNamespace(
        numero=numero,
        descrizione=descrizione,
        data_inizio_prevista=inizio,
        data_fine_prevista=fine,
        data_inizio_effettiva=inizio_eff,
        data_fine_effettiva=fine_eff,
    )


def _barre(root, classe):
    return {r.get("data-fase"): r for r in root.iter(f"{NS}rect") if r.get("class") == classe}


# ---------------------------------------------------------------- SVG


def test_bar_chart_is_accessible_svg_with_italian_values_and_escaped_labels():
    voci = [
        svg.Voce("Settore <VI> & servizi", D("80")),
        svg.Voce("Settore II", D("95"), calcolato=D("80")),
        svg.Voce("Settore III", None, testo="incompleto"),
    ]
    markup = svg.barre(voci, "Conseguimento per settore")
    root = _svg(markup)
    testi = _testi(root)
    assert "80,00%" in testi and "95,00% validato (calcolato 80,00%)" in testi
    assert "incompleto" in testi and "Settore <VI> & servizi" in testi
    assert "&lt;VI&gt; &amp;" in markup
    barre = [r for r in root.iter(f"{NS}rect") if r.get("class") == "barra"]
    assert len(barre) == 2  # no bar without a value
    # 95 is longer than 80, in proportion (scale 0..100 over 300 units).
    assert float(barre[0].get("width")) == pytest.approx(240)
    assert float(barre[1].get("width")) == pytest.approx(285)
    assert len([p for p in root.iter(f"{NS}path") if p.get("class") == "calcolato"]) == 1


def test_column_chart_counts_as_text():
    root = _svg(svg.colonne([svg.Voce("100%", 3), svg.Voce("sotto il 60%", 0)], "Per fascia"))
    assert {"3", "0", "100%", "sotto il 60%"} <= set(_testi(root))
    colonne = [r for r in root.iter(f"{NS}rect") if r.get("class") == "colonna"]
    assert float(colonne[0].get("height")) == 150 and float(colonne[1].get("height")) == 0


def test_trend_chart_has_points_values_and_dashed_target():
    punti = [
        svg.Punto(2017, D("78.29"), "valore storico"),
        svg.Punto(2018, D("84.00"), "valore storico"),
        svg.Punto(2019, D("89.75"), "rilevazione finale", corrente=True),
    ]
    root = _svg(svg.andamento(punti, "Capacità di riscossione", atteso=D("90")))
    testi = _testi(root)
    assert {"78,29", "84,00", "89,75", "atteso 90,00", "2017", "2018", "2019"} <= set(testi)
    atteso = next(li for li in root.iter(f"{NS}line") if li.get("class") == "atteso")
    assert atteso.get("stroke-dasharray")
    ys = [float(c.get("cy")) for c in root.iter(f"{NS}circle") if c.get("class") == "punto"]
    assert ys[0] > ys[1]  # 78,29 is drawn lower than 84,00
    assert float(atteso.get("y1")) < ys[1]


def test_bands_and_validated_text():
    def esito(punteggio, **extra):
        e = Esito("x", punteggio, "calcolato" if punteggio is not None else "incompleto")
        for k, v in extra.items():
            setattr(e, k, v)
        return e

    attese = {
        D("100"): "100%",
        D("120"): "100%",
        D("99.99"): "90–99,99%",
        D("90"): "90–99,99%",
        D("89.99"): "60–89,99%",
        D("60"): "60–89,99%",
        D("59.99"): "sotto il 60%",
        D("0"): "sotto il 60%",
        None: "non calcolato/incompleto",
    }
    assert {k: fasce.fascia(esito(k)).etichetta for k in attese} == attese
    assert esito(D("80")).testo_pieno == "80,00%"
    validato = esito(D("95"), validato=True, punteggio_calcolato=D("80"))
    assert validato.testo_pieno == "95,00% validato (calcolato 80,00%)"
    assert fasce.fascia(validato).chiave == "alta"  # the figure that counts
    uguale = esito(D("80"), validato=True, punteggio_calcolato=D("80"))
    assert uguale.testo_pieno == "80,00% validato" and not uguale.rettificato
    assert (
        fasce.punteggio_calcolato(validato) == D("80") and fasce.punteggio_calcolato(uguale) is None
    )


# ---------------------------------------------------------------- Gantt


def test_gantt_places_bars_by_date_on_a_month_grid():
    larghezza = gantt.X1 - gantt.X0
    fasi = [
        _fase(1, G(2019, 1, 1), G(2019, 6, 30), G(2019, 2, 1), G(2019, 3, 31)),
        _fase(2, G(2019, 7, 1), G(2019, 12, 31), G(2019, 7, 16)),
    ]
    root = _svg(gantt.gantt(fasi, oggi=G(2019, 9, 30)))
    previste, effettive = _barre(root, "barra-prevista"), _barre(root, "barra-effettiva")
    assert float(previste["1"].get("x")) == gantt.X0
    assert float(previste["1"].get("width")) == pytest.approx(larghezza / 2, abs=0.1)
    assert float(previste["2"].get("x")) == pytest.approx(gantt.X0 + larghezza / 2, abs=0.1)
    assert float(effettive["1"].get("x")) == pytest.approx(gantt.X0 + larghezza / 12, abs=0.1)
    assert float(effettive["1"].get("width")) == pytest.approx(larghezza / 6, abs=0.1)
    # Begun, not finished: actual bar up to today (30 September = end of month 9).
    fine = float(effettive["2"].get("x")) + float(effettive["2"].get("width"))
    assert fine == pytest.approx(gantt.X0 + larghezza * 9 / 12, abs=0.1)
    assert "in corso" in _testi(root)
    oggi = next(li for li in root.iter(f"{NS}line") if li.get("class") == "oggi")
    assert float(oggi.get("x1")) == pytest.approx(
        gantt.X0 + larghezza * (8 + 29 / 30) / 12, abs=0.1
    )
    testi = _testi(root)
    assert {"gen", "giu", "dic", "2019", "oggi"} <= set(testi)
    assert "Fase 1, prevista: 1 gennaio 2019 – 30 giugno 2019" in gantt.gantt(fasi)
    # Planned and actual read apart without colour: a pattern for the actual bars.
    assert effettive["1"].get("fill").startswith("url(#") and not previste["1"].get(
        "fill"
    ).startswith("url(")


def test_gantt_over_two_years_and_missing_dates():
    fasi = [
        _fase(1, G(2019, 7, 1), G(2020, 6, 30)),
        _fase(2, descrizione="Senza tempi <indicati>"),
    ]
    markup = gantt.gantt(fasi, oggi=G(2030, 1, 1))
    root = _svg(markup)
    larghezza = gantt.X1 - gantt.X0
    prevista = _barre(root, "barra-prevista")["1"]
    assert float(prevista.get("x")) == pytest.approx(gantt.X0 + larghezza / 4, abs=0.1)
    assert float(prevista.get("width")) == pytest.approx(larghezza / 2, abs=0.1)
    assert "2" not in _barre(root, "barra-prevista") and "2" not in _barre(root, "barra-effettiva")
    assert "date non indicate" in _testi(root) and "&lt;indicati&gt;" in markup
    assert {"2019", "2020"} <= set(_testi(root))
    assert not [li for li in root.iter(f"{NS}line") if li.get("class") == "oggi"]


def test_gantt_groups_rows_by_obiettivo_and_handles_no_fasi():
    fasi = [_fase(1, G(2019, 1, 1), G(2019, 3, 31)), _fase(1, G(2019, 4, 1), G(2019, 4, 30))]
    fasi[0].codice, fasi[1].codice = "S08_01", "S08_02"
    root = _svg(gantt.gantt(fasi, gruppo=lambda f: f.codice))
    gruppi = [t.text for t in root.iter(f"{NS}text") if t.get("class") == "gruppo"]
    assert gruppi == ["S08_01", "S08_02"]
    assert "Nessuna fase." in _testi(_svg(gantt.gantt([], oggi=G(2019, 5, 1))))


# ---------------------------------------------------------------- pages


@pytest.fixture
def cinisello(demo):
    comune = demo("cinisello-balsamo")
    user = UserFactory(username="segr-cinisello")
    RuoloFactory(utente=user, comune=comune, tipo=Ruolo.Tipo.SEGRETERIA)
    return SimpleNamespace(comune=comune, user=user, piano=comune.piani.get())


def test_cinisello_indicatore_trend_shows_2017_2018_2019(client, cinisello):
    indicatore = Indicatore.objects.get(obiettivo__codice="2019_S08_07", numero=1)
    client.force_login(cinisello.user)
    html = client.get(reverse("andamento_indicatore", args=["cinisello-balsamo", indicatore.pk]))
    html = html.content.decode()
    [root] = _svgs(html)
    testi = _testi(root)
    assert {"2017", "2018", "2019", "78,29", "84,00", "89,75", "atteso 90,00"} <= set(testi)
    assert "valore storico" in html and "rilevazione finale" in html  # the data table

    # The scheda embeds the trend of its indicatori with storico, and the Gantt.
    scheda = client.get(reverse("obiettivo", args=["cinisello-balsamo", indicatore.obiettivo_id]))
    html = scheda.content.decode()
    grafici = _svgs(html)
    assert len(grafici) == 1 + 3  # the Gantt and the three indicatori with storico
    assert any("78,29" in _testi(g) for g in grafici)
    assert any(g.get("class") == "grafico gantt" for g in grafici)
    link = reverse("andamento_indicatore", args=["cinisello-balsamo", indicatore.pk])
    assert f'href="{link}"' in html


def test_cruscotto_and_settore_pages_render_charts_and_scores(client, cinisello):
    client.force_login(cinisello.user)
    piano = cinisello.piano
    html = client.get(reverse("piano", args=["cinisello-balsamo", piano.pk])).content.decode()
    url = reverse("cruscotto", args=["cinisello-balsamo", piano.pk])
    assert f'href="{url}"' in html

    html = client.get(url).content.decode()
    grafici = _svgs(html)
    assert len(grafici) == 3
    settore = Settore.objects.get(comune=cinisello.comune, codice="08_S")
    n = Obiettivo.objects.filter(piano=piano, anno=2019).count()
    fasce_testi = _testi(grafici[1])
    assert "non calcolato/incompleto" in " ".join(fasce_testi)
    colonne = [r for r in grafici[1].iter(f"{NS}rect") if r.get("class") == "colonna"]
    conteggi = [int(t.text.split(": ")[1]) for r in colonne for t in r.iter(f"{NS}title")]
    assert sum(conteggi) == n
    assert "Cruscotto 2019" in html and settore.nome in html
    link_settore = reverse("cruscotto_settore", args=["cinisello-balsamo", piano.pk, settore.pk])
    assert f"{link_settore}?anno=2019" in html

    html = client.get(link_settore).content.decode()
    grafici = _svgs(html)
    assert len(grafici) == 2  # obiettivi bars + Gantt
    gantt_root = grafici[1]
    gruppi = [t.text for t in gantt_root.iter(f"{NS}text") if t.get("class") == "gruppo"]
    assert any(g.startswith("2019_S08_07") for g in gruppi)
    scheda = Obiettivo.objects.get(piano=piano, codice="2019_S08_07")
    assert reverse("obiettivo", args=["cinisello-balsamo", scheda.pk]) in html
    assert "Conseguimento del settore:" in html


@pytest.fixture
def ente(db):
    """Two settori; the second has a draft the first's responsabile must not see."""
    piano = PianoFactory(comune__slug="borgo-a")
    a = SettoreFactory(comune=piano.comune, codice="A", nome="Settore Alfa")
    b = SettoreFactory(comune=piano.comune, codice="B", nome="Settore Beta")
    visibile = ObiettivoFactory(piano=piano, settore=a, codice="A-1", stato=S.APPROVATO)
    approvato_b = ObiettivoFactory(piano=piano, settore=b, codice="B-1", stato=S.APPROVATO)
    bozza = ObiettivoFactory(piano=piano, settore=b, codice="B-BOZZA", stato=S.BOZZA)
    for obiettivo, valore in ((visibile, "0"), (approvato_b, "0"), (bozza, "20")):
        indicatore = IndicatoreFactory(obiettivo=obiettivo, peso=D(100))
        RilevazioneFactory(indicatore=indicatore, valore=D(valore))
        FaseFactory(
            obiettivo=obiettivo, numero=1, peso=D(100), descrizione=f"Fase di {obiettivo.codice}"
        )
    responsabile = UserFactory(username="resp-alfa")
    RuoloFactory(
        utente=responsabile, comune=piano.comune, tipo=Ruolo.Tipo.RESPONSABILE
    ).settori.add(a)
    segreteria = UserFactory(username="segr-borgo")
    RuoloFactory(utente=segreteria, comune=piano.comune, tipo=Ruolo.Tipo.SEGRETERIA)
    return SimpleNamespace(
        piano=piano, a=a, b=b, bozza=bozza, responsabile=responsabile, segreteria=segreteria
    )


def _urls(ente, indicatore=None):
    slug, pk = ente.piano.comune.slug, ente.piano.pk
    urls = [
        reverse("cruscotto", args=[slug, pk]),
        reverse("cruscotto_settore", args=[slug, pk, ente.b.pk]),
    ]
    if indicatore is not None:
        urls.append(reverse("andamento_indicatore", args=[slug, indicatore.pk]))
    return urls


def test_responsabile_does_not_see_another_settore_draft(client, ente):
    indicatore_bozza = ente.bozza.indicatori.get()
    client.force_login(ente.responsabile)
    cruscotto, settore_b = (client.get(u).content.decode() for u in _urls(ente))
    for html in (cruscotto, settore_b):
        assert "B-BOZZA" not in html and "Fase di B-BOZZA" not in html
    assert "B-1" in settore_b and "Fase di B-1" in settore_b
    assert "2 schede visibili" in cruscotto
    # The bozza scores 0% (20 days late): hidden, the ente is 100% on what is visible.
    assert 'Conseguimento dell\'ente: <span class="peso-ok">100,00%</span>' in cruscotto
    url = reverse("andamento_indicatore", args=[ente.piano.comune.slug, indicatore_bozza.pk])
    assert client.get(url).status_code == 404

    client.force_login(ente.segreteria)
    cruscotto, settore_b = (client.get(u).content.decode() for u in _urls(ente))
    assert "B-BOZZA" in settore_b and "Fase di B-BOZZA" in settore_b
    assert "3 schede visibili" in cruscotto
    assert client.get(url).status_code == 200


def test_other_comune_is_404_and_anonymous_goes_to_login(client, ente):
    indicatore = ente.bozza.indicatori.get()
    urls = _urls(ente, indicatore)
    for url in urls:
        risposta = client.get(url)
        assert risposta.status_code == 302 and risposta.url.startswith(reverse("login"))
    estraneo = UserFactory(username="estraneo")
    RuoloFactory(utente=estraneo, tipo=Ruolo.Tipo.SEGRETERIA)  # segreteria of another comune
    client.force_login(estraneo)
    assert [client.get(u).status_code for u in urls] == [404, 404, 404]
    # A settore of another comune under this piano is not found either.
    client.force_login(ente.segreteria)
    altro = SettoreFactory()
    url = reverse("cruscotto_settore", args=[ente.piano.comune.slug, ente.piano.pk, altro.pk])
    assert client.get(url).status_code == 404


def test_year_defaults_to_latest_with_schede_and_can_be_chosen(client, ente):
    ObiettivoFactory(
        piano=ente.piano,
        settore=ente.a,
        codice="A-2020",
        anno=2020,
        anno_inizio=2020,
        anno_fine=2020,
    )
    client.force_login(ente.segreteria)
    url = _urls(ente)[0]
    assert "Cruscotto 2020" in client.get(url).content.decode()
    html = client.get(url + "?anno=2019").content.decode()
    assert "Cruscotto 2019" in html and "3 schede visibili" in html
    assert "Cruscotto 2020" in client.get(url + "?anno=nonsense").content.decode()


def test_dashboard_queries_do_not_grow_with_the_piano(db, client, django_assert_max_num_queries):
    # 60 schede: a query per scheda or per settore would break the bounds many times over.
    # The figures at Roma scale (30 × 50 × 6 × 4) are the benchmark's (make bench).
    call_command(
        "genera_dati",
        "--comune",
        "x",
        "--settori",
        "6",
        "--obiettivi",
        "10",
        "--indicatori",
        "6",
        "--fasi",
        "4",
        stdout=io.StringIO(),
    )
    comune = Comune.objects.get(slug="x")
    piano = comune.piani.get()
    settori = list(Settore.objects.filter(comune=comune))
    segreteria = UserFactory(username="segr-x")
    RuoloFactory(utente=segreteria, comune=comune, tipo=Ruolo.Tipo.SEGRETERIA)
    responsabile = UserFactory(username="resp-x")
    RuoloFactory(utente=responsabile, comune=comune, tipo=Ruolo.Tipo.RESPONSABILE).settori.add(
        settori[0]
    )
    Obiettivo.objects.filter(piano=piano).update(stato=S.IN_MONITORAGGIO)
    Obiettivo.objects.filter(settore=settori[1]).update(stato=S.BOZZA)
    indicatore = Indicatore.objects.filter(obiettivo__settore=settori[0]).first()
    urls = [
        reverse("cruscotto", args=["x", piano.pk]),
        reverse("cruscotto_settore", args=["x", piano.pk, settori[0].pk]),
        reverse("andamento_indicatore", args=["x", indicatore.pk]),
    ]
    for user in (segreteria, responsabile):
        client.force_login(user)
        for url, massimo in zip(urls, (13, 15, 7), strict=True):
            with django_assert_max_num_queries(massimo):
                risposta = client.get(url)
            assert risposta.status_code == 200
    # The responsabile's cruscotto leaves out the other settore's drafts.
    html = client.get(urls[0]).content.decode()
    assert f"{6 * 10 - 10} schede visibili" in html
    assert html.count("<svg ") == 3


def test_scheda_shows_the_gantt_only_when_some_fase_has_dates(client, ente):
    scheda = ente.bozza
    client.force_login(ente.segreteria)
    url = reverse("obiettivo", args=[ente.piano.comune.slug, scheda.pk])
    [gantt_root] = [g for g in _svgs(client.get(url).content.decode()) if "gantt" in g.get("class")]
    assert _barre(gantt_root, "barra-prevista")["1"] is not None
    scheda.fasi.update(data_inizio_prevista=None, data_fine_prevista=None)
    html = client.get(url).content.decode()
    assert "Fase di B-BOZZA" in html and "<svg " not in html


def test_gantt_deadline_only_is_a_milestone():
    # Chiavari prints only "30 settembre 2019": a diamond at the end of that day.
    root = _svg(gantt.gantt([_fase(1, None, G(2019, 9, 30))]))
    larghezza = gantt.X1 - gantt.X0
    [traguardo] = [p for p in root.iter(f"{NS}path") if p.get("class") == "traguardo-prevista"]
    x = float(traguardo.get("d")[1:].split()[0])
    assert x == pytest.approx(gantt.X0 + larghezza * 9 / 12, abs=0.1)
    assert "entro 30/09/2019" in _testi(root) and "date non indicate" not in _testi(root)
