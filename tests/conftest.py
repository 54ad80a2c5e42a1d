"""Shared fixtures.

The cast (used across modules): ``alice`` is a seeker, ``bob`` an employer, ``maya`` a mentor,
``cora`` a commissioner and ``root`` an admin (staff). Each module says who may see what.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import Role
from jobmatch.celery import app as celery_app

_broker_passed = 0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hash test passwords with a fast hasher: the real one costs ~0.3 s a user by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_tasks_and_clean_cache(request):
    """Run Celery tasks in-process unless a test is marked ``broker``; start with an empty cache."""
    cache.clear()
    eager = request.node.get_closest_marker("broker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


def pytest_runtest_logreport(report):
    global _broker_passed
    if report.when == "call" and report.passed and "broker" in report.keywords:
        _broker_passed += 1


def pytest_sessionfinish(session, exitstatus):
    """Record how many ``broker`` tests passed, for ``.ci/run`` to check that some ran."""
    target = os.environ.get("JOBMATCH_BROKER_REPORT")
    if target:
        Path(target).write_text(f"{_broker_passed}\n")


@pytest.fixture
def live_worker(settings):
    """Start a real Celery worker thread on the configured broker (Redis, or the embedded
    default's files under var/celery), on a queue of this test's own."""
    from celery.contrib.testing.worker import start_worker

    queue = f"jobmatch-test-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    try:
        with start_worker(
            celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", queues=[queue]
        ) as worker:
            yield worker
    finally:
        celery_app.conf.task_default_queue = previous


def make_user(username: str, role: str, **extra):
    from accounts.services import user_create

    return user_create(
        username=username,
        password="pw-" + username + "-2026",
        role=role,
        email=f"{username}@example.org",
        send_welcome=False,
        **extra,
    )


@pytest.fixture
def alice(db):
    return make_user("alice", Role.SEEKER)


@pytest.fixture
def bob(db):
    return make_user("bob", Role.EMPLOYER)


@pytest.fixture
def maya(db):
    return make_user("maya", Role.MENTOR)


@pytest.fixture
def cora(db):
    return make_user("cora", Role.COMMISSIONER)


@pytest.fixture
def root(db):
    return make_user("root", "", is_staff=True, is_superuser=True)


@pytest.fixture
def cast(alice, bob, maya, cora, root):
    return {"seeker": alice, "employer": bob, "mentor": maya, "commissioner": cora, "admin": root}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_user():
    """Return an API client authenticated as the given user (token-free, via force_authenticate)."""

    def _client(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _client
