"""The national budget classification (D.Lgs 118/2011, allegato 14): missioni and
programmi, loaded as data by migration peg.0002."""

from django.db import models


class Missione(models.Model):
    """Missione of the national budget classification (D.Lgs 118/2011, allegato 14)."""

    codice = models.CharField("codice", max_length=2, unique=True)
    denominazione = models.CharField("denominazione", max_length=200)

    class Meta:
        verbose_name = "missione (D.Lgs 118/2011)"
        verbose_name_plural = "missioni (D.Lgs 118/2011)"
        ordering = ["codice"]

    def __str__(self):
        return f"{self.codice} {self.denominazione}"


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
        return f"{self.codice} {self.denominazione}"
