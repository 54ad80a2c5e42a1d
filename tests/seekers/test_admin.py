"""The Django admin: staff create accounts and assign caseloads; every look at or change to a
seeker's profile there is access-logged.

The cast: root (admin), alice (seeker), maya (mentor)."""

import pytest

from accounts.models import AccessLogEntry, User
from tests.factories import SeekerProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def test_viewing_a_profile_is_logged(admin_client, root, alice):
    profile = SeekerProfileFactory(user=alice)
    response = admin_client.get(f"/admin/seekers/seekerprofile/{profile.pk}/change/")
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.subject, entry.action, entry.channel) == (
        root,
        alice,
        "read",
        "admin",
    )


def test_assigning_a_mentor_goes_through_the_service_and_is_logged(admin_client, alice, maya):
    profile = SeekerProfileFactory(user=alice, mentor=None)
    page = admin_client.get(f"/admin/seekers/seekerprofile/{profile.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "mentor": maya.pk,
            "consents-TOTAL_FORMS": 0,
            "consents-INITIAL_FORMS": 0,
            "skills": "[]",
            "desired_titles": "[]",
            "travel_modes": '["walk"]',
        }
    )
    response = admin_client.post(f"/admin/seekers/seekerprofile/{profile.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    profile.refresh_from_db()
    assert profile.mentor == maya
    assert AccessLogEntry.objects.filter(
        action="change", channel="admin", what="mentor: maya"
    ).exists()


def test_access_log_is_read_only_in_admin(admin_client, alice, root):
    AccessLogEntry.objects.create(
        actor=root, subject=alice, action="read", channel="api", what="profile"
    )
    entry = AccessLogEntry.objects.get()
    assert admin_client.get("/admin/accounts/accesslogentry/add/").status_code == 403
    assert (
        admin_client.post(f"/admin/accounts/accesslogentry/{entry.pk}/delete/").status_code == 403
    )


def test_admin_creates_a_mentor_account(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "newmentor",
            "password1": "a-long-pass-phrase-2026",
            "password2": "a-long-pass-phrase-2026",
            "role": "mentor",
            "email": "m@example.org",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="newmentor").role == "mentor"


def _form_data(page, **changes) -> dict:
    """What the admin's change form would post as it stands, with ``changes``."""
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "consents-TOTAL_FORMS": 0,
            "consents-INITIAL_FORMS": 0,
            "desired_titles": "[]",
            "travel_modes": '["walk"]',
        }
    )
    return {**data, **changes}


def test_a_postcode_changed_in_the_admin_moves_the_person(admin_client, alice):
    profile = SeekerProfileFactory(user=alice)
    url = f"/admin/seekers/seekerprofile/{profile.pk}/change/"
    response = admin_client.post(url, _form_data(admin_client.get(url), postcode="sw1a1aa"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    profile.refresh_from_db()
    assert (profile.postcode, profile.easting, profile.northing) == ("SW1A 1AA", 529090, 179645)
    assert AccessLogEntry.objects.filter(
        action="change", channel="admin", what__contains="postcode"
    ).exists()


@pytest.mark.parametrize(
    "changes,field,words",
    [
        ({"postcode": "ZZ99 9ZZ"}, "postcode", "ZZ99 9ZZ"),
        ({"hours_min": 30, "hours_max": 10}, "hours_min", "more than the most hours"),
        ({"registered_on": "2999-01-01"}, "registered_on", "cannot be in the future"),
    ],
)
def test_the_admin_applies_the_profile_rules_on_their_fields(
    admin_client, alice, changes, field, words
):
    profile = SeekerProfileFactory(user=alice)
    url = f"/admin/seekers/seekerprofile/{profile.pk}/change/"
    response = admin_client.post(url, _form_data(admin_client.get(url), **changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert words in " ".join(errors[field]), errors
    stored = type(profile).objects.get(pk=profile.pk)
    assert (stored.postcode, stored.hours_min, stored.registered_on) == (
        profile.postcode,
        profile.hours_min,
        profile.registered_on,
    )


def test_a_staff_member_cannot_set_their_own_counting_fields_in_the_admin(client):
    from tests.conftest import make_user

    staff = make_user("sam", "seeker", is_staff=True, is_superuser=True)
    profile = SeekerProfileFactory(user=staff)
    client.force_login(staff)
    url = f"/admin/seekers/seekerprofile/{profile.pk}/change/"
    response = client.post(url, _form_data(client.get(url), registered_on="2020-01-01"))
    assert response.status_code == 200
    assert "Only your mentor or an administrator" in " ".join(
        response.context["adminform"].form.errors["registered_on"]
    )


def test_the_admin_list_of_profiles_is_a_read_of_each(admin_client, root, alice):
    SeekerProfileFactory(user=alice)
    assert admin_client.get("/admin/seekers/seekerprofile/").status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.subject, entry.what) == (root, alice, "profile (list)")
