from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """Schede PDF and Excel exports: filled by the reporting issue."""

    name = "reporting"
    verbose_name = "Stampe ed esportazioni"
