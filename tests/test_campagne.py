"""Campagne di rilevazione: when values may be entered, the e-mails, the daily command,
who may manage a round, the refusal of a value for a closed round, bounded queries."""

import datetime
import io
import re
import smtplib
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocMemBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.models import Rilevazione
from objectives import campagne
from objectives.models import Avviso, CambioStato, Campagna, Obiettivo, RiaperturaSettore
from objectives.workflow import TransizioneNonAmmessa
from peg.models import Comune, Ruolo, Settore

from .factories import (
    CampagnaFactory,
    ComuneFactory,
    FaseFactory,
    IndicatoreFactory,
    ObiettivoFactory,
    PianoFactory,
    RilevazioneFactory,
    SettoreFactory,
)
from .utenti import utente

pytestmark = pytest.mark.django_db
S = Obiettivo.Stato
G = datetime.date
OGGI = timezone.localdate
CHIUSA = (
    "Rilevazione intermedia: la campagna è chiusa (scadenza 31 agosto 2019); "
    "chiedi alla segreteria di riaprirla per il tuo settore."
)


class Ente:
    """A comune with two settori in monitoraggio, one approved scheda and its people."""

    def __init__(self):
        self.piano = PianoFactory(comune=ComuneFactory(nome="Chiavari", slug="chiavari-prova"))
        comune = self.comune = self.piano.comune
        self.sociali = SettoreFactory(comune=comune, codice="VI", nome="Servizi sociali")
        self.tecnico = SettoreFactory(comune=comune, codice="VII", nome="Settore tecnico")
        self.cultura = SettoreFactory(comune=comune, codice="VIII", nome="Cultura")
        self.vi1 = ObiettivoFactory(
            piano=self.piano,
            settore=self.sociali,
            codice="VI - 1",
            denominazione="Progetto Le storie",
            stato=S.IN_MONITORAGGIO,
        )
        self.i1 = IndicatoreFactory(
            obiettivo=self.vi1, numero=1, peso=D(60), denominazione="Tavolo tecnico con ASL"
        )
        self.i2 = IndicatoreFactory(
            obiettivo=self.vi1, numero=2, peso=D(40), denominazione="Incontri con le famiglie"
        )
        self.fase = FaseFactory(obiettivo=self.vi1, numero=1, peso=D(100), descrizione="Avvio")
        self.vii1 = ObiettivoFactory(
            piano=self.piano, settore=self.tecnico, codice="VII - 1", stato=S.IN_MONITORAGGIO
        )
        self.j1 = IndicatoreFactory(
            obiettivo=self.vii1, numero=1, peso=D(100), denominazione="Cantieri aperti"
        )
        # Cultura has already entered everything; its approvata scheda waits for a round.
        self.viii1 = ObiettivoFactory(
            piano=self.piano, settore=self.cultura, codice="VIII - 1", stato=S.IN_MONITORAGGIO
        )
        self.k1 = IndicatoreFactory(obiettivo=self.viii1, numero=1, peso=D(100))
        RilevazioneFactory(indicatore=self.k1, tipo="intermedia", valore=D(3))
        RilevazioneFactory(indicatore=self.k1, tipo="finale", valore=D(4))
        FaseFactory(obiettivo=self.viii1, numero=1, avanzamento=D(100))
        self.approvata = ObiettivoFactory(
            piano=self.piano, settore=self.cultura, codice="VIII - 2", stato=S.APPROVATO
        )
        IndicatoreFactory(obiettivo=self.approvata, numero=1, peso=D(100))
        T = Ruolo.Tipo
        self.segreteria = utente(comune, T.SEGRETERIA, username="segr", email="segr@example.org")
        self.meschi = utente(
            comune,
            T.RESPONSABILE,
            [self.sociali],
            username="meschi",
            email="meschi@example.org",
            first_name="Maura",
            last_name="Meschi",
        )
        self.rossi = utente(
            comune, T.RESPONSABILE, [self.tecnico], username="rossi", email="rossi@example.org"
        )
        self.senza_mail = utente(
            comune, T.RESPONSABILE, [self.tecnico], username="bianchi", email=""
        )
        self.verdi = utente(
            comune, T.RESPONSABILE, [self.cultura], username="verdi", email="verdi@example.org"
        )
        self.oiv = utente(comune, T.OIV, username="nucleo", email="oiv@example.org")
        self.lettore = utente(comune, T.LETTORE, username="sindaco", email="")

    def campagna(self, momento="intermedia", **kwargs):
        """The 2019 round of ``momento`` (intermedia: 1 July - 31 August 2019; finale:
        2 - 31 January 2020), created by the segreteria."""
        kwargs.setdefault("creata_da", self.segreteria)
        return CampagnaFactory(piano=self.piano, momento=momento, **kwargs)


@pytest.fixture
def ente():
    return Ente()


# ---------------------------------------------------------------- rules


def test_without_campaigns_entry_is_free(ente):
    assert campagne.momenti_aperti(ente.vi1, G(2019, 7, 15)) == {"intermedia", "finale"}
    assert campagne.momenti_chiusi(ente.vi1, G(2019, 7, 15)) == {}
    # A round of another year does not close this year's values.
    ente.campagna(anno=2020)
    assert campagne.momenti_aperti(ente.vi1, G(2025, 1, 1)) == {"intermedia", "finale"}


