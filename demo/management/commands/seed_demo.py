"""Seed the demo town: demo logins, employers, vacancies, mentors and seekers on real Barnsley
postcodes. Idempotent: the town is written in one transaction, and skipped if it is there."""

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import DateTimeField, F
from django.db.models.functions import Cast
from django.utils import timezone
from tqdm import tqdm

from accounts.models import Role, User
from demo.employers import employer_accounts, seed_employers, seed_vacancies
from demo.history import seed_demo_seeker_placements, seed_history
from demo.logins import DEMO_LOGINS, DEMO_PASSWORD, demo_logins_ensure
from demo.seekers import demo_seeker_profile_values, role_accounts, seed_seekers
from employers.models import EmployerMember
from matching.lookups import postcode_index
from matching.services import matches_recompute_all
from seekers.models import ConsentChange, SeekerProfile
from seekers.services import CONSENT_STATEMENT

BARNSLEY = "E08000038"  # local authority code in the ONS Postcode Directory, November 2025
SIZES = {
    #         seekers, vacancies, employers, mentors, commissioners
    "full": (2500, 800, 120, 25, 2),
    "small": (60, 30, 10, 3, 1),
}


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="full")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Create the demo logins even though DEBUG is off. Never on a real service: "
            "their password is published.",
        )

    def handle(self, *args, size, seed, allow_without_debug, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "DEBUG is off, so this looks like a real service: refusing to create demo logins "
                "with a published password. Pass --allow-without-debug if this really is a demo."
            )
        started = time.monotonic()
        with transaction.atomic():
            logins = {u.username: u for u in demo_logins_ensure()}
            if SeekerProfile.objects.filter(user=logins["demo-seeker"]).exists():
                self.stdout.write("The demo town is already seeded; nothing to do.")
            else:
                self._seed_town(logins, size=size, rng=random.Random(seed))
        self.stdout.write(f"Seeded in {time.monotonic() - started:.1f} s.")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {DEMO_PASSWORD}):"))
        for username, role, _staff in DEMO_LOGINS:
            self.stdout.write(f"  {username:<20} {role or 'admin'}")

    def _seed_town(self, logins, *, size, rng):
        n_seekers, n_vacancies, n_employers, n_mentors, n_commissioners = SIZES[size]
        today = timezone.localdate()
        steps = tqdm(total=7, desc="demo town", unit="step", disable=None)

        index = postcode_index()
        codes = index.postcodes_in_la(BARNSLEY)
        locations = [loc for loc in index.lookup_many(codes) if not isinstance(loc, Exception)]
        steps.update()

        mentors = [
            logins["demo-mentor"],
            *role_accounts(role=Role.MENTOR, prefix="mentor", count=n_mentors - 1),
        ]
        role_accounts(role=Role.COMMISSIONER, prefix="commissioner", count=n_commissioners - 1)
        members = [logins["demo-employer"], *employer_accounts(rng=rng, count=n_employers - 1)]
        steps.update()

        employers = seed_employers(rng=rng, count=n_employers, members=members)
        demo_org = EmployerMember.objects.get(user=logins["demo-employer"]).employer
        employers.sort(key=lambda e: e != demo_org)  # the demo employer's organisation first
        steps.update()

        vacancies = seed_vacancies(
            rng=rng, employers=employers, count=n_vacancies, postcodes=locations, today=today
        )
        steps.update()

        users = role_accounts(role=Role.SEEKER, prefix="seeker", count=n_seekers - 1)
        active = seed_seekers(
            rng=rng, users=users, mentors=mentors, locations=locations, today=today
        )
        history = seed_history(
            rng=rng,
            today=today,
            mentors=mentors,
            locations=locations,
            vacancies=vacancies,
            active_profiles=active,
            size=size,
            admin=logins["demo-admin"],
        )
        # A profile was last changed when it was made, not today, so the caseload's "stuck"
        # reflects the history just seeded.
        SeekerProfile.objects.filter(pk__in=[p.pk for p in active]).update(
            updated_at=Cast(F("registered_on"), DateTimeField())
        )
        steps.update()

        town_centre = index.lookup("S70 2TA")
        demo = SeekerProfile.objects.create(
            user=logins["demo-seeker"],
            mentor=logins["demo-mentor"],
            **demo_seeker_profile_values(rng=rng, today=today, location=town_centre),
        )
        ConsentChange.objects.create(
            seeker=demo,
            share_with_employers=True,
            statement=CONSENT_STATEMENT[True],
            changed_by=demo.user,
        )
        steps.update()
        run = matches_recompute_all()  # the town's matches, as the nightly run would make them
        seed_demo_seeker_placements(seeker=demo, mentor=logins["demo-mentor"])
        steps.close()
        self.stdout.write(
            f"Seeded {User.objects.filter(role=Role.SEEKER).count()} seekers, "
            f"{n_vacancies} vacancies from {n_employers} employers, {n_mentors} mentors and "
            f"{n_commissioners} commissioners on {len(locations)} Barnsley postcodes."
        )
        self.stdout.write("History: " + ", ".join(f"{n} {what}" for what, n in history.items()))
        self.stdout.write(
            f"Matches computed for {run.stats.get('seekers', 0):,} seekers and "
            f"{run.stats.get('vacancies_matchable', 0):,} open vacancies."
        )
