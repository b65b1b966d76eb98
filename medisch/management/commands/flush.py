"""`flush` (used between transactional tests) runs as the owning login: the application role
may not touch the medical tables, not even to empty them (MD-2 layer 2)."""

from django.core.management.commands.flush import Command as DjangoFlush

from medisch.db import owner_mode


class Command(DjangoFlush):
    def handle(self, *args, **options):
        with owner_mode():
            return super().handle(*args, **options)
