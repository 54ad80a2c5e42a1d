"""The demo history (demo/history.py) on the small town: every placement walks the
transition table, moved by the actor the table names; every start has its two checks; spells
never overlap; seeding twice adds nothing; the town is complete, on real Barnsley postcodes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role, User
from employers.models import EmployerMember, Vacancy
from matching.lookups import postcode_locate
from placements.models import (
    OPEN_STATES,
    OutcomeCheck,
    OutsideJob,
    Placement,
    PlacementEvent,
)
from seekers.models import SeekerProfile

pytestmark = pytest.mark.django_db

# docs/rules/placements.md, the table, written out pair by pair ("" is a new placement).
BEFORE_IN_WORK = ["proposed", "seeker_accepted", "interview", "offered", "start_pending"]
ALLOWED = {
    ("", "proposed"),
    ("", "seeker_accepted"),
    ("proposed", "seeker_accepted"),
    ("proposed", "seeker_declined"),
    ("seeker_accepted", "interview"),
    ("seeker_accepted", "offered"),
    ("seeker_accepted", "employer_declined"),
    ("interview", "offered"),
    ("interview", "employer_declined"),
    ("offered", "start_pending"),
    ("offered", "offer_declined"),
    ("start_pending", "in_work"),
    ("in_work", "ended"),
    *((state, "withdrawn") for state in BEFORE_IN_WORK),
    *((state, "closed_started_elsewhere") for state in BEFORE_IN_WORK),
    *((state, "closed_vacancy_filled") for state in BEFORE_IN_WORK),
}
# Who the table says makes each move.
SEEKER_OR_MENTOR = {"seeker_declined", "offer_declined", "withdrawn", "start_pending"}
EMPLOYER = {"interview", "offered", "employer_declined"}
SYSTEM = {"closed_started_elsewhere", "closed_vacancy_filled"}
SPELL_STATES = ("in_work", "ended")


@pytest.fixture
def town(demo_town, db, settings):
    """The small demo town, seeded once for this module; each test's writes are rolled back."""
    settings.DEBUG = True


def _events_by_placement() -> dict[int, list[PlacementEvent]]:
    events = defaultdict(list)
    for event in PlacementEvent.objects.select_related("by").order_by("at", "id"):
        events[event.placement_id].append(event)
    return events


def test_small_town_has_four_years_of_history(town):
    past = SeekerProfile.objects.filter(user__username__startswith="past-")
    assert past.count() == 150
    assert SeekerProfile.objects.exclude(user__username__startswith="past-").count() == 60
    today = timezone.localdate()
    assert not past.filter(registered_on__gte=today).exists()
    assert past.filter(registered_on__lt=today - dt.timedelta(days=3 * 365)).exists()
    assert not past.exclude(mentor=None).exists()  # they have left every caseload
    states = set(Placement.objects.values_list("state", flat=True))
    for state in ["in_work", "ended", "employer_declined", "seeker_declined", "offer_declined"]:
        assert state in states
    assert OutsideJob.objects.exists()
    recorded = OutcomeCheck.objects.exclude(result="")
    assert recorded.filter(evidence="self_reported").exists()
    assert recorded.filter(evidence__in=["mentor_verified", "employer_confirmed"]).count() > (
        recorded.filter(evidence="self_reported").count()
    )
    assert OutcomeCheck.objects.filter(result="", due_on__lt=today - dt.timedelta(days=28)).exists()
    # Nothing from the past is still open; what is open today is on an open vacancy.
    assert not Placement.objects.filter(
        seeker__user__username__startswith="past-", state__in=OPEN_STATES
    ).exists()
    assert not Placement.objects.filter(state__in=OPEN_STATES).exclude(vacancy__status="open")
    # Open vacancies keep a free position for the matching engine.
    for vacancy in Vacancy.objects.filter(status="open"):
        assert vacancy.placements.filter(state__in=SPELL_STATES).count() < vacancy.positions


