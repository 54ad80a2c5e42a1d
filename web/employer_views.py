"""The employer's vacancy pages: post a vacancy, edit one, close one.

Each page does what ``api/employers.py``'s ``VacancyViewSet`` does: the form is validated by the
API's own ``VacancySerializer`` and saved by the same service (``vacancy_create``,
``vacancy_update``, ``vacancy_close``); a vacancy is found through ``vacancy_writable_for``, so one
outside the user's organisation is a 404. Admins may do all of it, choosing the employer when
posting, as they may through the API.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.models import Role
from api.employers import SETTABLE_STATUSES, VacancySerializer
from employers import services
from employers.models import ContractType, Vacancy, VacancyStatus
from employers.selectors import employer_list_for, employer_of, vacancy_writable_for
from employers.wages import wage_floor
from jobmatch.errors import DomainError
from web.forms import validate
from web.views import for_roles

# The form's fields in page order (the error summary follows it).
FIELDS = [
    "employer",
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
]

# What to say in place of DRF's generic messages ("This field is required.", "A valid number is
# required."): the field named and how to fix it. The rules stay the serializer's; its specific
# messages (wage floor, closing date, postcode, hours, positions, skills) are shown as they are.
GENERIC_CODES = {
    "required",
    "null",
    "blank",
    "invalid",
    "invalid_choice",
    "max_digits",
    "max_decimal_places",
    "max_whole_digits",
    "max_length",
    "does_not_exist",
    "incorrect_type",
}
PLAIN_MESSAGES = {
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

    def listed(name: str) -> list[str]:
        return [s.strip() for s in post.get(name, "").split(",") if s.strip()]

    data = {
        "title": post.get("title", "").strip(),
        "description": post.get("description", ""),
        "skills": listed("skills"),
        "essential_skills": listed("essential_skills"),
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


def _is_generic(field, detail) -> bool:
    """Whether ``detail`` is DRF's stock message for its code (not one the serializer wrote)."""
    code = getattr(detail, "code", None)
    template = field.error_messages.get(code) if field is not None else None
    if code not in GENERIC_CODES or not template:
        return False
    pattern = re.sub(r"\\\{\w+\\\}", ".*", re.escape(str(template)))
    return re.fullmatch(pattern, str(detail), flags=re.DOTALL) is not None


def _errors(serializer, flat: dict[str, str]) -> dict[str, str]:
    """One message per field, in the form's order, DRF's stock ones replaced by plain ones."""
    plain: dict[str, str] = {}
    for key, message in flat.items():  # a skill's own error ("skills.0") goes under "skills"
        name = key.split(".")[0]
        plain[name] = f"{plain[name]} {message}" if name in plain else message
    for name, details in serializer.errors.items():
        field = serializer.fields.get(name)
        if name in PLAIN_MESSAGES and isinstance(details, list) and details:
            if all(_is_generic(field, d) for d in details):
                plain[name] = PLAIN_MESSAGES[name]
    order = {name: i for i, name in enumerate(["__all__", *FIELDS])}
    return dict(sorted(plain.items(), key=lambda item: order.get(item[0], 99)))


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


def _render_form(request, *, vacancy, values, errors, status=200):
    today = timezone.localdate()
    wage = wage_floor(contract_type=ContractType.PERMANENT, on=today)[1]
    apprentice = wage_floor(contract_type=ContractType.APPRENTICESHIP, on=today)[1]
    wage_hint = (
        f"In pounds, at least the National Living Wage (£{wage} an hour today) or, "
        f"for an apprenticeship, the apprentice rate (£{apprentice})."
    )
    statuses = [(s.value, s.label) for s in SETTABLE_STATUSES]
    keep_status = vacancy is not None and vacancy.status not in {s.value for s in SETTABLE_STATUSES}
    employers = None
    if request.user.is_staff and vacancy is None:
        employers = [(e.pk, e.name) for e in employer_list_for(user=request.user)]
    return render(
        request,
        "web/vacancy_form.html",
        {
            "vacancy": vacancy,
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
    validated, flat, serializer = validate(
        VacancySerializer, _vacancy_data(request.POST, staff=user.is_staff)
    )
    errors = _errors(serializer, flat) if validated is None else {}
    if validated is not None:
        # As VacancyViewSet.perform_create: an employer posts for its own organisation only.
        data = dict(validated)
        employer = data.pop("employer", None)
        if not user.is_staff:
            employer = employer_of(user)
            if employer is None:
                errors = {
                    "__all__": "Your account is not linked to an employer organisation yet; "
                    "ask an administrator to add you to one."
                }
        elif employer is None:
            errors = {"employer": PLAIN_MESSAGES["employer"]}
        if not errors:
            try:
                vacancy = services.vacancy_create(employer=employer, by=user, data=data)
            except DomainError as error:
                errors = {"__all__": error.message}
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
    validated, flat, serializer = validate(
        VacancySerializer, _vacancy_data(request.POST, staff=False), instance=vacancy
    )
    errors = _errors(serializer, flat) if validated is None else {}
    if validated is not None:
        try:
            vacancy = services.vacancy_update(vacancy=vacancy, by=request.user, data=validated)
        except DomainError as error:
            errors = {"__all__": error.message}
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
