"""The batch: top k vacancies per seeker and top k candidates per vacancy, in one pass.

``index.VacancyIndex`` holds the vacancies that can be matched today, indexed by (column, grid
cell) postings; the run's context is ``context.MatchContext``. ``match`` vectorises the
seekers and hands them, a chunk at a time, to the compiled loop (``kernel.py``): each seeker's
skill and occupation columns are walked through the postings of the grid cells their travel
reach meets, so only vacancies within reach that share something are ever touched (travel prunes
while candidates are chosen, never after a shortlist); those are checked for hours, licence and
minutes by mode and pushed into both top-k heaps. Congestion then re-ranks each seeker's top k
(``congestion.py``). The trade-off: the result is exact (the same as scoring every pair, tested
against a brute force) at the price of a numba dependency and a compile on first use (cached on
disk; call ``warm_up`` once per worker). Working memory is, per thread, an accumulator over the
vacancies and the vacancy heaps: nothing per pair unless kept, and nothing that grows with the
chunk. The output itself is seekers x k (and vacancies x k) rows.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp

from matching.engine import congestion as congestion_mod
from matching.engine import kernel, weights
from matching.engine.context import MatchContext
from matching.engine.index import LazyRows, VacancyIndex, sorted_csr
from matching.engine.model import (
    Congestion,
    Seeker,
    SeekerMatches,
    Vacancy,
    VacancyBasis,
    VacancyCandidates,
)
from matching.engine.skillspace import SkillSpace
from matching.engine.travel import ESTIMATED_TRAVEL, TravelTimes, mode_mask

__all__ = [
    "MatchResult",
    "match",
    "match_all",
    "match_seeker",
    "seekers_within_reach",
    "warm_up",
]

BLOCK = 32  # seekers per block; threads take interleaved blocks, which evens out dense areas
DEFAULT_CHUNK = 8192  # seekers per call of the compiled loop (one progress step)
REACH_SLACK_M = 1.0  # the grid prune may keep a pair up to a metre beyond reach: minutes decide


@dataclass
class _SeekerArrays:
    seekers: list[Seeker]  # sorted by id
    ids: np.ndarray
    arrays: tuple
    titles: tuple[sp.csr_matrix, np.ndarray] | None  # title rows by seeker, and their pointer
    order: np.ndarray  # processing order (spatial), internal indices


def _seeker_arrays(
    seekers: Sequence[Seeker],
    index: VacancyIndex,
    occupations: sp.spmatrix | None,
    owner: Sequence[int] | None,
) -> _SeekerArrays:
    ids = [s.id for s in seekers]
    if len(set(ids)) != len(ids):
        raise ValueError("seeker ids must be unique")
    perm = sorted(range(len(seekers)), key=lambda r: seekers[r].id)
    ss = [seekers[r] for r in perm]
    ctx = index.context
    skills = ctx.skill_space.seeker_matrix(ss, index.skill_columns)
    use = ctx.use_occupations and index.occupations is not None and occupations is not None
    occ_rows, title_ptr = _title_rows(occupations if use else None, owner, perm, index.n_occ_cols)
    located = np.array([s.located for s in ss], dtype=np.bool_)
    scalars = np.array(
        [
            (
                s.easting if s.located else 0,
                s.northing if s.located else 0,
                s.max_travel_minutes,
                s.hours_min,
                s.hours_max,
                s.has_driving_licence,
                mode_mask(s.travel_modes),
            )
            for s in ss
        ],
        dtype=np.float64,
    ).reshape(-1, 7)
    e, n, max_min = scalars[:, 0].copy(), scalars[:, 1].copy(), scalars[:, 2].copy()
    modes = scalars[:, 6].astype(np.int64)
    reach = _reach(ctx.travel, modes, max_min, located)
    arrays = (
        np.array(ids, dtype=np.int64)[perm] if ids else np.zeros(0, np.int64),
        e,
        n,
        located,
        max_min,
        scalars[:, 3].copy(),
        scalars[:, 4].copy(),
        scalars[:, 5].astype(np.bool_),
        modes,
        reach,
        skills.indptr.astype(np.int64),
        skills.indices.astype(np.int64),
        skills.data,
        occ_rows.indptr.astype(np.int64),
        occ_rows.indices.astype(np.int64),
        occ_rows.data.astype(np.float64),
        title_ptr,
    )
    # Process seekers cell by cell so the vacancy rows they read stay in cache; results do not
    # depend on the order (every heap has a strict total order).
    cx = np.floor((e - index.x0) / index.cell_m)
    cy = np.floor((n - index.y0) / index.cell_m)
    order = np.lexsort((np.arange(len(ss)), cx, cy, ~located)).astype(np.int64)
    titles = (occ_rows, title_ptr) if use else None
    return _SeekerArrays(ss, arrays[0], arrays, titles, order)


def _title_rows(
    matrix: sp.spmatrix | None, owner: Sequence[int] | None, perm: list[int], n_cols: int
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Return the desired-title rows grouped by seeker in internal (id) order, and the pointer
    (seeker i's titles are rows [ptr[i], ptr[i + 1])). ``owner[r]`` is the position in the
    input of the seeker row r belongs to; None means one row per seeker, in input order."""
    n = len(perm)
    if matrix is None:
        return sp.csr_matrix((0, max(1, n_cols)), dtype=np.float64), np.zeros(n + 1, np.int64)
    matrix = sp.csr_matrix(matrix, dtype=np.float64)
    if matrix.shape[1] != n_cols:
        raise ValueError("seeker and vacancy occupation matrices differ in columns")
    if owner is None:
        if matrix.shape[0] != n:
            raise ValueError(f"seeker occupations: {matrix.shape[0]} rows for {n} seekers")
        owner = np.arange(n)
    owner = np.asarray(owner, dtype=np.int64)
    if owner.shape[0] != matrix.shape[0]:
        raise ValueError("occupation_owner needs one entry per seeker occupation row")
    internal = np.empty(n, dtype=np.int64)
    internal[np.asarray(perm, dtype=np.int64)] = np.arange(n)
    seeker_of_row = internal[owner]
    order = np.argsort(seeker_of_row, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(seeker_of_row, minlength=n), out=ptr[1:])
    return sorted_csr(matrix[order]), ptr


