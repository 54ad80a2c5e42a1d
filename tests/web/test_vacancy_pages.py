"""The employer's vacancy pages (post, edit, close) and the skill suggestions under skills fields.

The pages do what ``vacancies/`` in the API does, through its serializer and the same services:
only employers (and admins) get in, another organisation's vacancy is a 404, each bad input shows
the serializer's message at its field and in the error summary, and nothing is stored then.

The cast: bob (employer at Acme, which has a forklift vacancy), eve (employer at Bolt, which has
one too), alice (seeker), maya (mentor), cora (commissioner), root (admin).
"""

import datetime as dt
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from employers import services
from employers.models import Vacancy
from tests.conftest import make_user
from tests.factories import (
    EmployerFactory,
    EmployerMemberFactory,
    SeekerProfileFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["seeker", "employer", "mentor", "commissioner", "admin"]


@pytest.fixture
def shop(cast):
    acme, bolt = EmployerFactory(name="Acme"), EmployerFactory(name="Bolt")
    EmployerMemberFactory(user=cast["employer"], employer=acme)
    eve = make_user("eve", Role.EMPLOYER)
    EmployerMemberFactory(user=eve, employer=bolt)
    ours = VacancyFactory(employer=acme, title="Forklift driver")
    theirs = VacancyFactory(employer=bolt, title="Bolt packer")
    return {**cast, "eve": eve, "acme": acme, "bolt": bolt, "ours": ours, "theirs": theirs}


def form(**changes) -> dict:
    """A valid vacancy form as a browser posts it."""
    fields = {
        "title": "Shop assistant",
        "description": "Serving customers in the market hall.",
        "skills": "customer service, forklift licence",
        "essential_skills": "",
        "postcode": "s70 2ta",
        "hours_per_week": "30",
        "contract_type": "permanent",
        "wage_per_hour": "13.00",
        "positions": "2",
        "requires_driving_licence": "yes",
        "closing_date": "",
        "status": "open",
    }
    fields.update(changes)
    return fields


def pages(shop):
    pk = shop["ours"].pk
    return {
        "new": "/vacancies/new/",
        "edit": f"/vacancies/{pk}/edit/",
        "close": f"/vacancies/{pk}/close/",
    }


# --- who gets in ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["new", "edit", "close"])
@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(shop, client, role, page):
    client.force_login(shop[role])
    response = client.get(pages(shop)[page])
    assert response.status_code == (200 if role in ("employer", "admin") else 403)


@pytest.mark.parametrize("page", ["new", "edit", "close"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_goes_to_sign_in(shop, client, page, method):
    response = getattr(client, method)(pages(shop)[page])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("action", ["edit", "close"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_employers_vacancy_is_not_found(shop, client, action, method):
    client.force_login(shop["employer"])
    theirs = shop["theirs"]
    response = getattr(client, method)(f"/vacancies/{theirs.pk}/{action}/", form(title="Mine now"))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.title, theirs.status) == ("Bolt packer", "open")


def test_unknown_vacancy_is_not_found(shop, client):
    client.force_login(shop["employer"])
    assert client.get("/vacancies/999999/edit/").status_code == 404


def test_the_list_links_to_the_pages(shop, client):
    closed = VacancyFactory(employer=shop["acme"], title="Old job", status="closed")
    client.force_login(shop["employer"])
    html = client.get("/vacancies/").content.decode()
    assert 'href="/vacancies/new/"' in html and "Post a vacancy" in html
    ours = shop["ours"].pk
    assert f'href="/vacancies/{ours}/edit/"' in html
    assert f'href="/vacancies/{ours}/close/"' in html
    assert f"/vacancies/{closed.pk}/edit/" not in html
    assert f"/vacancies/{closed.pk}/close/" not in html


# --- posting -------------------------------------------------------------------------------


def test_employer_posts_a_vacancy(shop, client):
    client.force_login(shop["employer"])
    with mock.patch(
        "web.employer_views.services.vacancy_create", wraps=services.vacancy_create
    ) as create:
        response = client.post("/vacancies/new/", form())
    assert response.status_code == 302 and response["Location"] == "/vacancies/"
    assert create.call_count == 1
    vacancy = Vacancy.objects.get(title="Shop assistant")
    assert vacancy.employer == shop["acme"]
    assert vacancy.created_by == shop["employer"]
    assert vacancy.status == "open"
    assert vacancy.postcode == "S70 2TA" and vacancy.easting > 0
    assert vacancy.wage_per_hour == Decimal("13.00")
    assert vacancy.positions == 2 and vacancy.requires_driving_licence
    assert vacancy.posted_on == timezone.localdate()
    assert [s["typed"] for s in vacancy.skills] == ["customer service", "forklift licence"]
    assert "uk:forklift_counterbalance" in [s["id"] for s in vacancy.skills]
    listing = client.get("/vacancies/").content.decode()
    assert "Your vacancy “Shop assistant” is saved." in listing
    assert "Shop assistant" in listing


def test_empty_positions_and_status_take_the_apis_defaults(shop, client):
    client.force_login(shop["employer"])
    client.post("/vacancies/new/", form(positions="", status=""))
    vacancy = Vacancy.objects.get(title="Shop assistant")
    assert (vacancy.positions, vacancy.status) == (1, "draft")


def test_admin_posts_for_a_chosen_employer(shop, client):
    client.force_login(shop["admin"])
    page = client.get("/vacancies/new/").content.decode()
    assert 'id="id_employer"' in page
    response = client.post("/vacancies/new/", form(employer=str(shop["bolt"].pk)))
    assert response.status_code == 302
    assert Vacancy.objects.get(title="Shop assistant").employer == shop["bolt"]


def test_admin_must_choose_the_employer(shop, client):
    client.force_login(shop["admin"])
    response = client.post("/vacancies/new/", form())
    assert response.status_code == 400
    assert "Select the employer the vacancy is for." in response.content.decode()
    assert not Vacancy.objects.filter(title="Shop assistant").exists()


def test_employer_cannot_choose_another_employer(shop, client):
    client.force_login(shop["employer"])
    client.post("/vacancies/new/", form(employer=str(shop["bolt"].pk)))
    assert Vacancy.objects.get(title="Shop assistant").employer == shop["acme"]


def test_employer_without_organisation_is_told_what_to_do(db, client):
    loner = make_user("lone", Role.EMPLOYER)
    client.force_login(loner)
    response = client.post("/vacancies/new/", form())
    html = response.content.decode()
    assert response.status_code == 400
    assert "not linked to an employer organisation" in html
    assert not Vacancy.objects.exists()


def yesterday() -> str:
    return (timezone.localdate() - dt.timedelta(days=1)).isoformat()


BAD_INPUTS = [
    ("wage_per_hour", "5.00", "is below the National Living Wage"),
    ("wage_per_hour", "lots", "Enter the pay per hour in pounds, for example 12.50."),
    ("closing_date", "yesterday", "has passed; choose today or a later date."),
    ("closing_date", "2026-02-31", "Enter the closing date as a real date"),
    ("postcode", "BT1 1AA", "Northern Ireland postcodes are not supported"),
    ("postcode", "", "Enter the postcode of the workplace, for example S70 2TA."),
    ("title", "", "Enter the job title"),
    ("title", "x" * 201, "Enter the job title in 200 characters or fewer"),
    ("hours_per_week", "60", "Hours must be at most 48 a week."),
    ("hours_per_week", "", "Enter the hours a week as a number"),
    ("contract_type", "", "Select the type of contract."),
    ("positions", "0", "A vacancy needs at least 1 position."),
    ("skills", ", ".join(f"skill {n}" for n in range(31)), "Give at most 30 skills"),
]


def _shows_error(html: str, field: str, message: str) -> None:
    summary = html.split('class="govuk-error-summary"')[1].split("</div></div>")[0]
    assert f'href="#id_{field}"' in summary
    assert message in summary
    at_field = re.search(rf'id="id_{field}-error">(.*?)</p>', html, re.S)
    assert at_field and message in at_field.group(1), f"no message at {field}"
    assert f'id="id_{field}"' in html
    assert "<title>Error: " in html


@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUTS)
def test_bad_input_on_posting_shows_its_message_and_stores_nothing(
    shop, client, field, value, message
):
    client.force_login(shop["employer"])
    value = yesterday() if value == "yesterday" else value
    before = Vacancy.objects.count()
    response = client.post("/vacancies/new/", form(**{field: value}))
    assert response.status_code == 400
    _shows_error(response.content.decode(), field, message)
    assert Vacancy.objects.count() == before


def test_the_form_keeps_what_was_typed(shop, client):
    client.force_login(shop["employer"])
    html = client.post("/vacancies/new/", form(wage_per_hour="5.00")).content.decode()
    assert 'value="Shop assistant"' in html
    assert ">customer service, forklift licence</textarea>" in html
    assert 'value="5.00"' in html
    assert (
        'id="id_requires_driving_licence" name="requires_driving_licence" type="checkbox"' in html
    )
    assert re.search(r'id="id_requires_driving_licence"[^>]*checked', html)


def test_apprentice_wage_is_checked_against_the_apprentice_rate(shop, client):
    client.force_login(shop["employer"])
    response = client.post(
        "/vacancies/new/", form(contract_type="apprenticeship", wage_per_hour="1")
    )
    _shows_error(response.content.decode(), "wage_per_hour", "below the apprentice rate")
    response = client.post(
        "/vacancies/new/", form(contract_type="apprenticeship", wage_per_hour="9.00")
    )
    assert response.status_code == 302


# --- editing -------------------------------------------------------------------------------


def test_edit_page_shows_the_vacancy(shop, client):
    client.force_login(shop["employer"])
    html = client.get(pages(shop)["edit"]).content.decode()
    assert 'value="Forklift driver"' in html
    assert ">forklift</textarea>" in html
    assert 'value="12.80"' in html


def test_employer_edits_a_vacancy(shop, client):
    client.force_login(shop["employer"])
    ours = shop["ours"]
    with mock.patch(
        "web.employer_views.services.vacancy_update", wraps=services.vacancy_update
    ) as update:
        response = client.post(
            pages(shop)["edit"],
            form(
                title="Forklift driver (nights)", wage_per_hour="14.50", closing_date="2099-01-31"
            ),
        )
    assert response.status_code == 302 and response["Location"] == "/vacancies/"
    assert update.call_count == 1
    ours.refresh_from_db()
    assert ours.title == "Forklift driver (nights)"
    assert ours.wage_per_hour == Decimal("14.50")
    assert ours.closing_date == dt.date(2099, 1, 31)
    assert ours.employer == shop["acme"]
    assert "Your changes to “Forklift driver (nights)” are saved." in (
        client.get("/vacancies/").content.decode()
    )


def test_admin_edits_any_vacancy(shop, client):
    client.force_login(shop["admin"])
    theirs = shop["theirs"]
    response = client.post(f"/vacancies/{theirs.pk}/edit/", form(title="Packer"))
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert (theirs.title, theirs.employer) == ("Packer", shop["bolt"])


@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUTS)
def test_bad_input_on_editing_shows_its_message_and_changes_nothing(
    shop, client, field, value, message
):
    client.force_login(shop["employer"])
    value = yesterday() if value == "yesterday" else value
    ours = shop["ours"]
    response = client.post(pages(shop)["edit"], form(**{field: value}))
    assert response.status_code == 400
    _shows_error(response.content.decode(), field, message)
    ours.refresh_from_db()
    assert (ours.title, ours.wage_per_hour) == ("Forklift driver", Decimal("12.80"))


def test_an_unchanged_past_closing_date_is_accepted(shop, client):
    """As in the API: the closing date is checked against today only when it changes."""
    past = timezone.localdate() - dt.timedelta(days=3)
    ours = shop["ours"]
    Vacancy.objects.filter(pk=ours.pk).update(closing_date=past)
    client.force_login(shop["employer"])
    response = client.post(pages(shop)["edit"], form(closing_date=past.isoformat()))
    assert response.status_code == 302


def test_a_filled_vacancy_keeps_its_status_when_left_empty(shop, client):
    ours = shop["ours"]
    Vacancy.objects.filter(pk=ours.pk).update(status="filled")
    client.force_login(shop["employer"])
    html = client.get(pages(shop)["edit"]).content.decode()
    assert '<option value="">Filled</option>' in html
    assert client.post(pages(shop)["edit"], form(status="", title="Driver")).status_code == 302
    ours.refresh_from_db()
    assert (ours.title, ours.status) == ("Driver", "filled")


# --- closing -------------------------------------------------------------------------------


def test_close_asks_first_then_closes(shop, client):
    client.force_login(shop["employer"])
    ours = shop["ours"]
    page = client.get(pages(shop)["close"]).content.decode()
    assert "Close this vacancy?" in page and "Close the vacancy" in page
    ours.refresh_from_db()
    assert ours.status == "open"
    with mock.patch(
        "web.employer_views.services.vacancy_close", wraps=services.vacancy_close
    ) as close:
        response = client.post(pages(shop)["close"])
    assert response.status_code == 302 and response["Location"] == "/vacancies/"
    assert close.call_count == 1
    ours.refresh_from_db()
    assert ours.status == "closed"
    listing = client.get("/vacancies/").content.decode()
    assert "“Forklift driver” is closed" in listing


def test_closing_a_closed_vacancy_says_so(shop, client):
    client.force_login(shop["employer"])
    client.post(pages(shop)["close"])
    assert "already closed" in client.get(pages(shop)["close"]).content.decode()
    client.post(pages(shop)["close"])
    assert "This vacancy is already closed." in client.get("/vacancies/").content.decode()


# --- CSRF ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["new", "edit", "close"])
def test_csrf_is_enforced(shop, page):
    client = Client(enforce_csrf_checks=True)
    client.force_login(shop["employer"])
    before = Vacancy.objects.count()
    response = client.post(pages(shop)[page], form(title="Forged"))
    assert response.status_code == 403
    assert Vacancy.objects.count() == before
    shop["ours"].refresh_from_db()
    assert (shop["ours"].title, shop["ours"].status) == ("Forklift driver", "open")


def test_forms_carry_the_csrf_token(shop):
    client = Client(enforce_csrf_checks=True)
    client.force_login(shop["employer"])
    for url in pages(shop).values():
        assert 'name="csrfmiddlewaretoken"' in client.get(url).content.decode()


# --- skill suggestions ---------------------------------------------------------------------


def test_suggestions_for_the_words_after_the_last_comma(shop, client):
    client.force_login(shop["seeker"])
    response = client.get(
        "/skills/suggest/", {"skills": "customer service, fork"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-skill="Counterbalance forklift licence"' in html
    assert "operate forklift" in html
    assert "customer service" not in html.split("<ul")[1]


@pytest.mark.parametrize("role", ROLES)
def test_suggestions_for_every_role_and_field(shop, client, role):
    client.force_login(shop[role])
    for name in ("q", "skills", "essential_skills"):
        html = client.get("/skills/suggest/", {name: "food hyg"}).content.decode()
        assert "Food Hygiene Level 2 certificate" in html


def test_suggestions_say_when_there_are_none(shop, client):
    client.force_login(shop["seeker"])
    html = client.get("/skills/suggest/", {"skills": "xyzzy"}).content.decode()
    assert "No suggestions for “xyzzy”" in html
    assert client.get("/skills/suggest/", {"skills": "a"}).content.decode().strip() == ""


def test_suggestions_are_refused_to_anonymous_users(db, client):
    response = client.get("/skills/suggest/", {"skills": "fork"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert "forklift" not in response.content.decode()


def test_skills_fields_ask_for_suggestions(shop, client):
    SeekerProfileFactory(user=shop["seeker"])
    client.force_login(shop["seeker"])
    profile = client.get("/profile/").content.decode()
    client.force_login(shop["employer"])
    vacancy = client.get("/vacancies/new/").content.decode()
    for html, fields in ((profile, ["skills"]), (vacancy, ["skills", "essential_skills"])):
        assert "/static/htmx/htmx.min.js" in html
        assert "/static/web/suggest.js" in html
        for name in fields:
            assert re.search(rf'id="id_{name}"[^>]*hx-get="/skills/suggest/"', html, re.S)
            assert f'id="id_{name}-suggestions"' in html
            assert re.search(rf'id="id_{name}-suggestions"[^>]*aria-live="polite"', html)


def test_htmx_is_not_loaded_where_it_is_not_needed(shop, client):
    client.force_login(shop["employer"])
    assert "htmx" not in client.get("/vacancies/").content.decode()
