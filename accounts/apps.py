from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Imported here, not at the top: these modules import models, which Django loads only
        # after every app config (the app registry), not to dodge an import cycle.
        from django.db.models.signals import post_delete, post_save

        from . import (
            policies,
            schema,  # noqa: F401 - registers the OpenAPI auth extension
            sessions,
        )
        from .export import register_accounts_export
        from .models import Assignment, User
        from .retention import register_accounts

        register_accounts()
        register_accounts_export()
        sessions.connect(User)
        # SE-9: a user object's memo of whom it serves is read again after any change.
        post_save.connect(
            policies.assignments_changed, sender=Assignment, dispatch_uid="vk-assignment-saved"
        )
        post_delete.connect(
            policies.assignments_changed, sender=Assignment, dispatch_uid="vk-assignment-deleted"
        )
