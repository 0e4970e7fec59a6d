"""The documento di validazione della Relazione sulla performance: built from the data
(Nucleo, members, sedute, what was examined, outcome per settore as the relazione
computes it, rettifiche with motivazioni, conclusion, signatures), only when every scheda
of the year is validated; published in Amministrazione trasparente (art. 31)."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from reporting import validazione_relazione as documento
from reporting.relazione import relazione
from trasparenza.models import Pubblicazione
from trasparenza.pubblicazioni import motivo_non_pubblicabile, pubblica
from valutazione.models import Seduta, Validazione

from .factories import NucleoFactory, SedutaFactory

pytestmark = pytest.mark.django_db
T = Pubblicazione.Tipo


def estrai(pdf: bytes) -> str:
    return re.sub(
        r"\s+", " ", " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    )


@pytest.fixture
def validato(ente):
    """Two validated schede (one with a rettifica: 95,00% instead of 92,00%) in two
    settori, validated in the seduta of 12 March 2020 (verbale n. 3/2020)."""
    nucleo = NucleoFactory(comuni=[ente.comune], collegiale=True, nome="Nucleo associato")
    seduta = SedutaFactory(comune=ente.comune, nucleo=nucleo, numero=3)
    seduta.presenti.set(nucleo.componenti.all())
    a = ente.scheda("validato")
    b = ente.scheda("con_rettifica", settore=ente.settore_b)
    Validazione.objects.update(seduta=seduta)
    return {"nucleo": nucleo, "seduta": seduta, "schede": [a, b]}


def _url(ente, anno=2019):
    return reverse("documento_validazione", args=[ente.comune.slug, ente.piano.pk, anno])


def test_il_pdf_dice_tutto(client, ente, validato):
    client.force_login(ente.oiv)
    risposta = client.get(_url(ente))
    assert risposta.status_code == 200
    assert risposta["Content-Type"] == "application/pdf"
    t = estrai(b"".join(risposta.streaming_content))
    assert "Documento di validazione della Relazione sulla performance 2019" in t
    assert "Nucleo associato" in t
    assert "Ada Esempio" in t and "Presidente" in t and "Carla Inventata" in t
    assert "12 marzo 2020" in t and "n. 3/2020" in t
    assert "2 schede in 2 settori" in t and "2 schede validate" in t
    assert "Settore A" in t and "Settore B" in t
    assert "95,00%" in t and "Il ritardo non dipende dal settore" in t
    assert "validata con rilievi" in t.lower()
    assert "FIRMA" in t


def test_esito_per_settore_quello_della_relazione(ente, validato):
    d = documento.documento(ente.piano, 2019)
    rel = relazione(ente.piano, 2019)
    assert [s.esito.testo for s in d.settori] == [s.esito.testo for s in rel.settori]
    assert [s.rettificati for s in d.settori] == [0, 1]
    assert d.relazione.ente.testo == rel.ente.testo


def test_conclusione(ente):
    ente.scheda("validato")
    assert documento.documento(ente.piano, 2019).esito == documento.Esito.VALIDATA
    ente.scheda("con_rettifica")
    assert documento.documento(ente.piano, 2019).esito == documento.Esito.CON_RILIEVI


def test_conclusione_non_validata_senza_risultato_dell_ente(ente):
    dati = relazione(ente.piano, 2019)  # no scheda: nothing computable
    assert documento.esito(dati) == documento.Esito.NON_VALIDATA


def test_solo_con_tutte_le_schede_validate(client, ente, validato):
    ente.scheda("rendicontato")
    client.force_login(ente.segreteria)
    risposta = client.get(_url(ente))
    assert risposta.status_code == 403
    assert "ne mancano 1 su 3" in risposta.context["motivo"]
    risposta = client.get(_url(ente, 2020))
    assert risposta.status_code == 403
    assert "non ha schede per il 2020" in risposta.context["motivo"]


@pytest.mark.parametrize(
    ("profilo", "codice"),
    [
        ("segreteria", 200),
        ("oiv", 200),
        ("responsabile_a", 403),
        ("lettore", 403),
        ("estraneo", 404),
    ],
)
def test_chi_lo_scarica(client, ente, validato, profilo, codice, monkeypatch):
    monkeypatch.setattr(documento, "render_pdf", lambda *a: b"%PDF-finto")
    client.force_login(ente.profilo(profilo))
    assert client.get(_url(ente)).status_code == codice


def test_collegamento_dalla_coda(client, ente, validato):
    client.force_login(ente.oiv)
    pagina = client.get(reverse("coda_valutazione", args=[ente.comune.slug]) + "?anno=2019")
    assert _url(ente) in pagina.content.decode()


# ---------------------------------------------------------------- trasparenza (art. 31)


def test_si_pubblica_solo_con_tutte_validate(ente, validato):
    altra = ente.scheda("rendicontato")
    assert "ne mancano 1 su 3" in motivo_non_pubblicabile(ente.piano, 2019, T.VALIDAZIONE)
    with pytest.raises(ValidationError):
        pubblica(ente.piano, 2019, T.VALIDAZIONE, utente=ente.segreteria)
    altra.delete()
    # Walk finding: published with its verbale still open, the documento could then
    # disagree with the closed verbale (presenti, signatures).
    assert "verbale n. 3/2020 ancora aperto" in motivo_non_pubblicabile(
        ente.piano, 2019, T.VALIDAZIONE
    )
    Seduta.objects.filter(pk=validato["seduta"].pk).update(chiusa=True)
    assert motivo_non_pubblicabile(ente.piano, 2019, T.VALIDAZIONE) is None


def test_pagina_pubblica_e_pdf(client, ente, validato, settings, tmp_path):
    settings.STAMPE_ROOT = tmp_path
    Seduta.objects.filter(pk=validato["seduta"].pk).update(chiusa=True)
    pubblica(ente.piano, 2019, T.VALIDAZIONE, utente=ente.segreteria)
    indice = client.get(reverse("trasparenza_indice", args=[ente.comune.slug])).content.decode()
    assert "Controlli e rilievi sull&#x27;amministrazione" in indice or (
        "Controlli e rilievi sull'amministrazione" in indice
    )
    url = reverse("trasparenza_validazione", args=[ente.comune.slug, 2019])
    assert url in indice
    pagina = client.get(url)
    assert pagina.status_code == 200
    pdf_url = reverse("trasparenza_validazione_pdf", args=[ente.comune.slug, 2019])
    assert pdf_url in pagina.content.decode()
    risposta = client.get(pdf_url)
    assert risposta.status_code == 200
    assert "Nucleo associato" in estrai(b"".join(risposta.streaming_content))


def test_pagina_pubblica_prima_della_pubblicazione(client, ente, validato):
    pubblica(ente.piano, 2019, T.PIANO, utente=ente.segreteria)
    url = reverse("trasparenza_validazione", args=[ente.comune.slug, 2019])
    assert "non è ancora disponibile" in client.get(url).content.decode()
    pdf_url = reverse("trasparenza_validazione_pdf", args=[ente.comune.slug, 2019])
    assert client.get(pdf_url).status_code == 404


def test_la_relazione_mostra_la_seduta_e_il_collegamento(client, ente, validato):
    rel = relazione(ente.piano, 2019)
    sedute = {r.validato_in_seduta for r in rel.obiettivi}
    assert sedute == {"seduta del 12 marzo 2020, verbale n. 3/2020"}
    client.force_login(ente.segreteria)
    url = reverse("relazione", args=[ente.comune.slug, ente.piano.pk]) + "?anno=2019"
    html = client.get(url).content.decode()
    assert "nella seduta del 12 marzo 2020, verbale n. 3/2020" in html
    assert _url(ente) in html
    client.force_login(ente.lettore)
    assert _url(ente) not in client.get(url).content.decode()


def test_la_sezione_validazione_delle_stampe_dice_la_seduta(ente, validato):
    """The print models' «Validazione del Nucleo» section (hidden in the built-in
    models, shown by a copy) names the seduta next to the recorded time."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    from valutazione.punteggi import validazioni_in_vigore

    scheda = validato["schede"][0]
    o = SimpleNamespace(
        validazione=validazioni_in_vigore([scheda.pk])[scheda.pk],
        esito=SimpleNamespace(testo="92,00%", rettificato=False),
        figli={"rettifiche": []},
    )
    html = render_to_string(
        "reporting/pdf/sezioni/comuni/validazione.html",
        {"o": o, "sez": SimpleNamespace(etichetta="Validazione")},
    )
    assert "nella seduta del 12 marzo 2020, verbale n. 3/2020" in html


def test_firmano_i_presenti_all_ultima_seduta_e_la_data_e_la_sua(ente, validato):
    """Walk finding: a member absent from the seduta was listed to sign, and the place and
    date were the print's. Who signs: those present at the last seduta, on its date."""
    seduta = validato["seduta"]
    presidente = validato["nucleo"].componenti.get(presidente=True)
    seduta.presenti.set([presidente])
    dati = documento.documento(ente.piano, 2019)
    assert dati.firmatari == [presidente]
    assert len(dati.componenti) == 3  # the Nucleo's members are still all listed
    assert dati.data == seduta.data
    t = estrai(documento.pdf_documento(ente.piano, 2019))
    firme = t[t.index("FIRMA") :]
    assert presidente.nome in firme and "Carla Inventata" not in firme
    assert f"{ente.comune.nome}, 12 marzo 2020" in t
