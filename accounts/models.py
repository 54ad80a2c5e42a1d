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

    def save(self, *args, **kwargs):
        """Save; when the password has just been changed (``set_password``), end every API token
        too, wherever the change came from (the pages, a reset, the admin, a command). Sessions
        end by Django's own rule: their stored hash of the password no longer matches."""
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            from knox.models import AuthToken

            AuthToken.objects.filter(user=self).delete()

    @property
    def role_name(self) -> str:
        """Return the role as the API shows it: ``admin`` for staff without a role."""
        return self.role or ("admin" if self.is_staff else "")


class AccessLogEntry(models.Model):
    """A read or change of a seeker's record by a person other than the seeker. Append-only."""

    class Action(models.TextChoices):
        READ = "read", "Read"
        CHANGE = "change", "Change"

    class Channel(models.TextChoices):
        API = "api", "API"
        WEB = "web", "Web page"
        ADMIN = "admin", "Admin"
        COMMAND = "command", "Management command"

    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_log")
    action = models.CharField(max_length=8, choices=Action.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    what = models.CharField(max_length=200, help_text="The record or fields read or changed.")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "access log entries"
        indexes = [models.Index(fields=["subject", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.subject} ({self.what})"
