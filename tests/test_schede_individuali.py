"""The scheda di valutazione individuale through its pages, end to end: votes, consegna,
presa visione, conciliazione within and after the term, the answer, the validation gate,
the Nucleo's proposal in a seduta and the sindaco's decision, the stale form (409)."""

import datetime
from decimal import Decimal as D

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from indicators.engine.formatting import data_lunga
from individuale import servizio, workflow
from individuale.models import Contestazione, SchedaIndividuale
from peg.models import Ruolo

from .factories import (
    CategoriaFactory,
    ComportamentoFactory,
    PersonaFactory,
    SchedaIndividualeFactory,
    SedutaFactory,
    SmvpFactory,
    VotoComportamentoFactory,
)
from .html_form import campi
from .utenti import utente

pytestmark = pytest.mark.django_db
S = SchedaIndividuale.Stato
T = Ruolo.Tipo


def _scenario(ente, *, catena="responsabile", peso_settore=D(0), login=True, **scheda):
    """A 2019 SMVP of the ente, a categoria voted on comportamenti (and, with
    ``peso_settore``, on settore A's results), two comportamenti, and the scheda of
    «Bianchi Anna» (login ``dipendente-borgo``; ``login=False``: staff without a login,
    who acknowledges and accepts on paper) in settore A."""
    smvp = SmvpFactory(comune=ente.comune, anno=2019, giorni_conciliazione=15)
    categoria = CategoriaFactory(
        smvp=smvp,
        dipendenti=True,
        valutatore=catena,
        peso_settore=peso_settore,
        peso_obiettivi=D(0),
        peso_comportamenti=D(100) - peso_settore,
    )
    c1 = ComportamentoFactory(categoria=categoria, nome="Collaborazione")
    c2 = ComportamentoFactory(categoria=categoria, nome="Puntualità")
    dipendente = utente(ente.comune, T.DIPENDENTE, username="dipendente-borgo")
    persona = PersonaFactory(
        comune=ente.comune, nome="Bianchi Anna", utente=dipendente if login else None
    )
    valutatore = ente.responsabile_a if catena == "responsabile" else None
    s = SchedaIndividualeFactory(
        smvp=smvp,
        categoria=categoria,
        persona=persona,
        settore=ente.settore_a,
        valutatore=valutatore,
        **scheda,
    )
    return s, c1, c2, dipendente


def _url(s, nome="scheda_individuale", *extra):
    return reverse(nome, args=[s.smvp.comune.slug, s.pk, *extra])


def _voti(s, c1, c2, v1="4", v2="3", versione=None):
    return {
        "voti-versione": versione or s.versione,
        f"voti-voto_{c1.pk}": v1,
        f"voti-commento_{c1.pk}": "Lavora bene con i colleghi.",
        f"voti-voto_{c2.pk}": v2,
        f"voti-commento_{c2.pk}": "Qualche ritardo nelle pratiche.",
        "voti-giudizio": "Un anno positivo.",
    }


def _azione(client, s, nome, dati=None):
    return client.post(_url(s, "azione_scheda_individuale", nome), dati or {})


def _consegnata(ente, client, **kw):
    s, c1, c2, dipendente = _scenario(ente, **kw)
    client.force_login(ente.responsabile_a)
    assert client.post(_url(s, "voti_scheda_individuale"), _voti(s, c1, c2)).status_code == 302
    s.refresh_from_db()
    risposta = _azione(
        client,
        s,
        "consegna",
        {
            "consegna-versione": s.versione,
            "consegna-colloquio_data": "2020-03-02",
            "consegna-colloquio_note": "Colloquio sereno.",
        },
    )
    assert risposta.status_code == 302, risposta.content.decode()[:2000]
    s.refresh_from_db()
    return s, c1, c2, dipendente


