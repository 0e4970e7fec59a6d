"""The segreteria's pages for print models, posted as a browser would (tests/html_form):
the list, a copy, its editing page (save, nothing changed, refusals, moves, logo), the
preview, the piano's choice; the other roles are refused."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from reporting.modelli import copie, scelta
from reporting.models import ModelloStampa, SceltaModello, VersioneModello

from .html_form import campi

pytestmark = pytest.mark.django_db


@pytest.fixture
def segreteria(client, ente):
    client.force_login(ente.segreteria)
    return client


def _elenco(ente):
    return reverse("modelli_stampa", args=[ente.comune.slug])


def _modifica(modello):
    return reverse("modifica_modello", args=[modello.comune.slug, modello.pk])


def _copia(ente, nome="Copia"):
    return copie.copia(ente.comune, nome, da_predefinito="chiavari")


def _modulo(client, modello) -> dict:
    return campi(client.get(_modifica(modello)).content.decode(), "modello-form")


def _testo(risposta) -> str:
    return risposta.content.decode()


def test_raggiungibile_dal_comune_e_dal_piano_solo_per_la_segreteria(client, ente):
    for utente, vede in ((ente.segreteria, True), (ente.responsabile_a, False), (ente.oiv, False)):
        client.force_login(utente)
        comune = _testo(client.get(reverse("comune", args=[ente.comune.slug])))
        piano = _testo(client.get(reverse("piano", args=[ente.comune.slug, ente.piano.pk])))
        assert (_elenco(ente) in comune) is vede
        assert (reverse("modelli_piano", args=[ente.comune.slug, ente.piano.pk]) in piano) is vede


def test_elenco_e_copia_dal_modulo_della_pagina(segreteria, ente):
    pagina = _testo(segreteria.get(_elenco(ente)))
    for nome in ("Scheda obiettivo PDO (Chiavari)", "Piano degli obiettivi di settore (Soresina)"):
        assert nome in pagina
    dati = campi(pagina, "copia-chiavari")
    assert dati["nome"] == "Copia di Scheda obiettivo PDO (Chiavari)"
    dati["nome"] = "PDO del Borgo"
    risposta = segreteria.post(reverse("copia_modello", args=[ente.comune.slug]), dati)
    modello = ModelloStampa.objects.get(comune=ente.comune, nome="PDO del Borgo")
    assert risposta.status_code == 302 and risposta["Location"] == _modifica(modello)
    pagina = _testo(segreteria.get(_elenco(ente)))
    assert "PDO del Borgo" in pagina and "versione 1" in pagina and "Modifica" in pagina
    # The same name again: refused with why, nothing created.
    risposta = segreteria.post(reverse("copia_modello", args=[ente.comune.slug]), dati, follow=True)
    assert "Copia non creata: Il comune ha già un modello chiamato «PDO del Borgo»." in _testo(
        risposta
    )
    assert ModelloStampa.objects.filter(comune=ente.comune).count() == 1


def test_predefinito_in_sola_lettura(segreteria, ente):
    o = ente.scheda("approvato", codice="A - 3")
    url = reverse("modello_predefinito", args=[ente.comune.slug, "chiavari"])
    pagina = _testo(segreteria.get(url))
    assert "non si modifica" in pagina and "Crea una copia" in pagina
    assert "FORMULA DI CALCOLO" in pagina
    assert 'id="modello-form"' not in pagina
    # Its preview on a scheda of the comune, from the page's own form.
    dati = campi(pagina, "anteprima-form")
    assert dati["scheda"] == str(o.pk)
    pagina = _testo(segreteria.get(url, dati))
    assert 'src="data:image/png;base64,' in pagina and "A - 3 (2019)" in pagina
    assert "Scegliere la scheda" in _testo(segreteria.get(url, {"scheda": "x"}))


def test_salvare_senza_modifiche_non_crea_versioni(segreteria, ente):
    modello = _copia(ente)
    for _ in range(2):
        risposta = segreteria.post(_modifica(modello), _modulo(segreteria, modello), follow=True)
        assert "Nessuna modifica da salvare." in _testo(risposta)
    assert modello.versioni.count() == 1


def test_rinominare_una_sezione_e_nascondere_una_colonna_crea_la_versione_2(segreteria, ente):
    modello = _copia(ente)
    dati = _modulo(segreteria, modello)
    i = next(k.split("-")[1] for k, v in dati.items() if v == "chiavari_indicatori")
    dati[f"sez-{i}-etichetta"] = "Indicatori di risultato"
    del dati[f"sez-{i}-col-formula-visibile"]
    risposta = segreteria.post(_modifica(modello), dati, follow=True)
    assert "Salvata la versione 2 di «Copia»." in _testo(risposta)
    m = scelta.leggi(modello.versioni.first().dati)
    sez = next(s for s in m.sezioni if s.tipo == "chiavari_indicatori")
    assert sez.etichetta == "Indicatori di risultato" and "formula" not in sez.col
    # The page shows the saved version; saving it again changes nothing.
    dati = _modulo(segreteria, modello)
    assert dati[f"sez-{i}-etichetta"] == "Indicatori di risultato"
    assert f"sez-{i}-col-formula-visibile" not in dati
    segreteria.post(_modifica(modello), dati)
    assert modello.versioni.count() == 2


@pytest.mark.parametrize(
    ("cambia", "messaggio"),
    [
        (lambda d: d.update({"sez-3-etichetta": ""}), "l&#x27;etichetta non può essere vuota"),
        (lambda d: d.update({"sez-3-etichetta": "x" * 300}), "troppo lunga (300 caratteri"),
        (lambda d: d.update({"interruzione": "mai"}), "Interruzione tra le schede: valore non"),
        (lambda d: d.update({"sez-3-tipo": "copertina"}), "non corrisponde alle sezioni"),
        (lambda d: d.update({"versione": "0"}), "salvato da un altro utente"),
    ],
)
def test_input_sbagliato_rifiutato_e_niente_salvato(segreteria, ente, cambia, messaggio):
    modello = _copia(ente)
    dati = _modulo(segreteria, modello)
    dati["sez-4-etichetta"] = "Cambiata anche questa"
    cambia(dati)
    risposta = segreteria.post(_modifica(modello), dati)
    assert risposta.status_code == 400
    assert "Il modello non è stato salvato" in _testo(risposta)
    assert messaggio in _testo(risposta)
    assert modello.versioni.count() == 1
    if "altro utente" in messaggio:
        # The page shown again is based on the version saved meanwhile: saving it saves.
        di_nuovo = campi(_testo(risposta), "modello-form")
        di_nuovo.pop("logo_file", None)
        assert segreteria.post(_modifica(modello), di_nuovo).status_code == 302
        assert modello.versioni.count() == 2


def test_spostare_una_sezione_si_vede_subito_e_si_salva_con_salva(segreteria, ente):
    modello = _copia(ente)
    dati = _modulo(segreteria, modello)
    tipi = [dati[f"sez-{i}-tipo"] for i in range(len(modello.versioni.first().dati["sezioni"]))]
    risposta = segreteria.post(_modifica(modello), {**dati, "sposta": "giu-3"})
    assert risposta.status_code == 200
    assert "spostata in giù: salvare per creare la nuova versione" in _testo(risposta)
    assert modello.versioni.count() == 1
    nuovi = campi(_testo(risposta), "modello-form")
    atteso = tipi[:3] + [tipi[4], tipi[3]] + tipi[5:]
    assert [nuovi[f"sez-{i}-tipo"] for i in range(len(tipi))] == atteso
    segreteria.post(_modifica(modello), nuovi)
    assert [s["tipo"] for s in modello.versioni.first().dati["sezioni"]] == atteso


def _png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "logo.png"
    return buffer


def test_logo_caricato_e_tolto(segreteria, ente):
    modello = _copia(ente)
    dati = _modulo(segreteria, modello)
    dati.pop("logo_file", None)
    segreteria.post(_modifica(modello), {**dati, "logo_file": _png()})
    assert modello.versioni.first().dati["logo"].startswith("data:image/png;base64,")
    dati = _modulo(segreteria, modello)
    assert "togli_logo" not in dati  # offered, not ticked
    pagina = _testo(segreteria.get(_modifica(modello)))
    assert "Togli il logo" in pagina
    dati.pop("logo_file", None)
    segreteria.post(_modifica(modello), {**dati, "togli_logo": "on"})
    assert modello.versioni.first().dati["logo"] == ""
    assert modello.versioni.count() == 3
    falso = io.BytesIO(b"<html>non un logo</html>")
    falso.name = "logo.png"
    risposta = segreteria.post(_modifica(modello), {**dati, "logo_file": falso})
    assert risposta.status_code == 400 and "non è un&#x27;immagine PNG o JPEG" in _testo(risposta)
    assert modello.versioni.count() == 3


def test_anteprima_dello_stato_non_salvato_come_immagini(segreteria, ente):
    o = ente.scheda("approvato", codice="A - 7", denominazione="Obiettivo di prova")
    modello = _copia(ente)
    dati = _modulo(segreteria, modello)
    assert dati["scheda"] == str(o.pk)
    dati.pop("logo_file", None)
    dati["sez-5-etichetta"] = "RISULTATO NON SALVATO"
    url = reverse("anteprima_modello", args=[ente.comune.slug, modello.pk])
    risposta = segreteria.post(url, dati, HTTP_HX_REQUEST="true")
    assert risposta.status_code == 200
    assert _testo(risposta).count('src="data:image/png;base64,') >= 1
    assert "A - 7 (2019)" in _testo(risposta)
    assert modello.versioni.count() == 1
    # Without JavaScript: the whole page, the form as posted and the images under it.
    pagina = segreteria.post(url, dati)
    assert pagina.status_code == 200 and "RISULTATO NON SALVATO" in _testo(pagina)
    assert 'src="data:image/png;base64,' in _testo(pagina)
    # A bad form: why, no images.
    dati["sez-5-etichetta"] = ""
    risposta = segreteria.post(url, dati, HTTP_HX_REQUEST="true")
    assert "Anteprima non disponibile" in _testo(risposta)
    assert "data:image/png" not in _testo(risposta)


def test_anteprima_di_una_scheda_di_un_altro_comune_404(segreteria, ente):
    from .factories import ObiettivoFactory, PianoFactory

    estranea = ObiettivoFactory(piano=PianoFactory(comune=ente.altro_comune))
    modello = _copia(ente)
    dati = _modulo(segreteria, modello)
    dati["scheda"] = str(estranea.pk)
    url = reverse("anteprima_modello", args=[ente.comune.slug, modello.pk])
    assert segreteria.post(url, dati).status_code == 404


def test_scelta_del_piano_e_passaggio_all_ultima_versione(segreteria, ente):
    modello = _copia(ente, "Nostro")
    url = reverse("modelli_piano", args=[ente.comune.slug, ente.piano.pk])
    pagina = _testo(segreteria.get(url))
    assert "Scheda obiettivo PDO (Chiavari) (predefinito)" in pagina
    assert "data-conferma=" in pagina  # the piano is approved: changing asks first
    dati = campi(pagina, "scelta-piano")
    dati["modello"] = f"modello:{modello.pk}"
    risposta = segreteria.post(url, dati, follow=True)
    assert "Stampa del piano: ora con «Nostro»." in _testo(risposta)
    scelta_piano = SceltaModello.objects.get(piano=ente.piano, uso="piano")
    assert scelta_piano.versione_fissata.numero == 1
    assert "PEG 2019-2021 (stampa del piano, versione 1)" in _testo(segreteria.get(_elenco(ente)))
    # The same choice again: nothing changes.
    risposta = segreteria.post(url, dati, follow=True)
    assert "Nessuna modifica da salvare" in _testo(risposta)
    # The copy is edited: the piano still prints version 1, and the page says what v2 changes.
    dati_modello = _modulo(segreteria, modello)
    dati_modello.pop("logo_file", None)
    dati_modello["sez-6-etichetta"] = "Ambiti rinominati"
    segreteria.post(_modifica(modello), dati_modello)
    pagina = _testo(segreteria.get(url))
    assert "versione 1 (fissata per questo piano)" in pagina
    assert "rinominata «Ambiti rinominati»" in pagina
    assert "Passa alla versione 2" in pagina
    aggiorna = reverse("aggiorna_modello_piano", args=[ente.comune.slug, ente.piano.pk])
    risposta = segreteria.post(aggiorna, {"uso": "piano"}, follow=True)
    assert "passa dalla versione 1 alla versione 2" in _testo(risposta)
    assert SceltaModello.objects.get(piano=ente.piano, uso="piano").versione_fissata.numero == 2
    assert VersioneModello.objects.filter(modello=modello).count() == 2


@pytest.mark.parametrize("profilo", ["responsabile_a", "oiv", "lettore"])
def test_gli_altri_ruoli_sono_rifiutati_con_il_motivo(client, ente, profilo):
    modello = _copia(ente)
    client.force_login(getattr(ente, profilo))
    for url in (
        _elenco(ente),
        _modifica(modello),
        reverse("modelli_piano", args=[ente.comune.slug, ente.piano.pk]),
    ):
        risposta = client.get(url)
        assert risposta.status_code == 403
        assert "sono della segreteria del comune" in _testo(risposta)


def test_un_altro_comune_risponde_404(client, ente):
    modello = _copia(ente)
    client.force_login(ente.estraneo)
    assert client.get(_modifica(modello)).status_code == 404
    propria = reverse("modifica_modello", args=[ente.altro_comune.slug, modello.pk])
    assert client.get(propria).status_code == 404
    piano = reverse("modelli_piano", args=[ente.comune.slug, ente.piano.pk])
    assert client.get(piano).status_code == 404


def test_una_sezione_che_il_prodotto_non_ha_piu_si_segnala_e_si_toglie(segreteria, ente):
    """A version saved before a built-in kind was removed: the page says so (no error)
    and the next save leaves it out."""
    modello = _copia(ente)
    versione = modello.versioni.first()
    versione.dati["sezioni"].append({"tipo": "sparita", "etichetta": "Vecchia sezione"})
    VersioneModello.objects.filter(pk=versione.pk).update(dati=versione.dati)
    pagina = segreteria.get(_modifica(modello))
    assert pagina.status_code == 200
    assert "«Vecchia sezione» non esiste più" in _testo(pagina)
    dati = campi(_testo(pagina), "modello-form")
    dati.pop("logo_file", None)
    risposta = segreteria.post(_modifica(modello), dati, follow=True)
    assert "Salvata la versione 2" in _testo(risposta)
    assert "sparita" not in str(modello.versioni.first().dati)
