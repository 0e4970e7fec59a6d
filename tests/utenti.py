"""Users and roles for the tests: one helper and one scenario, shared by every file.

``utente(comune, tipo, settori=...)`` makes a user holding one role in a comune.
The ``ente`` fixture (registered in ``tests/conftest.py``) is a small comune with two
settori, a piano and one user per profile, cheap to build (no demo JSON), the base of
the authorization tests::

    def test_lettore_does_not_see_drafts(client, ente):
        bozza = ente.scheda("bozza")
        client.force_login(ente.lettore)
        ...

``PROFILI`` names every profile, for ``@pytest.mark.parametrize`` with
``ente.profilo(nome)`` (``"anonimo"`` gives None).
"""

import itertools
from dataclasses import dataclass

import pytest

from objectives.models import Obiettivo
from peg.models import Comune, Piano, Ruolo, Settore

from .factories import (
    ComuneFactory,
    ObiettivoFactory,
    PianoFactory,
    RuoloFactory,
    SettoreFactory,
    UserFactory,
)

T = Ruolo.Tipo
_PROGRESSIVO = itertools.count(1)

# Every user of the scenario, and the visitor who is not logged in.
PROFILI = (
    "anonimo",
    "senza_ruolo",
    "segreteria",
    "responsabile_a",
    "responsabile_b",
    "oiv",
    "lettore",
    "estraneo",
    "superuser",
)


def utente(comune, tipo, settori=(), username=None, email=None, **campi):
    """A user with the role ``tipo`` in ``comune`` (for a responsabile: of ``settori``).

    ``email`` defaults to ``<username>@example.org``; ``email=""`` for a user without
    an address. Other keyword arguments go to the user (``first_name``, ``is_staff``).
    An existing ``username`` gets the role added, as ``UserFactory`` gets or creates."""
    username = username or f"{tipo}-{comune.slug}-{next(_PROGRESSIVO)}"
    email = f"{username}@example.org" if email is None else email
    user = UserFactory(username=username, email=email, **campi)
    RuoloFactory(utente=user, comune=comune, tipo=tipo, settori=list(settori))
    return user


@dataclass
class Ente:
    """One comune (settori A and B, an approved piano 2019-2021), its users, and
    a user whose only role is the segreteria of another comune."""

    comune: Comune
    altro_comune: Comune
    piano: Piano
    settore_a: Settore
    settore_b: Settore
    senza_ruolo: object
    segreteria: object
    responsabile_a: object
    responsabile_b: object
    oiv: object
    lettore: object
    estraneo: object
    superuser: object

    def profilo(self, nome: str):
        """The user of a profile in ``PROFILI``; None for ``"anonimo"``."""
        if nome not in PROFILI:
            raise ValueError(f"profilo sconosciuto: {nome!r}")
        return None if nome == "anonimo" else getattr(self, nome)

    def scheda(self, *tratti: str, settore: Settore | None = None, **campi) -> Obiettivo:
        """An obiettivo 2019 of the piano in settore A (or ``settore``) with the traits
        of ``ObiettivoFactory``: ``ente.scheda("validato")``, ``ente.scheda("bozza",
        "con_fasi", settore=ente.settore_b)``. The OIV of the ente validates it or asks
        for the integration, the segreteria moves it (``con_storia``): no other users."""
        if {"validato", "con_rettifica"} & set(tratti):
            campi.setdefault("validazione__utente", self.oiv)
        if "integrazione_richiesta" in tratti:
            campi.setdefault("integrazione__utente", self.oiv)
        if "con_storia" in tratti:
            campi.setdefault("storia__utente", self.segreteria)
        return ObiettivoFactory(
            piano=self.piano,
            settore=settore or self.settore_a,
            **dict.fromkeys(tratti, True),
            **campi,
        )


def crea_ente(slug: str = "borgo", nome: str = "Borgo") -> Ente:
    """The scenario of the ``ente`` fixture; another ``slug`` for a second one."""
    comune = ComuneFactory(nome=nome, slug=slug)
    altro_comune = ComuneFactory(nome=f"Altrove di {nome}", slug=f"{slug}-altrove")
    settore_a = SettoreFactory(comune=comune, codice="A", nome="Settore A")
    settore_b = SettoreFactory(comune=comune, codice="B", nome="Settore B")
    return Ente(
        comune=comune,
        altro_comune=altro_comune,
        piano=PianoFactory(
            comune=comune,
            titolo="PEG 2019-2021",
            anno_inizio=2019,
            anno_fine=2021,
            approvato=True,
        ),
        settore_a=settore_a,
        settore_b=settore_b,
        senza_ruolo=UserFactory(username=f"senza-ruolo-{slug}"),
        segreteria=utente(comune, T.SEGRETERIA, username=f"segreteria-{slug}"),
        responsabile_a=utente(
            comune, T.RESPONSABILE, [settore_a], username=f"responsabile-a-{slug}"
        ),
        responsabile_b=utente(
            comune, T.RESPONSABILE, [settore_b], username=f"responsabile-b-{slug}"
        ),
        oiv=utente(comune, T.OIV, username=f"oiv-{slug}"),
        lettore=utente(comune, T.LETTORE, username=f"lettore-{slug}"),
        estraneo=utente(altro_comune, T.SEGRETERIA, username=f"estraneo-{slug}"),
        superuser=UserFactory(username=f"admin-{slug}", superuser=True),
    )


@pytest.fixture
def ente(db) -> Ente:
    """``crea_ente()``: comune «borgo» with its users, see ``Ente``."""
    return crea_ente()
