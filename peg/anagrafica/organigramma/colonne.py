"""The organigramma's file: its sheets and columns as the template writes them and the
reader finds them, and the values some columns take."""

from dataclasses import dataclass

from ...importazione import normalizza
from ...models import Persona, Ruolo, Servizio, Settore

SETTORI = "Settori"
PERSONE = "Persone"
ISTRUZIONI = "Istruzioni"


def lunghezza(modello, campo: str) -> int | None:
    """The longest text the model's field holds: the checks follow the model."""
    return modello._meta.get_field(campo).max_length


@dataclass(frozen=True)
class Colonna:
    chiave: str
    intestazione: str  # as the template writes it and the errors name it
    obbligatoria: bool = False
    # Other headers read as this column (what an export of the personnel office calls it).
    alias: tuple[str, ...] = ()
    massimo: int | None = None  # characters, from the model's field
    aiuto: str = ""  # the template's hint when the cell is selected


COLONNE: dict[str, tuple[Colonna, ...]] = {
    SETTORI: (
        Colonna(
            "codice",
            "Codice",
            massimo=lunghezza(Settore, "codice"),
            aiuto="Es. VI, 08_S. La colonna Settore del foglio Persone lo usa.",
        ),
        Colonna(
            "nome",
            "Denominazione",
            obbligatoria=True,
            alias=("nome",),
            massimo=lunghezza(Settore, "nome"),
            aiuto="Obbligatoria, una sola volta nel comune.",
        ),
        Colonna("tipo", "Tipo", aiuto="Vuoto: Settore."),
        Colonna("descrizione", "Materie", alias=("materie del settore",)),
        Colonna(
            "servizi",
            "Servizi",
            alias=("servizi del settore",),
            aiuto="Separati da ; nell'ordine delle stampe.",
        ),
    ),
    PERSONE: (
        Colonna(
            "matricola",
            "Matricola",
            obbligatoria=True,
            massimo=lunghezza(Persona, "matricola"),
            aiuto="Obbligatoria: riconosce la persona alla prossima importazione.",
        ),
        Colonna(
            "nome",
            "Nome e cognome",
            obbligatoria=True,
            alias=("nome", "cognome e nome", "nominativo"),
            massimo=lunghezza(Persona, "nome"),
            aiuto="Obbligatorio, come lo stampano le schede.",
        ),
        Colonna(
            "email",
            "E-mail",
            alias=("email", "e mail", "posta elettronica"),
            massimo=lunghezza(Persona, "email"),
            aiuto="Serve a chi riceve un ruolo: l'invito arriva lì.",
        ),
        Colonna("area", "Area", alias=("area ccnl",), aiuto="L'area del CCNL 2019-2021."),
        Colonna(
            "profilo",
            "Profilo",
            alias=("profilo professionale",),
            massimo=lunghezza(Persona, "profilo"),
            aiuto="Es. Istruttore amministrativo.",
        ),
        Colonna(
            "categoria",
            "Categoria",
            alias=("categoria (ordinamento precedente)",),
            massimo=lunghezza(Persona, "categoria"),
            aiuto="Ordinamento precedente, es. D3.",
        ),
        Colonna(
            "settore",
            "Settore",
            aiuto="Il codice del settore in cui lavora (o la denominazione, se non ha codice).",
        ),
        Colonna(
            "responsabile",
            "Responsabile del settore",
            alias=("responsabile",),
            aiuto="sì se dirige il settore della riga.",
        ),
        Colonna(
            "ruoli",
            "Ruoli",
            aiuto="segreteria, responsabile, oiv, lettore; più ruoli separati da ;",
        ),
    ),
}

SERVIZIO_MASSIMO = lunghezza(Servizio, "nome")

# The yes/no column: what Excel or a person writes (a checkbox column exported as
# VERO/FALSO, TRUE/FALSE, x).
SI = {"sì", "si", "s", "x", "1", "vero", "true", "yes"}
NO = {"no", "n", "0", "falso", "false"}


def scelte(choices) -> dict[str, str]:
    """{label or code, normalised: code} of a model's choices."""
    risultato = {}
    for codice, etichetta in choices:
        risultato[normalizza(codice)] = codice
        risultato[normalizza(etichetta)] = codice
    return risultato


AREE = scelte(Persona.Area.choices)
# How the CCNL 2019-2021 and the offices write the areas (art. 12: «Area degli
# Istruttori», «Area dei Funzionari e dell'Elevata Qualificazione»; «EQ» for short).
AREE |= {
    normalizza(alias): codice
    for codice, alias in [
        (Persona.Area.OPERATORI, "area degli operatori"),
        (Persona.Area.OPERATORI_ESPERTI, "area degli operatori esperti"),
        (Persona.Area.ISTRUTTORI, "area degli istruttori"),
        (Persona.Area.FUNZIONARI, "funzionari ed eq"),
        (Persona.Area.FUNZIONARI, "funzionari e eq"),
        (Persona.Area.FUNZIONARI, "funzionari e elevata qualificazione"),
        (Persona.Area.FUNZIONARI, "area dei funzionari e dell'elevata qualificazione"),
        (Persona.Area.FUNZIONARI, "area dei funzionari e dell’elevata qualificazione"),
    ]
}
TIPI = scelte(Settore.Tipo.choices)
RUOLI = scelte(Ruolo.Tipo.choices)
ETICHETTE_AREE = ", ".join(Persona.Area.labels)
ETICHETTE_TIPI = ", ".join(Settore.Tipo.labels)
CODICI_RUOLI = ", ".join(Ruolo.Tipo.values)
