"""Placements (a match becoming a job), their transition history, outcome checks, jobs found
elsewhere, and in-app notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from employers.models import Vacancy
from seekers.models import SeekerProfile


class State(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    SEEKER_ACCEPTED = "seeker_accepted", "Introduction accepted"
    SEEKER_DECLINED = "seeker_declined", "Declined by the jobseeker"
    INTERVIEW = "interview", "Interview"
    OFFERED = "offered", "Offered"
    EMPLOYER_DECLINED = "employer_declined", "Declined by the employer"
    OFFER_DECLINED = "offer_declined", "Offer declined"
    START_PENDING = "start_pending", "Start to be confirmed"
    IN_WORK = "in_work", "In work"
    ENDED = "ended", "Ended"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLOSED_STARTED_ELSEWHERE = "closed_started_elsewhere", "Closed: started another job"
    CLOSED_VACANCY_FILLED = "closed_vacancy_filled", "Closed: vacancy filled"


# States before in_work that are still going somewhere: an "open application".
OPEN_STATES = (
    State.PROPOSED,
    State.SEEKER_ACCEPTED,
    State.INTERVIEW,
    State.OFFERED,
    State.START_PENDING,
)
TERMINAL_STATES = (
    State.SEEKER_DECLINED,
    State.EMPLOYER_DECLINED,
    State.OFFER_DECLINED,
    State.ENDED,
    State.WITHDRAWN,
    State.CLOSED_STARTED_ELSEWHERE,
    State.CLOSED_VACANCY_FILLED,
)


class DeclineReason(models.TextChoices):
    SKILLS = "skills", "Skills"
    EXPERIENCE = "experience", "Experience"
    AVAILABILITY = "availability", "Availability"
    POSITION_FILLED = "position_filled", "Position filled"
    NO_RESPONSE = "no_response", "No response from the candidate"
    OTHER = "other", "Other"


class Placement(models.Model):
    seeker = models.ForeignKey(SeekerProfile, on_delete=models.PROTECT, related_name="placements")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="placements")
    state = models.CharField(max_length=32, choices=State.choices)
    invited_by_employer = models.BooleanField(default=False)
    introduced_at = models.DateTimeField(
        null=True, blank=True, help_text="When the seeker accepted the introduction."
    )
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    decline_text = models.CharField(max_length=500, blank=True)
    start_date = models.DateField(null=True, blank=True)
    employer_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    employer_confirmed_at = models.DateTimeField(null=True, blank=True)
    mentor_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mentor_confirmed_at = models.DateTimeField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=State.values), name="placement_state_known"
            ),
            models.UniqueConstraint(
                fields=["seeker", "vacancy"],
                condition=Q(state__in=OPEN_STATES),
                name="placement_one_open_per_pair",
            ),
        ]
        indexes = [
            models.Index(fields=["vacancy", "state"]),
            models.Index(fields=["seeker", "state"]),
        ]

    def __str__(self) -> str:
        return (
            f"Placement {self.pk}: seeker {self.seeker_id}, vacancy {self.vacancy_id}, {self.state}"
        )


class PlacementEvent(models.Model):
    """One transition: who, when, from, to and why. Append-only (read-only in the admin)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="history")
    from_state = models.CharField(max_length=32, blank=True)
    to_state = models.CharField(max_length=32)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when the system made the change.",
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.placement_id}: {self.from_state or '(new)'} -> {self.to_state}"


class Evidence(models.TextChoices):
    SELF_REPORTED = "self_reported", "Reported by the jobseeker"
    MENTOR_VERIFIED = "mentor_verified", "Verified by the mentor"
    EMPLOYER_CONFIRMED = "employer_confirmed", "Confirmed by the employer"


class OutsideJob(models.Model):
    """A job found without JobMatch: a spell like a placement's in_work, with the same checks."""

    seeker = models.ForeignKey(SeekerProfile, on_delete=models.PROTECT, related_name="outside_jobs")
    employer_name = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    evidence = models.CharField(max_length=20, choices=Evidence.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0, hours_per_week__lte=80),
                name="outsidejob_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="outsidejob_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_name} from {self.start_date} (seeker {self.seeker_id})"


class CheckResult(models.TextChoices):
    IN_WORK = "in_work", "In work"
    NOT_IN_WORK = "not_in_work", "Not in work"
    UNKNOWN = "unknown", "Unknown"


class OutcomeCheck(models.Model):
    """A 13- or 26-week check on a spell (a placement in work, or an outside job)."""

    placement = models.ForeignKey(
        Placement, null=True, blank=True, on_delete=models.CASCADE, related_name="checks"
    )
    outside_job = models.ForeignKey(
        OutsideJob, null=True, blank=True, on_delete=models.CASCADE, related_name="checks"
    )
    week = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    result = models.CharField(max_length=12, choices=CheckResult.choices, blank=True)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    evidence = models.CharField(max_length=20, choices=Evidence.choices, blank=True)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(placement__isnull=False, outside_job__isnull=True)
                    | Q(placement__isnull=True, outside_job__isnull=False)
                ),
                name="check_one_spell",
            ),
            models.CheckConstraint(condition=Q(week__in=[13, 26]), name="check_week_13_or_26"),
            models.UniqueConstraint(
                fields=["placement", "week"], name="check_unique_placement_week"
            ),
            models.UniqueConstraint(
                fields=["outside_job", "week"], name="check_unique_outside_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week}-week check due {self.due_on}"


class Notification(models.Model):
    """A reminder or notice for one person. ``key`` makes reminders idempotent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=120)
    message = models.CharField(max_length=500)
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once")]

    def __str__(self) -> str:
        return f"{self.user}: {self.message[:40]}"
