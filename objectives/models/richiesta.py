from django.conf import settings
from django.db import models
from django.db.models import Q

from .obiettivo import Obiettivo
from .variazione import Variazione


class RichiestaVariazione(models.Model):
    """A responsabile asks the segreteria to change an approved scheda: what and why.

    Accepted, the change is made as a variazione (``objectives.modifiche``) and the
    request points to it; refused, it keeps the reason. The rules: ``objectives.richieste``."""

    percorso_comune = "obiettivo__piano__comune"

    class Stato(models.TextChoices):
        IN_ATTESA = "in_attesa", "In attesa"
        ACCOLTA = "accolta", "Accolta"
        RESPINTA = "respinta", "Respinta"

    obiettivo = models.ForeignKey(
        Obiettivo,
        on_delete=models.CASCADE,
        related_name="richieste_variazione",
        verbose_name="obiettivo",
    )
    indicatore = models.ForeignKey(
        "indicators.Indicatore",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="indicatore",
    )
    fase = models.ForeignKey(
        "objectives.Fase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="fase",
    )
    cosa = models.TextField("che cosa cambiare")
    motivazione = models.TextField("perché")
    stato = models.CharField("stato", max_length=10, choices=Stato.choices, default=Stato.IN_ATTESA)
    richiesta_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="richiesta da",
    )
    richiesta_il = models.DateTimeField("richiesta il")
    decisa_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="decisa da",
    )
    decisa_il = models.DateTimeField("decisa il", null=True, blank=True)
    risposta = models.TextField("risposta della segreteria", blank=True)
    delibera_numero = models.CharField("delibera n.", max_length=30, blank=True)
    delibera_data = models.DateField("delibera del", null=True, blank=True)
    variazione = models.ForeignKey(
        Variazione,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="richieste",
        verbose_name="variazione registrata",
    )

    class Meta:
        verbose_name = "richiesta di variazione"
        verbose_name_plural = "richieste di variazione"
        ordering = ["obiettivo_id", "-richiesta_il", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stato="respinta") | ~Q(risposta=""),
                name="richiesta_respinta_con_motivo",
                violation_error_message="Una richiesta respinta dice perché.",
            ),
        ]

    def __str__(self):
        return (
            f"Richiesta di variazione di {self.obiettivo.codice} del {self.richiesta_il:%d/%m/%Y}"
        )
