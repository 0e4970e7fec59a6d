"""The Excel export at any size: downloading a piano's file costs a fixed, small number
of queries whatever the number of schede (the rows are loaded by sheet, not scheda by
scheda), for a responsabile too, whose schede are filtered by what he may see; the
command writes its file whole or not at all."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from peg.models import Piano, Ruolo

from .utenti import utente

pytestmark = pytest.mark.django_db
# Session and user, piano, the user's roles, the export (schede, seven sheets, two
# links, the scores and the OIV's validations).
LIMITE = 20


def _piano(settori: int, obiettivi: int) -> Piano:
    call_command(
        "genera_dati",
        *("--comune", f"excel-{settori}x{obiettivi}", "--settori", settori),
        *("--obiettivi", obiettivi, "--indicatori", 2, "--fasi", 2),
        stdout=io.StringIO(),
    )
    return Piano.objects.get(comune__slug=f"excel-{settori}x{obiettivi}")


def _scarica(client, piano, rotta="excel_esporta") -> tuple[int, bytes]:
    url = reverse(rotta, args=[piano.comune.slug, piano.pk])
    with CaptureQueriesContext(connection) as query:
        risposta = client.get(url)
        assert risposta.status_code == 200
        dati = b"".join(risposta.streaming_content)
    return len(query), dati


def _righe(dati: bytes, foglio: str) -> int:
    return load_workbook(io.BytesIO(dati), read_only=True)[foglio].max_row - 1


@pytest.mark.parametrize("tipo", [Ruolo.Tipo.SEGRETERIA, Ruolo.Tipo.RESPONSABILE])
def test_le_query_dello_scaricamento_non_crescono_con_il_piano(
    client, django_assert_max_num_queries, tipo
):
    conteggi = []
    for settori, obiettivi in ((1, 2), (3, 4)):
        piano = _piano(settori, obiettivi)
        settore = piano.comune.settori.order_by("pk").first()
        client.force_login(utente(piano.comune, tipo, [settore]))
        with django_assert_max_num_queries(LIMITE):
            query, dati = _scarica(client, piano)
        attese = obiettivi * (settori if tipo == Ruolo.Tipo.SEGRETERIA else 1)
        assert _righe(dati, "Obiettivi") == attese
        assert _righe(dati, "Indicatori") == attese * 2
        conteggi.append(query)
    assert conteggi[0] == conteggi[1], conteggi


def test_il_modello_vuoto_senza_query_sulle_schede(client, django_assert_max_num_queries):
    piano = _piano(1, 2)
    client.force_login(utente(piano.comune, Ruolo.Tipo.SEGRETERIA))
    with django_assert_max_num_queries(6):
        _, dati = _scarica(client, piano, "excel_modello")
    assert _righe(dati, "Obiettivi") == 0


def test_il_comando_scrive_il_file_intero_o_niente(tmp_path):
    piano = _piano(1, 2)
    slug, anno = piano.comune.slug, str(piano.anno_inizio)
    file = tmp_path / "piano.xlsx"
    call_command(
        "esporta_excel", "--comune", slug, "--anno", anno, "-o", str(file), stdout=io.StringIO()
    )
    assert _righe(file.read_bytes(), "Obiettivi") == 2
    assert [p.name for p in tmp_path.iterdir()] == ["piano.xlsx"]
    mancante = tmp_path / "manca" / "piano.xlsx"
    with pytest.raises(CommandError) as errore:
        call_command("esporta_excel", "--comune", slug, "--anno", anno, "-o", str(mancante))
    assert str(errore.value).startswith(f"Non riesco a scrivere «{mancante}»:")
    assert [p.name for p in tmp_path.iterdir()] == ["piano.xlsx"]
