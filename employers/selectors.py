"""Reads that encode who may see which employers and vacancies (docs/rules/visibility.md)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Role, User
from employers.models import Employer, EmployerMember, Vacancy, VacancyStatus
from jobmatch.errors import DomainError


def employer_of(user: User) -> Employer | None:
    """Return the organisation an employer account belongs to, if any."""
    member = EmployerMember.objects.select_related("employer").filter(user=user).first()
    return member.employer if member else None


# The code of the error for an admin who names no employer (the API reports it on the field).
EMPLOYER_REQUIRED = "employer_required"


def employer_for_new_vacancy(*, user: User, requested: Employer | None) -> Employer:
    """Return the employer a new vacancy by ``user`` is for: an employer account's own
    organisation (naming another is refused), or the one an admin names (they must name one).
    Raise ``DomainError`` saying what to do otherwise."""
    if user.is_staff:
        if requested is None:
            raise DomainError("Choose the employer (its id).", code=EMPLOYER_REQUIRED)
        return requested
    own = employer_of(user)
    if own is None:
        raise DomainError(
            "Your account is not linked to an employer organisation yet; "
            "ask an administrator to add you to one."
        )
    if requested is not None and requested != own:
        raise DomainError(
            "You can only post vacancies for your own organisation.", code="wrong_employer"
        )
    return own


def vacancy_open_q(prefix: str = "") -> Q:
    """Return the condition for a vacancy anyone may see: open and not past its closing date."""
    today = timezone.localdate()
    return Q(**{f"{prefix}status": VacancyStatus.OPEN}) & (
        Q(**{f"{prefix}closing_date__isnull": True}) | Q(**{f"{prefix}closing_date__gte": today})
    )


def employer_list_for(*, user: User) -> QuerySet[Employer]:
    """Seekers see names of employers with open vacancies; employers their own organisation;
    mentors, commissioners and admins all."""
    employers = Employer.objects.all()
    if user.is_staff or user.role in (Role.MENTOR, Role.COMMISSIONER):
        return employers
    if user.role == Role.EMPLOYER:
        return employers.filter(members__user=user)
    if user.role == Role.SEEKER:
        open_vacancy = Vacancy.objects.filter(vacancy_open_q(), employer=OuterRef("pk"))
        return employers.filter(Exists(open_vacancy))
    return employers.none()


def vacancy_list_for(*, user: User) -> QuerySet[Vacancy]:
    """Seekers see open vacancies (the placements issue adds their own matches' and
    placements'); employers their organisation's; mentors, commissioners and admins all."""
    vacancies = Vacancy.objects.select_related("employer")
    if user.is_staff or user.role in (Role.MENTOR, Role.COMMISSIONER):
        return vacancies
    if user.role == Role.EMPLOYER:
        return vacancies.filter(employer__members__user=user)
    if user.role == Role.SEEKER:
        return vacancies.filter(vacancy_open_q())
    return vacancies.none()


def vacancy_writable_for(*, user: User) -> QuerySet[Vacancy]:
    """Vacancies the user may change: their organisation's (employers) or all (admins)."""
    if user.is_staff:
        return Vacancy.objects.select_related("employer")
    if user.role == Role.EMPLOYER:
        return Vacancy.objects.select_related("employer").filter(employer__members__user=user)
    return Vacancy.objects.none()
