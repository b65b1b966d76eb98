from django.apps import AppConfig


class ReintegratieConfig(AppConfig):
    name = "reintegratie"
    verbose_name = "Re-integratie"

    def ready(self):
        from accounts import dashboard, demo

        from . import panels_mijn, panels_traject, policies
        from .demo import seed_reintegratie

        dashboard.register(panels_traject.consultant_panel)
        dashboard.register(panels_mijn.employee_panel)
        dashboard.register_nav("Trajecten", "reintegratie:trajectories", policies.uses_trajectories)
        dashboard.register_nav(
            "Mijn re-integratie", "reintegratie:mijn", lambda user: user.role == "werknemer"
        )
        demo.contributors.append(seed_reintegratie)

        from .retention import register_reintegratie

        register_reintegratie()

        from .export import register_reintegratie_export

        register_reintegratie_export()
