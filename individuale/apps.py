from django.apps import AppConfig


class IndividualeConfig(AppConfig):
    """The individual evaluation: the SMVP of each year, the schede di valutazione
    individuale with colloquio and conciliazione, the premi and their distribution."""

    name = "individuale"
    verbose_name = "Valutazione individuale e premi"

    def ready(self):
        from objectives.demo_loader import demo_caricata

        from .demo import carica_demo_individuale

        demo_caricata.connect(carica_demo_individuale, dispatch_uid="individuale.demo")
