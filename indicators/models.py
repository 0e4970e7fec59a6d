from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from objectives.models import Obiettivo
from peg.fields import ZERO, date_order, peso_field, range_0_100, valore_field
from peg.storia import Storia

from .regola import ConGraduazione


class Indicatore(ConGraduazione):
    percorso_comune = "obiettivo__piano__comune"

    class Tipo(models.TextChoices):
        EFFICACIA = "efficacia", "Efficacia"
        EFFICIENZA = "efficienza", "Efficienza"
        ECONOMICITA = "economicita", "Economicità"
        QUALITA = "qualita", "Qualità"
        TEMPORALE = "temporale", "Temporale"

    class Polarita(models.TextChoices):
        CRESCENTE = "crescente", "Più alto è meglio"
        DECRESCENTE = "decrescente", "Più basso è meglio"

    obiettivo = models.ForeignKey(
        Obiettivo, on_delete=models.CASCADE, related_name="indicatori", verbose_name="obiettivo"
    )
    numero = models.PositiveSmallIntegerField("n°")
    peso = peso_field()
    denominazione = models.TextField("denominazione")
    formula = models.TextField("formula di calcolo", blank=True)
    tipo = models.CharField("tipo", max_length=12, choices=Tipo.choices, blank=True)
    unita_misura = models.CharField("unità di misura o scala", max_length=60, blank=True)
    polarita = models.CharField(
        "polarità", max_length=12, choices=Polarita.choices, default=Polarita.CRESCENTE
    )
    anno = models.PositiveSmallIntegerField("anno", null=True, blank=True)
    codice_attivita = models.CharField(
        "codice attività",
        max_length=40,
        blank=True,
        help_text="L'attività (e le sue fasi) che l'indicatore misura, se la scheda ne ha più d'una.",
    )
    valore_intermedio = valore_field("livello intermedio atteso")
    valore_intermedio_testo = models.CharField(
        "livello intermedio (come stampato)", max_length=200, blank=True
    )
    data_intermedia = models.DateField("livello intermedio alla data", null=True, blank=True)
    valore_atteso = valore_field("livello finale atteso (valore target)")
    valore_atteso_testo = models.CharField(
        "livello finale (come stampato)", max_length=200, blank=True
    )
    data_attesa = models.DateField("livello finale alla data", null=True, blank=True)
    scadenza_testo = models.CharField("scadenza (come stampata)", max_length=200, blank=True)
    note = models.TextField("note", blank=True)
    note_trascrizione = models.TextField("note di trascrizione", blank=True)
    history = Storia(verbose_name="storico dell'indicatore")

    class Meta:
        verbose_name = "indicatore"
        verbose_name_plural = "indicatori"
        ordering = ["obiettivo_id", "numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["obiettivo", "numero"],
                name="indicatore_numero_unico",
                violation_error_message="Indicatore: il numero è già usato in questo obiettivo.",
            ),
            range_0_100("peso", "indicatore_peso_0_100", "Il peso dell'indicatore"),
            date_order("data_intermedia", "data_attesa", "indicatore_date_ordinate", "Indicatore"),
        ]

    def __str__(self):
        return f"{self.numero}. {self.denominazione[:60]}"


class ValoreStorico(models.Model):
    """Value achieved in a previous year (Cinisello's "Valore Raggiunto 2018 / 2017")."""

    percorso_comune = "indicatore__obiettivo__piano__comune"

    indicatore = models.ForeignKey(
        Indicatore, on_delete=models.CASCADE, related_name="storico", verbose_name="indicatore"
    )
    anno = models.PositiveSmallIntegerField("anno")
    valore = valore_field("valore raggiunto")
    valore_testo = models.CharField("come stampato", max_length=120, blank=True)

    class Meta:
        verbose_name = "valore storico"
        verbose_name_plural = "valori storici"
        ordering = ["indicatore_id", "-anno"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicatore", "anno"],
                name="storico_anno_unico",
                violation_error_message="Per questo indicatore esiste già un valore di quell'anno.",
            )
        ]

    def __str__(self):
        return f"{self.anno}: {self.valore_testo or self.valore}"


class Rilevazione(models.Model):
    """A measurement of an indicatore at a date: 1ª, intermedia or finale."""

    percorso_comune = "indicatore__obiettivo__piano__comune"

    class Tipo(models.TextChoices):
        PRIMA = "prima", "1ª rilevazione"
        INTERMEDIA = "intermedia", "Rilevazione intermedia"
        FINALE = "finale", "Rilevazione finale"

    indicatore = models.ForeignKey(
        Indicatore, on_delete=models.CASCADE, related_name="rilevazioni", verbose_name="indicatore"
    )
    tipo = models.CharField("rilevazione", max_length=12, choices=Tipo.choices)
    valore = valore_field("valore raggiunto")
    valore_testo = models.CharField("come stampato", max_length=120, blank=True)
    data = models.DateField("data", null=True, blank=True)
    # Documents may print more than 100% (Seregno: 212,00%): only negatives are refused.
    percentuale_raggiungimento = models.DecimalField(
        "% raggiungimento dichiarata",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO, "La %% di raggiungimento non può essere negativa.")],
        help_text="Come riportata nel documento; il calcolo spetta al motore di graduazione.",
    )
    note = models.TextField("note", blank=True)
    inserita_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inserita da",
    )
    inserita_il = models.DateTimeField("inserita il", auto_now_add=True)
    history = Storia(verbose_name="storico della rilevazione")

    class Meta:
        verbose_name = "rilevazione"
        verbose_name_plural = "rilevazioni"
        ordering = ["indicatore_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicatore", "tipo"],
                name="rilevazione_unica_per_tipo",
                violation_error_message="Per questo indicatore esiste già una rilevazione di questo tipo.",
            ),
            models.CheckConstraint(
                condition=models.Q(percentuale_raggiungimento__isnull=True)
                | models.Q(percentuale_raggiungimento__gte=0),
                name="rilevazione_percentuale_non_negativa",
                violation_error_message="La %% di raggiungimento non può essere negativa.",
            ),
        ]

    def __str__(self):
        return f"{self.get_tipo_display()}: {self.valore_testo or self.valore}"
