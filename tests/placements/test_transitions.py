"""Every row of the placement transition table, for every role: allowed, refused (403),
out of scope (404) and illegal (409).

The cast: alice (seeker, on maya's caseload), bob (employer at Acme, whose vacancy it is), maya
(alice's mentor), cora (commissioner), root (admin); eve (employer at Bolt) and mo (another
mentor) are outsiders who cannot see the placement at all.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import AccessLogEntry, Role
from placements import workflow
from placements.models import OutcomeCheck, Placement, PlacementEvent, State
from tests.conftest import make_user
from tests.factories import (
    EmployerFactory,
    EmployerMemberFactory,
    SeekerProfileFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    acme, bolt = EmployerFactory(name="Acme"), EmployerFactory(name="Bolt")
    EmployerMemberFactory(user=cast["employer"], employer=acme)
    eve = make_user("eve", Role.EMPLOYER)
    EmployerMemberFactory(user=eve, employer=bolt)
    mo = make_user("mo", Role.MENTOR)
    profile = SeekerProfileFactory(user=cast["seeker"], mentor=cast["mentor"])
    vacancy = VacancyFactory(employer=acme, positions=2)
    return {**cast, "eve": eve, "mo": mo, "profile": profile, "vacancy": vacancy}


def placement_in(world, state, **extra) -> Placement:
    introduced = None if state in (State.PROPOSED,) else timezone.now()
    return Placement.objects.create(
        seeker=world["profile"],
        vacancy=world["vacancy"],
        state=state,
        introduced_at=introduced,
        **extra,
    )


TODAY = dt.date.today().isoformat()
# action, from state, body, to state, who may
ROWS = [
    ("accept", State.PROPOSED, {}, State.SEEKER_ACCEPTED, {"seeker", "mentor", "admin"}),
    (
        "decline",
        State.PROPOSED,
        {"reason": "too far"},
        State.SEEKER_DECLINED,
        {"seeker", "mentor", "admin"},
    ),
    ("interview", State.SEEKER_ACCEPTED, {}, State.INTERVIEW, {"employer", "admin"}),
    ("offer", State.SEEKER_ACCEPTED, {}, State.OFFERED, {"employer", "admin"}),
    ("offer", State.INTERVIEW, {}, State.OFFERED, {"employer", "admin"}),
    (
        "reject",
        State.SEEKER_ACCEPTED,
        {"reason": "skills"},
        State.EMPLOYER_DECLINED,
        {"employer", "admin"},
    ),
    (
        "reject",
        State.INTERVIEW,
        {"reason": "other", "text": "hired internally"},
        State.EMPLOYER_DECLINED,
        {"employer", "admin"},
    ),
    (
        "accept-offer",
        State.OFFERED,
        {"start_date": TODAY},
        State.START_PENDING,
        {"seeker", "mentor", "admin"},
    ),
    ("decline-offer", State.OFFERED, {}, State.OFFER_DECLINED, {"seeker", "mentor", "admin"}),
    (
        "end",
        State.IN_WORK,
        {"end_date": TODAY, "reason": "contract ended"},
        State.ENDED,
        {"employer", "seeker", "mentor", "admin"},
    ),
    *[
        ("withdraw", s, {}, State.WITHDRAWN, {"seeker", "mentor", "admin"})
        for s in (
            State.PROPOSED,
            State.SEEKER_ACCEPTED,
            State.INTERVIEW,
            State.OFFERED,
            State.START_PENDING,
        )
    ],
]
ROLES = ["seeker", "employer", "mentor", "commissioner", "admin"]


@pytest.mark.parametrize("action,start,body,end,allowed", ROWS)
@pytest.mark.parametrize("role", ROLES)
def test_transition_table(world, as_user, action, start, body, end, allowed, role):
    extra = {"start_date": dt.date.today()} if start == State.IN_WORK else {}
    placement = placement_in(world, start, **extra)
    response = as_user(world[role]).post(
        f"/api/v1/placements/{placement.pk}/{action}/", body, format="json"
    )
    placement.refresh_from_db()
    if role in allowed:
        assert response.status_code == 200, response.content
        assert placement.state == end
        event = placement.history.get()
        assert (event.from_state, event.to_state, event.by) == (start, end, world[role])
    else:
        # A mentor's proposal is not the employer's to see until the seeker accepts it.
        unseen = role == "employer" and start == State.PROPOSED
        assert response.status_code == (404 if unseen else 403), response.content
        assert placement.state == start and not placement.history.exists()


def test_these_rows_are_the_workflow_tables_moves_and_actors():
    """The rows above are written out by hand; the code reads ``placements.workflow``. They agree
    on every move and on who may make it (confirm-start has its own tests below)."""
    ours = {(a, start, end) for a, start, _, end, _ in ROWS}
    ours.add(("confirm-start", State.START_PENDING, State.IN_WORK))
    table = {(name, s, a.target) for name, a in workflow.ACTIONS.items() for s in a.sources}
    assert ours == table
    for action, _, _, _, allowed in ROWS:
        assert {*workflow.ACTIONS[action].actors, "admin"} == allowed, action


EVERY_INPUT = {"start_date": TODAY, "end_date": TODAY, "reason": "skills", "text": "x"}
SHOWN = [State.PROPOSED, State.SEEKER_ACCEPTED, State.INTERVIEW, State.OFFERED]
SHOWN += [State.START_PENDING, State.IN_WORK, State.ENDED]


@pytest.mark.parametrize("state", SHOWN)
@pytest.mark.parametrize("role", ["seeker", "employer", "mentor", "admin"])
def test_allowed_actions_are_what_the_caller_may_do_now(world, as_user, state, role):
    """``allowed_actions`` lists exactly the actions that succeed for this caller: each action of
    the table is tried on a fresh placement in the same state."""
    client = as_user(world[role])

    def fresh():
        return Placement.objects.create(
            seeker=world["profile"],
            vacancy=VacancyFactory(employer=world["vacancy"].employer),
            state=state,
            invited_by_employer=True,  # so the employer sees it while proposed
            introduced_at=None if state == State.PROPOSED else timezone.now(),
            start_date=dt.date.today() if state in (State.START_PENDING, State.IN_WORK) else None,
        )

    shown = client.get(f"/api/v1/placements/{fresh().pk}/").json()["allowed_actions"]
    works = []
    for action in workflow.ACTIONS:
        placement = fresh()
        response = client.post(
            f"/api/v1/placements/{placement.pk}/{action}/", EVERY_INPUT, format="json"
        )
        assert response.status_code in (200, 403, 409), (action, response.content)
        placement.refresh_from_db()
        confirmed = placement.employer_confirmed_at or placement.mentor_confirmed_at
        if response.status_code == 200 and (placement.state != state or confirmed):
            works.append(action)  # (confirming a start already made is a 200 that does nothing)
    assert shown == works


def test_an_employer_is_not_offered_the_seekers_answer(world, as_user):
    placement = placement_in(world, State.OFFERED)
    ask = f"/api/v1/placements/{placement.pk}/"
    assert as_user(world["employer"]).get(ask).json()["allowed_actions"] == []
    assert as_user(world["seeker"]).get(ask).json()["allowed_actions"] == [
        "accept-offer",
        "decline-offer",
        "withdraw",
    ]
    response = as_user(world["employer"]).post(f"{ask}accept-offer/", {"start_date": TODAY})
    assert response.status_code == 403
    assert "Only the jobseeker or their mentor can do this." in response.json()["detail"]


def test_a_move_the_state_does_not_allow_says_whom_it_waits_for(world, as_user):
    placement = placement_in(world, State.OFFERED)
    response = as_user(world["employer"]).post(f"/api/v1/placements/{placement.pk}/offer/")
    assert response.status_code == 409
    assert response.json()["allowed"] == []
    assert "It is waiting for the jobseeker or their mentor." in response.json()["detail"]


def test_every_change_by_someone_else_is_in_the_seekers_access_log(world, as_user):
    placement = placement_in(world, State.SEEKER_ACCEPTED)
    as_user(world["employer"]).post(f"/api/v1/placements/{placement.pk}/interview/")
    entry = AccessLogEntry.objects.get(action="change")
    assert (entry.actor, entry.subject, entry.channel, entry.what) == (
        world["employer"],
        world["seeker"],
        "api",
        f"placement {placement.pk}: interview",
    )
    as_user(world["seeker"]).post(f"/api/v1/placements/{placement.pk}/withdraw/")
    assert AccessLogEntry.objects.filter(action="change").count() == 1  # their own: not logged


def test_the_table_and_diagram_in_the_docs_are_the_codes():
    page = (Path(__file__).resolve().parents[2] / "docs" / "rules" / "placements.md").read_text()
    assert workflow.table() in page
    assert workflow.diagram() in page


def test_every_action_has_a_page():
    from web.placement_views import PAGES

    assert set(PAGES) == set(workflow.ACTIONS)


@pytest.mark.parametrize(
    "before,after,allowed",
    [
        ("", State.PROPOSED, True),
        ("", State.IN_WORK, False),
        (State.PROPOSED, State.IN_WORK, False),
        (State.START_PENDING, State.IN_WORK, True),
        (State.OFFERED, State.CLOSED_VACANCY_FILLED, True),
        (State.IN_WORK, State.WITHDRAWN, False),
        (State.ENDED, State.IN_WORK, False),
    ],
)
def test_the_demo_history_is_checked_against_the_table(before, after, allowed):
    assert workflow.move_allowed(before, after) is allowed


@pytest.mark.parametrize("outsider", ["eve", "mo"])
def test_outsiders_cannot_see_the_placement(world, as_user, outsider):
    placement = placement_in(world, State.PROPOSED)
    client = as_user(world[outsider])
    assert client.get(f"/api/v1/placements/{placement.pk}/").status_code == 404
    assert client.post(f"/api/v1/placements/{placement.pk}/accept/").status_code == 404


def test_commissioners_see_no_placements(world, as_user):
    placement_in(world, State.PROPOSED)
    assert as_user(world["commissioner"]).get("/api/v1/placements/").status_code == 403


@pytest.mark.parametrize(
    "action,state",
    [
        ("interview", State.PROPOSED),
        ("accept", State.OFFERED),
        ("confirm-start", State.OFFERED),
        ("end", State.START_PENDING),
        ("withdraw", State.IN_WORK),
        ("accept", State.ENDED),
    ],
)
def test_illegal_transition_is_a_409_naming_what_is_allowed(world, as_user, action, state):
    placement = placement_in(world, state)
    response = as_user(world["admin"]).post(
        f"/api/v1/placements/{placement.pk}/{action}/",
        {"start_date": TODAY, "end_date": TODAY, "reason": "x"},
        format="json",
    )
    assert response.status_code == 409, response.content
    body = response.json()
    assert (
        body["allowed"]
        == {
            State.PROPOSED: ["accept", "decline", "withdraw"],
            State.OFFERED: ["accept-offer", "decline-offer", "withdraw"],
            State.START_PENDING: ["confirm-start", "withdraw"],
            State.IN_WORK: ["end"],
            State.ENDED: [],
        }[state]
    )
    placement.refresh_from_db()
    assert placement.state == state


def test_reject_with_other_needs_text(world, as_user):
    placement = placement_in(world, State.SEEKER_ACCEPTED)
    response = as_user(world["employer"]).post(
        f"/api/v1/placements/{placement.pk}/reject/", {"reason": "other"}
    )
    assert response.status_code == 400 and "other" in response.json()["detail"]


def test_start_needs_employer_and_mentor_and_is_idempotent(world, as_user):
    placement = placement_in(world, State.START_PENDING, start_date=dt.date(2026, 1, 5))
    url = f"/api/v1/placements/{placement.pk}/confirm-start/"
    assert as_user(world["seeker"]).post(url).status_code == 403
    assert as_user(world["employer"]).post(url).json()["state"] == "start_pending"
    assert as_user(world["employer"]).post(url).json()["state"] == "start_pending"
    body = as_user(world["mentor"]).post(url).json()
    assert body["state"] == "in_work"
    assert as_user(world["mentor"]).post(url).status_code == 200  # a repeat is harmless
    checks = OutcomeCheck.objects.filter(placement=placement).order_by("week")
    assert [(c.week, c.due_on) for c in checks] == [
        (13, dt.date(2026, 4, 6)),
        (26, dt.date(2026, 7, 6)),
    ]
    assert PlacementEvent.objects.filter(placement=placement, to_state="in_work").count() == 1


def test_admin_confirms_for_a_seeker_without_a_mentor(world, as_user):
    world["profile"].mentor = None
    world["profile"].save()
    placement = placement_in(world, State.START_PENDING, start_date=dt.date.today())
    url = f"/api/v1/placements/{placement.pk}/confirm-start/"
    as_user(world["employer"]).post(url)
    assert as_user(world["admin"]).post(url).json()["state"] == "in_work"


def test_a_start_closes_other_open_placements_and_fills_the_vacancy(world, as_user):
    other_vacancy = VacancyFactory(employer=world["vacancy"].employer)
    elsewhere = Placement.objects.create(
        seeker=world["profile"],
        vacancy=other_vacancy,
        state=State.INTERVIEW,
        introduced_at=timezone.now(),
    )
    world["vacancy"].positions = 1
    world["vacancy"].save()
    rival = SeekerProfileFactory()
    crowded = Placement.objects.create(
        seeker=rival,
        vacancy=world["vacancy"],
        state=State.SEEKER_ACCEPTED,
        introduced_at=timezone.now(),
    )
    placement = placement_in(world, State.START_PENDING, start_date=dt.date.today())
    for who in ("employer", "mentor"):
        as_user(world[who]).post(f"/api/v1/placements/{placement.pk}/confirm-start/")
    elsewhere.refresh_from_db()
    crowded.refresh_from_db()
    world["vacancy"].refresh_from_db()
    assert elsewhere.state == State.CLOSED_STARTED_ELSEWHERE
    assert crowded.state == State.CLOSED_VACANCY_FILLED
    assert world["vacancy"].status == "filled"
    assert elsewhere.history.get().by is None  # the system's move


def test_employer_sees_pseudonym_until_the_introduction(world, as_user):
    placement = placement_in(world, State.PROPOSED, invited_by_employer=True)
    body = as_user(world["employer"]).get(f"/api/v1/placements/{placement.pk}/").json()
    assert set(body["seeker"]) == {"pseudonym"}
    assert "alice" not in str(body)
    as_user(world["seeker"]).post(f"/api/v1/placements/{placement.pk}/accept/")
    body = as_user(world["employer"]).get(f"/api/v1/placements/{placement.pk}/").json()
    assert body["seeker"]["name"] and body["seeker"]["email"] == "alice@example.org"
