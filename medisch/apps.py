from django.apps import AppConfig
from django.conf import settings


class MedischConfig(AppConfig):
    """The doctor-only module (MD-1..7). Nothing outside it imports from it except public.py."""

    name = "medisch"
    verbose_name = "Medisch"

    def ready(self):
        # Imported here, not at the top: these modules import models, which Django loads only
        # after every AppConfig (AppRegistryNotReady otherwise).
        from accounts import dashboard, deletion
        from encryption import crypto  # registers the key checks too (MD-3, medisch.E001)

        from .policies import may_enter
        from .public import medical_references

        if settings.PRODUCTION:
            # MD-3: without a key the app refuses to start (gunicorn and celery run no system
            # checks); the exception says which variable to set.
            crypto.keyring()
        # The admin's delete refusal counts medical rows through this (accounts imports no
        # domain app, MD-2 layer 2).
        deletion.register_reference_counter(medical_references)
        from .panels import doctor_worklist

        dashboard.register(doctor_worklist, name="medisch", policy=may_enter)
        dashboard.register_nav("Medisch", "medisch:index", may_enter)
        dashboard.register_nav("Keuringen", "medisch:keuringen", may_enter)

        from accounts import demo

        from .demo import seed_medisch

        demo.contributors.append(seed_medisch)

        from .retention import register_medisch

        register_medisch()

        from .export import register_medisch_export

        register_medisch_export()
