"""`manage.py seed_demo`: synthetic demo data and one user per role (SE-5). Idempotent."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import demo


class Command(BaseCommand):
    help = "Maak synthetische demodata en één gebruiker per rol (idempotent)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo draait niet in productie (SE-5).")
        started = time.monotonic()
        credentials = demo.seed()
        self.stdout.write(f"Demodata klaar in {time.monotonic() - started:.1f} s.")
        self.stdout.write(
            f"Demo-inloggegevens ({settings.DEMO_CREDENTIALS_PATH}; de HR-gebruikers van de "
            f"andere werkgevers in {demo.extra_credentials_path()}):"
        )
        header = ("rol", "gebruikersnaam", "wachtwoord", "TOTP-geheim", "organisatie")
        rows = [header] + [
            (c["role"], c["username"], c["password"], c["totp_secret"], c["organisation"])
            for c in credentials
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        for row in rows:
            self.stdout.write(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            )
        self.stdout.write(
            "Huidige code van een demogebruiker: make code ROLE=hr (of ROLE=hr-zorg, "
            "ROLE=bedrijfsarts, ...)"
        )
