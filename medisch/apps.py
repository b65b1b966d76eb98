from django.apps import AppConfig


class MedischConfig(AppConfig):
    """The doctor-only module (MD-1..7). Nothing outside it imports from it except public.py."""

    name = "medisch"
    verbose_name = "Medisch"

    def ready(self):
        from .db import connect_signal

        connect_signal()
