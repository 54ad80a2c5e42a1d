"""Reading one seeker's record as someone else: fetched through the caller's scope (outside it,
a 404 that does not reveal the record exists) and written to the seeker's access log."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db.models import QuerySet

from accounts.access_log import access_log_record
from accounts.models import User
from jobmatch.errors import NotFound
from seekers.models import SeekerProfile
from seekers.selectors import seeker_list_for


def is_id(pk: int | str) -> bool:
    """Whether ``pk`` is a record id: digits 0 to 9 only (``str.isdigit`` also takes "²")."""
    return re.fullmatch(r"[0-9]{1,18}", str(pk)) is not None


def access_seeker(
    *,
    user: User,
    pk: int | str,
    channel: str,
    what: str,
    scope: Callable[..., QuerySet[SeekerProfile]] = seeker_list_for,
    missing: str = "No such jobseeker among those you may see.",
) -> SeekerProfile:
    """The seeker ``pk`` if ``scope(user=user)`` holds them, with the read logged as ``what``
    (the seeker's own reads are not logged); else ``NotFound`` saying ``missing``."""
    seeker = scope(user=user).filter(pk=pk).first() if is_id(pk) else None
    if seeker is None:
        raise NotFound(missing)
    access_log_record(
        actor=user, subject_ids=[seeker.user_id], action="read", channel=channel, what=what
    )
    return seeker