def test_every_history_is_a_legal_chain_by_the_right_actor(town):
    events = _events_by_placement()
    members = {m.user_id: m.employer_id for m in EmployerMember.objects.all()}
    placements = Placement.objects.select_related("seeker__user", "seeker__mentor", "vacancy")
    assert placements.exists()
    for placement in placements:
        history = events[placement.pk]
        seeker = placement.seeker
        past = seeker.user.username.startswith("past-")
        assert history[0].from_state == ""
        assert timezone.localtime(history[0].at).date() >= seeker.registered_on
        assert history[-1].to_state == placement.state
        for before, event in zip([None, *history], history, strict=False):
            assert (event.from_state, event.to_state) in ALLOWED, (placement.pk, event)
            if before is not None:
                assert event.from_state == before.to_state
                assert event.at >= before.at
            by, to = event.by, event.to_state
            is_employer = by is not None and members.get(by.pk) == placement.vacancy.employer_id
            is_mentor = by is not None and by.role == Role.MENTOR
            if is_mentor and not past:  # past seekers' history names the mentor they had then
                assert by == seeker.mentor
            if to in SYSTEM:
                assert by is None
            elif to in EMPLOYER:
                assert is_employer
            elif to in SEEKER_OR_MENTOR:
                assert by == seeker.user or is_mentor
            elif to == "proposed":
                assert is_mentor or (is_employer and placement.invited_by_employer)
            elif to == "seeker_accepted" and event.from_state == "":
                assert by == seeker.user
            elif to == "seeker_accepted":
                assert by == seeker.user or is_mentor
            elif to == "in_work":  # the second of the two confirmations
                assert by in (placement.employer_confirmed_by, placement.mentor_confirmed_by)
                assert event.at == max(
                    placement.employer_confirmed_at, placement.mentor_confirmed_at
                )
            elif to == "ended":
                assert by == seeker.user or is_mentor or is_employer
        # introduced_at is set when the placement reached seeker_accepted, at that move (the
        # services stamp the row and then its event, so the two may differ by a moment).
        accepted = [e for e in history if e.to_state == "seeker_accepted"]
        assert (placement.introduced_at is not None) == bool(accepted)
        if accepted:
            assert abs(placement.introduced_at - accepted[0].at) < dt.timedelta(seconds=1)
        if placement.state == "employer_declined":
            assert placement.decline_reason
            assert placement.decline_reason != "other" or placement.decline_text
        if placement.state in SPELL_STATES:
            assert placement.start_date and placement.employer_confirmed_by
            assert placement.mentor_confirmed_by
            assert members[placement.employer_confirmed_by_id] == placement.vacancy.employer_id
            mentor = placement.mentor_confirmed_by
            assert mentor.role == Role.MENTOR or mentor.is_staff
            assert (placement.end_date is not None) == (placement.state == "ended")
            if placement.end_date:
                assert placement.end_date > placement.start_date and placement.end_reason
        else:
            assert placement.end_date is None


def test_every_start_has_its_two_checks_and_spells_never_overlap(town):
    today = timezone.localdate()
    spells = defaultdict(list)
    checks = defaultdict(list)
    for check in OutcomeCheck.objects.all():
        key = (
            ("placement", check.placement_id)
            if check.placement_id
            else ("outside", check.outside_job_id)
        )
        checks[key].append(check)
    started = Placement.objects.filter(state__in=SPELL_STATES)
    rows = [("placement", p.pk, p.seeker_id, p.start_date, p.end_date) for p in started]
    rows += [
        ("outside", j.pk, j.seeker_id, j.start_date, j.end_date) for j in OutsideJob.objects.all()
    ]
    assert not any(
        key for key in checks if key[0] == "placement" and key[1] not in {p.pk for p in started}
    )
    for kind, pk, seeker_id, start, end in rows:
        spells[seeker_id].append((start, end))
        mine = sorted(checks[(kind, pk)], key=lambda c: c.week)
        assert [(c.week, c.due_on) for c in mine] == [
            (13, start + dt.timedelta(weeks=13)),
            (26, start + dt.timedelta(weeks=26)),
        ]
        for check in mine:
            if not check.result:
                continue
            assert check.due_on < today and check.recorded_at.date() >= check.due_on
            assert check.evidence
            if check.result == "in_work":
                assert check.hours_per_week and (end is None or end > check.due_on)
            if end is not None and end <= check.due_on:
                assert check.result != "in_work"
    for seeker_id, intervals in spells.items():
        intervals.sort()
        for (_, end), (next_start, _) in zip(intervals, intervals[1:], strict=False):
            assert end is not None and end <= next_start, seeker_id


