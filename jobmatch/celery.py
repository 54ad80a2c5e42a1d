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

    from matching.engine import load_occupations, load_taxonomy, warm_up

    began = time.process_time()
    warm_up()
    load_taxonomy()
    load_occupations()
    logging.getLogger(__name__).info("Warmed up in %.1f s of CPU", time.process_time() - began)


_warming = threading.Lock()
_warmed = False


def _warm_up_in_background() -> None:
    """Warm up once per process, in a thread, so the worker takes tasks at once."""
    global _warmed
    with _warming:
        if _warmed:
            return
        _warmed = True
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()


@worker_process_init.connect
def _warm_up_process(**kwargs) -> None:
    """A worker process (a prefork child, or a solo worker itself) starts warming up. Workers
    read skill phrases by meaning too (the settings keep web processes from embedding)."""
    os.environ["JOBMATCH_SKILLS_SEMANTIC"] = os.environ.get(
        "JOBMATCH_WORKER_SKILLS_SEMANTIC", "auto"
    )
    _warm_up_in_background()


@worker_ready.connect
def _say_ready(**kwargs) -> None:
    import logging
    import time

    logging.getLogger(__name__).info("Ready after %.1f s of CPU", time.process_time())
