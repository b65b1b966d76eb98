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
        # DG-6: the administration once the statement is signed, the statement to sign before
        # (also after a withdrawal: that page says why), never the gate's refusal (issue 18).
        dashboard.register_nav(
            "Doelgroep",
            lambda user: (
                "doelgroep:index" if policies.current_signature(user) else "doelgroep:verklaring"
            ),
            policies.may_sign,
        )
        dashboard.register_nav(
            "Geheimhouding", "doelgroep:verklaringen", policies.can_manage_statements
        )
        register_doelgroep()
        register_doelgroep_export()
