from django.apps import AppConfig


class ReintegratieConfig(AppConfig):
    name = "reintegratie"
    verbose_name = "Re-integratie"

    def ready(self):
        # Imported here, not at the top: these modules import models, which Django loads only
        # after every AppConfig is created (not an import cycle: the app registry's order).
        from accounts import dashboard, demo
        from verzuim.actions import termijnen

        from . import bundle, completeness, panels, policies
        from .demo import seed_reintegratie
        from .export import register_reintegratie_export
        from .retention import register_reintegratie

        dashboard.register(
            panels.consultant_worklist,
            name="reintegratie-consultant",
            policy=policies.is_consultant,
        )
        dashboard.register(panels.consultant_panel)
        dashboard.register(
            panels.employee_panel, name="reintegratie-mijn", policy=policies.is_employee
        )
        dashboard.register(
            panels.employer_worklist, name="reintegratie-werkgever", policy=policies.draws_up_plans
        )
        dashboard.register(
            panels.completeness_worklist,
            name="reintegratie-volledigheid",
            policy=policies.keeps_dossiers,
        )
        # RI-12: the WIA application is recorded only with a complete re-integratieverslag.
        termijnen.register_step_requirement("wia_aanvraag", completeness.wia_requirement)
        # ... and with the re-integratieverslag for UWV made from the documents as they are now.
        termijnen.register_step_requirement("wia_aanvraag", bundle.wia_requirement)
        dashboard.register_nav("Trajecten", "reintegratie:trajectories", policies.uses_trajectories)
        dashboard.register_nav("Mijn re-integratie", "reintegratie:mijn", policies.is_employee)
        demo.contributors.append(seed_reintegratie)
        register_reintegratie()
        register_reintegratie_export()
