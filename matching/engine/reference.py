"""The fit of one pair in plain Python: the definition the compiled kernel must agree with.

Three users: ``reasons.pair_explanation`` (why a pair is or is not a match), the tests' exhaustive
brute-force reference, and the benchmark's per-pair baseline. It checks every constraint (it does
not stop at the first failure, so an explanation can list them all) and computes each part of the
fit with dict look-ups. Slow by design (a few microseconds a pair): never call it in a loop over
all pairs outside tests and the benchmark."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import scipy.sparse as sp

from matching.engine import weights
from matching.engine.model import Seeker, Vacancy
from matching.engine.skillspace import SkillSpace
from matching.engine.travel import TravelTimes, distance_m, minutes_by_mode

__all__ = [
    "Evaluation",
    "brute_force_top_k",
    "evaluate",
    "occupation_dicts",
    "occupation_items",
    "seeker_titles",
    "vacancy_failures",
]

# Failure codes, in the order an explanation lists them.
NOT_OPEN = "vacancy_not_open"
CLOSED = "vacancy_closed"
FULL = "vacancy_full"
VACANCY_NO_LOCATION = "vacancy_no_location"
SEEKER_NO_LOCATION = "seeker_no_location"
NO_TRAVEL_MODES = "no_travel_modes"
TOO_FAR = "too_far"
HOURS = "hours"
LICENCE = "licence"
NOTHING_IN_COMMON = "nothing_in_common"


def vacancy_failures(vacancy: Vacancy, today: date) -> list[str]:
    """Return the failure codes of the vacancy alone: open, not past its closing date, a position
    left. The closing date is the last day to apply: a vacancy closing today is still open."""
    failures = []
    if vacancy.status != "open":
        failures.append(NOT_OPEN)
    if vacancy.closing_date is not None and vacancy.closing_date < today:
        failures.append(CLOSED)
    if vacancy.positions_left <= 0:
        failures.append(FULL)
    return failures


@dataclass
class Evaluation:
    """Everything about one pair: the failure codes (empty for a match) and the parts of the fit."""

    failures: list[str] = field(default_factory=list)
    fit: float | None = None
    skills: float = 0.0
    occupation: float = 0.0
    travel: float | None = None  # the travel part in [0, 1]; None when out of reach
    distance_m: float | None = None  # None for remote or unknown locations
    minutes: dict[str, float] = field(default_factory=dict)  # every mode of the seeker
    best_mode: str | None = None
    essential: int = 0
    missing_essential: int = 0

    @property
    def is_match(self) -> bool:
        return not self.failures


def occupation_dicts(rows: sp.spmatrix | None) -> list[dict[int, float]]:
    """Return each row of a sparse matrix (a seeker's desired titles) as {column: value}."""
    if rows is None:
        return []
    rows = sp.csr_matrix(rows)
    return [
        dict(zip(rows.indices[a:b].tolist(), rows.data[a:b].tolist(), strict=True))
        for a, b in zip(rows.indptr[:-1].tolist(), rows.indptr[1:].tolist(), strict=True)
    ]


def occupation_items(row: sp.spmatrix | None) -> list[tuple[int, float]] | None:
    """Return a vacancy's title row as (column, value) pairs in its stored order (None: no row),
    the form ``evaluate`` takes (made once per vacancy, not once per pair)."""
    if row is None:
        return None
    row = sp.csr_matrix(row)
    return list(zip(row.indices.tolist(), row.data.tolist(), strict=True))


def occupation_fit(
    seeker_titles: Sequence[Mapping[int, float]], vacancy_items: Sequence[tuple[int, float]] | None
) -> float:
    """Return the best cosine of the seeker's title rows with the vacancy's title row (0 with no
    titles): as ``occupations.occupation_fit``, summed in the vacancy row's stored order
    (``vacancy_items`` from ``occupation_items``)."""
    if vacancy_items is None:
        return 0.0
    best = 0.0
    for title in seeker_titles:
        total = 0.0
        for col, val in vacancy_items:
            total += title.get(col, 0.0) * val
        best = max(best, total)
    return best


def evaluate(
    seeker: Seeker,
    vacancy: Vacancy,
    *,
    today: date,
    seeker_vector: Mapping[str, float],
    vacancy_vector: Mapping[str, float],
    seeker_occ: Sequence[Mapping[int, float]],
    vacancy_occ: Sequence[tuple[int, float]] | None,
    travel: TravelTimes,
    use_occupations: bool,
) -> Evaluation:
    """Return the evaluation of one pair (vectors from ``SkillSpace``; ``seeker_occ`` one dict
    per desired title, from ``occupation_dicts``; ``vacancy_occ`` the vacancy's title row from
    ``occupation_items``)."""
    ev = Evaluation(failures=vacancy_failures(vacancy, today))
    _travel(ev, seeker, vacancy, travel)
    if not seeker.hours_min <= vacancy.hours_per_week <= seeker.hours_max:
        ev.failures.append(HOURS)
    if vacancy.requires_driving_licence and not seeker.has_driving_licence:
        ev.failures.append(LICENCE)
    skills = 0.0
    for key, weight in vacancy_vector.items():
        skills += seeker_vector.get(key, 0.0) * weight
    ev.skills = skills
    ev.occupation = occupation_fit(seeker_occ, vacancy_occ) if use_occupations else 0.0
    if in_common(ev, use_occupations, bool(vacancy_vector)) < weights.MIN_IN_COMMON:
        ev.failures.append(NOTHING_IN_COMMON)
    essential = set(vacancy.essential_skills)
    ev.essential = len(essential)
    ev.missing_essential = sum(1 for key in essential if key not in seeker_vector)
    if not ev.failures:
        ev.fit = combine(ev, use_occupations, asks_skills=bool(vacancy_vector))
    return ev


def in_common(ev: Evaluation, use_occupations: bool, asks_skills: bool) -> float:
    """The part of the fit from skills and the kind of work, before the journey and any missing
    essential skill (the kernel's test against ``weights.MIN_IN_COMMON``)."""
    w_skill, w_occ, _ = weights.score_weights(use_occupations)
    shared = w_skill * ev.skills + w_occ * ev.occupation
    return shared if asks_skills else shared * weights.no_skills_scale(use_occupations)


def combine(ev: Evaluation, use_occupations: bool, asks_skills: bool = True) -> float:
    """Return the fit from its parts (the kernel's, the same expression order); for a vacancy
    that asks no skills, scaled by ``weights.no_skills_scale``."""
    w_skill, w_occ, w_travel = weights.score_weights(use_occupations)
    fit = w_skill * ev.skills + w_occ * ev.occupation + w_travel * ev.travel
    if ev.essential > 0:
        fit = fit * (1.0 - weights.ESSENTIAL_PENALTY * ev.missing_essential / ev.essential)
    if not asks_skills:
        fit = fit * weights.no_skills_scale(use_occupations)
    return min(fit, 1.0)


def _travel(ev: Evaluation, seeker: Seeker, vacancy: Vacancy, travel: TravelTimes) -> None:
    if vacancy.remote:
        ev.travel = weights.REMOTE_TRAVEL_SCORE
        return
    if not vacancy.located:
        ev.failures.append(VACANCY_NO_LOCATION)
        return
    if not seeker.located:
        ev.failures.append(SEEKER_NO_LOCATION)
        return
    ev.distance_m = distance_m(seeker.easting, seeker.northing, vacancy.easting, vacancy.northing)
    ev.minutes = minutes_by_mode(travel, ev.distance_m, seeker.travel_modes)
    if not ev.minutes:
        ev.failures.append(NO_TRAVEL_MODES)
        return
    limit = float(seeker.max_travel_minutes)
    within = {m: t for m, t in ev.minutes.items() if t <= limit}
    if not within:
        ev.failures.append(TOO_FAR)
        return
    best = min(within.values())
    ev.best_mode = next(m for m, t in within.items() if t == best)
    ev.travel = 1.0 - best / limit


def brute_force_top_k(
    seekers: Sequence[Seeker],
    vacancies: Sequence[Vacancy],
    *,
    today: date,
    skill_space: SkillSpace,
    travel: TravelTimes,
    use_occupations: bool,
    seeker_occupations: sp.csr_matrix | None = None,
    vacancy_occupations: sp.csr_matrix | None = None,
    occupation_owner: Sequence[int] | None = None,
    k: int = weights.DEFAULT_K,
    seeker_rows: Sequence[int] | None = None,
) -> tuple[dict[int, list[tuple[float, int]]], dict[int, list[tuple[float, int]]]]:
    """Score every pair of ``seekers[seeker_rows]`` x ``vacancies`` and return the top k both ways,
    as {seeker id: [(fit, vacancy id), ...]} and {vacancy id: [(fit, seeker id), ...]}, best first
    (fit descending, then id ascending). Occupation rows as for ``core.match``."""
    rows = range(len(seekers)) if seeker_rows is None else seeker_rows
    vvecs = [skill_space.vacancy_vector(v) for v in vacancies]
    vocc = _rows(vacancy_occupations, len(vacancies))
    titles = seeker_titles(seeker_occupations, occupation_owner, len(seekers))
    by_seeker: dict[int, list[tuple[float, int]]] = {}
    by_vacancy: dict[int, list[tuple[float, int]]] = {v.id: [] for v in vacancies}
    for r in rows:
        seeker = seekers[r]
        svec = skill_space.seeker_vector(seeker.skills)
        socc = titles[r]
        kept = []
        for vacancy, vvec, vrow in zip(vacancies, vvecs, vocc, strict=True):
            ev = evaluate(
                seeker,
                vacancy,
                today=today,
                seeker_vector=svec,
                vacancy_vector=vvec,
                seeker_occ=socc,
                vacancy_occ=vrow,
                travel=travel,
                use_occupations=use_occupations,
            )
            if ev.fit is not None:
                kept.append((ev.fit, vacancy.id))
                by_vacancy[vacancy.id].append((ev.fit, seeker.id))
        by_seeker[seeker.id] = sorted(kept, key=lambda p: (-p[0], p[1]))[:k]
    for vid, pairs in by_vacancy.items():
        by_vacancy[vid] = sorted(pairs, key=lambda p: (-p[0], p[1]))[:k]
    return by_seeker, by_vacancy


def seeker_titles(
    matrix: sp.spmatrix | None, owner: Sequence[int] | None, n: int
) -> list[list[dict[int, float]]]:
    """Return, per seeker position, their title rows as dicts: row r of ``matrix`` belongs to
    seeker ``owner[r]`` (one row per seeker, in order, when ``owner`` is None)."""
    out: list[list[dict[int, float]]] = [[] for _ in range(n)]
    if matrix is None:
        return out
    dicts = occupation_dicts(matrix)
    owners = range(n) if owner is None else owner
    for row, who in zip(dicts, owners, strict=True):
        out[int(who)].append(row)
    return out


def _rows(matrix: sp.csr_matrix | None, n: int) -> list[list[tuple[int, float]] | None]:
    if matrix is None:
        return [None] * n
    matrix = sp.csr_matrix(matrix)
    return [occupation_items(matrix[r]) for r in range(n)]
