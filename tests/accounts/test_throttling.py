"""Sign-in attempts are throttled per client address on the token endpoint, the sign-in page,
the admin's sign-in and the password reset; the address is the one ``NUM_PROXIES`` says to trust,
so a client that writes a new ``X-Forwarded-For`` on every request stays in its one bucket.

The cast: alice (a seeker, "pw-alice-2026") and root (an admin, "pw-root-2026").
"""

import pytest
from django.test import RequestFactory

from accounts.addresses import client_address

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def three_a_minute(settings):
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], sign_in="3/minute")
    settings.REST_FRAMEWORK = dict(settings.REST_FRAMEWORK, DEFAULT_THROTTLE_RATES=rates)
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    api_settings.reload()
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    yield
    api_settings.reload()
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES


def forged(i: int) -> dict:
    """Headers of a request that claims a new address each time."""
    return {"HTTP_X_FORWARDED_FOR": f"203.0.113.{i}"}


def test_token_endpoint_answers_429(api, alice, three_a_minute):
    for _ in range(3):
        assert api.post(TOKEN, {"username": "alice", "password": "x"}).status_code == 400
    response = api.post(TOKEN, {"username": "alice", "password": "pw-alice-2026"})
    assert response.status_code == 429
    assert "Too many attempts" in response.json()["detail"]
    assert "Retry-After" in response


def test_sign_in_page_answers_429(client, alice, three_a_minute):
    assert client.get("/accounts/login/").status_code == 200
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "alice", "password": "x"})
        assert response.status_code == 200  # the form again, with an error
    response = client.post("/accounts/login/", {"username": "alice", "password": "pw-alice-2026"})
    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.content


def test_sign_in_page_signs_in(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "pw-alice-2026"})
    assert response.status_code == 302
    assert client.get("/api/v1/me/").json()["username"] == "alice"


def test_other_addresses_are_not_throttled(api, alice, three_a_minute):
    for _ in range(4):
        api.post(TOKEN, {"username": "alice", "password": "x"}, REMOTE_ADDR="10.0.0.1")
    response = api.post(
        TOKEN, {"username": "alice", "password": "pw-alice-2026"}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 200


def test_a_new_forwarded_for_each_time_does_not_escape_the_token_throttle(
    api, alice, three_a_minute
):
    for i in range(3):
        response = api.post(TOKEN, {"username": "alice", "password": "x"}, **forged(i))
        assert response.status_code == 400
    response = api.post(TOKEN, {"username": "alice", "password": "pw-alice-2026"}, **forged(99))
    assert response.status_code == 429


def test_a_new_forwarded_for_each_time_does_not_escape_the_sign_in_page(
    client, alice, three_a_minute
):
    for i in range(3):
        client.post("/accounts/login/", {"username": "alice", "password": "x"}, **forged(i))
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": "pw-alice-2026"}, **forged(99)
    )
    assert response.status_code == 429


def test_behind_one_proxy_only_the_address_it_appended_counts(api, alice, settings, three_a_minute):
    """The proxy (10.9.9.9) appends the address it saw; whatever the client wrote before it is
    ignored, and a second client behind the same proxy has a bucket of its own."""
    settings.NUM_PROXIES = 1
    via_proxy = {"REMOTE_ADDR": "10.9.9.9"}
    for i in range(3):
        api.post(
            TOKEN,
            {"username": "alice", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}, 198.51.100.7",
            **via_proxy,
        )
    blocked = api.post(
        TOKEN,
        {"username": "alice", "password": "pw-alice-2026"},
        HTTP_X_FORWARDED_FOR="203.0.113.99, 198.51.100.7",
        **via_proxy,
    )
    assert blocked.status_code == 429
    other = api.post(
        TOKEN,
        {"username": "alice", "password": "pw-alice-2026"},
        HTTP_X_FORWARDED_FOR="198.51.100.8",
        **via_proxy,
    )
    assert other.status_code == 200


def test_admin_sign_in_answers_429(client, root, three_a_minute):
    assert client.get("/admin/login/").status_code == 200
    for i in range(3):
        response = client.post("/admin/login/", {"username": "root", "password": "x"}, **forged(i))
        assert response.status_code == 200  # the admin's form again, with an error
    response = client.post(
        "/admin/login/", {"username": "root", "password": "pw-root-2026"}, **forged(99)
    )
    assert response.status_code == 429
    assert response["Retry-After"]


def test_password_reset_answers_429(client, alice, three_a_minute):
    for i in range(3):
        response = client.post(
            "/accounts/password/reset/", {"email": "alice@example.org"}, **forged(i)
        )
        assert response.status_code == 302
    response = client.post(
        "/accounts/password/reset/", {"email": "alice@example.org"}, **forged(99)
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    "proxies,forwarded,expected",
    [
        (0, "203.0.113.5", "10.0.0.1"),  # no proxy: the header is anyone's to write
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "1.1.1.1, 203.0.113.5", "203.0.113.5"),  # the forged left part is ignored
        (2, "1.1.1.1, 203.0.113.5, 10.0.0.7", "203.0.113.5"),
        (2, "203.0.113.5", "203.0.113.5"),  # fewer entries than proxies: the leftmost
        (1, "", "10.0.0.1"),  # no header: the connection's address
    ],
)
def test_client_address(settings, proxies, forwarded, expected):
    settings.NUM_PROXIES = proxies
    meta = {"REMOTE_ADDR": "10.0.0.1"}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(RequestFactory().get("/", **meta)) == expected