def test_a_round_is_open_inside_its_window_only(ente):
    ente.campagna()
    assert campagne.momenti_aperti(ente.vi1, G(2019, 6, 30)) == set()
    assert campagne.momenti_chiusi(ente.vi1, G(2019, 6, 30))["intermedia"] == (
        "Rilevazione intermedia: la campagna apre il 1 luglio 2019."
    )
    # Rounds are in use for 2019: the finale waits for its own round.
    assert campagne.momenti_aperti(ente.vi1, G(2019, 7, 1)) == {"intermedia"}
    assert campagne.momenti_aperti(ente.vi1, G(2019, 8, 31)) == {"intermedia"}
    assert campagne.momenti_chiusi(ente.vi1, G(2019, 8, 31))["finale"].startswith(
        "Rilevazione finale: per il 2019 la segreteria non ha ancora aperto"
    )
    assert campagne.momenti_aperti(ente.vi1, G(2019, 9, 1)) == set()
    assert campagne.momenti_chiusi(ente.vi1, G(2019, 9, 1))["intermedia"] == CHIUSA


def test_closing_ends_the_round_before_its_deadline(ente):
    campagna = ente.campagna()
    campagne.chiudi(campagna)
    assert campagne.momenti_aperti(ente.vi1, G(2019, 7, 15)) == set()
    assert campagne.stato_generale(campagna, G(2019, 7, 15)).startswith("chiusa il ")
    campagne.riapri(campagna, G(2019, 9, 15))
    assert campagne.momenti_aperti(ente.vi1, G(2019, 9, 10)) == {"intermedia"}


def test_a_reopening_is_for_one_settore_only_and_until_its_date(ente):
    campagna = ente.campagna()
    campagne.chiudi(campagna)
    campagne.riapri_settore(
        campagna, ente.sociali, G(2019, 9, 10), "Dati ASL in ritardo", ente.segreteria
    )
    assert campagne.momenti_aperti(ente.vi1, G(2019, 9, 5)) == {"intermedia"}
    assert campagne.momenti_aperti(ente.vi1, G(2019, 9, 10)) == {"intermedia"}
    assert campagne.momenti_aperti(ente.vi1, G(2019, 9, 11)) == set()
    assert campagne.momenti_aperti(ente.vii1, G(2019, 9, 5)) == set()  # another settore
    campagna = Campagna.objects.prefetch_related("riaperture").get(pk=campagna.pk)
    assert campagne.stato_settore(campagna, ente.sociali.pk, G(2019, 9, 5)) == (
        "riaperta per il settore fino al 10 settembre 2019"
    )


def test_missing_values_per_settore(ente):
    intermedia = ente.campagna()
    ritardi = campagne.mancanti(intermedia)
    assert ritardi[ente.sociali.pk].n == 2 and ritardi[ente.sociali.pk].schede == 1
    assert ritardi[ente.sociali.pk].obiettivi[0].voci == [
        "indicatore 1: Tavolo tecnico con ASL",
        "indicatore 2: Incontri con le famiglie",
    ]
    assert ritardi[ente.tecnico.pk].n == 1
    assert ritardi[ente.cultura.pk].n == 0  # VIII - 2 is only approvato
    # A date is a value (days-late indicatori); the finale also counts the fasi.
    RilevazioneFactory(indicatore=ente.i1, tipo="intermedia", valore=None, data=G(2019, 6, 20))
    RilevazioneFactory(indicatore=ente.i2, tipo="finale", valore=D(4))
    assert campagne.mancanti(intermedia)[ente.sociali.pk].n == 1
    finale = ente.campagna("finale")
    assert campagne.mancanti(finale)[ente.sociali.pk].obiettivi[0].voci == [
        "indicatore 1: Tavolo tecnico con ASL",
        "fase 1: Avvio",
    ]
    assert list(campagne.mancanti(finale, settori=[ente.tecnico])) == [ente.tecnico.pk]


def test_missing_values_from_loaded_schede_skip_a_row_deleted_meanwhile(ente):
    """The home reads a responsabile's schede, then the texts of what they miss: an
    indicatore deleted in between is no longer missing (before: KeyError, a 500)."""
    from objectives.campagne.mancanti import mancanti_delle_schede, nel_giro
    from objectives.da_fare import schede_del_responsabile

    finale = ente.campagna("finale")
    schede = schede_del_responsabile(ente.meschi, ente.comune, [ente.sociali.pk])
    ente.i2.delete()
    ritardi = mancanti_delle_schede([finale], schede)[finale.pk]
    assert ritardi[0].obiettivi[0].voci == ["indicatore 1: Tavolo tecnico con ASL", "fase 1: Avvio"]
    # The same rule picks the round's schede in the database and among loaded rows.
    assert nel_giro(finale) == {
        "piano_id": ente.piano.pk,
        "anno": finale.anno,
        "stato": S.IN_MONITORAGGIO,
    }


# ---------------------------------------------------------------- e-mails


