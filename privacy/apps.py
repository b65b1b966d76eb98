from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy"

    def ready(self):
        # Imported here, not at the top: these modules import models, which Django loads only
        # after every app config (the app registry), not to dodge an import cycle.
        from accounts import dashboard

        from . import policies
        from .export import register_privacy_export
        from .panels import breaches_panel, requests_panel
        from .retention import register_privacy

        register_privacy()
        dashboard.register_nav("Datalekken", "privacy:breaches", policies.can_manage_breaches)
        register_privacy_export()
        dashboard.register(
            requests_panel, name="privacy-verzoeken", policy=policies.can_manage_requests
        )
        dashboard.register(
            breaches_panel, name="privacy-datalekken", policy=policies.can_manage_breaches
        )
        dashboard.register_nav("Verzoeken", "privacy:requests", policies.can_manage_requests)
