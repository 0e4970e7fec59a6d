"""A row's full validation without a query per row: ``full_clean`` as Django does it,
with the models' check constraints evaluated in memory.

Django checks a ``CheckConstraint`` by asking the database (``SELECT 1 WHERE …``): one
query per constraint per row, 58,000 for a plan of 1,500 schede. The constraints of the
schede are simple conditions on the row's own fields (``isnull``, comparisons with a
number or another field, joined by AND/OR/NOT): they are evaluated here the way SQL
does, NULL included (a comparison with NULL is unknown, and an unknown result passes,
as Django's ``Coalesce(condition, True)``), with the same messages. A condition this
module does not know goes to Django's check, as before. Unique constraints go to Django
as before, which skips them without a query: each names the row's parent (obiettivo,
piano, indicatore), left out of the row's validation. The import itself matches each
row to the saved one it updates (schede by codice and anno, indicatori and fasi by
numero, risorse umane by persona, rilevazioni by indicatore and tipo) and refuses
duplicates within the file, so a row never collides with another.
"""

import operator

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.db.models import CheckConstraint, F, Q

CONFRONTI = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


class NonValutabile(Exception):
    """A condition this module does not evaluate: Django's check decides."""


class Escluso(Exception):
    """The condition names an excluded field: Django skips the constraint (FieldError)."""


def full_clean(istanza, escludi=()) -> None:
    """``istanza.full_clean(exclude=escludi, validate_unique=False)``: the same errors
    in the same order, without a query for the check constraints."""
    escludi = set(escludi)
    errori: dict = {}
    try:
        istanza.full_clean(exclude=escludi, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errori = exc.update_error_dict(errori)
    # As Django: a field that failed is not checked again by the constraints.
    escludi |= {nome for nome in errori if nome != NON_FIELD_ERRORS}
    for modello, vincoli in istanza.get_constraints():
        for vincolo in vincoli:
            try:
                _verifica(vincolo, modello, istanza, escludi)
            except ValidationError as exc:
                # As Model.validate_constraints.
                campi = getattr(vincolo, "fields", ())
                if getattr(exc, "code", None) == "unique" and len(campi) == 1:
                    errori.setdefault(campi[0], []).append(exc)
                else:
                    errori = exc.update_error_dict(errori)
    if errori:
        raise ValidationError(errori)


def _verifica(vincolo, modello, istanza, escludi: set) -> None:
    if isinstance(vincolo, CheckConstraint) and connection.features.supports_comparing_boolean_expr:
        try:
            if valuta(vincolo.condition, istanza, escludi) is False:
                raise ValidationError(
                    vincolo.get_violation_error_message(), code=vincolo.violation_error_code
                )
            return
        except Escluso:
            return
        except NonValutabile:
            pass
    vincolo.validate(modello, istanza, exclude=escludi)


def valuta(condizione: Q, istanza, escludi=frozenset()) -> bool | None:
    """The condition on the instance, SQL's way: True, False or None (unknown)."""
    risultati = [_figlio(figlio, istanza, escludi) for figlio in condizione.children]
    if condizione.connector == Q.AND:
        valore = False if False in risultati else (None if None in risultati else True)
    elif condizione.connector == Q.OR:
        valore = True if True in risultati else (None if None in risultati else False)
    else:
        raise NonValutabile(condizione.connector)
    if condizione.negated:
        return None if valore is None else not valore
    return valore


def _figlio(figlio, istanza, escludi) -> bool | None:
    if isinstance(figlio, Q):
        return valuta(figlio, istanza, escludi)
    if not isinstance(figlio, tuple):
        raise NonValutabile(figlio)
    percorso, atteso = figlio
    campo, _, lookup = percorso.partition("__")
    lookup = lookup or "exact"
    valore = _campo(istanza, campo, escludi)
    if lookup == "exact" and atteso is None:
        lookup, atteso = "isnull", True  # as Django reads field=None
    if lookup == "isnull" and isinstance(atteso, bool):
        return (valore is None) == atteso
    if isinstance(atteso, F):
        atteso = _campo(istanza, atteso.name, escludi)
    elif hasattr(atteso, "resolve_expression") or isinstance(atteso, bool | str):
        raise NonValutabile(atteso)  # SQL's booleans and collations: Django's check
    if lookup not in CONFRONTI:
        raise NonValutabile(lookup)
    if valore is None or atteso is None:
        return None
    try:
        return CONFRONTI[lookup](valore, atteso)
    except TypeError:
        raise NonValutabile(percorso) from None


def _campo(istanza, nome: str, escludi):
    """A concrete, non-relational field of the instance (what the constraints name)."""
    if "__" in nome:
        raise NonValutabile(nome)
    campo = istanza._meta.get_field(nome)
    if campo.is_relation or not campo.concrete:
        raise NonValutabile(nome)
    if nome in escludi:
        raise Escluso(nome)
    return getattr(istanza, campo.attname)
