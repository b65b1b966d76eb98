from django.apps import AppConfig


class DoelgroepConfig(AppConfig):
    name = "doelgroep"
    verbose_name = "Doelgroep"