def test_il_valutatore_vota_e_consegna(ente, client, django_capture_on_commit_callbacks):
    s, c1, c2, dipendente = _scenario(ente)
    dipendente.email = "anna@example.org"
    dipendente.save()
    client.force_login(ente.responsabile_a)
    pagina = client.get(_url(s)).content.decode()
    assert 'id="form-voti"' in pagina and "Consegna al valutato" in pagina
    # Consegna without votes: refused, with what is missing.
    risposta = _azione(
        client,
        s,
        "consegna",
        {"consegna-versione": s.versione, "consegna-colloquio_data": "2020-03-02"},
    )
    assert risposta.status_code == 403
    assert (
        "Mancano il voto o il commento di: Collaborazione; Puntualità." in risposta.content.decode()
    )
    assert client.post(_url(s, "voti_scheda_individuale"), _voti(s, c1, c2)).status_code == 302
    s.refresh_from_db()
    assert s.versione == 2 and s.note_valutatore == "Un anno positivo."
    assert {v.comportamento_id: v.voto for v in s.voti.all()} == {c1.pk: D("4"), c2.pk: D("3")}
    # The same votes again: nothing changes, versione stays.
    client.post(_url(s, "voti_scheda_individuale"), _voti(s, c1, c2))
    s.refresh_from_db()
    assert s.versione == 2
    with django_capture_on_commit_callbacks(execute=True):
        risposta = _azione(
            client,
            s,
            "consegna",
            {
                "consegna-versione": s.versione,
                "consegna-colloquio_data": "2020-03-02",
                "consegna-colloquio_note": "Colloquio sereno.",
            },
        )
    assert risposta.status_code == 302
    s.refresh_from_db()
    assert s.stato == S.CONSEGNATA and s.colloquio_data == datetime.date(2020, 3, 2)
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    assert _url(s) in mail.outbox[0].body
    # Delivered: the votes are no longer the evaluator's to change.
    risposta = client.post(_url(s, "voti_scheda_individuale"), _voti(s, c1, c2, "5"))
    assert risposta.status_code == 403 and "«Consegnata al valutato»" in risposta.content.decode()
    storico = client.get(_url(s)).content.decode()
    assert "Consegna al valutato" in storico and "Voti del valutatore" in storico


def test_conciliazione_nel_termine_e_risposta(ente, client, django_capture_on_commit_callbacks):
    s, c1, c2, dipendente = _consegnata(ente, client)
    assert s.punteggio_finale is None
    client.force_login(dipendente)
    pagina = client.get(_url(s)).content.decode()
    assert "Presa visione" in pagina and "Chiedo la conciliazione" not in pagina
    assert _azione(client, s, "presa_visione").status_code == 302
    s.refresh_from_db()
    assert s.presa_visione_modo == "accesso" and s.presa_visione_registrata_da == dipendente
    pagina = client.get(_url(s)).content.decode()
    assert "Chiedo la conciliazione" in pagina and "Accetto la valutazione" in pagina
    voto = s.voti.get(comportamento=c2)
    with django_capture_on_commit_callbacks(execute=True):
        risposta = _azione(
            client,
            s,
            "chiedi_conciliazione",
            {
                "conciliazione-motivi": "I ritardi non dipendevano da me.",
                "conciliazione-voto": voto.pk,
            },
        )
    assert risposta.status_code == 302
    # The evaluator is told, with the link.
    assert [m.to for m in mail.outbox] == [[ente.responsabile_a.email]]
    assert "Bianchi Anna" in mail.outbox[0].subject and _url(s) in mail.outbox[0].body
    s.refresh_from_db()
    assert s.stato == S.CONTESTATA
    richiesta = Contestazione.objects.get(scheda=s)
    # (4 - 1) / 4 × 100 = 75, (3 - 1) / 4 × 100 = 50: mean 62,50.
    assert richiesta.voto_prima == D("3") and richiesta.punteggio_prima == D("62.50")
    # The person does not answer his own request.
    assert _azione(client, s, "rispondi", {"risposta-versione": s.versione}).status_code == 403
    client.force_login(ente.responsabile_a)
    risposta = _azione(
        client,
        s,
        "rispondi",
        {
            "risposta-versione": s.versione,
            "risposta-esito": "parziale",
            "risposta-risposta": "Si riconosce il carico dell'ufficio.",
            "risposta-voto_dopo": "4",
        },
    )
    assert risposta.status_code == 302
    s.refresh_from_db()
    richiesta.refresh_from_db()
    assert s.stato == S.DEFINITIVA
    assert s.punteggio_comportamenti == D("75.00") and s.punteggio_finale == D("75.00")
    assert (richiesta.esito, richiesta.voto_dopo, richiesta.punteggio_dopo) == (
        "parziale",
        D("4"),
        D("75.00"),
    )
    assert richiesta.motivi == "I ritardi non dipendevano da me."
    pagina = client.get(_url(s)).content.decode()
    assert "Si riconosce il carico dell&#x27;ufficio." in pagina and "62,50" in pagina


