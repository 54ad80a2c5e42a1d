"""Write the access log: every read or change of a seeker's record by another person.

Called by the API views, the pages and the admin; never by the engine or aggregate reports.
"""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import AccessLogEntry, User


def access_log_record(
    *, actor: User, subject_ids: Iterable[int], action: str, channel: str, what: str
) -> int:
    """Record that ``actor`` read or changed the records of the seekers with these user ids.

    The seeker's own reads are not logged. Return the number of entries written.
    """
    entries = [
        AccessLogEntry(
            actor=actor, subject_id=subject_id, action=action, channel=channel, what=what[:200]
        )
        for subject_id in dict.fromkeys(subject_ids)
        if subject_id != actor.pk
    ]
    AccessLogEntry.objects.bulk_create(entries)
    return len(entries)


def access_log_change(*, actor: User, subject_id: int, channel: str, what: str) -> int:
    """Record that ``actor`` changed the record of the seeker with user id ``subject_id``
    (nothing when it is their own)."""
    return access_log_record(
        actor=actor, subject_ids=[subject_id], action="change", channel=channel, what=what
    )
