"""The profile and vacancy pages show what each skill phrase was read as, with other readings to
pick from and the choice to keep one's own words; a pick is saved as picked."""

import pytest

from employers.models import Vacancy

pytestmark = pytest.mark.django_db

FORM = {
    "postcode": "S70 2TA",
    "desired_titles": "",
    "travel_modes": ["walk"],
    "max_travel_minutes": "30",
    "hours_min": "16",
    "hours_max": "37",
    "share_with_employers": "yes",
}


def test_the_profile_page_shows_each_reading_and_saves_a_pick(world, client):
    client.force_login(world["seeker"])
    page = client.get("/profile/").content.decode()
    assert "How we read your skills" in page
    assert "Read as <strong>Counterbalance forklift licence</strong>" in page
    assert 'value="own"' in page
    # Pick another licence for "forklift", and keep new words as written.
    form = {
        **FORM,
        "skills": "forklift, peg feeding",
        "skills-phrase-1": "forklift",
        "skills-reading-1": "uk:forklift_reach",
    }
    assert client.post("/profile/", form).status_code == 302
    world["profile"].refresh_from_db()
    forklift = world["profile"].skills[0]
    assert (forklift["id"], forklift["how"]) == ("uk:forklift_reach", "chosen")
    assert world["profile"].skills[1]["typed"] == "peg feeding"
    page = client.get("/profile/").content.decode()
    assert "Reach truck licence</strong>, as picked" in page
    # Then keep "forklift" as written after all.
    assert client.post("/profile/", {**form, "skills-reading-1": "own"}).status_code == 302
    world["profile"].refresh_from_db()
    forklift = world["profile"].skills[0]
    assert (forklift["id"], forklift["how"]) == (None, "own words")


def test_the_vacancy_form_shows_each_reading(world, client):
    client.force_login(world["employer"])
    vacancy: Vacancy = world["vacancy"]
    page = client.get(f"/vacancies/{vacancy.pk}/edit/").content.decode()
    assert "How we read the wanted skills" in page
    assert "Counterbalance forklift licence" in page
