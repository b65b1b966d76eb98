"""`manage.py demo_code --role hr`: the current TOTP code of a demo user, for newcomers without an
authenticator app. Refuses unless the database is the embedded demo one (DESIGN.md, Pages)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_USERS, EMAIL_DOMAIN, current_code


class Command(BaseCommand):
    help = "Toon de huidige TOTP-code van een demogebruiker (alleen op de ingebouwde demodatabase)."

    def add_arguments(self, parser):
        # A role (its first demo user) or the e-mail local part of one (hr-installatie, hr-zorg).
        roles = [str(role) for role, _, _ in DEMO_USERS]
        choices = dict.fromkeys(roles + [local for _, local, _ in DEMO_USERS])
        parser.add_argument("--role", required=True, choices=list(choices))

    def handle(self, *args, role, **options):
        if settings.PRODUCTION or not settings.EMBEDDED_DATABASE:
            raise CommandError("Alleen beschikbaar op de ingebouwde demodatabase (make run).")
        local = next(local for r, local, _ in DEMO_USERS if role in (str(r), local))
        device = TOTPDevice.objects.filter(
            user__email=f"{local}@{EMAIL_DOMAIN}", user__is_synthetic=True, name="default"
        ).first()
        if device is None:
            raise CommandError("Geen demogebruiker gevonden; draai eerst seed_demo.")
        self.stdout.write(current_code(device))
