"""The Sistema di misurazione e valutazione della performance (SMVP) of a comune for one
year: versioned per year (a year's schede keep the SMVP they were made with; the next
year's is a copy the segreteria changes). How obiettivi and settori are scored stays on
the piano (``peg.Piano``: one owner per rule); the SMVP page shows it and links there."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from peg.models import Comune
from peg.storia import Storia

DECIMALE = {"max_digits": 5, "decimal_places": 2}
EURO = {"max_digits": 12, "decimal_places": 2}
PERCENTUALE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Smvp(models.Model):
    percorso_comune = "comune"

    class Distribuzione(models.TextChoices):
        PUNTEGGIO = "punteggio", "In proporzione al punteggio finale"
        SERVIZIO = (
            "servizio",
            "In proporzione al punteggio × percentuale di part-time × giorni di servizio",
        )

    class Fondi(models.TextChoices):
        PER_CATEGORIA = "categoria", "Un fondo per ogni categoria"
        UNICO = "unico", "Un fondo unico per tutte le categorie"

    comune = models.ForeignKey(
        Comune, on_delete=models.CASCADE, related_name="smvp", verbose_name="comune"
    )
    anno = models.PositiveSmallIntegerField("anno")
    titolo = models.CharField(
        "titolo", max_length=200, default="Sistema di misurazione e valutazione della performance"
    )
    delibera_numero = models.CharField("adottato con delibera n.", max_length=30, blank=True)
    delibera_data = models.DateField("delibera del", null=True, blank=True)
    # D.Lgs 150/2009 art. 14 c. 6, as the comune's SMVP or regolamento takes it.
    richiede_validazione = models.BooleanField(
        "premi solo su risultati validati dal Nucleo",
        default=True,
        help_text="Art. 14 c. 6 D.Lgs 150/2009: nessun premio senza la validazione.",
    )
    giorni_conciliazione = models.PositiveSmallIntegerField(
        "giorni per chiedere la conciliazione",
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Dalla presa visione della scheda.",
    )
    distribuzione = models.CharField(
        "criterio di distribuzione",
        max_length=12,
        choices=Distribuzione.choices,
        default=Distribuzione.SERVIZIO,
    )
    fondi = models.CharField(
        "fondi", max_length=12, choices=Fondi.choices, default=Fondi.PER_CATEGORIA
    )
    fondo_unico = models.DecimalField(
        "fondo unico (€)", null=True, blank=True, **EURO, validators=[MinValueValidator(0)]
    )
    # CCNL Funzioni Locali 2019-2021 art. 81: the differenziazione del premio individuale.
    maggiorazione = models.DecimalField(
        "maggiorazione del premio individuale (%)",
        **DECIMALE,
        default=Decimal("30"),
        validators=[MinValueValidator(Decimal("30")), MaxValueValidator(Decimal("100"))],
        help_text="Art. 81 CCNL 2019-2021: almeno il 30% del premio individuale medio.",
    )
    quota_beneficiari = models.DecimalField(
        "quota del personale che riceve la maggiorazione (%)",
        **DECIMALE,
        default=Decimal("10"),
        validators=PERCENTUALE,
        help_text="La quota limitata fissata dal contratto integrativo.",
    )
    history = Storia(verbose_name="storico del sistema di misurazione")

    class Meta:
        verbose_name = "sistema di misurazione e valutazione"
        verbose_name_plural = "sistemi di misurazione e valutazione"
        ordering = ["comune_id", "-anno"]
        constraints = [
            models.UniqueConstraint(
                fields=["comune", "anno"],
                name="smvp_uno_per_anno",
                violation_error_message="Il comune ha già un sistema di valutazione per l'anno.",
            )
        ]

    def __str__(self):
        return f"{self.titolo} {self.anno}"


class Categoria(models.Model):
    """A category of evaluated staff, with its components' weights (summing to 100)."""

    percorso_comune = "smvp__comune"

    class Tipo(models.TextChoices):
        SEGRETARIO = "segretario", "Segretario generale"
        DIRIGENTE = "dirigente", "Dirigenti"
        EQ = "eq", "Elevate qualificazioni (ex posizioni organizzative)"
        DIPENDENTE = "dipendente", "Personale dipendente"

    class Valutatore(models.TextChoices):
        NUCLEO_SINDACO = "nucleo_sindaco", "Proposta del Nucleo, decisione del sindaco"
        SEGRETARIO = "segretario", "Il segretario generale"
        RESPONSABILE = "responsabile", "Il responsabile del settore"

    smvp = models.ForeignKey(
        Smvp, on_delete=models.CASCADE, related_name="categorie", verbose_name="sistema"
    )
    nome = models.CharField("categoria", max_length=120)
    tipo = models.CharField("tipo", max_length=12, choices=Tipo.choices)
    # For the staff: which areas of the CCNL (Persona.Area values; empty: all).
    aree = models.JSONField("aree del CCNL", default=list, blank=True)
    valutatore = models.CharField("chi valuta", max_length=16, choices=Valutatore.choices)
    peso_ente = models.DecimalField(
        "performance organizzativa dell'ente (%)", **DECIMALE, default=0, validators=PERCENTUALE
    )
    peso_settore = models.DecimalField(
        "performance organizzativa del settore (%)", **DECIMALE, default=0, validators=PERCENTUALE
    )
    peso_obiettivi = models.DecimalField(
        "obiettivi individuali (%)", **DECIMALE, default=0, validators=PERCENTUALE
    )
    peso_comportamenti = models.DecimalField(
        "comportamenti organizzativi (%)", **DECIMALE, default=0, validators=PERCENTUALE
    )
    peso_differenziazione = models.DecimalField(
        "capacità di differenziare i giudizi (%)", **DECIMALE, default=0, validators=PERCENTUALE
    )
    scala_minima = models.PositiveSmallIntegerField("voto minimo dei comportamenti", default=1)
    scala_massima = models.PositiveSmallIntegerField(
        "voto massimo dei comportamenti",
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
    )
    # Art. 81 CCNL 2019-2021 applies to the comparto staff, not to EQ and dirigenti.
    differenziazione_premio = models.BooleanField(
        "maggiorazione del premio individuale (art. 81 CCNL)", default=False
    )
    fondo = models.DecimalField(
        "fondo della categoria (€)",
        null=True,
        blank=True,
        **EURO,
        validators=[MinValueValidator(0)],
    )
    ordine = models.PositiveSmallIntegerField("ordine", default=0)

    class Meta:
        verbose_name = "categoria di valutati"
        verbose_name_plural = "categorie di valutati"
        ordering = ["smvp_id", "ordine", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["smvp", "nome"],
                name="categoria_nome_unico",
                violation_error_message="Il sistema ha già una categoria con questo nome.",
            )
        ]

    def __str__(self):
        return self.nome


