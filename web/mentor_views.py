"""The mentor's pages: a seeker on the caseload (profile, matches, placements with their history
and the actions allowed now, the 13- and 26-week checks, jobs found elsewhere), proposing a
placement from a match, recording a check with its evidence and recording a job found elsewhere.

Each page finds its record through the same selector as the API (``seeker_list_for``,
``placement_list_for``), so a seeker outside the caseload is a 404; each form is validated by the
API's own serializer and saved by the one service that makes the change. Admins see everyone.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from employers.selectors import vacancy_list_for
from jobmatch.errors import DomainError
from matching.selectors import matches_freshness, seeker_matches
from placements import services
from placements.access import access_placement
from placements.inputs import OutsideJobInput, RecordCheckInput
from placements.models import OPEN_STATES, CheckResult, Evidence, OutcomeCheck, State
from placements.selectors import placement_list_for
from seekers.access import access_seeker
from seekers.models import SeekerProfile, TravelMode
from seekers.selectors import seeker_editable_for
from web.decorators import for_roles
from web.forms import domain_errors, validate
from web.placement_views import action_links
from web.views import profile_page

MATCHES_PER_PAGE = 10


def _seeker_for(request, seeker_id: int, what: str) -> SeekerProfile:
    """A seeker on the caller's caseload, the read logged as ``what`` (else a 404)."""
    return access_seeker(
        user=request.user,
        pk=seeker_id,
        channel="web",
        what=what,
        missing="No such seeker on your caseload.",
    )


def _name(seeker: SeekerProfile) -> str:
    return seeker.user.get_full_name() or seeker.user.username


