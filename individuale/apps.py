from django.apps import AppConfig


class IndividualeConfig(AppConfig):
    """The individual evaluation: the SMVP of each year, the schede di valutazione
    individuale with colloquio and conciliazione, the premi and their distribution."""

    name = "individuale"
    verbose_name = "Valutazione individuale e premi"
