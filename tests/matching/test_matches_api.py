"""Matches and candidates through the API, on the real engine.

The cast: alice (seeker in Barnsley town centre, forklift skills, on maya's caseload, consenting),
sam (seeker next door with the same skills, not consenting, no mentor), bob (employer at Acme),
maya (mentor of alice), cora (commissioner), root (admin).
Acme has a forklift vacancy in town ("near") and one in London ("far"); Bolt has one in town.

- a seeker's matches: own (seeker), caseload (mentor), all (admin); employers and commissioners 403
- a vacancy's candidates: employers for their own vacancies, consenting seekers only, by
  pseudonym; mentors their caseload; admins all consenting; seekers and commissioners 403
"""

import pytest
from django.utils import timezone

from accounts.models import AccessLogEntry
from matching.models import SeekerMatch
from matching.pseudonyms import pseudonym
from matching.services import matches_recompute_all
from tests.factories import (
    TOWN,
    EmployerFactory,
    EmployerMemberFactory,
    SeekerProfileFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db

FORKLIFT = {
    "typed": "forklift licence",
    "id": "uk:forklift_counterbalance",
    "label": "Counterbalance forklift licence",
}
PICKING = {
    "typed": "order picking",
    "id": "esco:ee5e2297-39cc-4ed6-89e5-d58016118a7f",
    "label": "pick orders for dispatching",
}
LONDON = {"postcode": "SW1A 1AA", "easting": 529090, "northing": 179645}


@pytest.fixture
def town(cast):
    alice, bob, maya = cast["seeker"], cast["employer"], cast["mentor"]
    acme, bolt = EmployerFactory(name="Acme"), EmployerFactory(name="Bolt")
    EmployerMemberFactory(user=bob, employer=acme)
    common = {
        "skills": [FORKLIFT, PICKING],
        "travel_modes": ["walk", "public_transport"],
        "max_travel_minutes": 45,
        "desired_titles": ["forklift driver"],
        **TOWN,
    }
    vacancy = {"skills": [PICKING], "essential_skills": [FORKLIFT], "title": "Forklift driver"}
    town = {
        "alice": SeekerProfileFactory(user=alice, mentor=maya, share_with_employers=True, **common),
        "sam": SeekerProfileFactory(share_with_employers=False, **common),
        "near": VacancyFactory(employer=acme, **vacancy, **TOWN),
        "far": VacancyFactory(employer=acme, **vacancy, **LONDON),
        "bolt": VacancyFactory(employer=bolt, **vacancy, **TOWN),
    }
    matches_recompute_all(today=timezone.localdate())
    return town


def test_seeker_sees_ranked_matches_with_reasons(town, as_user, alice):
    body = as_user(alice).get("/api/v1/seekers/me/matches/").json()
    vacancy_ids = [row["vacancy"]["id"] for row in body["results"]]
    assert sorted(vacancy_ids) == sorted([town["near"].id, town["bolt"].id])  # not the far one
    first = body["results"][0]
    assert first["rank"] == 1 and 0 < first["score"] <= 1
    assert {s["label"] for s in first["reasons"]["skills_matched"]} >= {FORKLIFT["label"]}
    assert first["reasons"]["minutes_are_estimate"] is True


@pytest.mark.parametrize(
    "role,status",
    [
        ("seeker", 200),
        ("employer", 403),
        ("mentor", 403),
        ("commissioner", 403),
        ("admin", 404),
    ],
)
def test_my_matches_by_role(town, cast, as_user, role, status):
    assert as_user(cast[role]).get("/api/v1/seekers/me/matches/").status_code == status


@pytest.mark.parametrize(
    "role,target,status",
    [
        ("seeker", "alice", 200),
        ("seeker", "sam", 404),
        ("mentor", "alice", 200),
        ("mentor", "sam", 404),
        ("employer", "alice", 403),
        ("commissioner", "alice", 403),
        ("admin", "sam", 200),
    ],
)
def test_seeker_matches_by_role(town, cast, as_user, role, target, status):
    response = as_user(cast[role]).get(f"/api/v1/seekers/{town[target].id}/matches/")
    assert response.status_code == status


def test_mentor_reading_matches_is_access_logged(town, as_user, maya, alice):
    as_user(maya).get(f"/api/v1/seekers/{town['alice'].id}/matches/")
    assert AccessLogEntry.objects.filter(actor=maya, subject=alice, what="matches").exists()


def test_why_not_this_job_names_the_distance(town, as_user, alice):
    url = f"/api/v1/seekers/{town['alice'].id}/matches/{town['far'].id}/"
    body = as_user(alice).get(url).json()
    assert body["is_match"] is False
    assert body["failures"][0]["code"] == "too_far"
    assert "min" in body["failures"][0]["message"]
    ok = as_user(alice).get(f"/api/v1/seekers/{town['alice'].id}/matches/{town['near'].id}/")
    assert ok.json()["is_match"] is True and ok.json()["rank"] >= 1


def test_why_not_for_a_closed_vacancy(town, as_user, alice, maya):
    town["near"].status = "closed"
    town["near"].save()
    url = f"/api/v1/seekers/{town['alice'].id}/matches/{town['near'].id}/"
    assert as_user(alice).get(url).status_code == 404  # seekers do not see closed vacancies
    body = as_user(maya).get(url).json()
    assert body["is_match"] is False and "closed" in body["failures"][0]["message"].lower()


def test_reads_filter_closed_vacancies_before_any_recompute(town, as_user, alice):
    town["bolt"].status = "closed"
    town["bolt"].save()
    body = as_user(alice).get("/api/v1/seekers/me/matches/").json()
    assert [row["vacancy"]["id"] for row in body["results"]] == [town["near"].id]


@pytest.mark.parametrize(
    "role,target,status",
    [
        ("employer", "near", 200),
        ("employer", "bolt", 404),
        ("mentor", "bolt", 200),
        ("admin", "near", 200),
        ("seeker", "near", 403),
        ("commissioner", "near", 403),
    ],
)
def test_candidates_by_role(town, cast, as_user, role, target, status):
    response = as_user(cast[role]).get(f"/api/v1/vacancies/{town[target].id}/candidates/")
    assert response.status_code == status


def test_employer_sees_consenting_candidates_by_pseudonym_only(town, as_user, bob, alice):
    body = as_user(bob).get(f"/api/v1/vacancies/{town['near'].id}/candidates/").json()
    rows = body["results"]
    expected = pseudonym(employer_id=town["near"].employer_id, seeker_id=town["alice"].id)
    assert [r["pseudonym"] for r in rows] == [expected]  # sam does not consent
    text = str(body)
    for secret in ("alice", town["alice"].postcode, str(TOWN["easting"])):
        assert secret not in text
    assert set(rows[0]) == {
        "pseudonym",
        "rank",
        "score",
        "skills",
        "skills_matched",
        "skills_missing_essential",
        "distance_band",
        "hours_min",
        "hours_max",
        "has_driving_licence",
    }
    assert rows[0]["distance_band"] == "under 2 km"


def test_consent_is_checked_when_candidates_are_read(town, as_user, bob, alice):
    as_user(alice).patch("/api/v1/seekers/me/", {"share_with_employers": False})
    body = as_user(bob).get(f"/api/v1/vacancies/{town['near'].id}/candidates/").json()
    assert body["results"] == []


def test_mentor_sees_only_their_caseload_among_candidates(town, as_user, maya):
    rows = as_user(maya).get(f"/api/v1/vacancies/{town['near'].id}/candidates/").json()["results"]
    assert [r["seeker"] for r in rows] == [town["alice"].id]


def test_pseudonyms_are_stable_per_employer_and_differ_across_employers():
    a = pseudonym(employer_id=1, seeker_id=42)
    assert a == pseudonym(employer_id=1, seeker_id=42)
    assert a != pseudonym(employer_id=2, seeker_id=42)
    assert a.startswith("C-") and len(a) == 8


def test_profile_change_recomputes_on_commit(
    town, as_user, alice, django_capture_on_commit_callbacks
):
    SeekerMatch.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(alice).patch("/api/v1/seekers/me/", {"max_travel_minutes": 30})
    assert response.status_code == 200
    assert SeekerMatch.objects.filter(seeker=town["alice"]).count() == 2


def test_closing_a_vacancy_recomputes_on_commit(
    town, as_user, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        as_user(bob).post(f"/api/v1/vacancies/{town['near'].id}/close/")
    assert not SeekerMatch.objects.filter(vacancy=town["near"]).exists()
    assert SeekerMatch.objects.filter(vacancy=town["bolt"]).count() == 2


def test_export_includes_matches(town, as_user, alice):
    body = as_user(alice).get("/api/v1/seekers/me/export/").json()
    assert {m["vacancy_id"] for m in body["matches"]} == {town["near"].id, town["bolt"].id}


def test_matches_list_makes_a_fixed_number_of_queries(
    town, as_user, alice, django_assert_max_num_queries
):
    client = as_user(alice)
    # profile, count, page of matches with vacancies, and freshness (pending, computed_at)
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/seekers/me/matches/")
    assert len(response.json()["results"]) == 2
