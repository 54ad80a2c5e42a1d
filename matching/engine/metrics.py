"""How evenly the matches spread over vacancies, with and without congestion (the trade-off of
``congestion.py``).

Exposure of a vacancy = the number of seekers who have it in their top N (N = 10). From one
``MatchResult`` this reports, for the ranking by fit alone and for the congestion-adjusted rank:
the share of matchable (open) vacancies exposed to at least one seeker, the Gini coefficient of
exposure over all of them (0 = everyone equally exposed, 1 = one vacancy takes every slot), and
the mean fit of the pairs shown. Everything is computed from the engine's output arrays, so it
costs a couple of bincounts.
"""

from __future__ import annotations

import numpy as np

from matching.engine import weights
from matching.engine.core import MatchResult

__all__ = ["exposure_report", "gini"]


def gini(values: np.ndarray) -> float:
    """Return the Gini coefficient of non-negative values (0 for none or all zero)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = x.shape[0]
    total = x.sum()
    if n == 0 or total == 0:
        return 0.0
    cumulative = np.arange(1, n + 1, dtype=np.float64)
    return float((2.0 * (cumulative * x).sum()) / (n * total) - (n + 1.0) / n)


def exposure_report(result: MatchResult, top_n: int = weights.EXPOSURE_TOP_N) -> dict:
    """Return exposure figures for the ranking by fit and by the congestion-adjusted rank."""
    m = result.matches
    vacancy_ids = result.index.ids
    report = {
        "open_vacancies": int(vacancy_ids.shape[0]),
        "seekers": len(result.seekers_by_id),
        "top_n": top_n,
    }
    for name, rank in (("fit", m.fit_rank), ("congestion", m.rank)):
        shown = rank <= top_n
        slot = result.index.positions(m.vacancy_id[shown])
        exposure = np.bincount(slot, minlength=vacancy_ids.shape[0])
        n_open = max(1, vacancy_ids.shape[0])
        report[name] = {
            "share_exposed": float((exposure > 0).sum() / n_open),
            "gini": gini(exposure),
            "mean_fit": float(m.fit[shown].mean()) if shown.any() else 0.0,
            "pairs_shown": int(shown.sum()),
            "max_exposure": int(exposure.max()) if exposure.size else 0,
        }
    return report
