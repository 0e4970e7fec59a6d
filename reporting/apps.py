from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """Dashboards, Relazione, PDF schede and books, Excel export and import."""

    name = "reporting"
    verbose_name = "Stampe ed esportazioni"

    def ready(self):
        from . import signals  # noqa: F401
