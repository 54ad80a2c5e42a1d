"""Placements: starting one from a match, moving it through the workflow, outcome checks and jobs
found elsewhere.

The moves are those of the table in ``placements/workflow.py`` (in words in
``docs/rules/placements.md``); ``placement_act`` takes any of them. Admins may take any action a
party may take. The system's own moves (closing other placements when someone starts, or when a
vacancy fills) have ``by=None``. Every change by someone other than the seeker is written to the
seeker's access log, with the channel it came through.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.access_log import access_log_change
from accounts.models import Role, User
from employers.models import Vacancy, VacancyStatus
from employers.selectors import vacancy_open_q
from jobmatch.errors import Conflict, DomainError, Invalid, NotAllowed
from matching.services import recompute_request
from outcomes.rules import CHECK_WEEKS, checks_due
from placements import workflow
from placements.models import (
    OPEN_STATES,
    CheckResult,
    OutcomeCheck,
    OutsideJob,
    Placement,
    PlacementEvent,
    State,
)
from seekers.models import SeekerProfile


def may_take(placement: Placement, user: User, action: str) -> bool:
    """Whether this user is one of the parties who take ``action`` (whatever the state)."""
    sides = {
        workflow.SEEKER: lambda: is_seeker(placement, user),
        workflow.MENTOR: lambda: is_mentor(placement, user),
        workflow.EMPLOYER: lambda: is_employer(placement, user),
    }
    spec = workflow.ACTIONS.get(action)
    if spec is None:
        return False
    return user.is_staff or any(sides[who]() for who in spec.actors)


def actions_for(placement: Placement, user: User) -> list[str]:
    """The actions this user may take now (the API's ``allowed_actions`` and the pages' buttons;
    the transition checks again). A side that has already confirmed a start is not offered it
    again."""
    allowed = []
    for action in workflow.actions_from(placement.state):
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


def _illegal(placement: Placement, to: str, by: User | None = None) -> Conflict:
    """A 409 for a move the state does not allow, saying what the caller may do now (or whom the
    placement waits for)."""
    allowed = actions_for(placement, by) if by is not None else []
    waiting = workflow.waiting_for(placement.state)
    if allowed:
        now = f"You may now: {', '.join(allowed)}."
    elif waiting:
        now = f"It is waiting for {waiting}."
    else:
        now = "It is closed."
    return Conflict(
        f"This placement is {placement.get_state_display().lower()}; it cannot move to "
        f"{State(to).label.lower()} now. {now}",
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


def _notify_change(placement: Placement, parties: tuple[str, ...] = workflow.EVERYONE) -> None:
    from placements.notifications import placement_changed

    transaction.on_commit(lambda: placement_changed(placement_id=placement.pk, parties=parties))


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


def _create(seeker, vacancy, *, state, by, channel, invited=False) -> Placement:
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
    PlacementEvent.objects.create(placement=placement, from_state="", to_state=state, by=by)
    _notify_change(placement)
    access_log_change(
        actor=by,
        subject_id=seeker.user_id,
        channel=channel,
        what=f"placement {placement.pk}: {'invite' if invited else 'propose'}",
    )
    return placement


@transaction.atomic
def placement_propose(
    *, seeker: SeekerProfile, vacancy: Vacancy, by: User, channel: str
) -> Placement:
    """A mentor proposes a placement from a match (new -> proposed)."""
    _require(by.role == Role.MENTOR and seeker.mentor_id == by.pk, by, "the seeker's mentor")
    _require_match(seeker, vacancy)
    return _create(seeker, vacancy, state=workflow.STARTS["propose"].target, by=by, channel=channel)


@transaction.atomic
def placement_invite(
    *, seeker: SeekerProfile, vacancy: Vacancy, by: User, channel: str
) -> Placement:
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
    return _create(
        seeker,
        vacancy,
        state=workflow.STARTS["invite"].target,
        by=by,
        channel=channel,
        invited=True,
    )


@transaction.atomic
def placement_request_introduction(
    *, seeker: SeekerProfile, vacancy: Vacancy, by: User, channel: str
) -> Placement:
    """A seeker asks for an introduction from a match (new -> seeker_accepted)."""
    _require(seeker.user_id == by.pk, by, "the seeker")
    _require_match(seeker, vacancy)
    return _create(
        seeker,
        vacancy,
        state=workflow.STARTS["request-introduction"].target,
        by=by,
        channel=channel,
    )


# --- the one transition ----------------------------------------------------------------------


def _given_reason(placement: Placement, *, reason: str = "") -> tuple[tuple[str, ...], str]:
    return (), reason


def _given_start(placement: Placement, *, start_date: dt.date) -> tuple[tuple[str, ...], str]:
    placement.start_date = start_date
    return ("start_date",), f"start {start_date:%Y-%m-%d}"


def _given_rejection(
    placement: Placement, *, reason: str, text: str = ""
) -> tuple[tuple[str, ...], str]:
    """The employer declines with one of the reasons (``other`` needs text)."""
    if reason == "other" and not text.strip():
        raise Invalid("text", "Say why in a few words when the reason is 'other'.")
    placement.decline_reason, placement.decline_text = reason, text
    return ("decline_reason", "decline_text"), text or reason


def _given_end(placement: Placement, *, end_date: dt.date, reason: str) -> tuple[tuple, str]:
    if placement.start_date and end_date < placement.start_date:
        raise Invalid("end_date", f"The end date is before the start ({placement.start_date}).")
    placement.end_date, placement.end_reason = end_date, reason
    return ("end_date", "end_reason"), reason


# What each action does to the row besides its move (by the shape of what it is given).
_GIVEN = {
    workflow.ReasonInput: _given_reason,
    workflow.RejectInput: _given_rejection,
    workflow.AcceptOfferInput: _given_start,
    workflow.EndInput: _given_end,
}


@transaction.atomic
def placement_act(
    *, placement: Placement, action: str, by: User, channel: str, **given
) -> Placement:
    """Take one action of the workflow table on a placement: lock it, check who is asking (a 403
    naming who may) and its state (a 409 naming what the caller may do now), record what the
    action is given, move it, append the history, tell the people on it and log the change in
    the seeker's access log. ``given`` is what the action's input serializer validated."""
    spec = workflow.ACTIONS.get(action)
    if spec is None:
        raise DomainError(
            f"There is no placement action {action!r}; the actions are "
            + ", ".join(workflow.ACTIONS)
            + ".",
            code="invalid",
        )
    placement = _locked(placement)
    if not may_take(placement, by, action):
        raise NotAllowed(f"Only {spec.parties} can do this.")
    if action == "confirm-start":
        _confirm_start(placement, by=by)
    else:
        if placement.state not in spec.sources:
            raise _illegal(placement, spec.target, by)
        effect = _GIVEN.get(spec.input, _given_reason)
        fields, reason = effect(placement, **given)
        _move(
            placement, to=spec.target, by=by, reason=reason, from_states=spec.sources, fields=fields
        )
    if spec.notifies:
        _notify_change(placement, spec.notifies)
    access_log_change(
        actor=by,
        subject_id=placement.seeker.user_id,
        channel=channel,
        what=f"placement {placement.pk}: {action}",
    )
    return placement


# --- the start: two confirmations ----------------------------------------------------------


def _confirm_start(placement: Placement, *, by: User) -> None:
    """Record the employer's or the mentor's confirmation of a start (an admin's where the seeker
    has no mentor). The second makes the placement ``in_work``: the 13- and 26-week checks are
    created, the seeker's other open placements close, and a vacancy whose positions are all
    filled closes with its open placements. Confirming twice is harmless."""
    side = _confirming_side(placement, by)
    if placement.state == State.IN_WORK:
        return  # already started: a repeated confirmation changes nothing
    if placement.state != State.START_PENDING:
        raise _illegal(placement, State.IN_WORK, by)
    now = timezone.now()
    if getattr(placement, f"{side}_confirmed_at") is None:
        setattr(placement, f"{side}_confirmed_at", now)
        setattr(placement, f"{side}_confirmed_by", by)
        placement.save(update_fields=[f"{side}_confirmed_at", f"{side}_confirmed_by", "updated_at"])
    if placement.employer_confirmed_at and placement.mentor_confirmed_at:
        _start(placement, by=by)


def _confirming_side(placement: Placement, by: User) -> str:
    if is_employer(placement, by):
        return "employer"
    if is_mentor(placement, by):
        return "mentor"
    # An admin stands in for a missing mentor, else for the employer.
    if placement.seeker.mentor_id is None or placement.mentor_confirmed_at is None:
        return "mentor"
    return "employer"


def _close(placement: Placement, move: str, reason: str) -> None:
    spec = workflow.SYSTEM_MOVES[move]
    _move(placement, to=spec.target, by=None, from_states=spec.sources, reason=reason)


def _start(placement: Placement, *, by: User) -> None:
    spec = workflow.ACTIONS["confirm-start"]
    _move(
        placement,
        to=spec.target,
        by=by,
        from_states=spec.sources,
        reason="start confirmed by employer and mentor",
    )
    _checks_create(placement=placement, start=placement.start_date)
    others = (
        Placement.objects.select_for_update()
        .filter(seeker=placement.seeker, state__in=OPEN_STATES)
        .exclude(pk=placement.pk)
    )
    for other in others:
        _close(other, "close-started-elsewhere", f"started work through placement {placement.pk}")
    _vacancy_fill_if_full(vacancy_id=placement.vacancy_id)


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
        _close(other, "close-vacancy-filled", "all positions filled")
    recompute_request(vacancy_ids=[vacancy.pk])


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
    channel: str,
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
        raise Invalid(
            "hours_per_week", "Give the hours a week the person works when they are in work."
        )
    check.result, check.evidence, check.hours_per_week, check.note = (
        result,
        evidence,
        hours_per_week,
        note,
    )
    check.recorded_by, check.recorded_at = by, timezone.now()
    check.save()
    job = (
        f"placement {check.placement_id}"
        if check.placement_id
        else f"outside job {check.outside_job_id}"
    )
    access_log_change(
        actor=by,
        subject_id=seeker.user_id,
        channel=channel,
        what=f"{check.week}-week check of {job}",
    )
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
    channel: str,
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
        _close(other, "close-started-elsewhere", f"started work elsewhere ({employer_name})")
    access_log_change(actor=by, subject_id=seeker.user_id, channel=channel, what="outside job")
    return job
