"""Per-account lockout with back-off, keyed on the account and the client's address.

After ``SIGN_IN_LOCKOUT_FAILURES`` wrong passwords in a row for one username from one address,
that username is refused from that address for ``SIGN_IN_LOCKOUT_SECONDS``; each further failure
(a wrong password, or any attempt while refused) doubles the wait, up to
``SIGN_IN_LOCKOUT_MAX_SECONDS``. A right password clears the count. Because the key holds the
address, someone guessing from elsewhere cannot lock the person out where they sign in; on a
shared address the wait is capped, so nobody is locked out for long. The per-address throttle
(``accounts.throttles``) limits how many accounts one address can try.

The counts live in the cache (Redis in production: ``CACHE_URL``), forgotten
``SIGN_IN_LOCKOUT_MAX_SECONDS`` after the last failure. A username that has no account is counted
the same way, so the answers do not tell which usernames exist.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache

from accounts.addresses import client_address


def _now() -> float:
    return time.time()


def _key(username: str, request) -> str:
    raw = f"{username.casefold()}\n{client_address(request)}".encode()
    return "sign-in-lockout:" + hashlib.sha256(raw).hexdigest()


def lockout_wait(*, username: str, request) -> int:
    """Return the seconds until ``username`` may try again from this address (0: now)."""
    state = cache.get(_key(username, request))
    if not state:
        return 0
    return max(0, math.ceil(state["until"] - _now()))


def lockout_record_failure(*, username: str, request) -> int:
    """Count a failed attempt; return the seconds the account is now refused from this address."""
    key = _key(username, request)
    state = cache.get(key) or {"failures": 0, "until": 0.0}
    failures = state["failures"] + 1
    over = failures - settings.SIGN_IN_LOCKOUT_FAILURES
    wait = 0
    if over >= 0:
        wait = min(
            settings.SIGN_IN_LOCKOUT_SECONDS * 2 ** min(over, 32),
            settings.SIGN_IN_LOCKOUT_MAX_SECONDS,
        )
    until = _now() + wait if wait else 0.0
    cache.set(key, {"failures": failures, "until": until}, settings.SIGN_IN_LOCKOUT_MAX_SECONDS)
    return wait


def lockout_clear(*, username: str, request) -> None:
    """Forget the failures of ``username`` from this address (after a right password)."""
    cache.delete(_key(username, request))
