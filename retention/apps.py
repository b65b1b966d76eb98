from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = "Bewaartermijnen"

    def ready(self):
        # Imported here, not at the top: these modules import models, which Django loads only
        # after every app config (the app registry), not to dodge an import cycle.
        from accounts import dashboard

        from . import policies
        from .models import DriftCheck, LegalHold, PurgeRun, RetentionExtension
        from .registry import no_personal_data

        for model in (LegalHold, RetentionExtension, PurgeRun, DriftCheck):
            no_personal_data(model, "verwijst naar records, niet naar personen")

        dashboard.register_nav("Bewaartermijnen", "retention:index", policies.can_manage_retention)
