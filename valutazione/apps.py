from django.apps import AppConfig


class ValutazioneConfig(AppConfig):
    """The OIV's review: validated scores, comments with the responsabili, evidence."""

    name = "valutazione"
    verbose_name = "Valutazione (OIV)"

    def ready(self):
        from indicators.caricamento import registra_rettifiche

        from . import signals  # noqa: F401
        from .punteggi import puo_averne, rettifiche_in_vigore

        # The scoring loaders sit below this app: it hands them its validated figures.
        registra_rettifiche(rettifiche_in_vigore, puo_averne)
