"""The scheda di valutazione individuale of one person for one year, made under the
year's SMVP: the components' scores (the organizzativa computed from the validated
results, the comportamenti voted with a comment each), the colloquio with the person's
acknowledgement, the conciliazione. States and who moves them: ``individuale.workflow``
(the only place of that rule); every change goes through ``individuale.servizio``."""

from django.conf import settings
from django.db import models

from objectives.models import Obiettivo
from peg.models import Persona, Settore
from peg.storia import Storia
from valutazione.models import Seduta

from .smvp import DECIMALE, PERCENTUALE, Categoria, Comportamento, Smvp


class SchedaIndividuale(models.Model):
    percorso_comune = "smvp__comune"

    class Stato(models.TextChoices):
        BOZZA = "bozza", "In compilazione"
        PROPOSTA = "proposta", "Proposta del Nucleo (decide il sindaco)"
        CONSEGNATA = "consegnata", "Consegnata al valutato"
        CONTESTATA = "contestata", "In conciliazione"
        DEFINITIVA = "definitiva", "Definitiva"

    class PresaVisione(models.TextChoices):
        ACCESSO = "accesso", "Dal proprio accesso"
        CARTACEA = "cartacea", "Su carta, registrata dal valutatore"

    # CASCADE: deleted only with its comune (the pages never delete an SMVP in use).
    smvp = models.ForeignKey(
        Smvp, on_delete=models.CASCADE, related_name="schede", verbose_name="sistema"
    )
    categoria = models.ForeignKey(
        Categoria, on_delete=models.RESTRICT, related_name="schede", verbose_name="categoria"
    )
    persona = models.ForeignKey(
        Persona,
        on_delete=models.RESTRICT,
        related_name="schede_individuali",
        verbose_name="persona",
    )
    # The settore whose organizzativa counts for the person (where he worked that year).
    settore = models.ForeignKey(
        Settore,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="schede_individuali",
        verbose_name="settore",
    )
    # Who evaluates (the responsabile, the segretario); for the Nucleo's chain, empty:
    # the Nucleo proposes in a seduta and the sindaco decides.
    valutatore = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schede_da_valutare",
        verbose_name="valutatore",
    )
    percentuale_servizio = models.DecimalField(
        "percentuale di part-time", **DECIMALE, default=100, validators=PERCENTUALE
    )
    giorni_servizio = models.PositiveSmallIntegerField("giorni di servizio nell'anno", default=365)
    stato = models.CharField("stato", max_length=12, choices=Stato.choices, default=Stato.BOZZA)
    versione = models.PositiveIntegerField("versione", default=1)
    # The components' scores, frozen when the scheda is proposed or delivered.
    punteggio_ente = models.DecimalField(
        "organizzativa dell'ente", null=True, blank=True, **DECIMALE
    )
    punteggio_settore = models.DecimalField(
        "organizzativa del settore", null=True, blank=True, **DECIMALE
    )
    punteggio_obiettivi = models.DecimalField(
        "obiettivi individuali", null=True, blank=True, **DECIMALE
    )
    punteggio_comportamenti = models.DecimalField(
        "comportamenti organizzativi", null=True, blank=True, **DECIMALE
    )
    punteggio_differenziazione = models.DecimalField(
        "capacità di differenziare i giudizi", null=True, blank=True, **DECIMALE
    )
    punteggio_finale = models.DecimalField("punteggio finale", null=True, blank=True, **DECIMALE)
    note_valutatore = models.TextField("giudizio del valutatore", blank=True)
    seduta_proposta = models.ForeignKey(
        Seduta,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="proposte_individuali",
        verbose_name="seduta della proposta",
    )
    proposta_il = models.DateTimeField("proposta registrata il", null=True, blank=True)
    decisa_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="decisa da",
    )
    decisa_il = models.DateTimeField("decisa il", null=True, blank=True)
    colloquio_data = models.DateField("data del colloquio", null=True, blank=True)
    colloquio_note = models.TextField("note del colloquio", blank=True)
    consegnata_il = models.DateTimeField("consegnata il", null=True, blank=True)
    presa_visione_il = models.DateTimeField("presa visione il", null=True, blank=True)
    presa_visione_modo = models.CharField(
        "presa visione", max_length=10, choices=PresaVisione.choices, blank=True
    )
    presa_visione_registrata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="presa visione registrata da",
    )
    definitiva_il = models.DateTimeField("definitiva il", null=True, blank=True)
    history = Storia(verbose_name="storico della scheda individuale")

    class Meta:
        verbose_name = "scheda di valutazione individuale"
        verbose_name_plural = "schede di valutazione individuale"
        ordering = ["smvp_id", "categoria__ordine", "persona__nome", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["smvp", "persona"],
                name="scheda_individuale_una_per_anno",
                violation_error_message="La persona ha già una scheda di valutazione per l'anno.",
            )
        ]

    def __str__(self):
        return f"Valutazione {self.smvp.anno} di {self.persona.nome}"


