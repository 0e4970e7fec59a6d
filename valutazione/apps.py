from django.apps import AppConfig


class ValutazioneConfig(AppConfig):
    """The OIV's review: validated scores, comments with the responsabili, evidence."""

    name = "valutazione"
    verbose_name = "Valutazione (OIV)"

    def ready(self):
        from . import signals  # noqa: F401
