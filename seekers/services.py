"""Writes on seeker profiles: registration, profile changes, consent and caseload assignment.

The edges check the shape of what was sent; the rules about the values are here, whoever calls
(the API, the pages, the admin, the demo): a postcode is located, the hours make sense, a
registration date is not in the future, and only a mentor or an admin sets the fields that
decide how a person is counted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.access_log import access_log_change
from accounts.models import Role, User
from accounts.services import user_create
from jobmatch.errors import DomainError, Invalid
from matching.lookups import place_fields
from matching.services import recompute_request
from seekers.models import ConsentChange, SeekerProfile

CONSENT_STATEMENT = {
    True: "I agree that employers with suitable vacancies may see my skills, availability and "
    "rough distance, under a pseudonym, until I accept an introduction.",
    False: "I do not want employers to see my profile.",
}

# What a person sets on a profile (its place follows from the postcode).
PROFILE_FIELDS = {
    "postcode",
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
# Fields only a mentor or admin may set (the seeker may not): they decide how the person is
# counted in the outcome reports. (The mentor is assigned by an admin, ``seeker_assign_mentor``.)
STAFF_ONLY_FIELDS = frozenset({"benefit_group", "registered_on"})


def profile_values(seeker: SeekerProfile, data: dict[str, Any], *, by_self: bool) -> dict:
    """The fields ``data`` sets on the profile, after the rules: the postcode located (its
    easting and northing added), the hours in order, the registration date not in the future,
    the staff-only fields refused to the seeker. A broken rule raises ``Invalid`` on its field."""
    values = {k: v for k, v in data.items() if k in PROFILE_FIELDS}
    refused = sorted(STAFF_ONLY_FIELDS.intersection(values)) if by_self else []
    if refused:
        raise Invalid(
            refused[0],
            "Only your mentor or an administrator can set these: " + ", ".join(refused) + ".",
        )
    if "postcode" in values:
        values.update(place_fields(values["postcode"]))
    low = values.get("hours_min", seeker.hours_min)
    high = values.get("hours_max", seeker.hours_max)
    if low is not None and high is not None and low > high:
        raise Invalid(
            "hours_min", f"The fewest hours ({low}) is more than the most hours ({high})."
        )
    registered_on = values.get("registered_on")
    if registered_on and registered_on > timezone.localdate():
        raise Invalid("registered_on", "The registration date cannot be in the future.")
    if "travel_modes" in values:
        values["travel_modes"] = list(dict.fromkeys(values["travel_modes"]))
    return values


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
    seeker = SeekerProfile(user=user, registered_on=registered_on or timezone.localdate())
    for name, value in profile_values(seeker, profile or {}, by_self=True).items():
        setattr(seeker, name, value)
    seeker.save()
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
    """Change a profile, under the rules above. A consent change is kept in the history;
    another person's change is written to the access log. Precondition: ``by`` may edit this
    profile (a mentor their caseload's, an admin anyone's)."""
    seeker = SeekerProfile.objects.select_for_update().get(pk=seeker.pk)
    values = profile_values(seeker, data, by_self=by.pk == seeker.user_id)
    changed = [k for k, v in values.items() if getattr(seeker, k) != v]
    if not changed:
        return seeker
    for name in changed:
        setattr(seeker, name, values[name])
    if "benefit_group" in changed and not seeker.registration_benefit_group:
        seeker.registration_benefit_group = seeker.benefit_group
        changed.append("registration_benefit_group")
    seeker.full_clean(exclude=["user", "mentor"])
    seeker.save(update_fields=[*changed, "updated_at"])
    if "share_with_employers" in changed:
        _consent_record(seeker=seeker, share=seeker.share_with_employers, by=by)
    if MATCHING_FIELDS.intersection(changed):
        recompute_request(seeker_ids=[seeker.pk])
    what = "profile: " + ", ".join(sorted(changed))
    access_log_change(actor=by, subject_id=seeker.user_id, channel=channel, what=what)
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
    access_log_change(
        actor=by,
        subject_id=seeker.user_id,
        channel=channel,
        what=f"mentor: {mentor.username if mentor else 'none'}",
    )
    return seeker
