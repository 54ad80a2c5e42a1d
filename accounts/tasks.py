"""Account tasks. Tasks take ids, re-fetch, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core import management
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_welcome_email(user_id: int) -> bool:
    """Email a new account holder how to sign in. Return False if the account has gone."""
    from accounts.models import User

    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return False
    send_mail(
        subject="Your JobMatch account",
        message=(
            f"Hello {user.first_name or user.username},\n\n"
            f"An account has been made for you on JobMatch ({settings.COUNCIL_NAME}).\n"
            f"Your username is {user.username}. Sign in at /accounts/login/.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )
    return True


@shared_task
def clear_expired_sessions() -> None:
    """Delete expired sessions and API tokens (daily, from the beat schedule in settings)."""
    from django.utils import timezone
    from knox.models import AuthToken

    management.call_command("clearsessions")
    AuthToken.objects.filter(expiry__lt=timezone.now()).delete()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(subject: str, body: str, to: str) -> None:
    """Send one plain email (queued so a page answers without waiting for the mail server)."""
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[to])