def test_opening_moves_approved_schede_and_mails_each_responsabile_behind(ente, settings):
    settings.SITE_URL = "https://peg.example.it/"
    campagna = ente.campagna(note="Inserire anche le note.")
    invio = campagne.apri(campagna, G(2019, 7, 1), ente.segreteria)

    ente.approvata.refresh_from_db()
    assert ente.approvata.stato == S.IN_MONITORAGGIO
    cambio = CambioStato.objects.get(obiettivo=ente.approvata)
    assert (cambio.azione, cambio.utente) == ("avvia_monitoraggio", ente.segreteria)
    assert invio.spostate == 1

    # Cultura now misses the moved scheda's value; bianchi has no address.
    per_destinatario = {m.to[0]: m for m in mail.outbox}
    assert sorted(per_destinatario) == [
        "meschi@example.org",
        "rossi@example.org",
        "verdi@example.org",
    ]
    assert all(len(m.to) == 1 for m in mail.outbox)
    email = per_destinatario["meschi@example.org"]
    assert email.subject == "[PEG Chiavari] Rilevazione intermedia 2019: è aperta"
    assert "Gentile Maura Meschi," in email.body
    assert f"del piano «{ente.piano.titolo}»" in email.body
    assert "Valori alla data del 30 giugno 2019, da inserire entro il 31 agosto 2019." in email.body
    assert "mancano ancora 2 valori" in email.body
    assert "VI - 1 (2019) - Progetto Le storie" in email.body
    assert "  - indicatore 2: Incontri con le famiglie" in email.body
    assert f"https://peg.example.it/chiavari-prova/obiettivi/{ente.vi1.pk}/rendicontazione/" in (
        email.body
    )
    assert "Inserire anche le note." in email.body
    assert "Cantieri aperti" not in email.body  # another settore's gaps
    assert "manca ancora 1 valore" in per_destinatario["rossi@example.org"].body

    avvisi = {a.settore_id: a for a in Avviso.objects.filter(campagna=campagna)}
    assert avvisi[ente.sociali.pk].destinatari == "meschi@example.org"
    assert (avvisi[ente.sociali.pk].mancanti, avvisi[ente.sociali.pk].tipo) == (2, "apertura")
    assert avvisi[ente.tecnico.pk].destinatari == "rossi@example.org"
    campagna.refresh_from_db()
    assert campagna.avviso_apertura_il is not None
    assert campagne.apri(campagna, G(2019, 7, 2), ente.segreteria) is None  # once only
    assert len(mail.outbox) == 3


def test_settori_with_nothing_missing_or_no_address_get_no_email(ente):
    RilevazioneFactory(indicatore=ente.i1, tipo="intermedia", valore=D(1))
    RilevazioneFactory(indicatore=ente.i2, tipo="intermedia", valore=D(1))
    ente.rossi.email = ""
    ente.rossi.save()
    Obiettivo.objects.filter(pk=ente.approvata.pk).update(stato=S.BOZZA)
    invio = campagne.apri(ente.campagna(), G(2019, 7, 1), ente.segreteria)
    assert mail.outbox == [] and invio.avvisi == []
    assert invio.senza_indirizzo == ["VII - Settore tecnico"]
    assert "senza un responsabile con indirizzo e-mail: VII - Settore tecnico" in invio.riepilogo()


def test_sollecito_only_where_the_round_is_open(ente):
    campagna = ente.campagna(avviso_apertura_il=timezone.now())
    invio = campagne.sollecita(campagna, ente.segreteria, G(2019, 8, 1), ente.tecnico)
    assert [m.to for m in mail.outbox] == [["rossi@example.org"]]
    assert "sollecito, scade il 31 agosto 2019" in mail.outbox[0].subject
    assert invio.avvisi[0].inviato_da == ente.segreteria
    with pytest.raises(TransizioneNonAmmessa, match="chiusa per"):
        campagne.sollecita(campagna, ente.segreteria, G(2019, 9, 2), ente.tecnico)
    campagne.riapri_settore(campagna, ente.tecnico, G(2019, 9, 20), "Ritardo", ente.segreteria)
    mail.outbox.clear()
    campagne.sollecita(campagna, ente.segreteria, G(2019, 9, 2))  # all those behind, open
    assert [m.to for m in mail.outbox] == [["rossi@example.org"]]
    assert "scade il 20 settembre 2019" in mail.outbox[0].subject


def test_a_reopening_for_a_settore_mails_its_responsabili(client, ente, settings):
    settings.SITE_URL = "https://peg.example.it/"
    campagna = ente.campagna(chiusa_il=timezone.now(), avviso_apertura_il=timezone.now())
    riapertura = campagne.riapri_settore(
        campagna, ente.tecnico, G(2019, 9, 20), "Dati del cantiere in ritardo", ente.segreteria
    )
    assert [m.to for m in mail.outbox] == [["rossi@example.org"]]  # bianchi has no address
    email = mail.outbox[0]
    assert email.subject == (
        "[PEG Chiavari] Rilevazione intermedia 2019: riaperta per il tuo settore "
        "fino al 20 settembre 2019"
    )
    assert "la segreteria ha riaperto la campagna di rilevazione" in email.body
    assert "per il settore «VII - Settore tecnico» fino al 20 settembre 2019" in email.body
    assert "Motivazione: Dati del cantiere in ritardo" in email.body
    assert "  - indicatore 1: Cantieri aperti" in email.body
    link = f"https://peg.example.it/chiavari-prova/obiettivi/{ente.vii1.pk}/rendicontazione/"
    assert link in email.body
    avviso = Avviso.objects.get(campagna=campagna, tipo="riapertura")
    assert (avviso.settore, avviso.destinatari, avviso.inviato_da) == (
        ente.tecnico,
        "rossi@example.org",
        ente.segreteria,
    )
    assert riapertura.pk is not None
    client.force_login(ente.rossi)
    assert client.get(link.removeprefix("https://peg.example.it")).status_code == 200


