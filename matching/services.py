"""Recompute matches: a full run (nightly, and ``manage.py recompute_matches``) that freezes the
corpus statistics, or an incremental run (the queue's drain) for the seekers and vacancies that
changed, with those statistics. Each converts rows to engine inputs once, calls the engine, and
writes only the rows that changed, a chunk of seekers per short transaction
(``docs/recomputes.md``)."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from employers.models import Vacancy, VacancyStatus
from jobmatch.queue import enqueue
from matching.bulk import delete_rows, delete_rows_except, insert_rows, select_rows
from matching.models import Candidate, MatchRun, PendingRecompute, SeekerMatch
from matching.rowreasons import RowReasons
from matching.selectors import congestion_inputs, incremental_basis
from seekers.models import SeekerProfile

if TYPE_CHECKING:  # the engine (numba, scikit-learn) loads where a recompute runs, not at start
    from matching.engine import Congestion, MatchResult, SkillSpace


# Active seekers and open vacancies as the engine reads them, kept per process and refreshed by
# ``updated_at`` (every change goes through ``seekers.services`` or ``employers.services``, which
# stamp it): a recompute then converts only the rows that changed, not the whole town.
_SEEKERS: dict[int, tuple] = {}
_VACANCIES: dict[int, tuple] = {}


def _refreshed(cache: dict, rows: QuerySet, convert: Callable | None = None) -> list[int]:
    """Bring ``cache`` ({pk: (stamp, row, converted)}) up to date with ``rows``, loading only
    those whose ``updated_at`` moved; return their keys in order. The stamp is read as text: a
    town's stamps are read on every recompute, and parsing each as a datetime cost more than
    the rest of a small one."""
    stamp = Cast("updated_at", output_field=CharField())
    stamps = dict(rows.annotate(stamp=stamp).values_list("pk", "stamp"))
    stale = [pk for pk, at in stamps.items() if cache.get(pk, (None,))[0] != at]
    for part in _chunks(stale, 2000):
        for row in rows.model.objects.filter(pk__in=part).annotate(stamp=stamp):
            cache[row.pk] = (row.stamp, row, convert(row) if convert else None)
    return sorted(stamps)


def _active_seekers(ids: Iterable[int] | None = None) -> tuple[list[SeekerProfile], dict]:
    """Return active profiles by id (all, or these) and their engine inputs by id."""
    from matching import adapter

    rows = SeekerProfile.objects.filter(user__is_active=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    ordered = _refreshed(_SEEKERS, rows, adapter.seeker_input)
    if ids is None:
        for gone in set(_SEEKERS) - set(ordered):
            del _SEEKERS[gone]
    return [_SEEKERS[pk][1] for pk in ordered], {pk: _SEEKERS[pk][2] for pk in ordered}


def _matchable_vacancies() -> list[Vacancy]:
    ordered = _refreshed(_VACANCIES, Vacancy.objects.filter(status=VacancyStatus.OPEN))
    for gone in set(_VACANCIES) - set(ordered):
        del _VACANCIES[gone]
    return [_VACANCIES[pk][1] for pk in ordered]


def _filled() -> dict[int, int]:
    from placements.selectors import positions_filled_per_vacancy

    return positions_filled_per_vacancy()


class Phases:
    """Wall time of a recompute's phases (load, engine, reasons, write), kept in its run's stats
    so ``recompute_matches --report`` and the admin can say where the time goes."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._began = self._last = time.perf_counter()

    def mark(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[f"{name}_s"] = self.seconds.get(f"{name}_s", 0.0) + round(now - self._last, 4)
        self._last = now

    def split(self, phase: str, part: str, seconds: float) -> None:
        """Move ``seconds`` of ``phase`` into its own ``part`` (reasons are built while writing)."""
        self.seconds[f"{phase}_s"] = round(self.seconds.get(f"{phase}_s", 0.0) - seconds, 4)
        self.seconds[f"{part}_s"] = round(seconds, 4)

    def total(self) -> dict[str, float]:
        return {**self.seconds, "end_to_end_s": round(time.perf_counter() - self._began, 4)}


def _run(
    profiles: Sequence[SeekerProfile],
    vacancies: Sequence[Vacancy],
    *,
    today: dt.date,
    congestion: Congestion,
    phases: Phases,
    skill_space: SkillSpace | None = None,
    progress: Callable[[int, int], None] | None = None,
    converted: dict | None = None,
) -> MatchResult:
    from matching import adapter
    from matching.engine import match_all, weights

    filled = _filled()
    title_rows, owner = adapter.seeker_occupations(profiles, compute=True)
    converted = converted or {}
    inputs = dict(
        seekers=[converted.get(p.pk) or adapter.seeker_input(p) for p in profiles],
        vacancies=[
            adapter.vacancy_input(v, positions_filled=filled.get(v.pk, 0)) for v in vacancies
        ],
        seeker_occupations=title_rows,
        occupation_owner=owner,
        vacancy_occupations=adapter.vacancy_occupations(vacancies, compute=True),
        labels=adapter.skill_labels([*profiles, *vacancies]),
    )
    phases.mark("load")
    result = match_all(
        today=today,
        congestion=congestion,
        skill_space=skill_space,
        progress=progress,
        k=weights.DEFAULT_K,  # read when called: a test shortens the lists
        **inputs,
    )
    phases.mark("engine")
    return result


SEEKER_COLUMNS = (
    "seeker_id",
    "vacancy_id",
    "score",
    "adjusted",
    "crowded",
    "reasons",
    "engine_version",
    "computed_at",
)
CANDIDATE_COLUMNS = ("vacancy_id", "seeker_id", "score", "reasons", "engine_version", "computed_at")
CHUNK = 250  # seekers whose rows are brought up to date in one short write transaction
SAME = 1e-9  # scores closer than this are unchanged (a fit summed in another order differs in
# its last bits): the row is kept, not rewritten


def _chunks(ids: Sequence[int], size: int | None = None):
    size = size or CHUNK
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _changed(old: tuple, new: tuple) -> bool:
    """Compare stored (score, adjusted, crowded, version) with computed ones."""
    return (
        old[-1] != new[-1]
        or old[2] != new[2]
        or abs(old[0] - new[0]) > SAME
        or abs(old[1] - new[1]) > SAME
    )


def _computed(result: MatchResult, seeker_ids: Sequence[int]) -> tuple[dict, dict]:
    """Return what ``result`` says for these seekers, each side as {seeker id: {vacancy id:
    (score, adjusted, crowded, version)}} (candidates carry no adjusted score or crowding)."""
    import numpy as np

    version = result.engine_version
    wanted = np.asarray(list(seeker_ids), dtype=np.int64)
    m, c = result.matches, result.candidates
    matches: dict[int, dict[int, tuple]] = {}
    mine = np.isin(m.seeker_id, wanted)
    for s, v, fit, adjusted, crowded in zip(
        m.seeker_id[mine].tolist(),
        m.vacancy_id[mine].tolist(),
        np.clip(m.fit[mine], 0.0, 1.0).tolist(),
        m.adjusted[mine].tolist(),
        m.crowded[mine].tolist(),
        strict=True,
    ):
        matches.setdefault(s, {})[v] = (fit, adjusted, crowded, version)
    candidates: dict[int, dict[int, tuple]] = {}
    mine = np.isin(c.seeker_id, wanted)
    for v, s, fit in zip(
        c.vacancy_id[mine].tolist(),
        c.seeker_id[mine].tolist(),
        np.clip(c.fit[mine], 0.0, 1.0).tolist(),
        strict=True,
    ):
        candidates.setdefault(s, {})[v] = (fit, 0.0, False, version)
    return matches, candidates


def _sync_chunk(
    model, new: dict, chunk: Sequence[int], *, forced, reasons, now, counts, scope=None
) -> None:
    """Within the caller's transaction: delete this chunk's stored rows of ``model`` that are
    gone, changed or forced (``forced(s, v)``), insert the computed rows not kept. With
    ``scope``, only pairs for which ``scope(s, v)`` holds are looked at."""
    is_match = model is SeekerMatch
    fields = ("pk", "seeker_id", "vacancy_id", "score")
    fields += ("adjusted", "crowded") if is_match else ()
    drop, keep = [], set()
    # Plain SQL with the ids as one parameter: this read is most of a small recompute.
    stored = select_rows(model, (*fields, "engine_version"), "seeker_id", chunk)
    for pk, s, v, *values in stored:
        if scope is not None and not scope(s, v):
            continue
        old = tuple(values) if is_match else (values[0], 0.0, False, values[1])
        mine = new.get(s, {}).get(v)
        if mine is None or forced(s, v) or _changed(old, mine):
            drop.append(pk)
        else:
            keep.add((s, v))
    delete_rows(model, drop)

    def rows():
        for s in chunk:
            for v, (score, adjusted, crowded, version) in new.get(s, {}).items():
                if (s, v) in keep or (scope is not None and not scope(s, v)):
                    continue
                if is_match:
                    yield (s, v, score, adjusted, crowded, reasons(s, v), version, now)
                else:
                    yield (v, s, score, reasons(s, v, places=False), version, now)

    columns = SEEKER_COLUMNS if is_match else CANDIDATE_COLUMNS
    counts["rows_written"] += insert_rows(model, columns, rows())
    counts["rows_deleted"] += len(drop)
    counts["rows_kept"] += len(keep)


def _rows_to_write(result: MatchResult) -> int:
    """Roughly how many rows a full sync of ``result`` will write: its rows less those stored
    (stored rows mostly stay as they are)."""
    computed = len(result.matches.seeker_id) + len(result.candidates.seeker_id)
    return computed - SeekerMatch.objects.count() - Candidate.objects.count()


def _sync_rows(
    result: MatchResult,
    now,
    seeker_ids: Sequence[int],
    *,
    force_seekers: Iterable[int] = (),
    force_vacancies: Iterable[int] = (),
    lists: tuple[MatchResult | None, set[int], Sequence[int]] | None = None,
) -> dict[str, float]:
    """Bring the stored matches of ``seeker_ids``, and their place in candidate lists, in line
    with ``result``, a chunk of seekers per transaction (SQLite has one writer: no write holds it
    long). Only rows that changed are rewritten, with reasons built for those alone; every row of
    a forced seeker or vacancy is rewritten (its own text may have changed). Return counts.

    ``lists`` = (result, vacancy ids, seeker ids): for a run on some seekers only, whose
    candidate lists are not whole, the candidate lists to rebuild instead, from a result that
    holds them whole (None: they are empty), and the seekers on them before or after."""
    force_s, force_v = set(force_seekers), set(force_vacancies)

    def forced(s: int, v: int) -> bool:
        return s in force_s or v in force_v

    counts = {"rows_written": 0, "rows_deleted": 0, "rows_kept": 0}
    match_reasons = RowReasons(result)
    matches, candidates = _computed(result, seeker_ids)
    scope, list_reasons, match_ids, list_ids = None, match_reasons, set(seeker_ids), set(seeker_ids)
    if lists is not None:
        listed_result, vacancy_ids, list_ids = lists[0], lists[1], set(lists[2])
        candidates = _computed(listed_result, list_ids)[1] if listed_result is not None else {}
        list_reasons = RowReasons(listed_result) if listed_result is not None else match_reasons

        def scope(s: int, v: int) -> bool:
            return v in vacancy_ids

    chunks = list(_chunks(sorted(match_ids | list_ids)))
    if lists is None:
        match_reasons.build_ahead(chunks, rows=_rows_to_write(result))
    try:
        for chunk in chunks:
            with transaction.atomic():
                # One sync of a seeker's rows at a time (a drain and a full run can overlap):
                # lock their profiles, in id order so two syncs never wait on each other in a
                # circle. (SQLite takes its one write lock at BEGIN already.)
                list(
                    SeekerProfile.objects.select_for_update()
                    .filter(pk__in=chunk)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
                common = dict(forced=forced, now=now, counts=counts)
                mine = [s for s in chunk if s in match_ids]
                if mine:
                    _sync_chunk(SeekerMatch, matches, mine, reasons=match_reasons, **common)
                mine = [s for s in chunk if s in list_ids]
                if mine:
                    _sync_chunk(
                        Candidate, candidates, mine, reasons=list_reasons, scope=scope, **common
                    )
            match_reasons.forget()
            if list_reasons is not match_reasons:
                list_reasons.forget()
    finally:
        match_reasons.close()
    counts["reasons_from_child"] = match_reasons.from_child
    counts["reasons_s"] = match_reasons.seconds + (
        list_reasons.seconds if list_reasons is not match_reasons else 0.0
    )
    return counts


def _record(
    kind: str, result: MatchResult, started, *, exposure=None, counts=None, **extra
) -> MatchRun:
    stats = {k: v for k, v in result.stats.items() if isinstance(v, int | float)}
    stats.update(counts or {})
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


def _full_basis(result: MatchResult) -> dict:
    from matching.engine import exposure_report

    congestion = result.index.congestion
    return dict(
        skill_idf=result.index.context.skill_space.to_dict(),
        exposure=exposure_report(result),
        congestion_basis={
            "vacancies": {str(k): b.to_list() for k, b in (result.basis or {}).items()},
            "answer_rate": {str(k): v for k, v in congestion.answer_rate.items()},
            "applications": {str(k): v for k, v in congestion.applications.items()},
        },
    )


def _read_texts(profiles: Sequence[SeekerProfile], vacancies: Sequence[Vacancy], phases) -> None:
    """Read the skills named in these vacancies' descriptions and these seekers' own words, once
    per text, to offer them to the people who wrote them (``matching.texts.text_skills``)."""
    from matching.texts import text_skills, vacancy_text

    texts = [vacancy_text(v) for v in vacancies if (v.description or "").strip()]
    texts += [p.about for p in profiles if (p.about or "").strip()]
    text_skills(texts, compute=True)
    phases.mark("texts")


def matches_recompute_all(
    *, today: dt.date | None = None, progress: Callable[[int, int], None] | None = None
) -> MatchRun:
    """Recompute every seeker's matches and every vacancy's candidates; replace all rows, a chunk
    of seekers at a time. Pending recomputes requested before the run started are done by it."""
    started = timezone.now()
    phases = Phases()
    today = today or timezone.localdate()
    profiles, converted = _active_seekers()
    vacancies = _matchable_vacancies()
    phases.mark("load")
    _read_texts(profiles, vacancies, phases)
    result = _run(
        profiles,
        vacancies,
        today=today,
        congestion=congestion_inputs(),
        phases=phases,
        progress=progress,
        converted=converted,
    )
    now = timezone.now()
    ids = [p.pk for p in profiles]
    counts = _sync_rows(result, now, ids)
    with transaction.atomic():
        # Rows of seekers no longer active, and of vacancies no longer matchable.
        delete_rows_except(SeekerMatch, "seeker_id", ids)
        delete_rows_except(Candidate, "seeker_id", ids)
        delete_rows_except(Candidate, "vacancy_id", [v.id for v in result.index.vacancies])
        PendingRecompute.objects.filter(changed_at__lte=started, claimed_at__isnull=True).delete()
    # Whatever changed while this run went on may have been written over with what it read
    # before: queue it again.
    recompute_request(
        seeker_ids=SeekerProfile.objects.filter(updated_at__gt=started).values_list(
            "pk", flat=True
        ),
        vacancy_ids=Vacancy.objects.filter(updated_at__gt=started).values_list("pk", flat=True),
    )
    phases.mark("write")
    phases.split("write", "reasons", counts.pop("reasons_s"))
    basis = _full_basis(result)
    counts.update(phases.total())
    return _record(MatchRun.Kind.FULL, result, started, counts=counts, **basis)


def _matchers(profiles, converted, vacancies, *, today, congestion, space, phases):
    """Run the engine for ``vacancies`` alone over every seeker: it finds those for whom one is
    a match at all, and each one's candidate list, exactly as a full run with these statistics
    would give it (a pair's fit depends on the pair alone). Cheap: the engine's own reach test
    drops the far pairs before scoring."""
    return _run(
        profiles,
        vacancies,
        today=today,
        congestion=congestion,
        phases=phases,
        skill_space=space,
        converted=converted,
    )


def matches_recompute_some(
    *, seeker_ids: Sequence[int] = (), vacancy_ids: Sequence[int] = (), today: dt.date | None = None
) -> MatchRun | None:
    """Recompute, with the last full run's statistics, the lists that changes to some seekers
    and vacancies can alter: the changed seekers' matches, the matches of those who held a
    changed vacancy or for whom it is now a match, and the candidate lists of the changed
    vacancies and of the vacancies where a changed seeker was or is a candidate.

    A seeker who is gone, inactive or has no location loses their rows; a vacancy that is gone or
    no longer open loses its candidates and leaves its seekers' lists.
    """
    import numpy as np

    started = timezone.now()
    phases = Phases()
    today = today or timezone.localdate()
    space, congestion = incremental_basis()
    profiles, converted = _active_seekers()
    vacancies = _matchable_vacancies()
    by_id = {v.pk: v for v in vacancies}
    changed_v, changed_s = set(vacancy_ids), set(seeker_ids)
    run = dict(today=today, congestion=congestion, space=space, phases=phases)

    # Whose matches can differ: the changed seekers, whoever holds a changed vacancy now (it may
    # have moved out of their reach or closed), and whoever it is now a match for.
    wanted = set(changed_s)
    wanted.update(
        SeekerMatch.objects.filter(vacancy_id__in=changed_v).values_list("seeker", flat=True)
    )
    probe = None
    if changed_v & set(by_id):
        probe = _matchers(
            profiles, converted, [by_id[v] for v in sorted(changed_v & set(by_id))], **run
        )
        wanted.update(probe.matches.seeker_id.tolist())
    affected = [p for p in profiles if p.pk in wanted]
    phases.mark("load")
    _read_texts(
        [p for p in profiles if p.pk in changed_s],
        [by_id[v] for v in changed_v if v in by_id],
        phases,
    )
    result = _run(
        affected,
        vacancies,
        converted=converted,
        skill_space=space,
        today=today,
        congestion=congestion,
        phases=phases,
    )
    # With the statistics frozen, a seeker's list depends on that seeker alone: of the others,
    # only those whose list holds, or held, a changed vacancy can differ.
    on_list = set(
        result.matches.seeker_id[np.isin(result.matches.vacancy_id, list(changed_v))].tolist()
    )
    stored_on = set(
        SeekerMatch.objects.filter(vacancy_id__in=changed_v).values_list("seeker", flat=True)
    )
    touched = [p.pk for p in affected if p.pk in changed_s or p.pk in on_list or p.pk in stored_on]

    # Whose candidate lists can differ: the changed vacancies', and those where a changed seeker
    # was or may now be a candidate. Each is rebuilt from every seeker who can reach it.
    lists = set(changed_v)
    lists.update(
        Candidate.objects.filter(seeker_id__in=changed_s).values_list("vacancy", flat=True)
    )
    c = result.candidates
    lists.update(c.vacancy_id[np.isin(c.seeker_id, list(changed_s))].tolist())
    open_lists = sorted(lists & set(by_id))
    if probe is None or set(open_lists) != changed_v & set(by_id):
        probe = (
            _matchers(profiles, converted, [by_id[v] for v in open_lists], **run)
            if open_lists
            else None
        )
    listed = set(Candidate.objects.filter(vacancy_id__in=lists).values_list("seeker", flat=True))
    if probe is not None:
        listed.update(probe.candidates.seeker_id.tolist())

    now = timezone.now()
    with transaction.atomic():
        gone = changed_s - {p.pk for p in affected}
        SeekerMatch.objects.filter(seeker_id__in=gone).delete()
        Candidate.objects.filter(seeker_id__in=gone).delete()
    counts = _sync_rows(
        result,
        now,
        touched,
        force_seekers=changed_s,
        force_vacancies=changed_v,
        lists=(probe, lists, sorted(listed - gone)),
    )
    phases.mark("write")
    phases.split("write", "reasons", counts.pop("reasons_s"))
    kind = MatchRun.Kind.VACANCY if vacancy_ids else MatchRun.Kind.SEEKER
    counts.update(seekers_recomputed=len(affected), vacancies_changed=len(vacancy_ids))
    return _record(kind, result, started, counts={**counts, **phases.total()})


def matches_recompute_seeker(*, seeker_id: int, today: dt.date | None = None) -> MatchRun | None:
    """Recompute one seeker's matches, and their place in vacancies' candidate lists."""
    return matches_recompute_some(seeker_ids=[seeker_id], today=today)


def matches_recompute_vacancy(*, vacancy_id: int, today: dt.date | None = None) -> MatchRun | None:
    """Recompute one vacancy's candidates and the matches of every seeker within its reach."""
    return matches_recompute_some(vacancy_ids=[vacancy_id], today=today)


# --- the queue --------------------------------------------------------------------------------

# A claim older than this belongs to a worker that died: the rows are claimed again. Longer
# than any incremental run of a town (seconds) with a wide margin.
CLAIM_EXPIRES = dt.timedelta(minutes=10)
DRAIN_TASK = "matching.tasks.drain_recomputes"  # the beat schedule names it too (settings)


def recompute_request(*, seeker_ids: Sequence[int] = (), vacancy_ids: Sequence[int] = ()) -> None:
    """Mark these seekers' and vacancies' matches out of date, in the caller's transaction, and
    queue a drain for after the commit. Requests close together coalesce into one row each."""
    now = timezone.now()
    rows = [
        PendingRecompute(kind=kind, object_id=pk, since=now, changed_at=now)
        for kind, ids in (
            (PendingRecompute.Kind.SEEKER, seeker_ids),
            (PendingRecompute.Kind.VACANCY, vacancy_ids),
        )
        for pk in dict.fromkeys(ids)
    ]
    if not rows:
        return
    PendingRecompute.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["changed_at"],
    )
    enqueue(DRAIN_TASK)


def _claimable(now) -> Q:
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_EXPIRES)


