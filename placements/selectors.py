"""Reads that encode who sees which placements, the engine's congestion inputs, and the mentor's
caseload."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from accounts.models import Role, User
from outcomes.rules import OVERDUE_AFTER_DAYS
from placements.models import (
    OPEN_STATES,
    Evidence,
    OutcomeCheck,
    OutsideJob,
    Placement,
    PlacementEvent,
    State,
)
from seekers.models import SeekerProfile

STUCK_DAYS = 28  # docs/rules/outcomes.md: a seeker is stuck after 28 days without progress
OVERDUE_UNKNOWN_DAYS = OVERDUE_AFTER_DAYS  # one definition, in the outcome rules
# An introduction answered within 10 days counts as answered; after 10 days without an answer
# the employer is reminded (docs/rules/placements.md).
ANSWER_DAYS = 10


def placement_list_for(*, user: User) -> QuerySet[Placement]:
    """Seekers see their own; employers their organisation's; mentors their caseload's; admins
    all; commissioners none."""
    rows = Placement.objects.select_related("seeker__user", "vacancy__employer")
    if user.is_staff:
        return rows
    if user.role == Role.SEEKER:
        return rows.filter(seeker__user=user)
    if user.role == Role.EMPLOYER:
        # A mentor's proposal is the seeker's to answer first: the employer sees a placement
        # once it is theirs (they invited the candidate) or the seeker accepted the introduction.
        return rows.filter(vacancy__employer__members__user=user).filter(
            Q(invited_by_employer=True) | Q(introduced_at__isnull=False)
        )
    if user.role == Role.MENTOR:
        return rows.filter(seeker__mentor=user)
    return rows.none()


def identity_hidden(placement: Placement, user: User) -> bool:
    """Employers know a seeker only by pseudonym until the introduction."""
    return employer_side(user) and placement.introduced_at is None


def employer_side(user: User) -> bool:
    """True for an employer's member (not an admin): they read placements through the employer
    allow-list, which withholds what the seeker's side wrote (docs/rules/visibility.md)."""
    return getattr(user, "role", None) == Role.EMPLOYER and not user.is_staff


def written_by_employer(author: User | None, placement: Placement) -> bool:
    """True when ``author`` is a member of the organisation that posted the placement's vacancy.
    Needs ``employer_membership`` prefetched on the author to avoid a query per row."""
    membership = getattr(author, "employer_membership", None) if author else None
    return membership is not None and membership.employer_id == placement.vacancy.employer_id


def history_for(*, placement: Placement, user: User) -> list[dict]:
    """A placement's history as this user may read it. Employers read the reasons their own
    organisation wrote; the seeker's and mentor's reasons (free text, perhaps about health) and
    the system's (which can name another employer) are withheld from them."""
    own_only = employer_side(user)
    return [
        {
            "from": e.from_state or None,
            "to": e.to_state,
            "at": e.at,
            "by": e.by,
            "reason": e.reason if not own_only or written_by_employer(e.by, placement) else "",
        }
        for e in placement.history.all()
    ]


def actor_shown(actor: User | None, *, placement: Placement, user: User) -> str | None:
    """Who made a change, as this user may read it: a username, or before the introduction for
    an employer, only which side acted: "employer", "jobseeker" for the seeker and their mentor
    alike (whether someone has a mentor is theirs to tell), or "JobMatch" for an admin."""
    if actor is None:
        return None
    if not identity_hidden(placement, user):
        return actor.username
    if written_by_employer(actor, placement):
        return "employer"
    return "JobMatch" if actor.is_staff else "jobseeker"


def end_reason_for(*, placement: Placement, user: User) -> str:
    """The reason a placement ended, as this user may read it: employers only when their own
    organisation ended it (a seeker's or mentor's reason can be about health)."""
    if not employer_side(user) or not placement.end_reason:
        return placement.end_reason
    ended = [e for e in placement.history.all() if e.to_state == State.ENDED]
    return placement.end_reason if ended and written_by_employer(ended[-1].by, placement) else ""


def check_confirmed_by_employer(check: OutcomeCheck, placement: Placement) -> bool:
    """True when the placement's employer vouched for this check: a member recorded it, or it
    was recorded with the employer's confirmation as its evidence."""
    return check.evidence == Evidence.EMPLOYER_CONFIRMED or written_by_employer(
        check.recorded_by, placement
    )


def checks_for_employer(*, placement: Placement) -> list[dict]:
    """A placement's 13- and 26-week checks as its employer reads them: never the mentor's note;
    the result, hours, evidence and when it was recorded only for checks the employer confirmed
    (otherwise None); for every check, when it is due."""
    rows = []
    for c in placement.checks.all():
        shown = check_confirmed_by_employer(c, placement)
        rows.append(
            {
                "id": c.pk,
                "week": c.week,
                "due_on": c.due_on,
                "result": c.result if shown else None,
                "hours_per_week": c.hours_per_week if shown else None,
                "evidence": c.evidence if shown else None,
                "recorded_at": c.recorded_at if shown else None,
            }
        )
    return rows


