"""Account pages: jobseeker sign-up, password change and reset by email, notifications, and
sign-out after 30 minutes idle.

The cast: alice (seeker), bob (employer), maya (mentor), cora (commissioner), root (admin); each
signs in with "pw-<name>-2026". Bad input stores nothing; every form refuses a POST without its
CSRF token; each person sees only their own notifications.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from placements.models import Notification
from seekers.models import ConsentChange, SeekerProfile

pytestmark = pytest.mark.django_db

ROLES = ["seeker", "employer", "mentor", "commissioner", "admin"]
PASSWORD = "a-long-Unusual-phrase-2026"


@pytest.fixture
def three_a_minute(settings):
    """Sign-in (and so sign-up and password-reset) attempts: 3 a minute per client address."""
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], sign_in="3/minute")
    settings.REST_FRAMEWORK = dict(settings.REST_FRAMEWORK, DEFAULT_THROTTLE_RATES=rates)
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    api_settings.reload()
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    yield
    api_settings.reload()
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail.outbox


def page(response) -> str:
    return response.content.decode()


def summary_links(response) -> list[str]:
    """The error summary's link targets, in order."""
    text = page(response)
    if "govuk-error-summary" not in text:
        return []
    summary = text.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


# --- Sign-up --------------------------------------------------------------------------------


def signup_form(**changes) -> dict:
    form = {
        "first_name": "Sam",
        "last_name": "Jones",
        "email": "sam@example.org",
        "username": "sam",
        "password": PASSWORD,
        "password2": PASSWORD,
        "postcode": "s70 2ta",
        "share_with_employers": "yes",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_sign_in_page_links_to_sign_up_and_reset(client, db):
    text = page(client.get("/accounts/login/"))
    assert 'href="/accounts/signup/"' in text and 'href="/accounts/password/reset/"' in text
    assert "Forgotten your password?" in text


def test_sign_up_page_shows_every_field_with_its_label(client, db):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    text = page(response)
    for field in ["first_name", "last_name", "email", "username", "password", "password2"]:
        assert f'for="id_{field}"' in text and f'id="id_{field}"' in text
    assert 'id="id_postcode"' in text and 'id="id_share_with_employers"' in text
    assert "csrfmiddlewaretoken" in text
    assert "They do not see your name" in text  # consent in plain words
    assert (
        'id="id_share_with_employers" name="share_with_employers" type="checkbox" value="yes">'
        in (text)
    )  # not ticked for them


@pytest.mark.parametrize("role", ROLES)
def test_signed_in_people_are_sent_home_from_sign_up(cast, client, role):
    client.force_login(cast[role])
    response = client.get("/accounts/signup/")
    assert response.status_code == 302 and response.url == "/"


def test_sign_up_creates_a_signed_in_jobseeker_with_consent(client, db):
    response = client.post("/accounts/signup/", signup_form())
    assert response.status_code == 302 and response.url == "/profile/"
    user = User.objects.get(username="sam")
    assert user.role == Role.SEEKER and user.email == "sam@example.org"
    assert user.check_password(PASSWORD) and user.first_name == "Sam"
    profile = SeekerProfile.objects.get(user=user)
    assert profile.postcode == "S70 2TA" and profile.easting is not None
    assert profile.share_with_employers is True
    assert ConsentChange.objects.filter(seeker=profile, share_with_employers=True).count() == 1
    followed = client.get("/profile/")
    assert followed.status_code == 200
    assert "Your account is set up" in page(followed)


def test_sign_up_without_consent_or_postcode(client, db):
    response = client.post(
        "/accounts/signup/", signup_form(postcode="", share_with_employers=None, username="kim")
    )
    assert response.status_code == 302
    profile = SeekerProfile.objects.get(user__username="kim")
    assert profile.share_with_employers is False and profile.easting is None


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"username": "ALICE"}, "username", "That username is taken; choose another."),
        ({"username": "sam smith"}, "username", "Use letters, digits and @ . + - _ only."),
        ({"username": ""}, "username", "Enter a username."),
        (
            {"email": "sam-at-example"},
            "email",
            "Enter your email address in the right format, like name@example.com.",
        ),
        ({"postcode": "BT1 1AA"}, "postcode", "Northern Ireland postcodes are not supported"),
        ({"postcode": "NOT A CODE"}, "postcode", "postcode"),
        ({"password": "12345678", "password2": "12345678"}, "password", "entirely numeric"),
        ({"password": "short", "password2": "short"}, "password", "too short"),
        ({"password2": PASSWORD + "x"}, "password2", "The passwords do not match"),
        ({"password2": ""}, "password2", "Enter your password again to confirm it."),
        ({"password": "", "password2": ""}, "password", "Enter a password."),
    ],
)
def test_sign_up_bad_input_is_named_and_stores_nothing(client, alice, changes, field, message):
    users, profiles = User.objects.count(), SeekerProfile.objects.count()
    response = client.post("/accounts/signup/", signup_form(**changes))
    assert response.status_code == 400
    text = page(response)
    assert message.replace("'", "&#x27;") in text
    assert f"id_{field}" in summary_links(response)
    assert f'id="id_{field}-error"' in text  # the message beside the field too
    assert "<title>Error: " in text
    assert User.objects.count() == users and SeekerProfile.objects.count() == profiles
    assert not client.session.get("_auth_user_id")
    # what was typed comes back, except passwords
    if changes.get("username") != "":
        assert 'value="Sam"' in text
    assert PASSWORD not in text