def test_conciliazione_dopo_il_termine(ente, client):
    s, _c1, _c2, dipendente = _consegnata(ente, client)
    quando = timezone.now() - datetime.timedelta(days=20)
    SchedaIndividuale.objects.filter(pk=s.pk).update(
        presa_visione_il=quando, presa_visione_modo="accesso"
    )
    scadenza = timezone.localtime(quando).date() + datetime.timedelta(days=15)
    client.force_login(dipendente)
    pagina = client.get(_url(s)).content.decode()
    assert "Chiedo la conciliazione" not in pagina
    assert f"termine scaduto il {data_lunga(scadenza)}" in pagina
    risposta = _azione(client, s, "chiedi_conciliazione", {"conciliazione-motivi": "Tardi"})
    assert risposta.status_code == 403
    assert f"è scaduto il {data_lunga(scadenza)}" in risposta.content.decode()
    s.refresh_from_db()
    assert s.stato == S.CONSEGNATA and not s.contestazioni.exists()
    # The evaluator (or the segreteria, in bulk) makes it final.
    client.force_login(ente.segreteria)
    anno = reverse("rendi_definitive_scadute", args=[ente.comune.slug, 2019])
    assert client.post(anno).status_code == 302
    s.refresh_from_db()
    assert s.stato == S.DEFINITIVA and s.punteggio_finale == D("62.50")


def test_rendi_definitiva_non_prima_del_termine(ente, client):
    s, _c1, _c2, _ = _consegnata(ente, client, login=False)
    client.force_login(ente.responsabile_a)
    risposta = _azione(client, s, "rendi_definitiva")
    assert risposta.status_code == 403
    assert "non ha ancora preso visione" in risposta.content.decode()
    # A paper acknowledgement recorded by the evaluator starts the term.
    oggi = timezone.localdate()
    risposta = _azione(client, s, "presa_visione_cartacea", {"cartacea-il": oggi.isoformat()})
    assert risposta.status_code == 302
    s.refresh_from_db()
    assert s.presa_visione_modo == "cartacea"
    risposta = _azione(client, s, "rendi_definitiva")
    assert risposta.status_code == 403
    assert "può chiedere la conciliazione fino al" in risposta.content.decode()


def test_il_cancello_della_validazione(ente, client):
    """Settore A's results count for 40% and its obiettivo is not validated yet: the
    scheda cannot become final, the message says what awaits the Nucleo."""
    obiettivo = ente.scheda("rendicontato", "con_indicatori", "con_rilevazioni")
    s, _c1, _c2, dipendente = _consegnata(ente, client, peso_settore=D(40))
    client.force_login(ente.responsabile_a)
    pagina = client.get(_url(s)).content.decode()
    assert "Punteggio provvisorio" in pagina
    client.force_login(dipendente)
    _azione(client, s, "presa_visione")
    risposta = _azione(client, s, "accetta")
    assert risposta.status_code == 403
    testo = risposta.content.decode()
    assert "attendono ancora la validazione" in testo and obiettivo.codice in testo
    s.refresh_from_db()
    assert s.stato == S.CONSEGNATA
    # Without the gate (the SMVP's choice), the same acceptance goes through.
    s.smvp.richiede_validazione = False
    s.smvp.save()
    assert _azione(client, s, "accetta").status_code == 302
    s.refresh_from_db()
    assert s.stato == S.DEFINITIVA and s.punteggio_settore is not None