class VotoComportamento(models.Model):
    percorso_comune = "scheda__smvp__comune"

    scheda = models.ForeignKey(
        SchedaIndividuale, on_delete=models.CASCADE, related_name="voti", verbose_name="scheda"
    )
    comportamento = models.ForeignKey(
        Comportamento, on_delete=models.RESTRICT, related_name="voti", verbose_name="comportamento"
    )
    voto = models.DecimalField("voto", null=True, blank=True, **DECIMALE)
    commento = models.TextField("commento", blank=True)
    history = Storia(verbose_name="storico del voto")

    class Meta:
        verbose_name = "voto di un comportamento"
        verbose_name_plural = "voti dei comportamenti"
        ordering = ["scheda_id", "comportamento__ordine", "comportamento_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheda", "comportamento"],
                name="voto_uno_per_comportamento",
                violation_error_message="Il comportamento ha già un voto in questa scheda.",
            )
        ]

    def __str__(self):
        return f"{self.comportamento}: {self.voto}"


class ObiettivoAssegnato(models.Model):
    """An obiettivo of the piano assigned to the person, scored like any obiettivo."""

    percorso_comune = "scheda__smvp__comune"

    scheda = models.ForeignKey(
        SchedaIndividuale,
        on_delete=models.CASCADE,
        related_name="obiettivi_assegnati",
        verbose_name="scheda",
    )
    obiettivo = models.ForeignKey(
        Obiettivo, on_delete=models.RESTRICT, related_name="assegnazioni", verbose_name="obiettivo"
    )
    peso = models.DecimalField("peso (%)", **DECIMALE, default=0, validators=PERCENTUALE)

    class Meta:
        verbose_name = "obiettivo individuale"
        verbose_name_plural = "obiettivi individuali"
        ordering = ["scheda_id", "obiettivo__codice_ordinabile", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheda", "obiettivo"],
                name="obiettivo_assegnato_una_volta",
                violation_error_message="L'obiettivo è già assegnato a questa persona.",
            )
        ]

    def __str__(self):
        return f"{self.obiettivo.codice} ({self.peso}%)"


class Contestazione(models.Model):
    """The procedura di conciliazione: the person's reasons (on one comportamento or on
    the whole scheda), the answer of the evaluator or of the second level, and the
    score before and after; both texts are kept."""

    percorso_comune = "scheda__smvp__comune"

    class Esito(models.TextChoices):
        ACCOLTA = "accolta", "Accolta"
        PARZIALE = "parziale", "Accolta in parte"
        RESPINTA = "respinta", "Respinta"

    scheda = models.ForeignKey(
        SchedaIndividuale,
        on_delete=models.CASCADE,
        related_name="contestazioni",
        verbose_name="scheda",
    )
    voto = models.ForeignKey(
        VotoComportamento,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="contestazioni",
        verbose_name="comportamento contestato",
    )
    motivi = models.TextField("motivi della richiesta")
    presentata_il = models.DateTimeField("presentata il")
    presentata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="presentata da",
    )
    voto_prima = models.DecimalField("voto contestato", null=True, blank=True, **DECIMALE)
    punteggio_prima = models.DecimalField(
        "punteggio finale prima", null=True, blank=True, **DECIMALE
    )
    risposta = models.TextField("risposta", blank=True)
    esito = models.CharField("esito", max_length=10, choices=Esito.choices, blank=True)
    voto_dopo = models.DecimalField("voto dopo la conciliazione", null=True, blank=True, **DECIMALE)
    punteggio_dopo = models.DecimalField("punteggio finale dopo", null=True, blank=True, **DECIMALE)
    risposta_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="risposta di",
    )
    risposta_il = models.DateTimeField("risposta il", null=True, blank=True)
    history = Storia(verbose_name="storico della conciliazione")

    class Meta:
        verbose_name = "richiesta di conciliazione"
        verbose_name_plural = "richieste di conciliazione"
        ordering = ["scheda_id", "presentata_il", "id"]

    def __str__(self):
        return f"Conciliazione su {self.scheda}"
