"""Every cell of the "Who sees what" table for the rows the domain builds.

The cast: alice (seeker, on maya's caseload, consenting), sam (seeker, no mentor), bob (employer at
Acme), maya (mentor of alice), cora (commissioner), root (admin). Acme has an open and a draft
vacancy; Bolt an open and a closed one; Idle has no open vacancy.

- employers: seekers see the names of employers with open vacancies; an employer its own
  organisation (read/write); mentors and commissioners read all; admins all.
- vacancies: seekers see open ones; employers their organisation's (read/write); mentors and
  commissioners read all; admins all.
- seeker profiles: a seeker their own; mentors their caseload (read/write); employers none before
  an introduction; commissioners never (403); admins all.
- skills: everyone reads.  Export: everyone exports their own account.
Out of scope is a 404; the wrong role for an endpoint is a 403.
"""

import pytest

from accounts.models import AccessLogEntry
from tests.factories import (
    EmployerFactory,
    EmployerMemberFactory,
    SeekerProfileFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(cast):
    alice, bob, maya = cast["seeker"], cast["employer"], cast["mentor"]
    acme, bolt, idle = (EmployerFactory(name=n) for n in ("Acme", "Bolt", "Idle"))
    EmployerMemberFactory(user=bob, employer=acme)
    return {
        "acme": acme,
        "bolt": bolt,
        "idle": idle,
        "acme_open": VacancyFactory(employer=acme, title="Picker"),
        "acme_draft": VacancyFactory(employer=acme, status="draft"),
        "bolt_open": VacancyFactory(employer=bolt, title="Driver"),
        "bolt_closed": VacancyFactory(employer=bolt, status="closed"),
        "idle_filled": VacancyFactory(employer=idle, status="filled"),
        "alice": SeekerProfileFactory(user=alice, mentor=maya, share_with_employers=True),
        "sam": SeekerProfileFactory(),
    }


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


# --- employers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,expected",
    [
        ("seeker", ["acme", "bolt"]),
        ("employer", ["acme"]),
        ("mentor", ["acme", "bolt", "idle"]),
        ("commissioner", ["acme", "bolt", "idle"]),
        ("admin", ["acme", "bolt", "idle"]),
    ],
)
def test_employer_list(cast, town, as_user, role, expected):
    assert ids(as_user(cast[role]).get("/api/v1/employers/")) == sorted(
        town[n].id for n in expected
    )


def test_seeker_sees_only_employer_names(cast, town, as_user):
    row = as_user(cast["seeker"]).get(f"/api/v1/employers/{town['acme'].id}/").json()
    assert set(row) == {"id", "name"}


@pytest.mark.parametrize(
    "role,status",
    [
        ("seeker", 403),
        ("employer", 403),
        ("mentor", 403),
        ("commissioner", 403),
        ("admin", 201),
    ],
)
def test_employer_create(cast, town, as_user, role, status):
    response = as_user(cast[role]).post("/api/v1/employers/", {"name": "New Co"})
    assert response.status_code == status


@pytest.mark.parametrize(
    "role,target,status",
    [
        ("employer", "acme", 200),
        ("employer", "bolt", 404),
        ("seeker", "acme", 403),
        ("mentor", "acme", 403),
        ("commissioner", "acme", 403),
        ("admin", "bolt", 200),
    ],
)
def test_employer_update(cast, town, as_user, role, target, status):
    response = as_user(cast[role]).patch(
        f"/api/v1/employers/{town[target].id}/", {"name": "Renamed"}
    )
    assert response.status_code == status


# --- vacancies ----------------------------------------------------------------------------------

ALL_VACANCIES = ["acme_open", "acme_draft", "bolt_open", "bolt_closed", "idle_filled"]


@pytest.mark.parametrize(
    "role,expected",
    [
        ("seeker", ["acme_open", "bolt_open"]),
        ("employer", ["acme_open", "acme_draft"]),
        ("mentor", ALL_VACANCIES),
        ("commissioner", ALL_VACANCIES),
        ("admin", ALL_VACANCIES),
    ],
)
def test_vacancy_list(cast, town, as_user, role, expected):
    assert ids(as_user(cast[role]).get("/api/v1/vacancies/")) == sorted(
        town[n].id for n in expected
    )


@pytest.mark.parametrize(
    "role,target,status",
    [
        ("seeker", "acme_open", 200),
        ("seeker", "bolt_closed", 404),
        ("seeker", "acme_draft", 404),
        ("employer", "acme_draft", 200),
        ("employer", "bolt_open", 404),
        ("mentor", "bolt_closed", 200),
        ("commissioner", "acme_draft", 200),
        ("admin", "idle_filled", 200),
    ],
)
def test_vacancy_retrieve(cast, town, as_user, role, target, status):
    assert as_user(cast[role]).get(f"/api/v1/vacancies/{town[target].id}/").status_code == status


@pytest.mark.parametrize(
    "role,target,status",
    [
        ("employer", "acme_open", 200),
        ("employer", "bolt_open", 404),
        ("seeker", "acme_open", 403),
        ("mentor", "acme_open", 403),
        ("commissioner", "acme_open", 403),
        ("admin", "bolt_open", 200),
    ],
)
def test_vacancy_update(cast, town, as_user, role, target, status):
    response = as_user(cast[role]).patch(f"/api/v1/vacancies/{town[target].id}/", {"title": "New"})
    assert response.status_code == status
    town[target].refresh_from_db()
    assert (town[target].title == "New") is (status == 200)


