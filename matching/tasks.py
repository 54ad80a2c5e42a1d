"""Matching tasks: take ids, re-fetch, call one service. Safe to run twice (each replaces a set)."""

from celery import shared_task

from matching import services


@shared_task(acks_late=True)
def drain_recomputes() -> int | None:
    """Recompute every pending seeker and vacancy (the table ``PendingRecompute`` is the truth:
    this task carries no ids, so a lost message loses nothing; beat runs it as a sweep too)."""
    run = services.recomputes_drain()
    return None if run is None else run.pk


@shared_task(acks_late=True)
def recompute_all_matches() -> int:
    return services.matches_recompute_all().pk
