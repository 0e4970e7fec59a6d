from django.conf import settings
from django.db import models

from .obiettivo import Obiettivo


class CambioStato(models.Model):
    """One move of the workflow: who, when, from what to what, and why."""

    percorso_comune = "obiettivo__piano__comune"

    obiettivo = models.ForeignKey(
        Obiettivo, on_delete=models.CASCADE, related_name="cambi_stato", verbose_name="obiettivo"
    )
    azione = models.CharField("azione", max_length=30)
    da = models.CharField("da", max_length=16, choices=Obiettivo.Stato.choices)
    a = models.CharField("a", max_length=16, choices=Obiettivo.Stato.choices)
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="utente"
    )
    quando = models.DateTimeField("quando")
    motivazione = models.TextField("motivazione", blank=True)

    class Meta:
        verbose_name = "cambio di stato"
        verbose_name_plural = "cambi di stato"
        ordering = ["obiettivo_id", "quando", "id"]

    def __str__(self):
        return f"{self.obiettivo.codice}: {self.get_da_display()} → {self.get_a_display()}"
