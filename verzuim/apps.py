from django.apps import AppConfig


class VerzuimConfig(AppConfig):
    name = "verzuim"
    verbose_name = "Verzuim"
