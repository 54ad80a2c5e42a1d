"""Account journeys in a real browser, each with a wrong input first: a new jobseeker signs up, a
signed-in person changes their password, a forgotten password is reset by email; and the
notifications page. Every page is checked with axe and for horizontal scroll at 360 px.

The cast comes from ``town``: alice (seeker), bob (employer), maya (mentor), cora (commissioner),
each with the password "pw-<name>-2026".
"""

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.utils import timezone

from accounts.models import User
from placements.models import Notification

from .conftest import check_page, nav_click

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a-long-Unusual-phrase-2026"


def sign_in(page, url, username, password=None):
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or f"pw-{username}-2026")
    page.click("main button[type=submit]")


@pytest.mark.parametrize("width", [360, 1280])
def test_new_jobseeker_signs_up(page_at, live_server, width, db):
    page = page_at(width)
    page.goto(live_server.url + "/accounts/login/")
    page.click("text=create a jobseeker account")
    assert page.url.endswith("/accounts/signup/")
    check_page(page, "signup")
    page.fill("#id_first_name", "Sam")
    page.fill("#id_last_name", "Jones")
    page.fill("#id_email", "sam@example.org")
    page.fill("#id_username", "sam")
    page.fill("#id_password", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD + "!")
    page.fill("#id_postcode", "BT1 1AA")
    page.check("#id_share_with_employers")
    page.click("main button[type=submit]")
    summary = page.inner_text(".govuk-error-summary")
    assert "The passwords do not match" in summary
    assert "Northern Ireland postcodes are not supported" in summary
    assert page.title().startswith("Error:")
    assert not User.objects.filter(username="sam").exists()
    check_page(page, "signup-error")
    # the summary link takes you to the field
    page.click(".govuk-error-summary a[href='#id_postcode']")
    assert page.evaluate("document.activeElement.id") == "id_postcode"
    # what was typed is kept, except the passwords
    assert page.input_value("#id_username") == "sam"
    assert page.input_value("#id_password") == ""
    assert page.is_checked("#id_share_with_employers")
    page.fill("#id_postcode", "S70 2TA")
    page.fill("#id_password", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.click("main button[type=submit]")
    assert page.url.endswith("/profile/")
    main = page.inner_text("main")
    assert "Your account is set up and you are signed in" in main
    assert page.input_value("#id_postcode") == "S70 2TA"
    assert page.is_checked("#id_share_with_employers")
    check_page(page, "signup-profile")


@pytest.mark.parametrize("width", [360, 1280])
def test_changing_password_with_a_wrong_old_one_first(town, page_at, live_server, width):
    page = page_at(width)
    sign_in(page, live_server.url, "bob")
    nav_click(page, "Your account")
    assert page.url.endswith("/accounts/")
    check_page(page, "account")
    page.click("text=Change your password")
    check_page(page, "password-change")
    page.fill("#id_old_password", "not-my-password")
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("main button[type=submit]")
    assert "Your current password is not right" in page.inner_text(".govuk-error-summary")
    check_page(page, "password-change-error")
    page.fill("#id_old_password", "pw-bob-2026")
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("main button[type=submit]")
    assert page.url.endswith("/accounts/")
    assert "Your password has been changed" in page.inner_text("main")
    nav_click(page, "Sign out")
    sign_in(page, live_server.url, "bob", NEW_PASSWORD)
    assert page.url.endswith("/vacancies/")


def test_forgotten_password_is_reset_by_email(town, page_at, live_server, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    page = page_at(360)
    page.goto(live_server.url + "/accounts/login/")
    page.click("text=Forgotten your password?")
    check_page(page, "password-reset")
    page.fill("#id_email", "maya-at-example.org")
    page.click("main button[type=submit]")
    assert "Enter your email address in the right format" in page.inner_text(".govuk-error-summary")
    check_page(page, "password-reset-error")
    page.fill("#id_email", "maya@example.org")
    page.click("main button[type=submit]")
    assert "Check your email" in page.inner_text("h1")
    check_page(page, "password-reset-sent")
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    check_page(page, "password-reset-new")
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("main button[type=submit]")
    assert "Your password is set" in page.inner_text("main")
    check_page(page, "password-reset-done")
    page.click("main >> text=Sign in")
    sign_in(page, live_server.url, "maya", NEW_PASSWORD)
    assert page.url.endswith("/caseload/")


@pytest.mark.parametrize("width", [360, 1280])
def test_notifications_page(town, page_at, live_server, width):
    alice = User.objects.get(username="alice")
    Notification.objects.create(
        user=alice,
        key="placement:1:proposed",
        message="Your placement for Forklift driver is now: proposed.",
        link="/api/v1/placements/1/",
    )
    Notification.objects.create(
        user=alice, key="hello", message="Welcome to JobMatch. Keep your profile up to date."
    )
    Notification.objects.create(
        user=User.objects.get(username="bob"), key="x", message="Something for bob only."
    )
    page = page_at(width)
    sign_in(page, live_server.url, "alice")
    nav_click(page, "Notifications (2 unread)")
    assert page.url.endswith("/notifications/")
    main = page.inner_text("main")
    assert "Forklift driver" in main and "bob only" not in main
    check_page(page, "notifications")
    page.click("main a:has-text('See it')")
    assert page.url.endswith("/placements/")
    page.goto(live_server.url + "/notifications/")
    page.click("text=Mark all as read")
    assert "All your notifications are marked as read" in page.inner_text("main")
    assert "unread" not in page.text_content("nav")
    check_page(page, "notifications-read")


def test_idle_sign_out_is_explained_on_sign_in(town, page_at, live_server):
    page = page_at(360)
    sign_in(page, live_server.url, "cora")
    assert page.url.endswith("/report/")
    # let the page's own requests (the chart) finish: each would push the expiry forward again
    page.wait_for_load_state("networkidle")
    # 31 minutes without a request: the session's expiry (pushed forward by each request) passes
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(minutes=1))
    page.goto(live_server.url + "/report/")
    assert "/accounts/login/?next=/report/" in page.url
    assert "You were signed out because you had not used JobMatch for 30 minutes" in (
        page.inner_text("main")
    )
    check_page(page, "sign-in-idle")
    page.fill("#id_username", "cora")
    page.fill("#id_password", "pw-cora-2026")
    page.click("main button[type=submit]")
    assert page.url.endswith("/report/")
