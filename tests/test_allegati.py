"""Evidence (allegati): accepted types and sizes, who sees, uploads and deletes, private files."""

import datetime
import html
import io
import zipfile
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from objectives.models import Obiettivo
from peg.models import Ruolo
from valutazione import allegati as regole
from valutazione import formati
from valutazione.models import Allegato

from .factories import (
    AllegatoFactory,
    ComuneFactory,
    FaseFactory,
    IndicatoreFactory,
    ObiettivoFactory,
    SettoreFactory,
    UserFactory,
)
from .utenti import utente

pytestmark = pytest.mark.django_db
S = Obiettivo.Stato
T = Ruolo.Tipo
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
ODF = "application/vnd.oasis.opendocument."


def _zip(membri: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archivio:
        for nome, testo in membri.items():
            archivio.writestr(nome, testo)
    return buf.getvalue()


def _ooxml(parte: str) -> bytes:
    tipi = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/x.xml" ContentType="application/vnd.'
        f'openxmlformats-officedocument.{parte}"/></Types>'
    )
    return _zip({"[Content_Types].xml": tipi, "_rels/.rels": "<Relationships/>"})


ODT = _zip({"mimetype": ODF + "text", "content.xml": "<office:document-content/>"})
ODS = _zip({"mimetype": ODF + "spreadsheet", "content.xml": "<office:document-content/>"})
DOCX = _ooxml("wordprocessingml.document.main+xml")
XLSX = _ooxml("spreadsheetml.sheet.main+xml")
# A Word document with macros, renamed .docx.
DOCM = _zip(
    {
        "[Content_Types].xml": '<Types><Override ContentType="application/vnd.ms-word.'
        'document.macroEnabled.main+xml"/></Types>'
    }
)


def _files(cartella) -> list:
    return sorted(p for p in cartella.rglob("*") if p.is_file()) if cartella.exists() else []


@pytest.fixture
def scheda(archivio):
    obiettivo = ObiettivoFactory(stato=S.IN_MONITORAGGIO)
    IndicatoreFactory(obiettivo=obiettivo, numero=1, peso=D(100))
    FaseFactory(obiettivo=obiettivo, numero=1, peso=D(100))
    return obiettivo


@pytest.fixture
def responsabile(scheda):
    # Named as the pages print who uploaded a file.
    return utente(
        scheda.piano.comune,
        T.RESPONSABILE,
        [scheda.settore],
        first_name="Mario",
        last_name="Responsabile",
    )


@pytest.fixture
def segreteria(scheda):
    return utente(scheda.piano.comune, T.SEGRETERIA)


@pytest.fixture
def oiv(scheda):
    return utente(scheda.piano.comune, T.OIV)


def _lista(obiettivo):
    return reverse("allegati", args=[obiettivo.piano.comune.slug, obiettivo.pk])


def _scarica(allegato):
    return reverse("allegato", args=[allegato.obiettivo.piano.comune.slug, allegato.uuid])


def _elimina(allegato):
    return reverse("elimina_allegato", args=[allegato.obiettivo.piano.comune.slug, allegato.uuid])


def _carica(
    client, obiettivo, nome="verbale.pdf", contenuto=PDF, tipo_mime="application/pdf", **dati
):
    return client.post(
        _lista(obiettivo),
        {
            "tipo": "verbale",
            "descrizione": "Verbale della commissione",
            "riferimento": "obiettivo",
            "file": SimpleUploadedFile(nome, contenuto, tipo_mime),
            **dati,
        },
    )


def _allegato(obiettivo, autore, nome="verbale.pdf", contenuto=PDF, **campi):
    return AllegatoFactory(
        obiettivo=obiettivo, caricato_da=autore, nome=nome, contenuto=contenuto, **campi
    )


def _testo(response) -> str:
    return html.unescape(response.content.decode())


# Upload


def test_responsabile_uploads_into_the_private_archive(
    client, scheda, responsabile, archivio, settings
):
    indicatore = scheda.indicatori.get()
    client.force_login(responsabile)
    response = _carica(client, scheda, riferimento=f"indicatore-{indicatore.pk}")
    assert response.status_code == 302
    allegato = Allegato.objects.get()
    assert (allegato.indicatore, allegato.fase, allegato.riferimento) == (
        indicatore,
        None,
        "Indicatore 1",
    )
    assert (allegato.nome_file, allegato.dimensione) == ("verbale.pdf", len(PDF))
    assert allegato.content_type == "application/pdf"
    assert allegato.caricato_da == responsabile
    percorso = archivio / str(scheda.piano.comune_id) / str(scheda.pk) / f"{allegato.uuid}.pdf"
    assert _files(archivio) == [percorso]
    assert percorso.read_bytes() == PDF
    assert _files(settings.MEDIA_ROOT) == []
    pagina = _testo(client.get(response.url))
    assert "Allegato «verbale.pdf» caricato." in pagina


