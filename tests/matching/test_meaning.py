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


def test_a_neighbouring_job_is_a_match_through_its_family_of_occupations(alice):
    # A kitchen porter and a chef de partie are different occupations of one kind of work:
    # their rows share a family, not an occupation. The porter meets the chef's post, below a
    # porter's post, and a care job in the same place stays out of reach of meaning.
    seeker = SeekerProfileFactory(
        user=alice, skills=[], desired_titles=["kitchen porter"], travel_modes=["walk"], **TOWN
    )
    acme = EmployerFactory(name="Acme")
    porter = VacancyFactory(
        employer=acme, title="Kitchen porter", description="", skills=[], **TOWN
    )
    chef = VacancyFactory(
        employer=acme,
        title="Chef de partie",
        description="Running the grill section of a busy restaurant kitchen.",
        skills=[],
        **TOWN,
    )
    care = _vacancy(acme, CARE)
    services.matches_recompute_all()
    rows = SeekerMatch.objects.filter(seeker=seeker)
    fits = dict(rows.values_list("vacancy_id", "score"))
    assert fits[porter.pk] > fits[chef.pk] > fits.get(care.pk, 0.0)
    from matching.engine.wording import summary

    chef_reasons = rows.get(vacancy=chef).reasons
    assert "close to the kind of work you are looking for" in summary(chef_reasons)


def test_two_rows_meet_as_the_weighted_sum_of_their_occupations_and_families():
    import numpy as np
    import scipy.sparse as sp

    from matching.engine import weights
    from matching.engine.meaning import FAMILIES, blend, row_width

    position = {"a": 0, "b": 1, "c": 2}
    lexical = sp.csr_matrix((3, 3))
    meanings = [
        {"a": 1.0, "family:7": 0.6, "family:9": 0.8},
        {"a": 0.6, "b": 0.8, "family:7": 1.0},
        {"c": 1.0},  # no family known: the occupations alone, still a unit row
    ]
    rows = blend(lexical, meanings, position)
    assert rows.shape == (3, row_width(3)) == (3, 3 + FAMILIES)
    # Unit rows with both parts; a row with one part keeps that part's weight only.
    norms = sp.linalg.norm(rows, axis=1)
    assert np.allclose(norms, [1.0, 1.0, np.sqrt(weights.OCCUPATION_NEAR)])
    # Before MIN_SHARE (no weight here is under it): occupations 0.6, families 0.6.
    expected = weights.OCCUPATION_NEAR * 0.6 + weights.OCCUPATION_FAMILY * 0.6
    assert (rows[0] @ rows[1].T).toarray()[0, 0] == pytest.approx(expected)
    # Sharing a family and no occupation still meets, at most the families' share.
    only_family = blend(lexical, [{"a": 1.0, "family:3": 1.0}, {"b": 1.0, "family:3": 1.0}],
                        position)  # fmt: skip
    assert (only_family[0] @ only_family[1].T).toarray()[0, 0] == pytest.approx(
        weights.OCCUPATION_FAMILY
    )
    # A text near some families and no occupation meets a full row for its families' share
    # only, never as "the kind of job" (0.5 or more).
    vague = blend(lexical, [{"family:3": 1.0}], position)
    full = blend(lexical, [{"a": 1.0, "family:3": 1.0}], position)
    assert (vague @ full.T).toarray()[0, 0] == pytest.approx(weights.OCCUPATION_FAMILY)


def test_the_committed_families_cover_every_occupation_once():
    import csv
    import gzip

    from matching.engine.meaning import FAMILIES, FAMILIES_FILE, OCCUPATIONS_FILE

    with gzip.open(OCCUPATIONS_FILE, "rt", encoding="utf-8") as f:
        occupations = {r["id"] for r in csv.DictReader(f)}
    with open(FAMILIES_FILE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["id"] for r in rows) == sorted(occupations)
    assert {int(r["family"]) for r in rows} == set(range(FAMILIES))


def test_what_a_stored_meaning_was_made_with_fits_its_column():
    # PostgreSQL refuses a longer value where SQLite would store it.
    from matching.engine.meaning import MEANING_ID

    assert len(MEANING_ID) <= TextMeaning._meta.get_field("model").max_length
