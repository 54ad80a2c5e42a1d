"""Starting placements (introduction, proposal, invitation), checks, outside jobs, the caseload,
notifications and the engine's congestion inputs.

The cast: alice (seeker on maya's caseload, consenting), sam (seeker, no mentor, not consenting),
bob (employer at Acme), maya (mentor), mo (another mentor), cora (commissioner), root (admin).
"""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.models import AccessLogEntry, Role
from jobmatch.errors import Conflict
from matching.pseudonyms import pseudonym
from matching.services import matches_recompute_all
from placements import services, workflow
from placements.models import Notification, OutcomeCheck, Placement, PlacementEvent, State
from placements.notifications import placement_changed, reminders_send
from placements.selectors import answer_rate_per_employer, applications_per_vacancy
from placements.services import placement_act
from tests.conftest import make_user
from tests.factories import (
    TOWN,
    EmployerFactory,
    EmployerMemberFactory,
    SeekerProfileFactory,
    VacancyFactory,
)

FORKLIFT = {
    "typed": "forklift licence",
    "id": "uk:forklift_counterbalance",
    "label": "Counterbalance forklift licence",
}


@pytest.fixture
def world(db, cast):
    acme = EmployerFactory(name="Acme")
    EmployerMemberFactory(user=cast["employer"], employer=acme)
    profile = dict(skills=[FORKLIFT], travel_modes=["walk"], **TOWN)
    w = {
        **cast,
        "mo": make_user("mo", Role.MENTOR),
        "acme": acme,
        "alice": SeekerProfileFactory(
            user=cast["seeker"], mentor=cast["mentor"], share_with_employers=True, **profile
        ),
        "sam": SeekerProfileFactory(share_with_employers=False, mentor=None, **profile),
        "vacancy": VacancyFactory(employer=acme, skills=[FORKLIFT], **TOWN),
        "far": VacancyFactory(
            employer=acme, skills=[FORKLIFT], postcode="SW1A 1AA", easting=529090, northing=179645
        ),
    }
    matches_recompute_all()
    return w


def test_seeker_asks_for_an_introduction_from_a_match(world, as_user):
    client = as_user(world["seeker"])
    response = client.post("/api/v1/placements/", {"vacancy": world["vacancy"].pk})
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "seeker_accepted"
    again = client.post("/api/v1/placements/", {"vacancy": world["vacancy"].pk})
    assert again.status_code == 409 and "already an open placement" in again.json()["detail"]
    far = client.post("/api/v1/placements/", {"vacancy": world["far"].pk})
    assert far.status_code == 409 and "not a match" in far.json()["detail"]


def test_mentor_proposes_for_their_caseload_only(world, as_user):
    ok = as_user(world["mentor"]).post(
        "/api/v1/placements/", {"vacancy": world["vacancy"].pk, "seeker": world["alice"].pk}
    )
    assert ok.status_code == 201 and ok.json()["state"] == "proposed"
    other = as_user(world["mo"]).post(
        "/api/v1/placements/", {"vacancy": world["vacancy"].pk, "seeker": world["alice"].pk}
    )
    assert other.status_code == 404
    missing = as_user(world["mentor"]).post("/api/v1/placements/", {"vacancy": world["vacancy"].pk})
    assert missing.status_code == 400 and "seeker" in missing.json()["errors"]


@pytest.mark.parametrize("role,status", [("employer", 403), ("commissioner", 403)])
def test_other_roles_cannot_start_placements(world, as_user, role, status):
    response = as_user(world[role]).post("/api/v1/placements/", {"vacancy": world["vacancy"].pk})
    assert response.status_code == status


