"""The premi (individuale/premi.py, the command distribuisci_premi, the pages, the Excel
prospetto): the exact lines printed, the gate, a new run superseding the one in force,
the fondi per categoria or unico, the refusals."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from individuale import premi
from individuale.models import Distribuzione, Quota, SchedaIndividuale, Smvp
from peg.models import Ruolo

from .factories import CategoriaFactory, SchedaIndividualeFactory, SmvpFactory
from .utenti import utente

pytestmark = pytest.mark.django_db
D = Decimal

# The hand-computed case of tests/test_premi_distribuzione.py (art. 81, quota 20%).
PERSONE = [
    ("Anna Alfa", "95"),
    ("Bruno Beta", "92"),
    ("Carla Gamma", "85"),
    ("Dario Delta", "85"),
    ("Elena Epsilon", "75"),
    ("Franco Zeta", "60"),
]
RIGHE = [
    "Anna Alfa  95,00  fascia ≥ 90 (100%)  € 2.685,23  (di cui maggiorazione art. 81 € 500,00)",
    "Bruno Beta  92,00  fascia ≥ 90 (100%)  € 2.116,22",
    "Carla Gamma  85,00  fascia ≥ 70 (80%)  € 1.564,16",
    "Dario Delta  85,00  fascia ≥ 70 (80%)  € 1.564,16",
    "Elena Epsilon  75,00  fascia ≥ 70 (80%)  € 1.380,14",
    "Franco Zeta  60,00  fascia ≥ 50 (50%)  € 690,07",
    "Residuo non distribuito € 0,02",
    "Totale distribuito € 9.999,98 su fondo € 10.000,00",
]


def _anno(ente, **campi) -> Smvp:
    """Borgo's SMVP 2019 with the issue's fasce, a fondo unico of € 10.000,00 divided by
    score (no service weighting), art. 81 with 30% to 20% of the staff."""
    campi = {
        "fondi": Smvp.Fondi.UNICO,
        "fondo_unico": D("10000.00"),
        "distribuzione": Smvp.Distribuzione.PUNTEGGIO,
        "quota_beneficiari": D(20),
        **campi,
    }
    return SmvpFactory(comune=ente.comune, con_fasce=True, **campi)


def _schede(smvp, categoria=None, persone=PERSONE, **tratti):
    categoria = categoria or CategoriaFactory(smvp=smvp, dipendenti=True, nome="Dipendenti")
    tratti = tratti or {"definitiva": True}
    return [
        SchedaIndividualeFactory(
            smvp=smvp,
            categoria=categoria,
            persona__nome=nome,
            punteggio_finale=D(punteggio),
            **tratti,
        )
        for nome, punteggio in persone
    ]


def _comando(*argomenti):
    out, err = io.StringIO(), io.StringIO()
    call_command("distribuisci_premi", *argomenti, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue()


def _errore(*argomenti) -> str:
    with pytest.raises(CommandError) as exc:
        _comando(*argomenti)
    assert exc.value.returncode == 2
    return str(exc.value)


def test_comando_righe_esatte_e_distribuzione_salvata(ente):
    smvp = _anno(ente)
    _schede(smvp)
    righe, err = _comando(
        "--comune", "borgo", "--anno", "2019", "--utente", ente.segreteria.username
    )
    assert righe == RIGHE and err == ""
    d = Distribuzione.objects.get()
    assert (d.categoria, d.fondo, d.distribuito, d.residuo) == (
        None,
        D("10000.00"),
        D("9999.98"),
        D("0.02"),
    )
    assert (d.maggiorazione_media, d.attiva, d.eseguita_da) == (D("1666.66"), True, ente.segreteria)
    anna = d.quote.get(scheda__persona__nome="Anna Alfa")
    assert (anna.fascia, anna.base, anna.maggiorazione, anna.importo) == (
        D(100),
        D("2185.23"),
        D("500.00"),
        D("2685.23"),
    )
    assert sum(q.importo for q in d.quote.all()) == d.distribuito


def test_dry_run_non_salva_e_lo_dice(ente):
    _schede(_anno(ente))
    righe, _ = _comando("--comune", "borgo", "--anno", "2019", "--dry-run")
    assert righe == ["SIMULAZIONE: nulla è stato salvato.", *RIGHE]
    assert not Distribuzione.objects.exists()


@pytest.mark.parametrize("fondo", ["10.000,00", "10000.00", "10000", "€ 10.000"])
def test_fondo_all_italiana_o_col_punto(ente, fondo):
    _schede(_anno(ente, fondo_unico=D("1")))
    righe, _ = _comando("--comune", "borgo", "--anno", "2019", "--dry-run", "--fondo", fondo)
    assert righe[1:] == RIGHE


def test_una_nuova_distribuzione_sostituisce_quella_in_vigore(ente):
    _schede(_anno(ente))
    _comando("--comune", "borgo", "--anno", "2019")
    _comando("--comune", "borgo", "--anno", "2019", "--fondo", "5.000,00")
    vecchia, nuova = Distribuzione.objects.order_by("pk")
    assert (vecchia.attiva, nuova.attiva) == (False, True)
    assert (vecchia.fondo, nuova.fondo) == (D("10000.00"), D("5000.00"))
    assert Quota.objects.count() == 12  # the old one stays as the record
    assert premi.in_vigore(Smvp.objects.get()) == [nuova]


def test_distribuzione_vera_rifiutata_se_non_tutte_definitive(ente):
    smvp = _anno(ente)
    _schede(smvp)
    scaduta = SchedaIndividualeFactory(
        smvp=smvp,
        categoria=smvp.categorie.get(),
        persona__nome="Gino Ritardo",
        vista=True,
        presa_visione_il=timezone.now() - datetime.timedelta(days=40),
    )
    messaggio = _errore("--comune", "borgo", "--anno", "2019")
    assert "tutte le schede del fondo sono definitive" in messaggio
    assert "art. 14 c. 6" in messaggio and "Gino Ritardo (consegnata al valutato" in messaggio
    scadenza = timezone.localdate() - datetime.timedelta(days=40 - smvp.giorni_conciliazione)
    assert "termine di conciliazione scaduto il" in messaggio and str(scadenza.year) in messaggio
    assert not Distribuzione.objects.exists()
    # The dry run works, warning; Gino has no votes: no final score, left out and said.
    righe, err = _comando("--comune", "borgo", "--anno", "2019", "--dry-run")
    assert righe[0] == "SIMULAZIONE: nulla è stato salvato." and len(righe) == 9
    assert "Attenzione: Non tutte le schede sono definitive" in err
    assert "Gino Ritardo: punteggio finale non ancora calcolabile" in err
    assert scaduta.pk not in Quota.objects.values_list("scheda", flat=True)


def test_fondi_per_categoria(ente):
    smvp = _anno(ente, fondi=Smvp.Fondi.PER_CATEGORIA, fondo_unico=None)
    eq = CategoriaFactory(smvp=smvp, nome="EQ", fondo=D("3000"))
    senza_fondo = CategoriaFactory(smvp=smvp, nome="Segretario", fondo=None)
    # Pesi 100 × 95 = 9500 e 80 × 87,5 = 7000 (Σ 16500) su € 3.000,00:
    # 1727,27… → 1727,27 e 1272,72… → 1272,72; Σ 2999,99.
    _schede(smvp, eq, [("Mario Conti", "87.5"), ("Luisa Verdi", "95")])
    _schede(smvp, senza_fondo, [("Sara Segretaria", "99")])
    righe, err = _comando("--comune", "borgo", "--anno", "2019")
    assert righe == [
        "EQ: fondo € 3.000,00",
        "Luisa Verdi  95,00  fascia ≥ 90 (100%)  € 1.727,27",
        "Mario Conti  87,50  fascia ≥ 70 (80%)  € 1.272,72",
        "Residuo non distribuito € 0,01",
        "Totale distribuito € 2.999,99 su fondo € 3.000,00",
    ]
    assert "«Segretario»: il fondo non è indicato" in err
    assert Distribuzione.objects.get().categoria == eq
    # One category with an amount of its own; the id works as well as the name.
    righe, _ = _comando(
        "--comune", "borgo", "--anno", "2019", "--categoria", str(senza_fondo.pk), "--fondo", "100"
    )
    assert righe[1] == "Sara Segretaria  99,00  fascia ≥ 90 (100%)  € 100,00"
    assert Distribuzione.objects.filter(attiva=True).count() == 2


@pytest.mark.parametrize(
    ("argomenti", "messaggio"),
    [
        (("--comune", "nessuno", "--anno", "2019"), "Comune «nessuno» sconosciuto."),
        (("--comune", "borgo", "--anno", "2030"), "non ha un sistema di valutazione per il 2030"),
        (("--comune", "borgo", "--anno", "2019", "--fondo", "dieci"), "«dieci» non è un importo"),
        (("--comune", "borgo", "--anno", "2019", "--fondo", "-5"), "non è un importo valido"),
        (("--comune", "borgo", "--anno", "2019", "--fondo", "1,234"), "al più due decimali"),
        (("--comune", "borgo", "--anno", "2019", "--categoria", "Nessuna"), "non ha la categoria"),
        (("--comune", "borgo", "--anno", "2019", "--categoria", "Dipendenti"), "fondo unico"),
        (("--comune", "borgo", "--anno", "2019", "--utente", "chi"), "Utente «chi» sconosciuto."),
    ],
)
def test_errori_del_comando(ente, argomenti, messaggio):
    _schede(_anno(ente))
    assert messaggio in _errore(*argomenti)
    assert not Distribuzione.objects.exists()


def test_senza_fasce_nessun_premio(ente):
    smvp = _anno(ente)
    _schede(smvp)
    smvp.fasce.all().delete()
    assert "non ha fasce di merito" in _errore("--comune", "borgo", "--anno", "2019")


# ---------------------------------------------------------------- pages


def _url(nome, **query):
    url = reverse(nome, args=["borgo", 2019])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_pagine_per_segreteria_e_ufficio_personale_non_per_gli_altri(ente, client):
    _schede(_anno(ente))
    personale = utente(ente.comune, Ruolo.Tipo.PERSONALE)
    for chi, codice in [
        (ente.segreteria, 200),
        (personale, 200),
        (ente.lettore, 403),
        (ente.oiv, 403),
        (ente.responsabile_a, 403),
        (ente.estraneo, 404),
    ]:
        client.force_login(chi)
        for nome in ("premi", "premi_simulazione", "premi_distribuisci"):
            assert client.get(_url(nome)).status_code == codice, (chi, nome)
        assert client.post(_url("premi_distribuisci")).status_code in (
            (302,) if codice == 200 else (codice,)
        )
    assert Distribuzione.objects.filter(eseguita_da=personale).exists()


def test_simula_distribuisci_e_prospetto(ente, client):
    _schede(_anno(ente))
    client.force_login(ente.segreteria)
    pagina = client.get(_url("premi_simulazione", fondo="10.000,00")).content.decode()
    assert "Simulazione: nulla è stato salvato." in pagina
    assert "€ 2.685,23" in pagina and "Totale distribuito € 9.999,98 su fondo € 10.000,00" in pagina
    conferma = client.get(_url("premi_distribuisci")).content.decode()
    assert "data-conferma=" in conferma and "Sarà salvata questa distribuzione" in conferma
    assert not Distribuzione.objects.exists()
    risposta = client.post(_url("premi_distribuisci"), {"categoria": "", "fondo": ""})
    assert risposta.status_code == 302 and risposta["Location"] == _url("premi")
    assert Distribuzione.objects.get().distribuito == D("9999.98")
    pagina = client.get(_url("premi")).content.decode()
    assert (
        "Prospetto per l&#x27;ufficio paghe" in pagina or "Prospetto per l'ufficio paghe" in pagina
    )
    assert "Ammontare complessivo dei premi 2019" in pagina
    # Again: the confirmation says it replaces the one in force.
    assert "Sostituisce quella in vigore" in client.get(_url("premi_distribuisci")).content.decode()
    file = client.get(_url("premi_prospetto"))
    assert file["Content-Disposition"] == 'attachment; filename="premi-borgo-2019.xlsx"'
    ws = load_workbook(io.BytesIO(file.content)).active
    assert [c.value for c in ws[3]][:2] == ["Matricola", "Nome e cognome"]
    anna = [c for c in ws[4]]
    assert anna[1].value == "Anna Alfa"
    assert (anna[5].value, anna[9].value, anna[10].value, anna[11].value) == (
        95,
        2185.23,
        500,
        2685.23,
    )
    assert anna[11].number_format == '"€" #,##0.00' and anna[5].number_format == "#,##0.00"
    assert [c.value for c in ws[10]][1::10] == ["Totale distribuito", 9999.98]
    assert [c.value for c in ws[12]][1::10] == ["Residuo non distribuito", 0.02]


def test_pagine_rifiuti_e_input_malformati(ente, client):
    smvp = _anno(ente)
    _schede(smvp, consegnata=True)
    client.force_login(ente.segreteria)
    assert client.get(_url("premi_simulazione", fondo="tanti")).status_code == 400
    assert client.get(_url("premi_simulazione", categoria="abc")).status_code == 400
    conferma = client.get(_url("premi_distribuisci")).content.decode()
    assert "tutte le schede del fondo sono definitive" in conferma and "disabled" in conferma
    risposta = client.post(_url("premi_distribuisci"))
    assert risposta.status_code == 403
    assert "tutte le schede del fondo sono definitive" in risposta.context["motivo"]
    assert client.get(_url("premi_prospetto")).status_code == 404
    assert not Distribuzione.objects.exists()


def test_pagine_in_query_fisse_qualunque_sia_il_numero_di_persone(ente, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    smvp = _anno(ente)
    categoria = _schede(smvp)[0].categoria
    premi.distribuisci(smvp)
    client.force_login(ente.segreteria)
    conteggi = []
    for altre in (0, 6):
        _schede(smvp, categoria, [(f"Altra {altre}-{i}", "80") for i in range(altre)])
        premi.distribuisci(smvp)
        for nome in ("premi", "premi_simulazione", "premi_prospetto"):
            client.get(_url(nome))
            with CaptureQueriesContext(connection) as query:
                assert client.get(_url(nome)).status_code == 200
            conteggi.append((nome, len(query)))
    assert conteggi[:3] == [(n, q) for n, q in conteggi[3:]]


def test_una_categoria_non_ritira_il_fondo_unico_delle_altre(ente, client):
    """Distributed with a fondo unico, then the SMVP switched to a fondo per categoria: a
    run of one category would deactivate the fondo unico and the other categories'
    persons would lose their premi in force. Refused; the run of every category together
    goes, and its confirmation says exactly what is superseded and for how many."""
    smvp = _anno(ente)
    dipendenti = CategoriaFactory(smvp=smvp, dipendenti=True, nome="Dipendenti", fondo=6000)
    eq = CategoriaFactory(smvp=smvp, nome="EQ", fondo=D(3000))
    _schede(smvp, dipendenti)
    _schede(smvp, eq, [("Mario Conti", "87.5"), ("Luisa Verdi", "95")])
    premi.distribuisci(smvp)
    Smvp.objects.filter(pk=smvp.pk).update(fondi=Smvp.Fondi.PER_CATEGORIA)
    messaggio = _errore("--comune", "borgo", "--anno", "2019", "--categoria", "EQ")
    assert "il fondo unico in vigore" in messaggio and "6 persone" in messaggio
    assert "distribuisci tutte le categorie insieme (senza --categoria)" in messaggio
    unico = Distribuzione.objects.get()
    assert unico.attiva and unico.categoria is None
    client.force_login(ente.segreteria)
    pagina = client.get(_url("premi_distribuisci", categoria=eq.pk)).content.decode()
    assert "il fondo unico in vigore" in pagina and "disabled" in pagina
    pagina = client.get(_url("premi_distribuisci")).content.decode()
    assert "Non sarà più in vigore (resta nello storico):</p>" in pagina
    assert "<li>fondo unico del " in pagina and ": 8 persone.</li>" in pagina
    assert "perdono" not in pagina
    assert (
        client.post(_url("premi_distribuisci"), {"categoria": "", "fondo": ""}).status_code == 302
    )
    unico.refresh_from_db()
    assert not unico.attiva
    assert sorted(d.categoria.nome for d in Distribuzione.objects.filter(attiva=True)) == [
        "Dipendenti",
        "EQ",
    ]


def test_con_il_criterio_servizio_le_tabelle_dicono_part_time_e_giorni(ente, client):
    """Walk finding: a 90,80 in the top fascia got less than a 77,68 and the page did not
    say why (a 50% part-time); the tables now show part-time and days when they count."""
    smvp = _anno(ente, distribuzione=Smvp.Distribuzione.SERVIZIO)
    schede = _schede(smvp)
    SchedaIndividuale.objects.filter(pk=schede[0].pk).update(
        percentuale_servizio=D(50), giorni_servizio=181
    )
    client.force_login(ente.segreteria)
    pagina = client.get(reverse("premi_simulazione", args=[ente.comune.slug, 2019]))
    testo = pagina.content.decode()
    assert "Part-time" in testo and "50,00%" in testo and ">181<" in testo
    premi.distribuisci(smvp, utente=ente.segreteria)
    testo = client.get(reverse("premi", args=[ente.comune.slug, 2019])).content.decode()
    assert "Part-time" in testo and "50,00%" in testo
