"""`migrate`, run as the owning login, then the two roles' privileges re-applied (MD-2 layer 2,
medisch/db.py). Replaces Django's command of the same name."""

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

from medisch.db import apply_grants, owner_mode


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        with owner_mode():
            super().handle(*args, **options)
            connection = connections[options["database"]]
            if connection.vendor == "postgresql":
                apply_grants(connection)
