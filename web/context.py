"""Template context every page needs: the council's name, the caller's role and how many of
their notifications are unread (one count, run only if a page shows it, at most once a page)."""

from functools import cache

from django.conf import settings
from django.utils.functional import lazy


def _unread_count(user):
    """A lazy int: the caller's unread notifications, counted on first use."""
    from placements.models import Notification

    @cache
    def count() -> int:
        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    return lazy(count, int)()


def service(request) -> dict:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "council_name": settings.COUNCIL_NAME,
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "role": user.role_name if signed_in else "",
        "unread_notifications": _unread_count(user) if signed_in else 0,
    }
