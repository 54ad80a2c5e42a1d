"""Pseudonyms by which an employer knows a seeker before an introduction.

A pseudonym is an HMAC of (employer, seeker) under a key derived from ``SECRET_KEY``: stable for
that seeker and that employer, different for every employer, and not reversible without the key.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone


def _key() -> bytes:
    return hashlib.sha256(b"jobmatch-pseudonym:" + settings.SECRET_KEY.encode()).digest()


def pseudonym(*, employer_id: int, seeker_id: int) -> str:
    """Return the seeker's pseudonym for this employer, like ``C-7KQ2M9``."""
    digest = hmac.new(_key(), f"{employer_id}:{seeker_id}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(6):
        number, index = divmod(number, len(_ALPHABET))
        chars.append(_ALPHABET[index])
    return "C-" + "".join(chars)


def seeker_for_pseudonym(*, employer_id: int, code: str, seeker_ids) -> int | None:
    """Return which of ``seeker_ids`` has this pseudonym for the employer, if any."""
    wanted = code.strip().upper()
    for seeker_id in seeker_ids:
        if pseudonym(employer_id=employer_id, seeker_id=seeker_id) == wanted:
            return seeker_id
    return None
