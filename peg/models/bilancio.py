"""The national budget classification (D.Lgs 118/2011, allegato 14): missioni and
programmi, loaded as data by migration peg.0002."""

from django.db import models


def voce(codice: str, denominazione: str) -> str:
    """How a missione or a programma is named («12.02 Interventi per la disabilità»)."""
    return f"{codice} {denominazione}"


def scelte_del_catalogo(model) -> list[tuple[int, str]]:
    """(id, name) of a catalogue's entries (Missione, Programma) in their order, read as
    values: a form's choices without building a model instance per entry."""
    righe = model.objects.values_list("pk", "codice", "denominazione")
    return [(pk, voce(codice, denominazione)) for pk, codice, denominazione in righe]


class Missione(models.Model):
    """Missione of the national budget classification (D.Lgs 118/2011, allegato 14)."""

    codice = models.CharField("codice", max_length=2, unique=True)
    denominazione = models.CharField("denominazione", max_length=200)

    class Meta:
        verbose_name = "missione (D.Lgs 118/2011)"
        verbose_name_plural = "missioni (D.Lgs 118/2011)"
        ordering = ["codice"]

    def __str__(self):
        return voce(self.codice, self.denominazione)


class Programma(models.Model):
    missione = models.ForeignKey(
        Missione, on_delete=models.PROTECT, related_name="programmi", verbose_name="missione"
    )
    codice = models.CharField("codice", max_length=5, unique=True, help_text="Es. 12.02")
    denominazione = models.CharField("denominazione", max_length=200)

    class Meta:
        verbose_name = "programma (D.Lgs 118/2011)"
        verbose_name_plural = "programmi (D.Lgs 118/2011)"
        ordering = ["codice"]

    def __str__(self):
        return voce(self.codice, self.denominazione)