def test_a_reopening_is_recorded_even_when_the_mail_server_is_down(client, ente, monkeypatch):
    """The e-mails are queued (peg.posta): the server down delays them, never the action."""
    campagna = ente.campagna(chiusa_il=timezone.now(), avviso_apertura_il=timezone.now())

    def guasto(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("server non raggiungibile")

    monkeypatch.setattr(LocMemBackend, "send_messages", guasto)
    client.force_login(ente.segreteria)
    url = reverse("riapri_settore", args=[ente.comune.slug, campagna.pk, ente.tecnico.pk])
    html = client.post(url, _dati_riapertura(ente), follow=True).content.decode()
    assert "Invio delle e-mail non riuscito" not in html
    assert "Campagna riaperta per «VII - Settore tecnico»" in html
    assert RiaperturaSettore.objects.count() == 1


# ---------------------------------------------------------------- daily command


def _comando(oggi):
    out = io.StringIO()
    call_command("avvisi_campagne", "--oggi", oggi, stdout=out)
    return out.getvalue()


def test_command_opens_warns_once_and_is_idempotent(ente, settings):
    settings.CAMPAGNE_PREAVVISO_GIORNI = 3
    campagna = ente.campagna(creata_da=None)  # the cron acts as a segreteria user
    assert "nessun avviso da inviare" in _comando("2019-06-30")
    assert mail.outbox == []

    out = _comando("2019-07-01")
    assert "avviso di apertura" in out and "1 scheda passata in monitoraggio" in out
    assert len(mail.outbox) == 3
    assert CambioStato.objects.get(obiettivo=ente.approvata).utente == ente.segreteria
    assert "nessun avviso" in _comando("2019-07-01")
    assert "nessun avviso" in _comando("2019-08-27")  # 4 days before
    assert len(mail.outbox) == 3

    out = _comando("2019-08-28")
    assert "avviso di scadenza" in out
    assert {m.subject for m in mail.outbox[3:]} == {
        "[PEG Chiavari] Rilevazione intermedia 2019: scade il 31 agosto 2019"
    }
    assert "si avvicina la scadenza" in mail.outbox[3].body
    assert "nessun avviso" in _comando("2019-08-29")
    assert "nessun avviso" in _comando("2019-09-01")
    assert len(mail.outbox) == 6
    assert Avviso.objects.filter(campagna=campagna, tipo="scadenza").count() == 3


def test_command_sends_nothing_for_a_closed_round(ente):
    campagne.chiudi(ente.campagna())
    assert "nessun avviso" in _comando("2019-07-01")
    assert mail.outbox == []


def test_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="serve una data AAAA-MM-GG"):
        call_command("avvisi_campagne", "--oggi", "31/08/2019")


# ---------------------------------------------------------------- pages and permissions


def _urls(ente, campagna):
    slug = ente.comune.slug
    return {
        "lista": reverse("campagne", args=[slug, ente.piano.pk]),
        "dettaglio": reverse("campagna", args=[slug, campagna.pk]),
        "apri": reverse("apri_campagna", args=[slug, campagna.pk]),
        "chiudi": reverse("chiudi_campagna", args=[slug, campagna.pk]),
        "riapri": reverse("riapri_campagna", args=[slug, campagna.pk]),
        "sollecito": reverse("sollecito_campagna", args=[slug, campagna.pk]),
        "sollecito_settore": reverse(
            "sollecito_settore", args=[slug, campagna.pk, ente.tecnico.pk]
        ),
        "riapri_settore": reverse("riapri_settore", args=[slug, campagna.pk, ente.tecnico.pk]),
    }


def _etichette(html) -> dict:
    """Every visible field of the page by id, with its label (a field without one fails)."""
    campi = re.findall(
        r'<(?:input|select|textarea)\b(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html
    )
    etichette = dict(re.findall(r'<label[^>]*for="([^"]+)"[^>]*>\s*([^<*]+?)\s*[<*]', html))
    assert set(campi) <= set(etichette), set(campi) - set(etichette)
    return {c: etichette[c] for c in campi}


def _dati_riapertura(ente, **kwargs):
    prefisso = f"settore-{ente.tecnico.pk}"
    dati = {
        "fino_al": (OGGI() + datetime.timedelta(days=5)).isoformat(),
        "motivazione": "Dati in ritardo",
        **kwargs,
    }
    return {f"{prefisso}-{k}": v for k, v in dati.items()}


def _post_validi(ente):
    oggi = OGGI()
    return {
        "lista": {
            "anno": "2019",
            "momento": "finale",
            "data_riferimento": "2019-12-31",
            "apertura": oggi.isoformat(),
            "scadenza": (oggi + datetime.timedelta(days=10)).isoformat(),
        },
        "riapri": {"scadenza": (oggi + datetime.timedelta(days=10)).isoformat()},
        "riapri_settore": _dati_riapertura(ente),
    }


def _stato_invariato(ente, campagna):
    assert Campagna.objects.count() == 1
    campagna.refresh_from_db()
    assert campagna.chiusa_il is None and campagna.avviso_apertura_il is None
    assert not RiaperturaSettore.objects.exists() and not Avviso.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("chi", ["meschi", "nucleo", "sindaco"])