@pytest.mark.parametrize(
    "role,status",
    [
        ("employer", 200),
        ("seeker", 403),
        ("mentor", 403),
        ("commissioner", 403),
        ("admin", 200),
    ],
)
def test_vacancy_close(cast, town, as_user, role, status):
    response = as_user(cast[role]).post(f"/api/v1/vacancies/{town['acme_open'].id}/close/")
    assert response.status_code == status


VALID_VACANCY = {
    "title": "Care assistant",
    "postcode": "s702ta",
    "hours_per_week": "30",
    "contract_type": "permanent",
    "wage_per_hour": "12.90",
    "skills": ["personal care"],
    "status": "open",
}


@pytest.mark.parametrize(
    "role,status",
    [
        ("employer", 201),
        ("seeker", 403),
        ("mentor", 403),
        ("commissioner", 403),
    ],
)
def test_vacancy_create(cast, town, as_user, role, status):
    response = as_user(cast[role]).post("/api/v1/vacancies/", VALID_VACANCY)
    assert response.status_code == status, response.content
    if status == 201:
        body = response.json()
        assert body["employer"] == town["acme"].id and body["postcode"] == "S70 2TA"


def test_admin_creates_vacancy_for_a_named_employer(cast, town, as_user):
    client = as_user(cast["admin"])
    missing = client.post("/api/v1/vacancies/", VALID_VACANCY)
    assert missing.status_code == 400 and "employer" in missing.json()["errors"]
    made = client.post("/api/v1/vacancies/", {**VALID_VACANCY, "employer": town["bolt"].id})
    assert made.status_code == 201


def test_employer_cannot_post_for_another_organisation(cast, town, as_user):
    response = as_user(cast["employer"]).post(
        "/api/v1/vacancies/", {**VALID_VACANCY, "employer": town["bolt"].id}
    )
    assert response.status_code == 400
    assert "your own organisation" in response.json()["detail"]


# --- seeker profiles ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,expected,status",
    [
        ("seeker", ["alice"], 200),
        ("mentor", ["alice"], 200),
        ("admin", ["alice", "sam"], 200),
        ("employer", [], 200),
        ("commissioner", None, 403),
    ],
)
def test_seeker_list(cast, town, as_user, role, expected, status):
    response = as_user(cast[role]).get("/api/v1/seekers/")
    assert response.status_code == status
    if expected is not None:
        assert ids(response) == sorted(town[n].id for n in expected)


@pytest.mark.parametrize(
    "role,target,status",
    [
        ("seeker", "alice", 200),
        ("seeker", "sam", 404),
        ("mentor", "alice", 200),
        ("mentor", "sam", 404),
        ("employer", "alice", 404),
        ("commissioner", "alice", 403),
        ("admin", "sam", 200),
    ],
)
def test_seeker_retrieve(cast, town, as_user, role, target, status):
    assert as_user(cast[role]).get(f"/api/v1/seekers/{town[target].id}/").status_code == status


@pytest.mark.parametrize(
    "role,target,status",
    [
        ("seeker", "alice", 200),
        ("seeker", "sam", 404),
        ("mentor", "alice", 200),
        ("mentor", "sam", 404),
        ("employer", "alice", 404),
        ("commissioner", "alice", 403),
        ("admin", "sam", 200),
    ],
)
def test_seeker_update(cast, town, as_user, role, target, status):
    response = as_user(cast[role]).patch(
        f"/api/v1/seekers/{town[target].id}/", {"max_travel_minutes": 55}
    )
    assert response.status_code == status
    town[target].refresh_from_db()
    assert (town[target].max_travel_minutes == 55) is (status == 200)


@pytest.mark.parametrize(
    "role,status",
    [
        ("seeker", 200),
        ("employer", 403),
        ("mentor", 403),
        ("commissioner", 403),
    ],
)
def test_seekers_me(cast, town, as_user, role, status):
    assert as_user(cast[role]).get("/api/v1/seekers/me/").status_code == status


def test_mentor_reads_are_access_logged_and_seeker_own_reads_are_not(cast, town, as_user):
    alice, maya = cast["seeker"], cast["mentor"]
    as_user(alice).get(f"/api/v1/seekers/{town['alice'].id}/")
    as_user(alice).get("/api/v1/seekers/me/")
    assert not AccessLogEntry.objects.exists()
    as_user(maya).get("/api/v1/seekers/")
    as_user(maya).get(f"/api/v1/seekers/{town['alice'].id}/")
    as_user(maya).patch(f"/api/v1/seekers/{town['alice'].id}/", {"hours_max": 30})
    entries = list(
        AccessLogEntry.objects.order_by("id").values_list(
            "actor__username", "subject__username", "action", "channel"
        )
    )
    read, change = ("maya", "alice", "read", "api"), ("maya", "alice", "change", "api")
    assert entries == [read, read, change, read]  # the answer to a change shows the profile
    as_user(maya).patch(f"/api/v1/seekers/{town['alice'].id}/", {})  # nothing changes: still read
    assert AccessLogEntry.objects.order_by("id").last().action == "read"


# --- skills and export --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["seeker", "employer", "mentor", "commissioner", "admin"])
def test_skills_suggestions_for_every_role(cast, as_user, role):
    response = as_user(cast[role]).get("/api/v1/skills/", {"search": "forkl"})
    assert response.status_code == 200
    assert response.json()["results"], "suggestions for 'forkl'"


def test_skills_need_sign_in(api, db):
    assert api.get("/api/v1/skills/", {"search": "care"}).status_code in (401, 403)


@pytest.mark.parametrize("role", ["seeker", "employer", "mentor", "commissioner", "admin"])
def test_export_is_own_account(cast, town, as_user, role):
    body = as_user(cast[role]).get("/api/v1/seekers/me/export/").json()
    assert body["account"]["username"] == cast[role].username
    assert ("profile" in body) is (role == "seeker")
