"""The transcription notes of the demo documents are for the administrators: they stay in
the admin, never on the pages or in the PDFs."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from objectives.models import Obiettivo
from peg.models import Piano, Ruolo
from reporting import libri

from .factories import UserFactory
from .utenti import utente

pytestmark = pytest.mark.django_db

PIANO = "Trascritte 23 schede obiettivo"
SETTORE = "Nome composto da due diciture"
SCHEDA = "lo stato della casella non è leggibile nel testo"


def _testo(pdf: bytes) -> str:
    pagine = PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in pagine))


@pytest.fixture
def chiavari(demo):
    return demo("chiavari")


def test_the_loader_keeps_the_notes_in_their_own_fields(chiavari):
    piano = Piano.objects.get(comune=chiavari)
    settore = chiavari.settori.get()
    assert piano.note_trascrizione.startswith(PIANO) and PIANO not in piano.note
    assert settore.note_trascrizione.startswith(SETTORE) and SETTORE not in settore.note
    assert Obiettivo.objects.filter(note_trascrizione__contains=SCHEDA).exists()


def test_pages_and_pdfs_do_not_show_them(client, chiavari):
    piano = Piano.objects.get(comune=chiavari)
    scheda = Obiettivo.objects.filter(note_trascrizione__contains=SCHEDA).first()
    client.force_login(utente(chiavari, Ruolo.Tipo.SEGRETERIA))
    pagine = [
        client.get(reverse("piano", args=[chiavari.slug, piano.pk])),
        client.get(reverse("obiettivo", args=[chiavari.slug, scheda.pk])),
    ]
    for response in pagine:
        html = response.content.decode()
        assert response.status_code == 200
        assert "trascrizione" not in html.lower()
        for nota in (PIANO, SETTORE, SCHEDA):
            assert nota not in html
    testo = _testo(libri.pdf_settore(piano, chiavari.settori.get(), 2019))
    for nota in (PIANO, SETTORE, SCHEDA):
        assert nota[:30] not in testo


def test_the_admin_shows_them(client, chiavari):
    piano = Piano.objects.get(comune=chiavari)
    client.force_login(UserFactory(username="amministratore", superuser=True))
    html = client.get(reverse("admin:peg_piano_change", args=[piano.pk])).content.decode()
    assert "note di trascrizione" in html.lower() and PIANO in html