def test_the_file_is_not_reachable_outside_the_checked_view(client, scheda, responsabile, settings):
    storage = Allegato._meta.get_field("file").storage
    assert "allegati" in str(storage.location)
    assert str(storage.location) != str(settings.MEDIA_ROOT)
    allegato = _allegato(scheda, responsabile)
    client.force_login(responsabile)
    with pytest.raises(ValueError, match="indirizzo pubblico"):
        storage.url(allegato.file.name)
    for indirizzo in ("/media/" + allegato.file.name, "/" + allegato.file.name):
        response = client.get(indirizzo)
        assert response.status_code == 404
        assert PDF not in response.content


def test_upload_goes_back_to_the_page_it_came_from_but_only_on_this_site(
    client, scheda, responsabile
):
    client.force_login(responsabile)
    scheda_url = reverse("obiettivo", args=[scheda.piano.comune.slug, scheda.pk])
    assert _carica(client, scheda, next=scheda_url).url == scheda_url
    assert _carica(client, scheda, next="https://altrove.example/").url == _lista(scheda)


def test_segreteria_uploads_on_a_fase(client, scheda, segreteria):
    fase = scheda.fasi.get()
    client.force_login(segreteria)
    assert _carica(client, scheda, riferimento=f"fase-{fase.pk}").status_code == 302
    assert Allegato.objects.get().riferimento == "Fase 1"


def test_riferimento_offers_only_this_obiettivo(client, scheda, responsabile):
    altro = IndicatoreFactory(numero=7)  # of another obiettivo
    client.force_login(responsabile)
    response = _carica(client, scheda, riferimento=f"indicatore-{altro.pk}")
    assert response.status_code == 200
    assert "riferimento" in response.context["form_allegato"].errors
    assert not Allegato.objects.exists()
    scelte = [
        etichetta
        for _, etichetta in response.context["form_allegato"].fields["riferimento"].choices
    ]
    assert scelte == ["Obiettivo", "Indicatore 1", "Fase 1"]