def test_employer_invites_by_pseudonym(world, as_user):
    client = as_user(world["employer"])
    code = pseudonym(employer_id=world["acme"].pk, seeker_id=world["alice"].pk)
    url = f"/api/v1/vacancies/{world['vacancy'].pk}/invitations/"
    response = client.post(url, {"pseudonym": code.lower()})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "proposed" and body["invited_by_employer"] is True
    assert body["seeker"] == {"pseudonym": code}
    hidden = pseudonym(employer_id=world["acme"].pk, seeker_id=world["sam"].pk)  # no consent
    assert client.post(url, {"pseudonym": hidden}).status_code == 400
    assert client.post(url, {"pseudonym": "C-NOPE00"}).status_code == 400


@pytest.mark.parametrize("role", ["seeker", "mentor", "commissioner"])
def test_only_employers_invite(world, as_user, role):
    # (admins may make any move: they reach the pseudonym check like an employer)
    url = f"/api/v1/vacancies/{world['vacancy'].pk}/invitations/"
    assert as_user(world[role]).post(url, {"pseudonym": "C-AAAAAA"}).status_code == 403


@pytest.fixture
def started(world):
    placement = Placement.objects.create(
        seeker=world["alice"],
        vacancy=world["vacancy"],
        state=State.START_PENDING,
        start_date=dt.date(2026, 1, 5),
        introduced_at=timezone.now(),
    )
    placement_act(placement=placement, by=world["employer"], action="confirm-start", channel="api")
    placement_act(placement=placement, by=world["mentor"], action="confirm-start", channel="api")
    return placement


@pytest.mark.parametrize(
    "role,status",
    [
        ("mentor", 201),
        ("admin", 201),
        ("seeker", 403),
        ("employer", 403),
        ("commissioner", 403),
    ],
)
def test_recording_a_check(world, started, as_user, role, status):
    response = as_user(world[role]).post(
        f"/api/v1/placements/{started.pk}/checks/",
        {"week": 13, "result": "in_work", "evidence": "mentor_verified", "hours_per_week": "30"},
    )
    assert response.status_code == status, response.content
    check = OutcomeCheck.objects.get(placement=started, week=13)
    assert (check.result == "in_work") is (status == 201)


def test_check_input_errors(world, started, as_user):
    client = as_user(world["mentor"])
    url = f"/api/v1/placements/{started.pk}/checks/"
    no_hours = client.post(url, {"week": 13, "result": "in_work", "evidence": "self_reported"})
    assert no_hours.status_code == 400 and "hours" in no_hours.json()["detail"]
    bad = client.post(url, {"week": 12, "result": "maybe", "evidence": "rumour"})
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"week", "result", "evidence"}
    early = Placement.objects.create(
        seeker=world["alice"],
        vacancy=world["far"],
        state=State.OFFERED,
        introduced_at=timezone.now(),
    )
    response = client.post(
        f"/api/v1/placements/{early.pk}/checks/",
        {"week": 13, "result": "unknown", "evidence": "self_reported"},
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    "role,status",
    [
        ("mentor", 201),
        ("admin", 201),
        ("seeker", 403),
        ("employer", 403),
        ("commissioner", 403),
    ],
)
def test_outside_job(world, as_user, role, status):
    open_one = Placement.objects.create(
        seeker=world["alice"],
        vacancy=world["vacancy"],
        state=State.INTERVIEW,
        introduced_at=timezone.now(),
    )
    response = as_user(world[role]).post(
        f"/api/v1/seekers/{world['alice'].pk}/outside-jobs/",
        {
            "employer_name": "Corner Shop",
            "start_date": "2026-10-01",
            "hours_per_week": "16",
            "evidence": "mentor_verified",
        },
    )
    assert response.status_code == status, response.content
    open_one.refresh_from_db()
    if status == 201:
        assert [c["week"] for c in response.json()["checks"]] == [13, 26]
        assert open_one.state == State.CLOSED_STARTED_ELSEWHERE
    else:
        assert open_one.state == State.INTERVIEW


