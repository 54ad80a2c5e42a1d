"""In-app notices and emailed reminders. Reminders are idempotent: each has a key, and a person
gets a given reminder once."""

from __future__ import annotations

import datetime as dt

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from employers.models import EmployerMember
from placements.models import Notification, OutcomeCheck, Placement, State
from placements.selectors import ANSWER_DAYS, OVERDUE_UNKNOWN_DAYS
from placements.workflow import EMPLOYER, EVERYONE, MENTOR, SEEKER


def notify(*, user: User, key: str, message: str, link: str = "", email: bool = False) -> bool:
    """Create a notice for ``user`` unless one with ``key`` exists; email it if asked.
    Return whether it was new."""
    try:
        with transaction.atomic():
            Notification.objects.create(
                user=user, key=key[:120], message=message[:500], link=link[:200]
            )
    except IntegrityError:
        return False
    if email and user.email:
        send_mail(
            subject=f"JobMatch: {message[:60]}",
            message=message + "\n",
            from_email=None,
            recipient_list=[user.email],
        )
    return True


def _employer_users(vacancy) -> list[User]:
    return [
        m.user
        for m in EmployerMember.objects.filter(employer_id=vacancy.employer_id).select_related(
            "user"
        )
    ]


def placement_changed(*, placement_id: int, parties: tuple[str, ...] = EVERYONE) -> None:
    """Tell these of the people on a placement that it moved: the seeker, their mentor, the
    employer's members (the employer only once they may see it)."""
    placement = (
        Placement.objects.select_related("seeker__user", "seeker__mentor", "vacancy")
        .filter(pk=placement_id)
        .first()
    )
    if placement is None:
        return
    state = placement.get_state_display().lower()
    title = placement.vacancy.title
    key = f"placement:{placement.pk}:{placement.state}"
    link = f"/api/v1/placements/{placement.pk}/"
    if SEEKER in parties:
        notify(
            user=placement.seeker.user,
            key=key,
            link=link,
            message=f"Your placement for {title} is now: {state}.",
        )
    if MENTOR in parties and placement.seeker.mentor:
        notify(
            user=placement.seeker.mentor,
            key=key,
            link=link,
            message=f"{placement.seeker.user.username}'s placement for {title} is now: {state}.",
        )
    if EMPLOYER in parties and (placement.state != State.PROPOSED or placement.invited_by_employer):
        for user in _employer_users(placement.vacancy):
            notify(
                user=user,
                key=key,
                link=link,
                message=f"A placement for your vacancy {title} is now: {state}.",
            )


def reminders_send(*, today: dt.date) -> int:
    """Send the day's reminders: checks due within a week or overdue (to the mentor, or the
    admins where the seeker has no mentor) and introductions unanswered for 10 days (to the
    employer). Return how many were new."""
    sent = 0
    week_ahead = today + dt.timedelta(days=7)
    # Past 28 days overdue a check counts as unknown (docs/rules/outcomes.md): reminders stop.
    give_up = today - dt.timedelta(days=OVERDUE_UNKNOWN_DAYS)
    checks = OutcomeCheck.objects.filter(
        result="", due_on__lte=week_ahead, due_on__gte=give_up
    ).select_related(
        "placement__seeker__user",
        "placement__seeker__mentor",
        "outside_job__seeker__user",
        "outside_job__seeker__mentor",
    )
    admins = list(User.objects.filter(is_staff=True, is_active=True))
    for check in checks:
        seeker = check.placement.seeker if check.placement else check.outside_job.seeker
        overdue = check.due_on < today
        message = (
            f"The {check.week}-week check for {seeker.user.username} "
            f"{'was' if overdue else 'is'} due on {check.due_on:%-d %B %Y}."
        )
        for user in [seeker.mentor] if seeker.mentor else admins:
            sent += notify(
                user=user,
                key=f"check:{check.pk}:{'overdue' if overdue else 'due'}",
                message=message,
                email=True,
            )
    waiting = Placement.objects.filter(
        state=State.SEEKER_ACCEPTED, introduced_at__date__lte=today - dt.timedelta(ANSWER_DAYS)
    ).select_related("vacancy")
    for placement in waiting:
        for user in _employer_users(placement.vacancy):
            sent += notify(
                user=user,
                key=f"answer:{placement.pk}",
                email=True,
                link=f"/api/v1/placements/{placement.pk}/",
                message=f"A candidate for {placement.vacancy.title} has waited "
                f"{ANSWER_DAYS} days for an answer.",
            )
    return sent


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark ``user``'s unread notices as read: all of them, or only those in ``ids`` (others'
    notices are never touched). Return how many changed."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())
