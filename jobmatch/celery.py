"""The Celery app. With no CELERY_BROKER_URL the queue is files under ``var/celery`` (no server);
a worker must run beside the web server (``make demo`` starts one)."""

import os
import threading

from celery import Celery
from celery.signals import worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobmatch.settings")

app = Celery("jobmatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _warm_up() -> None:
    """Load what a recompute needs once per process: the engine's compiled kernels (0.3 s from
    numba's cache), the skills taxonomy and the occupation index (a few seconds each)."""
    import logging
    import time

    from matching.engine.core import warm_up
    from matching.engine.occupations import load_occupations
    from matching.engine.skills import load_taxonomy

    began = time.process_time()
    warm_up()
    load_taxonomy()
    load_occupations()
    logging.getLogger(__name__).info("Warmed up in %.1f s of CPU", time.process_time() - began)


@worker_process_init.connect
def _warm_up_child(**kwargs) -> None:
    """A prefork child warms up before it takes a task."""
    _warm_up()


@worker_ready.connect
def _warm_up_solo(sender=None, **kwargs) -> None:
    """A solo (or threads) worker warms up beside its first tasks, so it is ready at once; a
    prefork worker's children warm up on their own (above)."""
    pool = type(getattr(sender, "pool", None)).__module__
    if "prefork" not in pool:
        threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
