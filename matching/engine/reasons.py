"""Reasons a person can act on: why a pair matches (skills held and missing, km, minutes by mode,
what would help most, congestion) or why it does not (every failed constraint, in plain words).

Reasons are built after selection, for kept pairs only, from the plain-Python reference scorer
(``reference.evaluate``), so an explanation can never disagree with the definition the kernel is
tested against. The trade-off: tens of microseconds a pair, fine for a town's kept pairs or one
request, too slow to run over every pair (the kernel never does).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from matching.engine import congestion as congestion_mod
from matching.engine import reference as ref
from matching.engine import weights
from matching.engine.model import Congestion, Seeker, Vacancy
from matching.engine.reference import Evaluation, evaluate, occupation_dicts, occupation_items
from matching.engine.skillspace import kin_of
from matching.engine.wording import MODE_LABELS, congestion_causes, congestion_message, shown

if TYPE_CHECKING:
    from matching.engine.context import MatchContext
    from matching.engine.core import MatchResult

__all__ = ["Explanation", "ReasonBuilder", "pair_explanation"]


@dataclass(frozen=True)
class Explanation:
    """One pair, explained. ``is_match`` means it passes every constraint and has at least
    ``weights.MIN_IN_COMMON`` in common; whether it made the seeker's top k is the batch's
    business."""

    seeker_id: int
    vacancy_id: int
    is_match: bool
    fit: float | None
    failures: tuple[dict, ...]  # ({"code": ..., "message": ...}, ...) in a fixed order
    reasons: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "seeker_id": self.seeker_id,
            "vacancy_id": self.vacancy_id,
            "is_match": self.is_match,
            "fit": self.fit,
            "failures": list(self.failures),
            "reasons": self.reasons,
        }


def pair_explanation(
    seeker: Seeker,
    vacancy: Vacancy,
    *,
    context: MatchContext,
    seeker_occupation_rows: sp.spmatrix | None = None,
    vacancy_occupation_row: sp.spmatrix | None = None,
    congestion: Congestion | None = None,
) -> Explanation:
    """Say why ``vacancy`` is or is not a match for ``seeker``.

    Use the same ``context`` (date, skill space, travel, occupation flag) as the run whose matches
    are shown, so the fit agrees with the stored score. ``seeker_occupation_rows`` holds one row
    per desired title (the best counts); ``vacancy_occupation_row`` the vacancy title's row.
    Congestion is described from its inputs only: whether the capacity step moved the pair is
    known to the batch (``MatchResult.reasons``), not to a single pair.
    """
    space = context.skill_space
    ev, reasons = _describe(
        seeker,
        vacancy,
        context,
        _seeker_skills(space, seeker),
        occupation_dicts(seeker_occupation_rows),
        space.vacancy_vector(vacancy),
        occupation_items(vacancy_occupation_row),
    )
    reasons = shown(reasons)
    failures = tuple(
        {"code": c, "message": _failure_message(c, seeker, vacancy, ev, context)}
        for c in ev.failures
    )
    if congestion is not None and ev.is_match:
        known = (congestion.basis or {}).get(vacancy.id)
        demand = known.demand if known is not None else 0
        reasons["congestion"] = _congestion(
            vacancy, congestion, moved=None, crowded=False, demand=demand
        )
    if not ev.is_match:
        reasons = {
            "summary": failures[0]["message"],
            "help": _failure_help(ev, seeker, vacancy, context, reasons),
            "distance_km": reasons["distance_km"],
            "minutes_by_mode": reasons["minutes_by_mode"],
            "minutes_are_estimate": reasons["minutes_are_estimate"],
            "skills_matched": reasons["skills_matched"],
            "skills_missing_essential": reasons["skills_missing_essential"],
        }
    return Explanation(seeker.id, vacancy.id, ev.is_match, ev.fit, failures, reasons)


class ReasonBuilder:
    """Reasons for the kept pairs of a ``MatchResult``, caching each seeker's and vacancy's
    vectors across pairs."""

    def __init__(self, result: MatchResult):
        self.result = result
        self.context = result.index.context
        self._seeker: dict[int, tuple] = {}
        self._vacancy: dict[int, tuple] = {}
        self._moves: dict[int, dict[int, tuple[int, bool]]] = {}
        self._congestion: dict[tuple[int, bool], dict] = {}
        self._pairs: dict[tuple[int, int], dict] = {}

    def reasons(self, seeker_id: int, vacancy_id: int, *, places: bool = True) -> dict:
        """The pair's reasons. ``places``: with what congestion did to the pair in its seeker's
        list (the places moved, whether it was left over); without, as a vacancy's candidate
        list shows it, ordered by fit alone, where congestion plays no part."""
        reasons = shown(self.pair(seeker_id, vacancy_id))
        if places:
            reasons["congestion"] = self.congestion(seeker_id, vacancy_id)
        return reasons

    def pair(self, seeker_id: int, vacancy_id: int) -> dict:
        """The pair's own reasons as rows store them (``wording``), congestion left out (None,
        the last key): shared, do not change it."""
        pair = (seeker_id, vacancy_id)
        described = self._pairs.get(pair)
        if described is None:
            seeker, skills, socc = self._seeker_parts(seeker_id)
            vacancy, vvec, vrow, asked = self._vacancy_parts(vacancy_id)
            _, described = _describe(seeker, vacancy, self.context, skills, socc, vvec, vrow, asked)
            self._pairs[pair] = described
        return described

    def congestion(self, seeker_id: int, vacancy_id: int) -> dict:
        """What congestion did to the pair in its seeker's list."""
        moved, crowded = self._congestion_of(seeker_id, vacancy_id)
        # What congestion did depends on the vacancy and whether the pair was left over; only
        # the places moved are the pair's own.
        base = self._congestion.get((vacancy_id, crowded))
        if base is None:
            vacancy = self.result.index.vacancies_by_id[vacancy_id]
            base = self._congestion[(vacancy_id, crowded)] = _congestion(
                vacancy,
                self.result.index.congestion,
                moved=0,
                crowded=crowded,
                demand=self.result.demand.get(vacancy_id, 0),
            )
        return {
            **base,
            "moved_down_by": max(0, moved or 0),
            "message": congestion_message(moved, base["causes"]),
        }

    def forget_pairs(self) -> None:
        """Drop the pairs described so far (a caller done with those seekers keeps memory flat)."""
        self._pairs.clear()

    def all(self) -> dict[tuple[int, int], dict]:
        """Return reasons for every kept pair of both directions."""
        m, c = self.result.matches, self.result.candidates
        pairs = dict.fromkeys(zip(m.seeker_id.tolist(), m.vacancy_id.tolist(), strict=True))
        pairs.update(dict.fromkeys(zip(c.seeker_id.tolist(), c.vacancy_id.tolist(), strict=True)))
        return {pair: self.reasons(*pair) for pair in pairs}

    def _seeker_parts(self, seeker_id: int) -> tuple:
        parts = self._seeker.get(seeker_id)
        if parts is None:
            seeker = self.result.seekers_by_id[seeker_id]
            skills = _seeker_skills(self.context.skill_space, seeker)
            socc = occupation_dicts(self.result.seeker_occupation_rows.get(seeker_id))
            parts = self._seeker[seeker_id] = (seeker, skills, socc)
        return parts

    def _vacancy_parts(self, vacancy_id: int) -> tuple:
        parts = self._vacancy.get(vacancy_id)
        if parts is None:
            vacancy = self.result.index.vacancies_by_id[vacancy_id]
            vvec = self.context.skill_space.vacancy_vector(vacancy)
            vrow = occupation_items(self.result.index.occupation_row(vacancy_id))
            asked = _asked(vacancy, vvec, self.context)
            parts = self._vacancy[vacancy_id] = (vacancy, vvec, vrow, asked)
        return parts

    def _congestion_of(self, seeker_id: int, vacancy_id: int) -> tuple[int, bool]:
        moves = self._moves.get(seeker_id)
        if moves is None:
            mine = self.result.matches.for_seeker(seeker_id)
            moves = self._moves[seeker_id] = {
                v: (rank - fit_rank, crowded)
                for v, rank, fit_rank, crowded in zip(
                    mine.vacancy_id.tolist(),
                    mine.rank.tolist(),
                    mine.fit_rank.tolist(),
                    mine.crowded.tolist(),
                    strict=True,
                )
            }
        return moves.get(vacancy_id, (0, False))


