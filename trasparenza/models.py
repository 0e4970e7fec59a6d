"""A publication in «Amministrazione trasparente › Performance» (D.Lgs 33/2013 art. 10
c. 8, art. 20): what the segreteria made public, when, under which delibera, and its
withdrawal with the reason. Rows are never deleted: a withdrawn publication stays, with
its history, as the record of what was online and when."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from peg.models import Comune, Piano
from peg.storia import Storia

# Art. 8 c. 3: five years from the 1st of January after the year the obligation starts.
ANNI_DI_PUBBLICAZIONE = 5


class Pubblicazione(models.Model):
    percorso_comune = "comune"

    class Tipo(models.TextChoices):
        PIANO = "piano", "Piano della performance"
        RELAZIONE = "relazione", "Relazione sulla performance"
        SISTEMA = "sistema", "Sistema di misurazione e valutazione della performance"
        PREMI_AMMONTARE = "premi_ammontare", "Ammontare complessivo dei premi"
        PREMI_DATI = "premi_dati", "Dati relativi ai premi"
        # Controlli e rilievi sull'amministrazione (art. 31): the Nucleo's documento.
        VALIDAZIONE = (
            "validazione",
            "Documento dell'OIV di validazione della Relazione sulla performance",
        )

    comune = models.ForeignKey(
        Comune, on_delete=models.CASCADE, related_name="pubblicazioni", verbose_name="comune"
    )
    # A piano with publications is deleted only with its comune (RESTRICT): the record of
    # what was online stays while the comune exists.
    piano = models.ForeignKey(
        Piano, on_delete=models.RESTRICT, related_name="pubblicazioni", verbose_name="piano"
    )
    anno = models.PositiveSmallIntegerField("anno delle schede")
    tipo = models.CharField("documento", max_length=20, choices=Tipo.choices)
    data_pubblicazione = models.DateField("data di pubblicazione", default=timezone.localdate)
    delibera_numero = models.CharField("delibera n.", max_length=30, blank=True)
    delibera_data = models.DateField("delibera del", null=True, blank=True)
    pubblicata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="pubblicata da",
    )
    ritirata_il = models.DateField("ritirata il", null=True, blank=True)
    motivo_ritiro = models.TextField("motivo del ritiro", blank=True)
    ritirata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ritirata da",
    )
    history = Storia(verbose_name="storico della pubblicazione")

    class Meta:
        verbose_name = "pubblicazione"
        verbose_name_plural = "pubblicazioni"
        ordering = ["comune_id", "-anno", "tipo", "-data_pubblicazione", "-pk"]
        constraints = [
            models.UniqueConstraint(
                # One document per comune, year and kind: the public URLs go by year.
                fields=["comune", "anno", "tipo"],
                condition=Q(ritirata_il__isnull=True),
                name="pubblicazione_una_in_vigore",
                violation_error_message="Questo documento è già pubblicato per quest'anno.",
            ),
            models.CheckConstraint(
                condition=Q(ritirata_il__isnull=True) | ~Q(motivo_ritiro=""),
                name="pubblicazione_ritiro_motivato",
                violation_error_message="Una pubblicazione si ritira solo dicendo perché.",
            ),
        ]

    def __str__(self):
        return f"{self.get_tipo_display()} {self.anno} ({self.comune.nome})"

    @property
    def in_vigore(self) -> bool:
        return self.ritirata_il is None

    @property
    def fine_obbligo(self) -> date:
        """The last day the publication must stay online (art. 8 c. 3)."""
        return date(self.data_pubblicazione.year + ANNI_DI_PUBBLICAZIONE, 12, 31)
