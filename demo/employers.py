"""Demo data for employers and vacancies (never in production).

Sectors, titles, skills and fictional employer names come from the committed map
``demo/data/demo_sectors.json`` (made by ``scripts/derive_demo_sectors.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from functools import cache
from pathlib import Path

from accounts.models import Role, User
from employers.models import Employer, EmployerMember, Vacancy
from employers.wages import wage_floor

SECTORS_FILE = Path(__file__).with_name("data") / "demo_sectors.json"


@cache
def demo_sectors() -> dict:
    return json.loads(SECTORS_FILE.read_text())


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def typed_skills(rng: random.Random, skills: list[dict]) -> list[dict]:
    """Type each skill as a person might (one of its everyday phrasings) and read the words as
    the service reads anyone's: the demo stores what the normaliser understood, not the map's
    ids."""
    from matching.lookups import skills_understand

    return skills_understand([rng.choice(skill["typed"]) for skill in skills])


def seed_employers(*, rng: random.Random, count: int, members: list[User]) -> list[Employer]:
    """Create ``count`` fictional employers spread over sectors by vacancy share; the first
    ``len(members)`` get those employer accounts as members."""
    sectors = demo_sectors()["sectors"]
    shares = {s["key"]: s["vacancy_share"] for s in sectors}
    names_left = {s["key"]: list(s["employer_names"]) for s in sectors}
    sector_of: dict[str, str] = {}
    for _ in range(count):
        key = weighted(rng, shares)
        if not names_left[key]:
            key = next(k for k, names in names_left.items() if names)
        sector_of[names_left[key].pop(0)] = key
    Employer.objects.bulk_create(Employer(name=name) for name in sector_of)
    employers = list(Employer.objects.filter(name__in=sector_of))
    for employer in employers:
        employer.sector = sector_of[employer.name]
    employers.sort(key=lambda e: e.name)
    EmployerMember.objects.bulk_create(
        EmployerMember(user=user, employer=employer)
        for user, employer in zip(members, employers, strict=False)
    )
    return employers


def seed_vacancies(
    *,
    rng: random.Random,
    employers: list[Employer],
    count: int,
    postcodes: list,
    today: dt.date,
) -> list[Vacancy]:
    """Create ``count`` vacancies among ``employers``: each gets at least one, and the first
    employer (the demo employer's) gets three open ones."""
    sectors = {s["key"]: s for s in demo_sectors()["sectors"]}
    owners = [employers[0]] * 3 + employers[1:]
    owners += [rng.choice(employers) for _ in range(count - len(owners))]
    vacancies = [
        _vacancy(rng, employer, sectors[employer.sector], rng.choice(postcodes), today)
        for employer in owners[:count]
    ]
    for vacancy in vacancies[:3]:
        vacancy.status = "open"
    return Vacancy.objects.bulk_create(vacancies)


def _vacancy(rng, employer, sector, location, today) -> Vacancy:
    contract = weighted(rng, sector["contract_mix"])
    posted_on = today - dt.timedelta(days=rng.randint(0, 60))
    floor = wage_floor(contract_type=contract, on=posted_on)[1]
    low, high = sector["hourly_wage"]
    wage = Decimal(str(round(rng.uniform(low, high), 2)))
    if contract == "apprenticeship":
        wage = floor + Decimal(str(round(rng.uniform(0, 3), 2)))
    wage = max(wage, floor)
    skills = rng.sample(sector["skills"], k=min(len(sector["skills"]), rng.randint(3, 8)))
    essential_ids = [i for i in sector["essential"] if rng.random() < 0.4]
    by_id = {s["id"]: s for s in sector["skills"]}
    essential = typed_skills(rng, [by_id[i] for i in essential_ids if i in by_id])
    skills = typed_skills(rng, [s for s in skills if s["id"] not in essential_ids])
    status = weighted(rng, {"open": 0.8, "draft": 0.05, "closed": 0.1, "filled": 0.05})
    closing = None
    if rng.random() < 0.7:
        closing = today + dt.timedelta(days=rng.randint(3, 60))
    hours_low, hours_high = sector["hours"]
    title = rng.choice(sector["titles"])
    duties = " ".join(rng.sample(sector["duties"], k=rng.randint(2, 4)))
    return Vacancy(
        employer=employer,
        title=title,
        description=f"{employer.name} is looking for a {title.lower()} in Barnsley. {duties}",
        skills=skills,
        essential_skills=essential,
        postcode=location.postcode,
        easting=location.easting,
        northing=location.northing,
        remote=rng.random() < sector.get("remote_share", 0),
        hours_per_week=Decimal(round(rng.uniform(hours_low, hours_high) * 2) / 2),
        contract_type=contract,
        wage_per_hour=wage,
        positions=rng.choice([1, 1, 1, 2, 2, 3, 5]),
        requires_driving_licence=rng.random() < sector["requires_driving_licence_share"],
        closing_date=closing,
        status=status,
        posted_on=posted_on,
    )


def employer_accounts(*, rng: random.Random, count: int) -> list[User]:
    """Create ``count`` employer accounts with unusable passwords (only demo logins sign in)."""
    users = [
        User(
            username=f"employer-{i:03d}", role=Role.EMPLOYER, email=f"employer-{i:03d}@example.org"
        )
        for i in range(count)
    ]
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_create(users)
    return list(User.objects.filter(username__in=[u.username for u in users]).order_by("username"))