# --- one pair ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _SeekerSkills:
    """A seeker's skills as one pair's reasons need them, made once per seeker: the normalised
    vector, and the raw weights with their squared norm (for "what would help most")."""

    vector: dict[str, float]
    raw: dict[str, float]
    norm2: float


def _seeker_skills(space, seeker: Seeker) -> _SeekerSkills:
    vector = space.seeker_vector(seeker.skills)
    raw = {k: space.weight(k) for k in vector}
    return _SeekerSkills(vector, raw, sum(w * w for w in raw.values()))


def _describe(
    seeker, vacancy, context, skills: _SeekerSkills, socc, vvec, vrow, asked=None
) -> tuple[Evaluation, dict]:
    svec = skills.vector
    ev = evaluate(
        seeker,
        vacancy,
        today=context.today,
        seeker_vector=svec,
        vacancy_vector=vvec,
        seeker_occ=socc,
        vacancy_occ=vrow,
        travel=context.travel,
        use_occupations=context.use_occupations,
    )
    asked, entries = asked or _asked(vacancy, vvec, context)
    matched, missing_essential, missing_optional, near = [], [], [], []
    for k in asked:
        if k in svec:
            matched.append(k)
            continue
        if kin_of(k) in svec:
            near.append(k)
        if entries[k][2]:
            missing_essential.append(k)
        else:
            missing_optional.append(k)
    reasons = {
        "skills_matched": [entries[k] for k in matched],
        "skills_missing_essential": [entries[k][:2] for k in missing_essential],
        "skills_missing_optional": [entries[k][:2] for k in missing_optional],
        "skills_near": [entries[k][:2] for k in near],
        "occupation_fit": round(ev.occupation, 3),
        "remote": vacancy.remote,
        "distance_km": None if ev.distance_m is None else round(ev.distance_m / 1000.0, 1),
        "minutes_by_mode": {m: round(t) for m, t in ev.minutes.items()},
        "mode": ev.best_mode,
        "minutes_are_estimate": bool(getattr(context.travel, "is_estimate", True)),
        "fit": None if ev.fit is None else round(ev.fit, 4),
        "fit_parts": {
            "skills": round(ev.skills, 4),
            "occupation": round(ev.occupation, 4),
            "travel": None if ev.travel is None else round(ev.travel, 4),
            "essential_missing": ev.missing_essential,
            "essential_asked": ev.essential,
        },
        "help": None,
        "congestion": None,
    }
    if ev.is_match and (missing_essential or missing_optional):
        reasons["help"] = _best_addition(
            ev, skills, vvec, missing_essential, missing_optional, context
        )
    return ev, reasons