class Comportamento(models.Model):
    """A behaviour of the category's catalogue, voted on the category's scale."""

    percorso_comune = "categoria__smvp__comune"

    categoria = models.ForeignKey(
        Categoria,
        on_delete=models.CASCADE,
        related_name="comportamenti",
        verbose_name="categoria",
    )
    nome = models.CharField("comportamento", max_length=200)
    descrizione = models.TextField("descrizione", blank=True)
    peso = models.DecimalField("peso (%)", **DECIMALE, default=0, validators=PERCENTUALE)
    ordine = models.PositiveSmallIntegerField("ordine", default=0)

    class Meta:
        verbose_name = "comportamento organizzativo"
        verbose_name_plural = "comportamenti organizzativi"
        ordering = ["categoria_id", "ordine", "id"]

    def __str__(self):
        return self.nome


class Fascia(models.Model):
    """A range of final scores and the share of the premio it gives: from ``da``
    (included) up to the next fascia's ``da`` (excluded), the highest up to 100."""

    percorso_comune = "smvp__comune"

    smvp = models.ForeignKey(
        Smvp, on_delete=models.CASCADE, related_name="fasce", verbose_name="sistema"
    )
    da = models.DecimalField("punteggio da", **DECIMALE, validators=PERCENTUALE)
    percentuale = models.DecimalField("premio (%)", **DECIMALE, validators=PERCENTUALE)

    class Meta:
        verbose_name = "fascia di merito"
        verbose_name_plural = "fasce di merito"
        ordering = ["smvp_id", "-da"]
        constraints = [
            models.UniqueConstraint(
                fields=["smvp", "da"],
                name="fascia_soglia_unica",
                violation_error_message="C'è già una fascia che parte da questo punteggio.",
            )
        ]

    def __str__(self):
        return f"da {self.da}: {self.percentuale}%"
