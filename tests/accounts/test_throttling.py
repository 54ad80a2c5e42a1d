"""Sign-in attempts are throttled per client address on the token endpoint and the sign-in page."""

import pytest

pytestmark = pytest.mark.django_db


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


def test_token_endpoint_answers_429(api, alice, three_a_minute):
    for _ in range(3):
        assert (
            api.post("/api/v1/auth/token/", {"username": "alice", "password": "x"}).status_code
            == 400
        )
    response = api.post("/api/v1/auth/token/", {"username": "alice", "password": "pw-alice-2026"})
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
        api.post(
            "/api/v1/auth/token/", {"username": "alice", "password": "x"}, REMOTE_ADDR="10.0.0.1"
        )
    response = api.post(
        "/api/v1/auth/token/",
        {"username": "alice", "password": "pw-alice-2026"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 200
