"""Weeks in work and job outcomes, derived from spells and checks (plain Python, no Django).

One function, ``derive``, turns a town's seekers, spells (placements in work and outside jobs)
and outcome checks into each seeker's weeks in work, job outcome and status within 12 and 24
months, as ``docs/rules/outcomes.md`` defines them, with the readings it lists where the
definitions are silent. Nothing here is typed in by a person: change a spell or a check and the
outcome follows. The date is an argument (``as_of``), so a report for a past date can be rebuilt.

Trade-off: plain Python over small per-seeker lists, not numpy. A seeker has a handful of spells,
so sorting and merging them costs microseconds; a town (6,000 seekers, 10,000 spells) takes well
under a second, and the code reads like the rules. Vectorising would save little and hide them.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

__all__ = [
    "BENEFIT_GROUPS",
    "Check",
    "HARDER_TO_HELP",
    "Measure",
    "Registration",
    "SeekerOutcome",
    "Spell",
    "add_months",
    "check_state",
    "checks_due",
    "derive",
    "threshold_weeks",
]

# --- Named numbers, each from docs/rules/outcomes.md ("The terms") ------------------------------
# "Checks": "a start creates checks due at 13 and 26 weeks".
CHECK_WEEKS: Final = (13, 26)
# "Checks": "a check still unrecorded 28 days after it is due counts as unknown".
OVERDUE_AFTER_DAYS: Final = 28
# "Weeks in work": "counted between registered_on and registered_on + 24 months".
COUNTING_WINDOW_MONTHS: Final = 24
# "Cohort job outcome rate at N months (N = 12 and 24)".
STATUS_WINDOWS: Final = (12, 24)
# "Benefit group (closed list)".
BENEFIT_GROUPS: Final = (
    "jsa_18_24",
    "jsa_25_plus",
    "esa_new",
    "esa_ex_ib",
    "uc_searching",
    "uc_health",
    "none",
)
# "Harder-to-help groups (esa_new, esa_ex_ib, uc_health) reach a job outcome at 13 weeks; the
# others at 26."
HARDER_TO_HELP: Final = frozenset({"esa_new", "esa_ex_ib", "uc_health"})
THRESHOLD_WEEKS_HARDER_TO_HELP: Final = 13
THRESHOLD_WEEKS_OTHERS: Final = 26
# "Weeks in work": "The headline counts only checks with mentor_verified or employer_confirmed
# evidence".
VERIFIED_EVIDENCE: Final = frozenset({"mentor_verified", "employer_confirmed"})
EVIDENCE: Final = ("self_reported", "mentor_verified", "employer_confirmed")
# "Checks": "A check's result is in_work, not_in_work or unknown".
RESULTS: Final = ("in_work", "not_in_work", "unknown")
# "Outside job": "It is a spell like a placement's in_work".
SPELL_KINDS: Final = ("placement", "outside")
# Status values (see the module docstring for each).
STATUSES: Final = ("outcome", "no_outcome", "unknown", "pending")


# --- Inputs --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Registration:
    """A jobseeker as the outcome rules see them: when they registered and their group then."""

    id: Hashable
    registered_on: date
    benefit_group: str


@dataclass(frozen=True)
class Spell:
    """A time in work: a placement from ``in_work`` or an outside job.

    ``id`` must be unique across both kinds (e.g. ``"placement:12"``, ``"outside:7"``); ``end`` is
    the recorded end date, None while open.
    """

    id: Hashable
    seeker_id: Hashable
    kind: str
    start: date
    end: date | None = None


@dataclass(frozen=True)
class Check:
    """A 13- or 26-week check on a spell; ``result`` None means not recorded yet."""

    spell_id: Hashable
    due: date
    result: str | None = None
    evidence: str | None = None
    recorded_on: date | None = None
    hours: float | None = None


# --- Outputs -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Measure:
    """A seeker's time in work under one evidence standard (headline or inclusive)."""

    days_in_work: int
    outcome_date: date | None
    outcome_kind: str | None
    status_12: str
    status_24: str

    @property
    def weeks_in_work(self) -> float:
        return self.days_in_work / 7

    def status(self, months: int) -> str:
        """Return the status within ``months`` (12 or 24) of registering."""
        return {12: self.status_12, 24: self.status_24}[months]


