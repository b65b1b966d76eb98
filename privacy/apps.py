from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy"

    def ready(self):
        from accounts import dashboard
        from accounts.policies import is_operator

        from .retention import register_privacy

        register_privacy()
        dashboard.register_nav(
            "Datalekken",
            "privacy:breaches",
            is_operator,
        )

        from .export import register_privacy_export
        from .panels import requests_panel

        register_privacy_export()
        dashboard.register(requests_panel)
        dashboard.register_nav(
            "Verzoeken",
            "privacy:requests",
            is_operator,
        )
