"""The welcome email is queued when the account is committed, and sent by a task."""

import time

import pytest
from django.core import mail

from accounts.models import Role
from accounts.services import user_create


@pytest.mark.django_db
def test_welcome_email_waits_for_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user_create(
            username="erin", password="pw-erin-2026", role=Role.MENTOR, email="erin@example.org"
        )
    assert len(mail.outbox) == 0, "nothing is sent before the transaction commits"
    assert len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["erin@example.org"]]
    assert "erin" in mail.outbox[0].body


@pytest.mark.django_db
def test_no_email_without_an_address(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user_create(username="finn", password=None, role=Role.SEEKER)
    assert mail.outbox == []


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_welcome_email_through_the_broker(live_worker):
    user_create(
        username="gail", password="pw-gail-2026", role=Role.EMPLOYER, email="gail@example.org"
    )
    deadline = time.monotonic() + 30
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [["gail@example.org"]]
