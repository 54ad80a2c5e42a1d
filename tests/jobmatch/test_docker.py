"""Docker cannot run here, so check the compose file against the code it deploys."""

import importlib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())
APP_SERVICES = ["web", "worker", "beat", "migrate"]


def _module_of(command: list[str]) -> str:
    if command[0] == "gunicorn":
        return command[1].split(":")[0]
    if command[0] == "celery":
        return command[command.index("-A") + 1]
    if command[:2] == ["python", "manage.py"]:
        assert (ROOT / "manage.py").exists()
        return "jobmatch.settings"
    raise AssertionError(f"unexpected command {command}")


def test_services_present():
    assert {"db", "redis", "web", "worker", "beat"} <= set(COMPOSE["services"])


def test_each_command_points_at_an_importable_module():
    for name in APP_SERVICES:
        module = importlib.import_module(_module_of(COMPOSE["services"][name]["command"]))
        assert module is not None
    gunicorn_target = COMPOSE["services"]["web"]["command"][1]
    module_name, attribute = gunicorn_target.split(":")
    assert callable(getattr(importlib.import_module(module_name), attribute))
    celery_app = importlib.import_module("jobmatch").celery_app
    assert celery_app.main == "jobmatch"


def test_each_environment_variable_is_one_the_settings_read():
    import jobmatch.settings  # noqa: F401  (reading the settings fills env.READ)
    from jobmatch.env import READ

    for name in APP_SERVICES:
        unknown = set(COMPOSE["services"][name]["environment"]) - READ
        assert not unknown, f"{name} sets variables the settings never read: {sorted(unknown)}"


def test_gunicorn_is_locked_and_the_dockerfile_installs_the_lock():
    lock = (ROOT / "requirements.lock").read_text()
    assert "\ngunicorn==" in lock
    dockerfile = (ROOT / "docker" / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    assert "--require-hashes -r requirements.lock" in dockerfile
