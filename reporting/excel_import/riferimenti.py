"""What a cell names rather than holds: the DUP's nodes, missione and programma, the
ambiti, the persone of the risorse umane — each found among those of the piano and its
comune, loaded once for the whole file (no query per row), or the Italian reason not.

A persona is found by matricola within the comune, else (no matricola written) by name;
a DUP node by its codice, alone or followed by its denominazione (as exported); a
missione or programma by its codice («12», «12.02») or its denominazione; an ambito by
its number, alone or followed by its text.
"""

import re
from collections import defaultdict

from indicators.engine.formatting import breve
from objectives.models import AmbitoPerformance
from peg.access import nel_comune
from peg.models import Missione, NodoDUP, Persona, Programma

from .celle import CellaNonValida

# A value quoted in a message is cut at this length.
CITAZIONE = 60
NUMERO_INIZIALE = re.compile(r"^(\d+(?:\.\d+)*)(?=$|[\s.)\-–:])")
SOLO_NUMERI = re.compile(r"^[\d\s,;]+$")


def _cita(testo: str) -> str:
    return f"«{breve(testo, CITAZIONE)}»"


def _parole(testo: str) -> str:
    return " ".join(str(testo).split()).casefold()


def _codice(testo: str) -> tuple | str:
    """«12», «012» and «12.02» compared by their numbers; other codes as written."""
    testo = testo.strip()
    if re.fullmatch(r"\d+(\.\d+)*", testo):
        return tuple(int(p) for p in testo.split("."))
    return testo.casefold()


class Riferimenti:
    def __init__(self, piano):
        self.comune = piano.comune
        self.nodi = {_parole(n.codice): n for n in NodoDUP.objects.filter(piano=piano)}
        self.missioni = list(Missione.objects.all())
        self.programmi = list(Programma.objects.all())
        self.ambiti = {a.numero: a for a in AmbitoPerformance.objects.all()}
        self.per_matricola: dict = {}
        self.per_nome: dict = defaultdict(list)
        for p in nel_comune(Persona.objects.all(), self.comune):
            if p.matricola.strip():
                self.per_matricola[_parole(p.matricola)] = p
            self.per_nome[_parole(p.nome)].append(p)
        # What a changed link reads as in the list of changes (no query to name it).
        self.nomi = {(Missione, m.pk): str(m) for m in self.missioni}
        self.nomi |= {(Programma, p.pk): str(p) for p in self.programmi}

    # -- one object ------------------------------------------------------------------

    def _classificazione(self, testo: str, oggetti: list, cosa: str, esempio: str):
        if not testo:
            return None
        iniziale = NUMERO_INIZIALE.match(testo)
        if iniziale:
            chiave = _codice(iniziale.group(1))
            trovati = [o for o in oggetti if _codice(o.codice) == chiave]
        else:
            trovati = [o for o in oggetti if _parole(o.denominazione) == _parole(testo)]
        if len(trovati) == 1:
            return trovati[0]
        raise CellaNonValida(
            f"{_cita(testo)} non è {cosa} del D.Lgs 118/2011: scrivi il codice (per esempio "
            f"«{esempio}») o la denominazione."
        )

    def missione(self, testo: str):
        return self._classificazione(testo, self.missioni, "una missione", "12")

    def programma(self, testo: str):
        return self._classificazione(testo, self.programmi, "un programma", "12.02")

    def persona(self, matricola: str, nome: str, gia=frozenset()) -> tuple[Persona, str]:
        """The persona and the column that found it; CellaNonValida (its message, with
        the column as its second argument) when none or several. Of namesakes, the one
        already among the scheda's risorse umane (``gia``: persona ids) is meant."""
        matricola, nome = matricola.strip(), " ".join(nome.split())
        if matricola:
            trovata = self.per_matricola.get(_parole(matricola))
            if trovata is None:
                raise CellaNonValida(
                    f"nessuna persona del {self.comune} ha la matricola {_cita(matricola)} "
                    "(le persone si aggiungono dall'amministrazione).",
                    "MATRICOLA",
                )
            return trovata, "MATRICOLA"
        if not nome:
            raise CellaNonValida("scrivi la matricola o il cognome e nome della persona.", "NOME")
        trovate = self.per_nome.get(_parole(nome), [])
        if not trovate:
            raise CellaNonValida(
                f"nessuna persona del {self.comune} si chiama {_cita(nome)} (le persone si "
                "aggiungono dall'amministrazione).",
                "NOME",
            )
        if len(trovate) > 1:
            trovate = [p for p in trovate if p.pk in gia] or trovate
        if len(trovate) > 1:
            matricole = [p.matricola for p in trovate if p.matricola]
            come = (
                f"(matricole: {', '.join(matricole)}): scrivi la matricola."
                if matricole
                else "e nessuna ha la matricola: assegnala dall'amministrazione e scrivila qui."
            )
            raise CellaNonValida(
                f"nel {self.comune} ci sono {len(trovate)} persone di nome {_cita(nome)} {come}",
                "NOME",
            )
        return trovate[0], "NOME"

    # -- lists, one a line ---------------------------------------------------------------

    def nodi_dup(self, righe: tuple) -> list[NodoDUP]:
        trovati = []
        for riga in righe:
            nodo = self._nodo(riga)
            parti = [p.strip() for p in riga.split(";") if p.strip()]
            if nodo is not None:
                trovati.append(nodo)
            elif len(parti) > 1 and all(self._nodo(p) for p in parti):
                trovati += [self._nodo(p) for p in parti]
            else:
                esempi = ", ".join(f"«{n.codice}»" for n in list(self.nodi.values())[:3])
                dove = f" (per esempio {esempi})" if esempi else " (il piano non ne ha)"
                raise CellaNonValida(
                    f"{_cita(riga)} non è un nodo del DUP del piano: scrivi il suo codice{dove}, "
                    "uno per riga."
                )
        return _senza_doppi(trovati)

    def _nodo(self, riga: str) -> NodoDUP | None:
        testo = _parole(riga)
        if testo in self.nodi:
            return self.nodi[testo]
        # «1.2 Proteggere, garantire…»: the longest codice the line begins with.
        candidati = [c for c in self.nodi if testo.startswith(c + " ")]
        return self.nodi[max(candidati, key=len)] if candidati else None

    def ambiti_scelti(self, righe: tuple) -> list[AmbitoPerformance]:
        trovati = []
        descrizioni = {_parole(a.descrizione): n for n, a in self.ambiti.items()}
        for riga in righe:
            if SOLO_NUMERI.match(riga):
                numeri = [int(n) for n in re.findall(r"\d+", riga)]
            else:
                iniziale = NUMERO_INIZIALE.match(riga)
                numero = (
                    int(iniziale.group(1)) if iniziale and iniziale.group(1).isdigit() else None
                )
                numeri = [numero if numero is not None else descrizioni.get(_parole(riga))]
            for numero in numeri:
                if numero not in self.ambiti:
                    raise CellaNonValida(
                        f"{_cita(riga)} non è un ambito della performance organizzativa: scrivi "
                        f"il suo numero (da 1 a {max(self.ambiti, default=10)}), uno per riga."
                    )
                trovati.append(self.ambiti[numero])
        return sorted(_senza_doppi(trovati), key=lambda a: a.numero)


def _senza_doppi(oggetti: list) -> list:
    visti, uscita = set(), []
    for o in oggetti:
        if o.pk not in visti:
            visti.add(o.pk)
            uscita.append(o)
    return uscita
