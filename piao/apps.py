from django.apps import AppConfig


class PiaoConfig(AppConfig):
    """The PIAO's sezione 2: valore pubblico (2.1) and performance (2.2), or the
    stand-alone Piano della performance / PDO of the enti under 50 dipendenti."""

    name = "piao"
    verbose_name = "PIAO - Valore pubblico e performance"

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)
