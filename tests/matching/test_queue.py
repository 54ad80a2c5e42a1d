"""The recompute queue: a change marks its seeker or vacancy pending in the same transaction, a
drain recomputes and clears it, and nothing a person does waits for the engine.

The cast: alice (seeker on maya's caseload, with a forklift skill, in town), bob (employer at
Acme, with one open vacancy in town).
"""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from employers.models import Vacancy
from employers.services import vacancy_create
from matching import services
from matching.models import PendingRecompute, SeekerMatch
from matching.postcodes import Location
from seekers.models import SeekerProfile
from seekers.services import seeker_profile_update
from tests.factories import (
    TOWN,
    EmployerFactory,
    EmployerMemberFactory,
    SeekerProfileFactory,
    VacancyFactory,
)

FORKLIFT = {"typed": "forklift", "id": "uk:forklift_counterbalance", "label": "Forklift"}
SEEKER = PendingRecompute.Kind.SEEKER
VACANCY = PendingRecompute.Kind.VACANCY


@pytest.fixture
def town(cast):
    acme = EmployerFactory(name="Acme")
    EmployerMemberFactory(user=cast["employer"], employer=acme)
    alice = SeekerProfileFactory(
        user=cast["seeker"], mentor=cast["mentor"], skills=[FORKLIFT], travel_modes=["walk"], **TOWN
    )
    vacancy = VacancyFactory(employer=acme, skills=[FORKLIFT], **TOWN)
    services.matches_recompute_all()
    return {**cast, "acme": acme, "alice": alice, "vacancy": vacancy}


def pending():
    return sorted(PendingRecompute.objects.values_list("kind", "object_id"))


def new_vacancy(employer, by, **extra):
    """Post a vacancy through the service, in town unless ``extra`` says otherwise."""
    data = dict(
        title="Forklift driver",
        skills=[FORKLIFT],
        hours_per_week=37,
        contract_type="permanent",
        wage_per_hour=13,
        positions=1,
        status="open",
        **TOWN,
    )
    data.update(extra)
    return vacancy_create(employer=employer, by=by, data=data)


