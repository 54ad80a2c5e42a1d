"""The placement state machine (product.md's transition table), outcome checks and outside jobs.

Each transition is one function: it locks the placement, checks the state (an illegal move is a
409 naming what is allowed now) and who is asking (a 403), changes the row and appends the
history (who, when, from, to, reason). Admins may make any transition. The system's own moves
(closing other placements when someone starts, or when a vacancy fills) have ``by=None``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from employers.models import Vacancy, VacancyStatus
from employers.selectors import vacancy_open_q
from jobmatch.errors import Conflict, DomainError, NotAllowed
from matching.services import recompute_request
from placements.models import (
    OPEN_STATES,
    CheckResult,
    OutcomeCheck,
    OutsideJob,
    Placement,
    PlacementEvent,
    State,
)
from placements.outcomes import CHECK_WEEKS, checks_due
from seekers.models import SeekerProfile

# What may follow each state, and the action that does it (for 409 messages).
ACTIONS = {
    State.PROPOSED: ["accept", "decline", "withdraw"],
    State.SEEKER_ACCEPTED: ["interview", "offer", "reject", "withdraw"],
    State.INTERVIEW: ["offer", "reject", "withdraw"],
    State.OFFERED: ["accept-offer", "decline-offer", "withdraw"],
    State.START_PENDING: ["confirm-start", "withdraw"],
    State.IN_WORK: ["end"],
}


# Who may take each action (besides admins, who may take any).
ACTORS = {
    "accept": ("seeker", "mentor"),
    "decline": ("seeker", "mentor"),
    "accept-offer": ("seeker", "mentor"),
    "decline-offer": ("seeker", "mentor"),
    "withdraw": ("seeker", "mentor"),
    "interview": ("employer",),
    "offer": ("employer",),
    "reject": ("employer",),
    "confirm-start": ("employer", "mentor"),
    "end": ("employer", "seeker", "mentor"),
}


def may_take(placement: Placement, user: User, action: str) -> bool:
    """Whether this user is one of the parties who take ``action`` (whatever the state)."""
    sides = {
        "seeker": lambda: is_seeker(placement, user),
        "mentor": lambda: is_mentor(placement, user),
        "employer": lambda: is_employer(placement, user),
    }
    return user.is_staff or any(sides[who]() for who in ACTORS.get(action, ()))


def actions_for(placement: Placement, user: User) -> list[str]:
    """The actions allowed now that this user may take (for showing buttons; each service still
    checks). A side that has already confirmed a start is not offered it again."""
    allowed = []
    for action in ACTIONS.get(placement.state, []):
        if not may_take(placement, user, action):
            continue
        if action == "confirm-start" and not user.is_staff:
            side = "employer" if is_employer(placement, user) else "mentor"
            if getattr(placement, f"{side}_confirmed_at") is not None:
                continue
        allowed.append(action)
    return allowed


# --- who is asking --------------------------------------------------------------------------


def is_seeker(placement: Placement, user: User) -> bool:
    return placement.seeker.user_id == user.pk


def is_mentor(placement: Placement, user: User) -> bool:
    return user.role == Role.MENTOR and placement.seeker.mentor_id == user.pk


def is_employer(placement: Placement, user: User) -> bool:
    if user.role != Role.EMPLOYER:
        return False
    membership = getattr(user, "employer_membership", None)
    return membership is not None and membership.employer_id == placement.vacancy.employer_id


def _require(allowed: bool, by: User, who: str) -> None:
    if not (allowed or by.is_staff):
        raise NotAllowed(f"Only {who} can do this.")


# --- the mechanism ------------------------------------------------------------------------


def _locked(placement: Placement) -> Placement:
    return (
        Placement.objects.select_for_update()
        .select_related("seeker", "vacancy")
        .get(pk=placement.pk)
    )


def _illegal(placement: Placement, to: str) -> Conflict:
    allowed = ACTIONS.get(placement.state, [])
    return Conflict(
        f"This placement is {placement.get_state_display().lower()}; it cannot move to "
        f"{State(to).label.lower()} now. "
        + (f"Allowed now: {', '.join(allowed)}." if allowed else "It is closed."),
        allowed=allowed,
    )


def _move(
    placement: Placement,
    *,
    to: str,
    by: User | None,
    reason: str = "",
    from_states,
    fields: tuple[str, ...] = (),
) -> Placement:
    """Move a locked placement to ``to`` if it is in one of ``from_states``; log it."""
    if placement.state not in from_states:
        raise _illegal(placement, to)
    previous = placement.state
    placement.state = to
    if to == State.SEEKER_ACCEPTED and placement.introduced_at is None:
        placement.introduced_at = timezone.now()
        fields = (*fields, "introduced_at")
    placement.save(update_fields=["state", "updated_at", *fields])
    PlacementEvent.objects.create(
        placement=placement, from_state=previous, to_state=to, by=by, reason=reason[:500]
    )
    return placement


def _notify_change(placement: Placement) -> None:
    from placements.notifications import placement_changed

    transaction.on_commit(lambda: placement_changed(placement_id=placement.pk))


# --- creation -------------------------------------------------------------------------------


def _open_placement_exists(seeker: SeekerProfile, vacancy: Vacancy) -> bool:
    return Placement.objects.filter(seeker=seeker, vacancy=vacancy, state__in=OPEN_STATES).exists()


def _require_match(seeker: SeekerProfile, vacancy: Vacancy) -> None:
    """A placement starts from a match: a stored one, or one by today's rows."""
    from matching.selectors import is_a_match

    if not is_a_match(seeker=seeker, vacancy=vacancy):
        raise Conflict(
            "This vacancy is not a match for this jobseeker, so no placement can start from it; "
            "their matches page says why."
        )