def applications_per_vacancy() -> dict[int, int]:
    """Open applications (placements before in_work, still going) per vacancy."""
    rows = (
        Placement.objects.filter(state__in=OPEN_STATES).values("vacancy_id").annotate(n=Count("id"))
    )
    return {row["vacancy_id"]: row["n"] for row in rows}


def answer_rate_per_employer(*, today: dt.date | None = None) -> dict[int, float]:
    """Share of introductions (``seeker_accepted``) each employer answered within 10 days, over
    introductions at least 10 days old or already answered."""
    today = today or timezone.localdate()
    answered = PlacementEvent.objects.filter(
        placement=OuterRef("pk"),
        from_state=State.SEEKER_ACCEPTED,
        at__lte=OuterRef("introduced_at") + dt.timedelta(days=ANSWER_DAYS),
    ).exclude(to_state=State.WITHDRAWN)
    rows = (
        Placement.objects.filter(introduced_at__isnull=False)
        .annotate(answered=Exists(answered))
        .filter(Q(answered=True) | Q(introduced_at__date__lte=today - dt.timedelta(ANSWER_DAYS)))
        .values("vacancy__employer_id")
        .annotate(total=Count("id"), yes=Count("id", filter=Q(answered=True)))
    )
    return {row["vacancy__employer_id"]: row["yes"] / row["total"] for row in rows if row["total"]}


def positions_filled_per_vacancy() -> dict[int, int]:
    rows = (
        Placement.objects.filter(state__in=[State.IN_WORK, State.ENDED])
        .values("vacancy_id")
        .annotate(n=Count("id"))
    )
    return {row["vacancy_id"]: row["n"] for row in rows}


def _count(rows: QuerySet) -> Coalesce:
    """A correlated COUNT(*) of ``rows`` (no join explosion across several relations)."""
    counted = rows.order_by().annotate(n=Func(F("id"), function="COUNT")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _latest(rows: QuerySet, field: str) -> Subquery:
    return Subquery(rows.order_by(f"-{field}").values(field)[:1])


class CaseloadStatus(TextChoices):
    STUCK = "stuck", "Stuck"
    IN_WORK = "in work", "In work"
    APPLYING = "applying", "Applying"
    LOOKING = "looking", "Looking"


def caseload_for(*, user: User, now: dt.datetime | None = None) -> QuerySet[SeekerProfile]:
    """The mentor's seekers (all for admins) with their status (``CaseloadStatus``), last
    progress, stuck, checks due this week and open placements; stuck first, then longest without
    progress.

    Progress is a placement transition, a profile change or a recorded check; a seeker in an
    open spell (a placement in work or an outside job without an end) is never stuck.
    """
    now = now or timezone.now()
    week_end = timezone.localdate(now) + dt.timedelta(days=7)
    me = OuterRef("pk")
    seekers = SeekerProfile.objects.select_related("user")
    if not user.is_staff:
        seekers = seekers.filter(mentor=user)
    checks = OutcomeCheck.objects.filter(Q(placement__seeker=me) | Q(outside_job__seeker=me))
    seekers = (
        seekers.annotate(
            last_event=_latest(PlacementEvent.objects.filter(placement__seeker=me), "at"),
            last_check=_latest(checks.filter(recorded_at__isnull=False), "recorded_at"),
            open_placements=_count(Placement.objects.filter(seeker=me, state__in=OPEN_STATES)),
            checks_due=_count(checks.filter(result="", due_on__lte=week_end)),
            working=Exists(Placement.objects.filter(seeker=me, state=State.IN_WORK))
            | Exists(OutsideJob.objects.filter(seeker=me, end_date__isnull=True)),
        )
        .annotate(
            last_progress=Greatest(
                "updated_at",
                Coalesce("last_event", "updated_at"),
                Coalesce("last_check", "updated_at"),
            ),
        )
        .annotate(
            stuck=Case(
                When(working=True, then=Value(False)),
                When(last_progress__lt=now - dt.timedelta(days=STUCK_DAYS), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .annotate(
            # The one caseload status, for the API and the page alike: stuck comes first (an
            # open placement that has not moved in 28 days is why someone is stuck).
            status=Case(
                When(stuck=True, then=Value(CaseloadStatus.STUCK)),
                When(working=True, then=Value(CaseloadStatus.IN_WORK)),
                When(open_placements__gt=0, then=Value(CaseloadStatus.APPLYING)),
                default=Value(CaseloadStatus.LOOKING),
                output_field=CharField(),
            ),
        )
    )
    return seekers.order_by("-stuck", "last_progress", "id")
