"""Congestion: re-rank each seeker's top k so the same few vacancies are not shown to everyone.

Two parts, both multiplying the fit into the ``adjusted`` score that orders ``rank``:
1. Static, per vacancy, from plain inputs: applications per open position (the les-emplois rule,
   as a gentle multiplier) and the employer's answer rate. Known before any matching.
2. Capacity-aware, over the top-k graph: going down all seekers' kept pairs from the highest
   (fit x static) score, each seeker is allocated up to ``SHOWN_PER_SEEKER`` vacancies and each
   vacancy up to ``SHOWN_PER_POSITION`` seekers per position left. A pair left over is multiplied
   by sqrt(capacity / demand), where demand is how many seekers have the vacancy in their first
   ``SHOWN_PER_SEEKER`` before any adjustment: the more over-subscribed, the further it moves
   down the lists of those left over (never below ``CROWDED_FLOOR``, never out of the list). The
   greedy walk stands in for an exact assignment, which would cost far more on every run; it is
   deterministic (ties: seeker id, then the seeker's fit order).
The trade-off: a seeker may see a slightly worse fit first so that a vacancy with one position is
not the first suggestion of five hundred people; ``metrics.py`` measures what that costs in mean
fit and gains in exposure. Candidates (vacancy -> seekers) are ranked by fit alone.

Incremental runs. A full run freezes each vacancy's statistics (``VacancyBasis``: static factor,
capacity, demand, and where in the global walk the allocation filled it). Given them, a pair is
allocated iff its seeker still has room and it comes before its vacancy's cutoff in the walk's
order, which depends on that seeker alone: a run over some seekers with the frozen basis gives
each exactly what a run over everyone with that basis gives, and for a full run's own seekers
exactly what the full run's walk gave. Nothing is counted twice; statistics move at full runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matching.engine import kernel, weights
from matching.engine.model import Congestion, Vacancy, VacancyBasis

__all__ = [
    "Reranked",
    "VacancyFactors",
    "applications_per_position",
    "crowded_factor",
    "rerank",
    "vacancy_factors",
]


def applications_per_position(applications: int, positions_left: int) -> float:
    """Return open applications per open position (les-emplois: divided by max(positions, 1))."""
    return applications / max(positions_left, 1)


def static_factor(applications: int, positions_left: int, answer_rate: float) -> float:
    """Return the static congestion multiplier in (0, 1] for one vacancy."""
    ratio = applications_per_position(applications, positions_left)
    rate = min(1.0, max(0.0, answer_rate))
    answer = weights.ANSWER_RATE_FLOOR + (1.0 - weights.ANSWER_RATE_FLOOR) * rate
    return answer / (1.0 + weights.APPLICATIONS_WEIGHT * ratio)


def vacancy_factors(vacancies: Sequence[Vacancy], congestion: Congestion) -> VacancyFactors:
    """Return the per-vacancy congestion inputs, in the given order: computed from the
    applications and answer rates, or taken from the frozen basis when there is one."""
    n = len(vacancies)
    frozen = congestion.basis is not None
    f = VacancyFactors(
        static=np.empty(n, dtype=np.float64),
        capacity=np.empty(n, dtype=np.int64),
        demand=np.zeros(n, dtype=np.int64),
        full=np.zeros(n, dtype=np.bool_),
        cut_priority=np.zeros(n, dtype=np.float64),
        cut_seeker=np.zeros(n, dtype=np.int64),
        cut_fit_rank=np.zeros(n, dtype=np.int64),
        frozen=frozen,
    )
    apps, rates = congestion.applications, congestion.answer_rate
    for j, v in enumerate(vacancies):
        known = congestion.basis.get(v.id) if frozen else None
        if known is None:
            f.static[j] = static_factor(
                apps.get(v.id, 0), v.positions_left, rates.get(v.employer_id, 1.0)
            )
            f.capacity[j] = weights.SHOWN_PER_POSITION * v.positions_left
            continue
        f.static[j], f.capacity[j], f.demand[j] = known.static, known.capacity, known.demand
        if known.capacity == 0:
            f.full[j], f.cut_priority[j] = True, np.inf  # full before any pair
        elif known.cutoff is not None:
            f.full[j] = True
            f.cut_priority[j], f.cut_seeker[j], f.cut_fit_rank[j] = known.cutoff
    return f


@dataclass(frozen=True)
class VacancyFactors:
    static: np.ndarray  # float64: the static multiplier
    capacity: np.ndarray  # int64: seekers it may be allocated to (SHOWN_PER_POSITION x positions)
    demand: np.ndarray  # int64: frozen demand (a frozen basis only)
    full: np.ndarray  # bool: the frozen allocation filled it (a frozen basis only)
    cut_priority: np.ndarray  # float64: where it filled: the last pair's priority,
    cut_seeker: np.ndarray  # int64: ... seeker id,
    cut_fit_rank: np.ndarray  # int64: ... and fit rank
    frozen: bool  # True: apply the basis (an incremental run); False: compute it (a full run)


def crowded_factor(capacity: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """Return the multiplier for pairs the allocation left over: the square root of capacity over
    demand (4 seekers wanting each slot halve the score), within [CROWDED_FLOOR, 1]."""
    ratio = np.divide(capacity, demand, out=np.ones(capacity.shape), where=demand > 0)
    return np.clip(np.sqrt(ratio), weights.CROWDED_FLOOR, 1.0)


@dataclass(frozen=True)
class Reranked:
    adjusted: np.ndarray  # float64 per pair
    rank: np.ndarray  # int32 per pair, 1-based within its seeker
    allocated: np.ndarray  # bool per pair
    used: np.ndarray  # int64 per vacancy: seekers allocated to it in this run
    demand: np.ndarray  # int64 per vacancy: seekers with it in their first SHOWN_PER_SEEKER
    order: np.ndarray  # int64: the pairs grouped by seeker, then by rank
    basis: list[VacancyBasis] | None  # per vacancy, a full run's statistics to freeze


def rerank(
    index, pair_seeker, pair_vacancy, pair_fit, seg_ptr, n_seekers, seeker_id, fit_rank
) -> Reranked:
    """Adjust and rank the kept pairs; pairs arrive grouped by seeker, best fit first.
    ``seeker_id`` and ``fit_rank`` per pair order the walk among equal priorities."""
    n_v = len(index)
    f = index.factors
    if pair_fit.shape[0] == 0:
        empty = np.zeros(0, dtype=np.int32)
        none = np.zeros(0, dtype=np.int64)
        zeros = np.zeros(n_v, np.int64)
        basis = None if f.frozen else _basis(f, zeros, zeros)
        return Reranked(np.zeros(0), empty, np.zeros(0, bool), zeros, zeros, none, basis)
    priority = pair_fit * f.static[pair_vacancy]
    tie = index.id_rank[pair_vacancy]
    if f.frozen:
        demand = f.demand
        allocated = kernel.allocate_by_cutoff(
            seg_ptr,
            priority,
            pair_vacancy,
            seeker_id,
            fit_rank,
            f.full,
            f.cut_priority,
            f.cut_seeker,
            f.cut_fit_rank,
            weights.SHOWN_PER_SEEKER,
        )
        used = np.bincount(pair_vacancy[allocated], minlength=n_v).astype(np.int64)
        basis = None
    else:
        # Demand: how many seekers would see each vacancy first, before any capacity applies.
        wish, _ = kernel.rank_segments(seg_ptr, priority, tie)
        wanted = pair_vacancy[wish <= weights.SHOWN_PER_SEEKER]
        demand = np.bincount(wanted, minlength=n_v).astype(np.int64)
        # Allocate greedily from the highest priority; equal priorities by seeker id, then fit
        # rank (the order ``allocate_by_cutoff`` replays).
        order = np.lexsort((fit_rank, seeker_id, -priority)).astype(np.int64)
        allocated, used = kernel.greedy_allocate(
            order, pair_seeker, pair_vacancy, n_seekers, f.capacity, weights.SHOWN_PER_SEEKER
        )
        walk = (order, allocated, priority, pair_vacancy, seeker_id, fit_rank)
        basis = _basis(f, demand, used, walk)
    crowded = crowded_factor(f.capacity, demand)[pair_vacancy]
    adjusted = priority * np.where(allocated, 1.0, crowded)
    rank, by_rank = kernel.rank_segments(seg_ptr, adjusted, tie)
    return Reranked(adjusted, rank, allocated, used, demand, by_rank, basis)


def _basis(f, demand, used, walk=None) -> list[VacancyBasis]:
    """Freeze each vacancy's statistics. ``walk`` = (order, allocated, priority, pair_vacancy,
    seeker_id, fit_rank) of a full run: a vacancy the walk filled gets its last allocated pair as
    its cutoff. (A vacancy with no capacity needs none: it is full before any pair.)"""
    cut: dict[int, tuple[float, int, int]] = {}
    if walk is not None:
        order, allocated, priority, pair_vacancy, seeker_id, fit_rank = walk
        taken = order[allocated[order]][::-1]  # allocated pairs, last walked first
        _, first = np.unique(pair_vacancy[taken], return_index=True)
        for p in taken[first]:
            j = int(pair_vacancy[p])
            if f.capacity[j] > 0 and used[j] >= f.capacity[j]:
                cut[j] = (float(priority[p]), int(seeker_id[p]), int(fit_rank[p]))
    return [
        VacancyBasis(float(f.static[j]), int(f.capacity[j]), int(demand[j]), cut.get(j))
        for j in range(f.capacity.shape[0])
    ]
