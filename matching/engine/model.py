"""The engine's plain inputs and outputs: frozen dataclasses in, numpy columns out.

The Django side converts rows into these once per run and never hands the engine a model
instance; the engine never imports Django. Inputs are small frozen dataclasses because a person
(and a test) can read them; outputs are columns of numpy arrays because a city run keeps millions
of pairs, which as Python objects would cost ten times the memory and time.
Skill keys are opaque strings (an ESCO id, ``uk:hgv_ce`` or ``text:<normalised text>``): two keys
match when they are equal, nothing more.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

__all__ = ["Congestion", "Seeker", "SeekerMatches", "Vacancy", "VacancyCandidates"]


@dataclass(frozen=True, slots=True)
class Seeker:
    """A jobseeker as the engine sees them.

    ``easting``/``northing`` are British National Grid metres; None when no postcode is known,
    and then only remote vacancies can match. ``travel_modes`` is a subset of
    ``weights.TRAVEL_MODES``; no mode also means remote only.
    """

    id: int
    easting: int | None
    northing: int | None
    skills: Sequence[str] = ()
    travel_modes: Sequence[str] = ()
    max_travel_minutes: float = 45.0
    hours_min: float = 0.0
    hours_max: float = 48.0
    has_driving_licence: bool = False

    @property
    def located(self) -> bool:
        return self.easting is not None and self.northing is not None


@dataclass(frozen=True, slots=True)
class Vacancy:
    """A vacancy as the engine sees it. ``essential_skills`` may or may not repeat keys of
    ``skills``: the vacancy asks for the union, and the essential ones weigh more."""

    id: int
    employer_id: int
    easting: int | None
    northing: int | None
    remote: bool = False
    skills: Sequence[str] = ()
    essential_skills: Sequence[str] = ()
    hours_per_week: float = 37.5
    requires_driving_licence: bool = False
    status: str = "open"
    closing_date: date | None = None
    positions: int = 1
    positions_filled: int = 0

    @property
    def located(self) -> bool:
        return self.easting is not None and self.northing is not None

    @property
    def positions_left(self) -> int:
        return max(0, self.positions - self.positions_filled)

    def asked_skills(self) -> list[str]:
        """Return the distinct skills asked (optional and essential), in first-seen order."""
        return list(dict.fromkeys([*self.skills, *self.essential_skills]))


@dataclass(frozen=True)
class VacancyBasis:
    """One vacancy's congestion statistics, frozen by a full run (``MatchResult.basis``).

    ``static``: its static multiplier; ``capacity``: seekers it may be allocated to; ``demand``:
    seekers who had it among their first few. ``cutoff``: when the allocation filled it, the
    global position of the last pair it took, as (priority, seeker id, fit rank); None if it
    never filled. With these, whether a pair is allocated depends on its seeker alone, so a run
    over some seekers gives each of them exactly what a run over everyone would.
    """

    static: float
    capacity: int
    demand: int
    cutoff: tuple[float, int, int] | None = None

    def to_list(self) -> list:
        return [self.static, self.capacity, self.demand, *(self.cutoff or (None, None, None))]

    @classmethod
    def from_list(cls, row: Sequence) -> VacancyBasis:
        static, capacity, demand, priority, seeker, fit_rank = row
        cutoff = None if priority is None else (float(priority), int(seeker), int(fit_rank))
        return cls(float(static), int(capacity), int(demand), cutoff)


@dataclass(frozen=True)
class Congestion:
    """Congestion inputs, all optional.

    ``applications``: vacancy id -> open applications (default 0). ``answer_rate``: employer id ->
    share of applications the employer answers, in [0, 1] (default 1.0). ``basis``: vacancy id ->
    its statistics frozen by the last full run; given, the run applies them instead of computing
    its own (an incremental run; pass that run's applications and answer rates too), and a
    vacancy missing from it has no demand and room (it is new since that run). Leave it None
    for a full run.
    """

    applications: Mapping[int, int] = field(default_factory=dict)
    answer_rate: Mapping[int, float] = field(default_factory=dict)
    basis: Mapping[int, VacancyBasis] | None = None


@dataclass(frozen=True)
class SeekerMatches:
    """Top k vacancies per seeker, one row per pair, grouped by seeker id then ``rank``.

    ``fit`` is the score before congestion, in [0, 1] (the API's ``score``). ``adjusted`` is the fit
    after congestion and orders ``rank`` (1 = first; ties by vacancy id). ``fit_rank`` is the rank
    by fit alone, so ``rank > fit_rank`` means congestion moved the pair down. ``crowded`` marks
    pairs the capacity step left over (see congestion.py).
    """

    seeker_id: np.ndarray  # int64
    vacancy_id: np.ndarray  # int64
    fit: np.ndarray  # float64
    adjusted: np.ndarray  # float64
    rank: np.ndarray  # int32, 1-based
    fit_rank: np.ndarray  # int32, 1-based
    crowded: np.ndarray  # bool

    def __len__(self) -> int:
        return int(self.seeker_id.shape[0])

    def rows(self) -> Iterator[tuple[int, int, float, float, int, int, bool]]:
        """Yield (seeker_id, vacancy_id, fit, adjusted, rank, fit_rank, crowded) as Python
        values."""
        yield from zip(
            self.seeker_id.tolist(),
            self.vacancy_id.tolist(),
            self.fit.tolist(),
            self.adjusted.tolist(),
            self.rank.tolist(),
            self.fit_rank.tolist(),
            self.crowded.tolist(),
            strict=True,
        )

    def for_seeker(self, seeker_id: int) -> SeekerMatches:
        """Return the rows of one seeker (a binary search: rows are grouped by seeker id)."""
        lo, hi = np.searchsorted(self.seeker_id, [seeker_id, seeker_id + 1])
        return SeekerMatches(*(getattr(self, f)[lo:hi] for f in _MATCH_FIELDS))


@dataclass(frozen=True)
class VacancyCandidates:
    """Top k seekers per vacancy, grouped by vacancy id then ``rank`` (by fit; ties by seeker id).

    Candidates are ranked by fit alone: the congestion inputs describe vacancies, not seekers.
    """

    vacancy_id: np.ndarray  # int64
    seeker_id: np.ndarray  # int64
    fit: np.ndarray  # float64
    rank: np.ndarray  # int32, 1-based

    def __len__(self) -> int:
        return int(self.vacancy_id.shape[0])

    def rows(self) -> Iterator[tuple[int, int, float, int]]:
        """Yield (vacancy_id, seeker_id, fit, rank) as Python values."""
        yield from zip(
            self.vacancy_id.tolist(),
            self.seeker_id.tolist(),
            self.fit.tolist(),
            self.rank.tolist(),
            strict=True,
        )

    def for_vacancy(self, vacancy_id: int) -> VacancyCandidates:
        lo, hi = np.searchsorted(self.vacancy_id, [vacancy_id, vacancy_id + 1])
        return VacancyCandidates(*(getattr(self, f)[lo:hi] for f in _CANDIDATE_FIELDS))


_MATCH_FIELDS = ("seeker_id", "vacancy_id", "fit", "adjusted", "rank", "fit_rank", "crowded")
_CANDIDATE_FIELDS = ("vacancy_id", "seeker_id", "fit", "rank")
