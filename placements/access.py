"""Reading one placement as someone other than its seeker: fetched through the caller's scope
(outside it, a 404 that does not reveal it exists) and, once the caller may know who the seeker
is, written to the seeker's access log (a pseudonymised read identifies nobody)."""

from __future__ import annotations

from accounts.access_log import access_log_record
from accounts.models import User
from jobmatch.errors import NotFound
from placements.models import Placement
from placements.selectors import identity_hidden, placement_list_for
from seekers.access import is_id


def access_placement(*, user: User, pk: int | str, channel: str, what: str = "") -> Placement:
    """The placement ``pk`` among those ``user`` may see, with the read logged; else
    ``NotFound``."""
    placement = placement_list_for(user=user).filter(pk=pk).first() if is_id(pk) else None
    if placement is None:
        raise NotFound("No such placement among those you may see.")
    placements_read(user=user, placements=[placement], channel=channel, what=what)
    return placement


def placements_read(*, user: User, placements, channel: str, what: str = "") -> None:
    """Log that ``user`` read these placements, for those whose seeker they may know."""
    access_log_record(
        actor=user,
        subject_ids=[p.seeker.user_id for p in placements if not identity_hidden(p, user)],
        action="read",
        channel=channel,
        what=what or "placement",
    )
