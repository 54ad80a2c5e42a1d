"""Placement tasks: reminders only (the services do the state changes)."""

from celery import shared_task
from django.utils import timezone

from placements.notifications import reminders_send


@shared_task(acks_late=True)
def send_reminders() -> int:
    """Send due and overdue check reminders and unanswered-introduction reminders (daily)."""
    return reminders_send(today=timezone.localdate())
