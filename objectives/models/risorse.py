from django.core.exceptions import ValidationError
from django.db import models

from peg.fields import importo_field, percentuale_validators, range_0_100
from peg.models import Persona
from peg.storia import Storia

from .obiettivo import Obiettivo


class RisorsaFinanziaria(models.Model):
    """A budget chapter assigned to the obiettivo (capitolo / articolo)."""

    percorso_comune = "obiettivo__piano__comune"

    class Tipo(models.TextChoices):
        SPESA = "spesa", "Spesa"
        ENTRATA = "entrata", "Entrata"

    class Natura(models.TextChoices):
        PREVISTA = "prevista", "Prevista"
        EFFETTIVA = "effettiva", "Effettiva"

    obiettivo = models.ForeignKey(
        Obiettivo,
        on_delete=models.CASCADE,
        related_name="risorse_finanziarie",
        verbose_name="obiettivo",
    )
    capitolo = models.CharField("capitolo", max_length=30, blank=True)
    articolo = models.CharField("articolo", max_length=30, blank=True)
    descrizione = models.CharField("descrizione", max_length=300, blank=True)
    importo = importo_field()
    tipo = models.CharField("entrata/spesa", max_length=8, choices=Tipo.choices, default=Tipo.SPESA)
    natura = models.CharField(
        "prevista/effettiva", max_length=10, choices=Natura.choices, default=Natura.PREVISTA
    )
    quota_parte = models.BooleanField("quota parte", default=False)
    testo = models.CharField("come stampato", max_length=300, blank=True)
    ordine = models.PositiveIntegerField("ordine", default=0)
    history = Storia(verbose_name="storico della risorsa finanziaria")

    class Meta:
        verbose_name = "risorsa finanziaria"
        verbose_name_plural = "risorse finanziarie"
        ordering = ["obiettivo_id", "tipo", "natura", "ordine", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(importo__isnull=True) | models.Q(importo__gte=0),
                name="risorsa_importo_non_negativo",
                violation_error_message="Risorsa finanziaria: l'importo non può essere negativo.",
            )
        ]

    def __str__(self):
        return f"Cap. {self.capitolo} {self.descrizione}".strip()


class RisorsaUmana(models.Model):
    percorso_comune = "obiettivo__piano__comune"

    obiettivo = models.ForeignKey(
        Obiettivo, on_delete=models.CASCADE, related_name="risorse_umane", verbose_name="obiettivo"
    )
    persona = models.ForeignKey(
        Persona, on_delete=models.PROTECT, related_name="impieghi", verbose_name="persona"
    )
    percentuale_impiego = models.DecimalField(
        "impiego (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=percentuale_validators("Impiego"),
    )
    ordine = models.PositiveIntegerField("ordine", default=0)
    history = Storia(verbose_name="storico della risorsa umana")

    class Meta:
        verbose_name = "risorsa umana"
        verbose_name_plural = "risorse umane"
        ordering = ["obiettivo_id", "ordine", "id"]
        constraints = [
            range_0_100("percentuale_impiego", "risorsa_umana_impiego_0_100", "L'impiego"),
            models.UniqueConstraint(
                fields=["obiettivo", "persona"],
                name="risorsa_umana_unica",
                violation_error_message="Questa persona è già tra le risorse umane dell'obiettivo.",
            ),
        ]

    def __str__(self):
        return str(self.persona)

    def clean(self):
        if (
            self.persona_id
            and self.obiettivo_id
            and self.persona.comune_id != self.obiettivo.piano.comune_id
        ):
            raise ValidationError({"persona": "La persona appartiene a un altro comune."})


class RisorsaStrumentale(models.Model):
    percorso_comune = "obiettivo__piano__comune"

    class Tipo(models.TextChoices):
        SPAZI = "spazi", "Spazi a disposizione"
        INFORMATICA = "informatica", "Dotazione informatica"
        ALTRO = "altro", "Altro"

    obiettivo = models.ForeignKey(
        Obiettivo,
        on_delete=models.CASCADE,
        related_name="risorse_strumentali",
        verbose_name="obiettivo",
    )
    tipo = models.CharField("tipo", max_length=12, choices=Tipo.choices)
    descrizione = models.TextField("descrizione")
    history = Storia(verbose_name="storico della risorsa strumentale")

    class Meta:
        verbose_name = "risorsa strumentale"
        verbose_name_plural = "risorse strumentali"
        ordering = ["obiettivo_id", "tipo", "id"]

    def __str__(self):
        return f"{self.get_tipo_display()}: {self.descrizione[:50]}"
