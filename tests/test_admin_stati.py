"""Every admin path that changes a scheda or one of its rows, in every state of the scheda.

The admin follows the pages' rule (``objectives.workflow`` through
``objectives.modifiche``): planning while bozza/proposto, a variazione with its
motivazione while approvato/in monitoraggio, nothing once rendicontato or validato.
Every accepted change raises the scheda's versione; a refused one leaves every row of
the scheda as it was.
"""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators.models import Indicatore
from objectives.demo_accounts import gruppo_segreteria
from objectives.models import (
    Obiettivo,
    Variazione,
)

from .factories import (
    AllegatoFactory,
    PunteggioValidatoFactory,
    RilevazioneFactory,
    ValidazioneFactory,
    ValoreStoricoFactory,
)
from .fotografia import fotografia
from .html_form import campi

pytestmark = pytest.mark.django_db

S = Obiettivo.Stato
STATI = [S.BOZZA, S.PROPOSTO, S.APPROVATO, S.IN_MONITORAGGIO, S.RENDICONTATO, S.VALIDATO]
PIANIFICAZIONE = {S.BOZZA, S.PROPOSTO}
VARIAZIONE = {S.APPROVATO, S.IN_MONITORAGGIO}
MOTIVAZIONE = "Rivista con la giunta"


@pytest.fixture
def segreteria(client, ente):
    ente.segreteria.is_staff = True
    ente.segreteria.save()
    ente.segreteria.groups.add(gruppo_segreteria())
    client.force_login(ente.segreteria)
    return ente.segreteria


def _scheda(ente, stato) -> Obiettivo:
    tratti = ["con_indicatori", "con_fasi", "con_risorse", "con_storia"]
    if stato in (S.RENDICONTATO, S.VALIDATO):
        tratti.append("con_rilevazioni")
    obiettivo = ente.scheda(stato.value, *tratti)
    ValoreStoricoFactory(indicatore=obiettivo.indicatori.get(numero=1), anno=2018, valore=D(7))
    return obiettivo


def _modulo(client, url, form_id, obiettivo, stato) -> dict:
    """The form as a browser has it, opened while the scheda could change (planning):
    then the scheda is put in ``stato`` (versione unchanged) and the form is posted."""
    Obiettivo.objects.filter(pk=obiettivo.pk).update(stato=S.BOZZA)
    risposta = client.get(url)
    assert risposta.status_code == 200
    dati = campi(risposta.content.decode(), form_id)
    Obiettivo.objects.filter(pk=obiettivo.pk).update(stato=stato)
    assert dati.get("versione_scheda") == str(obiettivo.versione)
    dati["motivazione_variazione"] = MOTIVAZIONE
    return dati


def _riga(dati: dict, prefix: str, campo: str) -> str:
    """The first row of an inline whose ``campo`` is in the form."""
    return next(k for k in dati if k.startswith(f"{prefix}-0-") and k.endswith(f"-{campo}"))


def _aggiungi(dati: dict, prefix: str, valori: dict) -> None:
    """A new row in an inline, from its empty template (``__prefix__``)."""
    n = int(dati[f"{prefix}-TOTAL_FORMS"])
    dati[f"{prefix}-TOTAL_FORMS"] = str(n + 1)
    for campo in valori:
        dati[f"{prefix}-{n}-{campo}"] = valori[campo]


def _obiettivo(client, obiettivo, stato, cambia):
    url = reverse("admin:objectives_obiettivo_change", args=[obiettivo.pk])
    dati = _modulo(client, url, "obiettivo_form", obiettivo, stato)
    cambia(dati)
    return client.post(url, dati)


def _indicatore(client, obiettivo, stato, cambia):
    indicatore = obiettivo.indicatori.get(numero=1)
    url = reverse("admin:indicators_indicatore_change", args=[indicatore.pk])
    dati = _modulo(client, url, "indicatore_form", obiettivo, stato)
    cambia(dati)
    return client.post(url, dati)


def _elimina_pagina(nome, modello):
    def elimina(client, obiettivo, stato):
        oggetto = obiettivo if modello is Obiettivo else obiettivo.indicatori.get(numero=1)
        Obiettivo.objects.filter(pk=obiettivo.pk).update(stato=stato)
        return client.post(reverse(nome, args=[oggetto.pk]), {"post": "yes"})

    return elimina