def test_other_roles_may_only_read_the_list(client, ente, chi):
    oggi = OGGI()
    campagna = ente.campagna(apertura=oggi, scadenza=oggi + datetime.timedelta(days=9))
    client.force_login(ente.comune.ruoli.get(utente__username=chi).utente)
    urls = _urls(ente, campagna)
    pagina = client.get(urls["lista"])
    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert "Rilevazione intermedia" in html and "Crea la campagna" not in html
    assert reverse("campagna", args=[ente.comune.slug, campagna.pk]) not in html
    assert client.get(urls["dettaglio"]).status_code == 403
    dati = _post_validi(ente)
    for nome, url in urls.items():
        # The detail page only reads: a POST is refused before any access check.
        atteso = 405 if nome == "dettaglio" else 403
        assert client.post(url, dati.get(nome, {})).status_code == atteso, nome
    _stato_invariato(ente, campagna)


def test_another_comune_gets_404_and_anonymous_the_login(client, ente):
    campagna = ente.campagna()
    urls = _urls(ente, campagna)
    for nome, url in urls.items():
        risposta = client.post(url, {})
        assert risposta.status_code == 302 and "/accesso/" in risposta["Location"], nome
    assert "/accesso/" in client.get(urls["dettaglio"])["Location"]
    client.force_login(utente(ComuneFactory(), Ruolo.Tipo.SEGRETERIA))  # of another comune
    assert client.get(urls["lista"]).status_code == 404
    assert client.get(urls["dettaglio"]).status_code == 404
    dati = _post_validi(ente)
    for nome, url in urls.items():
        atteso = 405 if nome == "dettaglio" else 404  # the detail page only reads
        assert client.post(url, dati.get(nome, {})).status_code == atteso, nome
    _stato_invariato(ente, campagna)


def test_a_campaign_of_another_comune_is_404_under_my_comune(client, ente):
    altra = Campagna.objects.create(
        piano=PianoFactory(),
        anno=2019,
        momento="finale",
        data_riferimento=G(2019, 12, 31),
        apertura=G(2020, 1, 1),
        scadenza=G(2020, 1, 31),
    )
    client.force_login(ente.segreteria)
    assert client.get(reverse("campagna", args=[ente.comune.slug, altra.pk])).status_code == 404
    url = reverse("chiudi_campagna", args=[ente.comune.slug, altra.pk])
    assert client.post(url).status_code == 404


def test_segreteria_creates_a_round_that_opens_at_once_with_emails(client, ente):
    client.force_login(ente.segreteria)
    url = reverse("campagne", args=[ente.comune.slug, ente.piano.pk])
    page = client.get(url).content.decode()
    assert _etichette(page) == {
        "id_anno": "Anno delle schede",
        "id_momento": "Rilevazione",
        "id_data_riferimento": "Valori alla data",
        "id_apertura": "Aperta dal",
        "id_scadenza": "Da completare entro il",
        "id_note": "Note per i responsabili",
    }
    oggi = OGGI()
    risposta = client.post(
        url,
        {
            "anno": "2019",
            "momento": "intermedia",
            "data_riferimento": "2019-06-30",
            "apertura": oggi.isoformat(),
            "scadenza": (oggi + datetime.timedelta(days=20)).isoformat(),
            "note": "",
        },
        follow=True,
    )
    campagna = Campagna.objects.get()
    assert risposta.redirect_chain[-1][0] == reverse(
        "campagna", args=[ente.comune.slug, campagna.pk]
    )
    html = risposta.content.decode()
    assert "Campagna aperta: 1 scheda passata in monitoraggio; 3 e-mail inviate a 3 settori" in html
    assert "VII - Settore tecnico" in html
    assert sorted(m.to[0] for m in mail.outbox) == [
        "meschi@example.org",
        "rossi@example.org",
        "verdi@example.org",
    ]
    assert campagna.creata_da == ente.segreteria and campagna.avviso_apertura_il is not None


def test_a_future_round_waits_for_the_command(client, ente):
    client.force_login(ente.segreteria)
    url = reverse("campagne", args=[ente.comune.slug, ente.piano.pk])
    domani = OGGI() + datetime.timedelta(days=1)
    html = client.post(
        url,
        {
            "anno": "2019",
            "momento": "finale",
            "data_riferimento": "2019-12-31",
            "apertura": domani.isoformat(),
            "scadenza": (domani + datetime.timedelta(days=20)).isoformat(),
        },
        follow=True,
    ).content.decode()
    assert "le e-mail partiranno quel giorno" in html
    assert mail.outbox == []
    assert Obiettivo.objects.get(pk=ente.approvata.pk).stato == S.APPROVATO


def test_creation_errors_are_in_italian(client, ente):
    ente.campagna()
    client.force_login(ente.segreteria)
    url = reverse("campagne", args=[ente.comune.slug, ente.piano.pk])
    html = client.post(
        url,
        {
            "anno": "2019",
            "momento": "intermedia",
            "data_riferimento": "2019-06-30",
            "apertura": "2019-09-01",
            "scadenza": "2019-08-31",
        },
    ).content.decode()
    assert "esiste già una campagna di questa rilevazione" in html
    assert "La scadenza non può precedere l&#x27;apertura." in html
    html = client.post(url, {"anno": "2030", "momento": "finale"}).content.decode()
    assert "Scegli un&#x27;opzione valida. 2030 non è tra quelle disponibili." in html
    assert "Questo campo è obbligatorio" in html
    assert Campagna.objects.count() == 1


