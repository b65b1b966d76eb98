"""`createcachetable` creates a table, so it runs as the owning login (config/db_roles.py),
after which the application role gets its privileges on it. Replaces Django's command of the
same name (`config` is the first installed app)."""

from django.core.management.commands.createcachetable import Command as DjangoCreateCacheTable
from django.db import connections

from config.db_roles import apply_grants, owner_mode


class Command(DjangoCreateCacheTable):
    help = f"{DjangoCreateCacheTable.help} Runs as the owning login, then grants (MD-2)."

    def handle(self, *args, **options):
        with owner_mode():
            super().handle(*args, **options)
            apply_grants(connections[options["database"]])
