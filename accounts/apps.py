from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Imported here, not at the top: these modules import models, which Django loads only
        # after every app config (the app registry), not to dodge an import cycle.
        from . import (
            schema,  # noqa: F401 - registers the OpenAPI auth extension
            sessions,
        )
        from .export import register_accounts_export
        from .models import User
        from .retention import register_accounts

        register_accounts()
        register_accounts_export()
        sessions.connect(User)
