"""The comune's organisation: persone, settori and their servizi."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .ente import Comune


class Persona(models.Model):
    """A person of the comune's staff: responsabile, addetto, risorsa umana."""

    percorso_comune = "comune"

    comune = models.ForeignKey(
        Comune, on_delete=models.CASCADE, related_name="persone", verbose_name="comune"
    )
    nome = models.CharField(
        "nome e cognome", max_length=120, help_text="Come stampato sulle schede."
    )

    class Area(models.TextChoices):
        """The areas of the CCNL Funzioni Locali 2019-2021 (art. 12), which replaced the
        categorie A-D from 1 April 2023."""

        OPERATORI = "operatori", "Operatori"
        OPERATORI_ESPERTI = "operatori_esperti", "Operatori esperti"
        ISTRUTTORI = "istruttori", "Istruttori"
        FUNZIONARI = "funzionari", "Funzionari ed Elevata qualificazione"

    email = models.EmailField(
        "e-mail", blank=True, help_text="L'indirizzo a cui arriva l'invito ad accedere."
    )
    area = models.CharField("area", max_length=20, choices=Area.choices, blank=True)
    profilo = models.CharField(
        "profilo professionale",
        max_length=120,
        blank=True,
        help_text="Es. Istruttore amministrativo.",
    )
    categoria = models.CharField(
        "categoria (ordinamento precedente)",
        max_length=40,
        blank=True,
        help_text="La categoria prima del CCNL 2019-2021, conservata per lo storico: es. D3.",
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

    percorso_comune = "comune"

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
    descrizione = models.TextField(
        "materie del settore",
        blank=True,
        help_text="Ciò che il piano stampa sotto SETTORE, se diverso dalla denominazione "
        "(Soresina: «Servizi Sociali, Rapporti con Associazioni e terzo settore, …»).",
    )
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
    note_trascrizione = models.TextField(
        "note di trascrizione",
        blank=True,
        help_text="Come è stato trascritto il documento originale: solo nell'amministrazione, "
        "mai nelle pagine né nelle stampe.",
    )

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

    percorso_comune = "settore__comune"

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
