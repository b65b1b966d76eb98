from django.apps import AppConfig


class VerzuimConfig(AppConfig):
    name = "verzuim"
    verbose_name = "Verzuim"

    def ready(self):
        # Imported here, not at the top: these modules import models, and apps.py is imported
        # while the app registry is still being filled (models cannot load before ready()).
        from accounts import dashboard, demo

        from . import panels, policies
        from .demo import seed_verzuim
        from .export import register_verzuim_export
        from .retention import register_verzuim

        dashboard.register(
            panels.deadlines_panel, name="verzuim-termijnen", policy=policies.can_file_ziekmelding
        )
        dashboard.register(panels.employee_panel, name="verzuim-mijn", policy=policies.is_werknemer)
        dashboard.register_nav("Verzuim", "verzuim:ziekmeldingen", policies.can_read_cases)
        dashboard.register_nav("Werknemers", "verzuim:werknemers", policies.can_view_werknemers)
        dashboard.register_nav("Keuringen", "verzuim:keuringen", policies.can_file_ziekmelding)
        dashboard.register_nav("Mijn verzuim", "verzuim:mijn", policies.is_werknemer)
        demo.contributors.append(seed_verzuim)
        register_verzuim()
        register_verzuim_export()
