"""`migrate`, run as the owning login, then the two roles' privileges re-applied (MD-2 layer 2,
config/db_roles.py). Replaces Django's command of the same name: `config` is the first installed
app, and Django takes a command from the earliest app that has one."""

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

from config.db_roles import apply_grants, owner_mode


class Command(DjangoMigrate):
    help = (
        f"{DjangoMigrate.help} Runs as the owning login, then re-applies the roles' grants (MD-2)."
    )

    def handle(self, *args, **options):
        with owner_mode():
            super().handle(*args, **options)
            connection = connections[options["database"]]
            if connection.vendor == "postgresql":
                apply_grants(connection)
