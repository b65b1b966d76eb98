from django.apps import AppConfig


class DoelgroepConfig(AppConfig):
    name = "doelgroep"
    verbose_name = "Doelgroep"

    def ready(self):
        from accounts import dashboard

        from . import policies

        if False:  # routed once the doelgroep pages land
            dashboard.register_nav("Doelgroep", "doelgroep:index", policies.uses_doelgroep)
            dashboard.register_nav(
                "Geheimhoudingsverklaringen",
                "doelgroep:verklaringen",
                policies.can_manage_statements,
            )
