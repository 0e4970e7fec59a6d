"""Ente-level models: the comune (tenant), its piani, organisation and DUP tree.

Every record of the application belongs to exactly one comune, directly or
through its parent; access helpers in ``peg.access`` filter by it.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from indicators.graduation import GraduationSyntaxError, parse

from .fields import percentuale_validators


class Comune(models.Model):
    nome = models.CharField("nome", max_length=120, help_text="Senza «Comune di»: es. Chiavari.")
    denominazione = models.CharField(
        "denominazione ufficiale", max_length=160, blank=True, help_text="Es. Città di Seregno."
    )
    provincia = models.CharField("provincia", max_length=80, blank=True)
    slug = models.SlugField("identificativo (slug)", max_length=80, unique=True)
    logo = models.ImageField("logo", upload_to="loghi/", blank=True)
    note = models.TextField("note", blank=True)

    class Meta:
        verbose_name = "comune"
        verbose_name_plural = "comuni"
        ordering = ["nome"]

    def __str__(self):
        return self.denominazione or f"Comune di {self.nome}"


class Missione(models.Model):
    """Missione of the national budget classification (D.Lgs 118/2011, allegato 14)."""

    codice = models.CharField("codice", max_length=2, unique=True)
    denominazione = models.CharField("denominazione", max_length=200)

    class Meta:
        verbose_name = "missione (D.Lgs 118/2011)"
        verbose_name_plural = "missioni (D.Lgs 118/2011)"
        ordering = ["codice"]

    def __str__(self):
        return f"{self.codice} {self.denominazione}"


class Programma(models.Model):
    missione = models.ForeignKey(
        Missione, on_delete=models.PROTECT, related_name="programmi", verbose_name="missione"
    )
    codice = models.CharField("codice", max_length=5, unique=True, help_text="Es. 12.02")
    denominazione = models.CharField("denominazione", max_length=200)

    class Meta:
        verbose_name = "programma (D.Lgs 118/2011)"
        verbose_name_plural = "programmi (D.Lgs 118/2011)"
        ordering = ["codice"]

    def __str__(self):
        return f"{self.codice} {self.denominazione}"


class Piano(models.Model):
    class Tipo(models.TextChoices):
        PEG = "PEG", "PEG - Piano esecutivo di gestione"
        PDO = "PDO", "PDO - Piano dettagliato degli obiettivi"
        PIAO = "PIAO", "PIAO - Sezione performance"

    class Stato(models.TextChoices):
        BOZZA = "bozza", "Bozza"
        APPROVATO = "approvato", "Approvato"
        IN_MONITORAGGIO = "in_monitoraggio", "In monitoraggio"
        RENDICONTATO = "rendicontato", "Rendicontato"
        VALIDATO = "validato", "Validato"

    class BaseObiettivo(models.TextChoices):
        INDICATORI = "indicatori", "gli indicatori (media pesata)"
        FASI = "fasi", "le fasi (media pesata)"
        ENTRAMBI = "entrambi", "indicatori e fasi"

    class BaseSettore(models.TextChoices):
        PESO = "peso", "peso nel settore"
        PUNTEGGIO = "punteggio", "punteggio della pesatura"

    class ValoriMancanti(models.TextChoices):
        INCOMPLETO = "incompleto", "rende incompleto il risultato superiore"
        ZERO = "zero", "vale 0"
        ESCLUDI = "escludi", "è escluso e gli altri pesi sono riproporzionati"

    comune = models.ForeignKey(
        Comune, on_delete=models.CASCADE, related_name="piani", verbose_name="comune"
    )
    tipo = models.CharField("tipo", max_length=4, choices=Tipo.choices, default=Tipo.PEG)
    titolo = models.CharField("titolo", max_length=200)
    anno_inizio = models.PositiveSmallIntegerField("anno di inizio")
    anno_fine = models.PositiveSmallIntegerField("anno di fine")
    stato = models.CharField("stato", max_length=20, choices=Stato.choices, default=Stato.BOZZA)
    delibera_numero = models.CharField("delibera di approvazione n.", max_length=30, blank=True)
    delibera_data = models.DateField("delibera del", null=True, blank=True)
    vista_dup = models.CharField(
        "DUP di riferimento", max_length=120, blank=True, help_text="Es. DUP 2019-2021."
    )
    note = models.TextField("note", blank=True)

    # Sistema di misurazione (SMVP): how scores are aggregated in this piano.
    base_obiettivo = models.CharField(
        "l'obiettivo si misura con",
        max_length=10,
        choices=BaseObiettivo.choices,
        default=BaseObiettivo.INDICATORI,
    )
    quota_indicatori = models.DecimalField(
        "quota degli indicatori (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=percentuale_validators("Quota degli indicatori"),
        help_text="Solo se l'obiettivo si misura con indicatori e fasi: il resto va alle fasi.",
    )
    base_settore = models.CharField(
        "il settore pesa gli obiettivi per",
        max_length=10,
        choices=BaseSettore.choices,
        default=BaseSettore.PESO,
    )
    valori_mancanti = models.CharField(
        "un valore non rilevato",
        max_length=10,
        choices=ValoriMancanti.choices,
        default=ValoriMancanti.INCOMPLETO,
    )
    riproporziona_pesi = models.BooleanField(
        "riproporziona i pesi che non sommano a 100",
        default=False,
        help_text="Se no, i pesi valgono come scritti e la differenza da 100 è segnalata.",
    )
    regola_predefinita = models.CharField(
        "graduazione predefinita",
        max_length=200,
        default="proporzionale",
        help_text="Usata per gli indicatori senza graduazione, es. «proporzionale».",
    )

    class Meta:
        verbose_name = "piano"
        verbose_name_plural = "piani"
        ordering = ["comune_id", "-anno_inizio", "tipo"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anno_fine__gte=F("anno_inizio")),
                name="piano_anni_ordinati",
                violation_error_message="Piano: l'anno di fine non può precedere l'anno di inizio.",
            ),
            models.UniqueConstraint(
                fields=["comune", "tipo", "anno_inizio", "titolo"],
                name="piano_unico_per_comune",
                violation_error_message="Esiste già un piano con questo tipo, anno e titolo.",
            ),
        ]

    def __str__(self):
        return f"{self.get_tipo_display().split(' - ')[0]} {self.anni_label} - {self.comune.nome}"

    def clean(self):
        try:
            parse(self.regola_predefinita)
        except GraduationSyntaxError as exc:
            raise ValidationError(
                {"regola_predefinita": f"Graduazione non leggibile: {exc}"}
            ) from exc

    @property
    def anni_label(self) -> str:
        if self.anno_inizio == self.anno_fine:
            return str(self.anno_inizio)
        return f"{self.anno_inizio}-{self.anno_fine}"

    @property
    def anni(self) -> range:
        return range(self.anno_inizio, self.anno_fine + 1)


class NodoDUP(models.Model):
    """A node of the DUP strategic tree, of any depth and label.

    Seregno: Linea strategica → Azione strategica; Cinisello: Obiettivo di
    mandato → di missione → di programma (DUP_05_0401_0101); Chiavari: the bare
    "Riferimento DUP" numbers.
    """

    piano = models.ForeignKey(
        Piano, on_delete=models.CASCADE, related_name="nodi_dup", verbose_name="piano"
    )
    padre = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="figli",
        verbose_name="nodo superiore",
    )
    livello = models.CharField(
        "livello", max_length=60, help_text="Es. Linea strategica, Obiettivo di missione."
    )
    codice = models.CharField("codice", max_length=40)
    denominazione = models.CharField("denominazione", max_length=300, blank=True)
    missione = models.ForeignKey(
        Missione, on_delete=models.PROTECT, null=True, blank=True, verbose_name="missione"
    )
    programma = models.ForeignKey(
        Programma, on_delete=models.PROTECT, null=True, blank=True, verbose_name="programma"
    )
    ordine = models.PositiveIntegerField("ordine", default=0)

    class Meta:
        verbose_name = "nodo del DUP"
        verbose_name_plural = "albero del DUP"
        ordering = ["piano_id", "ordine", "codice"]
        constraints = [
            models.UniqueConstraint(
                fields=["piano", "codice"],
                name="nodo_dup_codice_unico",
                violation_error_message="Nel piano esiste già un nodo del DUP con questo codice.",
            )
        ]

    def __str__(self):
        testo = f"{self.livello}: {self.codice}"
        return f"{testo} {self.denominazione}" if self.denominazione else testo

    def clean(self):
        if not self.padre_id:
            return
        if self.padre.piano_id != self.piano_id:
            raise ValidationError({"padre": "Il nodo superiore appartiene a un altro piano."})
        antenato = self.padre
        while antenato is not None:
            if self.pk and antenato.pk == self.pk:
                raise ValidationError(
                    {"padre": "Il nodo non può stare sotto se stesso o un suo discendente."}
                )
            antenato = antenato.padre


class Persona(models.Model):
    """A person of the comune's staff: responsabile, addetto, risorsa umana."""

    comune = models.ForeignKey(
        Comune, on_delete=models.CASCADE, related_name="persone", verbose_name="comune"
    )
    nome = models.CharField(
        "nome e cognome", max_length=120, help_text="Come stampato sulle schede."
    )
    categoria = models.CharField(
        "categoria", max_length=40, blank=True, help_text="Es. Categoria D3."
    )
    matricola = models.CharField("matricola", max_length=20, blank=True)
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="persone",
        verbose_name="utente",
    )

    class Meta:
        verbose_name = "persona"
        verbose_name_plural = "persone"
        ordering = ["comune_id", "nome"]
        constraints = [
            models.UniqueConstraint(
                fields=["comune", "matricola"],
                condition=~Q(matricola=""),
                name="persona_matricola_unica",
                violation_error_message="Nel comune esiste già una persona con questa matricola.",
            )
        ]

    def __str__(self):
        return f"{self.matricola} - {self.nome}" if self.matricola else self.nome


