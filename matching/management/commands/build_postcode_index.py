import time

from django.conf import settings
from django.core.management.base import BaseCommand

from matching.postcodes import build_index, index_path, load_index


class Command(BaseCommand):
    help = (
        "Build the compact postcode index from the ONS Postcode Directory package into "
        "var/cache/ if it is missing (later processes memory-map it). Safe while serving."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="rebuild even if present")

    def handle(self, *args, rebuild, **options):
        started = time.monotonic()
        if rebuild:
            build_index(settings.CACHE_DIR)
        index = load_index(settings.CACHE_DIR)
        path = index_path(settings.CACHE_DIR)
        self.stdout.write(
            f"{path} ({path.stat().st_size / 1e6:.1f} MB): {len(index):,} located postcodes, "
            f"ready in {time.monotonic() - started:.1f} s"
        )