@for_roles(Role.MENTOR)
def seeker_page(request, seeker_id: int):
    """One seeker: profile, matches to propose, placements and their checks, jobs elsewhere."""
    seeker = _seeker_for(request, seeker_id, "seeker page")
    user = request.user
    matches = Paginator(seeker_matches(seeker=seeker), MATCHES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    open_vacancies = set(
        placement_list_for(user=user)
        .filter(seeker=seeker, state__in=OPEN_STATES)
        .values_list("vacancy_id", flat=True)
    )
    back = request.path
    placements = [
        {
            "placement": p,
            "actions": action_links(p, user, back=back),
            "history": [
                (e.at, State(e.to_state).label, e.by.username if e.by else "JobMatch", e.reason)
                for e in p.history.all()
            ],
            "checks": list(p.checks.all()),
        }
        for p in placement_list_for(user=user)
        .filter(seeker=seeker)
        .prefetch_related("history__by", "checks")
    ]
    outside_jobs = list(seeker.outside_jobs.prefetch_related("checks"))
    checks = [
        {
            "check": c,
            "spell": f"{p.vacancy.title} at {p.vacancy.employer.name}",
            "url": reverse("web-check", args=[p.pk, c.week]),
        }
        for p, row_checks in ((row["placement"], row["checks"]) for row in placements)
        for c in row_checks
    ] + [
        {
            "check": c,
            "spell": f"{job.employer_name} (found elsewhere)",
            "url": reverse("web-outside-job-check", args=[seeker.pk, job.pk, c.week]),
        }
        for job in outside_jobs
        for c in job.checks.all()
    ]
    checks.sort(key=lambda row: (row["check"].due_on, row["check"].pk))
    return render(
        request,
        "web/seeker.html",
        {
            "seeker": seeker,
            "name": _name(seeker),
            "travel": ", ".join(
                TravelMode(m).label.lower() for m in seeker.travel_modes if m in TravelMode.values
            ),
            "matches": matches,
            "freshness": matches_freshness(seeker=seeker),
            "proposed": open_vacancies,
            "placements": placements,
            "outside_jobs": outside_jobs,
            "checks": checks,
            "today": timezone.localdate(),
            "may_record": services.can_record_checks(seeker=seeker, by=user),
        },
    )


@for_roles(Role.MENTOR)
def seeker_profile(request, seeker_id: int):
    """The seeker's profile form as their mentor fills it in with them."""
    seeker = access_seeker(
        user=request.user,
        pk=seeker_id,
        channel="web",
        what="profile",
        scope=seeker_editable_for,
        missing="No such seeker on your caseload.",
    )
    return profile_page(request, seeker)


@for_roles(Role.MENTOR)
def propose(request, seeker_id: int, vacancy_id: int):
    """Propose a placement from a match (POST only), with the API's checks for a mentor."""
    seeker = _seeker_for(request, seeker_id, "matches (to propose a placement)")
    target = reverse("web-seeker", args=[seeker.pk])
    if request.method != "POST":
        return redirect(target)
    vacancy = vacancy_list_for(user=request.user).filter(pk=vacancy_id).first()
    if vacancy is None:
        raise Http404("No such open vacancy among those you may see.")
    try:
        services.placement_propose(seeker=seeker, vacancy=vacancy, by=request.user, channel="web")
        messages.success(
            request,
            f"Proposed {vacancy.title} at {vacancy.employer.name} to {_name(seeker)}. "
            "They can accept or decline it on their placements page, or with you here.",
        )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(f"{target}#placements")


NO_SUCH_CHECK = (
    "This job has no such check: the 13- and 26-week checks exist once a start is confirmed. "
    "Select one of the checks listed."
)
CHECK_LABELS = {
    "week": "which check this is",
    "result": "whether they are in work",
    "evidence": "the evidence you saw",
    "hours_per_week": "the hours a week they work",
    "note": "the note",
}


def _check_form(request, *, seeker: SeekerProfile, checks, week: int, spell: str):
    """Show and record a 13- or 26-week check of one spell (a placement or an outside job),
    as the API's ``placements/{id}/checks/`` does: RecordCheckInput, then check_record."""
    by_week = {c.week: c for c in checks}
    errors: dict[str, str] = {}
    values = {"week": str(week)}
    status = 200
    if week not in by_week:
        raise Http404(NO_SUCH_CHECK)
    if request.method == "POST":
        values = {
            name: request.POST.get(name, "").strip()
            for name in ("week", "result", "evidence", "hours_per_week", "note")
        }
        data = {k: v for k, v in values.items() if v}  # empty means not given
        validated, errors, _ = validate(RecordCheckInput, data, labels=CHECK_LABELS)
        if validated is not None:
            fields = dict(validated)
            check = by_week.get(fields.pop("week"))
            if check is None:
                errors = {"week": NO_SUCH_CHECK}
            else:
                try:
                    services.check_record(check=check, by=request.user, channel="web", **fields)
                    messages.success(request, f"The {check.week}-week check is recorded.")
                    return redirect(reverse("web-seeker", args=[seeker.pk]) + "#checks")
                except DomainError as error:
                    errors = domain_errors(error)
                    status = error.status
        if errors and status == 200:
            status = 400
    return render(
        request,
        "web/check.html",
        {
            "seeker": seeker,
            "name": _name(seeker),
            "spell": spell,
            "checks": checks,
            "check": by_week.get(week),
            "values": values,
            "errors": errors,
            "weeks": [(w, f"{w}-week check") for w in sorted(by_week)] or [(13, "13-week check")],
            "results": CheckResult.choices,
            "evidence": Evidence.choices,
        },
        status=status,
    )


@for_roles(Role.MENTOR)
def placement_check(request, placement_id: int, week: int):
    """Record a placement's 13- or 26-week check with the evidence seen."""
    placement = access_placement(
        user=request.user,
        pk=placement_id,
        channel="web",
        what=f"checks of placement {placement_id}",
    )
    spell = f"{placement.vacancy.title} at {placement.vacancy.employer.name}"
    return _check_form(
        request,
        seeker=placement.seeker,
        checks=list(placement.checks.all()),
        week=week,
        spell=spell,
    )


@for_roles(Role.MENTOR)
def outside_job_check(request, seeker_id: int, job_id: int, week: int):
    """Record the 13- or 26-week check of a job found elsewhere (the same service as a
    placement's check: ``check_record`` takes either spell)."""
    seeker = _seeker_for(request, seeker_id, f"checks of outside job {job_id}")
    job = seeker.outside_jobs.filter(pk=job_id).first()
    if job is None:
        raise Http404("No such job found elsewhere for this seeker.")
    checks = list(OutcomeCheck.objects.filter(outside_job=job))
    return _check_form(
        request,
        seeker=seeker,
        checks=checks,
        week=week,
        spell=f"{job.employer_name} (found elsewhere)",
    )


OUTSIDE_JOB_LABELS = {
    "employer_name": "the employer's name",
    "start_date": "the start date",
    "end_date": "the end date",
    "hours_per_week": "the hours a week",
    "evidence": "the evidence you saw",
}
# The API's date messages ("Enter the date as ...") do not say which date; these do.
OUTSIDE_JOB_FIXES = {
    "start_date": "Enter the start date as a real date: year, month, day, for example 2026-03-02.",
    "end_date": "Enter the end date as a real date: year, month, day, for example 2026-03-02.",
}


@for_roles(Role.MENTOR)
def outside_job(request, seeker_id: int):
    """Record a job the seeker found without JobMatch (as the API's outside-jobs endpoint)."""
    seeker = _seeker_for(request, seeker_id, "outside job form")
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {
            name: request.POST.get(name, "").strip()
            for name in ("employer_name", "start_date", "end_date", "hours_per_week", "evidence")
        }
        data = {k: v for k, v in values.items() if v}  # empty means not given
        validated, errors, _ = validate(
            OutsideJobInput, data, labels=OUTSIDE_JOB_LABELS, fixes=OUTSIDE_JOB_FIXES
        )
        if validated is not None:
            try:
                job = services.outside_job_record(
                    seeker=seeker, by=request.user, channel="web", **validated
                )
                messages.success(
                    request,
                    f"The job at {job.employer_name} is recorded, with its 13- and 26-week "
                    "checks. Any open placements are closed.",
                )
                return redirect(reverse("web-seeker", args=[seeker.pk]) + "#outside-jobs")
            except DomainError as error:
                errors = domain_errors(error)
                status = error.status
        if errors and status == 200:
            status = 400
    return render(
        request,
        "web/outside_job.html",
        {
            "seeker": seeker,
            "name": _name(seeker),
            "values": values,
            "errors": errors,
            "evidence": Evidence.choices,
        },
        status=status,
    )