def test_small_demo_town_is_complete(town):
    active = SeekerProfile.objects.exclude(user__username__startswith="past-")
    assert active.count() == 60 and Vacancy.objects.count() == 30
    assert SeekerProfile.objects.filter(user__username__startswith="past-").count() == 150
    demo = SeekerProfile.objects.get(user__username="demo-seeker")
    assert demo.mentor.username == "demo-mentor" and demo.share_with_employers
    assert demo.consents.count() == 1
    org = EmployerMember.objects.get(user__username="demo-employer").employer
    assert org.vacancies.filter(status="open").count() >= 3
    for profile in SeekerProfile.objects.all()[:20]:
        location = postcode_locate(profile.postcode)
        assert location.la_code == "E08000038"
        assert (location.easting, location.northing) == (profile.easting, profile.northing)
        # Typed as people would and read by the normaliser: each says what it was read as.
        assert profile.skills and all(s["typed"] and s["how"] for s in profile.skills)
    for username in ("demo-seeker", "demo-employer", "demo-mentor", "demo-commissioner"):
        assert User.objects.get(username=username).check_password("demo-pass-2026")
    assert User.objects.get(username="demo-admin").is_superuser


def test_seeding_again_adds_nothing(town, settings):
    counts = [
        model.objects.count()
        for model in (User, SeekerProfile, Placement, PlacementEvent, OutsideJob, OutcomeCheck)
    ]
    call_command("seed_demo", size="small")
    assert counts == [
        model.objects.count()
        for model in (User, SeekerProfile, Placement, PlacementEvent, OutsideJob, OutcomeCheck)
    ]


def test_the_demo_jobseeker_gets_a_proposal_and_an_offer_from_their_matches(db, client):
    from demo.history import seed_demo_seeker_placements
    from matching.services import matches_recompute_all
    from tests.conftest import make_user
    from tests.factories import (
        TOWN,
        EmployerFactory,
        EmployerMemberFactory,
        SeekerProfileFactory,
        VacancyFactory,
    )

    forklift = {"typed": "forklift", "id": "uk:forklift_counterbalance", "label": "Forklift"}
    mentor = make_user("mentor", Role.MENTOR)
    seeker = SeekerProfileFactory(
        user=make_user("seeker", Role.SEEKER),
        mentor=mentor,
        share_with_employers=True,
        skills=[forklift],
        travel_modes=["walk"],
        **TOWN,
    )
    for name in ("Acme", "Bolt"):
        employer = EmployerFactory(name=name)
        EmployerMemberFactory(user=make_user(name.lower(), Role.EMPLOYER), employer=employer)
        VacancyFactory(employer=employer, title="Forklift driver", skills=[forklift], **TOWN)
    matches_recompute_all()

    seed_demo_seeker_placements(seeker=seeker, mentor=mentor)
    states = sorted(seeker.placements.values_list("state", flat=True))
    assert states == ["offered", "proposed"]
    offered = seeker.placements.get(state="offered")
    chain = [e.to_state for e in offered.history.all()]
    assert chain == ["seeker_accepted", "interview", "offered"]
    client.force_login(seeker.user)
    page = client.get("/placements/").content.decode()
    assert "Yes, introduce me" in page and "Accept the offer" in page
