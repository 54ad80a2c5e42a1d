"""Vacancies and members in the Django admin go through the employer services: the same rules
as the API and the pages (postcode located, wage floor, employer kept, members are employers).

The cast: root (admin), bob (employer at Acme), alice (seeker)."""

import datetime as dt
from decimal import Decimal

import pytest

from employers.models import EmployerMember, Vacancy
from tests.factories import EmployerFactory, EmployerMemberFactory, VacancyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def _form_data(page, **changes) -> dict:
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    return {**data, **changes}


def test_a_vacancy_posted_in_the_admin_is_posted_by_the_service(admin_client, root):
    acme = EmployerFactory(name="Acme")
    page = admin_client.get("/admin/employers/vacancy/add/")
    response = admin_client.post(
        "/admin/employers/vacancy/add/",
        _form_data(
            page,
            employer=acme.pk,
            title="Cleaner",
            postcode="s70 2ta",
            hours_per_week="20",
            contract_type="permanent",
            wage_per_hour="13.00",
            positions=1,
            status="open",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    vacancy = Vacancy.objects.get(title="Cleaner")
    assert (vacancy.postcode, vacancy.easting is not None) == ("S70 2TA", True)
    assert (vacancy.created_by, vacancy.posted_on) == (root, dt.date.today())


@pytest.mark.parametrize(
    "changes,field,words",
    [
        ({"wage_per_hour": "5.00"}, "wage_per_hour", "below the National Living Wage"),
        ({"postcode": "ZZ99 9ZZ"}, "postcode", "ZZ99 9ZZ"),
        ({"status": "filled"}, "status", "only when every position is filled"),
        ("other employer", "employer", "cannot move employer"),
    ],
)
def test_the_admin_applies_the_vacancy_rules_on_their_fields(admin_client, changes, field, words):
    vacancy = VacancyFactory(wage_per_hour=Decimal("13.00"), contract_type="permanent")
    if changes == "other employer":
        changes = {"employer": EmployerFactory(name="Bolt").pk}
    url = f"/admin/employers/vacancy/{vacancy.pk}/change/"
    response = admin_client.post(url, _form_data(admin_client.get(url), **changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert words in " ".join(errors[field]), errors
    stored = Vacancy.objects.get(pk=vacancy.pk)
    assert (stored.wage_per_hour, stored.postcode, stored.status, stored.employer_id) == (
        vacancy.wage_per_hour,
        vacancy.postcode,
        vacancy.status,
        vacancy.employer_id,
    )


def test_a_postcode_changed_in_the_admin_moves_the_vacancy(admin_client):
    vacancy = VacancyFactory()
    url = f"/admin/employers/vacancy/{vacancy.pk}/change/"
    response = admin_client.post(url, _form_data(admin_client.get(url), postcode="SW1A 1AA"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    vacancy.refresh_from_db()
    assert (vacancy.easting, vacancy.northing) == (529090, 179645)


def _members_post(page, rows) -> dict:
    data = _form_data(page)
    data.update(
        {
            "members-TOTAL_FORMS": len(rows),
            "members-INITIAL_FORMS": sum(1 for r in rows if r.get("id")),
        }
    )
    for i, row in enumerate(rows):
        data.update({f"members-{i}-{k}": v for k, v in row.items()})
    return data


def test_members_are_added_and_removed_through_the_service(admin_client, bob, alice):
    acme = EmployerFactory(name="Acme")
    url = f"/admin/employers/employer/{acme.pk}/change/"
    page = admin_client.get(url)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    assert prefix == "members"
    refused = admin_client.post(url, _members_post(page, [{"user": alice.pk}]))
    assert refused.status_code == 200
    assert "not an employer account" in refused.content.decode()
    assert not EmployerMember.objects.exists()
    added = admin_client.post(url, _members_post(page, [{"user": bob.pk}]))
    assert added.status_code == 302
    member = EmployerMember.objects.get()
    assert (member.user, member.employer) == (bob, acme)
    page = admin_client.get(url)
    row = {"id": member.pk, "user": bob.pk, "employer": acme.pk, "DELETE": "on"}
    assert admin_client.post(url, _members_post(page, [row])).status_code == 302
    assert not EmployerMember.objects.exists()


def test_a_row_changed_to_another_account_takes_the_first_one_out(admin_client, bob):
    acme = EmployerFactory(name="Acme")
    member = EmployerMemberFactory(user=bob, employer=acme)
    from accounts.models import Role
    from tests.conftest import make_user

    carol = make_user("carol", Role.EMPLOYER)
    url = f"/admin/employers/employer/{acme.pk}/change/"
    row = {"id": member.pk, "user": carol.pk, "employer": acme.pk}
    assert admin_client.post(url, _members_post(admin_client.get(url), [row])).status_code == 302
    assert list(EmployerMember.objects.values_list("user__username", flat=True)) == ["carol"]


def test_an_existing_member_moves_organisation_through_the_service(admin_client, bob):
    acme, bolt = EmployerFactory(name="Acme"), EmployerFactory(name="Bolt")
    EmployerMemberFactory(user=bob, employer=acme)
    url = f"/admin/employers/employer/{bolt.pk}/change/"
    page = admin_client.get(url)
    assert admin_client.post(url, _members_post(page, [{"user": bob.pk}])).status_code == 200
    assert EmployerMember.objects.get(user=bob).employer == acme  # one organisation each