def test_modulo_superato_409_conserva_il_testo(ente, client):
    s, c1, c2, _ = _scenario(ente)
    client.force_login(ente.responsabile_a)
    letto = s.versione
    client.post(_url(s, "voti_scheda_individuale"), _voti(s, c1, c2))  # someone saves
    dati = _voti(s, c1, c2, "2", versione=letto)
    dati[f"voti-commento_{c1.pk}"] = "Testo scritto prima del conflitto"
    risposta = client.post(_url(s, "voti_scheda_individuale"), dati)
    assert risposta.status_code == 409
    pagina = risposta.content.decode()
    assert "modificata da un altro utente" in pagina
    assert "Testo scritto prima del conflitto" in pagina
    assert s.voti.get(comportamento=c1).voto == D("4")


def test_proposta_del_nucleo_e_decisione_del_sindaco(ente, client):
    s, c1, c2, dipendente = _scenario(ente, catena="nucleo_sindaco")
    sindaco = utente(ente.comune, T.SINDACO, username="sindaco-borgo")
    client.force_login(ente.oiv)
    assert client.post(_url(s, "voti_scheda_individuale"), _voti(s, c1, c2)).status_code == 302
    s.refresh_from_db()
    # No seduta chosen: the form says it; a closed one is not among the choices.
    chiusa = SedutaFactory(comune=ente.comune, chiusa=True)
    for seduta in ("", chiusa.pk):
        risposta = _azione(
            client, s, "proponi", {"proponi-versione": s.versione, "proponi-seduta": seduta}
        )
        assert risposta.status_code == 400
    seduta = SedutaFactory(comune=ente.comune, numero=7)
    pagina = client.get(_url(s)).content.decode()
    assert "Proponi al sindaco" in pagina and "Verbale n. 7/2020 del 12 marzo 2020" in pagina
    risposta = _azione(
        client, s, "proponi", {"proponi-versione": s.versione, "proponi-seduta": seduta.pk}
    )
    assert risposta.status_code == 302
    s.refresh_from_db()
    assert s.stato == S.PROPOSTA and s.seduta_proposta == seduta
    # The Nucleo does not decide, the sindaco does; a changed vote needs a motivazione.
    decisione = {
        "decidi-versione": s.versione,
        "decidi-colloquio_data": "2020-03-20",
        f"decidi-voto_{c1.pk}": "4",
        f"decidi-voto_{c2.pk}": "5",
    }
    assert _azione(client, s, "decidi", decisione).status_code == 403
    client.force_login(sindaco)
    pagina = client.get(_url(s)).content.decode()
    assert "Decidi e consegna" in pagina and f'name="decidi-voto_{c2.pk}"' in pagina
    assert "nella seduta del 12 marzo 2020" in pagina
    risposta = _azione(client, s, "decidi", decisione)
    assert risposta.status_code == 403
    assert "richiede una motivazione" in risposta.content.decode()
    risposta = _azione(
        client, s, "decidi", {**decisione, "decidi-motivazione": "Puntualità migliorata"}
    )
    assert risposta.status_code == 302
    s.refresh_from_db()
    voto = s.voti.get(comportamento=c2)
    assert s.stato == S.CONSEGNATA and s.decisa_da == sindaco and voto.voto == D("5")
    assert "Puntualità migliorata" in voto.commento and "3,00 → 5,00" in voto.commento
    # The conciliazione of this chain is answered by the sindaco, not the Nucleo.
    client.force_login(dipendente)
    _azione(client, s, "presa_visione")
    _azione(client, s, "chiedi_conciliazione", {"conciliazione-motivi": "Rivedere"})
    s.refresh_from_db()
    risposta_oiv = {
        "risposta-versione": s.versione,
        "risposta-esito": "respinta",
        "risposta-risposta": "Confermata.",
    }
    client.force_login(ente.oiv)
    risposta = _azione(client, s, "rispondi", risposta_oiv)
    assert risposta.status_code == 403 and "spetta al sindaco" in risposta.content.decode()
    client.force_login(sindaco)
    assert _azione(client, s, "rispondi", risposta_oiv).status_code == 302
    s.refresh_from_db()
    assert s.stato == S.DEFINITIVA


