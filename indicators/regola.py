"""Graduazione text and its structured rule, kept together on indicatori and fasi."""

import json
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models

from .engine.graduation import GraduationSyntaxError, Rule, parse


class ConGraduazione(models.Model):
    """The graduazione exactly as written, and the rule read from it.

    With a text, the rule always follows the text (saved on every save). Without a
    text, the structured rule may be entered directly; without either, the piano's
    default rule applies.
    """

    graduazione = models.TextField(
        "graduazione del conseguimento",
        blank=True,
        help_text="Il testo esattamente come nella scheda.",
    )
    regola = models.JSONField(
        "regola strutturata",
        null=True,
        blank=True,
        help_text="Letta dal testo della graduazione; modificabile solo se il testo è vuoto.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.aggiorna_regola()
        super().save(*args, **kwargs)

    def aggiorna_regola(self) -> None:
        """The rule read from the text (also before a bulk insert, which skips save())."""
        if self.graduazione.strip():
            try:
                self.regola = parse(self.graduazione).to_dict()
            except GraduationSyntaxError:
                self.regola = None  # full_clean refuses it; raw saves keep no stale rule

    def clean(self):
        super().clean()
        try:
            self._leggi_regola()
        except GraduationSyntaxError as exc:
            raise ValidationError({"graduazione": f"Graduazione non leggibile: {exc}"}) from exc
        except ValueError as exc:
            raise ValidationError({"regola": f"Regola non valida: {exc}"}) from exc

    def _leggi_regola(self) -> Rule | None:
        if self.graduazione.strip():
            rule = parse(self.graduazione)
            self.regola = rule.to_dict()
            return rule
        return Rule.from_dict(self.regola) if self.regola else None

    def regola_letta(self) -> Rule | None:
        """The stored rule, or None (piano default applies).

        A text with no stored rule is read again, so an unreadable text raises
        GraduationSyntaxError instead of falling back to the default in silence."""
        if self.regola:
            return _da_json(json.dumps(self.regola, sort_keys=True))
        return parse(self.graduazione) if self.graduazione.strip() else None

    def lettura(self) -> str:
        """The rule in canonical Italian, or why the text cannot be read."""
        try:
            rule = self.regola_letta()
        except (GraduationSyntaxError, ValueError) as exc:
            return f"Graduazione non leggibile: {exc}"
        return rule.describe() if rule else ""


@lru_cache(maxsize=1024)
def _da_json(data: str) -> Rule:
    # Plans repeat a handful of rules thousands of times: build each once.
    return Rule.from_dict(json.loads(data))