def test_outside_job_scope_and_input(world, as_user):
    url = f"/api/v1/seekers/{world['alice'].pk}/outside-jobs/"
    body = {
        "employer_name": "Shop",
        "start_date": "2026-10-01",
        "hours_per_week": "16",
        "evidence": "self_reported",
    }
    assert as_user(world["mo"]).post(url, body).status_code == 404
    future = as_user(world["mentor"]).post(url, {**body, "start_date": "2099-01-01"})
    assert future.status_code == 400 and "start_date" in future.json()["errors"]
    backwards = as_user(world["mentor"]).post(url, {**body, "end_date": "2026-09-01"})
    assert backwards.status_code == 400 and "end_date" in backwards.json()["errors"]


@pytest.mark.parametrize(
    "role,status",
    [
        ("mentor", 200),
        ("admin", 200),
        ("seeker", 403),
        ("employer", 403),
        ("commissioner", 403),
    ],
)
def test_caseload_by_role(world, as_user, role, status):
    assert as_user(world[role]).get("/api/v1/caseload/").status_code == status


def test_caseload_puts_stuck_first_and_logs_reads(world, as_user, cast):
    lively = SeekerProfileFactory(mentor=world["mentor"])
    type(lively).objects.filter(pk=world["alice"].pk).update(
        updated_at=timezone.now() - dt.timedelta(days=40)
    )
    rows = as_user(world["mentor"]).get("/api/v1/caseload/").json()["results"]
    assert [(r["id"], r["stuck"]) for r in rows] == [(world["alice"].pk, True), (lively.pk, False)]
    stuck_only = as_user(world["mentor"]).get("/api/v1/caseload/?stuck=true").json()["results"]
    assert [r["id"] for r in stuck_only] == [world["alice"].pk]
    assert AccessLogEntry.objects.filter(actor=world["mentor"], what="caseload").count() == 3


def test_a_stuck_seeker_with_an_open_placement_reads_stuck_in_the_api_and_on_the_page(
    world, as_user, client
):
    long_ago = timezone.now() - dt.timedelta(days=40)
    placement = Placement.objects.create(
        seeker=world["alice"],
        vacancy=world["vacancy"],
        state=State.SEEKER_ACCEPTED,
        introduced_at=long_ago,
    )
    PlacementEvent.objects.create(placement=placement, to_state=State.SEEKER_ACCEPTED)
    PlacementEvent.objects.filter(placement=placement).update(at=long_ago)
    type(world["alice"]).objects.filter(pk=world["alice"].pk).update(updated_at=long_ago)
    rows = as_user(world["mentor"]).get("/api/v1/caseload/").json()["results"]
    row = next(r for r in rows if r["id"] == world["alice"].pk)
    assert (row["status"], row["stuck"], row["open_placements"]) == ("stuck", True, 1)
    client.force_login(world["mentor"])
    page = client.get("/caseload/").content.decode()
    assert 'govuk-tag--red">Stuck</strong>' in page and "Applying" not in page


def test_in_work_is_never_stuck_and_checks_due_show(world, started, as_user):
    type(world["alice"]).objects.filter(pk=world["alice"].pk).update(
        updated_at=timezone.now() - dt.timedelta(days=400)
    )
    PlacementEvent.objects.filter(placement=started).update(
        at=timezone.now() - dt.timedelta(days=400)
    )
    rows = as_user(world["mentor"]).get("/api/v1/caseload/").json()["results"]
    row = next(r for r in rows if r["id"] == world["alice"].pk)
    assert row["stuck"] is False and row["status"] == "in work"
    assert row["checks_due"] == 2  # both checks of a January start are due or overdue


