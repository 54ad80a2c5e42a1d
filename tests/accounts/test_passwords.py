"""New passwords: at least 12 characters and not on the list of common (breached) passwords,
wherever a password is set: the API's sign-up, the sign-up page and the password change page.

The cast: alice (a seeker, "pw-alice-2026"), who changes her password on the page.
"""

import pytest
from django.contrib.auth.password_validation import validate_password

from demo.logins import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "username": "newcomer",
    "email": "newcomer@example.org",
    "first_name": "Nia",
    "profile": {"postcode": "S70 2TA", "share_with_employers": True},
}


@pytest.mark.parametrize(
    "password,message",
    [
        ("jobmatch", "too short"),
        ("Barnsley1", "too short"),
        ("elevenchars", "too short"),  # 11
        ("password1234", "too common"),  # long enough, but on the breached list
        ("qwertyuiop123", "too common"),
        ("123456789012", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_at_sign_up(api, password, message):
    response = api.post("/api/v1/auth/register/", {**REGISTRATION, "password": password})
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"]["password"])


def test_a_long_uncommon_password_is_accepted(api):
    response = api.post("/api/v1/auth/register/", {**REGISTRATION, "password": "kettle-moor-21"})
    assert response.status_code == 201, response.json()


def test_the_demo_password_passes_the_rules():
    validate_password(DEMO_PASSWORD)


def test_the_rules_hold_on_the_password_change_page(client, alice):
    client.force_login(alice)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": "pw-alice-2026",
            "new_password1": "Barnsley1",
            "new_password2": "Barnsley1",
        },
    )
    assert response.status_code == 200
    assert b"too short" in response.content
    alice.refresh_from_db()
    assert alice.check_password("pw-alice-2026")
