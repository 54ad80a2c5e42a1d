"""Congestion: re-rank each seeker's top k so the same few vacancies are not shown to everyone.

Two parts, both multiplying the fit into the ``adjusted`` score that orders ``rank``:
1. Static, per vacancy, from plain inputs: applications per open position (the les-emplois rule,
   as a gentle multiplier) and the employer's answer rate. Known before any matching.
2. Capacity-aware, over the top-k graph: going down all seekers' kept pairs from the highest
   (fit x static) score, each seeker is allocated up to ``SHOWN_PER_SEEKER`` vacancies and each
   vacancy up to ``SHOWN_PER_POSITION`` seekers per position left. A pair left over is multiplied
   by ``CROWDED_FACTOR``: it moves down the seeker's list, it does not leave it. The greedy walk is
   what measurements.md found within 1.4% of the exact assignment's optimum at half the cost; it
   is deterministic (ties: seeker id, then the seeker's fit order).
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

__all__ = ["Reranked", "applications_per_position", "rerank", "vacancy_factors"]


def applications_per_position(applications: int, positions_left: int) -> float:
    """Return open applications per open position (les-emplois: divided by max(positions, 1))."""
    return applications / max(positions_left, 1)


def static_factor(applications: int, positions_left: int, answer_rate: float) -> float:
    """Return the static congestion multiplier in (0, 1] for one vacancy."""
    ratio = applications_per_position(applications, positions_left)
    rate = min(1.0, max(0.0, answer_rate))
    answer = weights.ANSWER_RATE_FLOOR + (1.0 - weights.ANSWER_RATE_FLOOR) * rate
    return answer / (1.0 + weights.APPLICATIONS_WEIGHT * ratio)


def vacancy_factors(
    vacancies: Sequence[Vacancy], congestion: Congestion
) -> tuple[np.ndarray, np.ndarray]:
    """Return (static factor, allocation capacity left) per vacancy, in the given order."""
    factor = np.empty(len(vacancies), dtype=np.float64)
    capacity = np.empty(len(vacancies), dtype=np.int64)
    apps, rates, prior = congestion.applications, congestion.answer_rate, congestion.allocated
    for j, v in enumerate(vacancies):
        factor[j] = static_factor(
            apps.get(v.id, 0), v.positions_left, rates.get(v.employer_id, 1.0)
        )
        capacity[j] = max(0, weights.SHOWN_PER_POSITION * v.positions_left - prior.get(v.id, 0))
    return factor, capacity


@dataclass(frozen=True)
class Reranked:
    adjusted: np.ndarray  # float64 per pair
    rank: np.ndarray  # int32 per pair, 1-based within its seeker
    allocated: np.ndarray  # bool per pair
    used: np.ndarray  # int64 per vacancy: seekers allocated to it in this run
    order: np.ndarray  # int64: the pairs grouped by seeker, then by rank


def rerank(index, pair_seeker, pair_vacancy, pair_fit, seg_ptr, n_seekers) -> Reranked:
    """Adjust and rank the kept pairs; pairs arrive grouped by seeker (by id), best fit first."""
    n_v = len(index)
    if pair_fit.shape[0] == 0:
        empty = np.zeros(0, dtype=np.int32)
        none = np.zeros(0, dtype=np.int64)
        return Reranked(np.zeros(0), empty, np.zeros(0, bool), np.zeros(n_v, np.int64), none)
    static = index.static_factor[pair_vacancy]
    priority = pair_fit * static
    # A stable sort keeps the input order (seeker id, then fit rank) among equal priorities.
    order = np.argsort(-priority, kind="stable").astype(np.int64)
    allocated, used = kernel.greedy_allocate(
        order, pair_seeker, pair_vacancy, n_seekers, index.capacity, weights.SHOWN_PER_SEEKER
    )
    adjusted = priority * np.where(allocated, 1.0, weights.CROWDED_FACTOR)
    rank, by_rank = kernel.rank_segments(seg_ptr, adjusted, index.ids[pair_vacancy])
    return Reranked(adjusted, rank, allocated, used, by_rank)
