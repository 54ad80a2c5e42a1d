"""API tokens end: each sign-in gets a new one, which expires, ends on sign-out and when the
password changes, and its owner can list and end their own (nobody else's).

The cast: alice (a seeker, "pw-alice-2026") and bob (an employer, "pw-bob-2026").
"""

import datetime as dt

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.tasks import clear_expired_sessions

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


def sign_in(username: str) -> tuple[APIClient, dict]:
    """A client signed in with a new token, and the token endpoint's answer."""
    client = APIClient()
    body = client.post(TOKEN, {"username": username, "password": f"pw-{username}-2026"}).json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    return client, body


def test_each_sign_in_gets_its_own_token_with_an_expiry(alice, settings):
    first, one = sign_in("alice")
    second, two = sign_in("alice")
    assert one["token"] != two["token"]
    expiry = dt.datetime.fromisoformat(one["expiry"])
    hours = settings.REST_KNOX["TOKEN_TTL"] / dt.timedelta(hours=1)
    assert timezone.now() < expiry <= timezone.now() + dt.timedelta(hours=hours)
    assert first.get("/api/v1/me/").status_code == 200
    assert second.get("/api/v1/me/").status_code == 200
    assert not AuthToken.objects.filter(digest=one["token"]).exists()  # only a hash is kept


def test_an_expired_token_is_refused(alice):
    client, _ = sign_in("alice")
    AuthToken.objects.filter(user=alice).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/me/").status_code == 401


def test_sign_out_ends_that_token_only(alice):
    leaving, _ = sign_in("alice")
    staying, _ = sign_in("alice")
    assert leaving.post("/api/v1/auth/logout/").status_code == 204
    assert leaving.get("/api/v1/me/").status_code == 401
    assert staying.get("/api/v1/me/").status_code == 200


def test_sign_out_with_a_session_ends_the_session(client, alice):
    client.force_login(alice)
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_a_password_change_ends_every_token(client, alice):
    api, _ = sign_in("alice")
    client.force_login(alice)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": "pw-alice-2026",
            "new_password1": "kettle-moor-21",
            "new_password2": "kettle-moor-21",
        },
    )
    assert response.status_code == 302
    assert api.get("/api/v1/me/").status_code == 401
    assert not AuthToken.objects.filter(user=alice).exists()


def test_a_password_set_anywhere_ends_every_token(alice):
    api, _ = sign_in("alice")
    alice.set_password("kettle-moor-21")  # as the admin, a reset or a command would
    alice.save()
    assert api.get("/api/v1/me/").status_code == 401


def test_saving_other_fields_keeps_the_tokens(alice):
    api, _ = sign_in("alice")
    alice.first_name = "Alice"
    alice.save()
    assert api.get("/api/v1/me/").status_code == 200


def test_the_owner_lists_and_ends_their_own_tokens(alice, bob):
    phone, _ = sign_in("alice")
    laptop, _ = sign_in("alice")
    bobs, _ = sign_in("bob")
    listed = laptop.get("/api/v1/auth/tokens/").json()
    assert len(listed) == 2
    assert [t["current"] for t in listed] == [True, False]  # newest first: the laptop's
    assert set(listed[0]) == {"key", "created", "expiry", "current"}
    phone_key = listed[1]["key"]
    assert bobs.delete(f"/api/v1/auth/tokens/{phone_key}/").status_code == 404  # not his
    assert phone.get("/api/v1/me/").status_code == 200
    assert laptop.delete(f"/api/v1/auth/tokens/{phone_key}/").status_code == 204
    assert phone.get("/api/v1/me/").status_code == 401
    assert laptop.get("/api/v1/me/").status_code == 200


def test_the_daily_task_deletes_expired_tokens(alice):
    sign_in("alice")
    sign_in("alice")
    AuthToken.objects.filter(pk=AuthToken.objects.first().pk).update(
        expiry=timezone.now() - dt.timedelta(minutes=1)
    )
    clear_expired_sessions()
    assert AuthToken.objects.filter(user=alice).count() == 1
