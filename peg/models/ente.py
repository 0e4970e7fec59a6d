"""The comune: the tenant every record belongs to, directly or through its parent."""

from django.core.validators import RegexValidator
from django.db import models

from ..riservati import slug_non_riservato


class Comune(models.Model):
    # Lookup to the comune it belongs to: access (peg.access) and admin derive from it.
    percorso_comune = ""

    nome = models.CharField("nome", max_length=120, help_text="Senza «Comune di»: es. Chiavari.")
    denominazione = models.CharField(
        "denominazione ufficiale", max_length=160, blank=True, help_text="Es. Città di Seregno."
    )
    provincia = models.CharField("provincia", max_length=80, blank=True)
    slug = models.SlugField(
        "identificativo (slug)",
        max_length=80,
        unique=True,
        validators=[slug_non_riservato],
        help_text="Compare negli indirizzi delle pagine: solo lettere minuscole, cifre e "
        "trattini, es. «chiavari».",
    )
    codice_istat = models.CharField(
        "codice ISTAT",
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", "Il codice ISTAT del comune ha 6 cifre.")],
        help_text="Sei cifre, es. 010015 per Chiavari.",
    )
    codice_ipa = models.CharField(
        "codice IPA",
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9_]+$", "Il codice IPA ha solo lettere, cifre e trattini bassi."
            )
        ],
        help_text="Il codice dell'ente nell'Indice dei domicili digitali della PA (es. c_c621).",
    )
    dipendenti = models.PositiveIntegerField(
        "numero di dipendenti",
        null=True,
        blank=True,
        help_text="Sotto i 50 dipendenti il PIAO è semplificato (DM 132/2022, art. 6).",
    )
    email_accessibilita = models.EmailField(
        "indirizzo per le segnalazioni sull'accessibilità",
        blank=True,
        help_text="Il meccanismo di feedback della dichiarazione di accessibilità.",
    )
    dichiarazione_accessibilita = models.URLField(
        "dichiarazione di accessibilità",
        blank=True,
        help_text="L'indirizzo della dichiarazione compilata sul modulo online di AgID "
        "(form.agid.gov.it), mostrato in fondo alle pagine.",
    )
    logo = models.ImageField("logo", upload_to="loghi/", blank=True)
    note = models.TextField("note", blank=True)
    note_trascrizione = models.TextField(
        "note di trascrizione",
        blank=True,
        help_text="Come è stato trascritto il documento originale: solo nell'amministrazione, "
        "mai nelle pagine né nelle stampe.",
    )

    class Meta:
        verbose_name = "comune"
        verbose_name_plural = "comuni"
        ordering = ["nome"]

    def __str__(self):
        return self.denominazione or f"Comune di {self.nome}"