def _create(seeker, vacancy, *, state, by, invited=False, reason="") -> Placement:
    if not Vacancy.objects.filter(vacancy_open_q(), pk=vacancy.pk).exists():
        raise Conflict(
            "This vacancy is not open (it is closed, filled or past its closing date), so no "
            "placement can start from it."
        )
    if _open_placement_exists(seeker, vacancy):
        raise Conflict("There is already an open placement for this seeker and vacancy.")
    placement = Placement.objects.create(
        seeker=seeker,
        vacancy=vacancy,
        state=state,
        invited_by_employer=invited,
        introduced_at=timezone.now() if state == State.SEEKER_ACCEPTED else None,
    )
    PlacementEvent.objects.create(
        placement=placement, from_state="", to_state=state, by=by, reason=reason[:500]
    )
    _notify_change(placement)
    return placement


@transaction.atomic
def placement_propose(*, seeker: SeekerProfile, vacancy: Vacancy, by: User) -> Placement:
    """A mentor proposes a placement from a match (new -> proposed)."""
    _require(by.role == Role.MENTOR and seeker.mentor_id == by.pk, by, "the seeker's mentor")
    _require_match(seeker, vacancy)
    return _create(seeker, vacancy, state=State.PROPOSED, by=by)


@transaction.atomic
def placement_invite(*, seeker: SeekerProfile, vacancy: Vacancy, by: User) -> Placement:
    """An employer invites a candidate, known by pseudonym (new -> proposed)."""
    membership = getattr(by, "employer_membership", None)
    _require(
        by.role == Role.EMPLOYER
        and membership is not None
        and membership.employer_id == vacancy.employer_id,
        by,
        "the vacancy's employer",
    )
    if not seeker.share_with_employers:
        raise NotAllowed("This jobseeker has not agreed to be shown to employers.")
    _require_match(seeker, vacancy)
    return _create(seeker, vacancy, state=State.PROPOSED, by=by, invited=True)


@transaction.atomic
def placement_request_introduction(
    *, seeker: SeekerProfile, vacancy: Vacancy, by: User
) -> Placement:
    """A seeker asks for an introduction from a match (new -> seeker_accepted)."""
    _require(seeker.user_id == by.pk, by, "the seeker")
    _require_match(seeker, vacancy)
    return _create(seeker, vacancy, state=State.SEEKER_ACCEPTED, by=by)


# --- the seeker's side ----------------------------------------------------------------------


@transaction.atomic
def placement_accept(*, placement: Placement, by: User) -> Placement:
    """The seeker (or their mentor) accepts a proposed placement: the introduction."""
    placement = _locked(placement)
    _require(is_seeker(placement, by) or is_mentor(placement, by), by, "the seeker or their mentor")
    _move(placement, to=State.SEEKER_ACCEPTED, by=by, from_states=[State.PROPOSED])
    _notify_change(placement)
    return placement


@transaction.atomic
def placement_decline(*, placement: Placement, by: User, reason: str = "") -> Placement:
    placement = _locked(placement)
    _require(is_seeker(placement, by) or is_mentor(placement, by), by, "the seeker or their mentor")
    return _move(
        placement, to=State.SEEKER_DECLINED, by=by, reason=reason, from_states=[State.PROPOSED]
    )


@transaction.atomic
def placement_accept_offer(*, placement: Placement, by: User, start_date: dt.date) -> Placement:
    """The seeker (or mentor) accepts the offer with a start date (offered -> start_pending)."""
    placement = _locked(placement)
    _require(is_seeker(placement, by) or is_mentor(placement, by), by, "the seeker or their mentor")
    placement.start_date = start_date
    _move(
        placement,
        to=State.START_PENDING,
        by=by,
        reason=f"start {start_date:%Y-%m-%d}",
        from_states=[State.OFFERED],
        fields=("start_date",),
    )
    _notify_change(placement)
    return placement


