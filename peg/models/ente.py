"""The comune: the tenant every record belongs to, directly or through its parent."""

from django.db import models


class Comune(models.Model):
    # Lookup to the comune it belongs to: access (peg.access) and admin derive from it.
    percorso_comune = ""

    nome = models.CharField("nome", max_length=120, help_text="Senza «Comune di»: es. Chiavari.")
    denominazione = models.CharField(
        "denominazione ufficiale", max_length=160, blank=True, help_text="Es. Città di Seregno."
    )
    provincia = models.CharField("provincia", max_length=80, blank=True)
    slug = models.SlugField("identificativo (slug)", max_length=80, unique=True)
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