@pytest.mark.parametrize(
    "nome, contenuto, content_type",
    [
        (
            "relazione.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("dati.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("verbale.odt", ODT, ODF + "text"),
        ("tabella.ods", ODS, ODF + "spreadsheet"),
        ("foto.png", PNG, "image/png"),
        ("foto.JPG", JPEG, "image/jpeg"),
        ("foto.jpeg", JPEG, "image/jpeg"),
    ],
)
def test_office_documents_and_images_are_accepted(
    client, scheda, responsabile, nome, contenuto, content_type
):
    client.force_login(responsabile)
    # Whatever the browser says, the type comes from the whitelist.
    assert _carica(client, scheda, nome, contenuto, "text/html").status_code == 302
    allegato = Allegato.objects.get()
    assert allegato.content_type == content_type
    response = client.get(_scarica(allegato))
    assert response["Content-Type"] == content_type
    assert b"".join(response.streaming_content) == contenuto


NON_AMMESSO = "tipo di file non ammesso. Sono ammessi PDF, ODT, ODS, DOCX, XLSX, PNG, JPEG."


@pytest.mark.parametrize(
    "nome, contenuto, messaggio",
    [
        (
            "setup.pdf",
            EXE,
            "«setup.pdf»: il contenuto non è quello di un file PDF, " + NON_AMMESSO,
        ),
        ("pagina.html", b"<html><script>alert(1)</script>", "«pagina.html»: " + NON_AMMESSO),
        ("verbale.exe", EXE, "«verbale.exe»: " + NON_AMMESSO),
        (
            "macro.docx",
            DOCM,
            "«macro.docx»: il contenuto non è quello di un file DOCX, " + NON_AMMESSO,
        ),
        ("finto.odt", ODS, "«finto.odt»: il contenuto non è quello di un file ODT, " + NON_AMMESSO),
        (
            "rotto.xlsx",
            b"PK\x03\x04" + b"\x00" * 40,
            "«rotto.xlsx»: il contenuto non è quello di un file XLSX, " + NON_AMMESSO,
        ),
        ("vuoto.pdf", b"", "«vuoto.pdf» è vuoto."),
    ],
)
def test_forbidden_files_are_refused_and_nothing_is_saved(
    client, scheda, responsabile, archivio, nome, contenuto, messaggio
):
    client.force_login(responsabile)
    response = _carica(client, scheda, nome, contenuto)
    assert response.status_code == 200
    assert response.context["form_allegato"].errors["file"] == [messaggio]
    assert messaggio in _testo(response)
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert not Allegato.objects.exists()
    assert _files(archivio) == []


def test_a_file_over_the_limit_is_refused_with_its_size(
    client, scheda, responsabile, archivio, settings
):
    settings.ALLEGATI_MAX_MB = 1  # read at request time
    client.force_login(responsabile)
    grande = PDF + b"0" * (3 * 1024 * 1024 // 2)
    response = _carica(client, scheda, "grande.pdf", grande)
    assert response.status_code == 200
    assert response.context["form_allegato"].errors["file"] == [
        "«grande.pdf» supera il limite di 1 MB (è di 1,6 MB)."
    ]
    # The guard stopped keeping the file at the limit: only its size reached the form.
    ricevuto = response.context["form_allegato"].files["file"]
    assert type(ricevuto) is SimpleUploadedFile and ricevuto.size == len(grande)
    assert not Allegato.objects.exists()
    assert _files(archivio) == []
    settings.ALLEGATI_MAX_MB = 2
    assert _carica(client, scheda, "grande.pdf", grande).status_code == 302


def test_the_size_limit_without_the_upload_guard(settings):
    settings.ALLEGATI_MAX_MB = 1
    file = SimpleUploadedFile("x.pdf", PDF + b"0" * formati.limite_byte())
    with pytest.raises(ValidationError) as exc:
        formati.verifica_file(file)
    assert exc.value.messages == ["«x.pdf» supera il limite di 1 MB (è di 1,1 MB)."]


def test_upload_needs_the_csrf_token(scheda, responsabile):
    client = Client(enforce_csrf_checks=True)
    client.force_login(responsabile)
    assert _carica(client, scheda).status_code == 403
    assert not Allegato.objects.exists()


def test_a_failed_row_leaves_no_file(scheda, responsabile, archivio):
    indicatore, fase = scheda.indicatori.get(), scheda.fasi.get()
    form = regole.AllegatoForm(
        scheda,
        {"tipo": "verbale", "descrizione": "x", "riferimento": f"indicatore-{indicatore.pk}"},
        {"file": SimpleUploadedFile("verbale.pdf", PDF)},
    )
    assert form.is_valid(), form.errors

    class SempreLaFase(dict):
        def get(self, chiave, default=None):
            return fase

    form.fasi = SempreLaFase()  # indicatore and fase together: the database refuses the row
    with pytest.raises(IntegrityError):
        form.save(responsabile)
    assert not Allegato.objects.exists()
    assert _files(archivio) == []


# Who


def test_oiv_sees_and_downloads_but_may_not_upload(client, scheda, responsabile, oiv, archivio):
    allegato = _allegato(scheda, responsabile)
    client.force_login(oiv)
    pagina = client.get(_lista(scheda))
    assert pagina.status_code == 200
    assert "verbale.pdf" in pagina.content.decode()
    assert "multipart/form-data" not in pagina.content.decode()
    assert "Elimina" not in pagina.content.decode()
    response = _carica(client, scheda, "altro.pdf")
    assert response.status_code == 403
    assert "lo possono fare il responsabile del settore e la segreteria" in _testo(response)
    assert client.post(_elimina(allegato)).status_code == 403
    assert Allegato.objects.count() == 1
    assert len(_files(archivio)) == 1


@pytest.mark.parametrize("chi", ["responsabile", "segreteria", "oiv"])
def test_download_with_safe_headers(client, scheda, responsabile, request, chi):
    allegato = _allegato(scheda, responsabile, nome="Verbale n. 3 «giunta».pdf")
    Allegato.objects.filter(pk=allegato.pk).update(content_type="text/html")  # never trusted
    client.force_login(request.getfixturevalue(chi))
    response = client.get(_scarica(allegato))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''Verbale%20n.%203%20%C2%ABgiunta%C2%BB.pdf"
        in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_other_comune_and_other_settore_get_404(client, archivio):
    bozza = ObiettivoFactory(stato=S.BOZZA)
    autore = utente(bozza.piano.comune, T.RESPONSABILE, [bozza.settore])
    allegato = _allegato(bozza, autore)
    altro_settore = SettoreFactory(comune=bozza.piano.comune)
    estraneo = utente(bozza.piano.comune, T.RESPONSABILE, [altro_settore])
    altrove = ComuneFactory()
    altro_comune = utente(altrove, T.SEGRETERIA)  # segreteria elsewhere
    for chi in (estraneo, altro_comune):
        client.force_login(chi)
        assert client.get(_lista(bozza)).status_code == 404
        assert client.get(_scarica(allegato)).status_code == 404
        assert client.post(_elimina(allegato)).status_code == 404
        assert _carica(client, bozza).status_code == 404
    # The uuid under the wrong comune's address is not found either.
    client.force_login(altro_comune)
    assert client.get(reverse("allegato", args=[altrove.slug, allegato.uuid])).status_code == 404
    assert Allegato.objects.count() == 1
    assert len(_files(archivio)) == 1


def test_anonymous_goes_to_login(client, scheda, responsabile):
    allegato = _allegato(scheda, responsabile)
    for response in (
        client.get(_lista(scheda)),
        client.get(_scarica(allegato)),
        client.post(_elimina(allegato)),
        _carica(client, scheda),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert Allegato.objects.count() == 1


FUORI_MONITORAGGIO = (
    "Non puoi aggiungere né eliminare allegati di {scheda} nello stato «{stato}»: lo possono "
    "fare il responsabile del settore e la segreteria mentre l'obiettivo è in monitoraggio."
)


@pytest.mark.parametrize(
    "stato, motivo",
    [
        (
            S.VALIDATO,
            "{scheda} è validato: gli allegati non si possono più aggiungere né eliminare.",
        ),
        (S.RENDICONTATO, FUORI_MONITORAGGIO),
        (S.APPROVATO, FUORI_MONITORAGGIO),
    ],
)
def test_nothing_changes_outside_monitoring(client, scheda, responsabile, archivio, stato, motivo):
    allegato = _allegato(scheda, responsabile)
    Obiettivo.objects.filter(pk=scheda.pk).update(stato=stato)
    motivo = motivo.format(scheda=f"{scheda.codice} (2019)", stato=S(stato).label)
    client.force_login(responsabile)
    response = _carica(client, scheda, "nuovo.pdf")
    assert response.status_code == 403
    assert motivo in _testo(response)
    response = client.post(_elimina(allegato))
    assert response.status_code == 403
    assert motivo in _testo(response)
    assert Allegato.objects.count() == 1
    assert len(_files(archivio)) == 1
    assert client.get(_scarica(allegato)).status_code == 200  # still visible


def test_delete_removes_row_and_file(
    client, scheda, responsabile, archivio, django_capture_on_commit_callbacks
):
    allegato = _allegato(scheda, responsabile)
    assert len(_files(archivio)) == 1
    client.force_login(responsabile)
    assert client.get(_elimina(allegato)).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_elimina(allegato))
    assert response.status_code == 302 and response.url == _lista(scheda)
    assert not Allegato.objects.exists()
    assert _files(archivio) == []
    assert client.get(_scarica(allegato)).status_code == 404


# Pages


def test_scheda_and_rendicontazione_list_the_allegati(client, scheda, responsabile, oiv):
    indicatore = scheda.indicatori.get()
    allegato = _allegato(
        scheda,
        responsabile,
        nome="delibera.pdf",
        contenuto=PDF + b"0" * 1_258_000,
        indicatore=indicatore,
    )
    Allegato.objects.filter(pk=allegato.pk).update(
        caricato_il=datetime.datetime(
            2019, 9, 30, 23, 30, tzinfo=datetime.UTC
        )  # 1 ottobre in Italia
    )
    scheda_url = reverse("obiettivo", args=[scheda.piano.comune.slug, scheda.pk])
    client.force_login(responsabile)
    for url in (scheda_url, reverse("rendicontazione", args=[scheda.piano.comune.slug, scheda.pk])):
        pagina = _testo(client.get(url))
        assert "Documenti a supporto (allegati)" in pagina
        assert "delibera.pdf" in pagina and _scarica(allegato) in pagina
        assert "Indicatore 1" in pagina
        assert "1,2 MB" in pagina
        assert "Mario Responsabile" in pagina
        assert "1 ottobre 2019" in pagina
        assert _elimina(allegato) in pagina
        assert 'enctype="multipart/form-data"' in pagina
    client.force_login(oiv)
    pagina = _testo(client.get(scheda_url))
    assert "delibera.pdf" in pagina
    assert _elimina(allegato) not in pagina
    assert "multipart/form-data" not in pagina


@pytest.mark.parametrize("pagina", ["obiettivo", "rendicontazione"])
def test_allegati_cost_one_query_whatever_their_number(
    client, scheda, responsabile, segreteria, pagina
):
    url = reverse(pagina, args=[scheda.piano.comune.slug, scheda.pk])
    client.force_login(responsabile)
    _allegato(scheda, responsabile)
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as uno:
        assert client.get(url).status_code == 200
    altri = [IndicatoreFactory(obiettivo=scheda, numero=n, peso=D(0)) for n in (2, 3)]
    for i, indicatore in enumerate(altri):
        _allegato(scheda, segreteria, nome=f"i{i}.pdf", indicatore=indicatore)
        _allegato(scheda, responsabile, nome=f"f{i}.pdf", fase=scheda.fasi.get())
    with CaptureQueriesContext(connection) as molti:
        response = client.get(url)
    assert response.content.decode().count("/elimina/") == 5
    assert len(molti) == len(uno)
    # The list's query (the scheda page's first one only asks whether there are some).
    elenchi = [
        q for q in molti.captured_queries if 'SELECT "valutazione_allegato"."id"' in q["sql"]
    ]
    assert len(elenchi) == 1


def test_dimensione_leggibile():
    assert formati.dimensione_leggibile(300) == "300 byte"
    assert formati.dimensione_leggibile(2048) == "2 KB"
    assert formati.dimensione_leggibile(1_258_291) == "1,2 MB"
    assert formati.dimensione_leggibile(23_400_000) == "22,3 MB"
    assert formati.dimensione_leggibile(20 * 1024 * 1024 + 1, per_eccesso=True) == "20,1 MB"


def test_admin_lists_own_comune_allegati_read_only(client, scheda, responsabile):
    mio = _allegato(scheda, responsabile, nome="mio.pdf")
    altrove = ObiettivoFactory(stato=S.IN_MONITORAGGIO)
    altrui = _allegato(altrove, UserFactory(username="altrove"), nome="altrui.pdf")
    user = utente(scheda.piano.comune, T.SEGRETERIA, is_staff=True)
    client.force_login(user)
    elenco = client.get("/admin/valutazione/allegato/")
    assert elenco.status_code == 200
    assert "mio.pdf" in elenco.content.decode() and "altrui.pdf" not in elenco.content.decode()
    scheda_admin = client.get(reverse("admin:valutazione_allegato_change", args=[mio.pk]))
    assert scheda_admin.status_code == 200
    assert _scarica(mio) in scheda_admin.content.decode()
    assert 'name="descrizione"' not in scheda_admin.content.decode()  # read-only
    assert (
        client.get(reverse("admin:valutazione_allegato_change", args=[altrui.pk])).status_code
        == 302
    )
    assert client.get("/admin/valutazione/allegato/add/").status_code == 403
    assert (
        client.post(reverse("admin:valutazione_allegato_delete", args=[mio.pk])).status_code == 403
    )
    # A responsabile (not staff, not segreteria) has no admin at all.
    client.force_login(responsabile)
    assert client.get("/admin/valutazione/allegato/").status_code == 302


def test_deleting_the_obiettivo_removes_its_files(
    scheda, responsabile, archivio, django_capture_on_commit_callbacks
):
    allegato = _allegato(scheda, responsabile)
    percorso = archivio / allegato.file.name
    assert percorso.exists()
    with django_capture_on_commit_callbacks(execute=True):
        Obiettivo.objects.filter(pk=scheda.pk).delete()
    assert not percorso.exists()


def test_an_upload_racing_the_validation_is_refused(scheda, responsabile, archivio):
    """The form was valid while in monitoraggio; the OIV validated before the save."""
    form = regole.AllegatoForm(
        scheda,
        data={"tipo": "verbale", "descrizione": "Verbale", "riferimento": "obiettivo"},
        files={"file": SimpleUploadedFile("verbale.pdf", PDF)},
    )
    assert form.is_valid(), form.errors
    Obiettivo.objects.filter(pk=scheda.pk).update(stato=Obiettivo.Stato.VALIDATO)
    with pytest.raises(PermissionDenied, match="validato"):
        form.save(responsabile)
    assert not Allegato.objects.exists() and _files(archivio) == []
