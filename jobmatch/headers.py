"""Headers on every answer a view gives (static files are served before this runs).

Nothing the service answers may be kept by a browser or a proxy: most answers carry personal
data, and the few that do not (the privacy notice, the sign-in page) cost nothing to send again.
The Permissions-Policy turns off the browser features the service never uses, so a script that
got in could not use them either. The Content-Security-Policy is django-csp's (settings).
"""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class PrivateAnswersMiddleware:
    """Mark each answer ``Cache-Control: no-store`` (and private, no-cache) and set the
    Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
