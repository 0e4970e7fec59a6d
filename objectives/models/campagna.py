from django.conf import settings
from django.db import models
from django.db.models import F, Q

from peg.models import Piano, Settore


class Campagna(models.Model):
    """A monitoring round of a piano: values of its momento are entered inside the window."""

    percorso_comune = "piano__comune"

    class Momento(models.TextChoices):
        INTERMEDIA = "intermedia", "Rilevazione intermedia"
        FINALE = "finale", "Rilevazione finale"

    piano = models.ForeignKey(
        Piano, on_delete=models.CASCADE, related_name="campagne", verbose_name="piano"
    )
    anno = models.PositiveSmallIntegerField("anno delle schede")
    momento = models.CharField("rilevazione", max_length=12, choices=Momento.choices)
    data_riferimento = models.DateField("valori alla data", help_text="Es. 30 giugno, 31 dicembre.")
    apertura = models.DateField("aperta dal")
    scadenza = models.DateField("da completare entro il")
    chiusa_il = models.DateTimeField("chiusa il", null=True, blank=True)
    note = models.TextField("note per i responsabili", blank=True)
    creata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="creata da",
    )
    avviso_apertura_il = models.DateTimeField(
        "avviso di apertura inviato il", null=True, blank=True
    )
    avviso_scadenza_il = models.DateTimeField(
        "avviso di scadenza inviato il", null=True, blank=True
    )

    class Meta:
        verbose_name = "campagna di rilevazione"
        verbose_name_plural = "campagne di rilevazione"
        ordering = ["piano_id", "anno", "apertura", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["piano", "anno", "momento"],
                name="campagna_unica_per_momento",
                violation_error_message="Per questo piano e anno esiste già una campagna di questa rilevazione.",
            ),
            models.CheckConstraint(
                condition=Q(scadenza__gte=F("apertura")),
                name="campagna_scadenza_dopo_apertura",
                violation_error_message="La scadenza non può precedere l'apertura.",
            ),
        ]

    def __str__(self):
        return f"{self.get_momento_display()} {self.anno} ({self.piano})"


class RiaperturaSettore(models.Model):
    """The segreteria reopens a round for one settore, until a date, with a reason."""

    percorso_comune = "campagna__piano__comune"

    campagna = models.ForeignKey(
        Campagna, on_delete=models.CASCADE, related_name="riaperture", verbose_name="campagna"
    )
    settore = models.ForeignKey(
        Settore, on_delete=models.CASCADE, related_name="riaperture", verbose_name="settore"
    )
    fino_al = models.DateField("riaperta fino al")
    motivazione = models.TextField("motivazione")
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="utente"
    )
    quando = models.DateTimeField("quando")

    class Meta:
        verbose_name = "riapertura per settore"
        verbose_name_plural = "riaperture per settore"
        ordering = ["campagna_id", "quando", "id"]

    def __str__(self):
        return f"{self.campagna} riaperta per {self.settore} fino al {self.fino_al:%d/%m/%Y}"


class Avviso(models.Model):
    """An e-mail sent for a round: its opening, its approaching deadline, a sollecito,
    a reopening for a settore."""

    percorso_comune = "campagna__piano__comune"

    class Tipo(models.TextChoices):
        APERTURA = "apertura", "Apertura"
        SCADENZA = "scadenza", "Scadenza vicina"
        SOLLECITO = "sollecito", "Sollecito"
        RIAPERTURA = "riapertura", "Riapertura per il settore"

    campagna = models.ForeignKey(
        Campagna, on_delete=models.CASCADE, related_name="avvisi", verbose_name="campagna"
    )
    tipo = models.CharField("tipo", max_length=10, choices=Tipo.choices)
    settore = models.ForeignKey(
        Settore, on_delete=models.CASCADE, related_name="+", verbose_name="settore"
    )
    destinatari = models.TextField("destinatari")
    mancanti = models.PositiveIntegerField("valori mancanti")
    inviato_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inviato da",
    )
    quando = models.DateTimeField("quando")

    class Meta:
        verbose_name = "avviso"
        verbose_name_plural = "avvisi"
        ordering = ["campagna_id", "quando", "id"]

    def __str__(self):
        return f"{self.get_tipo_display()} a {self.settore}: {self.destinatari}"