def _elimina_in_blocco(modello, nome):
    def elimina(client, obiettivo, stato):
        Obiettivo.objects.filter(pk=obiettivo.pk).update(stato=stato)
        oggetto = obiettivo if modello is Obiettivo else obiettivo.indicatori.get(numero=1)
        return client.post(
            reverse(nome),
            {"action": "delete_selected", "_selected_action": [oggetto.pk], "post": "yes"},
        )

    return elimina


def _imposta(prefix, campo, valore):
    def cambia(dati):
        if prefix is None:
            dati[campo] = valore
        else:
            dati[_riga(dati, prefix, campo)] = valore

    return cambia


def _cancella_riga(prefix):
    def cambia(dati):
        dati[f"{prefix}-0-DELETE"] = "on"

    return cambia


NUOVO_INDICATORE = {
    "numero": "3",
    "peso": "0",
    "denominazione": "Aggiunto dall'amministrazione",
    "tipo": "efficacia",
    "polarita": "crescente",
}
NUOVA_FASE = {"numero": "3", "peso": "0", "descrizione": "Aggiunta dall'amministrazione"}

# What each path does to the scheda (the change is real in every state).
CAMBI = {
    "obiettivo: campo": (_obiettivo, _imposta(None, "denominazione", "Rinominata")),
    "obiettivo: riga indicatore": (_obiettivo, _imposta("indicatori", "peso", "10")),
    "obiettivo: nuovo indicatore": (
        _obiettivo,
        lambda d: _aggiungi(d, "indicatori", NUOVO_INDICATORE),
    ),
    "obiettivo: elimina indicatore": (_obiettivo, _cancella_riga("indicatori")),
    "obiettivo: riga fase": (_obiettivo, _imposta("fasi", "descrizione", "Cambiata")),
    "obiettivo: nuova fase": (_obiettivo, lambda d: _aggiungi(d, "fasi", NUOVA_FASE)),
    "obiettivo: elimina fase": (_obiettivo, _cancella_riga("fasi")),
    "obiettivo: risorsa finanziaria": (
        _obiettivo,
        _imposta("risorse_finanziarie", "importo", "1000"),
    ),
    "obiettivo: risorsa umana": (
        _obiettivo,
        _imposta("risorse_umane", "percentuale_impiego", "20"),
    ),
    "obiettivo: risorsa strumentale": (
        _obiettivo,
        _imposta("risorse_strumentali", "descrizione", "Un'auto"),
    ),
    "indicatore: campo": (_indicatore, _imposta(None, "peso", "10")),
    "indicatore: valore atteso": (_indicatore, _imposta(None, "valore_atteso", "1")),
    "indicatore: valore storico": (_indicatore, _imposta("storico", "valore", "9")),
    "indicatore: nuovo valore storico": (
        _indicatore,
        lambda d: _aggiungi(d, "storico", {"anno": "2017", "valore": "3"}),
    ),
    "indicatore: elimina valore storico": (_indicatore, _cancella_riga("storico")),
}


@pytest.mark.parametrize("stato", STATI)
@pytest.mark.parametrize("percorso", CAMBI)
def test_every_admin_change_follows_the_workflow(client, ente, segreteria, stato, percorso):
    obiettivo = _scheda(ente, stato)
    pagina, cambia = CAMBI[percorso]
    prima = fotografia(obiettivo)

    risposta = pagina(client, obiettivo, stato, cambia)

    dopo = fotografia(obiettivo)
    if stato in PIANIFICAZIONE | VARIAZIONE:
        assert risposta.status_code == 302, _errori(risposta)
        assert dopo != prima
        assert dopo["obiettivo"][0]["versione"] == obiettivo.versione + 1
        variazioni = Variazione.objects.filter(obiettivo=obiettivo)
        if stato in VARIAZIONE:
            assert variazioni.get().motivazione == MOTIVAZIONE
        else:
            assert not variazioni.exists()
    else:
        assert risposta.status_code == 403
        assert dopo == prima


