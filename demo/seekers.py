"""Demo jobseekers, mentors and commissioners (never in production).

Profiles draw their sector, skills and desired titles from the committed sector map
``demo/data/demo_sectors.json``; skills are typed as a person would and read by the same
normaliser as anyone's.
"""

from __future__ import annotations

import datetime as dt
import random

from accounts.models import User
from demo.employers import demo_sectors, typed_skills, weighted
from seekers.models import ConsentChange, SeekerProfile
from seekers.services import CONSENT_STATEMENT

# Rough shares for a town's caseload; benefit groups lean to Universal Credit, as in 2026.
BENEFIT_GROUPS = {
    "uc_searching": 0.34,
    "uc_health": 0.16,
    "jsa_18_24": 0.07,
    "jsa_25_plus": 0.09,
    "esa_new": 0.07,
    "esa_ex_ib": 0.05,
    "none": 0.22,
}
HOURS = [(0, 16), (16, 30), (30, 40), (0, 40), (20, 37)]
MINUTES = [20, 30, 30, 45, 45, 45, 60, 90]
EQUALITY = {
    "age_band": ["18_24", "25_34", "35_49", "50_64", "prefer_not_to_say"],
    "sex": ["female", "male", "prefer_not_to_say"],
    "disability": ["yes", "no", "no", "prefer_not_to_say"],
    "ethnicity": [
        "white",
        "white",
        "white",
        "asian",
        "black",
        "mixed",
        "other",
        "prefer_not_to_say",
    ],
}


def role_accounts(*, role: str, prefix: str, count: int) -> list[User]:
    """Create ``count`` accounts of a role with unusable passwords (only demo logins sign in)."""
    users = [
        User(
            username=f"{prefix}-{i:04d}",
            role=role,
            email=f"{prefix}-{i:04d}@example.org",
            first_name=prefix.title(),
            last_name=f"{i:04d}",
        )
        for i in range(count)
    ]
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_create(users)
    return list(User.objects.filter(username__in=[u.username for u in users]).order_by("username"))


def profile_values(rng: random.Random, *, today: dt.date, location) -> dict:
    """Return the fields of a plausible profile in a sector chosen by seeker share."""
    data = demo_sectors()
    sector = rng.choices(data["sectors"], weights=[s["seeker_share"] for s in data["sectors"]])[0]
    skills = rng.sample(sector["skills"], k=min(len(sector["skills"]), rng.randint(3, 8)))
    skills += rng.sample(data["common_skills"], k=rng.randint(0, 3))
    licence = rng.random() < 0.45
    modes = [
        m
        for m, p in (("public_transport", 0.65), ("walk", 0.45), ("cycle", 0.08))
        if rng.random() < p
    ]
    if licence and rng.random() < 0.8:
        modes.append("car")
    hours_min, hours_max = rng.choice(HOURS)
    about = ""
    if rng.random() < 0.4:  # some write about their past work, in the words adverts use
        duty = rng.choice(sector["duties"])
        about = f"I worked {rng.randint(1, 12)} years as a {rng.choice(sector['titles']).lower()}. "
        about += duty
    values = {
        "about": about,
        "postcode": location.postcode,
        "easting": location.easting,
        "northing": location.northing,
        "skills": typed_skills(rng, skills),
        "desired_titles": rng.sample(sector["titles"], k=rng.randint(1, 2)),
        "travel_modes": modes or ["public_transport"],
        "max_travel_minutes": rng.choice(MINUTES),
        "hours_min": hours_min,
        "hours_max": hours_max,
        "has_driving_licence": licence,
        "share_with_employers": rng.random() < 0.75,
        "benefit_group": (group := weighted(rng, BENEFIT_GROUPS)),
        "registration_benefit_group": group,
        "registered_on": today - dt.timedelta(days=rng.randint(0, 4 * 365)),
    }
    for field, choices in EQUALITY.items():
        if rng.random() < 0.6:
            values[field] = rng.choice(choices)
    return values


def seed_seekers(
    *,
    rng: random.Random,
    users: list[User],
    mentors: list[User],
    locations: list,
    today: dt.date,
) -> list[SeekerProfile]:
    """Create a profile (and its first consent record) for each seeker account; nine in ten are
    on a mentor's caseload, spread evenly."""
    profiles = []
    for i, user in enumerate(users):
        values = profile_values(rng, today=today, location=rng.choice(locations))
        mentor = mentors[i % len(mentors)] if rng.random() < 0.9 else None
        profiles.append(SeekerProfile(user=user, mentor=mentor, **values))
    SeekerProfile.objects.bulk_create(profiles)
    profiles = list(SeekerProfile.objects.filter(user__in=users))
    ConsentChange.objects.bulk_create(first_consents(profiles))
    return profiles


def first_consents(profiles, *, dated: bool = False) -> list[ConsentChange]:
    """Each new profile's consent as registration records it (the statement they agreed to or
    refused), made by the seeker; ``dated`` stamps it with the profile's creation time."""
    return [
        ConsentChange(
            seeker=p,
            share_with_employers=p.share_with_employers,
            statement=CONSENT_STATEMENT[p.share_with_employers],
            changed_by=p.user,
            **({"changed_at": p.created_at} if dated else {}),
        )
        for p in profiles
    ]


def demo_seeker_profile_values(*, rng: random.Random, today: dt.date, location) -> dict:
    """The demo seeker: a warehouse worker in town with a forklift licence, on the demo mentor's
    caseload, sharing their profile, registered three months ago."""
    values = profile_values(random.Random(7), today=today, location=location)
    sector = next(s for s in demo_sectors()["sectors"] if s["key"] == "warehouse")
    values.update(
        skills=typed_skills(rng, sector["skills"][:6]),
        desired_titles=sector["titles"][:2],
        about="I worked four years at a distribution centre in Grimethorpe, picking orders with "
        "a scanner and loading lorries. I would like a day job in a warehouse.",
        travel_modes=["public_transport", "walk"],
        max_travel_minutes=45,
        hours_min=16,
        hours_max=40,
        has_driving_licence=False,
        share_with_employers=True,
        benefit_group="uc_searching",
        registration_benefit_group="uc_searching",
        registered_on=today - dt.timedelta(days=90),
    )
    return values
