"""`manage.py verify_audit_log`: walk the hash chain (SE-7); exit 1 on any break."""

from django.core.management.base import BaseCommand, CommandError

from privacy.audit import verify
from privacy.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Controleer de hashketen van het auditlog; faalt bij een gewijzigde of verwijderde regel."
    )

    def handle(self, *args, **options):
        problems = list(verify())
        for problem in problems:
            self.stderr.write(f"regel {problem.seq}: {problem.reason}")
        if problems:
            raise CommandError(f"Auditlog NIET intact: {len(problems)} probleem/problemen.")
        self.stdout.write(f"Auditlog intact: {AuditEvent.objects.count()} regels gecontroleerd.")
