"""The SMVP pages: who reads and who changes, the rules of weights, comportamenti, scale
and fasce, the copy to the next year, the refusals once the SMVP is in use."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from individuale import smvp as servizio
from individuale.models import (
    Categoria,
    Comportamento,
    Distribuzione,
    Fascia,
    SchedaIndividuale,
    Smvp,
)
from peg.models import Ruolo

from . import factories as f
from .html_form import campi
from .utenti import utente

pytestmark = pytest.mark.django_db


@pytest.fixture
def smvp(ente):
    """The ente's SMVP 2019: the issue's EQ category (60 ente / 40 comportamenti) with
    two comportamenti, and its four fasce."""
    smvp = f.SmvpFactory(comune=ente.comune, con_fasce=True)
    categoria = f.CategoriaFactory(smvp=smvp, nome="Elevate qualificazioni")
    f.ComportamentoFactory(categoria=categoria, nome="Organizzazione")
    f.ComportamentoFactory(categoria=categoria, nome="Collaborazione")
    return smvp


def _url(nome, smvp, **kwargs):
    return reverse(nome, kwargs={"comune": smvp.comune.slug, "anno": smvp.anno, **kwargs})


def _modulo(client, url, form_id=None):
    risposta = client.get(url)
    assert risposta.status_code == 200
    return campi(risposta.content.decode(), form_id)


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize("profilo", ["segreteria", "responsabile_a", "oiv", "lettore"])
def test_every_user_of_the_comune_reads_the_smvp(client, ente, smvp, profilo):
    client.force_login(ente.profilo(profilo))
    pagina = client.get(_url("smvp", smvp)).content.decode()
    assert "Elevate qualificazioni" in pagina
    assert "ente 60,00%" in pagina.replace("performance organizzativa dell'", "")
    assert "da 90,00% a 100,00%" in pagina and "da 70,00% a meno di 90,00%" in pagina
    assert ("Modifica le impostazioni" in pagina) == (profilo == "segreteria")


def test_a_staff_person_reads_it_too(client, ente, smvp):
    dipendente = utente(ente.comune, Ruolo.Tipo.DIPENDENTE)
    client.force_login(dipendente)
    assert client.get(_url("smvp", smvp)).status_code == 200
    assert client.get(_url("smvp_fasce", smvp)).status_code == 403


def test_other_comuni_get_404(client, ente, smvp):
    client.force_login(ente.estraneo)
    assert client.get(_url("smvp", smvp)).status_code == 404
    assert client.get(reverse("smvp_elenco", args=[ente.comune.slug])).status_code == 404
    altro = reverse("smvp", kwargs={"comune": ente.altro_comune.slug, "anno": 2019})
    assert client.get(altro).status_code == 404


def test_the_page_shows_the_piano_measurement_settings_and_links_there(client, ente, smvp):
    ente.piano.soglia_raggiunto = D("80")
    ente.piano.save()
    client.force_login(ente.lettore)
    pagina = client.get(_url("smvp", smvp)).content.decode()
    assert "un obiettivo è raggiunto da 80,00%" in pagina
    assert reverse("piano", args=[ente.comune.slug, ente.piano.pk]) in pagina
    assert "si cambiano lì" in pagina


def test_a_year_without_piano_says_why(client, ente):
    smvp = f.SmvpFactory(comune=ente.comune, anno=2030)
    client.force_login(ente.segreteria)
    assert "nessun piano comprende il 2030" in client.get(_url("smvp", smvp)).content.decode()


# ---------------------------------------------------------------- creating and copying


def test_the_segreteria_creates_an_empty_smvp(client, ente):
    client.force_login(ente.segreteria)
    url = reverse("smvp_crea", args=[ente.comune.slug])
    risposta = client.post(url, {"anno": "2020"})
    assert risposta.status_code == 302
    nuovo = Smvp.objects.get(comune=ente.comune, anno=2020)
    assert not nuovo.categorie.exists() and not nuovo.fasce.exists()
    assert nuovo.history.get().history_user == ente.segreteria
    # The same year again: refused with why, nothing created.
    risposta = client.post(url, {"anno": "2020"})
    assert risposta.status_code == 400
    assert "Il sistema di valutazione del 2020 esiste già." in risposta.content.decode()
    assert Smvp.objects.filter(comune=ente.comune).count() == 1


def test_copy_to_the_next_year_takes_categories_comportamenti_and_fasce(client, ente, smvp):
    smvp.fondo_unico, smvp.giorni_conciliazione = D("10000"), 20
    smvp.save()
    Categoria.objects.filter(smvp=smvp).update(fondo=D("5000"))
    client.force_login(ente.segreteria)
    pagina = client.get(_url("smvp", smvp)).content.decode()
    assert "Copia nel 2020" in pagina and "data-conferma" in pagina
    client.post(reverse("smvp_crea", args=[ente.comune.slug]), {"anno": "2020", "copia": "on"})
    nuovo = Smvp.objects.get(comune=ente.comune, anno=2020)
    assert nuovo.giorni_conciliazione == 20 and nuovo.fondo_unico is None
    (categoria,) = nuovo.categorie.all()
    assert (categoria.nome, categoria.peso_ente, categoria.fondo) == (
        "Elevate qualificazioni",
        D("60.00"),
        None,
    )
    assert [c.nome for c in categoria.comportamenti.all()] == ["Organizzazione", "Collaborazione"]
    assert sorted(nuovo.fasce.values_list("da", "percentuale")) == sorted(
        smvp.fasce.values_list("da", "percentuale")
    )
    # The original is untouched.
    assert smvp.categorie.get().comportamenti.count() == 2
    assert "Copia nel 2020" not in client.get(_url("smvp", smvp)).content.decode()


@pytest.mark.parametrize("profilo", ["responsabile_a", "oiv", "lettore"])
def test_only_the_segreteria_changes_it(client, ente, smvp, profilo):
    client.force_login(ente.profilo(profilo))
    assert (
        client.post(reverse("smvp_crea", args=[ente.comune.slug]), {"anno": "2020"}).status_code
        == 403
    )
    categoria = smvp.categorie.get()
    for nome, kwargs in [
        ("smvp_impostazioni", {}),
        ("smvp_fasce", {}),
        ("smvp_nuova_categoria", {}),
        ("smvp_categoria", {"categoria_id": categoria.pk}),
    ]:
        assert client.get(_url(nome, smvp, **kwargs)).status_code == 403
        assert client.post(_url(nome, smvp, **kwargs), {}).status_code == 403
    url = _url("smvp_elimina_categoria", smvp, categoria_id=categoria.pk)
    assert client.post(url).status_code == 403
    assert Smvp.objects.count() == 1 and Categoria.objects.count() == 1


# ---------------------------------------------------------------- settings


def test_settings_saved_in_italian_and_unchanged_twice_changes_nothing(client, ente, smvp):
    client.force_login(ente.segreteria)
    url = _url("smvp_impostazioni", smvp)
    dati = _modulo(client, url)
    dati.update({"fondi": "unico", "fondo_unico": "10.000,00", "maggiorazione": "35,5"})
    assert client.post(url, dati).status_code == 302
    smvp.refresh_from_db()
    assert (smvp.fondo_unico, smvp.maggiorazione) == (D("10000.00"), D("35.50"))
    storia = smvp.history.count()
    dati = _modulo(client, url)
    assert dati["fondo_unico"] == "10000,00"
    risposta = client.post(url, dati, follow=True)
    assert "nessuna modifica da salvare" in risposta.content.decode()
    assert smvp.history.count() == storia


def test_the_maggiorazione_is_at_least_30(client, ente, smvp):
    client.force_login(ente.segreteria)
    url = _url("smvp_impostazioni", smvp)
    dati = _modulo(client, url) | {"maggiorazione": "25"}
    risposta = client.post(url, dati)
    assert risposta.status_code == 400
    assert "maggiore o uguale a 30" in risposta.content.decode()


# ---------------------------------------------------------------- categories


def test_the_weights_must_make_100(client, ente, smvp):
    categoria = smvp.categorie.get()
    client.force_login(ente.segreteria)
    url = _url("smvp_categoria", smvp, categoria_id=categoria.pk)
    dati = _modulo(client, url, "categoria-form") | {"peso_ente": "50"}
    risposta = client.post(url, dati)
    assert risposta.status_code == 400
    testo = risposta.content.decode()
    assert "I pesi delle componenti sommano 90,00% (mancano 10,00%): devono fare 100,00%." in testo
    assert "Somma delle componenti: 90,00% (mancano 10,00%)" in testo
    categoria.refresh_from_db()
    assert categoria.peso_ente == D("60.00")


def test_a_category_with_comportamenti_saved_and_unchanged_twice(client, ente, smvp):
    categoria = smvp.categorie.get()
    client.force_login(ente.segreteria)
    url = _url("smvp_categoria", smvp, categoria_id=categoria.pk)
    dati = _modulo(client, url, "categoria-form")
    vuota = {k: v for k, v in dati.items() if k.startswith("comportamenti-2-")}
    assert "Somma delle componenti: 100,00% OK" in client.get(url).content.decode()
    dati |= {
        "peso_ente": "50,5",
        "peso_comportamenti": "49,5",
        "comportamenti-0-peso": "70",
        "comportamenti-1-peso": "30",
        "comportamenti-2-nome": "Flessibilità",
        "comportamenti-2-peso": "10",
    }
    risposta = client.post(url, dati)
    assert risposta.status_code == 400
    assert "I pesi dei comportamenti sommano 110,00%" in risposta.content.decode()
    dati |= vuota  # the extra row as it came: ignored
    assert client.post(url, dati).status_code == 302
    categoria.refresh_from_db()
    assert categoria.peso_ente == D("50.50")
    assert list(categoria.comportamenti.values_list("peso", flat=True)) == [D("70"), D("30")]
    prima = list(Comportamento.objects.values_list("pk", "nome", "peso", "ordine"))
    risposta = client.post(url, _modulo(client, url, "categoria-form"), follow=True)
    assert "nessuna modifica da salvare" in risposta.content.decode()
    assert list(Comportamento.objects.values_list("pk", "nome", "peso", "ordine")) == prima


def test_comportamenti_weights_sum_to_100_or_are_all_zero(client, ente, smvp):
    categoria = smvp.categorie.get()
    client.force_login(ente.segreteria)
    url = _url("smvp_categoria", smvp, categoria_id=categoria.pk)
    dati = _modulo(client, url, "categoria-form") | {"comportamenti-0-peso": "60"}
    risposta = client.post(url, dati)
    assert risposta.status_code == 400
    assert (
        "I pesi dei comportamenti sommano 60,00%: devono fare 100,00%, oppure essere tutti 0"
        in risposta.content.decode()
    )


def test_the_scale_goes_up(client, ente, smvp):
    categoria = smvp.categorie.get()
    client.force_login(ente.segreteria)
    url = _url("smvp_categoria", smvp, categoria_id=categoria.pk)
    dati = _modulo(client, url, "categoria-form") | {"scala_minima": "5", "scala_massima": "5"}
    risposta = client.post(url, dati)
    assert risposta.status_code == 400
    assert "La scala dei voti va da un minimo a un massimo più alto (ora 5–5)." in (
        risposta.content.decode()
    )


def test_a_new_category_and_the_live_sums(client, ente, smvp):
    client.force_login(ente.segreteria)
    url = _url("smvp_nuova_categoria", smvp)
    dati = _modulo(client, url, "categoria-form")
    dati |= {
        "nome": "Personale dipendente",
        "tipo": "dipendente",
        "aree": ["istruttori", "operatori"],
        "valutatore": "responsabile",
        "peso_settore": "30",
        "peso_obiettivi": "20",
        "peso_comportamenti": "40",
        "peso_differenziazione": "0",
        "peso_ente": "0",
        "scala_massima": "10",
        "fondo": "€ 4.000,00",
        "comportamenti-0-nome": "Puntualità",
    }
    anteprima = client.post(_url("smvp_anteprima_pesi", smvp), dati).content.decode()
    assert "Somma delle componenti: 90,00% (mancano 10,00%)" in anteprima
    assert "tutti 0, pesi uguali" in anteprima
    dati["peso_comportamenti"] = "50"
    assert client.post(url, dati).status_code == 302
    nuova = smvp.categorie.get(nome="Personale dipendente")
    assert (nuova.aree, nuova.fondo, nuova.scala_massima) == (
        ["istruttori", "operatori"],
        D("4000.00"),
        10,
    )
    assert list(nuova.comportamenti.values_list("nome", flat=True)) == ["Puntualità"]
    # The same name again: refused with the constraint's message.
    risposta = client.post(url, dati)
    assert risposta.status_code == 400
    assert "Il sistema ha già una categoria con questo nome." in risposta.content.decode()


def test_problems_listed_on_the_page(client, ente):
    smvp = f.SmvpFactory(comune=ente.comune)
    f.CategoriaFactory(smvp=smvp, nome="Senza comportamenti")
    client.force_login(ente.segreteria)
    pagina = client.get(_url("smvp", smvp)).content.decode()
    assert "La categoria «Senza comportamenti» pesa i comportamenti ma non ne elenca." in pagina
    assert "Indica almeno una fascia, a partire da 0." in pagina


# ---------------------------------------------------------------- fasce


def _fasce(client, smvp):
    return _modulo(client, _url("smvp_fasce", smvp))


def test_fasce_start_at_zero_and_do_not_overlap(client, ente, smvp):
    client.force_login(ente.segreteria)
    url = _url("smvp_fasce", smvp)
    dati = _fasce(client, smvp)
    da_zero = next(k for k, v in dati.items() if k.endswith("-da") and v == "0,00")
    risposta = client.post(url, dati | {da_zero: "10"})
    assert risposta.status_code == 400
    assert "La fascia più bassa deve partire da 0 (ora da 10,00%)" in risposta.content.decode()
    risposta = client.post(url, dati | {"fasce-4-da": "70", "fasce-4-percentuale": "60"})
    testo = risposta.content.decode()
    assert "Due fasce partono da 70,00%: le fasce non si sovrappongono." in testo
    risposta = client.post(url, dati | {"fasce-4-da": "95", "fasce-4-percentuale": "90"})
    assert "un punteggio più alto non può dare un premio più basso" in risposta.content.decode()
    assert Fascia.objects.filter(smvp=smvp).count() == 4


def test_fasce_saved_and_unchanged_twice(client, ente, smvp):
    client.force_login(ente.segreteria)
    url = _url("smvp_fasce", smvp)
    dati = _fasce(client, smvp) | {"fasce-4-da": "95", "fasce-4-percentuale": "100"}
    assert client.post(url, dati).status_code == 302
    assert smvp.fasce.count() == 5
    prima = list(Fascia.objects.values_list("pk", "da", "percentuale"))
    risposta = client.post(url, _fasce(client, smvp), follow=True)
    assert "nessuna modifica da salvare" in risposta.content.decode()
    assert list(Fascia.objects.values_list("pk", "da", "percentuale")) == prima


# ---------------------------------------------------------------- in use: refused


def _definitiva(ente, smvp):
    persona = f.PersonaFactory(comune=ente.comune)
    SchedaIndividuale.objects.create(
        smvp=smvp,
        categoria=smvp.categorie.get(),
        persona=persona,
        stato=SchedaIndividuale.Stato.DEFINITIVA,
    )


def test_an_smvp_in_use_keeps_weights_and_fasce(client, ente, smvp):
    _definitiva(ente, smvp)
    categoria = smvp.categorie.get()
    client.force_login(ente.segreteria)
    pagina = client.get(_url("smvp", smvp)).content.decode()
    assert "1 scheda è definitiva" in pagina and "copia il sistema nel 2020" in pagina
    url = _url("smvp_categoria", smvp, categoria_id=categoria.pk)
    dati = _modulo(client, url, "categoria-form")
    risposta = client.post(url, dati | {"peso_ente": "70", "peso_comportamenti": "30"})
    assert risposta.status_code == 400
    assert "restano con il sistema con cui sono state fatte" in risposta.content.decode()
    risposta = client.post(url, dati | {"comportamenti-0-peso": "100", "comportamenti-1-peso": "0"})
    assert risposta.status_code == 400
    # What is not a weight (the fondo) still changes.
    assert client.post(url, dati | {"fondo": "5.000"}).status_code == 302
    categoria.refresh_from_db()
    assert (categoria.peso_ente, categoria.fondo) == (D("60.00"), D("5000.00"))
    fasce = _url("smvp_fasce", smvp)
    risposta = client.post(
        fasce, _fasce(client, smvp) | {"fasce-4-da": "95", "fasce-4-percentuale": "100"}
    )
    assert risposta.status_code == 400 and smvp.fasce.count() == 4
    elimina = _url("smvp_elimina_categoria", smvp, categoria_id=categoria.pk)
    risposta = client.post(elimina, follow=True)
    assert "copia il sistema nel 2020" in risposta.content.decode()
    assert Categoria.objects.filter(pk=categoria.pk).exists()


def test_a_distributed_fondo_locks_it_too(ente, smvp):
    assert servizio.motivo_blocco(smvp) == ""
    Distribuzione.objects.create(
        smvp=smvp, fondo=D(1000), distribuito=D(1000), eseguita_il=timezone.now()
    )
    assert "un fondo è già stato distribuito" in servizio.motivo_blocco(smvp)
    with pytest.raises(servizio.SmvpBloccato):
        servizio.verifica_modificabile(smvp)


def test_a_category_with_schede_is_not_deleted(client, ente, smvp):
    persona = f.PersonaFactory(comune=ente.comune)
    categoria = smvp.categorie.get()
    SchedaIndividuale.objects.create(smvp=smvp, categoria=categoria, persona=persona)
    client.force_login(ente.segreteria)
    elimina = _url("smvp_elimina_categoria", smvp, categoria_id=categoria.pk)
    risposta = client.post(elimina, follow=True)
    assert "ha già schede di valutazione: non si elimina" in risposta.content.decode()
    assert Categoria.objects.filter(pk=categoria.pk).exists()


def test_an_unused_category_is_deleted(client, ente, smvp):
    categoria = f.CategoriaFactory(smvp=smvp, nome="Da togliere")
    f.ComportamentoFactory(categoria=categoria)
    client.force_login(ente.segreteria)
    elimina = _url("smvp_elimina_categoria", smvp, categoria_id=categoria.pk)
    assert client.post(elimina).status_code == 302
    assert not Categoria.objects.filter(pk=categoria.pk).exists()


def test_malformed_input_is_a_form_error_never_a_500(client, ente, smvp):
    client.force_login(ente.segreteria)
    categoria = smvp.categorie.get()
    for url in (
        _url("smvp_impostazioni", smvp),
        _url("smvp_fasce", smvp),
        _url("smvp_categoria", smvp, categoria_id=categoria.pk),
        _url("smvp_anteprima_pesi", smvp),
    ):
        risposta = client.post(url, {"peso_ente": "abc", "fasce-TOTAL_FORMS": "x", "anno": "zz"})
        assert risposta.status_code in (200, 400), url
    risposta = client.post(reverse("smvp_crea", args=[ente.comune.slug]), {"anno": "due"})
    assert risposta.status_code == 400
    other = _url("smvp_categoria", smvp, categoria_id=999999)
    assert client.get(other).status_code == 404


def test_an_smvp_in_use_takes_no_new_category(client, ente, smvp):
    _definitiva(ente, smvp)
    client.force_login(ente.segreteria)
    url = _url("smvp_nuova_categoria", smvp)
    dati = _modulo(client, url, "categoria-form") | {
        "nome": "Altra",
        "tipo": "eq",
        "valutatore": "nucleo_sindaco",
        "peso_ente": "100",
    }
    risposta = client.post(url, dati)
    assert risposta.status_code == 400
    assert "restano con il sistema con cui sono state fatte" in risposta.content.decode()
    assert smvp.categorie.count() == 1


def test_a_copy_with_nothing_before_is_empty(client, ente):
    client.force_login(ente.segreteria)
    url = reverse("smvp_crea", args=[ente.comune.slug])
    risposta = client.post(url, {"anno": "2019", "copia": "on"}, follow=True)
    assert "Sistema di valutazione 2019 creato (vuoto)." in risposta.content.decode()


# ---------------------------------------------------------------- in use: the flow's settings


def _consegnata(ente, smvp):
    f.SchedaIndividualeFactory(
        smvp=smvp, categoria=smvp.categorie.get(), settore=ente.settore_a, consegnata=True
    )


@pytest.mark.parametrize(
    ("campo", "valore"), [("richiede_validazione", ""), ("giorni_conciliazione", "30")]
)
def test_gate_and_term_locked_once_a_scheda_left_the_draft(client, ente, smvp, campo, valore):
    """The validation gate and the conciliazione's term are the rules the delivered
    schede run under (a term someone already counts from his presa visione): they no
    longer change; the other settings still do."""
    url = _url("smvp_impostazioni", smvp)
    client.force_login(ente.segreteria)
    f.SchedaIndividualeFactory(smvp=smvp, categoria=smvp.categorie.get())  # a draft: free
    dati = _modulo(client, url)
    assert client.post(url, dati | {"giorni_conciliazione": "20"}).status_code == 302
    _consegnata(ente, smvp)
    dati = _modulo(client, url)
    risposta = client.post(url, dati | {campo: valore})
    assert risposta.status_code == 400
    testo = risposta.content.decode()
    assert "1 scheda è già uscita dalla compilazione" in testo
    smvp.refresh_from_db()
    assert (smvp.richiede_validazione, smvp.giorni_conciliazione) == (True, 20)
    pagina = client.get(url).content.decode()
    assert "non si cambiano più" in pagina
    assert client.post(url, dati | {"maggiorazione": "40"}).status_code == 302
    smvp.refresh_from_db()
    assert smvp.maggiorazione == D("40")


def test_the_lock_is_checked_again_when_saving(client, ente, smvp):
    """Forms checked while the SMVP was free, saved after a scheda left the draft or
    became DEFINITIVA: the service refuses under the SMVP's lock, nothing is written."""
    from individuale.forms_smvp import (
        CategoriaForm,
        ComportamentiFormSet,
        FasceFormSet,
        ImpostazioniForm,
    )

    categoria = smvp.categorie.get()
    client.force_login(ente.segreteria)
    dati = _modulo(
        client, _url("smvp_categoria", smvp, categoria_id=categoria.pk), "categoria-form"
    )
    dati |= {"peso_ente": "70", "peso_comportamenti": "30"}
    form = CategoriaForm(dati, instance=categoria)
    formset = ComportamentiFormSet(dati, instance=categoria, prefix="comportamenti")
    dati_fasce = _fasce(client, smvp) | {"fasce-4-da": "95", "fasce-4-percentuale": "100"}
    fasce = FasceFormSet(dati_fasce, instance=smvp, prefix="fasce")
    dati_impostazioni = _modulo(client, _url("smvp_impostazioni", smvp))
    impostazioni = ImpostazioniForm(
        dati_impostazioni | {"giorni_conciliazione": "40"}, instance=smvp
    )
    assert form.is_valid() and formset.is_valid() and fasce.is_valid()
    assert impostazioni.is_valid()
    _consegnata(ente, smvp)
    with pytest.raises(servizio.SmvpBloccato, match="uscita dalla compilazione"):
        servizio.salva_impostazioni(impostazioni, ente.segreteria)
    _definitiva(ente, smvp)
    with pytest.raises(servizio.SmvpBloccato, match="restano con il sistema"):
        servizio.salva_categoria(form, formset, ente.segreteria)
    with pytest.raises(servizio.SmvpBloccato, match="restano con il sistema"):
        servizio.salva_fasce(fasce)
    categoria.refresh_from_db()
    smvp.refresh_from_db()
    assert (categoria.peso_ente, smvp.giorni_conciliazione) == (D("60.00"), 15)
    assert smvp.fasce.count() == 4