def test_detail_shows_who_is_behind_and_the_segreteria_acts(client, ente):
    oggi = OGGI()
    campagna = ente.campagna(apertura=oggi, scadenza=oggi + datetime.timedelta(days=9))
    campagne.apri(campagna, oggi, ente.segreteria)
    mail.outbox.clear()
    client.force_login(ente.segreteria)
    urls = _urls(ente, campagna)
    html = client.get(urls["dettaglio"]).content.decode()
    etichette = _etichette(html)
    assert etichette[f"id_settore-{ente.tecnico.pk}-fino_al"] == "Riaperta fino al"
    assert etichette[f"id_settore-{ente.tecnico.pk}-motivazione"] == "Motivazione"
    assert etichette["id_scadenza"] == "Nuova scadenza"
    assert "Maura Meschi" in html and "meschi@example.org" in html
    assert "(senza e-mail)" in html  # bianchi
    assert "indicatore 2: Incontri con le famiglie" in html
    assert "Sollecita tutti i ritardatari (3)" in html
    assert "Apertura" in html  # the avvisi sent

    html = client.post(urls["sollecito_settore"], follow=True).content.decode()
    assert "Sollecito: 1 e-mail inviata a 1 settore." in html
    assert [m.to for m in mail.outbox] == [["rossi@example.org"]]
    client.post(urls["sollecito"])
    assert len(mail.outbox) == 4

    # Per-settore reopening: both fields required, with Italian messages.
    html = client.post(urls["riapri_settore"], _dati_riapertura(ente, fino_al="", motivazione=" "))
    html = html.content.decode()
    assert "Indica fino a quando riaprire la campagna." in html
    assert "La motivazione è obbligatoria." in html
    passata = _dati_riapertura(ente, fino_al="2019-01-01")
    assert "La data è già passata" in client.post(urls["riapri_settore"], passata).content.decode()
    assert not RiaperturaSettore.objects.exists()

    client.post(urls["chiudi"])
    campagna.refresh_from_db()
    assert campagna.chiusa_il is not None
    html = client.post(urls["sollecito"], follow=True).content.decode()
    assert "non ci sono ritardatari da sollecitare" in html
    client.post(urls["riapri_settore"], _dati_riapertura(ente))
    riapertura = RiaperturaSettore.objects.get()
    assert (riapertura.settore, riapertura.utente) == (ente.tecnico, ente.segreteria)
    html = client.get(urls["dettaglio"]).content.decode()
    assert "riaperta per il settore fino al" in html and "Dati in ritardo" in html

    html = client.post(urls["riapri"], {"scadenza": "2019-01-01"}).content.decode()
    assert "La nuova scadenza non può precedere oggi" in html
    nuova = oggi + datetime.timedelta(days=30)
    client.post(urls["riapri"], {"scadenza": nuova.isoformat()})
    campagna.refresh_from_db()
    assert campagna.chiusa_il is None and campagna.scadenza == nuova


def test_home_shows_the_rounds(client, ente):
    oggi = OGGI()
    campagna = ente.campagna(apertura=oggi, scadenza=oggi + datetime.timedelta(days=9))
    client.force_login(ente.segreteria)
    html = client.get(reverse("home")).content.decode()
    assert "Campagne di rilevazione in corso" in html
    assert reverse("campagna", args=[ente.comune.slug, campagna.pk]) in html
    assert "<strong>2 settori in ritardo</strong> (3 valori mancanti)" in html
    assert reverse("campagne", args=[ente.comune.slug, ente.piano.pk]) in html
    client.force_login(ente.meschi)
    html = client.get(reverse("home")).content.decode()
    assert "Campagne di rilevazione in corso" not in html
    assert "Rilevazione intermedia 2019" in html and "ti mancano 2 valori" in html
    campagne.chiudi(campagna)
    html = client.get(reverse("home")).content.decode()
    assert "Rilevazione intermedia 2019" in html and "chiusa il" in html


def test_piano_page_links_to_the_rounds(client, ente):
    client.force_login(ente.lettore)
    html = client.get(reverse("piano", args=[ente.comune.slug, ente.piano.pk])).content.decode()
    assert reverse("campagne", args=[ente.comune.slug, ente.piano.pk]) in html


# ---------------------------------------------------------------- rendicontazione gated


def _rendicontazione(ente, obiettivo):
    return reverse("rendicontazione", args=[ente.comune.slug, obiettivo.pk])


def _post(obiettivo, **valori):
    data = {
        "obiettivo-versione": obiettivo.versione,
        "obiettivo-caricato_il": "2019-01-01 00:00:00",
        "obiettivo-stato_attuazione": "In corso",
    }
    for fase in obiettivo.fasi.all():
        data[f"fase-{fase.pk}-avanzamento"] = ""
    data.update(valori)
    return data


@pytest.fixture
def intermedia_chiusa(ente):
    """The 2019 intermedia round is over (scadenza 31 August 2019); the finale is open."""
    oggi = OGGI()
    ente.campagna()
    ente.campagna("finale", apertura=oggi, scadenza=oggi + datetime.timedelta(days=9))
    return ente