def test_ruoli_sbagliati_403_con_il_motivo(ente, client):
    s, c1, c2, dipendente = _scenario(ente)
    client.force_login(ente.segreteria)
    risposta = _azione(
        client, s, "consegna", {"consegna-versione": 1, "consegna-colloquio_data": "2020-03-02"}
    )
    assert risposta.status_code == 403 and "spetta al valutatore" in risposta.content.decode()
    risposta = client.post(_url(s, "voti_scheda_individuale"), _voti(s, c1, c2))
    assert risposta.status_code == 403
    assert "li modifica solo il valutatore" in risposta.content.decode()
    # The person does not even see his scheda while it is a draft.
    client.force_login(dipendente)
    risposta = client.post(_url(s, "voti_scheda_individuale"), _voti(s, c1, c2, "5", "5"))
    assert risposta.status_code == 404
    assert not s.voti.exists()
    assert _azione(client, s, "inesistente").status_code == 404


def test_la_segreteria_crea_le_schede(ente, client):
    smvp = SmvpFactory(comune=ente.comune, anno=2019)
    categoria = CategoriaFactory(smvp=smvp, dipendenti=True, aree=["funzionari"])
    responsabile = PersonaFactory(comune=ente.comune, nome="Verdi Carlo", area="funzionari")
    altra_area = PersonaFactory(comune=ente.comune, nome="Neri Dario", area="operatori")
    url = reverse("crea_schede_individuali", args=[ente.comune.slug, 2019])
    client.force_login(ente.responsabile_a)
    assert client.get(url).status_code == 403
    client.force_login(ente.segreteria)
    dati = {"categoria": categoria.pk, "settore": ente.settore_a.pk, "persone": [altra_area.pk]}
    risposta = client.post(url, dati)
    assert risposta.status_code == 400 and "Neri Dario" in risposta.content.decode()
    risposta = client.post(url, {**dati, "persone": [responsabile.pk]})
    assert risposta.status_code == 302
    s = SchedaIndividuale.objects.get(persona=responsabile)
    # The chain: the responsabile of settore A evaluates.
    assert (s.valutatore, s.settore, s.stato) == (ente.responsabile_a, ente.settore_a, S.BOZZA)
    assert s.history.first().history_user == ente.segreteria


def test_rendi_definitive_scadute_in_blocco(ente):
    s, c1, c2, _ = _scenario(ente, consegnata=True)
    for c, voto in ((c1, "4"), (c2, "4")):
        VotoComportamentoFactory(scheda=s, comportamento=c, voto=D(voto))
    SchedaIndividuale.objects.filter(pk=s.pk).update(
        presa_visione_il=timezone.now() - datetime.timedelta(days=30)
    )
    fatte, rifiutate = servizio.rendi_definitive_scadute(s.smvp, ente.segreteria)
    assert [x.pk for x in fatte] == [s.pk] and rifiutate == []
    s.refresh_from_db()
    assert s.stato == S.DEFINITIVA and s.punteggio_finale == D("75.00")
    with pytest.raises(workflow.TransizioneNonAmmessa):
        servizio.presa_visione(s, ente.segreteria)


def test_accettazione_su_carta_rende_definitiva_senza_attendere_il_termine(ente, client):
    """Staff without a login sign on paper that they accept (and waive the
    conciliazione): the evaluator records it and the scheda is final at once; without a
    paper presa visione, or by the person's own login, it is not offered."""
    s, _c1, _c2, dipendente = _consegnata(ente, client, login=False)
    client.force_login(ente.responsabile_a)
    risposta = _azione(client, s, "accetta_cartacea")
    assert risposta.status_code == 403
    assert "presa visione su carta" in risposta.content.decode()
    oggi = timezone.localdate()
    _azione(client, s, "presa_visione_cartacea", {"cartacea-il": oggi.isoformat()})
    client.force_login(ente.segreteria)  # recorded by the evaluator, not the segreteria
    assert _azione(client, s, "accetta_cartacea").status_code == 403
    client.force_login(ente.responsabile_a)
    assert "Registra accettazione su carta" in client.get(_url(s)).content.decode()
    risposta = _azione(client, s, "accetta_cartacea")
    assert risposta.status_code == 302
    s.refresh_from_db()
    assert s.stato == S.DEFINITIVA and s.punteggio_finale is not None


