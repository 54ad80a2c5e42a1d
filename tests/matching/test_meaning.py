"""Text meaning: titles and a vacancy's description are compared by meaning as well as by their
words, computed in the worker (a recompute) and never in a request."""

import datetime as dt

import pytest

from matching import services
from matching.models import SeekerMatch, TextMeaning
from tests.factories import TOWN, EmployerFactory, SeekerProfileFactory, VacancyFactory

pytestmark = pytest.mark.django_db

TRUCKS = "Driving a counterbalance fork lift truck, loading lorries in the yard."
CARE = "Helping older residents wash, dress and eat in a care home."


def _vacancy(employer, description):
    return VacancyFactory(
        employer=employer, title="Operative", description=description, skills=[], **TOWN
    )


def test_a_vacancy_is_read_by_what_its_description_says(alice):
    seeker = SeekerProfileFactory(
        user=alice, skills=[], desired_titles=["forklift driver"], travel_modes=["walk"], **TOWN
    )
    acme = EmployerFactory(name="Acme")
    trucks = _vacancy(
        acme, "Driving a counterbalance fork lift truck, loading lorries in the yard."
    )
    care = _vacancy(acme, CARE)
    services.matches_recompute_all()
    fits = dict(SeekerMatch.objects.filter(seeker=seeker).values_list("vacancy_id", "score"))
    # Same title, no skills: only the meaning of the description tells them apart.
    assert fits.get(trucks.pk, 0.0) > fits.get(care.pk, 0.0)
    from matching.texts import text_meanings, vacancy_text

    texts = ["forklift driver", vacancy_text(trucks), vacancy_text(care)]
    assert len(text_meanings(texts)) == 3  # known without computing: the run stored them


def test_a_request_reads_meanings_and_never_embeds(alice):
    from matching.selectors import match_explain

    seeker = SeekerProfileFactory(
        user=alice, skills=[], desired_titles=["night porter"], travel_modes=["walk"], **TOWN
    )
    vacancy = _vacancy(EmployerFactory(name="Acme"), "Never seen before: a unique text 8d1f.")
    before = TextMeaning.objects.count()
    match_explain(profile=seeker, vacancy=vacancy, today=dt.date.today())
    assert TextMeaning.objects.count() == before


def test_a_seeker_is_read_by_what_they_wrote_about_themselves(alice):
    seeker = SeekerProfileFactory(
        user=alice,
        skills=[],
        desired_titles=[],
        about="Six years in a distribution centre, mostly on the forklift loading trailers.",
        travel_modes=["walk"],
        **TOWN,
    )
    acme = EmployerFactory(name="Acme")
    trucks = _vacancy(acme, TRUCKS)
    care = _vacancy(acme, CARE)
    services.matches_recompute_all()
    fits = dict(SeekerMatch.objects.filter(seeker=seeker).values_list("vacancy_id", "score"))
    assert fits.get(trucks.pk, 0.0) > fits.get(care.pk, 0.0)


def test_skills_named_in_a_description_are_offered_to_add(alice, bob, as_user, client):
    from employers.models import Vacancy
    from tests.factories import EmployerMemberFactory

    acme = EmployerFactory(name="Acme")
    EmployerMemberFactory(user=bob, employer=acme)
    vacancy = _vacancy(acme, "Picking orders in the warehouse. You will need a DBS check.")
    api = as_user(bob)
    assert api.get(f"/api/v1/vacancies/{vacancy.pk}/").json()["skills_offered"] == []  # unread
    services.matches_recompute_all()  # the worker reads the description
    offered = api.get(f"/api/v1/vacancies/{vacancy.pk}/").json()["skills_offered"]
    assert "uk:dbs_check" in [s["id"] for s in offered]
    listed = api.get("/api/v1/vacancies/").json()["results"]
    assert all(v["skills_offered"] is None for v in listed)  # lists do not read them
    client.force_login(bob)
    page = client.get(f"/vacancies/{vacancy.pk}/edit/").content.decode()
    assert "Skills named in the description" in page and 'value="uk:dbs_check"' in page
    # Nothing is added until ticked; ticked, it is stored as chosen.
    vacancy.refresh_from_db()
    assert vacancy.skills == []
    form = {
        "title": "Operative",
        "description": vacancy.description,
        "skills": "",
        "skills-add": ["uk:dbs_check"],
        "postcode": "S70 2TA",
        "hours_per_week": "37.5",
        "contract_type": "permanent",
        "wage_per_hour": "12.90",
    }
    assert client.post(f"/vacancies/{vacancy.pk}/edit/", form).status_code == 302
    skills = Vacancy.objects.get(pk=vacancy.pk).skills
    assert [(s["id"], s["how"]) for s in skills] == [("uk:dbs_check", "chosen")]
    assert api.get(f"/api/v1/vacancies/{vacancy.pk}/").json()["skills_offered"] == [
        s for s in offered if s["id"] != "uk:dbs_check"
    ]
