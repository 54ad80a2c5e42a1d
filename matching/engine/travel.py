"""Travel: straight-line distance on the British National Grid and estimated minutes per mode.

Distance is Euclidean on grid eastings/northings (the grid is a metric projection: at
commuting distances within Great Britain it is very close to the distance on the ground).
Minutes are an estimate from that distance:
``overhead + km * detour / speed * 60`` per mode, with the numbers in ``weights.py``. Anything
that gives minutes behind ``TravelTimes`` (a real router, say) can replace it for explanations;
the batch engine compiles the estimate's linear coefficients into its scoring loop and refuses
other models, because calling a router per pair would cost more than the whole run. A router
would plug into the batch as ``reach_metres`` (an upper bound, for pruning) plus minutes for the
pairs in reach; that seam is here but not built.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from matching.engine import weights

__all__ = ["ESTIMATED_TRAVEL", "EstimatedTravel", "TravelTimes", "distance_m", "mode_mask"]


@runtime_checkable
class TravelTimes(Protocol):
    """What the engine needs from anything that knows journey times."""

    #: True when minutes are estimated rather than routed; reasons say "about ... (estimate)".
    is_estimate: bool

    def minutes(self, distance_m: float, mode: str) -> float:
        """Return the door-to-door minutes for a straight-line distance in metres by ``mode``."""
        ...

    def reach_metres(self, mode: str, minutes: float) -> float:
        """Return the straight-line metres reachable by ``mode`` within ``minutes`` (an upper
        bound is enough: it only prunes). 0 when the mode cannot get anywhere in time."""
        ...


@dataclass(frozen=True)
class EstimatedTravel:
    """Linear estimate per mode: minutes = overhead + metres * (detour / speed * 0.06)."""

    detour: dict[str, float] = field(default_factory=lambda: dict(weights.TRAVEL_DETOUR))
    speed_kmh: dict[str, float] = field(default_factory=lambda: dict(weights.TRAVEL_SPEED_KMH))
    overhead_min: dict[str, float] = field(
        default_factory=lambda: dict(weights.TRAVEL_OVERHEAD_MIN)
    )
    is_estimate: bool = True

    def minutes_per_metre(self, mode: str) -> float:
        return self.detour[mode] / self.speed_kmh[mode] * 0.06  # 60 min/h over 1000 m/km

    def minutes(self, distance_m: float, mode: str) -> float:
        # The same expression, from the same coefficients, as the compiled kernel (kernel.py),
        # so both round identically and "within the limit" means the same thing in both.
        return distance_m * self.minutes_per_metre(mode) + self.overhead_min[mode]

    def reach_metres(self, mode: str, minutes: float) -> float:
        spare = minutes - self.overhead_min[mode]
        if spare < 0:
            return 0.0
        return spare / self.minutes_per_metre(mode)

    def coefficients(self) -> tuple[np.ndarray, np.ndarray]:
        """Return (minutes per metre, overhead minutes) arrays in ``TRAVEL_MODES`` order."""
        modes = weights.TRAVEL_MODES
        return (
            np.array([self.minutes_per_metre(m) for m in modes], dtype=np.float64),
            np.array([self.overhead_min[m] for m in modes], dtype=np.float64),
        )


ESTIMATED_TRAVEL = EstimatedTravel()


def distance_m(a_easting: float, a_northing: float, b_easting: float, b_northing: float) -> float:
    """Return the straight-line distance in metres between two grid points (as the kernel does)."""
    dx = float(a_easting) - float(b_easting)
    dy = float(a_northing) - float(b_northing)
    return math.sqrt(dx * dx + dy * dy)


def mode_mask(modes: Iterable[str]) -> int:
    """Return the modes as a bit mask over ``weights.TRAVEL_MODES`` (unknown modes ignored)."""
    mask = 0
    for bit, mode in enumerate(weights.TRAVEL_MODES):
        if mode in modes:
            mask |= 1 << bit
    return mask


def minutes_by_mode(travel: TravelTimes, distance: float, modes: Iterable[str]) -> dict[str, float]:
    """Return minutes for each of ``modes`` (known ones only, in ``TRAVEL_MODES`` order)."""
    wanted = set(modes)
    return {m: travel.minutes(distance, m) for m in weights.TRAVEL_MODES if m in wanted}


def reach_metres(travel: TravelTimes, modes: Iterable[str], max_minutes: float) -> float:
    """Return the farthest straight-line reach over ``modes`` within ``max_minutes``."""
    wanted = set(modes)
    return max(
        (travel.reach_metres(m, max_minutes) for m in weights.TRAVEL_MODES if m in wanted),
        default=0.0,
    )
