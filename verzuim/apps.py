from django.apps import AppConfig


class VerzuimConfig(AppConfig):
    name = "verzuim"
    verbose_name = "Verzuim"

    def ready(self):
        from accounts import dashboard, demo

        from . import panels
        from .demo import seed_verzuim

        dashboard.register(panels.deadlines_panel)
        dashboard.register(panels.employee_panel)
        demo.contributors.append(seed_verzuim)