@pytest.mark.parametrize("stato", sorted(VARIAZIONE))
@pytest.mark.parametrize("percorso", CAMBI)
def test_after_approval_no_admin_change_without_motivazione(
    client, ente, segreteria, stato, percorso
):
    obiettivo = _scheda(ente, stato)
    pagina, cambia = CAMBI[percorso]
    prima = fotografia(obiettivo)

    def senza_motivazione(dati):
        cambia(dati)
        dati["motivazione_variazione"] = "  "

    risposta = pagina(client, obiettivo, stato, senza_motivazione)

    assert risposta.status_code == 200
    assert "Questo campo è obbligatorio" in risposta.content.decode()
    assert fotografia(obiettivo) == prima


ELIMINAZIONI = {
    "pagina dell'obiettivo": _elimina_pagina("admin:objectives_obiettivo_delete", Obiettivo),
    "pagina dell'indicatore": _elimina_pagina("admin:indicators_indicatore_delete", Indicatore),
    "obiettivi in blocco": _elimina_in_blocco(Obiettivo, "admin:objectives_obiettivo_changelist"),
    "indicatori in blocco": _elimina_in_blocco(
        Indicatore, "admin:indicators_indicatore_changelist"
    ),
}


@pytest.mark.parametrize("stato", STATI)
@pytest.mark.parametrize("percorso", ELIMINAZIONI)
def test_admin_deletions_follow_the_workflow(client, ente, segreteria, stato, percorso):
    """Deleting from an object's own page has no motivazione to record: only while
    planning (after approval a row goes as a variazione, from the scheda's rows). The
    bulk action is not offered: it would skip the rule of each scheda."""
    obiettivo = _scheda(ente, stato)
    prima = fotografia(obiettivo)

    risposta = ELIMINAZIONI[percorso](client, obiettivo, stato)

    if stato in PIANIFICAZIONE and "pagina" in percorso:
        assert risposta.status_code == 302
        assert fotografia(obiettivo) != prima
    else:
        assert risposta.status_code in (200, 302, 403)
        assert fotografia(obiettivo) == prima


def _errori(risposta) -> str:
    """The form's errors, to read a refused save in the failure."""
    import re

    html = risposta.content.decode()
    errori = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    return " | ".join(errori) or html[-2000:]


PAGINE = {"obiettivo": _obiettivo, "indicatore": _indicatore}


@pytest.mark.parametrize("stato", sorted(PIANIFICAZIONE | VARIAZIONE))
@pytest.mark.parametrize("pagina", PAGINE)
@pytest.mark.parametrize("motivazione", ["", MOTIVAZIONE])
def test_an_unchanged_admin_save_changes_nothing(
    client, ente, segreteria, stato, pagina, motivazione
):
    """«Salva» without changing anything: no versione raised, no history rows, no empty
    variazione, whatever the motivazione; the browser's CRLF line ends in the textareas
    and the hidden fields (versione, when the form was opened) are not changes."""
    obiettivo = _scheda(ente, stato)
    Obiettivo.objects.filter(pk=obiettivo.pk).update(descrizione="Prima riga\nseconda riga")
    Indicatore.objects.filter(obiettivo=obiettivo).update(note="Nota\nsu due righe")
    prima = fotografia(obiettivo)

    def invariato(dati):
        dati["motivazione_variazione"] = motivazione
        for nome, valore in dati.items():
            if isinstance(valore, str):
                dati[nome] = valore.replace("\n", "\r\n")  # as a browser sends a textarea

    risposta = PAGINE[pagina](client, obiettivo, stato, invariato)

    assert risposta.status_code == 302, _errori(risposta)
    assert fotografia(obiettivo) == prima
    seguito = client.get(risposta["Location"]).content.decode()
    assert "Nessuna modifica da salvare" in seguito


# -- What a deletion would take with it ---------------------------------------------------
# The admin refuses to delete an indicatore, a fase or a scheda when the deletion would
# take with it what the rendicontazione or the OIV recorded (values, allegati, validated
# scores), and any row of a scheda the OIV has validated: nothing goes as a side effect.


def _con_tracce(ente, stato, traccia):
    obiettivo = _scheda(ente, stato)
    indicatore = obiettivo.indicatori.get(numero=1)
    fase = obiettivo.fasi.get(numero=1)
    if traccia == "rilevazione":
        RilevazioneFactory(indicatore=indicatore, valore=D(4))
    elif traccia == "allegato":
        AllegatoFactory(obiettivo=obiettivo, indicatore=indicatore)
        AllegatoFactory(obiettivo=obiettivo, fase=fase)
    elif traccia == "validazione":
        # Validated once, then reopened: the validation stays in the scheda's history.
        validazione = ValidazioneFactory(
            obiettivo=obiettivo, attiva=False, punteggio_calcolato=D(90)
        )
        PunteggioValidatoFactory(
            validazione=validazione, obiettivo=obiettivo, indicatore=indicatore, attivo=False
        )
    return obiettivo


