from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD, demo_logins_ensure


class Command(BaseCommand):
    help = "Seed the demo data (demo logins and, later, the demo town). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=["small", "full"], default="full")
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Create the demo logins even though DEBUG is off. Never on a real service: "
            "their password is published.",
        )

    def handle(self, *args, size, allow_without_debug, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "DEBUG is off, so this looks like a real service: refusing to create demo logins "
                "with a published password. Pass --allow-without-debug if this really is a demo."
            )
        demo_logins_ensure()
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {DEMO_PASSWORD}):"))
        for username, role, _staff in DEMO_LOGINS:
            self.stdout.write(f"  {username:<20} {role or 'admin'}")
