"""The per-account lockout: wrong passwords for one account from one address lock that account
from that address, for a wait that doubles with each further failure up to a cap; the right
password clears the count. Someone elsewhere is never locked out by it.

The cast: alice (a seeker, "pw-alice-2026") and root (an admin, "pw-root-2026"). The clock is
``accounts.lockout._now``, moved by hand.
"""

import pytest
from django.test import RequestFactory

from accounts import lockout

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
WRONG = {"username": "alice", "password": "not-her-password"}
RIGHT = {"username": "alice", "password": "pw-alice-2026"}


@pytest.fixture
def clock(monkeypatch):
    now = {"t": 1_000_000.0}
    monkeypatch.setattr(lockout, "_now", lambda: now["t"])
    return now


@pytest.fixture
def rules(settings):
    settings.SIGN_IN_LOCKOUT_FAILURES = 5
    settings.SIGN_IN_LOCKOUT_SECONDS = 60
    settings.SIGN_IN_LOCKOUT_MAX_SECONDS = 300


def test_five_wrong_passwords_lock_the_account_from_that_address(api, alice, rules, clock):
    for _ in range(4):
        assert api.post(TOKEN, WRONG).status_code == 400
    fifth = api.post(TOKEN, WRONG)
    assert fifth.status_code == 429
    assert fifth["Retry-After"] == "60"
    refused = api.post(TOKEN, RIGHT)  # the right password, but locked
    assert refused.status_code == 429
    assert "Wait 120 seconds" in refused.json()["detail"]  # that try counted: the wait doubled


def test_the_person_elsewhere_still_signs_in(api, alice, rules, clock):
    for _ in range(6):
        api.post(TOKEN, WRONG, REMOTE_ADDR="198.51.100.66")
    assert api.post(TOKEN, RIGHT, REMOTE_ADDR="198.51.100.66").status_code == 429
    assert api.post(TOKEN, RIGHT, REMOTE_ADDR="192.0.2.10").status_code == 200


def test_a_new_forwarded_for_each_time_does_not_escape_the_lockout(api, alice, rules, clock):
    for i in range(5):
        api.post(TOKEN, WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    assert api.post(TOKEN, RIGHT, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_the_lock_ends_and_the_right_password_clears_the_count(api, alice, rules, clock):
    for _ in range(5):
        api.post(TOKEN, WRONG)
    clock["t"] += 61
    assert api.post(TOKEN, RIGHT).status_code == 200
    for _ in range(3):  # a fresh count: more wrong ones do not lock at once (within the throttle)
        assert api.post(TOKEN, WRONG).status_code == 400
    assert api.post(TOKEN, RIGHT).status_code == 200


def test_the_wait_doubles_up_to_the_cap(rules, clock):
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")
    waits = [lockout.lockout_record_failure(username="alice", request=request) for _ in range(9)]
    assert waits == [0, 0, 0, 0, 60, 120, 240, 300, 300]
    assert lockout.lockout_wait(username="ALICE", request=request) == 300  # any letter case
    clock["t"] += 300
    assert lockout.lockout_wait(username="alice", request=request) == 0


def test_an_unknown_username_is_counted_the_same(api, db, rules, clock):
    for _ in range(4):
        assert api.post(TOKEN, {"username": "nobody", "password": "x"}).status_code == 400
    assert api.post(TOKEN, {"username": "nobody", "password": "x"}).status_code == 429


def test_sign_in_page_says_the_account_is_locked(client, alice, rules, clock):
    for _ in range(4):
        assert client.post("/accounts/login/", WRONG).status_code == 200
    response = client.post("/accounts/login/", WRONG)
    assert response.status_code == 429
    assert b"Too many sign-in attempts for this account" in response.content
    assert client.post("/accounts/login/", RIGHT).status_code == 429
    assert "_auth_user_id" not in client.session


def test_admin_sign_in_is_locked_too(client, root, rules, clock):
    for _ in range(5):
        client.post("/admin/login/", {"username": "root", "password": "x"})
    response = client.post("/admin/login/", {"username": "root", "password": "pw-root-2026"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
