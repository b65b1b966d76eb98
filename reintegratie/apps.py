from django.apps import AppConfig


class ReintegratieConfig(AppConfig):
    name = "reintegratie"
    verbose_name = "Re-integratie"
