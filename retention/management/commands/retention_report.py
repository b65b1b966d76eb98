"""`manage.py retention_report` (DESIGN.md): the dry run of the purge (RT-6) — per category the
rules and how many records the next run removes, and the total — and the last check of the
stored retention dates (retention/drift.py, issue 24): per category how many dates were missing,
too late or too early, and how many were repaired. Counts only, no personal data. `--json` prints
the same as JSON for other tools; `--check-dates` runs the check first (as the nightly task does:
it repairs what it finds)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from retention import drift
from retention.purge import dry_run
from retention.tasks import run_date_check

# The Dutch column heads, as on the operator's page.
DRIFT_HEADS = (
    ("checked", "Gecontroleerd"),
    ("missing", "Ontbrak"),
    ("too_late", "Te laat"),
    ("too_early", "Te vroeg"),
    ("repaired", "Hersteld"),
)


def _table(header, table) -> list[str]:
    """Lines of a plain table: the first column left-aligned, the rest right-aligned."""
    widths = [max(len(line[i]) for line in [header, *table]) for i in range(len(header))]

    def line(cells):
        return "  ".join(
            f"{cell:<{widths[i]}}" if i == 0 else f"{cell:>{widths[i]}}"
            for i, cell in enumerate(cells)
        )

    rule = "  ".join("-" * w for w in widths)
    return [line(header), rule, *(line(cells) for cells in table)]


class Command(BaseCommand):
    help = (
        "Toont wat de volgende opschoonrun verwijdert, per categorie, en de laatste controle "
        "van de bewaardata (RT-6)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="uitvoer als JSON")
        parser.add_argument(
            "--check-dates",
            action="store_true",
            help="controleer en herstel eerst alle opgeslagen bewaardata (zoals 's nachts)",
        )

    def handle(self, *args, **options):
        if options["check_dates"]:
            if run_date_check() is None:
                raise CommandError("Er loopt al een controle van de bewaardata.")
        rows = dry_run()
        total = sum(row.count for row in rows)
        check = drift.last_check()
        check_rows = drift.labelled(check)
        if options["json"]:
            payload = {
                "categories": [
                    {"key": r.key, "label": r.label, "rules": r.rules, "count": r.count}
                    for r in rows
                ],
                "total": total,
                "date_check": None
                if check is None
                else {
                    "finished_at": check.finished_at.isoformat(),
                    "categories": check_rows,
                },
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        header = ("Categorie", "Regels", "Aantal")
        table = [(r.key, r.rules, str(r.count)) for r in rows]
        widths = [max(len(line[i]) for line in [header, *table]) for i in range(3)]

        def line(cells):
            return f"{cells[0]:<{widths[0]}}  {cells[1]:<{widths[1]}}  {cells[2]:>{widths[2]}}"

        self.stdout.write(line(header))
        self.stdout.write("  ".join("-" * w for w in widths))
        for cells in table:
            self.stdout.write(line(cells))
        self.stdout.write("  ".join("-" * w for w in widths))
        self.stdout.write(line(("Totaal", "", str(total))))
        self.stdout.write("")
        if check is None:
            self.stdout.write("Controle bewaardata: nog niet uitgevoerd.")
            return
        finished = timezone.localtime(check.finished_at)
        self.stdout.write(f"Controle bewaardata: {finished:%d-%m-%Y %H:%M}")
        lines = _table(
            ("Categorie", *(head for _, head in DRIFT_HEADS)),
            [(row["key"], *(str(row[name]) for name, _ in DRIFT_HEADS)) for row in check_rows],
        )
        for text in lines:
            self.stdout.write(text)