def _reach(travel, modes: np.ndarray, max_min: np.ndarray, located: np.ndarray) -> np.ndarray:
    """Return each seeker's straight-line reach in metres over their modes (0: remote only),
    plus a metre of slack: the grid only prunes, the minutes decide."""
    reach = np.zeros(modes.shape[0], dtype=np.float64)
    for bit, mode in enumerate(weights.TRAVEL_MODES):
        uses = (modes & (1 << bit)) != 0
        for limit in np.unique(max_min[uses]).tolist():
            at = uses & (max_min == limit)
            reach[at] = np.maximum(reach[at], travel.reach_metres(mode, limit))
    usable = located & (max_min > 0) & (reach > 0)
    return np.where(usable, reach + REACH_SLACK_M, 0.0)


@dataclass
class MatchResult:
    """Both directions of a run, plus what reasons and the next incremental run need."""

    engine_version: str
    matches: SeekerMatches
    candidates: VacancyCandidates
    allocated: dict[int, int]  # vacancy id -> seekers allocated in this run
    demand: dict[int, int]  # vacancy id -> seekers with it in their first few (frozen if given)
    basis: dict[int, VacancyBasis] | None  # a full run's statistics (Congestion.basis next time)
    stats: dict[str, float]
    index: VacancyIndex
    seekers_by_id: dict[int, Seeker]
    seeker_occupation_rows: dict[int, sp.csr_matrix] = field(default_factory=dict)

    def reasons(self, seeker_id: int, vacancy_id: int) -> dict:
        """Return the reasons dict for a kept pair (either direction). See ``reasons.py``."""
        from matching.engine.reasons import ReasonBuilder

        return ReasonBuilder(self).reasons(seeker_id, vacancy_id)

    def all_reasons(self) -> dict[tuple[int, int], dict]:
        """Return reasons for every kept pair of both directions, keyed (seeker id, vacancy id)."""
        from matching.engine.reasons import ReasonBuilder

        return ReasonBuilder(self).all()


