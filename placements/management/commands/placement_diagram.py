from django.core.management.base import BaseCommand

from placements import workflow


class Command(BaseCommand):
    help = (
        "Print the placement workflow as a Mermaid state diagram (or a Markdown table), "
        "generated from placements/workflow.py (docs/rules/placements.md holds a copy that a "
        "test keeps current)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--table", action="store_true", help="the Markdown table instead")

    def handle(self, *args, table, **options):
        self.stdout.write(workflow.table() if table else workflow.diagram(), ending="")
