from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from demo.logins import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Seed a small demo into the configured database, then check that each demo login gets "
        "a token and reads /api/v1/me/ with its role, and signs in on the page to reach its "
        "home page. Serves nothing."
    )

    def handle(self, *args, **options):
        call_command("seed_demo", size="small", allow_without_debug=True, stdout=self.stdout)
        client = Client()
        for username, role, _staff in DEMO_LOGINS:
            response = client.post(
                "/api/v1/auth/token/",
                {"username": username, "password": DEMO_PASSWORD},
                content_type="application/json",
            )
            if response.status_code != 200:
                raise CommandError(f"{username}: token request answered {response.status_code}")
            token = response.json()["token"]
            me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
            expected = role or "admin"
            if me.status_code != 200 or me.json().get("role") != expected:
                raise CommandError(
                    f"{username}: /api/v1/me/ answered {me.status_code} {me.content!r}"
                )
            pages = Client()
            signed_in = pages.post(
                "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}, follow=True
            )
            home = signed_in.redirect_chain[-1][0] if signed_in.redirect_chain else "?"
            if signed_in.status_code != 200 or home.startswith("/accounts/login/"):
                raise CommandError(
                    f"{username}: signing in on the page ended at {home} ({signed_in.status_code})"
                )
            self.stdout.write(f"ok  {username:<20} me.role={me.json()['role']:<13} home={home}")
        self.stdout.write(self.style.SUCCESS("demo-check passed"))
