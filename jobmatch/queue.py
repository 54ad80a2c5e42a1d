"""Putting work on the queue from a service, by the task's name: the tasks call the services, so
the services do not import the tasks. After the commit by default, so a worker never reads a
row the request has not written yet."""

from __future__ import annotations

from functools import cache

from jobmatch.celery import app


@cache
def _registered() -> None:
    """Import every app's ``tasks`` module (Celery's autodiscovery), once per process."""
    app.loader.import_default_modules()


def enqueue(task: str, *args, on_commit: bool = True) -> None:
    """Queue the task named ``task`` (``app.module.function``) with ``args``."""
    _registered()
    found = app.tasks[task]
    if on_commit:
        found.delay_on_commit(*args)
    else:
        found.delay(*args)
