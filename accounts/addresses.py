"""The client's address, as the sign-in throttles and the lockout key on it.

``REMOTE_ADDR`` is the address of whoever opened the connection: the client itself, or the last
proxy in front of the service. ``X-Forwarded-For`` is a list any client can write into, and each
trusted proxy appends the address it saw. So with ``NUM_PROXIES`` proxies in front, the client's
address is the ``NUM_PROXIES``-th entry from the right; every entry left of it may be forged.
With ``NUM_PROXIES`` at 0 (the default) the header is ignored.
"""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str:
    """Return the client's address for ``request`` (a Django or DRF request)."""
    meta = request.META
    remote = meta.get("REMOTE_ADDR", "") or ""
    proxies = settings.NUM_PROXIES
    if proxies == 0:
        return remote
    entries = [item.strip() for item in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [item for item in entries if item]
    if not entries:
        return remote
    return entries[-min(proxies, len(entries))]
