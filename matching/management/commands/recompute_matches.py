import json
import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from matching.services import matches_recompute_all


class Command(BaseCommand):
    help = "Recompute every seeker's matches and every vacancy's candidates (a full run)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--report",
            action="store_true",
            help="print the run's figures and the exposure report as JSON",
        )

    def handle(self, *args, report, **options):
        started = time.monotonic()
        with tqdm(total=1, desc="matching", unit="seeker", disable=None) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            run = matches_recompute_all(progress=progress)
        self.stdout.write(
            f"Recomputed matches for {run.stats.get('seekers', 0):,} seekers and "
            f"{run.stats.get('vacancies_matchable', 0):,} open vacancies in "
            f"{time.monotonic() - started:.1f} s (engine {run.stats.get('total_s', 0):.2f} s)."
        )
        if report:
            stats = run.stats
            self.stdout.write(
                "Where the time went: "
                + ", ".join(
                    f"{phase} {stats.get(f'{phase}_s', 0):.2f} s"
                    for phase in ("texts", "load", "engine", "reasons", "write")
                )
                + f"; end to end {stats.get('end_to_end_s', 0):.2f} s."
            )
            self.stdout.write(json.dumps(stats, indent=2))
