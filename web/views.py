"""Server-rendered pages. Each view checks the role, fetches through the same selectors as the
API (so the same visibility applies: out of scope is a 404), and renders; no business rules."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.access_log import access_log_record
from accounts.models import Role
from employers.selectors import vacancy_list_for, vacancy_writable_for
from matching.pseudonyms import pseudonym
from matching.selectors import match_explain, seeker_matches, vacancy_candidates
from placements.chart import chart_data_table
from placements.reporting import outcomes_report
from placements.selectors import caseload_for
from seekers.models import SeekerProfile

HOME_BY_ROLE = {
    Role.SEEKER: "web-matches",
    Role.MENTOR: "web-caseload",
    Role.EMPLOYER: "web-vacancies",
    Role.COMMISSIONER: "web-report",
}


def for_roles(*roles: str):
    """Let only these roles (and staff) in; anyone else signed in gets a 403."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not (request.user.is_staff or request.user.role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


@login_required
def home(request):
    target = HOME_BY_ROLE.get(request.user.role)
    if target:
        return redirect(target)
    return render(request, "web/home.html")


def _own_profile(request) -> SeekerProfile:
    profile = SeekerProfile.objects.filter(user=request.user).first()
    if profile is None:
        raise Http404("You have no jobseeker profile.")
    return profile


@for_roles(Role.SEEKER)
def matches(request):
    page = Paginator(seeker_matches(seeker=_own_profile(request)), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "web/matches.html", {"page": page})


@for_roles(Role.SEEKER)
def match_detail(request, vacancy_id: int):
    profile = _own_profile(request)
    vacancy = vacancy_list_for(user=request.user).filter(pk=vacancy_id).first()
    if vacancy is None:
        raise Http404("No such open vacancy.")
    stored = seeker_matches(seeker=profile).filter(vacancy=vacancy).first()
    explanation = (
        None
        if stored
        else match_explain(profile=profile, vacancy=vacancy, today=timezone.localdate())
    )
    return render(
        request,
        "web/match_detail.html",
        {"vacancy": vacancy, "match": stored, "explanation": explanation},
    )


@for_roles(Role.MENTOR)
def caseload(request):
    rows = caseload_for(user=request.user)
    if request.GET.get("stuck") == "1":
        rows = rows.filter(stuck=True)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    access_log_record(
        actor=request.user,
        subject_ids=[s.user_id for s in page],
        action="read",
        channel="web",
        what="caseload",
    )
    return render(request, "web/caseload.html", {"page": page})


@for_roles(Role.EMPLOYER)
def vacancies(request):
    rows = vacancy_writable_for(user=request.user).order_by("-posted_on", "id")
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "web/vacancies.html", {"page": page})


@for_roles(Role.EMPLOYER)
def candidates(request, vacancy_id: int):
    vacancy = vacancy_writable_for(user=request.user).filter(pk=vacancy_id).first()
    if vacancy is None:
        raise Http404("No such vacancy among yours.")
    rows = list(vacancy_candidates(vacancy=vacancy, user=request.user))
    access_log_record(
        actor=request.user,
        subject_ids=[r.seeker.user_id for r in rows],
        action="read",
        channel="web",
        what=f"candidate for vacancy {vacancy.pk}",
    )
    shown = [
        {
            "pseudonym": pseudonym(employer_id=vacancy.employer_id, seeker_id=r.seeker_id),
            "score": r.score,
            "matched": [s["label"] for s in r.reasons.get("skills_matched", [])],
            "missing": [s["label"] for s in r.reasons.get("skills_missing_essential", [])],
            "hours": f"{r.seeker.hours_min} to {r.seeker.hours_max}",
        }
        for r in rows
    ]
    return render(request, "web/candidates.html", {"vacancy": vacancy, "rows": shown})


@for_roles(Role.COMMISSIONER)
def report(request):
    grouping = request.GET.get("grouping", "quarter")
    if grouping not in ("month", "quarter", "year"):
        grouping = "quarter"
    body = outcomes_report(grouping=grouping)
    return render(
        request,
        "web/report.html",
        {
            "report": body,
            "grouping": grouping,
            "table": chart_data_table(body),
        },
    )
