from django.apps import AppConfig


class ValutazioneConfig(AppConfig):
    """The OIV's review: validated scores, comments with the responsabili, evidence."""

    name = "valutazione"
    verbose_name = "Valutazione (OIV)"

    def ready(self):
        from indicators.caricamento import registra_rettifiche
        from objectives.demo_loader import demo_caricata

        from . import signals  # noqa: F401
        from .demo import crea_nucleo_demo
        from .punteggi import puo_averne, rettifiche_in_vigore

        # The scoring loaders sit below this app: it hands them its validated figures.
        registra_rettifiche(rettifiche_in_vigore, puo_averne)
        # The demo loader sits below too: the demo's Nucleo registers here.
        demo_caricata.connect(crea_nucleo_demo, dispatch_uid="valutazione.demo")
