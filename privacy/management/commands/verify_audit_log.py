"""`manage.py verify_audit_log`: chain what is pending, then walk the hash chain month by month
(SE-7; privacy/partitions.py), one line per month; exit 1 on any break or on rows left unchained
too long (the chainer is not running). `--month 2026-12` checks one month (its links to the
months around it included)."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from privacy import audit


def _month(value: str):
    try:
        return datetime.strptime(value, "%Y-%m").date()
    except ValueError as exc:
        raise CommandError(f"--month: verwacht JJJJ-MM, kreeg {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Controleer de hashketen van het auditlog per maand; faalt bij een gewijzigde of "
        "verwijderde regel."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-chain",
            action="store_true",
            help="Keten openstaande regels niet eerst (alleen controleren).",
        )
        parser.add_argument(
            "--month", type=_month, help="Alleen deze maand (JJJJ-MM, UTC), bijv. 2026-12."
        )

    def handle(self, *args, **options):
        chain = not options["no_chain"]
        problems, rows = [], 0
        for report in audit.verify_partitions(chain=chain, month=options["month"]):
            rows += report.rows
            state = f"{len(report.problems)} probleem/problemen" if report.problems else "intact"
            span = f", volgnummers {report.first_seq}..{report.last_seq}" if report.rows else ""
            if report.rows or report.partition.month is not None:
                self.stdout.write(
                    f"{report.partition.name} ({report.partition.label}): "
                    f"{report.rows} regels{span}: {state}"
                )
            problems += report.problems
        checks = [audit.unchained()]
        if options["month"] is None:
            checks.append(audit.numbering(rows))
        problems += [problem for problem in checks if problem is not None]
        for problem in problems:
            where = f"regel {problem.seq}" if problem.seq is not None else "niet geketend"
            self.stderr.write(f"{where}: {problem.reason}")
        if problems:
            raise CommandError(f"Auditlog NIET intact: {len(problems)} probleem/problemen.")
        self.stdout.write(f"Auditlog intact: {rows} regels gecontroleerd.")
