"""Bad demo data stops the load with an Italian message saying where; nothing half-saved."""

import json

import pytest

from objectives.demo_loader import DEMO_DIR, DemoDataError, carica_file
from peg.models import Comune, Persona

pytestmark = pytest.mark.django_db


def _broken(tmp_path, mutate):
    data = json.loads((DEMO_DIR / "chiavari.json").read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "chiavari.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _last_scheda(data):
    return data["piani"][0]["settori"][0]["obiettivi"][-1]


@pytest.mark.parametrize(
    "mutate, where, message",
    [
        (
            lambda d: _last_scheda(d)["indicatori"][0].update(peso="130"),
            "obiettivo VI - 10 (2021) › indicatore 1",
            "non può superare 100,00%",
        ),
        (
            lambda d: _last_scheda(d)["fasi"][0].update(peso="dieci"),
            "obiettivo VI - 10 (2021) › fase 1",
            "«dieci» non è un numero",
        ),
        (
            lambda d: _last_scheda(d)["fasi"][0].update(
                data_inizio_prevista="2021-12-31", data_fine_prevista="2021-01-01"
            ),
            "fase 1",
            "la data di fine non può precedere la data di inizio",
        ),
        (
            lambda d: _last_scheda(d).update(codice="VI - 9", anno=2020),
            "obiettivo VI - 9 (2020)",
            "esiste già una scheda con questo codice",
        ),
    ],
)
def test_bad_value_names_file_and_place_and_saves_nothing(tmp_path, mutate, where, message):
    path = _broken(tmp_path, mutate)
    with pytest.raises(DemoDataError) as exc:
        carica_file(path)
    text = str(exc.value)
    assert text.startswith("chiavari.json › piano")
    assert where in text and message in text
    assert not Comune.objects.filter(slug="chiavari").exists()
    assert not Persona.objects.exists()


def test_unreadable_file(tmp_path):
    path = tmp_path / "rotto.json"
    path.write_text("{non json", encoding="utf-8")
    with pytest.raises(DemoDataError, match="rotto.json: file illeggibile"):
        carica_file(path)


def test_missing_field_names_where(tmp_path):
    path = _broken(tmp_path, lambda d: _last_scheda(d)["indicatori"][0].pop("denominazione"))
    with pytest.raises(DemoDataError) as exc:
        carica_file(path)
    assert "obiettivo VI - 10 (2021) › indicatore 1: manca il campo 'denominazione'" in str(
        exc.value
    )


def test_the_same_person_is_one_persona(demo):
    seregno = demo("seregno")
    pacchetti = Persona.objects.filter(comune=seregno, nome__icontains="pacchetti")
    assert pacchetti.count() == 1
    assert pacchetti.get().matricola == "125"
