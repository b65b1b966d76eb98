"""`manage.py verify_audit_log`: chain what is pending, then walk the hash chain (SE-7); exit 1 on
any break or on rows left unchained too long (the chainer is not running)."""

from django.core.management.base import BaseCommand, CommandError

from privacy.audit import verify
from privacy.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Controleer de hashketen van het auditlog; faalt bij een gewijzigde of verwijderde regel."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-chain",
            action="store_true",
            help="Keten openstaande regels niet eerst (alleen controleren).",
        )

    def handle(self, *args, **options):
        problems = list(verify(chain=not options["no_chain"]))
        for problem in problems:
            where = f"regel {problem.seq}" if problem.seq is not None else "niet geketend"
            self.stderr.write(f"{where}: {problem.reason}")
        if problems:
            raise CommandError(f"Auditlog NIET intact: {len(problems)} probleem/problemen.")
        self.stdout.write(f"Auditlog intact: {AuditEvent.objects.count()} regels gecontroleerd.")
