"""Writes on seeker profiles: registration, profile changes, consent and caseload assignment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.access_log import access_log_record
from accounts.models import Role, User
from accounts.services import user_create
from jobmatch.errors import DomainError
from matching.services import recompute_request
from seekers.models import ConsentChange, SeekerProfile

CONSENT_STATEMENT = {
    True: "I agree that employers with suitable vacancies may see my skills, availability and "
    "rough distance, under a pseudonym, until I accept an introduction.",
    False: "I do not want employers to see my profile.",
}

PROFILE_FIELDS = {
    "postcode",
    "easting",
    "northing",
    "skills",
    "desired_titles",
    "about",
    "travel_modes",
    "max_travel_minutes",
    "hours_min",
    "hours_max",
    "has_driving_licence",
    "share_with_employers",
    "benefit_group",
    "registered_on",
    "age_band",
    "sex",
    "disability",
    "ethnicity",
}
# Fields the matching engine reads: a change to any of them recomputes the seeker's matches.
MATCHING_FIELDS = {
    "postcode",
    "skills",
    "desired_titles",
    "about",
    "travel_modes",
    "max_travel_minutes",
    "hours_min",
    "hours_max",
    "has_driving_licence",
}
# Fields only a mentor or admin may set (the seeker may not).
STAFF_ONLY_FIELDS = {"benefit_group", "registered_on"}


@transaction.atomic
def seeker_register(
    *,
    username: str,
    password: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    profile: dict[str, Any] | None = None,
    registered_on: dt.date | None = None,
) -> SeekerProfile:
    """Create a seeker account and profile; the registration date is today unless given."""
    user = user_create(
        username=username,
        password=password,
        role=Role.SEEKER,
        email=email,
        first_name=first_name,
        last_name=last_name,
    )
    fields = {k: v for k, v in (profile or {}).items() if k in PROFILE_FIELDS - STAFF_ONLY_FIELDS}
    seeker = SeekerProfile.objects.create(
        user=user, registered_on=registered_on or timezone.localdate(), **fields
    )
    _consent_record(seeker=seeker, share=seeker.share_with_employers, by=user)
    if seeker.easting is not None:
        recompute_request(seeker_ids=[seeker.pk])
    return seeker


def _consent_record(*, seeker: SeekerProfile, share: bool, by: User) -> ConsentChange:
    return ConsentChange.objects.create(
        seeker=seeker, share_with_employers=share, statement=CONSENT_STATEMENT[share], changed_by=by
    )


@transaction.atomic
def seeker_profile_update(
    *, seeker: SeekerProfile, by: User, data: dict[str, Any], channel: str
) -> SeekerProfile:
    """Change a profile. A consent change is kept in the history; another person's change is
    written to the access log. Precondition: ``by`` may edit this profile and the fields."""
    seeker = SeekerProfile.objects.select_for_update().get(pk=seeker.pk)
    if by.pk == seeker.user_id and STAFF_ONLY_FIELDS.intersection(data):
        raise DomainError(
            "Only your mentor or an administrator can set these: "
            + ", ".join(sorted(STAFF_ONLY_FIELDS.intersection(data)))
            + "."
        )
    changed = [k for k, v in data.items() if k in PROFILE_FIELDS and getattr(seeker, k) != v]
    if not changed:
        return seeker
    for name in changed:
        setattr(seeker, name, data[name])
    if "benefit_group" in changed and not seeker.registration_benefit_group:
        seeker.registration_benefit_group = seeker.benefit_group
        changed.append("registration_benefit_group")
    seeker.full_clean(exclude=["user", "mentor"])
    seeker.save(update_fields=[*changed, "updated_at"])
    if "share_with_employers" in changed:
        _consent_record(seeker=seeker, share=seeker.share_with_employers, by=by)
    if MATCHING_FIELDS.intersection(changed):
        recompute_request(seeker_ids=[seeker.pk])
    access_log_record(
        actor=by,
        subject_ids=[seeker.user_id],
        action="change",
        channel=channel,
        what="profile: " + ", ".join(sorted(changed)),
    )
    return seeker


@transaction.atomic
def seeker_assign_mentor(
    *, seeker: SeekerProfile, mentor: User | None, by: User, channel: str
) -> SeekerProfile:
    """Put a seeker on a mentor's caseload (or none). A seeker has at most one mentor."""
    if mentor is not None and mentor.role != Role.MENTOR:
        raise DomainError(f"{mentor.username} is not a mentor account.")
    seeker.mentor = mentor
    seeker.save(update_fields=["mentor", "updated_at"])
    access_log_record(
        actor=by,
        subject_ids=[seeker.user_id],
        action="change",
        channel=channel,
        what=f"mentor: {mentor.username if mentor else 'none'}",
    )
    return seeker