def test_chi_ha_un_accesso_prende_visione_e_accetta_da_se(ente, client):
    """The person has a login: the evaluator may not record a paper presa visione nor a
    paper acceptance for her (no button, 403 with why); she does it herself."""
    s, _c1, _c2, dipendente = _consegnata(ente, client)
    client.force_login(ente.responsabile_a)
    pagina = client.get(_url(s)).content.decode()
    assert "Registra presa visione su carta" not in pagina
    oggi = timezone.localdate().isoformat()
    risposta = _azione(client, s, "presa_visione_cartacea", {"cartacea-il": oggi})
    assert risposta.status_code == 403
    testo = risposta.content.decode()
    assert "Bianchi Anna ha un accesso" in testo and "dal proprio accesso" in testo
    s.refresh_from_db()
    assert s.presa_visione_il is None
    # Even after her own presa visione, the paper acceptance is not the evaluator's.
    client.force_login(dipendente)
    assert _azione(client, s, "presa_visione").status_code == 302
    s.refresh_from_db()
    client.force_login(ente.responsabile_a)
    with pytest.raises(workflow.TransizioneNonAmmessa, match="ha un accesso"):
        servizio.accetta_cartacea(s, ente.responsabile_a)
    # Recorded on paper before she got a login: still refused once she has one.
    SchedaIndividuale.objects.filter(pk=s.pk).update(presa_visione_modo="cartacea")
    s.refresh_from_db()
    risposta = _azione(client, s, "accetta_cartacea")
    assert risposta.status_code == 403 and "ha un accesso" in risposta.content.decode()
    s.refresh_from_db()
    assert s.stato == S.CONSEGNATA


# ---------------------------------------------------------------- the dati di servizio


def _servizio(s, parttime="50,00", giorni="180", versione=None):
    return {
        "servizio-versione": versione or s.versione,
        "servizio-percentuale_servizio": parttime,
        "servizio-giorni_servizio": giorni,
    }


def test_la_segreteria_registra_i_dati_di_servizio(ente, client):
    """Part-time and days of service (the SERVIZIO criterion of the premi): the
    segreteria sets them from the scheda's page, the Italian way; unchanged twice
    changes nothing; not the evaluator, not once DEFINITIVA."""
    s, _c1, _c2, _ = _consegnata(ente, client)
    url = _url(s, "servizio_scheda_individuale")
    client.force_login(ente.segreteria)
    pagina = client.get(_url(s)).content.decode()
    assert 'id="form-servizio"' in pagina and "Dati di servizio" in pagina
    versione = s.versione
    risposta = client.post(url, _servizio(s, "83,33", "1.1"))  # 1.1: not a whole number
    assert risposta.status_code == 400
    assert client.post(url, _servizio(s, "83,33", "200")).status_code == 302
    s.refresh_from_db()
    assert (s.percentuale_servizio, s.giorni_servizio) == (D("83.33"), 200)
    assert s.versione == versione + 1
    assert s.history.first().history_change_reason == "Dati di servizio"
    storia = s.history.count()
    # The page's own form posted back as the browser would: nothing changes.
    dati = campi(client.get(_url(s)).content.decode(), "form-servizio")
    assert dati["servizio-percentuale_servizio"] == "83,33"
    risposta = client.post(url, dati, follow=True)
    assert "Nessuna modifica da salvare." in risposta.content.decode()
    s.refresh_from_db()
    assert s.versione == versione + 1 and s.history.count() == storia
    assert "83,33%" in client.get(_url(s)).content.decode()
    # The evaluator sees the data but does not change them.
    client.force_login(ente.responsabile_a)
    assert 'id="form-servizio"' not in client.get(_url(s)).content.decode()
    risposta = client.post(url, _servizio(s, "100", "365"))
    assert risposta.status_code == 403
    assert "solo la segreteria o l&#x27;ufficio personale" in risposta.content.decode()
    # DEFINITIVA: the data are those the premi are computed with.
    SchedaIndividuale.objects.filter(pk=s.pk).update(stato=S.DEFINITIVA)
    client.force_login(ente.segreteria)
    risposta = client.post(url, _servizio(s, "100", "365"))
    assert risposta.status_code == 403 and "«Definitiva»" in risposta.content.decode()
    s.refresh_from_db()
    assert (s.percentuale_servizio, s.giorni_servizio) == (D("83.33"), 200)


