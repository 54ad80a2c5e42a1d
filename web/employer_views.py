"""The employer's vacancy pages: post a vacancy, edit one, close one.

Each page does what ``api/employers.py``'s ``VacancyViewSet`` does: the form is validated by the
API's own ``VacancySerializer`` and saved by the same service (``vacancy_create``,
``vacancy_update``, ``vacancy_close``); a vacancy is found through ``vacancy_writable_for``, so one
outside the user's organisation is a 404. Admins may do all of it, choosing the employer when
posting, as they may through the API.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.models import Role
from employers import services
from employers.models import ContractType, Vacancy, VacancyStatus
from employers.selectors import (
    EMPLOYER_REQUIRED,
    employer_for_new_vacancy,
    employer_list_for,
    vacancy_writable_for,
)
from employers.serializers import VacancySerializer
from employers.wages import wage_floor
from jobmatch.errors import DomainError
from web.decorators import for_roles
from web.forms import domain_errors, skill_items, validate

# The form's fields in page order (the error summary follows it), as its messages name them.
LABELS = {
    "employer": "the employer the vacancy is for",
    "title": "the job title",
    "description": "the description",
    "skills": "the skills",
    "essential_skills": "the essential skills",
    "postcode": "the postcode of the workplace",
    "remote": "whether the job can be done remotely",
    "hours_per_week": "the hours a week",
    "contract_type": "the type of contract",
    "wage_per_hour": "the pay per hour",
    "positions": "the number of positions",
    "requires_driving_licence": "whether the job needs a driving licence",
    "closing_date": "the closing date",
    "status": "whether the vacancy is open to jobseekers or a draft",
}
# Where a fixed example reads better than a message built from the label. The serializer's own
# messages (wage floor, closing date, postcode, hours, positions, skills) are shown as they are.
FIXES = {
    "employer": "Select the employer the vacancy is for.",
    "title": "Enter the job title in 200 characters or fewer, for example Warehouse operative.",
    "description": "Shorten the description to 10,000 characters or fewer.",
    "postcode": "Enter the postcode of the workplace, for example S70 2TA.",
    "hours_per_week": "Enter the hours a week as a number, for example 37.5.",
    "contract_type": "Select the type of contract.",
    "wage_per_hour": "Enter the pay per hour in pounds, for example 12.50.",
    "positions": "Enter the number of positions as a whole number, for example 2.",
    "closing_date": "Enter the closing date as a real date, for example 2026-12-01.",
    "status": "Select whether the vacancy is open to jobseekers or a draft.",
}


def _vacancy_data(post, *, staff: bool) -> dict:
    """Turn the vacancy form's fields into the API serializer's input (one set of rules)."""

    data = {
        "title": post.get("title", "").strip(),
        "description": post.get("description", ""),
        "skills": skill_items(post, "skills"),
        "essential_skills": skill_items(post, "essential_skills"),
        "postcode": post.get("postcode", ""),
        "remote": post.get("remote") == "yes",
        "hours_per_week": post.get("hours_per_week", "").strip(),
        "contract_type": post.get("contract_type", ""),
        "wage_per_hour": post.get("wage_per_hour", "").strip().lstrip("£"),
        "requires_driving_licence": post.get("requires_driving_licence") == "yes",
        "closing_date": post.get("closing_date", "").strip() or None,
    }
    # Left empty: the default (1 position; a draft) on posting, unchanged on editing.
    for name in ("positions", "status"):
        if post.get(name, "").strip():
            data[name] = post[name].strip()
    if staff and post.get("employer"):
        data["employer"] = post["employer"]
    return data


def _form_values(vacancy: Vacancy | None) -> dict:
    """The form's initial values: a vacancy's, or a new one's defaults."""
    if vacancy is None:
        return {"positions": "1", "status": VacancyStatus.OPEN}
    return {
        "title": vacancy.title,
        "description": vacancy.description,
        "skills": ", ".join(s["typed"] for s in vacancy.skills),
        "essential_skills": ", ".join(s["typed"] for s in vacancy.essential_skills),
        "postcode": vacancy.postcode,
        "remote": "yes" if vacancy.remote else "",
        "hours_per_week": vacancy.hours_per_week,
        "contract_type": vacancy.contract_type,
        "wage_per_hour": vacancy.wage_per_hour,
        "positions": vacancy.positions,
        "requires_driving_licence": "yes" if vacancy.requires_driving_licence else "",
        "closing_date": vacancy.closing_date.isoformat() if vacancy.closing_date else "",
        "status": vacancy.status,
    }


