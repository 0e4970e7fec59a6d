"""Generated books: a Stampa is one request for the whole-piano PDF, built in the background."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from peg.models import Piano


class Stampa(models.Model):
    percorso_comune = "piano__comune"

    class Tipo(models.TextChoices):
        PIANO = "piano", "Intero piano"

    class Stato(models.TextChoices):
        IN_CODA = "in_coda", "In coda"
        IN_CORSO = "in_corso", "In corso"
        PRONTA = "pronta", "Pronta"
        ERRORE = "errore", "Errore"

    ATTIVI = (Stato.IN_CODA, Stato.IN_CORSO)

    piano = models.ForeignKey(
        Piano, on_delete=models.CASCADE, related_name="stampe", verbose_name="piano"
    )
    anno = models.PositiveSmallIntegerField("anno")
    tipo = models.CharField("tipo", max_length=20, choices=Tipo.choices, default=Tipo.PIANO)
    richiesta_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stampe",
        verbose_name="richiesta da",
    )
    richiesta_il = models.DateTimeField("richiesta il", default=timezone.now)
    stato = models.CharField("stato", max_length=20, choices=Stato.choices, default=Stato.IN_CODA)
    fatti = models.PositiveIntegerField("schede fatte", default=0)
    totale = models.PositiveIntegerField("schede in tutto", default=0)
    # Relative to settings.STAMPE_ROOT (private: served only by the checked view).
    file = models.CharField("file", max_length=255, blank=True)
    errore = models.TextField("errore", blank=True)
    completata_il = models.DateTimeField("completata il", null=True, blank=True)
    task_id = models.CharField("id del task", max_length=64, blank=True)

    class Meta:
        verbose_name = "stampa"
        verbose_name_plural = "stampe"
        ordering = ["-richiesta_il", "-pk"]
        constraints = [
            # One queued or running book per piano, anno and tipo: a second request reuses it.
            models.UniqueConstraint(
                fields=["piano", "anno", "tipo"],
                condition=Q(stato__in=["in_coda", "in_corso"]),
                name="stampa_una_attiva",
                violation_error_message="Per questo piano e anno c'è già una stampa in corso.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} {self.piano} {self.anno} ({self.get_stato_display()})"

    @property
    def attiva(self) -> bool:
        return self.stato in self.ATTIVI

    @property
    def percorso(self):
        """Absolute path of the generated file, or None."""
        return settings.STAMPE_ROOT / self.file if self.file else None

    @property
    def percentuale(self) -> int:
        return round(100 * self.fatti / self.totale) if self.totale else 0


class ModelloStampa(models.Model):
    """A segreteria's copy of a built-in print model (``reporting.modelli.predefiniti``),
    with its labels, order, sections, columns and logo; each save is a new version."""

    percorso_comune = "comune"

    comune = models.ForeignKey(
        "peg.Comune", on_delete=models.CASCADE, related_name="modelli_stampa", verbose_name="comune"
    )
    nome = models.CharField("nome", max_length=150)
    base = models.CharField("modello di partenza", max_length=30)
    creato_il = models.DateTimeField("creato il", default=timezone.now)
    creato_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="creato da",
    )

    class Meta:
        verbose_name = "modello di stampa"
        verbose_name_plural = "modelli di stampa"
        ordering = ["comune", "nome", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comune", "nome"],
                name="modello_stampa_nome_unico",
                violation_error_message="Il comune ha già un modello di stampa con questo nome.",
            )
        ]

    def __str__(self) -> str:
        return self.nome


class VersioneModello(models.Model):
    """One saved state of a copied model: never changed, so a piano printed with it
    prints the same way after the copy is edited again."""

    modello = models.ForeignKey(
        ModelloStampa, on_delete=models.CASCADE, related_name="versioni", verbose_name="modello"
    )
    numero = models.PositiveIntegerField("versione")
    dati = models.JSONField("descrizione del modello")
    creata_il = models.DateTimeField("creata il", default=timezone.now)
    creata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="creata da",
    )

    class Meta:
        verbose_name = "versione del modello di stampa"
        verbose_name_plural = "versioni dei modelli di stampa"
        ordering = ["modello", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["modello", "numero"], name="versione_modello_unica")
        ]

    def __str__(self) -> str:
        return f"{self.modello} (versione {self.numero})"


class SceltaModello(models.Model):
    """The print model a piano uses for its plan or its rendicontazione: a built-in one
    (``predefinito``) or a copy, whose version in force is fixed once the piano is approved."""

    percorso_comune = "piano__comune"

    class Uso(models.TextChoices):
        PIANO = "piano", "Stampa del piano"
        RENDICONTAZIONE = "rendicontazione", "Stampa della rendicontazione"

    piano = models.ForeignKey(
        Piano, on_delete=models.CASCADE, related_name="modelli_stampa", verbose_name="piano"
    )
    uso = models.CharField("uso", max_length=20, choices=Uso.choices)
    predefinito = models.CharField("modello predefinito", max_length=30, blank=True)
    modello = models.ForeignKey(
        ModelloStampa,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scelte",
        verbose_name="modello del comune",
    )
    versione_fissata = models.ForeignKey(
        VersioneModello,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="versione fissata",
    )

    class Meta:
        verbose_name = "modello di stampa del piano"
        verbose_name_plural = "modelli di stampa dei piani"
        constraints = [
            models.UniqueConstraint(fields=["piano", "uso"], name="scelta_modello_unica"),
            models.CheckConstraint(
                condition=~Q(predefinito="") | Q(modello__isnull=False),
                name="scelta_modello_indicata",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.piano}: {self.get_uso_display()}"
