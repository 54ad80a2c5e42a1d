"""Writes on employers and vacancies. Inputs are already validated by the edge (serializer/form)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from employers.models import Employer, EmployerMember, Vacancy, VacancyStatus
from jobmatch.errors import Conflict, DomainError
from matching.services import recompute_request

VACANCY_FIELDS = {
    "title",
    "description",
    "skills",
    "essential_skills",
    "postcode",
    "easting",
    "northing",
    "remote",
    "hours_per_week",
    "contract_type",
    "wage_per_hour",
    "positions",
    "requires_driving_licence",
    "closing_date",
    "status",
}


def employer_create(*, name: str) -> Employer:
    return Employer.objects.create(name=name)


def employer_update(*, employer: Employer, name: str) -> Employer:
    employer.name = name
    employer.save(update_fields=["name"])
    return employer


def employer_member_add(*, employer: Employer, user: User) -> EmployerMember:
    """Make an employer account a member of ``employer`` (its one organisation)."""
    if user.role != Role.EMPLOYER:
        raise DomainError(f"{user.username} is not an employer account; only those can be members.")
    member, _ = EmployerMember.objects.update_or_create(user=user, defaults={"employer": employer})
    return member


@transaction.atomic
def vacancy_create(*, employer: Employer, by: User, data: dict[str, Any]) -> Vacancy:
    """Create a vacancy. ``data`` holds validated fields, the location already resolved."""
    fields = {k: v for k, v in data.items() if k in VACANCY_FIELDS}
    vacancy = Vacancy(employer=employer, created_by=by, posted_on=timezone.localdate(), **fields)
    vacancy.save()
    if vacancy.status == VacancyStatus.OPEN:
        recompute_request(vacancy_ids=[vacancy.pk])
    return vacancy


@transaction.atomic
def vacancy_update(*, vacancy: Vacancy, by: User, data: dict[str, Any]) -> Vacancy:
    """Change a vacancy's fields. A closed or filled vacancy can only be reopened by status."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    changed = [k for k, v in data.items() if k in VACANCY_FIELDS and getattr(vacancy, k) != v]
    for name in changed:
        setattr(vacancy, name, data[name])
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
