"""The user model. A person has one role; admins are Django staff and may have no role."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    SEEKER = "seeker", "Jobseeker"
    EMPLOYER = "employer", "Employer"
    MENTOR = "mentor", "Mentor"
    COMMISSIONER = "commissioner", "Commissioner"


class User(AbstractUser):
    role = models.CharField(
        max_length=16,
        choices=Role.choices,
        blank=True,
        help_text="What this person does in JobMatch. Only staff (admins) may have none.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values) | models.Q(role="", is_staff=True),
                name="user_role_known_or_staff",
                violation_error_message="Choose a role: only staff may have none.",
            )
        ]

    @property
    def role_name(self) -> str:
        """Return the role as the API shows it: ``admin`` for staff without a role."""
        return self.role or ("admin" if self.is_staff else "")

    def has_role(self, role: str) -> bool:
        return self.role == role