class Settore(models.Model):
    """Area / settore / centro di responsabilità / unità organizzativa."""

    class Tipo(models.TextChoices):
        SETTORE = "settore", "Settore"
        AREA = "area", "Area"
        CENTRO = "centro_responsabilita", "Centro di responsabilità"
        SERVIZIO = "servizio", "Servizio / unità organizzativa"

    comune = models.ForeignKey(
        Comune, on_delete=models.CASCADE, related_name="settori", verbose_name="comune"
    )
    codice = models.CharField("codice", max_length=20, blank=True, help_text="Es. VI, 08_S.")
    nome = models.CharField("denominazione", max_length=250)
    tipo = models.CharField("tipo", max_length=25, choices=Tipo.choices, default=Tipo.SETTORE)
    responsabili = models.ManyToManyField(
        Persona, blank=True, related_name="settori_diretti", verbose_name="responsabili"
    )
    responsabili_testo = models.CharField(
        "responsabili (come stampato)",
        max_length=200,
        blank=True,
        help_text="Es. Dott.ssa Maura Meschi.",
    )
    addetti = models.ManyToManyField(
        Persona, blank=True, related_name="settori_addetto", verbose_name="addetti"
    )
    note = models.TextField("note", blank=True)

    class Meta:
        verbose_name = "settore"
        verbose_name_plural = "settori"
        ordering = ["comune_id", "codice", "nome"]
        constraints = [
            models.UniqueConstraint(
                fields=["comune", "nome"],
                name="settore_nome_unico",
                violation_error_message="Nel comune esiste già un settore con questa denominazione.",
            )
        ]

    def __str__(self):
        return f"{self.codice} - {self.nome}" if self.codice else self.nome