TRACCE = {
    "rilevazione": "1 valore rilevato",
    "allegato": "1 allegato",
    "validazione": "validata dall'OIV",
}


@pytest.mark.parametrize("traccia", TRACCE)
@pytest.mark.parametrize("stato", [S.BOZZA, S.IN_MONITORAGGIO])
def test_deleting_an_indicatore_row_never_takes_what_was_recorded(
    client, ente, segreteria, archivio, stato, traccia
):
    obiettivo = _con_tracce(ente, stato, traccia)
    prima = fotografia(obiettivo)

    risposta = _obiettivo(client, obiettivo, stato, _cancella_riga("indicatori"))

    assert risposta.status_code == 200
    html = risposta.content.decode()
    assert "Non puoi eliminare l&#x27;indicatore 1" in html, _errori(risposta)
    assert TRACCE[traccia] in html.replace("&#x27;", "'")
    assert fotografia(obiettivo) == prima


@pytest.mark.parametrize("traccia", ["allegato", "validazione"])
def test_deleting_a_fase_row_never_takes_what_was_recorded(
    client, ente, segreteria, archivio, traccia
):
    obiettivo = _con_tracce(ente, S.BOZZA, traccia)
    prima = fotografia(obiettivo)

    risposta = _obiettivo(client, obiettivo, S.BOZZA, _cancella_riga("fasi"))

    assert risposta.status_code == 200
    assert "Non puoi eliminare la fase 1" in risposta.content.decode(), _errori(risposta)
    assert fotografia(obiettivo) == prima


@pytest.mark.parametrize("traccia", TRACCE)
@pytest.mark.parametrize("oggetto", ["indicatore", "obiettivo"])
def test_the_delete_page_refuses_what_would_take_records_with_it(
    client, ente, segreteria, archivio, traccia, oggetto
):
    obiettivo = _con_tracce(ente, S.BOZZA, traccia)
    bersaglio = obiettivo if oggetto == "obiettivo" else obiettivo.indicatori.get(numero=1)
    app = "objectives" if oggetto == "obiettivo" else "indicators"
    url = reverse(f"admin:{app}_{oggetto}_delete", args=[bersaglio.pk])
    atteso = "2 allegati" if (oggetto, traccia) == ("obiettivo", "allegato") else TRACCE[traccia]
    prima = fotografia(obiettivo)

    for risposta in (client.get(url, follow=True), client.post(url, {"post": "yes"}, follow=True)):
        html = risposta.content.decode().replace("&#x27;", "'")
        assert "Non puoi eliminare" in html
        assert atteso in html
        assert 'value="Sì, sono sicuro"' not in html
    assert fotografia(obiettivo) == prima


@pytest.mark.parametrize("stato", [S.BOZZA, S.APPROVATO, S.RENDICONTATO, S.VALIDATO])
def test_the_measurement_system_is_fixed_once_a_scheda_is_reported(client, ente, segreteria, stato):
    """Scores are computed live from the piano's measurement system: once a scheda is
    rendicontata or validata, changing it from the admin would change that score
    unseen, so its fields are read-only (and say why)."""
    from peg.models import Piano

    _scheda(ente, stato)
    piano = ente.piano
    url = reverse("admin:peg_piano_change", args=[piano.pk])
    pagina = client.get(url)
    assert pagina.status_code == 200
    dati = campi(pagina.content.decode(), "piano_form")
    bloccato = stato in (S.RENDICONTATO, S.VALIDATO)
    assert ("soglia_raggiunto" not in dati) == bloccato
    assert ("Il sistema di misurazione non si può più cambiare" in pagina.content.decode()) == (
        bloccato
    )
    prima = Piano.objects.get(pk=piano.pk).soglia_raggiunto
    dati["soglia_raggiunto"] = "90"
    assert client.post(url, dati).status_code == 302
    dopo = Piano.objects.get(pk=piano.pk).soglia_raggiunto
    assert (dopo == prima) if bloccato else (dopo == D(90))