@pytest.mark.django_db
def test_a_change_is_pending_until_the_commit_then_drained(
    town, django_capture_on_commit_callbacks
):
    alice = town["alice"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        vacancy = new_vacancy(town["acme"], town["employer"])
    assert pending() == [(VACANCY, vacancy.pk)]
    assert not SeekerMatch.objects.filter(vacancy=vacancy).exists(), "nothing computed yet"
    assert len(callbacks) == 1
    callbacks[0]()  # the drain task, run in-process here
    assert pending() == []
    assert SeekerMatch.objects.filter(seeker=alice, vacancy=vacancy).exists()


@pytest.mark.django_db
def test_a_change_rolled_back_leaves_nothing_pending(town):
    with pytest.raises(RuntimeError), transaction.atomic():
        seeker_profile_update(
            seeker=town["alice"], by=town["seeker"], data={"max_travel_minutes": 5}, channel="api"
        )
        raise RuntimeError("the request failed after the change")
    assert pending() == []


@pytest.mark.django_db
def test_changes_close_together_coalesce(town, django_capture_on_commit_callbacks):
    alice, seeker = town["alice"], town["seeker"]
    with django_capture_on_commit_callbacks(execute=False):
        for minutes in (20, 30, 40):
            seeker_profile_update(
                seeker=alice, by=seeker, data={"max_travel_minutes": minutes}, channel="api"
            )
    row = PendingRecompute.objects.get()
    assert (row.kind, row.object_id) == (SEEKER, alice.pk) and row.changed_at >= row.since
    run = services.recomputes_drain()
    assert run.stats["seekers_recomputed"] == 1 and pending() == []
    assert services.recomputes_drain() is None, "nothing left to do"


@pytest.mark.django_db
def test_a_change_during_a_run_stays_pending(town, monkeypatch):
    alice, seeker = town["alice"], town["seeker"]
    services.recompute_request(seeker_ids=[alice.pk])
    real = services.matches_recompute_some

    def run_with_a_change_meanwhile(**kwargs):
        result = real(**kwargs)
        seeker_profile_update(seeker=alice, by=seeker, data={"hours_min": 8}, channel="api")
        return result

    monkeypatch.setattr(services, "matches_recompute_some", run_with_a_change_meanwhile)
    services.recomputes_drain()
    row = PendingRecompute.objects.get()
    assert row.claimed_at is None and row.claim == "", "released for the next drain"
    monkeypatch.setattr(services, "matches_recompute_some", real)
    services.recomputes_drain()
    assert pending() == []


@pytest.mark.django_db
def test_a_claim_is_taken_again_only_after_it_expires(town):
    alice = town["alice"]
    services.recompute_request(seeker_ids=[alice.pk])
    PendingRecompute.objects.update(claimed_at=timezone.now(), claim="another-worker")
    assert services.recomputes_drain() is None, "another drain is working on it"
    assert pending() == [(SEEKER, alice.pk)]
    expired = timezone.now() - services.CLAIM_EXPIRES - dt.timedelta(seconds=1)
    PendingRecompute.objects.update(claimed_at=expired)
    assert services.recomputes_drain() is not None
    assert pending() == []


@pytest.mark.django_db
def test_a_full_run_clears_what_it_covered(town):
    services.recompute_request(seeker_ids=[town["alice"].pk], vacancy_ids=[town["vacancy"].pk])
    services.matches_recompute_all()
    assert pending() == []


@pytest.mark.django_db
def test_matches_say_when_they_are_being_updated(town, as_user, django_capture_on_commit_callbacks):
    client = as_user(town["seeker"])
    before = client.get("/api/v1/seekers/me/matches/").json()
    assert before["updating"] is False and before["computed_at"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.patch("/api/v1/seekers/me/", {"max_travel_minutes": 25})
    assert response.status_code == 200
    during = client.get("/api/v1/seekers/me/matches/").json()
    assert during["updating"] is True
    assert (
        as_user(town["mentor"])
        .get(f"/api/v1/seekers/{town['alice'].pk}/matches/")
        .json()["updating"]
    )
    for callback in callbacks:
        callback()
    after = client.get("/api/v1/seekers/me/matches/").json()
    assert after["updating"] is False and after["computed_at"] > before["computed_at"]


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_drains_the_queue(town, as_user, live_worker):
    """Through the real broker: the request returns before the recompute, the worker does it."""
    alice = town["alice"]
    before = SeekerMatch.objects.get(seeker=alice).computed_at
    response = as_user(town["seeker"]).patch("/api/v1/seekers/me/", {"max_travel_minutes": 50})
    assert response.status_code == 200, response.content
    deadline = time.monotonic() + 60
    while PendingRecompute.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert pending() == []
    assert SeekerMatch.objects.get(seeker=alice).computed_at > before


@pytest.mark.django_db(transaction=True)
def test_writes_succeed_while_a_full_recompute_runs(busy_town, as_user):
    """No "database is locked": a full run writes in short chunks, and writers wait their turn."""
    SeekerProfileFactory(user=busy_town["seeker"], skills=SKILLS[:2], **TOWN)
    SeekerMatch.objects.all().delete()  # so the run writes every row while the PATCHes come
    errors = []

    def full_run():
        try:
            services.matches_recompute_all()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    worker = threading.Thread(target=full_run)
    worker.start()
    client = as_user(busy_town["seeker"])
    statuses = []
    while worker.is_alive() or len(statuses) < 5:
        minutes = 20 + len(statuses) % 30
        statuses.append(
            client.patch("/api/v1/seekers/me/", {"max_travel_minutes": minutes}).status_code
        )
    worker.join()
    assert errors == [] and set(statuses) == {200}


@pytest.mark.django_db
def test_admin_shows_the_queue_health(town, client):
    services.recompute_request(seeker_ids=[town["alice"].pk])
    client.force_login(town["admin"])
    page = client.get("/admin/matching/pendingrecompute/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Queue health" in text and "1 (0 being worked on)" in text
    assert "Last full run" in text and "1 seekers" in text
    client.force_login(town["mentor"])
    assert client.get("/admin/matching/pendingrecompute/").status_code == 302  # staff only


# --- incremental equals full ----------------------------------------------------------------

SKILLS = [
    {"typed": t, "id": None, "label": None}
    for t in ("forklift", "picking", "cleaning", "driving", "cooking", "customer service")
]
LONDON = {"postcode": "SW1A 1AA", "easting": 529090, "northing": 179645}


def _place(rng):
    """A place a few km around the town centre, as a model's fields."""
    return {
        "postcode": TOWN["postcode"],
        "easting": TOWN["easting"] + rng.randint(-6000, 6000),
        "northing": TOWN["northing"] + rng.randint(-6000, 6000),
    }


def _snapshot(seekers=None) -> list[tuple]:
    """Each seeker's stored list as read: vacancy, rank, fit rank, score, adjusted, crowded."""
    from matching.selectors import seeker_matches

    rows = []
    for seeker in seekers or SeekerProfile.objects.order_by("id"):
        for m in seeker_matches(seeker=seeker):
            rows.append(
                (
                    seeker.pk,
                    m.vacancy_id,
                    m.rank,
                    m.fit_rank,
                    round(m.score, 9),
                    round(m.adjusted, 9),
                    m.crowded,
                )  # fmt: skip
            )
    return rows


def _candidate_lists() -> list[tuple]:
    """Every stored candidate row: vacancy, seeker, fit."""
    from matching.models import Candidate

    rows = Candidate.objects.order_by("vacancy_id", "seeker_id")
    return [(c.vacancy_id, c.seeker_id, round(c.score, 9)) for c in rows]


@pytest.fixture
def busy_town(cast):
    import random

    rng = random.Random(5)
    employers = [EmployerFactory(name=f"Employer {i}") for i in range(4)]
    EmployerMemberFactory(user=cast["employer"], employer=employers[0])
    for _ in range(40):
        SeekerProfileFactory(
            skills=rng.sample(SKILLS, rng.randint(1, 3)),
            travel_modes=rng.sample(["walk", "cycle", "public_transport", "car"], 2),
            max_travel_minutes=rng.choice([20, 30, 45, 60]),
            **_place(rng),
        )
    for _ in range(25):
        VacancyFactory(
            employer=rng.choice(employers),
            skills=rng.sample(SKILLS, rng.randint(1, 3)),
            positions=rng.choice([1, 1, 2]),
            **_place(rng),
        )
    services.matches_recompute_all()
    return {**cast, "rng": rng, "employers": employers}


@pytest.fixture
def short_lists(monkeypatch):
    """Lists of 10: shorter than the town, so that who is left off a list matters."""
    from matching.engine import weights

    monkeypatch.setattr(weights, "DEFAULT_K", 10)


@pytest.mark.django_db
def test_queued_changes_equal_a_full_run_with_the_same_statistics(short_lists, busy_town):
    """Random sequences of profile edits, vacancies posted, edited and closed, each drained by
    the queue: every stored list equals what recomputing everyone with the frozen statistics
    gives, every vacancy's candidate list too, and nobody's list holds a closed vacancy."""
    from employers.services import vacancy_close, vacancy_update
    from matching.models import MatchRun

    rng, bob = busy_town["rng"], busy_town["employer"]
    seekers = list(SeekerProfile.objects.select_related("user"))
    basis = MatchRun.objects.get(kind="full").congestion_basis["vacancies"]
    assert any(row[3] is not None for row in basis.values()), "some vacancy filled up"
    for _step in range(12):
        what = rng.choice(["profile", "post", "edit", "close"])
        if what == "profile":
            seeker = rng.choice(seekers)
            data = {
                "skills": rng.sample(SKILLS, rng.randint(1, 3)),
                "max_travel_minutes": rng.choice([15, 30, 60]),
            }
            seeker_profile_update(seeker=seeker, by=seeker.user, data=data, channel="api")
        elif what == "post":
            # A located place: the services take one as it is (they locate a typed postcode).
            place = Location(**_place(rng), la_code="")
            new_vacancy(
                busy_town["employers"][0], bob, skills=rng.sample(SKILLS, 2), postcode=place
            )
        else:
            vacancy = rng.choice(list(Vacancy.objects.filter(status="open")))
            if what == "edit":
                vacancy_update(vacancy=vacancy, by=bob, data={"skills": rng.sample(SKILLS, 2)})
            else:
                vacancy_close(vacancy=vacancy, by=bob)
        services.recomputes_drain()
        assert pending() == []
    queued, listed = _snapshot(), _candidate_lists()
    services.matches_recompute_some(seeker_ids=[s.pk for s in seekers])  # everyone, same basis
    assert _snapshot() == queued
    assert _candidate_lists() == listed
    closed = Vacancy.objects.exclude(status="open").values_list("pk", flat=True)
    assert not SeekerMatch.objects.filter(vacancy_id__in=closed).exists()


@pytest.mark.django_db
def test_a_vacancy_posted_far_away_changes_nobody_here(busy_town):
    before = _snapshot()
    new_vacancy(busy_town["employers"][0], busy_town["employer"], skills=SKILLS[:3], **LONDON)
    run = services.recomputes_drain()
    assert run.stats["seekers_recomputed"] == 0 and run.stats["rows_written"] == 0
    assert _snapshot() == before


def _stored_reasons() -> list[tuple]:
    from matching.models import Candidate

    rows = [("match", *r) for r in SeekerMatch.objects.values_list("seeker_id", "vacancy_id")]
    matches = dict(zip(rows, SeekerMatch.objects.values_list("reasons", flat=True), strict=True))
    pairs = Candidate.objects.values_list("seeker_id", "vacancy_id", "reasons")
    return sorted(matches.items()) + sorted((("list", s, v), r) for s, v, r in pairs)


@pytest.mark.django_db
def test_reasons_built_in_a_second_process_are_the_same(busy_town, monkeypatch):
    """A large write has its reasons built ahead in a forked child: the rows come out the same
    as built in process, and the run says how many rows the child built."""
    from matching import rowreasons
    from matching.models import Candidate

    monkeypatch.setattr(rowreasons, "AHEAD_MIN_ROWS", 1)
    monkeypatch.setattr(services, "CHUNK", 7)  # several chunks, so the child works ahead

    def cold_run() -> tuple[list, dict]:
        SeekerMatch.objects.all().delete()
        Candidate.objects.all().delete()
        run = services.matches_recompute_all()
        return _stored_reasons(), run.stats

    monkeypatch.setenv("JOBMATCH_REASON_PROCESS", "off")
    in_process, stats = cold_run()
    assert stats["reasons_from_child"] == 0
    monkeypatch.setenv("JOBMATCH_REASON_PROCESS", "auto")
    ahead, stats = cold_run()
    assert stats["reasons_from_child"] == stats["rows_written"] > 0
    assert ahead == in_process


class _NoChildren:
    """An executor whose workers cannot start, as in a daemonic worker process."""

    def __init__(self, *args, **kwargs):
        pass

    def submit(self, *args, **kwargs):
        raise AssertionError("daemonic processes are not allowed to have children")

    def shutdown(self, *args, **kwargs):
        pass


@pytest.mark.django_db
@pytest.mark.parametrize("why", ["daemonic process", "the child cannot start"])
def test_a_large_write_without_a_child_builds_reasons_in_process(busy_town, monkeypatch, why):
    """Where no child can be had the run builds every reason itself and writes the same rows."""
    import multiprocessing

    from matching import rowreasons
    from matching.models import Candidate

    monkeypatch.setattr(rowreasons, "AHEAD_MIN_ROWS", 1)
    monkeypatch.setattr(services, "CHUNK", 7)
    SeekerMatch.objects.all().delete()
    Candidate.objects.all().delete()
    monkeypatch.setenv("JOBMATCH_REASON_PROCESS", "off")
    services.matches_recompute_all()
    in_process = _stored_reasons()
    monkeypatch.setenv("JOBMATCH_REASON_PROCESS", "auto")
    if why == "daemonic process":
        monkeypatch.setitem(multiprocessing.current_process()._config, "daemon", True)
    else:
        monkeypatch.setattr(rowreasons, "ProcessPoolExecutor", _NoChildren)
    SeekerMatch.objects.all().delete()
    Candidate.objects.all().delete()
    run = services.matches_recompute_all()
    assert run.stats["reasons_from_child"] == 0
    assert _stored_reasons() == in_process


@pytest.mark.django_db
def test_incremental_runs_freeze_only_a_full_run_of_this_engine_version():
    # A full run made by another version weighed other skill keys (no kin keys before 1.3):
    # incremental runs must not score with it, but with live inputs until a full run of this one.
    from matching.engine import weights
    from matching.models import MatchRun
    from matching.selectors import incremental_basis

    now = timezone.now()
    frozen = dict(
        kind=MatchRun.Kind.FULL,
        started_at=now - dt.timedelta(minutes=1),
        finished_at=now,
        skill_idf={"keys": ["esco:x"], "idf": [2.0], "n_documents": 3},
        congestion_basis={"vacancies": {}, "applications": {}, "answer_rate": {}},
    )
    MatchRun.objects.create(engine_version="engine-0.old", **frozen)
    assert incremental_basis()[0] is None
    MatchRun.objects.create(engine_version=weights.ENGINE_VERSION, **frozen)
    assert incremental_basis()[0].keys == ["esco:x"]
