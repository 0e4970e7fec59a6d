"""Absolute rules: refused by full_clean with an Italian message, and by the database."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators.models import Indicatore
from objectives.models import Fase, Obiettivo, RisorsaUmana

from .factories import (
    FaseFactory,
    IndicatoreFactory,
    NodoDUPFactory,
    ObiettivoFactory,
    PersonaFactory,
    RilevazioneFactory,
    SettoreFactory,
)

pytestmark = pytest.mark.django_db


def _messages(exc_info) -> str:
    return " ".join(m for ms in exc_info.value.message_dict.values() for m in ms)


@pytest.mark.parametrize(
    "peso, message",
    [(D("-1"), "Peso: non può essere negativo."), (D("100.01"), "Peso: non può superare 100,00%.")],
)
def test_peso_out_of_range_is_refused_in_italian(peso, message):
    indicatore = IndicatoreFactory.build(obiettivo=ObiettivoFactory(), peso=peso)
    with pytest.raises(ValidationError) as exc:
        indicatore.full_clean()
    assert exc.value.message_dict["peso"] == [message]


def test_negative_declared_percentage_message_has_a_real_percent_sign():
    rilevazione = RilevazioneFactory.build(
        indicatore=IndicatoreFactory(), percentuale_raggiungimento=D("-1")
    )
    with pytest.raises(ValidationError) as exc:
        rilevazione.full_clean()
    assert exc.value.message_dict["percentuale_raggiungimento"] == [
        "La % di raggiungimento non può essere negativa."
    ]
    # Documents print over-achievement (Seregno: 212,00%): it is kept.
    RilevazioneFactory.build(
        indicatore=IndicatoreFactory(), percentuale_raggiungimento=D("212")
    ).full_clean()


@pytest.mark.parametrize("model_factory", [IndicatoreFactory, FaseFactory])
def test_peso_out_of_range_is_refused_by_the_database(model_factory):
    obj = model_factory()
    obj.peso = D("120")
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()
    obj.peso = D("-5")
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def test_duplicate_codice_in_the_same_piano_and_year():
    first = ObiettivoFactory(codice="VI - 1")
    duplicate = ObiettivoFactory.build(piano=first.piano, settore=first.settore, codice="VI - 1")
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert exc.value.messages == [
        "Codice obiettivo: nel piano esiste già una scheda con questo codice per lo stesso anno."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # Same codice for another year of a pluriennale obiettivo is a separate scheda.
    ObiettivoFactory(
        piano=first.piano, settore=first.settore, codice="VI - 1", anno=2020, anno_fine=2020
    )


def test_fine_before_inizio_is_refused():
    fase = FaseFactory.build(
        obiettivo=ObiettivoFactory(),
        data_inizio_prevista=datetime.date(2019, 6, 30),
        data_fine_prevista=datetime.date(2019, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        fase.full_clean()
    assert "la data di fine non può precedere la data di inizio" in _messages(exc)
    with pytest.raises(IntegrityError), transaction.atomic():
        fase.save()


def test_obiettivo_dates_and_years_are_checked():
    obiettivo = ObiettivoFactory.build(
        piano=ObiettivoFactory().piano,
        data_inizio_effettiva=datetime.date(2019, 12, 31),
        data_fine_effettiva=datetime.date(2019, 1, 1),
    )
    obiettivo.settore = SettoreFactory(comune=obiettivo.piano.comune)
    with pytest.raises(ValidationError) as exc:
        obiettivo.full_clean()
    assert "Date effettive: la data di fine" in _messages(exc)
    fuori = ObiettivoFactory.build(
        piano=obiettivo.piano, settore=obiettivo.settore, anno=2025, anno_fine=2025
    )
    with pytest.raises(ValidationError) as exc:
        fuori.full_clean()
    assert "non rientra nel piano 2019-2021" in _messages(exc)


def test_settore_of_another_comune_is_refused():
    obiettivo = ObiettivoFactory.build(piano=ObiettivoFactory().piano, settore=SettoreFactory())
    with pytest.raises(ValidationError) as exc:
        obiettivo.full_clean()
    assert exc.value.message_dict["settore"] == ["Il settore appartiene a un altro comune."]


def test_numero_unique_within_its_parent():
    indicatore = IndicatoreFactory(numero=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicatore.objects.create(obiettivo=indicatore.obiettivo, numero=1, denominazione="doppio")
    Indicatore.objects.create(
        obiettivo=ObiettivoFactory(), numero=1, denominazione="altro obiettivo"
    )
    fase = FaseFactory(numero=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Fase.objects.create(obiettivo=fase.obiettivo, numero=1, descrizione="doppia")


def test_avanzamento_over_100_is_refused():
    fase = FaseFactory.build(obiettivo=ObiettivoFactory(), avanzamento=D("101"))
    with pytest.raises(ValidationError) as exc:
        fase.full_clean()
    assert exc.value.message_dict["avanzamento"] == ["Avanzamento: non può superare 100,00%."]


def test_punteggio_is_strategicita_plus_complessita_times_tipologia():
    obiettivo = Obiettivo(strategicita=D("50"), complessita=D("30"), tipologia=D("0.75"))
    assert obiettivo.punteggio == D("60.00")
    assert Obiettivo(strategicita=D("50")).punteggio is None


def test_risorsa_umana_of_another_comune_is_refused():
    risorsa = RisorsaUmana(obiettivo=ObiettivoFactory(), persona=PersonaFactory())
    with pytest.raises(ValidationError) as exc:
        risorsa.full_clean()
    assert exc.value.message_dict["persona"] == ["La persona appartiene a un altro comune."]


def test_dup_tree_refuses_cycles_and_other_piani():
    linea = NodoDUPFactory()
    azione = NodoDUPFactory(piano=linea.piano, padre=linea, livello="Azione strategica")
    linea.padre = azione
    with pytest.raises(ValidationError) as exc:
        linea.full_clean()
    assert "sotto se stesso o un suo discendente" in _messages(exc)
    estraneo = NodoDUPFactory.build(padre=linea, codice="X")
    with pytest.raises(ValidationError) as exc:
        estraneo.full_clean()
    assert exc.value.message_dict["padre"] == ["Il nodo superiore appartiene a un altro piano."]
