from django.apps import AppConfig


class DoelgroepConfig(AppConfig):
    name = "doelgroep"
    verbose_name = "Doelgroep"

    def ready(self):
        from accounts import dashboard, demo

        from . import policies
        from .demo import seed_doelgroep

        demo.contributors.append(seed_doelgroep)

        dashboard.register_nav("Doelgroep", "doelgroep:index", policies.uses_doelgroep)
        dashboard.register_nav(
            "Geheimhouding", "doelgroep:verklaringen", policies.can_manage_statements
        )

        from .retention import register_doelgroep

        register_doelgroep()

        from .export import register_doelgroep_export

        register_doelgroep_export()
