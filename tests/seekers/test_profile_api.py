"""Seeker sign-up, profile edits, consent history and bad input on ``seekers/me/``.

The cast: alice (seeker, on maya's caseload), maya (mentor), root (admin).
"""

import datetime as dt

import pytest

from accounts.models import AccessLogEntry, User
from seekers.models import ConsentChange, SeekerProfile
from tests.factories import SeekerProfileFactory

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "username": "newbie",
    "password": "a-long-pass-phrase-2026",
    "email": "newbie@example.org",
    "first_name": "New",
    "profile": {"postcode": " s70 2ta ", "skills": ["forklift truck"]},
}


@pytest.fixture
def alice_profile(alice, maya):
    return SeekerProfileFactory(user=alice, mentor=maya)


def test_register_makes_a_seeker_with_todays_registration(api):
    response = api.post("/api/v1/auth/register/", REGISTRATION, format="json")
    assert response.status_code == 201, response.content
    user = User.objects.get(username="newbie")
    assert user.role == "seeker"
    profile = user.seeker_profile
    assert profile.registered_on == dt.date.today() and profile.postcode == "S70 2TA"
    assert profile.easting and profile.northing
    assert [c.share_with_employers for c in profile.consents.all()] == [False]
    assert response.json()["skills"][0]["typed"] == "forklift truck"


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"role": "mentor"}, "role"),
        ({"profile": {"benefit_group": "none"}}, "profile"),
        ({"password": "password"}, "password"),
        ({"email": "nope"}, "email"),
        ({"username": "x" * 151}, "username"),
    ],
)
def test_register_refuses_bad_or_privileged_input(api, extra, field):
    response = api.post("/api/v1/auth/register/", {**REGISTRATION, **extra}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not User.objects.filter(username="newbie").exists()


def test_register_refuses_a_taken_username(api, alice):
    response = api.post(
        "/api/v1/auth/register/", {**REGISTRATION, "username": "ALICE"}, format="json"
    )
    assert response.status_code == 400
    assert "taken" in response.json()["errors"]["username"][0]


def test_consent_history_keeps_every_change(as_user, alice, alice_profile):
    client = as_user(alice)
    for share in (True, False, True):
        assert (
            client.patch("/api/v1/seekers/me/", {"share_with_employers": share}).status_code == 200
        )
    history = list(
        ConsentChange.objects.filter(seeker=alice_profile).values_list(
            "share_with_employers", "changed_by__username"
        )
    )
    assert history == [(True, "alice"), (False, "alice"), (True, "alice")]
    export = client.get("/api/v1/seekers/me/export/").json()
    assert [c["share_with_employers"] for c in export["consent_history"]] == [True, False, True]


def test_mentor_consent_change_is_recorded_as_theirs(as_user, maya, alice_profile):
    as_user(maya).patch(f"/api/v1/seekers/{alice_profile.id}/", {"share_with_employers": True})
    assert ConsentChange.objects.get(seeker=alice_profile).changed_by == maya


@pytest.mark.parametrize(
    "field,value",
    [
        ("benefit_group", "esa_new"),
        ("registered_on", "2024-01-01"),
        ("mentor", 1),
    ],
)
def test_seeker_cannot_set_staff_fields(as_user, alice, alice_profile, field, value):
    response = as_user(alice).patch("/api/v1/seekers/me/", {field: value, "hours_max": 20})
    assert response.status_code == 400
    assert field in response.json()["errors"]
    alice_profile.refresh_from_db()
    assert alice_profile.hours_max == 40  # nothing half-written


def test_mentor_sets_benefit_group_and_registration(as_user, maya, alice, alice_profile):
    response = as_user(maya).patch(
        f"/api/v1/seekers/{alice_profile.id}/",
        {"benefit_group": "esa_new", "registered_on": "2024-03-05"},
    )
    assert response.status_code == 200, response.content
    alice_profile.refresh_from_db()
    assert (alice_profile.benefit_group, str(alice_profile.registered_on)) == (
        "esa_new",
        "2024-03-05",
    )
    entry = AccessLogEntry.objects.get(action="change")
    assert entry.actor == maya and entry.subject == alice and "benefit_group" in entry.what


@pytest.mark.parametrize(
    "data,field,fragment",
    [
        ({"postcode": "ZZ99 9ZZ"}, "postcode", "cannot find"),
        ({"postcode": "not a postcode"}, "postcode", ""),
        ({"postcode": "BT1 1AA"}, "postcode", "Northern Ireland"),
        ({"postcode": "AB11 3AG"}, "postcode", "cannot locate this postcode"),
        ({"postcode": "JE2 3QN"}, "postcode", "Channel Islands"),
        ({"postcode": "S70 2TA S70 2TA"}, "postcode", "at most 8 characters"),
        ({"hours_min": -3}, "hours_min", ""),
        ({"hours_min": 30, "hours_max": 20}, "hours_min", "more than"),
        ({"hours_max": "lots"}, "hours_max", "valid integer"),
        ({"max_travel_minutes": 0}, "max_travel_minutes", ""),
        ({"travel_modes": ["teleport"]}, "travel_modes", "valid choice"),
        ({"skills": "forklift"}, "skills", "list"),
        ({"skills": ["x" * 101]}, "skills", "100"),
        ({"skills": [f"skill {i}" for i in range(31)]}, "skills", "at most 30"),
        ({"desired_titles": ["driver"] * 11}, "desired_titles", ""),
        ({"share_with_employers": "perhaps"}, "share_with_employers", "valid boolean"),
        ({"age_band": "ancient"}, "age_band", "valid choice"),
    ],
)
def test_bad_profile_input_is_a_400_naming_the_field(
    as_user, alice, alice_profile, data, field, fragment
):
    before = SeekerProfile.objects.filter(pk=alice_profile.pk).values().get()
    response = as_user(alice).patch("/api/v1/seekers/me/", data, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body["errors"] and field in body["detail"]
    assert fragment in str(body["errors"][field])
    assert SeekerProfile.objects.filter(pk=alice_profile.pk).values().get() == before


def test_profile_update_normalises_postcode_and_skills(as_user, alice, alice_profile):
    response = as_user(alice).patch(
        "/api/v1/seekers/me/",
        {
            "postcode": "s70  2ta",
            "skills": ["Forklift truck", "forklift truck", "  "],
            "travel_modes": ["walk", "walk", "car"],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["postcode"] == "S70 2TA"
    assert [s["typed"] for s in body["skills"]] == ["Forklift truck"]
    assert body["travel_modes"] == ["walk", "car"]


@pytest.mark.parametrize("typed,stored", [("npt0ad", "NPT 0AD"), (" s36 6by ", "S36 6BY")])
def test_terminated_and_oddly_typed_postcodes_are_accepted(
    as_user, alice, alice_profile, typed, stored
):
    response = as_user(alice).patch("/api/v1/seekers/me/", {"postcode": typed})
    assert response.status_code == 200, response.content
    alice_profile.refresh_from_db()
    assert alice_profile.postcode == stored and alice_profile.easting is not None


def test_the_group_at_registration_is_kept_when_the_group_changes(as_user, maya, alice):
    profile = SeekerProfileFactory(
        user=alice, mentor=maya, benefit_group="", registration_benefit_group=""
    )
    client = as_user(maya)
    client.patch(f"/api/v1/seekers/{profile.id}/", {"benefit_group": "esa_new"})
    client.patch(f"/api/v1/seekers/{profile.id}/", {"benefit_group": "uc_searching"})
    profile.refresh_from_db()
    assert (profile.benefit_group, profile.registration_benefit_group) == (
        "uc_searching",
        "esa_new",
    )
