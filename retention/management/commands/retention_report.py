"""`manage.py retention_report` (DESIGN.md): the dry run of the purge (RT-6) — per category the
rules and how many records the next run removes, and the total. Counts only, no personal data.
`--json` prints the same as JSON for other tools."""

import json

from django.core.management.base import BaseCommand

from retention.purge import dry_run


class Command(BaseCommand):
    help = "Toont wat de volgende opschoonrun verwijdert, per categorie (RT-6)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="uitvoer als JSON")

    def handle(self, *args, **options):
        rows = dry_run()
        total = sum(row.count for row in rows)
        if options["json"]:
            payload = {
                "categories": [
                    {"key": r.key, "label": r.label, "rules": r.rules, "count": r.count}
                    for r in rows
                ],
                "total": total,
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