def _render_form(request, *, vacancy, values, errors, status=None):
    """The vacancy form; with errors it answers 400 unless a status is given."""
    status = status or (400 if errors else 200)
    today = timezone.localdate()
    wage = wage_floor(contract_type=ContractType.PERMANENT, on=today)[1]
    apprentice = wage_floor(contract_type=ContractType.APPRENTICESHIP, on=today)[1]
    wage_hint = (
        f"In pounds, at least the National Living Wage (£{wage} an hour today) or, "
        f"for an apprenticeship, the apprentice rate (£{apprentice})."
    )
    statuses = [(s.value, s.label) for s in services.SETTABLE_STATUSES]
    keep_status = vacancy is not None and vacancy.status not in services.SETTABLE_STATUSES
    employers = None
    if request.user.is_staff and vacancy is None:
        employers = [(e.pk, e.name) for e in employer_list_for(user=request.user)]
    offered = []
    if vacancy is not None:
        from matching.texts import skills_offered, vacancy_text

        held = [*vacancy.skills, *vacancy.essential_skills]
        offered = skills_offered(vacancy_text(vacancy), held=held)
    return render(
        request,
        "web/vacancy_form.html",
        {
            "vacancy": vacancy,
            "offered": offered,
            "values": values,
            "errors": errors,
            "wage_hint": wage_hint,
            "contract_choices": ContractType.choices,
            "status_choices": statuses,
            "keep_status": vacancy.get_status_display() if keep_status else "",
            "employer_choices": employers,
        },
        status=status,
    )


def _writable(request, vacancy_id: int) -> Vacancy:
    vacancy = vacancy_writable_for(user=request.user).filter(pk=vacancy_id).first()
    if vacancy is None:
        raise Http404("No such vacancy among yours.")
    return vacancy


@for_roles(Role.EMPLOYER)
def vacancy_new(request):
    """Post a vacancy for the user's organisation (admins choose the employer)."""
    if request.method != "POST":
        return _render_form(request, vacancy=None, values=_form_values(None), errors={})
    user = request.user
    data = _vacancy_data(request.POST, staff=user.is_staff)
    validated, errors, _ = validate(VacancySerializer, data, labels=LABELS, fixes=FIXES)
    if validated is not None:
        data = dict(validated)
        try:  # as VacancyViewSet.perform_create: an employer posts for its own organisation
            employer = employer_for_new_vacancy(user=user, requested=data.pop("employer", None))
            vacancy = services.vacancy_create(employer=employer, by=user, data=data)
        except DomainError as error:
            if error.code == EMPLOYER_REQUIRED:
                errors = {"employer": FIXES["employer"]}
            else:
                errors = domain_errors(error)
        else:
            messages.success(request, f"Your vacancy “{vacancy.title}” is saved.")
            return redirect("web-vacancies")
    return _render_form(request, vacancy=None, values=request.POST, errors=errors)


@for_roles(Role.EMPLOYER)
def vacancy_edit(request, vacancy_id: int):
    """Change a vacancy of the user's organisation, as ``PUT vacancies/<id>/`` does."""
    vacancy = _writable(request, vacancy_id)
    if request.method != "POST":
        return _render_form(request, vacancy=vacancy, values=_form_values(vacancy), errors={})
    validated, errors, _ = validate(
        VacancySerializer,
        _vacancy_data(request.POST, staff=False),
        labels=LABELS,
        fixes=FIXES,
        instance=vacancy,
    )
    if validated is not None:
        try:
            vacancy = services.vacancy_update(vacancy=vacancy, by=request.user, data=validated)
        except DomainError as error:
            errors = domain_errors(error)
        else:
            messages.success(request, f"Your changes to “{vacancy.title}” are saved.")
            return redirect("web-vacancies")
    return _render_form(request, vacancy=vacancy, values=request.POST, errors=errors)


@for_roles(Role.EMPLOYER)
def vacancy_close(request, vacancy_id: int):
    """GET asks to confirm; POST closes the vacancy to new matches and applications."""
    vacancy = _writable(request, vacancy_id)
    if request.method == "POST":
        try:
            services.vacancy_close(vacancy=vacancy, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"“{vacancy.title}” is closed: it gets no new matches or applications.",
            )
        return redirect("web-vacancies")
    return render(request, "web/vacancy_close.html", {"vacancy": vacancy})
