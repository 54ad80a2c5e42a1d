"""One page per placement action (accept, decline, offer, confirm a start, ...), for every role that
may take it. GET shows what will happen and asks for what the action needs; POST validates with the
action's input serializer from the workflow table and calls the one transition service. The
placement comes from the same selector as the API, so one outside the caller's scope is a 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from accounts.models import Role
from jobmatch.errors import DomainError
from matching.pseudonyms import pseudonym
from placements import services, workflow
from placements.access import access_placement
from placements.models import DeclineReason, Placement
from placements.selectors import identity_hidden
from web.decorators import for_roles
from web.forms import domain_errors, safe_next, validate


@dataclass(frozen=True)
class Page:
    """How a workflow action reads on its page (what it does is the table's)."""

    title: str
    button: str
    done: str
    warning: bool = False
    reason_label: str = ""  # a free-text reason field, when the action takes one


PAGES = {
    "accept": Page(
        "Accept the introduction",
        "Yes, introduce me",
        "The employer can now see the name and contact details, and will answer.",
    ),
    "decline": Page(
        "Say no to this placement",
        "Say no",
        "You have said no. The employer is not told who you are.",
        warning=True,
        reason_label="Why not? (optional, helps your mentor)",
    ),
    "accept-offer": Page(
        "Accept the job offer",
        "Accept the offer",
        "The offer is accepted. The start is confirmed once the employer and mentor agree it.",
    ),
    "decline-offer": Page(
        "Turn down the job offer",
        "Turn down the offer",
        "The offer is turned down.",
        warning=True,
        reason_label="Why? (optional)",
    ),
    "withdraw": Page(
        "Withdraw from this placement",
        "Withdraw",
        "The placement is withdrawn.",
        warning=True,
        reason_label="Why? (optional)",
    ),
    "interview": Page(
        "Invite to an interview",
        "Invite to interview",
        "The interview invitation is recorded and the candidate is told.",
        reason_label="When and where (optional)",
    ),
    "offer": Page(
        "Offer the job",
        "Offer the job",
        "The offer is recorded and the candidate is told.",
        reason_label="Anything the candidate should know (optional)",
    ),
    "reject": Page(
        "Decline this candidate",
        "Decline",
        "Your answer and its reason are recorded.",
        warning=True,
    ),
    "confirm-start": Page(
        "Confirm the start",
        "Confirm they started",
        "Your confirmation is recorded. The job counts as started once both the employer and "
        "the mentor have confirmed.",
    ),
    "end": Page(
        "Record that the job ended",
        "Record the end",
        "The end of the job is recorded.",
        warning=True,
        reason_label="Why did it end?",
    ),
}


def who_for(placement: Placement, user) -> tuple[str, bool]:
    """The seeker as this caller may know them, and whether that is a reference: employers see a
    reference until the introduction."""
    if identity_hidden(placement, user):
        code = pseudonym(employer_id=placement.vacancy.employer_id, seeker_id=placement.seeker_id)
        return f"Candidate {code}", True
    seeker_user = placement.seeker.user
    return seeker_user.get_full_name() or seeker_user.username, False


def _back(request) -> str:
    from django.urls import reverse

    user = request.user
    if user.role == Role.SEEKER:
        default = reverse("web-placements")
    elif user.role == Role.EMPLOYER:
        default = reverse("web-inbox")
    else:
        default = reverse("web-caseload")
    return safe_next(request, default)


def _form_data(post) -> dict:
    """The posted fields an action's serializer reads; an empty date is a missing one."""
    data = {name: post[name] for name in ("reason", "text") if name in post}
    data.update({name: post[name] for name in ("start_date", "end_date") if post.get(name)})
    return data


@for_roles(Role.SEEKER, Role.EMPLOYER, Role.MENTOR)
def act(request, placement_id: int, action: str):
    page, spec = PAGES.get(action), workflow.ACTIONS.get(action)
    if page is None or spec is None:
        raise Http404(f"There is no placement action {action!r}.")
    placement = access_placement(
        user=request.user, pk=placement_id, channel="web", what=f"placement {placement_id}"
    )
    if not services.may_take(placement, request.user, action):
        raise PermissionDenied(f"Only {spec.parties} can {page.title.lower()}.")
    who, _ = who_for(placement, request.user)
    errors, status, values = {}, 200, {}
    if request.method == "POST":
        values = _form_data(request.POST)
        given = {}
        if spec.input is not None:
            validated, errors, _ = validate(spec.input, values)
            given = dict(validated or {})
        if not errors:
            try:
                services.placement_act(
                    placement=placement, action=action, by=request.user, channel="web", **given
                )
                messages.success(request, page.done)
                return redirect(_back(request))
            except DomainError as error:
                errors = domain_errors(error)
                status = error.status
        else:
            status = 400
    return render(
        request,
        "web/placement_action.html",
        {
            "placement": placement,
            "who": who,
            "action": action,
            "spec": page,
            "allowed": action in services.actions_for(placement, request.user),
            "errors": errors,
            "values": values,
            "reasons": DeclineReason.choices,
            "next": safe_next(request, ""),
        },
        status=status,
    )


def action_links(placement: Placement, user, *, back: str = "") -> list[dict]:
    """The buttons to show for a placement: the actions this user may take now, each a link to
    its page (with ``next`` to come back to)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    query = f"?{urlencode({'next': back})}" if back else ""
    return [
        {
            "url": reverse("web-placement-action", args=[placement.pk, action]) + query,
            "label": PAGES[action].button,
            "warning": PAGES[action].warning,
        }
        for action in services.actions_for(placement, user)
    ]