def _asked(vacancy: Vacancy, vvec: Mapping[str, float], context) -> tuple[list[str], dict]:
    """Return the vacancy's asked keys, most important first (its own weight for the skill, then
    the label), and a [key, label, essential] entry per key. Entries are shared between
    the reasons of one vacancy's pairs: read them, do not change them."""
    essential = set(vacancy.essential_skills)
    entries = {k: [k, context.label(k), k in essential] for k in vacancy.asked_skills()}
    asked = sorted(entries, key=lambda k: (-vvec.get(k, 0.0), entries[k][1]))
    return asked, entries


def _best_addition(ev, skills: _SeekerSkills, vvec, missing_essential, missing_optional, context):
    """Return [the missing skill whose addition would raise the fit most, the fit with it]."""
    space = context.skill_space
    raw, norm2 = skills.raw, skills.norm2
    dot = sum(w * vvec[k] for k, w in raw.items() if k in vvec)
    w_skill, w_occ, w_travel = weights.score_weights(context.use_occupations)
    rest = w_occ * ev.occupation + w_travel * ev.travel
    best = None
    for key in [*missing_essential, *missing_optional]:
        # The fit if the seeker added ``key``: their vector gains it, and its kin key if new
        # (and its norm grows).
        gain, grow = space.weight(key) * vvec[key], space.weight(key) ** 2
        kin = kin_of(key)
        if kin is not None and kin not in raw:
            gain += space.weight(kin) * vvec.get(kin, 0.0)
            grow += space.weight(kin) ** 2
        fit = w_skill * ((dot + gain) / math.sqrt(norm2 + grow)) + rest
        if ev.essential:
            missing = ev.missing_essential - (1 if key in missing_essential else 0)
            fit *= 1.0 - weights.ESSENTIAL_PENALTY * missing / ev.essential
        candidate = (ev.fit - fit, context.label(key), key)
        if best is None or candidate < best:
            best = candidate
    return [best[2], round(ev.fit - best[0], 4)]


