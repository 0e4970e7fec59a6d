"""The PIAO's own data, beside the schede (never a field on ``objectives``): the
outcomes of valore pubblico (2.1) with their impact indicators and the obiettivi that
contribute, and the tags of each scheda (``temi``)."""

from django.core.exceptions import ValidationError
from django.db import models

from objectives.models import Obiettivo
from peg.models import Piano

from .temi import SCELTE


def _decimale(nome: str) -> models.DecimalField:
    return models.DecimalField(nome, max_digits=14, decimal_places=2, null=True, blank=True)


class Outcome(models.Model):
    """An outcome of valore pubblico (sottosezione 2.1) for the years of a piano."""

    percorso_comune = "piano__comune"

    piano = models.ForeignKey(
        Piano, on_delete=models.CASCADE, related_name="outcomes", verbose_name="piano"
    )
    titolo = models.CharField("valore pubblico atteso", max_length=300)
    descrizione = models.TextField("descrizione", blank=True)
    ordine = models.PositiveSmallIntegerField("ordine", default=0)
    obiettivi = models.ManyToManyField(
        Obiettivo,
        blank=True,
        related_name="outcomes_piao",
        verbose_name="obiettivi che contribuiscono",
    )

    class Meta:
        verbose_name = "outcome di valore pubblico"
        verbose_name_plural = "outcome di valore pubblico"
        ordering = ["piano_id", "ordine", "id"]

    def __str__(self):
        return self.titolo


class IndicatoreImpatto(models.Model):
    """How an outcome is measured: baseline and target of an impact indicator."""

    percorso_comune = "outcome__piano__comune"

    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="indicatori", verbose_name="outcome"
    )
    descrizione = models.CharField("indicatore di impatto", max_length=300)
    baseline = _decimale("baseline")
    target = _decimale("target")
    unita = models.CharField("unità di misura", max_length=60, blank=True)
    ordine = models.PositiveSmallIntegerField("ordine", default=0)

    class Meta:
        verbose_name = "indicatore di impatto"
        verbose_name_plural = "indicatori di impatto"
        ordering = ["outcome_id", "ordine", "id"]

    def __str__(self):
        return self.descrizione


class TemaObiettivo(models.Model):
    """A scheda tagged with an ambito of art. 8 or a PIAO theme (``piao.temi``)."""

    percorso_comune = "obiettivo__piano__comune"

    obiettivo = models.ForeignKey(
        Obiettivo, on_delete=models.CASCADE, related_name="temi_piao", verbose_name="obiettivo"
    )
    tema = models.CharField("tema", max_length=30, choices=SCELTE)

    class Meta:
        verbose_name = "tema PIAO dell'obiettivo"
        verbose_name_plural = "temi PIAO degli obiettivi"
        ordering = ["obiettivo_id", "tema"]
        constraints = [
            models.UniqueConstraint(
                fields=["obiettivo", "tema"],
                name="piao_tema_unico",
                violation_error_message="L'obiettivo ha già questo tema.",
            )
        ]

    def __str__(self):
        return f"{self.obiettivo.codice}: {self.get_tema_display()}"

    def clean(self):
        if self.tema and self.tema not in dict(SCELTE):
            raise ValidationError({"tema": "Tema sconosciuto."})
