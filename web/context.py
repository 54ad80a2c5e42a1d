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


# Each role's navigation: (label, URL name, the path prefix that marks it as the current page).
NAV = {
    "seeker": [
        ("My matches", "web-matches", "/matches/"),
        ("My placements", "web-placements", "/placements/"),
        ("My profile", "web-profile", "/profile/"),
    ],
    "mentor": [("Caseload", "web-caseload", "/caseload/")],
    "employer": [
        ("Vacancies", "web-vacancies", "/vacancies/"),
        ("Placements", "web-inbox", "/inbox/"),
    ],
    "commissioner": [("Outcomes report", "web-report", "/report/")],
    "admin": [("Outcomes report", "web-report", "/report/")],
}


def _nav(request, role: str) -> list[dict]:
    from django.urls import reverse

    items = [(label, reverse(name), prefix) for label, name, prefix in NAV.get(role, [])]
    items += [
        ("Notifications", reverse("web-notifications"), "/notifications/"),
        ("Your account", reverse("account"), "/accounts/"),
    ]
    return [
        {"label": label, "url": url, "current": request.path.startswith(prefix)}
        for label, url, prefix in items
    ]


def service(request) -> dict:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "council_name": settings.COUNCIL_NAME,
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "role": user.role_name if signed_in else "",
        "unread_notifications": _unread_count(user) if signed_in else 0,
        "nav": _nav(request, user.role_name) if signed_in else [],
    }