def match(
    seekers: Sequence[Seeker],
    index: VacancyIndex,
    *,
    seeker_occupations: sp.spmatrix | None = None,
    occupation_owner: Sequence[int] | None = None,
    k: int = weights.DEFAULT_K,
    chunk_size: int = DEFAULT_CHUNK,
    candidates: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> MatchResult:
    """Return the top ``k`` vacancies per seeker (re-ranked for congestion) and, if
    ``candidates``, the top ``k`` seekers per vacancy, from one pass over chunks of seekers.

    ``seeker_occupations``: L2-normalised rows over the index's occupation columns. Without
    ``occupation_owner``, one row per seeker in the order given (their titles combined); with
    it, one row per desired title, ``occupation_owner[r]`` being the position in ``seekers`` of
    row r's seeker, and a seeker's occupation fit is their best title's (as
    ``occupations.occupation_fit``). None means no titles (occupation part 0).
    ``progress(done, total)`` is called after each chunk.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    sa = _seeker_arrays(seekers, index, seeker_occupations, occupation_owner)
    n_s, n_v = len(sa.seekers), len(index)
    vargs = index.kernel_args()
    timings["prepare_seekers_s"] = time.perf_counter() - started

    t0 = time.perf_counter()
    threads = kernel.thread_count() if n_s > BLOCK else 1
    workspace, lock = index.workspace(threads)
    out_fit = np.zeros(max(1, n_s * k), dtype=np.float64)
    out_key = np.zeros(max(1, n_s * k), dtype=np.int64)
    out_n = np.zeros(max(1, n_s), dtype=np.int32)
    heap_size = threads * n_v * k if candidates else 1
    vh_fit = np.zeros(max(1, heap_size), dtype=np.float64)
    vh_key = np.zeros(max(1, heap_size), dtype=np.int64)
    vh_n = np.zeros(max(1, threads * n_v if candidates else 1), dtype=np.int32)
    vh_min = np.full(vh_n.shape[0], -1.0, dtype=np.float64)
    counters = np.zeros((threads, 3), dtype=np.int64)
    try:
        for lo in range(0, n_s, chunk_size):
            # One thread (a one-seeker request) skips the parallel launch and its idle spinning.
            run = kernel.score_chunk if threads > 1 else functools.partial(kernel.score_blocks, 0)
            run(
                threads,
                sa.order[lo : lo + chunk_size],
                *sa.arrays,
                *vargs,
                k,
                BLOCK,
                candidates,
                out_fit,
                out_key,
                out_n,
                vh_fit,
                vh_key,
                vh_n,
                vh_min,
                counters,
                workspace.skill,
                workspace.acc,
                workspace.touched,
                workspace.title_touched,
                workspace.stamps(n_s),
                workspace.stamps(int(sa.arrays[-1][-1])),
            )
            if progress is not None:
                progress(min(n_s, lo + chunk_size), n_s)
    finally:
        if lock is not None:
            lock.release()
    timings["score_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    pair_fit, key, pair_seeker, fit_rank = kernel.compact(
        out_fit, out_key, out_n, k, np.arange(n_s, dtype=np.int64)
    )
    del out_fit, out_key
    pair_vacancy = index._id_order[key]
    del key
    seg_ptr = np.zeros(n_s + 1, dtype=np.int64)
    np.cumsum(out_n[:n_s], out=seg_ptr[1:])
    cong = congestion_mod.rerank(
        index,
        pair_seeker,
        pair_vacancy,
        pair_fit,
        seg_ptr,
        n_s,
        sa.ids[pair_seeker].astype(np.int64),
        fit_rank.astype(np.int64),
    )
    by_rank = cong.order  # within each seeker, by rank (pairs arrive by fit rank)
    matches = SeekerMatches(
        seeker_id=sa.ids[pair_seeker[by_rank]],
        vacancy_id=index.ids[pair_vacancy[by_rank]],
        fit=pair_fit[by_rank],
        adjusted=cong.adjusted[by_rank],
        rank=cong.rank[by_rank],
        fit_rank=fit_rank[by_rank],
        crowded=~cong.allocated[by_rank],
    )
    allocated = _by_id(index, cong.used)
    demand = _by_id(index, cong.demand)
    basis = None
    if cong.basis is not None:
        basis = {int(index.ids[j]): b for j, b in enumerate(cong.basis)}
    del pair_fit, pair_seeker, pair_vacancy, fit_rank, cong
    timings["congestion_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    cand = _candidates(index, sa, vh_fit, vh_key, vh_n, threads, k) if candidates else None
    timings["candidates_s"] = time.perf_counter() - t0
    timings["total_s"] = time.perf_counter() - started

    stats = {
        "seekers": n_s,
        "vacancies_matchable": n_v,
        "pairs_all": n_s * n_v,
        # sharing a skill or occupation, in grid cells within reach: the pairs the loop touches
        "pairs_touched": int(counters[:, 0].sum()),
        # of those, within hours and licence
        "pairs_eligible": int(counters[:, 1].sum()),
        # of those, not dropped by the upper bound, with journey computed and within the limit
        "pairs_scored": int(counters[:, 2].sum()),
        "threads": threads,
        **timings,
    }
    return MatchResult(
        engine_version=weights.ENGINE_VERSION,
        matches=matches,
        candidates=cand if cand is not None else _empty_candidates(),
        allocated=allocated,
        demand=demand,
        basis=basis,
        stats=stats,
        index=index,
        seekers_by_id={s.id: s for s in sa.seekers},
        seeker_occupation_rows=_rows_by_id(sa),
    )


def _rows_by_id(sa: _SeekerArrays) -> dict[int, sp.csr_matrix]:
    """Return {seeker id: their title rows}, sliced only when asked."""
    if sa.titles is None:
        return {}
    rows, ptr = sa.titles
    spans = {int(i): (int(ptr[r]), int(ptr[r + 1])) for r, i in enumerate(sa.ids.tolist())}
    return LazyRows(rows, spans)


def _by_id(index: VacancyIndex, counts: np.ndarray) -> dict[int, int]:
    """Return {vacancy id: count} for the non-zero counts of a per-vacancy array."""
    return {int(index.ids[j]): int(counts[j]) for j in np.flatnonzero(counts).tolist()}


def _candidates(index, sa, vh_fit, vh_key, vh_n, threads, k) -> VacancyCandidates:
    n_v = len(index)
    c_fit = np.zeros(max(1, n_v * k), dtype=np.float64)
    c_idx = np.zeros(max(1, n_v * k), dtype=np.int64)
    c_n = np.zeros(max(1, n_v), dtype=np.int32)
    if n_v:
        kernel.merge_vacancy_heaps(vh_fit, vh_key, vh_n, threads, n_v, k, c_fit, c_idx, c_n)
    # Rows come out in internal (grid) order: visit them in id order instead.
    fit, seeker, row, rank = kernel.compact(c_fit, c_idx, c_n, k, index._id_order)
    return VacancyCandidates(
        vacancy_id=index.ids[row],
        seeker_id=sa.ids[seeker] if len(sa.ids) else np.zeros(0, np.int64),
        fit=fit,
        rank=rank,
    )


def _empty_candidates() -> VacancyCandidates:
    return VacancyCandidates(
        np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int32)
    )


def match_seeker(
    seeker: Seeker,
    index: VacancyIndex,
    *,
    occupation_rows: sp.spmatrix | None = None,
    k: int = weights.DEFAULT_K,
) -> MatchResult:
    """Return one seeker's top ``k`` (an incremental run, or a request): the same loop and the same
    congestion rules, with the statistics of the last full run (``Congestion.basis``) when the
    index has them. ``occupation_rows``: one row per desired title of this seeker."""
    owner = None if occupation_rows is None else np.zeros(occupation_rows.shape[0], np.int64)
    return match(
        [seeker],
        index,
        seeker_occupations=occupation_rows,
        occupation_owner=owner,
        k=k,
        candidates=False,
    )


def match_all(
    seekers: Sequence[Seeker],
    vacancies: Sequence[Vacancy],
    *,
    today: date,
    seeker_occupations: sp.spmatrix | None = None,
    vacancy_occupations: sp.spmatrix | None = None,
    occupation_owner: Sequence[int] | None = None,
    congestion: Congestion | None = None,
    travel: TravelTimes = ESTIMATED_TRAVEL,
    labels: Mapping[str, str] | None = None,
    skill_space: SkillSpace | None = None,
    k: int = weights.DEFAULT_K,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int, int], None] | None = None,
) -> MatchResult:
    """Run everything for a full recompute: fit the skill IDF over these seekers and vacancies
    (unless ``skill_space`` is given), build the index, and match both directions.

    Occupation fit is used when both occupation matrices are given; otherwise its weight is
    shared out (``weights.score_weights``).
    """
    t0 = time.perf_counter()
    space = skill_space if skill_space is not None else SkillSpace.fit(seekers, vacancies)
    fit_s = time.perf_counter() - t0
    context = MatchContext(
        today=today,
        skill_space=space,
        travel=travel,
        use_occupations=seeker_occupations is not None and vacancy_occupations is not None,
        labels=dict(labels or {}),
    )
    t0 = time.perf_counter()
    index = VacancyIndex.build(
        vacancies, context=context, occupations=vacancy_occupations, congestion=congestion
    )
    index_s = time.perf_counter() - t0
    result = match(
        seekers,
        index,
        seeker_occupations=seeker_occupations,
        occupation_owner=occupation_owner,
        k=k,
        chunk_size=chunk_size,
        progress=progress,
    )
    result.stats["fit_skill_space_s"] = fit_s
    result.stats["build_index_s"] = index_s
    result.stats["total_s"] += fit_s + index_s
    return result


def warm_up() -> float:
    """Compile (or load from numba's on-disk cache) every kernel with a tiny run; return the
    seconds it took. Call once per worker process so the first real request does not pay it."""
    started = time.perf_counter()
    # More seekers than a block, so the parallel loop runs too, not just the one-thread path.
    seekers = [
        Seeker(i, 450_000 + 100 * i, 400_000, ("a", "b"), ("car",), 45.0, 0.0, 40.0, True)
        for i in range(1, 2 * BLOCK + 2)
    ]
    seekers.append(Seeker(0, None, None, ("b",), (), 45.0, 0.0, 40.0, False))
    vacancies = [
        Vacancy(1, 1, 451_000, 400_000, skills=("a",), essential_skills=("a",)),
        Vacancy(2, 1, None, None, remote=True, skills=("b",)),
    ]
    titles = sp.csr_matrix(np.eye(2))
    owner = [0, len(seekers) - 1]
    result = match_all(
        seekers,
        vacancies,
        today=date(2026, 1, 1),
        seeker_occupations=titles,
        vacancy_occupations=titles,
        occupation_owner=owner,
    )
    match_seeker(seekers[0], result.index, occupation_rows=titles[:1])
    match_seeker(seekers[-1], result.index)
    return time.perf_counter() - started


def seekers_within_reach(
    seekers: Sequence[Seeker], vacancy: Vacancy, *, travel: TravelTimes = ESTIMATED_TRAVEL
) -> list[int]:
    """Return the ids of seekers who could reach ``vacancy`` by one of their modes in their time
    (all seekers for a remote vacancy): whose matches a change to this vacancy can alter."""
    if vacancy.remote:
        return [s.id for s in seekers]
    if not vacancy.located:
        return []
    out = []
    for s in seekers:
        if not s.located:
            continue
        dx = float(s.easting) - float(vacancy.easting)
        dy = float(s.northing) - float(vacancy.northing)
        d = (dx * dx + dy * dy) ** 0.5
        limit = float(s.max_travel_minutes)
        if any(travel.minutes(d, m) <= limit for m in s.travel_modes if m in weights.TRAVEL_MODES):
            out.append(s.id)
    return out
