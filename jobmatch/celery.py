"""The Celery app. With no CELERY_BROKER_URL the queue is files under ``var/celery`` (no server);
a worker must run beside the web server (``make demo`` starts one)."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobmatch.settings")

app = Celery("jobmatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _warm_up_engine(**kwargs) -> None:
    """Load the engine's compiled kernels once per worker process (0.3 s from the cache)."""
    from matching.engine.core import warm_up

    warm_up()
