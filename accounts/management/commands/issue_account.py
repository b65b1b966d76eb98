"""`manage.py issue_account`: issue an account from the command line through the same action as
the pages, admin and API (SE-3). `--by` names the issuing user; `--bootstrap` creates the first
beheerder and is refused once any beheerder exists."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts import actions
from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role


class Command(BaseCommand):
    help = "Maak een account aan (SE-3: alleen wie dat mag)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--organisation", help="naam van de organisatie")
        parser.add_argument("--by", help="e-mailadres van de uitgevende gebruiker")
        parser.add_argument(
            "--bootstrap",
            action="store_true",
            help="de eerste beheerder (alleen als er nog geen is)",
        )

    def handle(self, *args, **o):
        organisation = None
        if o["organisation"]:
            organisation = Organisation.objects.filter(name=o["organisation"]).first()
            if organisation is None:
                raise CommandError(f"Organisatie {o['organisation']!r} bestaat niet.")
        try:
            if o["bootstrap"]:
                if o["role"] != Role.BEHEERDER or User.objects.filter(role=Role.BEHEERDER).exists():
                    raise CommandError("--bootstrap maakt alleen de allereerste beheerder aan.")
                if organisation is None:
                    organisation, _ = Organisation.objects.get_or_create(
                        name="Arbodienst", kind=OrganisationKind.ARBODIENST
                    )
                user = actions.issue_account(
                    by=None,
                    system=True,
                    email=o["email"],
                    full_name=o["name"],
                    role=o["role"],
                    organisation=organisation,
                )
            else:
                if not o["by"]:
                    raise CommandError("Geef --by: de gebruiker die het account uitgeeft.")
                by = User.objects.filter(email__iexact=o["by"], is_active=True).first()
                if by is None:
                    raise CommandError(f"Uitgevende gebruiker {o['by']!r} bestaat niet.")
                user = actions.issue_account(
                    by=by,
                    email=o["email"],
                    full_name=o["name"],
                    role=o["role"],
                    organisation=organisation,
                )
        except actions.AccountRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"Account aangemaakt: {user.email} ({user.role}). "
            "Stel het wachtwoord in via 'Wachtwoord vergeten'."
        )
