"""Shared fixtures, and the two tiers of the suite.

The cast (used across modules): ``alice`` is a seeker, ``bob`` an employer, ``maya`` a mentor,
``cora`` a commissioner and ``root`` an admin (staff). Each module says who may see what.

Tiers: ``make test`` runs the quick tier on both cores (pytest-xdist: each worker has its own
test database, and a live worker its own queue). Tests marked ``full`` (the browser journeys,
the slower property seeds) run only with ``JOBMATCH_TESTS=full``, as CI runs them. Before the
workers start, the controller builds the caches every process reads (postcode index, occupation
and skill vectors) once, so two workers never build them side by side.
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


FULL_TIER = os.environ.get("JOBMATCH_TESTS", "quick") == "full"
BROWSER = Path(__file__).resolve().parent / "browser"


def pytest_sessionstart(session):
    """On the controller (or a run without workers): build the shared caches once."""
    if hasattr(session.config, "workerinput"):
        return
    from django.conf import settings

    from matching.engine.meaning import load_occupation_meaning
    from matching.engine.skills import SEMANTIC_CACHE, SkillTaxonomy
    from matching.postcodes import load_index

    load_index(settings.CACHE_DIR)
    load_occupation_meaning(settings.CACHE_DIR)
    if not SEMANTIC_CACHE.exists():
        SkillTaxonomy(semantic="sync")  # embeds the taxonomy's labels and keeps their vectors


def pytest_collection_modifyitems(config, items):
    """Browser journeys are in the full tier; outside it, ``full`` tests are deselected."""
    for item in items:
        if BROWSER in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.full)
    if FULL_TIER:
        return
    full = [item for item in items if item.get_closest_marker("full") is not None]
    if full:
        config.hook.pytest_deselected(items=full)
        items[:] = [item for item in items if item.get_closest_marker("full") is None]


def pytest_runtest_logreport(report):
    global _broker_passed
    if report.when == "call" and report.passed and "broker" in report.keywords:
        _broker_passed += 1


def pytest_sessionfinish(session, exitstatus):
    """Record how many ``broker`` tests passed, for ``.ci/run`` to check that some ran."""
    target = os.environ.get("JOBMATCH_BROKER_REPORT")
    if target and not hasattr(session.config, "workerinput"):  # workers' reports reach here too
        Path(target).write_text(f"{_broker_passed}\n")


@pytest.fixture(scope="module")
def demo_town(django_db_setup, django_db_blocker):
    """The small demo town, seeded once for a module's tests, in a transaction rolled back after
    them (each test still runs in its own savepoint: request ``db`` beside it)."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings

    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as each test hashes
    with django_db_blocker.unblock(), override_settings(DEBUG=True, PASSWORD_HASHERS=fast):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", size="small")
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


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
