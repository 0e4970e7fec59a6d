from django.apps import AppConfig


class TrasparenzaConfig(AppConfig):
    """Amministrazione trasparente › Performance: publications, public pages, open data."""

    name = "trasparenza"
    verbose_name = "Amministrazione trasparente"

    def ready(self):
        from individuale.vigore import registra_vincolo
        from objectives.demo_loader import piano_demo_caricato

        from .demo import pubblica_demo
        from .pubblicazioni import premi_pubblicati

        # The demo loader sits below this app: the demo's publications register here.
        piano_demo_caricato.connect(pubblica_demo, dispatch_uid="trasparenza.demo")
        # individuale never imports this app: the published premi tables hold its real
        # run back (a new distribution would change them online) through a vincolo.
        registra_vincolo(premi_pubblicati)
