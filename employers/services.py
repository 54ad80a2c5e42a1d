"""Writes on employers and vacancies.

The edges check the shape of what was sent; the rules about the values are here, whoever calls
(the API, the pages, the admin, the demo): a postcode is located, the pay is at least the wage
floor, an employer sets only the statuses people set, and a vacancy never moves employer."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from employers.models import Employer, EmployerMember, Vacancy, VacancyStatus
from employers.wages import wage_floor_message
from jobmatch.errors import Conflict, Invalid
from matching.lookups import place_fields
from matching.services import recompute_request

# What a person sets on a vacancy (its place follows from the postcode).
VACANCY_FIELDS = {
    "title",
    "description",
    "skills",
    "essential_skills",
    "postcode",
    "remote",
    "hours_per_week",
    "contract_type",
    "wage_per_hour",
    "positions",
    "requires_driving_licence",
    "closing_date",
    "status",
}


# Statuses a person may set; ``filled`` is the system's, when every position is filled.
SETTABLE_STATUSES = (VacancyStatus.DRAFT, VacancyStatus.OPEN, VacancyStatus.CLOSED)


def vacancy_values(vacancy: Vacancy, data: dict[str, Any]) -> dict[str, Any]:
    """The fields ``data`` sets on ``vacancy``, after the rules: the postcode located (its
    easting and northing added), the wage floor, the statuses, the employer kept."""
    values = {k: v for k, v in data.items() if k in VACANCY_FIELDS}
    employer = data.get("employer")
    if vacancy.pk and employer is not None and employer != vacancy.employer:
        raise Invalid("employer", "A vacancy cannot move employer; post a new one instead.")
    if "postcode" in values:
        values.update(place_fields(values["postcode"]))
    status = values.get("status")
    if status is not None and status != vacancy.status and status not in SETTABLE_STATUSES:
        raise Invalid(
            "status",
            f"A vacancy is {status} only when every position is filled; set one of "
            + ", ".join(SETTABLE_STATUSES)
            + ".",
        )
    if "wage_per_hour" in values or "contract_type" in values:
        contract = values.get("contract_type", vacancy.contract_type)
        wage = values.get("wage_per_hour", vacancy.wage_per_hour)
        on = vacancy.posted_on or timezone.localdate()
        problem = wage_floor_message(contract_type=contract, on=on, wage=wage) if wage else None
        if problem:
            raise Invalid("wage_per_hour", problem)
    return values


def employer_create(*, name: str) -> Employer:
    return Employer.objects.create(name=name)


def employer_update(*, employer: Employer, name: str) -> Employer:
    employer.name = name
    employer.save(update_fields=["name"])
    return employer


def employer_member_check(*, user: User) -> None:
    """Only an employer account can be a member of an employer."""
    if user.role != Role.EMPLOYER:
        raise Invalid(
            "user", f"{user.username} is not an employer account; only those can be members."
        )


def employer_member_add(*, employer: Employer, user: User) -> EmployerMember:
    """Make an employer account a member of ``employer`` (its one organisation)."""
    employer_member_check(user=user)
    member, _ = EmployerMember.objects.update_or_create(user=user, defaults={"employer": employer})
    return member


def employer_member_remove(*, member: EmployerMember) -> None:
    """Take an account out of its organisation: it no longer sees the employer's vacancies,
    candidates or placements."""
    member.delete()


@transaction.atomic
def vacancy_create(*, employer: Employer, by: User, data: dict[str, Any]) -> Vacancy:
    """Post a vacancy for ``employer``. ``data`` holds the fields as given (a postcode as typed
    or a located ``Location``); the rules above refuse what they must, on its field."""
    vacancy = Vacancy(employer=employer, created_by=by, posted_on=timezone.localdate())
    for name, value in vacancy_values(vacancy, data).items():
        setattr(vacancy, name, value)
    vacancy.save()
    if vacancy.status == VacancyStatus.OPEN:
        recompute_request(vacancy_ids=[vacancy.pk])
    return vacancy


@transaction.atomic
def vacancy_update(*, vacancy: Vacancy, by: User, data: dict[str, Any]) -> Vacancy:
    """Change a vacancy's fields, under the same rules as posting one. A closed or filled
    vacancy can only be reopened by status."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    values = vacancy_values(vacancy, data)
    changed = [k for k, v in values.items() if getattr(vacancy, k) != v]
    for name in changed:
        setattr(vacancy, name, values[name])
    if changed:
        vacancy.save(update_fields=[*changed, "updated_at"])
        recompute_request(vacancy_ids=[vacancy.pk])
    return vacancy


@transaction.atomic
def vacancy_close(*, vacancy: Vacancy, by: User) -> Vacancy:
    """Close a vacancy to new matches and applications."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status in (VacancyStatus.CLOSED, VacancyStatus.FILLED):
        raise Conflict(
            f"This vacancy is already {vacancy.status}.", allowed=["reopen by setting status"]
        )
    vacancy.status = VacancyStatus.CLOSED
    vacancy.save(update_fields=["status", "updated_at"])
    recompute_request(vacancy_ids=[vacancy.pk])
    return vacancy