class Servizio(models.Model):
    """A servizio del settore (Soresina's list: Servizio sociale, Tutela minori, ...)."""

    settore = models.ForeignKey(
        Settore, on_delete=models.CASCADE, related_name="servizi", verbose_name="settore"
    )
    nome = models.CharField("servizio", max_length=200)
    ordine = models.PositiveIntegerField("ordine", default=0)

    class Meta:
        verbose_name = "servizio del settore"
        verbose_name_plural = "servizi del settore"
        ordering = ["settore_id", "ordine", "id"]

    def __str__(self):
        return self.nome


class Ruolo(models.Model):
    """What a user may do in one comune. A person may hold roles in several comuni."""

    class Tipo(models.TextChoices):
        SEGRETERIA = "segreteria", "Segreteria / controllo di gestione"
        RESPONSABILE = "responsabile", "Responsabile di settore"
        OIV = "oiv", "OIV / Nucleo di valutazione"
        LETTORE = "lettore", "Lettore (giunta, sindaco)"

    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="ruoli",
        verbose_name="utente",
    )
    comune = models.ForeignKey(
        Comune, on_delete=models.CASCADE, related_name="ruoli", verbose_name="comune"
    )
    tipo = models.CharField("ruolo", max_length=20, choices=Tipo.choices)
    settori = models.ManyToManyField(
        Settore,
        blank=True,
        related_name="ruoli",
        verbose_name="settori",
        help_text="Per il responsabile: i settori di cui risponde.",
    )

    class Meta:
        verbose_name = "ruolo"
        verbose_name_plural = "ruoli"
        ordering = ["comune_id", "utente_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["utente", "comune", "tipo"],
                name="ruolo_unico",
                violation_error_message="L'utente ha già questo ruolo in questo comune.",
            )
        ]

    def __str__(self):
        return f"{self.utente} - {self.get_tipo_display()} - {self.comune.nome}"
