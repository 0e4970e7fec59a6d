"""A new ente without the admin (issue 15, part 1): the comune made by the system's
administrator (page and command), its organigramma kept by the segreteria from pages,
the invitation by e-mail and the page where the invited user chooses the password."""

import datetime
import html
import io
import re
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import URLResolver, get_resolver, reverse

from peg.anagrafica import inviti
from peg.models import Comune, Persona, Ruolo, Servizio, Settore
from peg.riservati import riservati

from .factories import PersonaFactory
from .html_form import campi

pytestmark = pytest.mark.django_db
User = get_user_model()


def _link(messaggio) -> str:
    return re.search(r"https?://\S+", messaggio.body).group(0)


def _percorso(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


# ---------------------------------------------------------------- reserved slugs


@pytest.mark.parametrize(
    "slug", ["trasparenza", "salute", "admin", "accesso", "uscita", "password", "static", "media"]
)
def test_a_slug_of_the_sites_own_paths_is_refused(slug):
    comune = Comune(nome="Prova", slug=slug)
    with pytest.raises(ValidationError) as exc:
        comune.full_clean()
    assert "è un indirizzo del sito" in str(exc.value)


def test_every_literal_first_segment_of_the_url_conf_is_reserved():
    """A page added later at the root is reserved without anyone listing it."""
    primi = set()

    def visita(schemi):
        for schema in schemi:
            testo = str(schema.pattern)
            if isinstance(schema, URLResolver) and not testo:
                visita(schema.url_patterns)
            else:
                primi.add(testo.split("/")[0])

    visita(get_resolver().url_patterns)
    letterali = {p for p in primi if p and "<" not in p}
    assert {"comuni", "invito", "admin", "salute"} <= letterali
    assert letterali <= riservati()


# ---------------------------------------------------------------- the new comune


def _dati_comune(**altro):
    dati = {
        "nome": "Prova",
        "denominazione": "",
        "provincia": "Genova",
        "slug": "",
        "codice_istat": "010099",
        "codice_ipa": "c_p999",
        "dipendenti": "42",
        "email_accessibilita": "accessibilita@comune.prova.it",
        "segreteria_nome": "Maria Rossi",
        "segreteria_email": "m.rossi@comune.prova.it",
    }
    return {**dati, **altro}


def test_only_the_system_administrator_creates_a_comune(client, ente):
    for utente in (ente.segreteria, ente.oiv, ente.senza_ruolo):
        client.force_login(utente)
        risposta = client.post(reverse("nuovo_comune"), _dati_comune())
        assert risposta.status_code == 403
        assert "amministratore del sistema" in risposta.content.decode()
    client.logout()
    assert client.get(reverse("nuovo_comune")).status_code == 302
    assert not Comune.objects.filter(nome="Prova").exists()


def test_a_new_comune_its_segreteria_invited_sets_a_password_and_gets_in(client, ente):
    client.force_login(ente.superuser)
    assert "Nuovo comune" in client.get(reverse("home")).content.decode()
    risposta = client.post(reverse("nuovo_comune"), _dati_comune())
    assert risposta.status_code == 302, risposta.content.decode()[:2000]
    comune = Comune.objects.get(slug="prova")  # the slug made from the name
    assert (comune.codice_istat, comune.codice_ipa, comune.dipendenti) == ("010099", "c_p999", 42)
    persona = Persona.objects.get(comune=comune)
    assert persona.utente.username == "maria.rossi"
    assert not persona.utente.has_usable_password()
    assert Ruolo.objects.filter(utente=persona.utente, comune=comune, tipo="segreteria").exists()
    assert len(mail.outbox) == 1
    invito = mail.outbox[0]
    assert invito.to == ["m.rossi@comune.prova.it"]
    assert "maria.rossi" in invito.body and "7 giorni" in invito.body
    client.logout()

    percorso = _percorso(_link(invito))
    pagina = client.get(percorso, follow=True)
    assert "maria.rossi" in pagina.content.decode() and pagina.context["validlink"]
    url = pagina.redirect_chain[-1][0] if pagina.redirect_chain else percorso
    risposta = client.post(
        url, {"new_password1": "Una-password-lunga-42", "new_password2": "Una-password-lunga-42"}
    )
    assert risposta.status_code == 302
    accesso = {"username": "maria.rossi", "password": "Una-password-lunga-42"}
    assert client.post(reverse("login"), accesso).status_code == 302
    pagina = client.get(reverse("comune", args=["prova"])).content.decode()
    assert reverse("organizzazione", args=["prova"]) in pagina
    client.logout()
    # The link is spent once used.
    assert not client.get(percorso, follow=True).context["validlink"]


def test_a_reserved_or_taken_slug_and_half_a_segreteria_are_refused_with_nothing_saved(
    client, ente
):
    client.force_login(ente.superuser)
    prima = Comune.objects.count(), User.objects.count()
    for dati, campo, testo in [
        (_dati_comune(slug="admin"), "slug", "indirizzo del sito"),
        (_dati_comune(slug=ente.comune.slug), "slug", "esiste già"),
        (_dati_comune(codice_istat="1234"), "codice_istat", "6 cifre"),
        (_dati_comune(segreteria_email=""), "segreteria_email", "sia il nome sia"),
        (_dati_comune(dipendenti="tanti"), "dipendenti", "numero intero"),
    ]:
        risposta = client.post(reverse("nuovo_comune"), dati)
        assert risposta.status_code == 200
        errori = " ".join(risposta.context["form"].errors.get(campo, []))
        assert testo in errori, (campo, risposta.context["form"].errors)
    assert (Comune.objects.count(), User.objects.count()) == prima
    assert mail.outbox == []


def test_the_command_makes_the_same_comune_and_refuses_the_same_way():
    uscita = StringIO()
    call_command(
        "nuovo_comune",
        "--slug",
        "prova",
        "--nome",
        "Prova",
        "--provincia",
        "Genova",
        "--segreteria-nome",
        "Maria Rossi",
        "--segreteria-email",
        "m.rossi@example.org",
        stdout=uscita,
    )
    assert "Creato Comune di Prova" in uscita.getvalue()
    assert "maria.rossi" in uscita.getvalue()
    assert len(mail.outbox) == 1
    errori = StringIO()
    with pytest.raises(SystemExit) as uscito:
        call_command(
            "nuovo_comune",
            *("--slug", "salute", "--nome", "Salute", "--provincia", "Genova"),
            stderr=errori,
        )
    assert uscito.value.code == 2
    assert "indirizzo del sito" in errori.getvalue()
    assert not Comune.objects.filter(slug="salute").exists()


# ---------------------------------------------------------------- the organigramma


def test_only_the_segreteria_of_the_comune_keeps_its_organigramma(client, ente):
    url = reverse("organizzazione", args=[ente.comune.slug])
    for utente, atteso in [
        (ente.responsabile_a, 403),
        (ente.oiv, 403),
        (ente.estraneo, 404),
        (ente.segreteria, 200),
    ]:
        client.force_login(utente)
        assert client.get(url).status_code == atteso, utente


def test_a_settore_with_responsabile_and_servizi_saved_twice_unchanged_stays_the_same(client, ente):
    rossi = PersonaFactory(comune=ente.comune, nome="Mario Rossi", email="rossi@example.org")
    client.force_login(ente.segreteria)
    url = reverse("nuovo_settore", args=[ente.comune.slug])
    risposta = client.post(
        url,
        {
            "codice": "C",
            "nome": "Servizi alla persona",
            "tipo": "settore",
            "descrizione": "",
            "responsabili": [rossi.pk],
            "responsabili_testo": "",
            "servizi": "Servizio sociale\r\nTutela minori\r\n",
        },
    )
    assert risposta.status_code == 302, risposta.context["form"].errors
    settore = Settore.objects.get(comune=ente.comune, nome="Servizi alla persona")
    assert settore.responsabili_testo == "Mario Rossi"
    assert list(settore.servizi.values_list("nome", flat=True)) == [
        "Servizio sociale",
        "Tutela minori",
    ]
    pagina = reverse("modifica_settore", args=[ente.comune.slug, settore.pk])
    servizi = list(Servizio.objects.filter(settore=settore).values_list("pk", flat=True))
    for _ in range(2):
        dati = campi(client.get(pagina).content.decode(), None)
        assert client.post(pagina, dati).status_code == 302
    settore.refresh_from_db()
    assert settore.responsabili_testo == "Mario Rossi"
    assert list(Servizio.objects.filter(settore=settore).values_list("pk", flat=True)) == servizi


def test_the_responsabile_answers_for_the_settori_she_is_responsabile_of(client, ente):
    client.force_login(ente.segreteria)
    nuova = reverse("nuova_persona", args=[ente.comune.slug])
    risposta = client.post(
        nuova,
        {
            "nome": "Anna Bianchi",
            "email": "a.bianchi@example.org",
            "matricola": "77",
            "area": "funzionari",
            "profilo": "Funzionario",
            "categoria": "D1",
            "ruoli": ["responsabile"],
        },
    )
    assert risposta.status_code == 302, risposta.context["form"].errors
    bianchi = Persona.objects.get(comune=ente.comune, matricola="77")
    ruolo = Ruolo.objects.get(utente=bianchi.utente, tipo="responsabile")
    assert list(ruolo.settori.all()) == []
    assert len(mail.outbox) == 1
    pagina = reverse("modifica_settore", args=[ente.comune.slug, ente.settore_b.pk])
    dati = campi(client.get(pagina).content.decode(), None)
    dati["responsabili"] = [str(bianchi.pk)]
    assert client.post(pagina, dati).status_code == 302
    assert list(ruolo.settori.all()) == [ente.settore_b]
    dati["responsabili"] = []
    assert client.post(pagina, dati).status_code == 302
    assert list(ruolo.settori.all()) == []


def test_a_ruolo_without_an_email_is_refused_and_nothing_is_saved(client, ente):
    client.force_login(ente.segreteria)
    risposta = client.post(
        reverse("nuova_persona", args=[ente.comune.slug]),
        {"nome": "Senza Posta", "email": "", "matricola": "88", "ruoli": ["oiv"]},
    )
    assert risposta.status_code == 200
    assert "serve l'e-mail" in " ".join(risposta.context["form"].errors["email"])
    assert not Persona.objects.filter(nome="Senza Posta").exists()
    assert mail.outbox == []


def test_the_invitation_is_sent_again_only_while_the_password_is_not_chosen(client, ente):
    client.force_login(ente.segreteria)
    client.post(
        reverse("nuova_persona", args=[ente.comune.slug]),
        {
            "nome": "Luca Verdi",
            "email": "verdi@example.org",
            "matricola": "90",
            "ruoli": ["lettore"],
        },
    )
    verdi = Persona.objects.get(matricola="90", comune=ente.comune)
    url = reverse("invita_persona", args=[ente.comune.slug, verdi.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert len(mail.outbox) == 2
    verdi.utente.set_password("Scelta-da-lui-99")
    verdi.utente.save()
    pagina = client.post(url, follow=True).content.decode()
    assert "accede già" in pagina
    assert len(mail.outbox) == 2
    client.force_login(ente.estraneo)
    assert client.post(url).status_code == 404


def test_the_invitation_lasts_its_days_then_says_to_ask_again(client, ente, settings):
    persona = PersonaFactory(comune=ente.comune, nome="Elena Neri", email="neri@example.org")
    inviti.invita(persona, ente.comune)
    percorso = _percorso(_link(mail.outbox[-1]))
    settings.PASSWORD_RESET_TIMEOUT = 60  # the reset's short life does not apply
    adesso = inviti.generatore._now()
    with mock.patch.object(
        inviti.GeneratoreInviti, "_now", return_value=adesso + datetime.timedelta(days=6)
    ):
        assert client.get(percorso, follow=True).context["validlink"]
    with mock.patch.object(
        inviti.GeneratoreInviti, "_now", return_value=adesso + datetime.timedelta(days=8)
    ):
        pagina = client.get(percorso, follow=True)
    assert not pagina.context["validlink"]
    assert "inviarti di nuovo l'invito" in pagina.content.decode()


def test_the_comunes_data_saved_unchanged_twice_stay_the_same_and_the_slug_never_moves(
    client, ente
):
    client.force_login(ente.segreteria)
    url = reverse("dati_comune", args=[ente.comune.slug])
    dati = campi(client.get(url).content.decode(), None)
    assert "slug" not in dati
    dati.update(codice_istat="010015", dipendenti="1.250", email_accessibilita="a@example.org")
    assert client.post(url, dati).status_code == 302
    prima = Comune.objects.values().get(pk=ente.comune.pk)
    assert (prima["codice_istat"], prima["dipendenti"]) == ("010015", 1250)
    for _ in range(2):
        dati = campi(client.get(url).content.decode(), None)
        assert dati["dipendenti"] == "1250"
        assert client.post(url, {**dati, "slug": "altro"}).status_code == 302
    assert Comune.objects.values().get(pk=ente.comune.pk) == prima
    client.force_login(ente.responsabile_a)
    assert client.post(url, dati).status_code == 403


def test_a_persona_saved_unchanged_twice_keeps_her_ruoli_and_gets_no_new_invitation(client, ente):
    client.force_login(ente.segreteria)
    client.post(
        reverse("nuova_persona", args=[ente.comune.slug]),
        {"nome": "Ida Rosa", "email": "rosa@example.org", "matricola": "91",
         "area": "istruttori", "ruoli": ["oiv", "lettore"]},
    )  # fmt: skip
    rosa = Persona.objects.get(matricola="91", comune=ente.comune)
    ruoli = list(Ruolo.objects.filter(utente=rosa.utente).values_list("pk", "tipo"))
    assert sorted(t for _, t in ruoli) == ["lettore", "oiv"]
    url = reverse("modifica_persona", args=[ente.comune.slug, rosa.pk])
    for _ in range(2):
        dati = campi(client.get(url).content.decode(), None)
        assert client.post(url, dati).status_code == 302
    assert list(Ruolo.objects.filter(utente=rosa.utente).values_list("pk", "tipo")) == ruoli
    assert len(mail.outbox) == 1


# ---------------------------------------------------------------- the review's findings


def test_a_mistyped_email_corrected_before_the_password_sends_the_invitation_anew(client, ente):
    client.force_login(ente.segreteria)
    client.post(
        reverse("nuova_persona", args=[ente.comune.slug]),
        {"nome": "Luca Verdi", "email": "l.verdi@example.org", "matricola": "93",
         "ruoli": ["lettore"]},
    )  # fmt: skip
    verdi = Persona.objects.get(matricola="93", comune=ente.comune)
    vecchio = _percorso(_link(mail.outbox[-1]))
    url = reverse("modifica_persona", args=[ente.comune.slug, verdi.pk])
    dati = campi(client.get(url).content.decode(), None)
    dati["email"] = "luca.verdi@example.org"
    pagina = html.unescape(client.post(url, dati, follow=True).content.decode())
    assert "L'invito ad accedere è partito per luca.verdi@example.org" in pagina
    verdi.utente.refresh_from_db()
    assert verdi.utente.email == "luca.verdi@example.org"
    assert mail.outbox[-1].to == ["luca.verdi@example.org"]
    client.logout()
    assert not client.get(vecchio, follow=True).context["validlink"]
    assert client.get(_percorso(_link(mail.outbox[-1])), follow=True).context["validlink"]


def test_taking_every_ruolo_before_the_password_spends_the_links_sent(client, ente):
    persona = PersonaFactory(comune=ente.comune, nome="Nina Blu", email="blu@example.org")
    client.force_login(ente.segreteria)
    url = reverse("modifica_persona", args=[ente.comune.slug, persona.pk])
    dati = {**campi(client.get(url).content.decode(), None), "ruoli": ["oiv"]}
    assert client.post(url, dati).status_code == 302
    link = _percorso(_link(mail.outbox[-1]))
    dati = {k: v for k, v in campi(client.get(url).content.decode(), None).items() if k != "ruoli"}
    assert client.post(url, dati).status_code == 302
    client.logout()
    assert not client.get(link, follow=True).context["validlink"]


def test_the_printed_responsabile_follows_the_responsabili_unless_written_by_hand(client, ente):
    bianchi = PersonaFactory(comune=ente.comune, nome="Anna Bianchi")
    verdi = PersonaFactory(comune=ente.comune, nome="Luca Verdi")
    client.force_login(ente.segreteria)
    url = reverse("modifica_settore", args=[ente.comune.slug, ente.settore_b.pk])
    for persona, atteso in [(bianchi, "Anna Bianchi"), (verdi, "Luca Verdi")]:
        dati = {**campi(client.get(url).content.decode(), None), "responsabili": [persona.pk]}
        assert client.post(url, dati).status_code == 302
        ente.settore_b.refresh_from_db()
        assert ente.settore_b.responsabili_testo == atteso
    dati = campi(client.get(url).content.decode(), None)
    dati.update(responsabili=[bianchi.pk], responsabili_testo="Dott.ssa Anna Bianchi")
    assert client.post(url, dati).status_code == 302
    dati = {**campi(client.get(url).content.decode(), None), "responsabili": [verdi.pk]}
    assert client.post(url, dati).status_code == 302
    ente.settore_b.refresh_from_db()
    assert ente.settore_b.responsabili_testo == "Dott.ssa Anna Bianchi"


def test_a_denominazione_or_matricola_already_in_the_comune_is_an_error_not_a_500(client, ente):
    PersonaFactory(comune=ente.comune, nome="Mario Rossi", matricola="M1")
    client.force_login(ente.segreteria)
    risposta = client.post(
        reverse("nuovo_settore", args=[ente.comune.slug]),
        {"codice": "Z", "nome": "settore a", "tipo": "settore"},
    )
    assert risposta.status_code == 200
    assert "esiste già un settore con questa denominazione" in str(risposta.context["form"].errors)
    risposta = client.post(
        reverse("nuova_persona", args=[ente.comune.slug]), {"nome": "Altro", "matricola": "m1"}
    )
    assert risposta.status_code == 200
    assert "esiste già una persona con questa matricola" in str(risposta.context["form"].errors)
    assert Settore.objects.filter(comune=ente.comune).count() == 2


def test_a_name_without_a_slug_asks_for_one_and_a_slug_is_lower_case(client, ente):
    client.force_login(ente.superuser)
    risposta = client.post(reverse("nuovo_comune"), _dati_comune(nome="———"))
    assert risposta.status_code == 200
    assert "Dal nome non viene un identificativo" in str(risposta.context["form"].errors)
    risposta = client.post(reverse("nuovo_comune"), _dati_comune(slug="Milla"))
    assert risposta.status_code == 302
    assert Comune.objects.filter(slug="milla").exists()


def test_the_last_segreteria_keeps_her_ruolo(client, ente):
    segreteria = PersonaFactory(comune=ente.comune, nome="Segreteria", utente=ente.segreteria)
    client.force_login(ente.segreteria)
    url = reverse("modifica_persona", args=[ente.comune.slug, segreteria.pk])
    dati = {**campi(client.get(url).content.decode(), None), "ruoli": ["lettore"]}
    risposta = client.post(url, dati)
    assert risposta.status_code == 200
    assert "È l'unica segreteria del comune" in " ".join(risposta.context["form"].errors["ruoli"])
    assert Ruolo.objects.filter(utente=ente.segreteria, tipo="segreteria").exists()


def test_the_stemma_is_a_small_png_or_jpeg(client, ente):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    client.force_login(ente.segreteria)
    url = reverse("dati_comune", args=[ente.comune.slug])
    for formato, atteso in [("GIF", 200), ("PNG", 302)]:
        immagine = io.BytesIO()
        Image.new("RGB", (8, 8), "blue").save(immagine, formato)
        dati = campi(client.get(url).content.decode(), None)
        dati["logo"] = SimpleUploadedFile(f"stemma.{formato.lower()}", immagine.getvalue())
        risposta = client.post(url, dati)
        assert risposta.status_code == atteso, formato
    assert "non è un'immagine PNG o JPEG" not in risposta.content.decode()
    ente.comune.refresh_from_db()
    assert ente.comune.logo.name.endswith(".png")