@transaction.atomic
def placement_decline_offer(*, placement: Placement, by: User, reason: str = "") -> Placement:
    placement = _locked(placement)
    _require(is_seeker(placement, by) or is_mentor(placement, by), by, "the seeker or their mentor")
    return _move(
        placement, to=State.OFFER_DECLINED, by=by, reason=reason, from_states=[State.OFFERED]
    )


@transaction.atomic
def placement_withdraw(*, placement: Placement, by: User, reason: str = "") -> Placement:
    placement = _locked(placement)
    _require(is_seeker(placement, by) or is_mentor(placement, by), by, "the seeker or their mentor")
    return _move(placement, to=State.WITHDRAWN, by=by, reason=reason, from_states=OPEN_STATES)


# --- the employer's side --------------------------------------------------------------------


@transaction.atomic
def placement_interview(*, placement: Placement, by: User, reason: str = "") -> Placement:
    placement = _locked(placement)
    _require(is_employer(placement, by), by, "the employer")
    _move(placement, to=State.INTERVIEW, by=by, reason=reason, from_states=[State.SEEKER_ACCEPTED])
    _notify_change(placement)
    return placement


@transaction.atomic
def placement_offer(*, placement: Placement, by: User, reason: str = "") -> Placement:
    placement = _locked(placement)
    _require(is_employer(placement, by), by, "the employer")
    _move(
        placement,
        to=State.OFFERED,
        by=by,
        reason=reason,
        from_states=[State.SEEKER_ACCEPTED, State.INTERVIEW],
    )
    _notify_change(placement)
    return placement


@transaction.atomic
def placement_reject(
    *, placement: Placement, by: User, decline_reason: str, text: str = ""
) -> Placement:
    """The employer declines, with one of the reasons (``other`` needs text)."""
    placement = _locked(placement)
    _require(is_employer(placement, by), by, "the employer")
    if decline_reason == "other" and not text.strip():
        raise DomainError("Say why in a few words when the reason is 'other'.", code="invalid")
    placement.decline_reason, placement.decline_text = decline_reason, text
    _move(
        placement,
        to=State.EMPLOYER_DECLINED,
        by=by,
        reason=text or decline_reason,
        from_states=[State.SEEKER_ACCEPTED, State.INTERVIEW],
        fields=("decline_reason", "decline_text"),
    )
    _notify_change(placement)
    return placement


# --- the start: two confirmations ----------------------------------------------------------


@transaction.atomic
def placement_confirm_start(*, placement: Placement, by: User) -> Placement:
    """Record the employer's or the mentor's confirmation of a start (an admin's where the seeker
    has no mentor). The second makes the placement ``in_work``: the 13- and 26-week checks are
    created, the seeker's other open placements close, and a vacancy whose positions are all
    filled closes with its open placements. Confirming twice is harmless."""
    placement = _locked(placement)
    side = _confirming_side(placement, by)
    if placement.state == State.IN_WORK:
        return placement  # already started: a repeated confirmation changes nothing
    if placement.state != State.START_PENDING:
        raise _illegal(placement, State.IN_WORK)
    now = timezone.now()
    if getattr(placement, f"{side}_confirmed_at") is None:
        setattr(placement, f"{side}_confirmed_at", now)
        setattr(placement, f"{side}_confirmed_by", by)
        placement.save(update_fields=[f"{side}_confirmed_at", f"{side}_confirmed_by", "updated_at"])
    if placement.employer_confirmed_at and placement.mentor_confirmed_at:
        _start(placement, by=by)
    return placement


def _confirming_side(placement: Placement, by: User) -> str:
    if is_employer(placement, by):
        return "employer"
    if is_mentor(placement, by):
        return "mentor"
    if by.is_staff:
        # An admin stands in for a missing mentor, else for the employer.
        if placement.seeker.mentor_id is None or placement.mentor_confirmed_at is None:
            return "mentor"
        return "employer"
    raise NotAllowed("Only the employer and the seeker's mentor (or an admin) confirm a start.")


def _start(placement: Placement, *, by: User) -> None:
    _move(
        placement,
        to=State.IN_WORK,
        by=by,
        from_states=[State.START_PENDING],
        reason="start confirmed by employer and mentor",
    )
    _checks_create(placement=placement, start=placement.start_date)
    others = (
        Placement.objects.select_for_update()
        .filter(seeker=placement.seeker, state__in=OPEN_STATES)
        .exclude(pk=placement.pk)
    )
    for other in others:
        _move(
            other,
            to=State.CLOSED_STARTED_ELSEWHERE,
            by=None,
            from_states=OPEN_STATES,
            reason=f"started work through placement {placement.pk}",
        )
    _vacancy_fill_if_full(vacancy_id=placement.vacancy_id)
    _notify_change(placement)


