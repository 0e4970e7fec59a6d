from django.conf import settings
from django.db import models

from .obiettivo import Obiettivo


class Variazione(models.Model):
    """A change of an approved scheda: who, when, why, and what changed (listed on the scheda)."""

    percorso_comune = "obiettivo__piano__comune"

    obiettivo = models.ForeignKey(
        Obiettivo, on_delete=models.CASCADE, related_name="variazioni", verbose_name="obiettivo"
    )
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="utente"
    )
    quando = models.DateTimeField("quando")
    stato = models.CharField("nello stato", max_length=16, choices=Obiettivo.Stato.choices)
    motivazione = models.TextField("motivazione")
    riepilogo = models.TextField("modifiche", blank=True)

    class Meta:
        verbose_name = "variazione"
        verbose_name_plural = "variazioni"
        ordering = ["obiettivo_id", "quando", "id"]

    def __str__(self):
        return f"Variazione di {self.obiettivo.codice} del {self.quando:%d/%m/%Y}"
