"""The Celery app. With no CELERY_BROKER_URL, tasks run in-process (``task_always_eager``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobmatch.settings")

app = Celery("jobmatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