def _congestion(vacancy: Vacancy, congestion: Congestion, *, moved, crowded: bool, demand: int):
    """Describe what congestion did to a pair: ``moved`` places down (None: unknown, a single
    pair outside a run), ``crowded`` if the capacity step left it over, ``demand`` seekers having
    the vacancy among their first SHOWN_PER_SEEKER."""
    apps = congestion.applications.get(vacancy.id, 0)
    rate = min(1.0, max(0.0, congestion.answer_rate.get(vacancy.employer_id, 1.0)))
    positions = vacancy.positions_left
    ratio = congestion_mod.applications_per_position(apps, positions)
    factor = congestion_mod.static_factor(apps, positions, rate)
    capacity = weights.SHOWN_PER_POSITION * positions
    if crowded:
        factor *= float(congestion_mod.crowded_factor(np.array([capacity]), np.array([demand]))[0])
    info = {
        "moved_down_by": max(0, moved or 0),
        "crowded": crowded,
        "shown_to": demand,
        "positions": positions,
        "applications_per_position": round(ratio, 2),
        "answer_rate": rate,
        "factor": round(factor, 4),
    }
    info["causes"] = congestion_causes(info)
    info["message"] = congestion_message(moved, info["causes"])
    return info


# --- non-matches ---------------------------------------------------------------------------------


def _failure_message(code: str, seeker: Seeker, vacancy: Vacancy, ev: Evaluation, context) -> str:
    if code == ref.NOT_OPEN:
        return f"This vacancy is not open (it is {vacancy.status})."
    if code == ref.CLOSED:
        return f"Applications closed on {_date(vacancy.closing_date)}."
    if code == ref.FULL:
        n = vacancy.positions
        return f"All {n} position{'s' if n != 1 else ''} have been filled."
    if code == ref.VACANCY_NO_LOCATION:
        return "This vacancy has no location and is not remote."
    if code == ref.SEEKER_NO_LOCATION:
        return "We do not know where you live, so only remote vacancies can match."
    if code == ref.NO_TRAVEL_MODES:
        return "You have not said how you can travel, so only remote vacancies can match."
    if code == ref.TOO_FAR:
        mode, minutes = min(ev.minutes.items(), key=lambda kv: kv[1])
        return (
            f"It is {ev.distance_m / 1000:.1f} km away: about {round(minutes)} min "
            f"{MODE_LABELS[mode]} (estimate), more than the {_num(seeker.max_travel_minutes)} "
            "minutes you will travel."
        )
    if code == ref.HOURS:
        return (
            f"It is {_num(vacancy.hours_per_week)} hours a week; you want "
            f"{_num(seeker.hours_min)} to {_num(seeker.hours_max)}."
        )
    if code == ref.LICENCE:
        return "It needs a driving licence, and you have not said you have one."
    if code == ref.NOTHING_IN_COMMON:
        if context.use_occupations:
            return "It has too little in common with your skills and the jobs you are looking for."
        return "It has too little in common with your skills."
    raise ValueError(code)


def _failure_help(ev: Evaluation, seeker, vacancy, context, reasons: Mapping) -> str:
    codes = ev.failures
    if {ref.NOT_OPEN, ref.CLOSED, ref.FULL} & set(codes):
        return (
            "This vacancy is no longer taking applications; nothing on your side would change that."
        )
    if ref.VACANCY_NO_LOCATION in codes:
        return "The employer has not said where this job is."
    if ref.SEEKER_NO_LOCATION in codes:
        return "Add your postcode so that jobs near you can be matched."
    if ref.NO_TRAVEL_MODES in codes:
        return "Say how you can travel (on foot, by bike, by bus or train, by car)."
    if ref.TOO_FAR in codes:
        mode, minutes = min(ev.minutes.items(), key=lambda kv: kv[1])
        return (
            f"It is about {math.ceil(minutes)} min {MODE_LABELS[mode]} (estimate): allowing that "
            "much travel would bring it within reach."
        )
    if ref.HOURS in codes:
        return (
            f"It is {_num(vacancy.hours_per_week)} hours a week: it would fit if you could work "
            "those hours."
        )
    if ref.LICENCE in codes:
        return "A driving licence would open this job: it is required."
    if ref.NOTHING_IN_COMMON in codes:
        held = set(seeker.skills)
        asked = [k for k in vacancy.asked_skills() if k not in held]
        essential = [k for k in asked if k in set(vacancy.essential_skills)]
        first = (essential or asked or [None])[0]
        if first is not None:
            return (
                f"Add the skill “{context.label(first)}”, if you have it: it is one of the "
                "skills it asks for."
            )
        if vacancy.asked_skills():
            return "You have the skills it asks for, but the work is far from what you are after."
        return "It asks for no skills and its title is far from the jobs you are looking for."
    return ""


def _date(d) -> str:
    return f"{d.day} {d:%B %Y}"


def _num(x: float) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:g}"
