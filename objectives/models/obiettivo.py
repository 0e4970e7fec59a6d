from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from indicators.engine.formatting import LUNGHEZZA_CHIAVE, chiave_naturale
from peg.fields import peso_field, range_0_100
from peg.models import Missione, NodoDUP, Persona, Piano, Programma, Settore
from peg.storia import Storia

from .periodo import Periodo


class AmbitoPerformance(models.Model):
    """The ten ambiti della performance organizzativa of the Chiavari scheda
    (D.Lgs 150/2009 art. 8, a-h, plus anticorruzione and monitoraggio finanziario)."""

    numero = models.PositiveSmallIntegerField("numero", unique=True)
    descrizione = models.TextField("descrizione")

    class Meta:
        verbose_name = "ambito della performance organizzativa"
        verbose_name_plural = "ambiti della performance organizzativa"
        ordering = ["numero"]

    def __str__(self):
        return f"{self.numero}. {self.descrizione}"


class Obiettivo(Periodo):
    """One scheda obiettivo for one year.

    A pluriennale obiettivo has one scheda per year (Chiavari VI - 1 for 2019
    and for 2020): same codice, different ``anno``.
    """

    percorso_comune = "piano__comune"

    class Tipo(models.TextChoices):
        GESTIONALE = "gestionale", "Gestionale"
        STRATEGICO = "strategico", "Strategico"
        OPERATIVO = "operativo", "Operativo"
        SVILUPPO = "sviluppo", "Di sviluppo"
        MANTENIMENTO = "mantenimento", "Di mantenimento"

    class Durata(models.TextChoices):
        ANNUALE = "annuale", "Annuale"
        PLURIENNALE = "pluriennale", "Pluriennale"

    class Origine(models.TextChoices):
        ISTITUZIONALE = "istituzionale", "Istituzionale"
        INIZIATIVA = "d_iniziativa", "D'iniziativa"

    class Stato(models.TextChoices):
        BOZZA = "bozza", "Bozza"
        PROPOSTO = "proposto", "Proposto"
        APPROVATO = "approvato", "Approvato"
        IN_MONITORAGGIO = "in_monitoraggio", "In monitoraggio"
        RENDICONTATO = "rendicontato", "Rendicontato"
        VALIDATO = "validato", "Validato"

    piano = models.ForeignKey(
        Piano, on_delete=models.CASCADE, related_name="obiettivi", verbose_name="piano"
    )
    settore = models.ForeignKey(
        Settore, on_delete=models.PROTECT, related_name="obiettivi", verbose_name="settore"
    )
    codice = models.CharField(
        "codice obiettivo",
        max_length=40,
        help_text="Nel formato del comune: VI - 1, 2019_S08_09, N 1.",
    )
    # The codice in natural order (N 2 before N 10), kept by save(): order by this.
    codice_ordinabile = models.CharField(
        "codice in ordine naturale", max_length=LUNGHEZZA_CHIAVE, editable=False, default=""
    )
    anno = models.PositiveSmallIntegerField("anno della scheda")
    anno_inizio = models.PositiveSmallIntegerField("dall'anno")
    anno_fine = models.PositiveSmallIntegerField("all'anno")
    durata = models.CharField(
        "obiettivo", max_length=12, choices=Durata.choices, default=Durata.ANNUALE
    )
    denominazione = models.TextField("denominazione")
    descrizione = models.TextField("descrizione / definizione dell'obiettivo", blank=True)
    risultato_atteso = models.TextField("risultato atteso", blank=True)
    indirizzi_dup = models.TextField("indirizzi del DUP", blank=True)
    tipo = models.CharField("tipo di obiettivo", max_length=15, choices=Tipo.choices, blank=True)
    tipo_testo = models.CharField("tipo (come stampato)", max_length=80, blank=True)

    # Strategic links
    riferimento_dup = models.CharField(
        "riferimento DUP (come stampato)", max_length=60, blank=True, help_text="Es. 5--10--11."
    )
    nodi_dup = models.ManyToManyField(
        NodoDUP, blank=True, related_name="obiettivi", verbose_name="collegato a (DUP)"
    )
    missione = models.ForeignKey(
        Missione, on_delete=models.PROTECT, null=True, blank=True, verbose_name="missione"
    )
    programma = models.ForeignKey(
        Programma, on_delete=models.PROTECT, null=True, blank=True, verbose_name="programma"
    )
    area_tematica = models.CharField("area tematica", max_length=200, blank=True)
    assessorato = models.CharField("assessorato", max_length=200, blank=True)
    direzione = models.CharField("direzione", max_length=200, blank=True)
    direttore = models.CharField("direttore", max_length=120, blank=True)

    # How and by whom
    riferimento_origine = models.CharField(
        "riferimenti d'origine", max_length=15, choices=Origine.choices, blank=True
    )
    modalita_realizzazione = models.TextField("modalità di realizzazione", blank=True)
    servizi_coinvolti = models.TextField("servizi coinvolti", blank=True)
    unita_organizzativa_responsabile = models.CharField(
        "unità organizzativa responsabile", max_length=250, blank=True
    )
    unita_coinvolte = models.TextField("unità organizzative coinvolte", blank=True)
    responsabili = models.ManyToManyField(
        Persona, blank=True, related_name="obiettivi_diretti", verbose_name="responsabili"
    )
    responsabili_testo = models.CharField(
        "responsabili (come stampato)",
        max_length=200,
        blank=True,
        help_text="Es. Meschi -- Bonardi.",
    )
    centro_di_costo = models.CharField("centro di costo associato", max_length=200, blank=True)
    ambiti = models.ManyToManyField(
        AmbitoPerformance,
        blank=True,
        related_name="obiettivi",
        verbose_name="ambiti della performance organizzativa",
    )

    # Pesatura: (strategicità + complessità) × tipologia = punteggio
    strategicita = models.DecimalField(
        "strategicità", max_digits=6, decimal_places=2, null=True, blank=True
    )
    complessita = models.DecimalField(
        "complessità", max_digits=6, decimal_places=2, null=True, blank=True
    )
    tipologia = models.DecimalField(
        "tipologia", max_digits=5, decimal_places=2, null=True, blank=True
    )
    peso = peso_field("Peso nel settore")

    condizione = models.CharField("condizione", max_length=200, blank=True)
    stato_attuazione = models.TextField("stato di attuazione", blank=True)
    monitoraggio = models.TextField("monitoraggio", blank=True)
    risorse_finanziarie_testo = models.TextField("risorse stanziate (come stampato)", blank=True)
    note = models.TextField("note", blank=True)
    note_trascrizione = models.TextField(
        "note di trascrizione",
        blank=True,
        help_text="Dove la scheda originale è ambigua o incompleta.",
    )

    # Workflow (objectives.workflow decides who moves it and what may change when).
    stato = models.CharField("stato", max_length=16, choices=Stato.choices, default=Stato.BOZZA)
    delibera_numero = models.CharField("approvato con delibera n.", max_length=30, blank=True)
    delibera_data = models.DateField("delibera del", null=True, blank=True)
    # Raised at every save from the pages: a stale form is refused, not applied.
    versione = models.PositiveIntegerField("versione", default=1, editable=False)
    history = Storia(verbose_name="storico dell'obiettivo")

    class Meta(Periodo.Meta):
        verbose_name = "obiettivo"
        verbose_name_plural = "obiettivi"
        ordering = ["piano_id", "settore_id", "anno", "id"]
        constraints = [
            *Periodo.Meta.constraints,
            models.UniqueConstraint(
                fields=["piano", "codice", "anno"],
                name="obiettivo_codice_unico_nel_piano",
                violation_error_message=(
                    "Codice obiettivo: nel piano esiste già una scheda con questo codice per lo stesso anno."
                ),
            ),
            range_0_100("peso", "obiettivo_peso_0_100", "Il peso dell'obiettivo"),
            models.CheckConstraint(
                condition=Q(anno__gte=F("anno_inizio")) & Q(anno__lte=F("anno_fine")),
                name="obiettivo_anno_nel_periodo",
                violation_error_message="Obiettivo: l'anno della scheda deve cadere tra il primo e l'ultimo anno dell'obiettivo.",
            ),
        ]
        indexes = [models.Index(fields=["piano", "settore"])]

    def __str__(self):
        return f"{self.codice} ({self.anno}) - {self.denominazione[:60]}"

    @property
    def punteggio(self) -> Decimal | None:
        """(strategicità + complessità) × tipologia, half-up to 2 decimals."""
        if None in (self.strategicita, self.complessita, self.tipologia):
            return None
        valore = (self.strategicita + self.complessita) * self.tipologia
        return valore.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def anni_label(self) -> str:
        if self.anno_inizio == self.anno_fine:
            return str(self.anno_inizio)
        return "-".join(str(a) for a in range(self.anno_inizio, self.anno_fine + 1))

    def aggiorna_ordinamento(self) -> None:
        self.codice_ordinabile = chiave_naturale(self.codice)

    def save(self, *args, **kwargs):
        self.aggiorna_ordinamento()
        campi = kwargs.get("update_fields")
        if campi is not None and "codice" in campi:
            kwargs["update_fields"] = {*campi, "codice_ordinabile"}
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.piano_id and self.settore_id and self.settore.comune_id != self.piano.comune_id:
            errors["settore"] = "Il settore appartiene a un altro comune."
        if self.piano_id and self.anno and self.anno not in self.piano.anni:
            errors["anno"] = f"L'anno {self.anno} non rientra nel piano {self.piano.anni_label}."
        if (
            self.programma_id
            and self.missione_id
            and self.programma.missione_id != self.missione_id
        ):
            errors["programma"] = "Il programma non appartiene alla missione indicata."
        if errors:
            raise ValidationError(errors)
