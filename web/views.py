"""Server-rendered pages. Each view checks the role, fetches through the same selectors as the
API (so the same visibility applies: out of scope is a 404), and renders; no business rules."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.access_log import access_log_record
from accounts.models import Role
from employers.selectors import vacancy_list_for, vacancy_writable_for
from jobmatch.errors import DomainError
from matching.pseudonyms import pseudonym
from matching.selectors import (
    fit_for_employer,
    match_explain,
    matches_freshness,
    seeker_match,
    seeker_matches,
    vacancy_candidates,
)
from outcomes.selectors import outcomes_report
from placements.selectors import caseload_for
from seekers.models import SeekerProfile
from seekers.services import STAFF_ONLY_FIELDS
from web.decorators import for_roles

HOME_BY_ROLE = {
    Role.SEEKER: "web-matches",
    Role.MENTOR: "web-caseload",
    Role.EMPLOYER: "web-vacancies",
    Role.COMMISSIONER: "web-report",
}


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
    profile = _own_profile(request)
    page = Paginator(seeker_matches(seeker=profile), 20).get_page(request.GET.get("page"))
    freshness = matches_freshness(seeker=profile)
    return render(request, "web/matches.html", {"page": page, "freshness": freshness})


@for_roles(Role.SEEKER)
def match_detail(request, vacancy_id: int):
    profile = _own_profile(request)
    vacancy = vacancy_list_for(user=request.user).filter(pk=vacancy_id).first()
    if vacancy is None:
        raise Http404("No such open vacancy.")
    stored = seeker_match(seeker=profile, vacancy=vacancy)
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
    shown = request.GET.get("show", "")
    if shown == "stuck" or request.GET.get("stuck") == "1":
        shown, rows = "stuck", rows.filter(stuck=True)
    elif shown == "checks_due" or request.GET.get("checks_due") == "1":
        shown, rows = "checks_due", rows.filter(checks_due__gt=0)  # as the API's ?checks_due=1
    q = request.GET.get("q", "").strip()[:100]
    if q:
        from django.db.models import Q

        rows = rows.filter(
            Q(user__first_name__icontains=q)
            | Q(user__last_name__icontains=q)
            | Q(user__username__icontains=q)
            | Q(postcode__icontains=q)
        )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    access_log_record(
        actor=request.user,
        subject_ids=[s.user_id for s in page],
        action="read",
        channel="web",
        what="caseload",
    )
    filters = [("", "Everyone"), ("stuck", "Stuck"), ("checks_due", "Checks due this week")]
    return render(
        request,
        "web/caseload.html",
        {"page": page, "shown": shown, "filters": filters, "q": q, "q_url": quote(q)},
    )


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
            "score": fit_for_employer(r.score),
            "matched": r.skills_named("skills_matched"),
            "missing": r.skills_named("skills_missing_essential"),
            "hours": f"{r.seeker.hours_min} to {r.seeker.hours_max}",
        }
        for r in rows
    ]
    context = {"vacancy": vacancy, "rows": shown, "freshness": matches_freshness(vacancy=vacancy)}
    return render(request, "web/candidates.html", context)


@for_roles(Role.COMMISSIONER)
def report(request):
    grouping = request.GET.get("grouping", "quarter")
    if grouping not in ("month", "quarter", "year"):
        grouping = "quarter"
    from outcomes.chart import chart_data_table  # matplotlib loads with the report, not at start

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


TRAVEL_CHOICES = [
    ("walk", "Walking"),
    ("cycle", "Cycling"),
    ("public_transport", "Bus or train"),
    ("car", "Car"),
]


def _profile_data(post, *, with_them: bool = False) -> dict:
    """Turn the profile form's fields into the API serializer's input (one set of rules). On a
    mentor's or admin's page (``with_them``) also the fields only they may set, when filled in."""
    from web.forms import skill_items

    data = {
        "postcode": post.get("postcode", ""),
        "skills": skill_items(post, "skills"),
        "desired_titles": [
            t.strip() for t in post.get("desired_titles", "").split(",") if t.strip()
        ],
        "about": post.get("about", "").strip(),
        "travel_modes": post.getlist("travel_modes"),
        "share_with_employers": post.get("share_with_employers") == "yes",
        "has_driving_licence": post.get("has_driving_licence") == "yes",
    }
    for name in ("max_travel_minutes", "hours_min", "hours_max"):
        data[name] = post.get(name, "")
    if with_them:
        for name in sorted(STAFF_ONLY_FIELDS):
            if post.get(name, "").strip():
                data[name] = post[name].strip()
    return data


# The profile form's fields in page order, as its error messages name them.
PROFILE_LABELS = {
    "postcode": "the postcode",
    "skills": "the skills",
    "desired_titles": "the jobs looked for",
    "about": "the work done and wanted, in their own words",
    "travel_modes": "how they can travel",
    "max_travel_minutes": "the longest journey in minutes",
    "hours_min": "the fewest hours a week",
    "hours_max": "the most hours a week",
    "benefit_group": "the benefit group",
    "registered_on": "the registration date",
}


def profile_page(request, seeker: SeekerProfile):
    """A seeker's profile form, validated by the same serializer as ``seekers/me/`` and
    ``seekers/{id}/`` and saved by the same service: the seeker's own page, or their mentor's
    (or an admin's) page with them, which also sets the benefit group and registration date as
    the API lets a mentor. Precondition: the caller may edit this profile."""
    from matching.texts import skills_offered
    from seekers.models import BenefitGroup
    from seekers.serializers import SeekerProfileSerializer
    from seekers.services import seeker_profile_update
    from web.forms import domain_errors, validate

    with_them = seeker.user_id != request.user.pk
    errors = {}
    if request.method == "POST":
        validated, errors, _ = validate(
            SeekerProfileSerializer,
            _profile_data(request.POST, with_them=with_them),
            labels=PROFILE_LABELS,
            instance=seeker,
            partial=True,
            context={"request": request},
        )
        if validated is not None:
            try:
                seeker_profile_update(seeker=seeker, by=request.user, data=validated, channel="web")
            except DomainError as error:
                errors = domain_errors(error)
            else:
                return redirect(f"{request.path}?saved=1")  # a reload sends nothing again
    posted = request.POST if errors else None
    return render(
        request,
        "web/profile.html",
        {
            "seeker": seeker,
            "errors": errors,
            "saved": request.method == "GET" and request.GET.get("saved") == "1",
            "posted": posted,
            # after an error, what they ticked; else what is stored
            "ticked_modes": posted.getlist("travel_modes") if posted else seeker.travel_modes,
            "ticked_licence": posted.get("has_driving_licence") == "yes"
            if posted
            else seeker.has_driving_licence,
            "ticked_share": posted.get("share_with_employers") == "yes"
            if posted
            else seeker.share_with_employers,
            "travel_choices": TRAVEL_CHOICES,
            "skills_text": ", ".join(s["typed"] for s in seeker.skills),
            "offered": skills_offered(seeker.about, held=seeker.skills) if seeker.about else [],
            "titles_text": ", ".join(seeker.desired_titles),
            "with_them": with_them,
            "name": seeker.user.get_full_name() or seeker.user.username,
            "benefit_choices": BenefitGroup.choices,
        },
        status=400 if errors else 200,
    )


@for_roles(Role.SEEKER)
def profile(request):
    """The seeker's own profile (their mentor's page: ``mentor_views.seeker_profile``)."""
    return profile_page(request, _own_profile(request))


@for_roles(Role.SEEKER)
def ask_introduction(request, vacancy_id: int):
    """Ask for an introduction from a match (POST only)."""
    from django.contrib import messages

    from placements.services import placement_request_introduction

    if request.method != "POST":
        return redirect("web-match", vacancy_id=vacancy_id)
    seeker = _own_profile(request)
    match = seeker_matches(seeker=seeker).filter(vacancy_id=vacancy_id).first()  # (no rank used)
    if match is None:
        raise Http404("This vacancy is not among your matches.")
    try:
        placement_request_introduction(
            seeker=seeker, vacancy=match.vacancy, by=request.user, channel="web"
        )
        messages.success(
            request,
            "We have asked the employer to consider you. "
            "You will see their answer under My placements.",
        )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("web-match", vacancy_id=vacancy_id)


@for_roles(Role.SEEKER)
def my_placements(request):
    from placements.models import State
    from placements.selectors import placement_list_for
    from web.placement_views import action_links

    rows = [
        {
            "placement": p,
            "actions": action_links(p, request.user, back=request.path),
            "history": [(e.at, State(e.to_state).label, e.reason) for e in p.history.all()],
        }
        for p in placement_list_for(user=request.user)
        .filter(seeker=_own_profile(request))  # "my" placements: an admin has none here
        .prefetch_related("history")
    ]
    return render(request, "web/placements.html", {"rows": rows})


def privacy(request):
    return render(request, "web/privacy.html")


def accessibility(request):
    return render(request, "web/accessibility.html")


@for_roles(Role.EMPLOYER)
def invite(request, vacancy_id: int):
    """Invite a candidate, known by reference, to a vacancy (POST only)."""
    from django.contrib import messages

    from jobmatch.errors import DomainError
    from matching.pseudonyms import seeker_for_pseudonym
    from placements.services import placement_invite

    vacancy = vacancy_writable_for(user=request.user).filter(pk=vacancy_id).first()
    if vacancy is None:
        raise Http404("No such vacancy among yours.")
    if request.method == "POST":
        candidates = vacancy_candidates(vacancy=vacancy, user=request.user)
        seeker_id = seeker_for_pseudonym(
            employer_id=vacancy.employer_id,
            code=request.POST.get("pseudonym", ""),
            seeker_ids=candidates.values_list("seeker_id", flat=True),
        )
        if seeker_id is None:
            messages.error(request, "That reference is not one of this vacancy's candidates.")
        else:
            try:
                placement_invite(
                    seeker=SeekerProfile.objects.get(pk=seeker_id),
                    vacancy=vacancy,
                    by=request.user,
                    channel="web",
                )
                messages.success(
                    request,
                    "Invitation sent. You will see the candidate's name "
                    "if they accept the introduction.",
                )
            except DomainError as error:
                messages.error(request, error.message)
    return redirect("web-candidates", vacancy_id=vacancy_id)


@for_roles(Role.EMPLOYER)
def inbox(request):
    """The employer's placements: those waiting for an answer from them, those waiting for someone
    else, and the last 90 days' closed ones with their reasons. By reference until introduced."""
    import datetime as dt

    from placements.models import OPEN_STATES, State
    from placements.selectors import history_for, placement_list_for
    from web.placement_views import action_links, who_for

    def row(p):
        who, hidden = who_for(p, request.user)
        actions = action_links(p, request.user, back=request.path)
        return {"placement": p, "who": who, "hidden": hidden, "actions": actions}

    live = [*OPEN_STATES, State.IN_WORK]
    mine = placement_list_for(user=request.user).order_by("-updated_at", "-id")
    current = [row(p) for p in mine.filter(state__in=live)]
    waiting = [r for r in current if r["actions"] and r["placement"].state != State.IN_WORK]
    others = [r for r in current if r not in waiting]
    since = timezone.now() - dt.timedelta(days=90)
    closed = mine.exclude(state__in=live).filter(updated_at__gte=since)
    answered = [
        {
            **row(p),
            "last_reason": (
                [""]
                + [e["reason"] for e in history_for(placement=p, user=request.user) if e["reason"]]
            )[-1],
        }
        for p in closed.prefetch_related("history__by__employer_membership")[:50]
    ]
    identified = [r["placement"].seeker.user_id for r in current + answered if not r["hidden"]]
    access_log_record(
        actor=request.user, subject_ids=identified, action="read", channel="web", what="inbox"
    )
    return render(
        request, "web/inbox.html", {"waiting": waiting, "others": others, "answered": answered}
    )