def test_changes_notify_the_people_involved(world, as_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        as_user(world["seeker"]).post("/api/v1/placements/", {"vacancy": world["vacancy"].pk})
    for who in ("seeker", "mentor", "employer"):
        rows = as_user(world[who]).get("/api/v1/notifications/").json()["results"]
        assert [r["message"].endswith("is now: introduction accepted.") for r in rows] == [True]
        assert world["vacancy"].title in rows[0]["message"]
    assert as_user(world["commissioner"]).get("/api/v1/notifications/").json()["results"] == []


def test_a_withdrawal_tells_nobody_and_a_notice_goes_only_to_the_parties_named(
    world, as_user, django_capture_on_commit_callbacks
):
    placement = as_user(world["seeker"]).post(
        "/api/v1/placements/", {"vacancy": world["vacancy"].pk}
    )
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        answer = as_user(world["seeker"]).post(
            f"/api/v1/placements/{placement.json()['id']}/withdraw/", {"reason": "moved away"}
        )
    assert answer.status_code == 200 and not Notification.objects.exists()
    placement_changed(placement_id=placement.json()["id"], parties=(workflow.SEEKER,))
    assert [n.user for n in Notification.objects.all()] == [world["seeker"]]


def test_reminders_are_sent_once(world, started):
    today = dt.date(2026, 4, 1)  # the 13-week check (due 6 April) is due within a week
    first = reminders_send(today=today)
    assert first == 1 and len(mail.outbox) == 1 and "13-week check" in mail.outbox[0].body
    assert reminders_send(today=today) == 0
    assert Notification.objects.filter(user=world["mentor"]).count() == 1
    # 28 days past due the check counts as unknown: no more reminders about it
    assert reminders_send(today=dt.date(2026, 5, 5)) == 0


def test_employer_reminded_after_ten_days_without_an_answer(world):
    Placement.objects.create(
        seeker=world["alice"],
        vacancy=world["vacancy"],
        state=State.SEEKER_ACCEPTED,
        introduced_at=timezone.now() - dt.timedelta(days=11),
    )
    assert reminders_send(today=timezone.localdate()) == 1
    assert Notification.objects.get(user=world["employer"]).key.startswith("answer:")


def test_congestion_inputs_come_from_placements(world, as_user):
    Placement.objects.create(
        seeker=world["alice"],
        vacancy=world["vacancy"],
        state=State.SEEKER_ACCEPTED,
        introduced_at=timezone.now() - dt.timedelta(days=20),
    )
    answered = Placement.objects.create(
        seeker=world["sam"],
        vacancy=world["vacancy"],
        state=State.SEEKER_ACCEPTED,
        introduced_at=timezone.now() - dt.timedelta(days=20),
    )
    as_user(world["employer"]).post(f"/api/v1/placements/{answered.pk}/interview/")
    PlacementEvent.objects.filter(placement=answered).update(
        at=answered.introduced_at + dt.timedelta(days=2)
    )
    assert applications_per_vacancy() == {world["vacancy"].pk: 2}
    assert answer_rate_per_employer() == {world["acme"].pk: 0.5}


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_leave_one_consistent_record(cast):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises writers anyway)")
    acme = EmployerFactory(name="Acme")
    EmployerMemberFactory(user=cast["employer"], employer=acme)
    seeker = SeekerProfileFactory(user=cast["seeker"], mentor=cast["mentor"])
    placement = Placement.objects.create(
        seeker=seeker,
        vacancy=VacancyFactory(employer=acme),
        state=State.START_PENDING,
        start_date=dt.date.today(),
        introduced_at=timezone.now(),
    )
    barrier = threading.Barrier(4)
    errors = []

    def confirm(user):
        from rest_framework.test import APIClient

        client = APIClient()
        client.force_authenticate(user)
        barrier.wait()
        response = client.post(f"/api/v1/placements/{placement.pk}/confirm-start/")
        if response.status_code != 200:
            errors.append(response.content)
        connection.close()

    threads = [
        threading.Thread(target=confirm, args=(u,))
        for u in (cast["employer"], cast["mentor"], cast["employer"], cast["mentor"])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    placement.refresh_from_db()
    assert placement.state == State.IN_WORK
    assert PlacementEvent.objects.filter(placement=placement, to_state="in_work").count() == 1
    assert OutcomeCheck.objects.filter(placement=placement).count() == 2


def test_export_includes_placements_and_checks(world, started, as_user):
    body = as_user(world["seeker"]).get("/api/v1/seekers/me/export/").json()
    (placement,) = body["placements"]
    assert placement["state"] == "in_work"
    assert [c["week"] for c in placement["checks"]] == [13, 26]
    assert [e["to"] for e in placement["history"]][-1] == "in_work"


def test_admin_confirms_and_records_only_through_services(world, client):
    placement = Placement.objects.create(
        seeker=world["alice"],
        vacancy=world["vacancy"],
        state=State.START_PENDING,
        start_date=dt.date.today(),
        introduced_at=timezone.now(),
    )
    placement_act(placement=placement, by=world["employer"], action="confirm-start", channel="api")
    client.force_login(world["admin"])
    response = client.post(
        "/admin/placements/placement/",
        {"action": "confirm_start", "_selected_action": [placement.pk]},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.state == State.IN_WORK
    check = placement.checks.get(week=13)
    response = client.post(
        f"/admin/placements/outcomecheck/{check.pk}/change/",
        {"result": "in_work", "evidence": "mentor_verified", "hours_per_week": "20", "note": ""},
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.result, check.recorded_by) == ("in_work", world["admin"])
    assert client.get(f"/admin/placements/placement/{placement.pk}/change/").status_code == 200
    assert AccessLogEntry.objects.filter(channel="admin", what="placement").exists()
    logged = AccessLogEntry.objects.filter(
        channel="admin", action="change", subject=world["alice"].user
    )
    assert set(logged.values_list("what", flat=True)) == {
        f"placement {placement.pk}: confirm-start",
        f"13-week check of placement {placement.pk}",
    }
    assert client.get(f"/admin/placements/outcomecheck/{check.pk}/change/").status_code == 200
    assert AccessLogEntry.objects.filter(channel="admin", action="read", what="check").exists()


def test_employer_sees_introduced_seekers_with_contact_and_skills_only(world, as_user):
    client = as_user(world["employer"])
    assert client.get("/api/v1/seekers/").json()["results"] == []
    placement = Placement.objects.create(
        seeker=world["alice"],
        vacancy=world["vacancy"],
        state=State.PROPOSED,
        invited_by_employer=True,
    )
    assert client.get(f"/api/v1/seekers/{world['alice'].pk}/").status_code == 404  # not yet
    placement.state, placement.introduced_at = State.SEEKER_ACCEPTED, timezone.now()
    placement.save()
    body = client.get(f"/api/v1/seekers/{world['alice'].pk}/").json()
    assert set(body) == {"id", "first_name", "last_name", "email", "skills"}
    assert client.get(f"/api/v1/seekers/{world['sam'].pk}/").status_code == 404
    assert (
        client.patch(f"/api/v1/seekers/{world['alice'].pk}/", {"hours_max": 10}).status_code == 404
    )
    assert AccessLogEntry.objects.filter(actor=world["employer"], subject=world["seeker"]).exists()


def test_caseload_query_count_does_not_grow_with_the_caseload(
    world, as_user, django_assert_max_num_queries
):
    for _ in range(10):
        SeekerProfileFactory(mentor=world["mentor"])
    with django_assert_max_num_queries(4):  # count, page (annotated), access log insert
        rows = as_user(world["mentor"]).get("/api/v1/caseload/").json()["results"]
    assert len(rows) == 11


@pytest.mark.parametrize(
    "who,status",
    [
        ("mentor", 201),
        ("admin", 201),
        ("mo", 404),  # another mentor: not on their caseload
        ("seeker", 403),
        ("employer", 403),
        ("commissioner", 403),
    ],
)
def test_outside_job_check_by_role(world, as_user, who, status):
    job = services.outside_job_record(
        channel="api",
        seeker=world["alice"],
        by=world["mentor"],
        employer_name="Shop",
        start_date=dt.date(2026, 1, 5),
        hours_per_week=16,
        evidence="self_reported",
    )
    url = f"/api/v1/seekers/{world['alice'].pk}/outside-jobs/{job.pk}/checks/"
    body = {"week": 13, "result": "in_work", "evidence": "mentor_verified", "hours_per_week": "16"}
    response = as_user(world[who]).post(url, body)
    assert response.status_code == status, response.content
    check = job.checks.get(week=13)
    assert (check.result == "in_work") == (status == 201)


def test_outside_job_check_input(world, as_user):
    job = services.outside_job_record(
        channel="api",
        seeker=world["alice"],
        by=world["mentor"],
        employer_name="Shop",
        start_date=dt.date(2026, 1, 5),
        hours_per_week=16,
        evidence="self_reported",
    )
    client = as_user(world["mentor"])
    url = f"/api/v1/seekers/{world['alice'].pk}/outside-jobs/{job.pk}/checks/"
    week = client.post(url, {"week": 14, "result": "unknown", "evidence": "self_reported"})
    assert week.status_code == 400 and "week" in week.json()["errors"]
    no_hours = client.post(url, {"week": 13, "result": "in_work", "evidence": "self_reported"})
    assert no_hours.status_code == 400 and "hours a week" in no_hours.json()["detail"]
    assert client.post(url.replace(f"/{job.pk}/", "/999999/"), {}).status_code == 404
    assert job.checks.get(week=13).result != "in_work"


def test_employers_see_a_mentor_proposal_only_once_the_seeker_accepts(world, as_user):
    placement = services.placement_propose(
        seeker=world["alice"], vacancy=world["vacancy"], by=world["mentor"], channel="api"
    )
    employer = as_user(world["employer"])
    assert employer.get("/api/v1/placements/").json()["results"] == []
    assert employer.get(f"/api/v1/placements/{placement.pk}/").status_code == 404
    services.placement_act(placement=placement, by=world["seeker"], action="accept", channel="api")
    assert [p["id"] for p in employer.get("/api/v1/placements/").json()["results"]] == [
        placement.pk
    ]


def test_employers_read_only_their_own_reasons_in_a_history(world, as_user):
    placement = services.placement_invite(
        seeker=world["alice"], vacancy=world["vacancy"], by=world["employer"], channel="api"
    )
    services.placement_act(placement=placement, by=world["seeker"], action="accept", channel="api")
    services.placement_act(
        placement=placement,
        by=world["employer"],
        reason="Tue 10am",
        action="interview",
        channel="api",
    )
    services.placement_act(
        placement=placement,
        by=world["seeker"],
        reason="hospital appointments this month",
        action="withdraw",
        channel="api",
    )
    seen = as_user(world["employer"]).get(f"/api/v1/placements/{placement.pk}/").json()
    assert [(e["to"], e["reason"]) for e in seen["history"]] == [
        ("proposed", ""),
        ("seeker_accepted", ""),
        ("interview", "Tue 10am"),
        ("withdrawn", ""),
    ]
    mentor = as_user(world["mentor"]).get(f"/api/v1/placements/{placement.pk}/").json()
    assert mentor["history"][-1]["reason"] == "hospital appointments this month"


def test_no_placement_starts_from_a_vacancy_past_its_closing_date(world, as_user):
    vacancy = world["vacancy"]
    type(vacancy).objects.filter(pk=vacancy.pk).update(
        closing_date=timezone.localdate() - dt.timedelta(days=3)
    )  # still "open": the nightly close has not run yet
    vacancy.refresh_from_db()
    with pytest.raises(Conflict, match="past its closing date"):
        services.placement_propose(
            seeker=world["alice"], vacancy=vacancy, by=world["mentor"], channel="api"
        )
    assert not Placement.objects.exists()