def test_a_value_for_a_closed_round_is_refused(client, intermedia_chiusa):
    ente = intermedia_chiusa
    client.force_login(ente.meschi)
    url = _rendicontazione(ente, ente.vi1)
    html = client.get(url).content.decode()
    assert "Rilevazione intermedia:</strong> chiusa (scaduta il 31 agosto 2019)" in html
    assert re.search(rf'name="ind-{ente.i1.pk}-intermedia_valore"[^>]*readonly', html)
    assert not re.search(rf'name="ind-{ente.i1.pk}-finale_valore"[^>]*readonly', html)
    assert "Non modificabile: " + CHIUSA in html

    risposta = client.post(
        url,
        _post(
            ente.vi1,
            **{f"ind-{ente.i2.pk}-intermedia_valore": "3", f"ind-{ente.i1.pk}-finale_valore": "1"},
        ),
    )
    html = risposta.content.decode()
    assert risposta.status_code == 200
    assert "Indicatore 2 – " + CHIUSA.replace("'", "&#x27;") in html
    assert not Rilevazione.objects.filter(indicatore__obiettivo=ente.vi1).exists()
    ente.vi1.refresh_from_db()
    assert ente.vi1.versione == 1 and ente.vi1.stato_attuazione == ""


def test_unchanged_closed_values_do_not_block_the_open_round(client, intermedia_chiusa):
    ente = intermedia_chiusa
    RilevazioneFactory(indicatore=ente.i2, tipo="intermedia", valore=D("2.5"), note="a giugno")
    client.force_login(ente.meschi)
    risposta = client.post(
        _rendicontazione(ente, ente.vi1),
        _post(
            ente.vi1,
            **{
                f"ind-{ente.i2.pk}-intermedia_valore": "2,5",  # as the page shows it
                f"ind-{ente.i2.pk}-intermedia_note": "a giugno",
                f"ind-{ente.i2.pk}-finale_valore": "4",
            },
        ),
        follow=True,
    )
    assert "Rendicontazione salvata." in risposta.content.decode()
    valori = dict(Rilevazione.objects.filter(indicatore=ente.i2).values_list("tipo", "valore"))
    assert valori == {"intermedia": D("2.5"), "finale": D("4")}


def test_clearing_a_closed_value_is_refused_too(client, intermedia_chiusa):
    ente = intermedia_chiusa
    RilevazioneFactory(indicatore=ente.i2, tipo="intermedia", valore=D(2))
    client.force_login(ente.meschi)
    html = client.post(_rendicontazione(ente, ente.vi1), _post(ente.vi1)).content.decode()
    assert "Indicatore 2 – Rilevazione intermedia: la campagna è chiusa" in html
    assert Rilevazione.objects.get(indicatore=ente.i2, tipo="intermedia").valore == D(2)


def test_a_reopening_lets_only_that_settore_enter(client, intermedia_chiusa):
    ente = intermedia_chiusa
    campagna = Campagna.objects.get(momento="intermedia")
    domani = OGGI() + datetime.timedelta(days=1)
    campagne.riapri_settore(campagna, ente.sociali, domani, "Dati ASL", ente.segreteria)

    client.force_login(ente.meschi)
    url = _rendicontazione(ente, ente.vi1)
    assert "riaperta per il settore fino al" in client.get(url).content.decode()
    risposta = client.post(
        url, _post(ente.vi1, **{f"ind-{ente.i2.pk}-intermedia_valore": "3"}), follow=True
    )
    assert "Rendicontazione salvata." in risposta.content.decode()
    assert Rilevazione.objects.get(indicatore=ente.i2, tipo="intermedia").valore == D(3)

    client.force_login(ente.rossi)
    html = client.post(
        _rendicontazione(ente, ente.vii1),
        _post(ente.vii1, **{f"ind-{ente.j1.pk}-intermedia_valore": "3"}),
    ).content.decode()
    assert "Indicatore 1 – " + CHIUSA.replace("'", "&#x27;") in html
    assert not Rilevazione.objects.filter(indicatore=ente.j1).exists()


def test_the_segreteria_is_bound_by_the_rounds_too(client, intermedia_chiusa):
    ente = intermedia_chiusa
    client.force_login(ente.segreteria)
    html = client.post(
        _rendicontazione(ente, ente.vi1),
        _post(ente.vi1, **{f"ind-{ente.i1.pk}-intermedia_valore": "3"}),
    ).content.decode()
    assert "la campagna è chiusa" in html
    assert not Rilevazione.objects.filter(indicatore__obiettivo=ente.vi1).exists()


def test_the_preview_ignores_a_value_typed_for_a_closed_round(client, ente):
    ente.campagna("finale", apertura=G(2020, 1, 2), scadenza=G(2020, 1, 31))  # over
    client.force_login(ente.rossi)
    url = reverse("anteprima_rendicontazione", args=[ente.comune.slug, ente.vii1.pk])
    html = client.post(
        url, _post(ente.vii1, **{f"ind-{ente.j1.pk}-finale_valore": "0"})
    ).content.decode()
    assert f'id="esito-ind-{ente.j1.pk}"' in html
    assert "Conseguimento: non rilevato" in html
    Campagna.objects.update(scadenza=OGGI())  # open again: the same value now counts
    html = client.post(
        url, _post(ente.vii1, **{f"ind-{ente.j1.pk}-finale_valore": "0"})
    ).content.decode()
    assert "Conseguimento: 100,00%" in html


# ---------------------------------------------------------------- admin


