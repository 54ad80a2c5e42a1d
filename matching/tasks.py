"""Matching tasks: take ids, re-fetch, call one service. Safe to run twice (each replaces a set)."""

from celery import shared_task

from matching import services


@shared_task(acks_late=True)
def recompute_seeker_matches(seeker_id: int) -> None:
    services.matches_recompute_seeker(seeker_id=seeker_id)


@shared_task(acks_late=True)
def recompute_vacancy_matches(vacancy_id: int) -> None:
    services.matches_recompute_vacancy(vacancy_id=vacancy_id)


@shared_task(acks_late=True)
def recompute_all_matches() -> int:
    return services.matches_recompute_all().pk