def _vacancy_fill_if_full(*, vacancy_id: int) -> None:
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy_id)
    started = Placement.objects.filter(
        vacancy=vacancy, state__in=[State.IN_WORK, State.ENDED]
    ).count()
    if started < vacancy.positions or vacancy.status == VacancyStatus.FILLED:
        return
    vacancy.status = VacancyStatus.FILLED
    vacancy.save(update_fields=["status", "updated_at"])
    for other in Placement.objects.select_for_update().filter(
        vacancy=vacancy, state__in=OPEN_STATES
    ):
        _move(
            other,
            to=State.CLOSED_VACANCY_FILLED,
            by=None,
            from_states=OPEN_STATES,
            reason="all positions filled",
        )
    recompute_request(vacancy_ids=[vacancy.pk])


@transaction.atomic
def placement_end(*, placement: Placement, by: User, end_date: dt.date, reason: str) -> Placement:
    """The job ended (in_work -> ended) on a date, for a reason."""
    placement = _locked(placement)
    _require(
        is_employer(placement, by) or is_seeker(placement, by) or is_mentor(placement, by),
        by,
        "the employer, the seeker or their mentor",
    )
    if placement.start_date and end_date < placement.start_date:
        raise DomainError(f"The end date is before the start ({placement.start_date}).")
    placement.end_date, placement.end_reason = end_date, reason
    return _move(
        placement,
        to=State.ENDED,
        by=by,
        reason=reason,
        from_states=[State.IN_WORK],
        fields=("end_date", "end_reason"),
    )


# --- checks and outside jobs ----------------------------------------------------------------


def _checks_create(
    *, start: dt.date, placement: Placement | None = None, outside_job: OutsideJob | None = None
) -> list[OutcomeCheck]:
    return OutcomeCheck.objects.bulk_create(
        OutcomeCheck(
            placement=placement,
            outside_job=outside_job,
            week=week,
            due_on=due,
        )
        for week, due in zip(CHECK_WEEKS, checks_due(start), strict=True)
    )


def can_record_checks(*, seeker: SeekerProfile, by: User) -> bool:
    """Mentors record checks for their caseload; admins for anyone (they must for a seeker
    without a mentor)."""
    return by.is_staff or (by.role == Role.MENTOR and seeker.mentor_id == by.pk)


@transaction.atomic
def check_record(
    *,
    check: OutcomeCheck,
    by: User,
    result: str,
    evidence: str,
    hours_per_week=None,
    note: str = "",
) -> OutcomeCheck:
    """Record a 13- or 26-week check with the evidence seen. Re-recording corrects it."""
    check = (
        OutcomeCheck.objects.select_for_update(of=("self",))
        .select_related("placement__seeker", "outside_job__seeker")
        .get(pk=check.pk)
    )
    seeker = check.placement.seeker if check.placement else check.outside_job.seeker
    if not can_record_checks(seeker=seeker, by=by):
        raise NotAllowed("Only the seeker's mentor (or an admin) records checks.")
    if result == CheckResult.IN_WORK and not hours_per_week:
        raise DomainError("Give the hours a week the person works when they are in work.")
    check.result, check.evidence, check.hours_per_week, check.note = (
        result,
        evidence,
        hours_per_week,
        note,
    )
    check.recorded_by, check.recorded_at = by, timezone.now()
    check.save()
    return check


@transaction.atomic
def outside_job_record(
    *,
    seeker: SeekerProfile,
    by: User,
    employer_name: str,
    start_date: dt.date,
    hours_per_week,
    evidence: str,
    end_date: dt.date | None = None,
) -> OutsideJob:
    """Record a job found without JobMatch; it gets the same 13- and 26-week checks."""
    if not can_record_checks(seeker=seeker, by=by):
        raise NotAllowed("Only the seeker's mentor (or an admin) records a job found elsewhere.")
    job = OutsideJob.objects.create(
        seeker=seeker,
        employer_name=employer_name,
        start_date=start_date,
        end_date=end_date,
        hours_per_week=hours_per_week,
        evidence=evidence,
        recorded_by=by,
    )
    _checks_create(outside_job=job, start=start_date)
    for other in Placement.objects.select_for_update().filter(seeker=seeker, state__in=OPEN_STATES):
        _move(
            other,
            to=State.CLOSED_STARTED_ELSEWHERE,
            by=None,
            from_states=OPEN_STATES,
            reason=f"started work elsewhere ({employer_name})",
        )
    return job