def test_admin_lists_own_rounds_and_avvisi_are_read_only(client, ente):
    from objectives.demo_accounts import gruppo_segreteria

    campagna = ente.campagna()
    altra = Campagna.objects.create(
        piano=PianoFactory(titolo="PEG di un altro comune"),
        anno=2019,
        momento="finale",
        data_riferimento=G(2019, 12, 31),
        apertura=G(2020, 1, 1),
        scadenza=G(2020, 1, 31),
    )
    ente.segreteria.is_staff = True
    ente.segreteria.save()
    ente.segreteria.groups.add(gruppo_segreteria())
    campagne.apri(campagna, G(2019, 7, 1), ente.segreteria)
    client.force_login(ente.segreteria)
    html = client.get("/admin/objectives/campagna/").content.decode()
    assert f"/admin/objectives/campagna/{campagna.pk}/change/" in html
    assert f"/admin/objectives/campagna/{altra.pk}/change/" not in html
    assert client.get(f"/admin/objectives/campagna/{altra.pk}/change/").status_code == 302
    html = client.get("/admin/objectives/avviso/").content.decode()
    assert "meschi@example.org" in html
    assert client.get("/admin/objectives/avviso/add/").status_code == 403


# ---------------------------------------------------------------- bounded queries


def _comune_generato(slug, settori, obiettivi):
    call_command(
        "genera_dati",
        "--comune",
        slug,
        "--settori",
        str(settori),
        "--obiettivi",
        str(obiettivi),
        "--indicatori",
        "3",
        "--fasi",
        "2",
        "--non-rilevati",
        "0.3",
        stdout=io.StringIO(),
    )
    comune = Comune.objects.get(slug=slug)
    Obiettivo.objects.filter(piano__comune=comune).update(stato=S.IN_MONITORAGGIO)
    segreteria = utente(comune, Ruolo.Tipo.SEGRETERIA, email=f"segr@{slug}.it")
    for n, settore in enumerate(Settore.objects.filter(comune=comune)):
        utente(comune, Ruolo.Tipo.RESPONSABILE, [settore], email=f"r{n}@{slug}.it")
    piano = comune.piani.get()
    oggi = OGGI()
    campagna = Campagna.objects.create(
        piano=piano,
        anno=2019,
        momento="finale",
        data_riferimento=G(2019, 12, 31),
        apertura=oggi,
        scadenza=oggi + datetime.timedelta(days=10),
        creata_da=segreteria,
    )
    campagne.apri(campagna, oggi, segreteria)
    primo = Settore.objects.filter(comune=comune).first()
    campagne.riapri_settore(campagna, primo, oggi, "prova", segreteria)
    return segreteria, piano, campagna


def _query(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_campaign_pages_queries_do_not_grow_with_the_plan(client, django_assert_max_num_queries):
    piccolo = _comune_generato("piccolo", settori=2, obiettivi=2)
    grande = _comune_generato("grande", settori=6, obiettivi=12)
    segreteria, piano, campagna = grande
    # The openings (2 + 6 settori) and each reopening for one settore (1 + 1).
    assert len(mail.outbox) == 10 and Avviso.objects.filter(campagna=campagna).count() == 7
    client.force_login(segreteria)
    lista = reverse("campagne", args=["grande", piano.pk])
    dettaglio = reverse("campagna", args=["grande", campagna.pk])
    with django_assert_max_num_queries(8):
        html = client.get(lista).content.decode()
    assert "Rilevazione finale" in html
    with django_assert_max_num_queries(14):
        html = client.get(dettaglio).content.decode()
    assert html.count('<tr id="settore-') == 6 and "2019_S06_12" in html
    # The home counts what each open round misses in one query.
    with django_assert_max_num_queries(11):
        client.get(reverse("home"))

    # The same pages of a much smaller comune cost exactly as many queries.
    segreteria_p, piano_p, campagna_p = piccolo
    client.force_login(segreteria_p)
    piccole = [
        _query(client, reverse("campagne", args=["piccolo", piano_p.pk])),
        _query(client, reverse("campagna", args=["piccolo", campagna_p.pk])),
    ]
    client.force_login(segreteria)
    assert piccole == [_query(client, lista), _query(client, dettaglio)]


# ---------------------------------------------------------------- demo


def test_demo_users_have_addresses_and_reported_comuni_a_closed_round(demo_all):
    from django.contrib.auth import get_user_model

    indirizzi = dict(get_user_model().objects.values_list("username", "email"))
    assert indirizzi["meschi"] == "meschi@example.org"
    assert indirizzi["segreteria"] == "segreteria@example.org"
    chiuse = Campagna.objects.filter(chiusa_il__isnull=False, momento="finale", anno=2019)
    assert sorted(chiuse.values_list("piano__comune__slug", flat=True)) == [
        "cinisello-balsamo",
        "seregno",
    ]
    call_command("carica_demo", stdout=io.StringIO())  # again: nothing doubled
    assert Campagna.objects.count() == 2
    assert "nessun avviso" in _comando(OGGI().isoformat())


def test_smtp_settings_come_from_the_environment(tmp_path):
    from .test_settings import _setup

    risultato = _setup(tmp_path, EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")
    assert risultato.returncode == 1
    assert "EMAIL_USE_TLS e EMAIL_USE_SSL si escludono" in risultato.stderr
    assert (
        "EMAIL_PORT='venticinque': serve un numero intero"
        in _setup(tmp_path, EMAIL_PORT="venticinque").stderr
    )
