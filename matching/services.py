"""Recompute matches: a full run (nightly, and ``manage.py recompute_matches``) or an incremental
run after one seeker or one vacancy changed. Each converts rows to engine inputs once, calls the
engine, and replaces the affected rows in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone

from employers.models import Vacancy, VacancyStatus
from matching import adapter
from matching.bulk import insert_rows
from matching.engine.core import MatchResult, match_all, seekers_within_reach
from matching.engine.metrics import exposure_report
from matching.engine.model import Congestion
from matching.engine.skillspace import SkillSpace
from matching.models import Candidate, MatchRun, SeekerMatch
from matching.selectors import congestion_inputs, incremental_basis
from seekers.models import SeekerProfile


def _matchable_vacancies() -> list[Vacancy]:
    return list(Vacancy.objects.filter(status=VacancyStatus.OPEN).order_by("id"))


def _filled() -> dict[int, int]:
    from placements.selectors import positions_filled_per_vacancy

    return positions_filled_per_vacancy()


def _run(
    profiles: Sequence[SeekerProfile],
    vacancies: Sequence[Vacancy],
    *,
    today: dt.date,
    congestion: Congestion,
    skill_space: SkillSpace | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> MatchResult:
    filled = _filled()
    title_rows, owner = adapter.seeker_occupations(profiles)
    return match_all(
        [adapter.seeker_input(p) for p in profiles],
        [adapter.vacancy_input(v, positions_filled=filled.get(v.pk, 0)) for v in vacancies],
        today=today,
        seeker_occupations=title_rows,
        occupation_owner=owner,
        vacancy_occupations=adapter.vacancy_occupations(vacancies),
        congestion=congestion,
        labels=adapter.skill_labels([*profiles, *vacancies]),
        skill_space=skill_space,
        progress=progress,
    )


SEEKER_COLUMNS = (
    "seeker_id",
    "vacancy_id",
    "score",
    "adjusted",
    "rank",
    "fit_rank",
    "crowded",
    "reasons",
    "engine_version",
    "computed_at",
)
CANDIDATE_COLUMNS = ("vacancy_id", "seeker_id", "score", "reasons", "engine_version", "computed_at")


def _seeker_rows(result: MatchResult, reasons: dict, now):
    version = result.engine_version
    for seeker_id, vacancy_id, fit, adjusted, rank, fit_rank, crowded in result.matches.rows():
        yield (
            seeker_id,
            vacancy_id,
            min(1.0, max(0.0, fit)),
            adjusted,
            rank,
            fit_rank,
            crowded,
            reasons[(seeker_id, vacancy_id)],
            version,
            now,
        )


def _candidate_rows(result: MatchResult, reasons: dict, now, *, only_vacancy=None):
    version = result.engine_version
    for vacancy_id, seeker_id, fit, _rank in result.candidates.rows():
        if only_vacancy is None or vacancy_id == only_vacancy:
            yield (
                vacancy_id,
                seeker_id,
                min(1.0, max(0.0, fit)),
                reasons[(seeker_id, vacancy_id)],
                version,
                now,
            )


def _write(result: MatchResult, reasons: dict, now, *, only_vacancy=None) -> None:
    insert_rows(SeekerMatch, SEEKER_COLUMNS, _seeker_rows(result, reasons, now))
    insert_rows(
        Candidate,
        CANDIDATE_COLUMNS,
        _candidate_rows(result, reasons, now, only_vacancy=only_vacancy),
    )


def _record(kind: str, result: MatchResult, started, *, exposure=None, **extra) -> MatchRun:
    stats = {k: v for k, v in result.stats.items() if isinstance(v, int | float)}
    if exposure is not None:
        stats["exposure"] = exposure
    return MatchRun.objects.create(
        kind=kind,
        engine_version=result.engine_version,
        started_at=started,
        finished_at=timezone.now(),
        stats=stats,
        **extra,
    )


def matches_recompute_all(
    *, today: dt.date | None = None, progress: Callable[[int, int], None] | None = None
) -> MatchRun:
    """Recompute every seeker's matches and every vacancy's candidates; replace all rows."""
    started = timezone.now()
    today = today or timezone.localdate()
    profiles = list(SeekerProfile.objects.filter(user__is_active=True).order_by("id"))
    result = _run(
        profiles,
        _matchable_vacancies(),
        today=today,
        congestion=congestion_inputs(),
        progress=progress,
    )
    reasons = result.all_reasons()
    now = timezone.now()
    with transaction.atomic():
        SeekerMatch.objects.all().delete()
        Candidate.objects.all().delete()
        _write(result, reasons, now)
        return _record(
            MatchRun.Kind.FULL,
            result,
            started,
            skill_idf=result.index.context.skill_space.to_dict(),
            exposure=exposure_report(result),
            allocated={str(k): v for k, v in result.allocated.items()},
            demand={str(k): v for k, v in result.demand.items()},
        )


def matches_recompute_seeker(*, seeker_id: int, today: dt.date | None = None) -> MatchRun | None:
    """Recompute one seeker's matches, and their place in vacancies' candidate lists."""
    started = timezone.now()
    today = today or timezone.localdate()
    profile = SeekerProfile.objects.filter(pk=seeker_id).first()
    if profile is None:
        return None
    space, congestion = incremental_basis()
    result = _run(
        [profile], _matchable_vacancies(), today=today, congestion=congestion, skill_space=space
    )
    reasons = result.all_reasons()
    now = timezone.now()
    with transaction.atomic():
        SeekerMatch.objects.filter(seeker_id=seeker_id).delete()
        Candidate.objects.filter(seeker_id=seeker_id).delete()
        _write(result, reasons, now)
        return _record(MatchRun.Kind.SEEKER, result, started)


def matches_recompute_vacancy(*, vacancy_id: int, today: dt.date | None = None) -> MatchRun | None:
    """Recompute one vacancy's candidates and the matches of every seeker within its reach."""
    started = timezone.now()
    today = today or timezone.localdate()
    vacancy = Vacancy.objects.filter(pk=vacancy_id).first()
    if vacancy is None:
        return None
    profiles = list(SeekerProfile.objects.filter(user__is_active=True).order_by("id"))
    reach = set(
        seekers_within_reach(
            [adapter.seeker_input(p) for p in profiles], adapter.vacancy_input(vacancy)
        )
    )
    affected = [p for p in profiles if p.pk in reach]
    space, congestion = incremental_basis()
    result = _run(
        affected, _matchable_vacancies(), today=today, congestion=congestion, skill_space=space
    )
    reasons = result.all_reasons()
    now = timezone.now()
    with transaction.atomic():
        SeekerMatch.objects.filter(seeker_id__in=reach).delete()
        Candidate.objects.filter(vacancy_id=vacancy_id).delete()
        _write(result, reasons, now, only_vacancy=vacancy_id)
        return _record(MatchRun.Kind.VACANCY, result, started)
