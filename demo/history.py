"""Four years of demo history (never in production): past jobseekers, placements that walk the
transition table, jobs found elsewhere and the 13- and 26-week checks, so that the commissioners'
outcome report, the mentors' caseloads and the employers' placement lists have something in them.

``seed_history`` is called by ``seed_demo`` once the town's active seekers exist. It adds:

* **Past seekers** (about 3,500 at full size, so that some 6,000 have registered in all, the
  2,500 active ones among them): accounts with unusable passwords (``past-0000``...), profiles
  from the same helpers as the active ones (same benefit-group mix), registered over the last four
  years with more in the earlier years (people who joined recently are mostly still active). They
  have left every caseload (``mentor`` is empty), but their history names the mentor they had then.
* **Journeys** for past and active seekers: search periods with applications (placements), each a
  legal path through the transition table with one ``PlacementEvent`` per move, made by
  the actor the table names (the seeker, their mentor, a member of the vacancy's employer, an
  admin standing in for a missing mentor at a start, or ``None`` for the system's own closures),
  at plausible times after registration; a period may end in a start (through a placement or an
  outside job), which closes the seeker's other open placements as ``closed_started_elsewhere``.
  Spells follow one another (a seeker is never in two at once); a spell may end, and the search
  starts again.
* **Checks**: every start gets its 13- and 26-week checks (due start + 13 and + 26 weeks); those
  due before today are mostly recorded (by the mentor, or an admin for a seeker without one),
  consistently with the spell (in work while it lasts, not in work once it has ended), with mostly
  verified evidence and some self-reported, some ``unknown``, and some left unrecorded (they count
  as unknown 28 days after they are due).

Rates: the chance of a start, and how long spells last, depend on the benefit group. At full
size (seed 2026) about a third of the cohorts with a complete 24-month window reach a job outcome
within it (headline): 34 to 39% in ``jsa_18_24``, ``jsa_25_plus``, ``uc_searching`` and ``none``,
about 19% in ``esa_new`` and 9% in ``esa_ex_ib``. ``uc_health`` (about 30%) is only a little lower
than the others: it is 16% of registrations, and its quarterly cohorts (about 80 people) need some
20 outcomes each for the report to publish their rates; its threshold is also 13
weeks, not 26. Active seekers (still looking, or in work and still supported) have found work less
often than those who have left. Monthly cohorts of all groups publish their 12- and 24-month
rates; quarterly cohorts of ``uc_searching``, ``uc_health`` and ``none`` their 24-month rates.
Counts scale with ``size`` (``small`` has 150 past seekers for the 60 active ones).

Vacancies: history uses the town's existing vacancies (any status but draft: history is history).
Starts go to closed and filled vacancies, and to open ones only while a position stays free, so
the matching engine still has open positions to fill; applications still open today are on open
vacancies only, and a seeker never has two placements for one vacancy.

Everything is written with ``bulk_create`` and drawn from one random stream, so the same seed
gives the same town. ``bulk_create`` would stamp every ``auto_now`` field with the present, so
the history's own times are written with those stamps switched off (``_historical_stamps``).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from accounts.models import Role, User
from demo.seekers import first_consents, profile_values
from employers.models import EmployerMember, Vacancy, VacancyStatus
from outcomes.rules import HARDER_TO_HELP
from placements import workflow
from placements.models import (
    OPEN_STATES,
    CheckResult,
    DeclineReason,
    Evidence,
    OutcomeCheck,
    OutsideJob,
    Placement,
    PlacementEvent,
    State,
)
from placements.services import CHECK_WEEKS
from seekers.models import ConsentChange, SeekerProfile

# Past seekers per size (the active ones come from seed_demo's SIZES: 2,500 full, 60 small).
PAST_SEEKERS = {"full": 3500, "small": 150}
YEARS = 4
# Past seekers registered from the first day of the quarter four years ago (so the first
# quarterly cohort is whole) to at least PAST_MIN_DAYS ago (newer ones are mostly still active),
# with a density falling linearly from 1 at the start to PAST_NEWEST_WEIGHT at the end.
PAST_MIN_DAYS = 60
PAST_NEWEST_WEIGHT = 0.05
# A past seeker stops searching (leaves the service) this many days after registering, unless
# work came first.
PAST_LEAVES_AFTER_DAYS = (150, 900)

# The chance that a search period ends in a start, by benefit group (first period); later
# periods (after a spell ended) a little less. Active seekers are those still here: they found
# work less often than those who left.
START_CHANCE = {
    "jsa_18_24": 0.64,
    "jsa_25_plus": 0.58,
    "none": 0.62,
    "uc_searching": 0.56,
    "uc_health": 0.36,
    "esa_new": 0.26,
    "esa_ex_ib": 0.11,
}
LATER_PERIOD_FACTOR = 0.75
ACTIVE_FACTOR = 0.7
PAST_FACTOR = 1.1
MAX_SPELLS = 3
# Days from the start of a search period to the start that ends it: log-normal.
GAP_MEDIAN_DAYS = 110
GAP_SIGMA = 0.75
# How a start happens.
PLACEMENT_SHARE = 0.62  # the rest are jobs found elsewhere
# Spell lengths: (share under 13 weeks, share 13 to 25 weeks); the rest last 26 weeks or more,
# half of them still going (no end recorded).
SPELL_SHORT_MID = {"harder": (0.30, 0.18), "others": (0.22, 0.14)}
OPEN_ENDED_SHARE = 0.5
# One application per this many days of searching, on average, at most MAX_APPLICATIONS.
DAYS_PER_APPLICATION = 200
MAX_APPLICATIONS = 4
# Who starts an application: a mentor's proposal, an employer's invitation, a seeker's request.
ORIGINS = {"mentor": 0.4, "employer": 0.25, "seeker": 0.35}
# Applications on a vacancy that has since filled: the share the system closed when it filled.
FILLED_CLOSES_SHARE = 0.3
# Checks.
UNRECORDED_SHARE = 0.08
UNKNOWN_IN_WORK_SHARE = 0.03
UNKNOWN_NOT_IN_WORK_SHARE = 0.10
IN_WORK_EVIDENCE = {
    "placement": {"employer_confirmed": 0.42, "mentor_verified": 0.43, "self_reported": 0.15},
    "outside": {"mentor_verified": 0.55, "employer_confirmed": 0.15, "self_reported": 0.30},
}
NOT_IN_WORK_EVIDENCE = {"mentor_verified": 0.7, "self_reported": 0.3}

DECLINE_REASONS = {
    DeclineReason.SKILLS: 0.25,
    DeclineReason.EXPERIENCE: 0.25,
    DeclineReason.AVAILABILITY: 0.14,
    DeclineReason.POSITION_FILLED: 0.15,
    DeclineReason.NO_RESPONSE: 0.13,
    DeclineReason.OTHER: 0.08,
}
DECLINE_OTHER_TEXT = [
    "The role has been put on hold.",
    "We need someone who can start straight away.",
    "An internal candidate was appointed.",
    "The candidate did not come to the interview.",
]
SEEKER_DECLINE = ["Too far to travel.", "The hours do not suit me.", "Not the work I want.", ""]
OFFER_DECLINE = ["The pay is too low.", "The shifts do not fit childcare.", "Travel costs.", ""]
WITHDRAW = ["No longer interested.", "Health reasons.", "Moving away.", "Changed my mind.", ""]
LEFT_SERVICE = "Left the service."
END_REASONS = [
    "Temporary contract finished.",
    "Fixed-term contract ended.",
    "Seasonal work ended.",
    "Left during probation.",
    "Dismissed during probation.",
    "Left for health reasons.",
    "Hours cut.",
    "Resigned.",
    "Made redundant.",
]
OUTSIDE_EMPLOYERS = [
    "Dearne Valley Care Ltd",
    "Hoyland Bakery",
    "Wombwell Motors",
    "Cudworth Cleaning Services",
    "Town End Café",
    "Royston Logistics",
    "Penistone Plumbing and Heating",
    "Goldthorpe Garden Centre",
    "Mapplewell Dental Practice",
    "Darton Taxis",
    "Elsecar Heritage Trust",
    "Worsbrough Veterinary Surgery",
    "Athersley Community Shop",
    "Grimethorpe Packaging",
    "Kendray Nursery",
    "a family business",
    "an agency (warehouse shifts)",
    "self-employed (cleaning)",
]
OUTSIDE_HOURS = [8, 12, 16, 16, 20, 22.5, 25, 30, 30, 35, 37.5, 37.5, 40]


@dataclass
class _Person:
    profile: SeekerProfile
    user: User
    mentor: User | None  # the mentor at the time (past seekers have since left every caseload)
    group: str
    registered: dt.date
    active: bool
    share: bool
    used: set[int] = field(default_factory=set)  # vacancies this person has had a placement for


@dataclass
class _Step:
    to: str
    at: dt.datetime
    actor: str  # seeker, mentor, seeker_or_mentor, employer, system, confirm, ender
    reason: str = ""
    extra: dict = field(default_factory=dict)


def seed_history(
    *,
    rng: random.Random,
    today: dt.date,
    mentors: Sequence[User],
    locations: Sequence,
    vacancies: Sequence[Vacancy],
    active_profiles: Sequence[SeekerProfile],
    size: str,
    admin: User,
) -> Counter:
    """Add four years of history to the demo town; return counts of what was written.

    ``admin`` stands in for the mentor of seekers who have none (at a start and for checks).
    The random stream is derived from ``rng``'s state without drawing from it, so adding history
    does not change what the caller draws next.
    """
    rng = random.Random(repr(rng.getstate()))
    if not connection.features.can_return_rows_from_bulk_insert:
        raise RuntimeError("The demo history needs a database that returns ids from bulk inserts.")
    history = _History(rng=rng, today=today, vacancies=vacancies, admin=admin)
    active = SeekerProfile.objects.filter(pk__in=[p.pk for p in active_profiles])
    people = [history.active_person(p) for p in active.select_related("user", "mentor")]
    people += history.past_people(
        count=PAST_SEEKERS[size], mentors=mentors, locations=locations, today=today
    )
    for person in people:
        history.journey(person)
    history.save()
    return history.counts


class _History:
    def __init__(self, *, rng, today, vacancies, admin):
        self.rng = rng
        self.today = today
        self.tz = timezone.get_current_timezone()
        # Everything in the history happened before today began.
        self.now = dt.datetime.combine(today, dt.time(0, 0), tzinfo=self.tz)
        self.admin = admin
        members = defaultdict(list)
        for member in EmployerMember.objects.select_related("user").order_by("user__username"):
            members[member.employer_id].append(member.user)
        self.members = members
        usable = [
            v for v in vacancies if v.status != VacancyStatus.DRAFT and members[v.employer_id]
        ]
        self.vacancies = sorted(usable, key=lambda v: v.pk)
        self.open = [v for v in self.vacancies if v.status == VacancyStatus.OPEN]
        # Starts: closed and filled vacancies, and open ones while a position stays free.
        self.for_starts = [
            v for v in self.vacancies if v.status != VacancyStatus.OPEN or v.positions > 1
        ]
        self.started = Counter()
        self.placements: list[Placement] = []
        self.events: list[PlacementEvent] = []
        self.reason_fixups: list[tuple[PlacementEvent, Placement]] = []
        self.outside_jobs: list[OutsideJob] = []
        self.checks: list[OutcomeCheck] = []
        self.counts = Counter()

    # --- people -------------------------------------------------------------------------------

    def active_person(self, profile: SeekerProfile) -> _Person:
        return _Person(
            profile=profile,
            user=profile.user,
            mentor=profile.mentor,
            group=profile.benefit_group,
            registered=profile.registered_on,
            active=True,
            share=profile.share_with_employers,
        )

    def past_people(self, *, count, mentors, locations, today) -> list[_Person]:
        """Create ``count`` past seekers (accounts, profiles, first consent) with their times."""
        rng = self.rng
        users, values, mentor_then = [], [], []
        for i in range(count):
            registered = today - dt.timedelta(days=self._past_days_ago())
            joined = self._when(registered)
            user = User(
                username=f"past-{i:04d}",
                role=Role.SEEKER,
                email=f"past-{i:04d}@example.org",
                first_name="Past",
                last_name=f"{i:04d}",
                date_joined=joined,
                is_active=False,  # they have left the service: not matched, cannot sign in
            )
            user.set_unusable_password()
            users.append(user)
            profile = profile_values(rng, today=today, location=rng.choice(locations))
            profile["registered_on"] = registered
            values.append(profile)
            mentor_then.append(mentors[i % len(mentors)] if rng.random() < 0.9 else None)
        User.objects.bulk_create(users, batch_size=1000)
        users = list(User.objects.filter(username__in=[u.username for u in users]))
        users.sort(key=lambda u: u.username)
        profiles = []
        for user, profile in zip(users, values, strict=True):
            joined = self._when(profile["registered_on"])
            profiles.append(
                SeekerProfile(
                    user=user, mentor=None, created_at=joined, updated_at=joined, **profile
                )
            )
        with _historical_stamps(SeekerProfile, "created_at", "updated_at"):
            SeekerProfile.objects.bulk_create(profiles, batch_size=1000)
        by_user = {p.user_id: p for p in SeekerProfile.objects.filter(user__in=users)}
        profiles = [by_user[u.pk] for u in users]
        with _historical_stamps(ConsentChange, "changed_at"):
            ConsentChange.objects.bulk_create(first_consents(profiles, dated=True), batch_size=1000)
        self.counts["past seekers"] = len(profiles)
        return [
            _Person(
                profile=p,
                user=u,
                mentor=m,
                group=p.benefit_group,
                registered=p.registered_on,
                active=False,
                share=p.share_with_employers,
            )
            for p, u, m in zip(profiles, users, mentor_then, strict=True)
        ]

    def _past_days_ago(self) -> int:
        """Days since a past seeker registered: more in the earlier years."""
        first = self.today - _days(YEARS * 365)
        first = dt.date(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
        span = (self.today - first).days
        while True:
            days = self.rng.randint(PAST_MIN_DAYS, span)
            if self.rng.random() < PAST_NEWEST_WEIGHT + (1 - PAST_NEWEST_WEIGHT) * days / span:
                return days

    # --- a journey ------------------------------------------------------------------------------

    def journey(self, person: _Person) -> None:
        """Search periods, each ending in a start (a spell) or at the horizon: today for active
        seekers, the day they left for past ones."""
        rng = self.rng
        last_day = self.today - dt.timedelta(days=1)
        if person.active:
            horizon = last_day
        else:
            horizon = min(last_day, person.registered + _days(rng.randint(*PAST_LEAVES_AFTER_DAYS)))
        chance = START_CHANCE[person.group] * (ACTIVE_FACTOR if person.active else PAST_FACTOR)
        day = person.registered + _days(rng.randint(3, 30))
        spells = 0
        while day < horizon and spells < MAX_SPELLS:
            p = chance if spells == 0 else chance * LATER_PERIOD_FACTOR
            begin = None
            if rng.random() < p:
                gap = math.exp(math.log(GAP_MEDIAN_DAYS) + GAP_SIGMA * rng.gauss(0, 1))
                begin = day + _days(max(7, int(gap)))
                if begin >= horizon:
                    begin = None
            spell = None
            if begin is not None:
                spell = self._start(person, begin)
            if spell is None:
                mode = "now" if person.active else "left"
                cutoff = self.now if person.active else self._when(horizon)
                self._applications(person, day, cutoff, mode=mode, started_by=None)
                return
            start, end, cutoff, started_by, still_open = spell
            if still_open:  # an application on its way to a start today
                self._applications(person, day, cutoff, mode="now", started_by=None)
                return
            self._applications(person, day, cutoff, mode="elsewhere", started_by=started_by)
            spells += 1
            if end is None or end >= horizon:
                return
            day = end + _days(rng.randint(14, 120))

    def _start(self, person: _Person, begin: dt.date):
        """Make the start that ends a search period: a placement (from ``begin``) or an outside
        job (starting on ``begin``). Return (start, end, closing time, what started, still open)
        or None when nothing started before today."""
        rng = self.rng
        if rng.random() < PLACEMENT_SHARE:
            steps = self._walk(person, self._when(begin), success=True)
            steps, final = self._cut(steps, self.now, mode="now")
            if final != State.IN_WORK and not person.active:
                vacancy = None  # a past seeker left before this start: no placement
            elif final == State.IN_WORK:
                vacancy = self._vacancy(person, "start")
            else:
                vacancy = self._vacancy(person, "open") if final in OPEN_STATES else None
            if vacancy is not None and steps:
                start = _start_date(steps)
                end = None
                if final == State.IN_WORK:
                    end = self._spell_end(person, start)
                    self.started[vacancy.pk] += 1
                    steps = self._end_steps(steps, end)
                placement = self._placement(
                    person, vacancy, steps, invited=steps[0].actor == "employer"
                )
                if final != State.IN_WORK:
                    return start, None, self.now, None, True
                hours = vacancy.hours_per_week
                self._spell_checks(person, "placement", placement, start, end, hours)
                confirmed = next(s.at for s in steps if s.to == State.IN_WORK)
                return start, end, confirmed, placement, False
        # A job found elsewhere, recorded by the mentor (or an admin) a little later.
        recorded = self._when(begin + _days(rng.randint(2, 45)))
        if recorded >= self.now:
            return None
        end = self._spell_end(person, begin)
        hours = Decimal(str(rng.choice(OUTSIDE_HOURS)))
        job = OutsideJob(
            seeker=person.profile,
            employer_name=rng.choice(OUTSIDE_EMPLOYERS),
            start_date=begin,
            end_date=end,
            hours_per_week=hours,
            evidence=_weighted(rng, IN_WORK_EVIDENCE["outside"]),
            recorded_by=person.mentor or self.admin,
            recorded_at=recorded,
        )
        self.outside_jobs.append(job)
        self._spell_checks(person, "outside", job, begin, end, hours)
        return begin, end, recorded, job, False

    def _spell_end(self, person: _Person, start: dt.date) -> dt.date | None:
        """The day a spell ended (the first day not in work), or None while it goes on."""
        rng = self.rng
        short, mid = SPELL_SHORT_MID["harder" if person.group in HARDER_TO_HELP else "others"]
        r = rng.random()
        if r < short:
            days = rng.randint(14, 90)
        elif r < short + mid:
            days = rng.randint(92, 181)
        elif rng.random() < OPEN_ENDED_SHARE:
            return None
        else:
            days = rng.randint(183, 1100)
        end = start + _days(days)
        return end if end < self.today else None

    def _applications(self, person, first: dt.date, cutoff: dt.datetime, *, mode, started_by):
        """Applications that did not lead to this period's start, begun between ``first`` and
        ``cutoff``; any still open at ``cutoff`` close as the mode says."""
        rng = self.rng
        last = cutoff.astimezone(self.tz).date() - _days(1)
        length = (last - first).days
        if length < 1:
            return
        begins = [
            first + _days(rng.randint(0, length))
            for _ in range(min(MAX_APPLICATIONS, _poisson(rng, length / DAYS_PER_APPLICATION)))
        ]
        # Applications often overlap the search's end: closed by a start, or still open today.
        if mode != "left" and rng.random() < 0.35:
            begins.append(last - _days(rng.randint(0, min(length, 25))))
        for begin in sorted(begins):
            steps = self._walk(person, self._when(begin), success=False)
            steps, final = self._cut(steps, cutoff, mode=mode, started_by=started_by)
            if not steps:
                continue
            vacancy = self._vacancy(person, "open" if final in OPEN_STATES else "any")
            if vacancy is None:
                continue
            if vacancy.status == VacancyStatus.FILLED and rng.random() < FILLED_CLOSES_SHARE:
                steps = _closed_by_filling(steps)
            self._placement(person, vacancy, steps, invited=steps[0].actor == "employer")

    # --- one placement ------------------------------------------------------------------------

    def _walk(self, person: _Person, t: dt.datetime, *, success: bool) -> list[_Step]:
        """A path through the transition table from ``t``: to a start if ``success``, else to a
        seeker's or an employer's decline, a declined offer or a withdrawal."""
        rng = self.rng
        origins = {
            "mentor": ORIGINS["mentor"] if person.mentor else 0,
            "employer": ORIGINS["employer"] if person.share else 0,
            "seeker": ORIGINS["seeker"],
        }
        origin = _weighted(rng, origins)
        steps = []
        if origin == "seeker":
            steps.append(_Step(State.SEEKER_ACCEPTED, t, "seeker"))
        else:
            steps.append(_Step(State.PROPOSED, t, origin))
            t = self._later(t, 0, 6)
            r = rng.random()
            if not success and r < 0.30:
                reason = rng.choice(SEEKER_DECLINE)
                return [*steps, _Step(State.SEEKER_DECLINED, t, "seeker_or_mentor", reason)]
            if not success and r < 0.36:
                reason = rng.choice(WITHDRAW)
                return [*steps, _Step(State.WITHDRAWN, t, "seeker_or_mentor", reason)]
            steps.append(_Step(State.SEEKER_ACCEPTED, t, "seeker_or_mentor"))
        # The employer answers: mostly within 10 days.
        r = rng.random()
        t = self._later(t, 1, 7) if r < 0.7 else self._later(t, 8, 10 if r < 0.9 else 25)
        r = rng.random()
        if not success and r < 0.36:
            return [*steps, self._employer_decline(t)]
        if not success and r < 0.44:
            return [*steps, _Step(State.WITHDRAWN, t, "seeker_or_mentor", rng.choice(WITHDRAW))]
        if r < 0.80:
            steps.append(_Step(State.INTERVIEW, t, "employer"))
            t = self._later(t, 2, 14)
            r = rng.random()
            if not success and r < 0.55:
                return [*steps, self._employer_decline(t)]
            if not success and r < 0.60:
                return [*steps, _Step(State.WITHDRAWN, t, "seeker_or_mentor", rng.choice(WITHDRAW))]
        steps.append(_Step(State.OFFERED, t, "employer"))
        t = self._later(t, 0, 5)
        r = rng.random()
        if not success and r < 0.70:
            return [
                *steps,
                _Step(State.OFFER_DECLINED, t, "seeker_or_mentor", rng.choice(OFFER_DECLINE)),
            ]
        if not success and r < 0.85:
            return [*steps, _Step(State.WITHDRAWN, t, "seeker_or_mentor", rng.choice(WITHDRAW))]
        start = t.astimezone(self.tz).date() + _days(rng.randint(5, 21))
        steps.append(
            _Step(
                State.START_PENDING,
                t,
                "seeker_or_mentor",
                f"start {start:%Y-%m-%d}",
                {"start_date": start},
            )
        )
        if not success:
            t = self._later(t, 2, 10)
            steps.append(_Step(State.WITHDRAWN, t, "seeker_or_mentor", rng.choice(WITHDRAW)))
            return steps
        # Both confirm on or after the first day; the second confirmation is the start.
        employer_at = self._when(start + _days(rng.randint(0, 3)))
        mentor_at = self._when(start + _days(rng.randint(0, 4)))
        second = "employer" if employer_at >= mentor_at else "mentor"
        steps.append(
            _Step(
                State.IN_WORK,
                max(employer_at, mentor_at),
                "confirm",
                "start confirmed by employer and mentor",
                {"employer_at": employer_at, "mentor_at": mentor_at, "second": second},
            )
        )
        return steps

    def _employer_decline(self, t: dt.datetime) -> _Step:
        reason = _weighted(self.rng, DECLINE_REASONS)
        text = self.rng.choice(DECLINE_OTHER_TEXT) if reason == DeclineReason.OTHER else ""
        return _Step(
            State.EMPLOYER_DECLINED, t, "employer", text or reason, {"decline": (reason, text)}
        )

    def _cut(self, steps, cutoff: dt.datetime, *, mode: str, started_by=None):
        """Keep the steps before ``cutoff``. A placement still open then closes: ``elsewhere``
        (the seeker started another job: the system closes it), ``left`` (the seeker left the
        service: withdrawn), or ``now`` (still open today). Return (steps, final state)."""
        kept = [s for s in steps if s.at < cutoff]
        if not kept:
            return [], None
        final = kept[-1].to
        if final in OPEN_STATES and len(kept) < len(steps):
            if mode == "elsewhere":
                step = _Step(State.CLOSED_STARTED_ELSEWHERE, cutoff, "system")
                step.extra["started_by"] = started_by
                kept.append(step)
            elif mode == "left":
                kept.append(_Step(State.WITHDRAWN, cutoff, "seeker_or_mentor", LEFT_SERVICE))
        elif final in OPEN_STATES and mode == "left":
            # The walk itself ended open (cannot happen for a failed walk, kept for safety).
            kept.append(_Step(State.WITHDRAWN, cutoff, "seeker_or_mentor", LEFT_SERVICE))
        return kept, kept[-1].to

    def _end_steps(self, steps: list[_Step], end: dt.date | None) -> list[_Step]:
        """Add the end of a spell (recorded a few days after its last day) if it has ended."""
        if end is None:
            return steps
        at = min(
            self._when(end + _days(self.rng.randint(0, 10))), self._when(self.today - _days(1))
        )
        at = max(at, steps[-1].at + dt.timedelta(minutes=5))
        reason = self.rng.choice(END_REASONS)
        return [*steps, _Step(State.ENDED, at, "ender", reason, {"end": (end, reason)})]

    def _placement(self, person, vacancy, steps, *, invited) -> Placement:
        rng = self.rng
        placement = Placement(
            seeker=person.profile,
            vacancy=vacancy,
            state=steps[-1].to,
            invited_by_employer=invited,
            created_at=steps[0].at,
            updated_at=steps[-1].at,
        )
        person.used.add(vacancy.pk)
        employers = self.members[vacancy.employer_id]
        previous = ""
        for step in steps:
            if not workflow.move_allowed(previous, step.to):
                raise ValueError(
                    f"The demo history moved {previous or 'new'} -> {step.to}, "
                    "which the placement workflow does not allow."
                )
            by = self._actor(step, person, employers)
            event = PlacementEvent(
                placement=placement,
                from_state=previous,
                to_state=step.to,
                by=by,
                at=step.at,
                reason=step.reason,
            )
            if step.to == State.CLOSED_STARTED_ELSEWHERE:
                started_by = step.extra["started_by"]
                if isinstance(started_by, OutsideJob):
                    event.reason = f"started work elsewhere ({started_by.employer_name})"
                else:
                    self.reason_fixups.append((event, started_by))
            self.events.append(event)
            previous = step.to
            if step.to == State.SEEKER_ACCEPTED:
                placement.introduced_at = step.at
            if "decline" in step.extra:
                placement.decline_reason, placement.decline_text = step.extra["decline"]
            if "start_date" in step.extra:
                placement.start_date = step.extra["start_date"]
            if "end" in step.extra:
                placement.end_date, placement.end_reason = step.extra["end"]
        # Confirmations of a start: both for a start, those already made for one still pending.
        last = steps[-1]
        if placement.start_date and last.to not in (
            State.WITHDRAWN,
            State.CLOSED_STARTED_ELSEWHERE,
        ):
            confirm = next((s for s in steps if s.to == State.IN_WORK), None)
            if confirm is not None:
                employer_at, mentor_at = confirm.extra["employer_at"], confirm.extra["mentor_at"]
            else:  # start_pending today: the confirmations made before today
                start = placement.start_date
                employer_at = self._when(start + _days(rng.randint(0, 3)))
                mentor_at = self._when(start + _days(rng.randint(0, 4)))
                employer_at = employer_at if employer_at < self.now else None
                mentor_at = mentor_at if mentor_at < self.now else None
                if employer_at and mentor_at:  # both made: it would be in work; keep one
                    mentor_at = None
            if employer_at:
                placement.employer_confirmed_at = employer_at
                placement.employer_confirmed_by = rng.choice(employers)
            if mentor_at:
                placement.mentor_confirmed_at = mentor_at
                placement.mentor_confirmed_by = person.mentor or self.admin
            if confirm is not None:
                # The second confirmation made the move: its maker is the event's actor.
                event = self.events[-len(steps) + steps.index(confirm)]
                event.by = (
                    placement.employer_confirmed_by
                    if confirm.extra["second"] == "employer"
                    else placement.mentor_confirmed_by
                )
            stamps = [placement.updated_at, employer_at, mentor_at]
            placement.updated_at = max(s for s in stamps if s)
        self.placements.append(placement)
        return placement

    def _actor(self, step: _Step, person: _Person, employers: list[User]) -> User | None:
        rng = self.rng
        match step.actor:
            case "seeker":
                return person.user
            case "mentor":
                return person.mentor
            case "seeker_or_mentor":
                return person.mentor if person.mentor and rng.random() < 0.3 else person.user
            case "employer":
                return rng.choice(employers)
            case "ender":
                options = [rng.choice(employers), person.user]
                if person.mentor:
                    options.append(person.mentor)
                return rng.choice(options)
            case "system" | "confirm":
                return None  # the confirmer is set with the confirmations
        raise ValueError(step.actor)

    def _vacancy(self, person: _Person, kind: str) -> Vacancy | None:
        """A vacancy this person has not had a placement for: any (for a closed application),
        open (for one still open today), or one with a position to fill (for a start)."""
        pool = {"any": self.vacancies, "open": self.open, "start": self.for_starts}[kind]
        if not pool:
            return None

        def fits(v: Vacancy) -> bool:
            if v.pk in person.used:
                return False
            if kind == "start" and v.status == VacancyStatus.OPEN:
                return self.started[v.pk] < v.positions - 1
            return True

        for _ in range(20):
            vacancy = self.rng.choice(pool)
            if fits(vacancy):
                return vacancy
        return next((v for v in pool if fits(v)), None)

    # --- checks -------------------------------------------------------------------------------

    def _spell_checks(self, person, kind, spell, start: dt.date, end: dt.date | None, hours):
        """The 13- and 26-week checks of a spell; those due before today mostly recorded."""
        rng = self.rng
        for week in CHECK_WEEKS:
            due = start + dt.timedelta(weeks=week)
            check = OutcomeCheck(
                placement=spell if kind == "placement" else None,
                outside_job=spell if kind == "outside" else None,
                week=week,
                due_on=due,
            )
            self.checks.append(check)
            lag = rng.randint(0, 14) if rng.random() < 0.8 else rng.randint(15, 45)
            recorded = self._when(due + _days(lag))
            if due >= self.today or recorded >= self.now or rng.random() < UNRECORDED_SHARE:
                continue
            in_work = end is None or end > due
            if in_work and rng.random() >= UNKNOWN_IN_WORK_SHARE:
                check.result = CheckResult.IN_WORK
                check.hours_per_week = hours
                check.evidence = _weighted(rng, IN_WORK_EVIDENCE[kind])
            elif not in_work and rng.random() >= UNKNOWN_NOT_IN_WORK_SHARE:
                check.result = CheckResult.NOT_IN_WORK
                check.evidence = _weighted(rng, NOT_IN_WORK_EVIDENCE)
            else:
                check.result = CheckResult.UNKNOWN
                check.evidence = Evidence.MENTOR_VERIFIED
                check.note = "Could not reach the person."
            check.recorded_by = person.mentor or self.admin
            check.recorded_at = recorded

    # --- times --------------------------------------------------------------------------------

    def _when(self, day: dt.date) -> dt.datetime:
        """A time in the working day of ``day``."""
        minute = self.rng.randint(9 * 60, 17 * 60 + 59)
        return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=self.tz)

    def _later(self, t: dt.datetime, low: int, high: int) -> dt.datetime:
        days = self.rng.randint(low, high)
        if days == 0:
            return t + dt.timedelta(minutes=self.rng.randint(10, 180))
        return self._when(t.astimezone(self.tz).date() + _days(days))

    # --- writing ------------------------------------------------------------------------------

    def save(self) -> None:
        with _historical_stamps(Placement, "created_at", "updated_at"):
            Placement.objects.bulk_create(self.placements, batch_size=1000)
        for event, started in self.reason_fixups:
            event.reason = f"started work through placement {started.pk}"
        with _historical_stamps(PlacementEvent, "at"):
            PlacementEvent.objects.bulk_create(self.events, batch_size=2000)
        with _historical_stamps(OutsideJob, "recorded_at"):
            OutsideJob.objects.bulk_create(self.outside_jobs, batch_size=1000)
        OutcomeCheck.objects.bulk_create(self.checks, batch_size=2000)
        counts = self.counts
        counts["placements"] = len(self.placements)
        counts["placement events"] = len(self.events)
        counts["outside jobs"] = len(self.outside_jobs)
        counts["checks"] = len(self.checks)
        counts["checks recorded"] = sum(1 for c in self.checks if c.result)


@contextmanager
def _historical_stamps(model, *names: str) -> Iterator[None]:
    """Switch off ``auto_now``/``auto_now_add`` on ``model``'s fields ``names`` for a bulk insert
    of history that carries its own times (bulk_create would stamp them with the present)."""
    fields = [model._meta.get_field(name) for name in names]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _closed_by_filling(steps: list[_Step]) -> list[_Step]:
    """On a vacancy that filled, the system may have closed the application before its own
    end (any state before in_work may close so)."""
    last = steps[-1]
    if len(steps) < 2 or last.to in (State.CLOSED_STARTED_ELSEWHERE, State.IN_WORK, State.ENDED):
        return steps
    if last.reason == LEFT_SERVICE:
        return steps
    return [
        *steps[:-1],
        _Step(State.CLOSED_VACANCY_FILLED, last.at, "system", "all positions filled"),
    ]


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _start_date(steps: list[_Step]) -> dt.date | None:
    return next((s.extra["start_date"] for s in steps if "start_date" in s.extra), None)


def _weighted(rng: random.Random, weights: dict) -> str:
    keys = [k for k, w in weights.items() if w > 0]
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method: means here are small)."""
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def seed_demo_seeker_placements(*, seeker: SeekerProfile, mentor: User) -> list[Placement]:
    """Give the demo jobseeker something to answer on their pages, made through the services
    once the town's matches are computed: their mentor proposes their best match, and the
    employer of the next has interviewed them and offered the job."""
    from matching.selectors import seeker_matches
    from placements import services

    members = EmployerMember.objects.select_related("user")
    vacancies = [
        m.vacancy
        for m in seeker_matches(seeker=seeker)[:20]
        if members.filter(employer_id=m.vacancy.employer_id).exists()
    ][:2]
    if len(vacancies) < 2:
        return []
    proposed = services.placement_propose(
        seeker=seeker, vacancy=vacancies[0], by=mentor, channel="command"
    )
    offered = services.placement_request_introduction(
        seeker=seeker, vacancy=vacancies[1], by=seeker.user, channel="command"
    )
    boss = members.filter(employer_id=vacancies[1].employer_id).first().user
    services.placement_act(
        placement=offered,
        action="interview",
        by=boss,
        channel="command",
        reason="Tuesday at 10am, ask for Sam",
    )
    services.placement_act(placement=offered, action="offer", by=boss, channel="command")
    return [proposed, offered]