def recomputes_drain(*, today: dt.date | None = None) -> MatchRun | None:
    """Claim every pending recompute, run them as one, and clear those not changed since.

    Safe to run concurrently and repeatedly: a claim is one UPDATE, so two drains never take the
    same row; a row changed during the run stays pending for the next drain; a row left claimed
    by a dead worker is taken again after ``CLAIM_EXPIRES``.
    """
    now = timezone.now()
    token = uuid.uuid4().hex
    ids = list(PendingRecompute.objects.filter(_claimable(now)).values_list("pk", flat=True))
    if not ids:
        return None
    PendingRecompute.objects.filter(_claimable(now), pk__in=ids).update(claimed_at=now, claim=token)
    rows = list(PendingRecompute.objects.filter(claim=token))
    if not rows:
        return None
    try:
        run = matches_recompute_some(
            seeker_ids=[r.object_id for r in rows if r.kind == PendingRecompute.Kind.SEEKER],
            vacancy_ids=[r.object_id for r in rows if r.kind == PendingRecompute.Kind.VACANCY],
            today=today,
        )
    finally:
        PendingRecompute.objects.filter(claim=token).filter(changed_at__gt=now).update(
            claimed_at=None, claim=""
        )
    PendingRecompute.objects.filter(claim=token, changed_at__lte=now).delete()
    return run
