"""`flush` (used between transactional tests) runs as the owning login: the application role
may not touch the medical tables, not even to empty them (MD-2 layer 2, config/db_roles.py).
Replaces Django's command of the same name (`config` is the first installed app)."""

from django.core.management.commands.flush import Command as DjangoFlush

from config.db_roles import owner_mode


class Command(DjangoFlush):
    help = f"{DjangoFlush.help} Runs as the owning login (MD-2)."

    def handle(self, *args, **options):
        with owner_mode():
            return super().handle(*args, **options)