def test_sign_up_cannot_choose_a_role(client, db):
    response = client.post("/accounts/signup/", signup_form(role="employer"))
    # the page never sends a role: the extra field is ignored and a seeker is made
    assert response.status_code == 302
    assert User.objects.get(username="sam").role == Role.SEEKER


def test_sign_up_is_throttled_like_the_api(client, db, three_a_minute):
    for n in range(3):
        assert (
            client.post("/accounts/signup/", signup_form(username="", email=f"x{n}")).status_code
            == 400
        )
    response = client.post("/accounts/signup/", signup_form())
    assert response.status_code == 429
    assert "Retry-After" in response
    assert "Too many sign-up attempts" in page(response)
    assert not User.objects.filter(username="sam").exists()


def test_sign_up_and_api_register_share_the_budget(client, api, db, three_a_minute):
    for n in range(3):
        api.post("/api/v1/auth/register/", {"username": f"u{n}"}, format="json")
    assert client.post("/accounts/signup/", signup_form()).status_code == 429


def test_sign_up_needs_the_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/signup/")
    response = client.post("/accounts/signup/", signup_form())
    assert response.status_code == 403
    assert not User.objects.filter(username="sam").exists()


# --- Account page and password change --------------------------------------------------------


@pytest.mark.parametrize("url", ["/accounts/", "/accounts/password/change/", "/notifications/"])
def test_signed_out_visitors_go_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_has_an_account_page_and_can_change_password(cast, client, role):
    client.force_login(cast[role])
    account = client.get("/accounts/")
    assert account.status_code == 200
    text = page(account)
    assert cast[role].username in text and 'href="/accounts/password/change/"' in text
    assert 'href="/accounts/"' in text and 'href="/notifications/"' in text  # navigation
    form = client.get("/accounts/password/change/")
    assert form.status_code == 200 and 'id="id_old_password"' in page(form)
    old = f"pw-{cast[role].username}-2026"
    response = client.post(
        "/accounts/password/change/",
        {"old_password": old, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 302 and response.url == "/accounts/"
    assert "Your password has been changed" in page(client.get("/accounts/"))  # still signed in
    cast[role].refresh_from_db()
    assert cast[role].check_password(PASSWORD)


@pytest.mark.parametrize(
    "form,field,message",
    [
        (
            {"old_password": "wrong", "new_password1": PASSWORD, "new_password2": PASSWORD},
            "old_password",
            "Your current password is not right",
        ),
        (
            {"old_password": "", "new_password1": PASSWORD, "new_password2": PASSWORD},
            "old_password",
            "Enter your current password.",
        ),
        (
            {"old_password": "pw-alice-2026", "new_password1": PASSWORD, "new_password2": "x"},
            "new_password2",
            "The new passwords do not match",
        ),
        (
            {
                "old_password": "pw-alice-2026",
                "new_password1": "password",
                "new_password2": "password",
            },
            "new_password1",
            "too common",
        ),
        (
            {"old_password": "pw-alice-2026", "new_password1": "", "new_password2": ""},
            "new_password1",
            "Enter a new password.",
        ),
    ],
)
def test_password_change_bad_input_changes_nothing(client, alice, form, field, message):
    client.force_login(alice)
    response = client.post("/accounts/password/change/", form)
    assert response.status_code == 200
    assert message in page(response)
    assert f"id_{field}" in summary_links(response)
    alice.refresh_from_db()
    assert alice.check_password("pw-alice-2026")


def test_password_change_needs_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": "pw-alice-2026", "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.check_password("pw-alice-2026")


# --- Password reset ---------------------------------------------------------------------------


def test_reset_email_link_sets_a_new_password(client, alice, outbox):
    assert client.get("/accounts/password/reset/").status_code == 200
    response = client.post("/accounts/password/reset/", {"email": "ALICE@example.org"})
    assert response.status_code == 302 and response.url == "/accounts/password/reset/sent/"
    assert "Check your email" in page(client.get(response.url))
    assert len(outbox) == 1
    message = outbox[0]
    assert message.to == ["alice@example.org"] and "Reset your JobMatch password" in message.subject
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    # the token link moves the token into the session and shows the form on a clean URL
    opened = client.get(link)
    assert opened.status_code == 302
    form = client.get(opened.url)
    assert form.status_code == 200 and "Set a new password" in page(form)
    mismatched = client.post(opened.url, {"new_password1": PASSWORD, "new_password2": "nope"})
    assert "The new passwords do not match" in page(mismatched)
    alice.refresh_from_db()
    assert alice.check_password("pw-alice-2026")
    done = client.post(opened.url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302 and done.url == "/accounts/password/reset/done/"
    assert "Your password is set" in page(client.get(done.url))
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    signed_in = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert signed_in.status_code == 302
    # the link works once
    client.post("/accounts/logout/")
    assert "This link does not work" in page(client.get(link, follow=True))


def test_reset_does_not_reveal_whether_an_address_has_an_account(client, alice, outbox):
    known = client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert page(client.get(known.url)) == page(client.get(unknown.url))
    assert [m.to for m in outbox] == [["alice@example.org"]]


def test_reset_asks_for_a_well_formed_address(client, db, outbox):
    response = client.post("/accounts/password/reset/", {"email": "not-an-address"})
    assert response.status_code == 200
    assert "Enter your email address in the right format" in page(response)
    assert summary_links(response) == ["id_email"]
    blank = client.post("/accounts/password/reset/", {"email": ""})
    assert "Enter your email address." in page(blank)
    assert outbox == []


def test_reset_is_throttled_per_client_address(client, alice, outbox, three_a_minute):
    for _ in range(3):
        client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    response = client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    assert response.status_code == 429 and "Retry-After" in response
    assert "Too many password reset requests" in page(response)
    assert len(outbox) == 3
    other = client.post(
        "/accounts/password/reset/", {"email": "alice@example.org"}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302
    # a separate budget from sign-in: signing in still works from the throttled address
    assert (
        client.post("/accounts/login/", {"username": "alice", "password": "x"}).status_code == 200
    )


def test_reset_needs_the_csrf_token(alice, outbox):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    assert response.status_code == 403 and outbox == []


def test_a_bad_reset_link_says_so(client, alice):
    response = client.get("/accounts/password/reset/MQ/not-a-token/", follow=True)
    assert response.status_code == 200 and "This link does not work" in page(response)


# --- Notifications ----------------------------------------------------------------------------


def notice(user, key, message, link="", read=False, minutes_ago=0):
    row = Notification.objects.create(user=user, key=key, message=message, link=link)
    Notification.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        read_at=timezone.now() if read else None,
    )
    row.refresh_from_db()
    return row


@pytest.fixture
def notices(cast):
    rows = {}
    for role, user in cast.items():
        name = user.username
        rows[role] = [
            notice(user, "old", f"Old news for {name}", read=True, minutes_ago=60),
            notice(user, "mid", f"Middle news for {name}", minutes_ago=30),
            notice(user, "new", f"Newest news for {name}", link="/api/v1/placements/7/"),
        ]
    return rows


@pytest.mark.parametrize("role", ROLES)
def test_notifications_show_only_the_callers_own_newest_first(cast, notices, client, role):
    me = cast[role]
    client.force_login(me)
    response = client.get("/notifications/")
    assert response.status_code == 200
    text = page(response)
    order = [text.index(f"{w} news for {me.username}") for w in ("Newest", "Middle", "Old")]
    assert order == sorted(order)
    for other in cast.values():
        if other != me:
            assert f"news for {other.username}<" not in text
            assert f"news for {other.username}" not in text
    assert text.count(">Unread</strong>") == 2
    assert "Notifications (2 unread)" in text
    assert "/api/v1/" not in text  # API links become pages, or no link


@pytest.mark.parametrize(
    "role,target",
    [
        ("seeker", "/placements/"),
        ("employer", "/inbox/"),
        ("mentor", "/caseload/"),
        ("admin", "/admin/placements/placement/7/change/"),
        ("commissioner", None),
    ],
)
def test_notification_links_go_to_pages(cast, notices, client, role, target):
    client.force_login(cast[role])
    text = page(client.get("/notifications/"))
    links = re.findall(r'<a class="govuk-link" href="([^"]+)">See it', text)
    assert links == ([target] if target else [])


def test_mark_all_as_read_touches_only_the_callers_own(cast, notices, client):
    client.force_login(cast["seeker"])
    response = client.post("/notifications/read/")
    assert response.status_code == 302 and response.url == "/notifications/"
    assert not Notification.objects.filter(user=cast["seeker"], read_at__isnull=True).exists()
    assert Notification.objects.filter(user=cast["employer"], read_at__isnull=True).count() == 2
    text = page(client.get("/notifications/"))
    assert "All your notifications are marked as read" in text
    assert ">Unread</strong>" not in text and "Notifications (" not in text


def test_mark_one_as_read_and_never_anothers(cast, notices, client):
    client.force_login(cast["seeker"])
    mine, theirs = notices["seeker"][2], notices["employer"][2]
    client.post("/notifications/read/", {"id": mine.pk})
    client.post("/notifications/read/", {"id": theirs.pk})
    client.post("/notifications/read/", {"id": "nonsense"})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    assert Notification.objects.filter(user=cast["seeker"], read_at__isnull=True).count() == 1
    assert "Notifications (1 unread)" in page(client.get("/notifications/"))


def test_mark_read_is_post_only_and_needs_the_csrf_token(alice):
    notice(alice, "k", "Hello")
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get("/notifications/read/").status_code == 405
    assert client.post("/notifications/read/").status_code == 403
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_no_notifications_yet(client, alice):
    client.force_login(alice)
    text = page(client.get("/notifications/"))
    assert "You have no notifications yet" in text and "Mark all as read" not in text


def test_unread_count_is_one_cheap_query(client, alice):
    notice(alice, "k", "Hello")
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/accounts/")
    assert "Notifications (1 unread)" in page(response)
    counted = [q["sql"] for q in queries if "placements_notification" in q["sql"]]
    assert len(counted) == 1 and "COUNT(" in counted[0].upper()


def test_anonymous_pages_run_no_notification_query(client, db):
    with CaptureQueriesContext(connection) as queries:
        client.get("/accounts/login/")
    assert not [q for q in queries if "placements_notification" in q["sql"]]


# --- Idle expiry ------------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """A settable clock for everything that reads ``timezone.now()`` (sessions included)."""
    state = {"now": timezone.now()}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])

    def advance(minutes: float):
        state["now"] += dt.timedelta(minutes=minutes)

    return advance


def sign_in(client, username):
    response = client.post(
        "/accounts/login/", {"username": username, "password": f"pw-{username}-2026"}
    )
    assert response.status_code == 302


def test_session_age_is_thirty_minutes_pushed_forward_by_each_request(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_idle_for_31_minutes_is_signed_out(client, alice, clock):
    sign_in(client, "alice")
    assert client.get("/accounts/").status_code == 200
    clock(31)
    response = client.get("/accounts/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    sign_in_page = client.get(response.url)
    assert "You were signed out because you had not used JobMatch for 30 minutes" in page(
        sign_in_page
    )
    assert client.get("/accounts/").status_code == 302  # still signed out
    # the notice shows once
    assert "You were signed out" not in page(client.get("/accounts/login/"))


def test_active_every_20_minutes_for_an_hour_stays_signed_in(client, alice, clock):
    sign_in(client, "alice")
    for _ in range(4):  # 0, 20, 40, 60, 80 minutes
        clock(20)
        response = client.get("/notifications/")
        assert response.status_code == 200, "signed out while active"
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date == timezone.now() + dt.timedelta(minutes=30)


def test_signing_out_on_purpose_does_not_say_idle(client, alice):
    sign_in(client, "alice")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    text = page(client.get("/accounts/login/"))
    assert "You were signed out because" not in text


def test_a_fresh_visitor_is_not_told_about_idling(client, db):
    assert "You were signed out because" not in page(client.get("/accounts/login/"))


def test_sign_in_after_idle_returns_to_the_page(client, alice, clock):
    sign_in(client, "alice")
    clock(31)
    response = client.get("/notifications/")
    assert response.url == "/accounts/login/?next=/notifications/"
    back = client.post(
        response.url, {"username": "alice", "password": "pw-alice-2026", "next": "/notifications/"}
    )
    assert back.status_code == 302 and back.url == "/notifications/"


def test_one_unread_is_said_in_the_singular(client, alice):
    notice(alice, "a", "Hello")
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        text = page(client.get("/notifications/"))
    counted = [q for q in queries if "COUNT(" in q["sql"].upper() and "read_at" in q["sql"]]
    assert len(counted) == 1  # the nav and the page share one count
    assert "You have 1 unread notification." in text
    notice(alice, "b", "Hello again")
    assert "You have 2 unread notifications." in page(client.get("/notifications/"))
