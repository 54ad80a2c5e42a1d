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
   greedy walk is what measurements.md found within 1.4% of the exact assignment's optimum at
   half its cost; it is deterministic (ties: seeker id, then the seeker's fit order).
The trade-off: a seeker may see a slightly worse fit first so that a vacancy with one position is
not the first suggestion of five hundred people; ``metrics.py`` measures what that costs in mean
fit and gains in exposure. Candidates (vacancy -> seekers) are ranked by fit alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matching.engine import kernel, weights
from matching.engine.model import Congestion, Vacancy

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
    """Return the per-vacancy congestion inputs, in the given order."""
    n = len(vacancies)
    f = VacancyFactors(
        static=np.empty(n, dtype=np.float64),
        capacity=np.empty(n, dtype=np.int64),
        prior_allocated=np.empty(n, dtype=np.int64),
        prior_demand=np.empty(n, dtype=np.int64),
    )
    apps, rates = congestion.applications, congestion.answer_rate
    for j, v in enumerate(vacancies):
        f.static[j] = static_factor(
            apps.get(v.id, 0), v.positions_left, rates.get(v.employer_id, 1.0)
        )
        f.capacity[j] = weights.SHOWN_PER_POSITION * v.positions_left
        f.prior_allocated[j] = congestion.allocated.get(v.id, 0)
        f.prior_demand[j] = congestion.demand.get(v.id, 0)
    return f


@dataclass(frozen=True)
class VacancyFactors:
    static: np.ndarray  # float64: the static multiplier
    capacity: np.ndarray  # int64: seekers it may be allocated to (SHOWN_PER_POSITION x positions)
    prior_allocated: np.ndarray  # int64: already allocated by the last full run (incremental)
    prior_demand: np.ndarray  # int64: demand seen by the last full run (incremental runs)


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


def rerank(index, pair_seeker, pair_vacancy, pair_fit, seg_ptr, n_seekers) -> Reranked:
    """Adjust and rank the kept pairs; pairs arrive grouped by seeker (by id), best fit first."""
    n_v = len(index)
    f = index.factors
    if pair_fit.shape[0] == 0:
        empty = np.zeros(0, dtype=np.int32)
        none = np.zeros(0, dtype=np.int64)
        zeros = np.zeros(n_v, np.int64)
        return Reranked(np.zeros(0), empty, np.zeros(0, bool), zeros, zeros, none)
    priority = pair_fit * f.static[pair_vacancy]
    tie = index.id_rank[pair_vacancy]
    # Demand: how many seekers would see each vacancy first, before any capacity is applied.
    # An incremental run adds the last full run's; if it was not kept, its allocation is a
    # lower bound of it.
    wish, _ = kernel.rank_segments(seg_ptr, priority, tie)
    wanted = pair_vacancy[wish <= weights.SHOWN_PER_SEEKER]
    prior = np.maximum(f.prior_demand, f.prior_allocated)
    demand = np.bincount(wanted, minlength=n_v).astype(np.int64) + prior
    # Allocate greedily from the highest priority; a stable sort keeps the input order (seeker
    # id, then fit rank) among equal priorities.
    order = np.argsort(-priority, kind="stable").astype(np.int64)
    left = np.maximum(0, f.capacity - f.prior_allocated)
    allocated, used = kernel.greedy_allocate(
        order, pair_seeker, pair_vacancy, n_seekers, left, weights.SHOWN_PER_SEEKER
    )
    crowded = crowded_factor(f.capacity, demand)[pair_vacancy]
    adjusted = priority * np.where(allocated, 1.0, crowded)
    rank, by_rank = kernel.rank_segments(seg_ptr, adjusted, tie)
    return Reranked(adjusted, rank, allocated, used, demand, by_rank)