@pytest.mark.parametrize(
    ("parttime", "giorni", "messaggio"),
    [
        ("0", "365", "da 0,01% a 100,00%"),
        ("100,01", "365", "da 0,01% a 100,00%"),
        ("abc", "365", "Indica un numero"),
        ("100", "0", "con 0 giorni"),
        ("100", "367", "da 1 a 366"),
        ("100", "", "Indica i giorni di servizio"),
    ],
)
def test_dati_di_servizio_fuori_dai_limiti(ente, client, parttime, giorni, messaggio):
    s, _c1, _c2, _ = _scenario(ente)
    client.force_login(ente.segreteria)
    url = _url(s, "servizio_scheda_individuale")
    risposta = client.post(url, _servizio(s, parttime, giorni))
    assert risposta.status_code == 400
    assert messaggio in risposta.content.decode()
    s.refresh_from_db()
    assert (s.percentuale_servizio, s.giorni_servizio) == (D("100"), 365)


def test_l_ufficio_personale_registra_i_dati_di_servizio(ente, client):
    """The ufficio personale keeps the data of service of the whole year from its own
    page (it reads no scheda: votes and comments are not its business)."""
    s, _c1, _c2, _ = _scenario(ente)
    personale = utente(ente.comune, T.PERSONALE, username="personale-borgo")
    assert workflow.PERSONALE_ in workflow.chi_sono(personale, s)
    url = reverse("servizio_schede_individuali", args=[ente.comune.slug, 2019])
    client.force_login(personale)
    assert client.get(_url(s)).status_code == 404
    pagina = client.get(url).content.decode()
    assert "Bianchi Anna" in pagina and "Collaborazione" not in pagina
    dati = {
        f"s{s.pk}-versione": s.versione,
        f"s{s.pk}-percentuale_servizio": "50",
        f"s{s.pk}-giorni_servizio": "0",
    }
    risposta = client.post(url, dati)
    assert risposta.status_code == 400 and "con 0 giorni" in risposta.content.decode()
    dati[f"s{s.pk}-giorni_servizio"] = "181"
    assert client.post(url, dati).status_code == 302
    s.refresh_from_db()
    assert (s.percentuale_servizio, s.giorni_servizio) == (D("50"), 181)
    assert s.history.first().history_user == personale
    # The page posted back unchanged: nothing saved, versione as it was.
    versione = s.versione
    risposta = client.post(
        url, campi(client.get(url).content.decode(), "form-servizio-anno"), follow=True
    )
    assert "schede cambiate 0" in risposta.content.decode()
    s.refresh_from_db()
    assert s.versione == versione
    # The others of the comune: 403 with why.
    client.force_login(ente.responsabile_a)
    risposta = client.get(url)
    assert risposta.status_code == 403 and "ufficio personale" in risposta.content.decode()


# ---------------------------------------------------------------- the answer's merit


def _contestata_sull_intera_scheda(ente, client):
    s, c1, c2, dipendente = _consegnata(ente, client)
    client.force_login(dipendente)
    _azione(client, s, "presa_visione")
    _azione(client, s, "chiedi_conciliazione", {"conciliazione-motivi": "Rivedere tutto."})
    s.refresh_from_db()
    assert s.stato == S.CONTESTATA
    client.force_login(ente.responsabile_a)
    return s, c1, c2


def test_risposta_accolta_sull_intera_scheda_cambia_un_voto(ente, client):
    """A request on the whole scheda, accepted: the answer picks the comportamento and
    its new vote; the score before and after are kept."""
    s, c1, c2 = _contestata_sull_intera_scheda(ente, client)
    pagina = client.get(_url(s)).content.decode()
    assert 'name="risposta-voto"' in pagina
    voto = s.voti.get(comportamento=c2)
    risposta = _azione(
        client,
        s,
        "rispondi",
        {
            "risposta-versione": s.versione,
            "risposta-esito": "accolta",
            "risposta-risposta": "Puntualità rivista.",
            "risposta-voto": voto.pk,
            "risposta-voto_dopo": "5",
        },
    )
    assert risposta.status_code == 302, risposta.content.decode()[:3000]
    s.refresh_from_db()
    voto.refresh_from_db()
    richiesta = s.contestazioni.get()
    assert voto.voto == D("5") and s.stato == S.DEFINITIVA
    # (4 - 1)/4 → 75, (5 - 1)/4 → 100: from 62,50 to 87,50.
    assert (richiesta.punteggio_prima, richiesta.punteggio_dopo) == (D("62.50"), D("87.50"))
    assert (richiesta.voto_prima, richiesta.voto_dopo) == (D("3"), D("5"))
    assert "«Puntualità»" in client.get(_url(s)).content.decode()


