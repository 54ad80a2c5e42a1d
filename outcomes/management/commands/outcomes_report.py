import csv
import io
import json

from django.core.management.base import BaseCommand

from outcomes.selectors import outcomes_report


class Command(BaseCommand):
    help = "Print the commissioners' outcomes report (aggregates, publication rules applied)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "table", "json"], default="table")
        parser.add_argument("--grouping", choices=["month", "quarter", "year"], default="quarter")

    def handle(self, *args, format, grouping, **options):
        from outcomes.report import report_csv

        body = outcomes_report(grouping=grouping)
        if format == "json":
            self.stdout.write(json.dumps(body, indent=2, default=str))
            return
        text = report_csv(body)
        if format == "csv":
            self.stdout.write(text)
            return
        rows = list(csv.reader(io.StringIO(text)))
        widths = [max(len(r[i]) if i < len(r) else 0 for r in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False))
            )
