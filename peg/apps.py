from django.apps import AppConfig


class PegConfig(AppConfig):
    name = "peg"
    verbose_name = "Enti e piani"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save, pre_save

        from . import organigramma_piano
        from .sicurezza import sessione_aperta

        user_logged_in.connect(sessione_aperta, dispatch_uid="peg.sicurezza.sessione_aperta")
        # A piano approved keeps the organigramma of its approval (peg.organigramma_piano).
        post_save.connect(
            organigramma_piano.piano_salvato,
            sender="peg.Piano",
            dispatch_uid="peg.organigramma_piano.piano_salvato",
        )
        pre_save.connect(
            organigramma_piano.settore_da_salvare,
            sender="peg.Settore",
            dispatch_uid="peg.organigramma_piano.settore_da_salvare",
        )
