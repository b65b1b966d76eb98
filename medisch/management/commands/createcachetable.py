"""`createcachetable` creates a table, so it runs as the owning login (medisch/db.py), after
which the application role gets its privileges on it."""

from django.core.management.commands.createcachetable import Command as DjangoCreateCacheTable
from django.db import connections

from medisch.db import apply_grants, owner_mode


class Command(DjangoCreateCacheTable):
    def handle(self, *args, **options):
        with owner_mode():
            super().handle(*args, **options)
            apply_grants(connections[options["database"]])
