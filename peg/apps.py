from django.apps import AppConfig


class PegConfig(AppConfig):
    name = "peg"
    verbose_name = "Enti e piani"
