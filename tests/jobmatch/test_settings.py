"""Settings come from the environment; a malformed variable stops start-up naming it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k8Jd9-production-like-secret-3nf0q2m5x7v1b4c6z8a0s2d4f6g8h0j2k4l6",
    "ALLOWED_HOSTS": "jobmatch.example.org",
    "DATABASE_URL": "sqlite:////tmp/jobmatch-deploy-check.sqlite3",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "EMAIL_URL",
            "TIME_ZONE",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests, never in deployment
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warning():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "name,value,message",
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("DATABASE_URL", "mysql://db/jobmatch", "DATABASE_URL must be a URL starting with"),
        ("CELERY_BROKER_URL", "amqp://guest@localhost//", "CELERY_BROKER_URL must be a URL"),
        ("EMAIL_URL", "carrier-pigeon://loft", "EMAIL_URL must be a URL"),
        ("SESSION_IDLE_SECONDS", "thirty", "SESSION_IDLE_SECONDS='thirty' is not a whole number"),
        ("SECURE_HSTS_SECONDS", "-5", "SECURE_HSTS_SECONDS=-5 is too small"),
        ("PASSWORD_MIN_LENGTH", "8", "PASSWORD_MIN_LENGTH=8 is too small"),
        ("NUM_PROXIES", "one", "NUM_PROXIES='one' is not a whole number"),
    ],
)
def test_malformed_variable_is_named(name, value, message):
    result = run_manage("check", env={**PRODUCTION, name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_missing_secret_key_with_debug_off_is_explained():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_defaults_are_the_embedded_ones():
    from jobmatch import env
    from jobmatch.settings import CELERY_TASK_ALWAYS_EAGER, DATABASES, TIME_ZONE  # noqa: F401

    assert "DATABASE_URL" in env.READ and "CELERY_BROKER_URL" in env.READ
    if not os.environ.get("DATABASE_URL"):
        assert DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    if not os.environ.get("TIME_ZONE"):
        assert TIME_ZONE == "Europe/London"


def test_env_helpers_parse_values(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from jobmatch.env import env_bool, env_int, env_list

    monkeypatch.setenv("X_BOOL", "Yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", " a.org, ,b.org ")
    assert env_bool("X_BOOL", default=False) is True
    assert env_int("X_INT", 0) == 42
    assert env_list("X_LIST", []) == ["a.org", "b.org"]
    assert env_bool("X_UNSET_BOOL", default=True) is True
    monkeypatch.setenv("X_INT", "4.2")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env_int("X_INT", 0)
