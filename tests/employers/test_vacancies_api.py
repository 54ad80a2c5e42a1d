"""Vacancy input rules: the wage floor, closing dates, hours, positions, sizes.

The cast: bob (employer at Acme) posts; nobody else appears here.
"""

import datetime as dt
from decimal import Decimal

import pytest

from employers.models import Vacancy
from employers.wages import wage_floor, wage_floor_message
from tests.factories import EmployerFactory, EmployerMemberFactory, VacancyFactory

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Care assistant",
    "postcode": "S70 2TA",
    "hours_per_week": "30",
    "contract_type": "permanent",
    "wage_per_hour": "12.90",
    "skills": ["personal care"],
}


@pytest.fixture
def acme(bob):
    acme = EmployerFactory(name="Acme")
    EmployerMemberFactory(user=bob, employer=acme)
    return acme


@pytest.fixture
def client(as_user, bob, acme):
    return as_user(bob)


YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    "change,field,fragment",
    [
        ({"wage_per_hour": "9.00"}, "wage_per_hour", "below the National Living Wage"),
        (
            {"wage_per_hour": "5.00", "contract_type": "apprenticeship"},
            "wage_per_hour",
            "apprentice",
        ),
        ({"closing_date": YESTERDAY}, "closing_date", "has passed"),
        ({"hours_per_week": "-4"}, "hours_per_week", "more than 0"),
        ({"hours_per_week": "60"}, "hours_per_week", "at most 48"),
        ({"positions": 0}, "positions", "at least 1"),
        ({"contract_type": "gig"}, "contract_type", "valid choice"),
        ({"status": "filled"}, "status", "valid choice"),
        ({"title": "x" * 201}, "title", "200"),
        ({"description": "x" * 10_001}, "description", "10000"),
        ({"postcode": "SW1A 0ZZ"}, "postcode", "cannot find"),
        ({"postcode": "BT7 1NN"}, "postcode", "Northern Ireland"),
        ({"skills": ["care"] * 31}, "skills", "at most 30"),
        ({"wage_per_hour": "twelve"}, "wage_per_hour", "valid number"),
        ({"requires_driving_licence": "sometimes"}, "requires_driving_licence", "valid boolean"),
    ],
)
def test_bad_vacancy_input_is_a_400_naming_the_field(client, change, field, fragment):
    response = client.post("/api/v1/vacancies/", {**VALID, **change}, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body["errors"], body
    assert fragment in str(body["errors"][field])
    assert not Vacancy.objects.exists()


@pytest.mark.parametrize(
    "missing", ["title", "postcode", "hours_per_week", "contract_type", "wage_per_hour"]
)
def test_missing_required_field(client, missing):
    data = {k: v for k, v in VALID.items() if k != missing}
    response = client.post("/api/v1/vacancies/", data, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][missing] == ["This field is required."]


def test_valid_vacancy_is_stored_normalised(client, acme):
    response = client.post(
        "/api/v1/vacancies/",
        {**VALID, "postcode": "s702ta", "closing_date": dt.date.today().isoformat()},
    )
    assert response.status_code == 201, response.content
    vacancy = Vacancy.objects.get()
    assert (vacancy.employer, vacancy.postcode, vacancy.status) == (acme, "S70 2TA", "draft")
    assert vacancy.easting > 0 and vacancy.skills[0]["typed"] == "personal care"


def test_unchanged_past_closing_date_is_not_rechecked(client, acme):
    vacancy = VacancyFactory(employer=acme, closing_date=dt.date.today() - dt.timedelta(days=3))
    ok = client.patch(
        f"/api/v1/vacancies/{vacancy.id}/",
        {"title": "Senior carer", "closing_date": vacancy.closing_date.isoformat()},
    )
    assert ok.status_code == 200, ok.content
    moved = client.patch(f"/api/v1/vacancies/{vacancy.id}/", {"closing_date": YESTERDAY})
    assert moved.status_code == 400 and "closing_date" in moved.json()["errors"]


def test_old_vacancy_keeps_the_floor_of_its_posting_date(client, acme):
    vacancy = VacancyFactory(
        employer=acme, posted_on=dt.date(2023, 6, 1), wage_per_hour=Decimal("10.50")
    )
    # £10.45 was above the 2023 NLW (£10.42) though below today's.
    response = client.patch(f"/api/v1/vacancies/{vacancy.id}/", {"wage_per_hour": "10.45"})
    assert response.status_code == 200, response.content


def test_closing_twice_is_a_409(client, acme):
    vacancy = VacancyFactory(employer=acme)
    assert client.post(f"/api/v1/vacancies/{vacancy.id}/close/").status_code == 200
    again = client.post(f"/api/v1/vacancies/{vacancy.id}/close/")
    assert again.status_code == 409 and "already closed" in again.json()["detail"]


def test_database_refuses_what_the_api_would(acme):
    from django.db import IntegrityError, transaction

    for bad in (
        {"positions": 0},
        {"hours_per_week": Decimal("0")},
        {"hours_per_week": Decimal("49")},
        {"status": "lost"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            VacancyFactory(employer=acme, **bad)


@pytest.mark.parametrize(
    "contract,on,rate",
    [
        ("permanent", dt.date(2024, 3, 31), Decimal("10.42")),
        ("permanent", dt.date(2024, 4, 1), Decimal("11.44")),
        ("zero_hours", dt.date(2025, 12, 1), Decimal("12.21")),
        ("permanent", dt.date(2026, 11, 22), Decimal("12.71")),
        ("apprenticeship", dt.date(2026, 11, 22), Decimal("8.00")),
        ("apprenticeship", dt.date(2022, 4, 1), Decimal("4.81")),
    ],
)
def test_wage_floor_by_date(contract, on, rate):
    assert wage_floor(contract_type=contract, on=on)[1] == rate


def test_wage_floor_message_says_how_to_fix():
    message = wage_floor_message(
        contract_type="permanent", on=dt.date(2026, 5, 1), wage=Decimal("11.00")
    )
    assert message == (
        "£11.00/hour is below the National Living Wage of £12.71/hour in force "
        "on 1 May 2026. Pay at least £12.71/hour."
    )
    assert (
        wage_floor_message(contract_type="permanent", on=dt.date(2026, 5, 1), wage=Decimal("12.71"))
        is None
    )
