from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from . import schema  # noqa: F401 - registers the OpenAPI auth extension
        from .retention import register_accounts

        register_accounts()

        from .export import register_accounts_export

        register_accounts_export()

        from . import sessions
        from .models import User

        sessions.connect(User)
