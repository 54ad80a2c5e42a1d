"""JobMatch: the Django project (settings, URLs, the Celery app)."""

from jobmatch.celery import app as celery_app

__all__ = ["celery_app"]
