"""``GET/PATCH /api/v1/me/``: every role reads itself; nobody sets their own role."""

import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db

ROLES = ["seeker", "employer", "mentor", "commissioner", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_its_own_account(cast, as_user, role):
    user = cast[role]
    response = as_user(user).get("/api/v1/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == user.username
    assert body["role"] == role
    assert body["is_staff"] is (role == "admin")


def test_token_then_me(api, alice):
    response = api.post("/api/v1/auth/token/", {"username": "alice", "password": "pw-alice-2026"})
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").json()["role"] == "seeker"


def test_wrong_password_is_a_clear_400(api, alice):
    response = api.post("/api/v1/auth/token/", {"username": "alice", "password": "nope"})
    assert response.status_code == 400
    assert "Unable to log in" in response.json()["detail"]


def test_anonymous_is_refused(api):
    response = api.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert "credentials" in response.json()["detail"].lower()


def test_session_authentication_works(client, alice):
    client.force_login(alice)
    assert client.get("/api/v1/me/").json()["username"] == "alice"


@pytest.mark.parametrize(
    "field,value", [("role", "mentor"), ("is_staff", True), ("is_superuser", True)]
)
def test_role_in_request_body_is_refused(as_user, alice, field, value):
    response = as_user(alice).patch("/api/v1/me/", {field: value, "first_name": "Al"})
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert field in response.json()["detail"]
    alice.refresh_from_db()
    assert alice.role == "seeker" and not alice.is_staff and not alice.is_superuser
    assert alice.first_name == ""  # nothing half-written


def test_patch_contact_details(as_user, alice):
    response = as_user(alice).patch("/api/v1/me/", {"first_name": "Alice", "email": "a@b.org"})
    assert response.status_code == 200
    alice.refresh_from_db()
    assert (alice.first_name, alice.email, alice.role) == ("Alice", "a@b.org", "seeker")


def test_bad_email_names_the_field(as_user, alice):
    response = as_user(alice).patch("/api/v1/me/", {"email": "not-an-email"})
    assert response.status_code == 400
    assert "email" in response.json()["errors"]


def test_role_constraint_in_database(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nobody", role="")  # not staff, no role
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="wizard", role="wizard")