@pytest.mark.parametrize("esito", ["accolta", "parziale"])
def test_accolta_senza_cambiare_nulla_e_rifiutata(ente, client, esito):
    s, c1, c2 = _contestata_sull_intera_scheda(ente, client)
    dati = {
        "risposta-versione": s.versione,
        "risposta-esito": esito,
        "risposta-risposta": "Accolta.",
    }
    for extra in (
        {},
        {"risposta-voto": s.voti.get(comportamento=c1).pk, "risposta-voto_dopo": "4"},
    ):
        risposta = _azione(client, s, "rispondi", dati | extra)
        assert risposta.status_code == 403
        assert "scegli «respinta» o cambia un voto" in risposta.content.decode()
    # A new vote without saying which comportamento: refused too.
    risposta = _azione(client, s, "rispondi", dati | {"risposta-voto_dopo": "5"})
    assert risposta.status_code == 403 and "quale comportamento" in risposta.content.decode()
    s.refresh_from_db()
    assert s.stato == S.CONTESTATA and not s.contestazioni.exclude(risposta_il=None).exists()
    # Respinta, nothing changed: fine.
    dati["risposta-esito"] = "respinta"
    assert _azione(client, s, "rispondi", dati).status_code == 302


def test_presa_visione_su_carta_dal_giorno_del_colloquio_e_errore_nel_modulo(ente, client):
    """Walk finding: recording a 2020 paper acknowledgement of a scheda delivered today
    with a 2020 colloquio gave a 403 page and lost the date. The paper date goes from the
    colloquio (the delivery) to today, and a date outside is an error in the form (400),
    with what was typed kept."""
    s, _c1, _c2, _ = _consegnata(ente, client, login=False)  # colloquio 2 March 2020
    client.force_login(ente.responsabile_a)
    risposta = _azione(client, s, "presa_visione_cartacea", {"cartacea-il": "2020-03-01"})
    assert risposta.status_code == 400
    testo = risposta.content.decode()
    assert "dal 2 marzo 2020, giorno del colloquio" in testo and 'value="2020-03-01"' in testo
    risposta = _azione(client, s, "presa_visione_cartacea", {"cartacea-il": "2020-03-05"})
    assert risposta.status_code == 302
    s.refresh_from_db()
    assert timezone.localtime(s.presa_visione_il).date() == datetime.date(2020, 3, 5)


def test_senza_valutatore_dalla_catena_la_scheda_non_si_crea(ente, client):
    """Walk finding: a scheda of the «segretario» chain made with no segretario known and
    no valutatore chosen stayed in compilazione with nobody able to evaluate it."""
    smvp = SmvpFactory(comune=ente.comune, anno=2019)
    categoria = CategoriaFactory(smvp=smvp, dipendenti=True, valutatore="segretario")
    persona = PersonaFactory(comune=ente.comune, nome="Gialli Ugo", area="istruttori")
    url = reverse("crea_schede_individuali", args=[ente.comune.slug, 2019])
    client.force_login(ente.segreteria)
    dati = {"categoria": categoria.pk, "settore": ente.settore_a.pk, "persone": [persona.pk]}
    risposta = client.post(url, dati)
    assert risposta.status_code == 400 and "scegli il valutatore" in risposta.content.decode()
    assert not SchedaIndividuale.objects.filter(persona=persona).exists()
    risposta = client.post(url, {**dati, "valutatore": ente.responsabile_b.pk})
    assert risposta.status_code == 302
    assert SchedaIndividuale.objects.get(persona=persona).valutatore == ente.responsabile_b
