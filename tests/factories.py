"""factory_boy factories for every domain model."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from indicators.models import Indicatore, Rilevazione, ValoreStorico
from objectives.models import Fase, Obiettivo, RisorsaFinanziaria, RisorsaUmana
from peg.models import Comune, NodoDUP, Persona, Piano, Ruolo, Settore


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"utente{n}")
    password = factory.django.Password("demo")


class ComuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comune

    nome = factory.Sequence(lambda n: f"Borgo {n}")
    slug = factory.Sequence(lambda n: f"borgo-{n}")
    provincia = "Genova"


class PianoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Piano

    comune = factory.SubFactory(ComuneFactory)
    tipo = Piano.Tipo.PEG
    titolo = factory.Sequence(lambda n: f"PEG {n}")
    anno_inizio = 2019
    anno_fine = 2021
    stato = Piano.Stato.APPROVATO


class SettoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Settore

    comune = factory.SubFactory(ComuneFactory)
    codice = "I"
    nome = factory.Sequence(lambda n: f"Settore {n}")


class PersonaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Persona

    comune = factory.SubFactory(ComuneFactory)
    nome = factory.Sequence(lambda n: f"Rossi Mario {n}")
    categoria = "Categoria D"
    matricola = factory.Sequence(lambda n: str(1000 + n))


class NodoDUPFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NodoDUP

    piano = factory.SubFactory(PianoFactory)
    livello = "Linea strategica"
    codice = factory.Sequence(lambda n: f"L{n}")


class ObiettivoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Obiettivo

    piano = factory.SubFactory(PianoFactory)
    settore = factory.SubFactory(SettoreFactory, comune=factory.SelfAttribute("..piano.comune"))
    codice = factory.Sequence(lambda n: f"OB - {n}")
    anno = 2019
    anno_inizio = 2019
    anno_fine = 2019
    denominazione = "Obiettivo di prova"
    stato = Obiettivo.Stato.APPROVATO


class IndicatoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicatore

    obiettivo = factory.SubFactory(ObiettivoFactory)
    numero = factory.Sequence(lambda n: n + 1)
    peso = Decimal("50.00")
    denominazione = "Indicatore di prova"
    formula = "Giorni di ritardo"
    valore_atteso = Decimal("0")
    data_attesa = datetime.date(2019, 9, 30)
    graduazione = "gg di ritardo +5 =90 % +10gg = 80% +15gg =60%"


class RilevazioneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rilevazione

    indicatore = factory.SubFactory(IndicatoreFactory)
    tipo = Rilevazione.Tipo.FINALE
    valore = Decimal("1")


class ValoreStoricoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ValoreStorico

    indicatore = factory.SubFactory(IndicatoreFactory)
    anno = 2018
    valore = Decimal("1")


class FaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fase

    obiettivo = factory.SubFactory(ObiettivoFactory)
    numero = factory.Sequence(lambda n: n + 1)
    peso = Decimal("50.00")
    descrizione = "Fase di prova"
    data_inizio_prevista = datetime.date(2019, 1, 1)
    data_fine_prevista = datetime.date(2019, 12, 31)


class RisorsaFinanziariaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RisorsaFinanziaria

    obiettivo = factory.SubFactory(ObiettivoFactory)
    capitolo = factory.Sequence(lambda n: str(448900 + n))
    importo = Decimal("23000.00")


class RisorsaUmanaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RisorsaUmana

    obiettivo = factory.SubFactory(ObiettivoFactory)
    persona = factory.SubFactory(
        PersonaFactory, comune=factory.SelfAttribute("..obiettivo.piano.comune")
    )


class RuoloFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ruolo

    utente = factory.SubFactory(UserFactory)
    comune = factory.SubFactory(ComuneFactory)
    tipo = Ruolo.Tipo.LETTORE