@dataclass(frozen=True)
class SeekerOutcome:
    """Everything the report needs about one seeker, as of the ``as_of`` date it was derived on."""

    seeker_id: Hashable
    benefit_group: str
    registered_on: date
    threshold_weeks: int
    headline: Measure
    inclusive: Measure
    start_kinds_12: frozenset[str]
    start_kinds_24: frozenset[str]
    unknown_checks: int
    pending_checks: int

    # The headline, for callers that want one number.
    @property
    def weeks_in_work(self) -> float:
        return self.headline.weeks_in_work

    @property
    def outcome_date(self) -> date | None:
        return self.headline.outcome_date

    @property
    def outcome_kind(self) -> str | None:
        return self.headline.outcome_kind

    @property
    def status_12(self) -> str:
        return self.headline.status_12

    @property
    def status_24(self) -> str:
        return self.headline.status_24

    def start_kind(self, months: int) -> str | None:
        """Return ``placement``, ``outside`` or None: the kind of job start within ``months``."""
        kinds = {12: self.start_kinds_12, 24: self.start_kinds_24}[months]
        if "placement" in kinds:
            return "placement"
        return "outside" if kinds else None


# --- Small date helpers --------------------------------------------------------------------------
def add_months(day: date, months: int) -> date:
    """Return ``day`` plus ``months`` calendar months, on the month's last day if it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def checks_due(start: date) -> list[date]:
    """Return the due dates of the checks a start creates: 13 and 26 weeks after it."""
    return [start + timedelta(weeks=weeks) for weeks in CHECK_WEEKS]


def threshold_weeks(benefit_group: str) -> int:
    """Return the weeks in work that make a job outcome for ``benefit_group``."""
    if benefit_group not in BENEFIT_GROUPS:
        raise ValueError(
            f"unknown benefit group {benefit_group!r}; expected one of {BENEFIT_GROUPS}"
        )
    if benefit_group in HARDER_TO_HELP:
        return THRESHOLD_WEEKS_HARDER_TO_HELP
    return THRESHOLD_WEEKS_OTHERS


def check_state(check: Check, *, as_of: date) -> str:
    """Return ``in_work``, ``not_in_work``, ``unknown`` or ``pending`` as ``check`` stands on
    ``as_of``: a result recorded after ``as_of`` is not yet recorded; an unrecorded check is
    ``unknown`` from 28 days after its due date and ``pending`` before."""
    if check.result is not None and (check.recorded_on is None or check.recorded_on <= as_of):
        return check.result
    if as_of >= check.due + timedelta(days=OVERDUE_AFTER_DAYS):
        return "unknown"
    return "pending"


def _vouches_to(check: Check, state: str) -> int:
    """Return the ordinal day up to which ``check`` would vouch for work (exclusive)."""
    if state == "pending" or check.recorded_on is None or check.result is None:
        return check.due.toordinal()
    return min(check.due, check.recorded_on).toordinal()


def _validate(seekers: list[Registration], spells: list[Spell], checks: list[Check]) -> None:
    for seeker in seekers:
        threshold_weeks(seeker.benefit_group)
    for spell in spells:
        if spell.kind not in SPELL_KINDS:
            raise ValueError(f"spell {spell.id!r}: kind {spell.kind!r} not in {SPELL_KINDS}")
    for check in checks:
        if check.result is not None and check.result not in RESULTS:
            raise ValueError(
                f"check on {check.spell_id!r}: result {check.result!r} not in {RESULTS}"
            )
        if check.evidence is not None and check.evidence not in EVIDENCE:
            raise ValueError(
                f"check on {check.spell_id!r}: evidence {check.evidence!r} not in {EVIDENCE}"
            )


# --- The derivation ------------------------------------------------------------------------------
# Three stops per spell: what verified checks show (headline), what any in-work check shows
# (inclusive), and the most that unknown, overdue and pending checks could still show (optimistic,
# used only to tell "unknown" from "no outcome"; it is the same bound for both standards, since
# it already treats every unverified or missing check as verified work).
_HEADLINE, _INCLUSIVE, _OPTIMISTIC = 0, 1, 2


def _spell_stops(spell: Spell, spell_checks: list[Check], as_of: date) -> tuple[int, int, int]:
    """Return the exclusive stop day (ordinal) of ``spell`` under the three standards."""
    start = spell.start.toordinal()
    if spell.end is not None and spell.end <= as_of:
        end = max(start, spell.end.toordinal())
        return end, end, end
    headline = inclusive = optimistic = start
    for check in spell_checks:
        state = check_state(check, as_of=as_of)
        day = _vouches_to(check, state)
        if state == "in_work":
            inclusive = max(inclusive, day)
            optimistic = max(optimistic, day)
            if check.evidence in VERIFIED_EVIDENCE:
                headline = max(headline, day)
        elif state in ("unknown", "pending"):
            optimistic = max(optimistic, day)
    return headline, inclusive, optimistic


def _union_outcome(
    intervals: list[tuple[int, int, tuple, str]], threshold_days: int
) -> tuple[int, int | None, str | None]:
    """Return (days covered, outcome day or None, kind of the spell carrying the outcome).

    ``intervals`` are ``(lo, hi, order, kind)`` with ``lo < hi`` already clipped to the window;
    ``order`` breaks ties between overlapping spells (earliest start, then id as text).
    """
    total = 0
    outcome: int | None = None
    block_lo = block_hi = None
    for lo, hi, _, _ in sorted(intervals):
        if block_hi is not None and lo <= block_hi:
            block_hi = max(block_hi, hi)
            continue
        if block_hi is not None:
            if outcome is None and total + (block_hi - block_lo) >= threshold_days:
                outcome = block_lo + threshold_days - total
            total += block_hi - block_lo
        block_lo, block_hi = lo, hi
    if block_hi is not None:
        if outcome is None and total + (block_hi - block_lo) >= threshold_days:
            outcome = block_lo + threshold_days - total
        total += block_hi - block_lo
    if outcome is None:
        return total, None, None
    last_day = outcome - 1
    carriers = [(order, kind) for lo, hi, order, kind in intervals if lo <= last_day < hi]
    return total, outcome, min(carriers)[1]


def _status(outcome: int | None, optimistic: int | None, window_end: int, as_of: int) -> str:
    if outcome is not None and outcome <= window_end:
        return "outcome"
    if as_of < window_end:
        return "pending"
    if optimistic is not None and optimistic <= window_end:
        return "unknown"
    return "no_outcome"


def _derive_one(
    seeker: Registration, spells: list[Spell], checks_by_spell: dict, as_of: date
) -> SeekerOutcome:
    registered = seeker.registered_on.toordinal()
    window_ends = {n: add_months(seeker.registered_on, n).toordinal() for n in STATUS_WINDOWS}
    counting_end = add_months(seeker.registered_on, COUNTING_WINDOW_MONTHS).toordinal()
    weeks = threshold_weeks(seeker.benefit_group)
    threshold_days = weeks * 7
    intervals: tuple[list, list, list] = ([], [], [])
    start_kinds = {n: set() for n in STATUS_WINDOWS}
    unknown_checks = pending_checks = 0
    for spell in spells:
        if spell.start > as_of:
            continue
        spell_checks = checks_by_spell.get(spell.id)
        if not spell_checks:
            spell_checks = [Check(spell_id=spell.id, due=due) for due in checks_due(spell.start)]
        for check in spell_checks:
            state = check_state(check, as_of=as_of)
            unknown_checks += state == "unknown"
            pending_checks += state == "pending"
        start = spell.start.toordinal()
        for n in STATUS_WINDOWS:
            if registered <= start < window_ends[n]:
                start_kinds[n].add(spell.kind)
        order = (start, SPELL_KINDS.index(spell.kind), str(spell.id))
        lo = max(start, registered)
        for standard, stop in enumerate(_spell_stops(spell, spell_checks, as_of)):
            hi = min(stop, counting_end)
            if hi > lo:
                intervals[standard].append((lo, hi, order, spell.kind))

    results = [_union_outcome(found, threshold_days) for found in intervals]
    optimistic_outcome = results[_OPTIMISTIC][1]
    today = as_of.toordinal()

    def measure(standard: int) -> Measure:
        days, outcome, kind = results[standard]
        statuses = {
            n: _status(outcome, optimistic_outcome, window_ends[n], today) for n in STATUS_WINDOWS
        }
        return Measure(
            days_in_work=days,
            outcome_date=None if outcome is None else date.fromordinal(outcome),
            outcome_kind=kind,
            status_12=statuses[12],
            status_24=statuses[24],
        )

    return SeekerOutcome(
        seeker_id=seeker.id,
        benefit_group=seeker.benefit_group,
        registered_on=seeker.registered_on,
        threshold_weeks=weeks,
        headline=measure(_HEADLINE),
        inclusive=measure(_INCLUSIVE),
        start_kinds_12=frozenset(start_kinds[12]),
        start_kinds_24=frozenset(start_kinds[24]),
        unknown_checks=unknown_checks,
        pending_checks=pending_checks,
    )


def derive(
    seekers: Iterable[Registration],
    spells: Iterable[Spell],
    checks: Iterable[Check],
    *,
    as_of: date,
) -> dict[Hashable, SeekerOutcome]:
    """Return each seeker's weeks in work, outcome and statuses as of ``as_of``, by seeker id.

    Spells of seekers not given, and checks of spells not given, are ignored. Raises ValueError
    on a benefit group, spell kind, result or evidence outside the closed lists of
    docs/rules/outcomes.md.
    """
    seekers, spells, checks = list(seekers), list(spells), list(checks)
    _validate(seekers, spells, checks)
    spells_by_seeker: dict[Hashable, list[Spell]] = defaultdict(list)
    for spell in spells:
        spells_by_seeker[spell.seeker_id].append(spell)
    checks_by_spell: dict[Hashable, list[Check]] = defaultdict(list)
    for check in checks:
        checks_by_spell[check.spell_id].append(check)
    return {
        seeker.id: _derive_one(seeker, spells_by_seeker.get(seeker.id, []), checks_by_spell, as_of)
        for seeker in seekers
    }
