from django.apps import AppConfig


class PegConfig(AppConfig):
    name = "peg"
    verbose_name = "Enti e piani"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sicurezza import sessione_aperta

        user_logged_in.connect(sessione_aperta, dispatch_uid="peg.sicurezza.sessione_aperta")
