from django.apps import AppConfig


class DoelgroepConfig(AppConfig):
    name = "doelgroep"
    verbose_name = "Doelgroep"

    def ready(self):
        # Imported here, not at the top: these modules import models, which do not exist until
        # the app registry has loaded every app (AppRegistryNotReady), not to break a cycle.
        from accounts import dashboard, demo

        from . import panels, policies
        from .demo import seed_doelgroep
        from .export import register_doelgroep_export
        from .retention import register_doelgroep

        demo.contributors.append(seed_doelgroep)

        dashboard.register(
            panels.statement_panel, name="doelgroep-verklaring", policy=policies.may_sign
        )
        dashboard.register_nav("Doelgroep", "doelgroep:index", policies.may_sign)
        dashboard.register_nav(
            "Geheimhouding", "doelgroep:verklaringen", policies.can_manage_statements
        )
        register_doelgroep()
        register_doelgroep_export()
