"""Tell a person when they were signed out for being idle.

Sessions expire after ``SESSION_COOKIE_AGE`` seconds without a request (each request pushes the
expiry forward: ``SESSION_SAVE_EVERY_REQUEST``). A request that still carries a session cookie but
whose session has gone (expired or cleaned up) and is not signed in was, almost always, signed out
for being idle: this middleware then sets a short-lived cookie that the sign-in page reads to say
so. Signing out on purpose deletes the session cookie, so it never triggers this.
"""

from __future__ import annotations

from django.conf import settings

IDLE_COOKIE = "jobmatch_idle"


class IdleSignOutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lapsed = (
            request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            and hasattr(request, "session")
            and not request.user.is_authenticated
            and request.session.is_empty()
        )
        response = self.get_response(request)
        if lapsed:
            response.set_cookie(
                IDLE_COOKIE,
                "1",
                max_age=10 * 60,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
