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


TRAVEL_CHOICES = [
    ("walk", "Walking"),
    ("cycle", "Cycling"),
    ("public_transport", "Bus or train"),
    ("car", "Car"),
]


def _profile_data(post) -> dict:
    """Turn the profile form's fields into the API serializer's input (one set of rules)."""
    data = {
        "postcode": post.get("postcode", ""),
        "skills": [s.strip() for s in post.get("skills", "").split(",") if s.strip()],
        "desired_titles": [
            t.strip() for t in post.get("desired_titles", "").split(",") if t.strip()
        ],
        "travel_modes": post.getlist("travel_modes"),
        "share_with_employers": post.get("share_with_employers") == "yes",
        "has_driving_licence": post.get("has_driving_licence") == "yes",
    }
    for name in ("max_travel_minutes", "hours_min", "hours_max"):
        data[name] = post.get(name, "")
    return data


@for_roles(Role.SEEKER)
def profile(request):
    """A seeker's profile, validated by the same serializer as ``seekers/me/``."""
    from api.seekers import SeekerProfileSerializer
    from seekers.services import seeker_profile_update

    seeker = _own_profile(request)
    errors, saved = {}, False
    if request.method == "POST":
        serializer = SeekerProfileSerializer(
            seeker, data=_profile_data(request.POST), partial=True, context={"request": request}
        )
        if serializer.is_valid():
            seeker = seeker_profile_update(
                seeker=seeker, by=request.user, data=serializer.validated_data, channel="web"
            )
            saved = True
        else:
            errors = {
                field: " ".join(str(m) for m in messages)
                if isinstance(messages, list)
                else str(messages)
                for field, messages in serializer.errors.items()
            }
    return render(
        request,
        "web/profile.html",
        {
            "seeker": seeker,
            "errors": errors,
            "saved": saved,
            "posted": request.POST,
            "travel_choices": TRAVEL_CHOICES,
            "skills_text": ", ".join(s["typed"] for s in seeker.skills),
            "titles_text": ", ".join(seeker.desired_titles),
        },
    )


@for_roles(Role.SEEKER)
def ask_introduction(request, vacancy_id: int):
    """Ask for an introduction from a match (POST only)."""
    from django.contrib import messages

    from jobmatch.errors import DomainError
    from placements.services import placement_request_introduction

    if request.method != "POST":
        return redirect("web-match", vacancy_id=vacancy_id)
    seeker = _own_profile(request)
    match = seeker_matches(seeker=seeker).filter(vacancy_id=vacancy_id).first()
    if match is None:
        raise Http404("This vacancy is not among your matches.")
    try:
        placement_request_introduction(seeker=seeker, vacancy=match.vacancy, by=request.user)
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

    rows = [
        {
            "placement": p,
            "history": [(e.at, State(e.to_state).label, e.reason) for e in p.history.all()],
        }
        for p in placement_list_for(user=request.user).prefetch_related("history")
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
                    seeker=SeekerProfile.objects.get(pk=seeker_id), vacancy=vacancy, by=request.user
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
    """The employer's placements, by reference until the introduction, with answers to give."""
    from placements.selectors import placement_list_for

    rows = []
    for p in placement_list_for(user=request.user).filter(
        state__in=["seeker_accepted", "interview", "offered", "start_pending", "in_work"]
    ):
        hidden = p.introduced_at is None
        rows.append(
            {
                "placement": p,
                "who": pseudonym(employer_id=p.vacancy.employer_id, seeker_id=p.seeker_id)
                if hidden
                else (p.seeker.user.get_full_name() or p.seeker.user.username),
            }
        )
    from placements.models import DeclineReason

    return render(request, "web/inbox.html", {"rows": rows, "reasons": DeclineReason.choices})


EMPLOYER_ACTIONS = {"interview", "offer", "reject", "confirm-start"}


@for_roles(Role.EMPLOYER)
def employer_answer(request, placement_id: int, action: str):
    """Answer a placement from the inbox (POST only): one service call per action."""
    from django.contrib import messages

    from jobmatch.errors import DomainError
    from placements import services
    from placements.selectors import placement_list_for

    placement = placement_list_for(user=request.user).filter(pk=placement_id).first()
    if placement is None or action not in EMPLOYER_ACTIONS:
        raise Http404("No such placement among yours.")
    if request.method == "POST":
        try:
            if action == "reject":
                services.placement_reject(
                    placement=placement,
                    by=request.user,
                    decline_reason=request.POST.get("reason", ""),
                    text=request.POST.get("text", ""),
                )
            else:
                service = {
                    "interview": services.placement_interview,
                    "offer": services.placement_offer,
                    "confirm-start": services.placement_confirm_start,
                }[action]
                service(placement=placement, by=request.user)
            messages.success(request, "Your answer is recorded.")
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("web-inbox")
