"""Employer organisations, their members, and vacancies."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Employer(models.Model):
    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EmployerMember(models.Model):
    """An employer account's organisation: a person belongs to exactly one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_membership"
    )
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="members")

    def __str__(self) -> str:
        return f"{self.user} at {self.employer}"


class ContractType(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    FIXED_TERM = "fixed_term", "Fixed term"
    TEMPORARY = "temporary", "Temporary"
    ZERO_HOURS = "zero_hours", "Zero hours"
    APPRENTICESHIP = "apprenticeship", "Apprenticeship"


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    FILLED = "filled", "Filled"


class Vacancy(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="vacancies")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=10_000, blank=True)
    # Skills as typed and normalised: [{"typed": str, "id": str | None, "label": str | None}].
    skills = models.JSONField(default=list, blank=True)
    essential_skills = models.JSONField(default=list, blank=True)
    postcode = models.CharField(max_length=8)
    easting = models.IntegerField()
    northing = models.IntegerField()
    remote = models.BooleanField(default=False)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    contract_type = models.CharField(max_length=16, choices=ContractType.choices)
    wage_per_hour = models.DecimalField(max_digits=6, decimal_places=2)
    positions = models.PositiveIntegerField(default=1)
    requires_driving_licence = models.BooleanField(default=False)
    closing_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=VacancyStatus.choices, default="draft")
    posted_on = models.DateField(help_text="Decides which minimum wage applies.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-posted_on", "id"]
        verbose_name_plural = "vacancies"
        indexes = [models.Index(fields=["status", "closing_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(positions__gte=1), name="vacancy_positions_min_1"),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0, hours_per_week__lte=48),
                name="vacancy_hours_in_0_48",
            ),
            models.CheckConstraint(
                condition=Q(contract_type__in=ContractType.values), name="vacancy_contract_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=VacancyStatus.values), name="vacancy_status_known"
            ),
            models.CheckConstraint(condition=Q(wage_per_hour__gt=0), name="vacancy_wage_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.employer})"
