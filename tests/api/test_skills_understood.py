"""Skills as people send them: typed words are read (with a confidence and alternatives), a
picked skill is kept as picked, one's own words are kept as written, and nothing stored is read
again: saving a profile or a vacancy unchanged changes nothing.

The cast: alice (seeker) edits her profile; bob (employer at Acme) posts a vacancy."""

import pytest

from employers.models import Vacancy
from seekers.models import SeekerProfile
from tests.factories import EmployerFactory, EmployerMemberFactory, SeekerProfileFactory

pytestmark = pytest.mark.django_db

VACANCY = {
    "title": "Warehouse operative",
    "postcode": "S70 2TA",
    "hours_per_week": "37.5",
    "contract_type": "permanent",
    "wage_per_hour": "12.90",
}


@pytest.fixture
def alice_profile(alice):
    return SeekerProfileFactory(user=alice, skills=[])


@pytest.fixture
def me(as_user, alice, alice_profile):
    return as_user(alice)


@pytest.fixture
def bob_client(as_user, bob):
    EmployerMemberFactory(user=bob, employer=EmployerFactory(name="Acme"))
    return as_user(bob)


def test_each_phrase_says_what_it_was_read_as(me):
    body = me.patch("/api/v1/seekers/me/", {"skills": ["DBS check", "zzqx"]}, format="json").json()
    dbs, unknown = body["skills"]
    assert dbs["typed"] == "DBS check" and dbs["id"] == "uk:dbs_check"
    assert dbs["how"] == "understood" and 0 < dbs["confidence"] <= 1
    assert isinstance(dbs["alternatives"], list)
    assert all(a["id"] != dbs["id"] for a in dbs["alternatives"])
    assert unknown["typed"] == "zzqx" and unknown["id"] is None and unknown["label"] is None


def test_a_picked_skill_is_kept_as_picked(me):
    body = me.patch(
        "/api/v1/seekers/me/",
        {"skills": [{"typed": "forklift", "id": "uk:forklift_reach"}]},
        format="json",
    ).json()
    assert body["skills"][0] | {"alternatives": []} == {
        "typed": "forklift",
        "id": "uk:forklift_reach",
        "label": "Reach truck licence",
        "confidence": 1.0,
        "alternatives": [],
        "how": "chosen",
    }


def test_own_words_are_kept_as_written(me):
    body = me.patch(
        "/api/v1/seekers/me/", {"skills": [{"typed": "peg feeding", "id": None}]}, format="json"
    ).json()
    assert body["skills"][0]["id"] is None and body["skills"][0]["how"] == "own words"


def test_an_unknown_id_is_a_400_that_says_what_to_do(me, alice_profile):
    response = me.patch(
        "/api/v1/seekers/me/", {"skills": [{"id": "esco:not-a-skill"}]}, format="json"
    )
    assert response.status_code == 400
    assert "skills/?search=" in str(response.json())
    alice_profile.refresh_from_db()
    assert alice_profile.skills == []


@pytest.mark.parametrize("bad", ["forklift", [{"label": "x"}], [42], [["a"]]])
def test_other_shapes_are_a_400(me, bad):
    response = me.patch("/api/v1/seekers/me/", {"skills": bad}, format="json")
    assert response.status_code == 400, response.content


def test_saving_a_profile_unchanged_changes_nothing(me, alice_profile):
    # A reading the normaliser would not give today (as a demo or an older version stored it).
    stored = [
        {"typed": "forklift", "id": "uk:forklift_reach", "label": "Reach truck licence",
         "confidence": 0.8, "alternatives": [], "how": "understood"},
        {"typed": "dementia care", "id": None, "label": None, "confidence": None,
         "alternatives": [], "how": "own words"},
    ]  # fmt: skip
    SeekerProfile.objects.filter(pk=alice_profile.pk).update(skills=stored)
    stamp = SeekerProfile.objects.get(pk=alice_profile.pk).updated_at
    got = me.get("/api/v1/seekers/me/").json()["skills"]
    # As the API gave them, and as the page's form sends them: the words alone.
    for sent in (got, [s["typed"] for s in got], ["FORKLIFT ", "Dementia  care"]):
        assert me.patch("/api/v1/seekers/me/", {"skills": sent}, format="json").status_code == 200
        profile = SeekerProfile.objects.get(pk=alice_profile.pk)
        assert profile.skills == stored
        assert profile.updated_at == stamp


def test_saving_a_vacancy_unchanged_changes_nothing(bob_client):
    created = bob_client.post(
        "/api/v1/vacancies/",
        {**VACANCY, "skills": ["picking and packing", "forklift"], "essential_skills": ["DBS"]},
        format="json",
    ).json()
    vacancy = Vacancy.objects.get(pk=created["id"])
    skills, essential, stamp = vacancy.skills, vacancy.essential_skills, vacancy.updated_at
    for sent in (
        {"skills": created["skills"], "essential_skills": created["essential_skills"]},
        {
            "skills": [s["typed"] for s in created["skills"]],
            "essential_skills": [s["typed"] for s in created["essential_skills"]],
        },
    ):
        url = f"/api/v1/vacancies/{vacancy.pk}/"
        assert bob_client.patch(url, sent, format="json").status_code == 200
        vacancy.refresh_from_db()
        assert (vacancy.skills, vacancy.essential_skills) == (skills, essential)
        assert vacancy.updated_at == stamp
