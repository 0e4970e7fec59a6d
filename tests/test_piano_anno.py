"""The one rule for "the piano of a year" (objectives.piano_anno) and the commands that
start from a year: one piano → it; none → refused; several → refused with the list
(ids, titles, schede of the year) asking for --piano; an explicit --piano is checked."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from objectives.piano_anno import (
    NessunPiano,
    PianoAmbiguo,
    PianoNonValido,
    piano_degli_anni,
    piano_dell_anno,
)

from .factories import ComuneFactory, ObiettivoFactory, PianoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scorrimento():
    """A triennial PIAO «a scorrimento»: 2019-2021 and 2020-2022 both cover 2020 and 2021;
    the older holds a 2020 scheda (a pluriennale's yearly one)."""
    comune = ComuneFactory(nome="Scorrimento", slug="scorrimento")
    vecchio = PianoFactory(comune=comune, tipo="PIAO", titolo="PIAO 2019-2021")
    nuovo = PianoFactory(
        comune=comune, tipo="PIAO", titolo="PIAO 2020-2022", anno_inizio=2020, anno_fine=2022
    )
    ObiettivoFactory(piano=vecchio, anno=2020, anno_inizio=2020, anno_fine=2020, codice="A 1")
    return comune, vecchio, nuovo


def test_un_solo_piano(scorrimento):
    comune, vecchio, _ = scorrimento
    assert piano_dell_anno(comune, 2019) == vecchio


def test_nessun_piano_dice_quali_anni_ci_sono(scorrimento):
    comune, _, _ = scorrimento
    with pytest.raises(NessunPiano) as errore:
        piano_dell_anno(comune, 2030)
    assert "nessun piano comprende il 2030" in str(errore.value)
    assert "«PIAO 2019-2021» (PIAO 2019-2021)" in str(errore.value)
    vuoto = ComuneFactory(nome="Vuoto", slug="vuoto")
    with pytest.raises(NessunPiano, match="non c'è ancora nessun piano"):
        piano_dell_anno(vuoto, 2019)


def test_piu_piani_nessuna_scelta_silenziosa(scorrimento):
    comune, vecchio, nuovo = scorrimento
    with pytest.raises(PianoAmbiguo) as errore:
        piano_dell_anno(comune, 2020, come_scegliere="scegli il piano")
    testo = str(errore.value)
    assert errore.value.piani == [nuovo, vecchio]  # newest first
    assert errore.value.anni == [2020]
    assert f"{vecchio.pk}: «PIAO 2019-2021» (PIAO 2019-2021), 1 scheda dell'anno" in testo
    assert f"{nuovo.pk}: «PIAO 2020-2022» (PIAO 2020-2022), 0 schede dell'anno" in testo
    assert testo.endswith(": scegli il piano.")


def test_piano_indicato(scorrimento):
    comune, vecchio, nuovo = scorrimento
    assert piano_dell_anno(comune, 2020, nuovo.pk) == nuovo
    assert piano_dell_anno(comune, 2020, vecchio.pk) == vecchio
    with pytest.raises(PianoNonValido, match="non comprende il 2019"):
        piano_dell_anno(comune, 2019, nuovo.pk)
    altrove = PianoFactory()
    with pytest.raises(PianoNonValido, match=f"nessun piano con id {altrove.pk}"):
        piano_dell_anno(comune, 2020, altrove.pk)


def test_piu_anni_insieme(scorrimento):
    comune, vecchio, _ = scorrimento
    assert piano_degli_anni(comune, {2019, 2020}) == vecchio
    with pytest.raises(NessunPiano, match="gli anni 2019, 2022"):
        piano_degli_anni(comune, {2019, 2022})


# -- the commands -------------------------------------------------------------------


def _errore(*argomenti) -> CommandError:
    with pytest.raises(CommandError) as errore:
        call_command(*argomenti, stdout=io.StringIO(), stderr=io.StringIO())
    return errore.value


@pytest.mark.parametrize(
    "comando",
    [
        ["esporta_excel", "-o", "x.xlsx"],
        ["esporta_pdf", "-o", "x.pdf"],
        ["punteggi"],
    ],
    ids=["esporta_excel", "esporta_pdf", "punteggi"],
)
def test_comandi_ambiguo_e_nessuno(scorrimento, comando, tmp_path):
    comune, vecchio, nuovo = scorrimento
    nome, *resto = comando
    resto = [str(tmp_path / a) if a.startswith("x.") else a for a in resto]
    ambiguo = _errore(nome, "--comune", comune.slug, "--anno", "2020", *resto)
    assert ambiguo.returncode == 2
    assert f"{vecchio.pk}: «PIAO 2019-2021»" in str(ambiguo)
    assert f"{nuovo.pk}: «PIAO 2020-2022»" in str(ambiguo)
    assert str(ambiguo).endswith("indica quale con --piano ID.")
    nessuno = _errore(nome, "--comune", comune.slug, "--anno", "2031", *resto)
    assert nessuno.returncode == 2
    assert "nessun piano comprende il 2031" in str(nessuno)
    fuori = _errore(
        nome, "--comune", comune.slug, "--anno", "2019", "--piano", str(nuovo.pk), *resto
    )
    assert "non comprende il 2019" in str(fuori)
    assert not list(tmp_path.iterdir())  # nothing written


def test_esporta_excel_con_piano_o_con_uno_solo(scorrimento, tmp_path):
    comune, vecchio, _ = scorrimento
    out = io.StringIO()
    argomenti = ["--comune", comune.slug, "--anno", "2020", "-o", str(tmp_path / "a.xlsx")]
    call_command("esporta_excel", *argomenti, "--piano", str(vecchio.pk), stdout=out)
    assert out.getvalue() == f"Esportate 1 schede in {tmp_path / 'a.xlsx'}.\n"
    call_command(
        "esporta_excel", "--comune", comune.slug, "--anno", "2019",
        "-o", str(tmp_path / "b.xlsx"), stdout=out,
    )  # fmt: skip
    assert (tmp_path / "b.xlsx").exists()


def test_punteggi_con_piano(scorrimento):
    comune, vecchio, nuovo = scorrimento
    out = io.StringIO()
    call_command(
        "punteggi", "--comune", comune.slug, "--anno", "2020", "--piano", str(nuovo.pk), stdout=out
    )
    assert "PIAO 2020-2022 · anno 2020" in out.getvalue()
    assert "A 1" not in out.getvalue()  # the scheda is in the other piano
    call_command(
        "punteggi",
        "--comune",
        comune.slug,
        "--anno",
        "2020",
        "--piano",
        str(vecchio.pk),
        stdout=out,
    )
    assert "A 1" in out.getvalue()


def test_importa_excel_segue_la_stessa_regola(scorrimento, tmp_path):
    comune, vecchio, nuovo = scorrimento
    file = tmp_path / "piano.xlsx"
    call_command(
        "esporta_excel", "--comune", comune.slug, "--anno", "2020", "--piano", str(vecchio.pk),
        "-o", str(file), stdout=io.StringIO(),
    )  # fmt: skip
    ambiguo = _errore("importa_excel", "--comune", comune.slug, str(file), "--dry-run")
    assert ambiguo.returncode == 2
    assert "più piani comprendono il 2020" in str(ambiguo)
    out = io.StringIO()
    call_command(
        "importa_excel", "--comune", comune.slug, str(file), "--dry-run",
        "--piano", str(vecchio.pk), stdout=out,
    )  # fmt: skip
    assert "Verifica superata" in out.getvalue()
