"""Reads that encode who may see which seeker profiles (docs/rules/visibility.md)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import Role, User
from seekers.models import SeekerProfile


def seeker_list_for(*, user: User) -> QuerySet[SeekerProfile]:
    """Seekers see themselves; mentors their caseload; admins all. Employers see only seekers
    introduced to their organisation (who accepted an introduction); commissioners never."""
    seekers = SeekerProfile.objects.select_related("user", "mentor")
    if user.is_staff:
        return seekers
    if user.role == Role.SEEKER:
        return seekers.filter(user=user)
    if user.role == Role.MENTOR:
        return seekers.filter(mentor=user)
    if user.role == Role.EMPLOYER:
        from placements.models import Placement

        introduced = Placement.objects.filter(
            seeker=OuterRef("pk"),
            introduced_at__isnull=False,
            vacancy__employer__members__user=user,
        )
        return seekers.filter(Exists(introduced))
    return seekers.none()


def seeker_editable_for(*, user: User) -> QuerySet[SeekerProfile]:
    """Profiles the user may change: their own, their caseload's (mentors), all (admins)."""
    if user.role == Role.EMPLOYER:
        return SeekerProfile.objects.none()
    return seeker_list_for(user=user)
