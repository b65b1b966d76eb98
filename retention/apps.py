from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = "Bewaartermijnen"

    def ready(self):
        from accounts import dashboard

        from . import policies
        from .models import LegalHold, PurgeRun, RetentionExtension
        from .registry import no_personal_data

        for model in (LegalHold, RetentionExtension, PurgeRun):
            no_personal_data(model, "verwijst naar records, niet naar personen")

        dashboard.register_nav("Bewaartermijnen", "retention:index", policies.can_manage_retention)
