"""The commissioners' outcomes report: cohort rates, Wilson intervals, the Work Programme beside
them, and the publication rules (plain Python, no Django).

``build_report`` counts the ``SeekerOutcome`` records that ``outcomes.rules.derive`` made,
by registration cohort (month, quarter or year of ``registered_on``) and benefit group, adds two
aggregate rows per cohort (``wp_groups``: the groups that have a Work Programme figure, which is
what the whole-programme rate is compared with, docs/rules/outcomes.md; ``all``: every group),
then publishes:

* counts under 10 as "<10" and the rest rounded to the nearest 5;
* rates and Wilson 95% intervals from the rounded counts, to whole percent, only where the
  numerator is published and the denominator is published and at least 30;
* secondary suppression ("[c]"), worked out on the month, quarter and year tables together so
  that no published total in any of them pins a suppressed cell to one value.

What "row", "column" and "grouping" mean here (the cells tied by an exact sum, each written as a
``Relation``): a ROW is one cohort and group, where registered = outcomes + no outcome + unknown,
outcomes = placement + outside and job starts = placement + outside (per window); a COLUMN is one
cohort and measure, where the seven groups add up to ``all`` and the four comparable groups to
``wp_groups``; a GROUPING is one group and measure over time, where months add up to their quarter
and quarters (and months) to their year. The rule "where a row, a column or a grouping has exactly
one suppressed cell, the next smallest is suppressed too" is applied to every such sum until none
has exactly one. "Next smallest" passes over the counts rates are computed from (registered,
outcomes) while another cell of the same sum can go instead: the literal rule, applied to
registered = outcomes + no outcome + unknown where unknown is usually under 10, would withhold
the outcomes (smaller than no outcome) and so most rates. The rule alone does not stop a chain of
sums (a month's totals, then its quarter's, then a group margin) from pinning a cell, so an audit
then asks, in exact arithmetic and as if the published counts were not rounded, whether the
published cells determine any suppressed one (a linear-algebra test over all suppressed cells at
once); each cell so pinned costs one more suppression (the smallest published cell of a sum it
belongs to), and both steps repeat until nothing is pinned. The rounding to 5 then adds its own
uncertainty on top.

Cohorts run from the first registration's month to the last's. Trade-off: the suppression is
computed over all three groupings on every call, so a month table costs the quarter and year
tables too (about 0.3 s for a town's four years). It is what makes the three tables safe to
publish side by side; cache the result per ``as_of`` date if needed.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np

from outcomes.rules import BENEFIT_GROUPS, Registration, SeekerOutcome, add_months

if TYPE_CHECKING:  # SciPy loads where the suppression check needs it, not at every start
    from scipy import sparse

__all__ = [
    "GROUPINGS",
    "ROW_GROUPS",
    "WP_GROUPS",
    "Relation",
    "build_report",
    "publication_rules",
    "report_csv",
    "round_count",
    "suppress",
    "wilson_interval",
    "work_programme_figures",
]

# --- Named numbers and where they come from ------------------------------------------------------
# docs/rules/outcomes.md, "Publication": counts under 10 are shown as "<10" and others rounded
# to the nearest 5; rates are shown only where the denominator is at least 30.
SMALL_COUNT: Final = 10
ROUND_TO: Final = 5
MIN_DENOMINATOR: Final = 30
# The two-sided 95% normal quantile, scipy.stats.norm.ppf(0.975) (docs/rules/outcomes.md: Wilson
# 95% intervals).
Z_95: Final = 1.959963984540054
# docs/rules/outcomes.md "Cohort job outcome rate at N months (N = 12 and 24)".
WINDOWS: Final = (12, 24)
# docs/rules/outcomes.md "Cohorts can be grouped by month, quarter or year".
GROUPINGS: Final = ("month", "quarter", "year")
# the mapping table: the whole-programme rate is compared with "all groups that have a
# figure below", i.e. the groups with a Work Programme figure of their own.
WP_GROUPS: Final = ("jsa_18_24", "jsa_25_plus", "esa_new", "esa_ex_ib")
ROW_GROUPS: Final = (*BENEFIT_GROUPS, "wp_groups", "all")
GROUP_LABELS: Final = {
    "jsa_18_24": "JSA, aged 18 to 24",
    "jsa_25_plus": "JSA, aged 25 and over",
    "esa_new": "ESA, new claimants",
    "esa_ex_ib": "ESA, ex-incapacity benefit",
    "uc_searching": "Universal Credit, searching for work",
    "uc_health": "Universal Credit, health condition",
    "none": "No benefit",
    "wp_groups": "Groups with a Work Programme figure (JSA and ESA groups)",
    "all": "All groups",
}
# How a withheld count is shown: the "<10" for the small ones; the secondary ones are 10
# or more, so they get their own mark rather than a false "<10" (the ONS's "[c]", confidential).
SHOWN_SMALL: Final = "<10"
SHOWN_SECONDARY: Final = "[c]"
# The measures of one window, in table order (see ``_window_values``).
WINDOW_MEASURES: Final = (
    "job_starts",
    "job_starts_placement",
    "job_starts_outside",
    "outcomes",
    "outcomes_placement",
    "outcomes_outside",
    "no_outcome",
    "unknown",
    "outcomes_inclusive",
)
# Secondary suppression passes over these while another cell of the same sum can go instead:
# they are what the headline and inclusive rates are computed from.
RATE_INPUTS: Final = frozenset({"registered", "outcomes", "outcomes_inclusive"})
# Audit tolerance: a suppressed cell whose null-space component is below this (for a standard
# normal probe) is taken as pinned. A free cell's component is of order 0.01 or more; the solver
# resolves pinned ones to about 1e-10. Erring low only suppresses more.
_PINNED_TOLERANCE: Final = 1e-6
_AUDIT_PROBES: Final = 2
_CONVERGED: Final = 1e-9  # the probe's residual must be this close to the null space

DATA_DIR: Final = Path(__file__).resolve().parent / "data"
WP_CSV: Final = DATA_DIR / "work_programme_comparison.csv"


def publication_rules() -> list[str]:
    """Return the publication rules as the report states them, in plain sentences."""
    return [
        f'Counts under {SMALL_COUNT} (including 0) are shown as "{SHOWN_SMALL}"; every other count '
        f"is rounded to the nearest {ROUND_TO}.",
        "Secondary suppression: where a row, a column or a grouping has exactly one suppressed "
        f'cell, the next smallest cell is suppressed too and shown as "{SHOWN_SECONDARY}" (a count '
        f"of {SMALL_COUNT} or more withheld to protect another). The counts that rates are "
        "computed from (registered, outcomes) are passed over when another cell of the same total "
        "can be withheld instead, so that protecting a small 'unknown' does not cost the rate. A "
        "row is one cohort and group "
        "(registered = outcomes + no outcome + unknown; outcomes = placement + outside; job "
        "starts = placement + outside); a column is one cohort and measure (the groups add up "
        "to 'all', and the four JSA and ESA groups to 'groups with a Work Programme figure'); a "
        "grouping is one group and measure over time (months add up to quarters, quarters and "
        "months to years).",
        "Suppression is worked out on the month, quarter and year tables together, so that no "
        "published total in any of them pins a suppressed cell to one value; a check in exact "
        "arithmetic (as if counts were not rounded) then finds any suppressed cell still pinned "
        "through a chain of totals, suppresses the smallest published cell of a total it belongs "
        "to, and repeats until none is.",
        "Rates and their 95% intervals (Wilson) are computed from the rounded counts, shown to "
        "whole percent, and shown only where the numerator is published and the denominator is "
        f"published and at least {MIN_DENOMINATOR}.",
        "The headline rate is job outcomes evidenced by the mentor or the employer, divided by "
        "everyone registered in the cohort; unknown counts as no outcome. The inclusive rate "
        "beside it also counts outcomes that rest on the seeker's own report.",
        "Figures within N months are shown only for cohorts in which everyone registered at "
        "least N months before the report date.",
        "Work Programme rates are treated as fixed: the interval of the difference is JobMatch's "
        "Wilson interval minus the Work Programme rate, so it covers JobMatch's sampling error "
        "only.",
        "The report holds aggregates only: no row describes or identifies a person.",
    ]


def population_notes() -> list[str]:
    """Return the notes on what the comparison can and cannot say."""
    return [
        "The populations differ: the Work Programme's participants were mandated referrals from "
        "Jobcentre Plus between 2011 and 2017; JobMatch's are people who chose a community "
        "service. Differences in rates mix the effect of the service with who came to it, so "
        "they describe, they do not measure impact.",
        "Definitions are kept the same: a job outcome is 13 weeks in work for ESA and UC health "
        "groups and 26 weeks for the others, counted over any job (found through JobMatch or "
        "not) within 24 months of registering, and the rate's denominator is everyone registered "
        "in the cohort, as the Work Programme's was everyone referred.",
        "The whole-programme Work Programme rate is compared with JobMatch's JSA and ESA groups "
        "together (wp_groups), the groups that have a Work Programme figure; Universal Credit "
        "and no-benefit groups have no comparable figure.",
        "Unknown is not unemployed: unknown counts seekers whose outcome could still be decided "
        "by a check that is unknown, overdue, not yet due, or (for the headline) self-reported.",
    ]


# --- Wilson interval -----------------------------------------------------------------------------
def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Return the Wilson score interval (low, high) for ``successes`` out of ``n``, as fractions.

    Wilson (1927); Newcombe (1998) method 3. Preconditions: ``n > 0``, ``0 <= successes <= n``.
    """
    if n <= 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n and n > 0, got {successes} of {n}")
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def round_count(value: int) -> int:
    """Return ``value`` rounded to the nearest 5 (an integer is never halfway)."""
    return ROUND_TO * ((value + ROUND_TO // 2) // ROUND_TO)


def _percent(fraction: float) -> int:
    """Return ``fraction`` as whole percent, halves rounded up (not to even)."""
    return math.floor(fraction * 100 + 0.5)


# --- The Work Programme mapping ------------------------------------------------------------------
@lru_cache(maxsize=1)
def _wp_rows() -> tuple[dict, ...]:
    with WP_CSV.open(newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def work_programme_figures() -> list[dict]:
    """Return the mapping of JobMatch groups to Work Programme figures, with sources."""
    figures = []
    for row in _wp_rows():
        figures.append(
            {
                "group": row["jobmatch_group"],
                "window_months": int(row["window_months"]),
                "rate_percent": float(row["rate_percent"]) if row["rate_percent"] else None,
                "role": row["role"],
                "label": row["label"],
                "wp_payment_group": row["wp_payment_group"] or None,
                "wp_cohort": row["wp_cohort"] or None,
                "wp_measure": row["wp_measure"] or None,
                "source": row["source"] or None,
            }
        )
    return figures


# --- Periods -------------------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class _Period:
    level: str
    label: str
    start: date
    end: date  # last day, inclusive


def _period(level: str, month_index: int) -> _Period:
    year, month0 = divmod(month_index, 12)
    if level == "month":
        first, months, label = month0, 1, f"{year:04d}-{month0 + 1:02d}"
    elif level == "quarter":
        first, months = month0 - month0 % 3, 3
        label = f"{year:04d}-Q{month0 // 3 + 1}"
    else:
        first, months, label = 0, 12, f"{year:04d}"
    start = date(year, first + 1, 1)
    return _Period(level, label, start, add_months(start, months) - timedelta(days=1))


def _window_complete(period: _Period, months: int, as_of: date) -> bool:
    """Return True when everyone registered in ``period`` registered ``months`` before ``as_of``."""
    return as_of >= add_months(period.end, months)


# --- Counting ------------------------------------------------------------------------------------
def _window_values(outcome: SeekerOutcome, months: int) -> dict[str, int]:
    """Return one seeker's 0/1 contribution to each measure of a window."""
    start_kind = outcome.start_kind(months)
    status = outcome.headline.status(months)
    if status == "pending":
        raise ValueError(f"seeker {outcome.seeker_id!r}: window of {months} months still open")
    kind = outcome.headline.outcome_kind if status == "outcome" else None
    return {
        "job_starts": start_kind is not None,
        "job_starts_placement": start_kind == "placement",
        "job_starts_outside": start_kind == "outside",
        "outcomes": status == "outcome",
        "outcomes_placement": kind == "placement",
        "outcomes_outside": kind == "outside",
        "no_outcome": status == "no_outcome",
        "unknown": status == "unknown",
        "outcomes_inclusive": outcome.inclusive.status(months) == "outcome",
    }


Key = tuple[str, str, str, str]  # (level, period label, group, measure)


def _measure(months: int, name: str) -> str:
    return f"{months}:{name}"


@dataclass(frozen=True)
class Relation:
    """An exact sum among published cells: ``total == sum(parts)``."""

    total: Key
    parts: tuple[Key, ...]
    kind: str  # "row", "column" or "grouping"

    @property
    def cells(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


@dataclass
class _Table:
    periods: dict[str, list[_Period]]
    values: dict[Key, int]  # true counts of every cell that exists (window complete)
    relations: list[Relation]


def _build_table(
    outcomes: Mapping[Hashable, SeekerOutcome], seekers: Iterable[Registration], as_of: date
) -> _Table:
    population = [seeker for seeker in seekers if seeker.registered_on <= as_of]
    registered_months = [s.registered_on.year * 12 + s.registered_on.month - 1 for s in population]
    month_indexes = range(min(registered_months, default=0), max(registered_months, default=-1) + 1)
    periods: dict[str, list[_Period]] = {level: [] for level in GROUPINGS}
    parent: dict[tuple[str, str], dict[str, _Period]] = {}
    for index in month_indexes:
        chain = {level: _period(level, index) for level in GROUPINGS}
        for level, period in chain.items():
            if not periods[level] or periods[level][-1] != period:
                periods[level].append(period)
        parent[("month", chain["month"].label)] = chain
    complete = {
        (p.level, p.label, n): _window_complete(p, n, as_of)
        for level in GROUPINGS
        for p in periods[level]
        for n in WINDOWS
    }

    measures = ["registered"] + [_measure(n, m) for n in WINDOWS for m in WINDOW_MEASURES]
    month_counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for seeker in population:
        try:
            outcome = outcomes[seeker.id]
        except KeyError:
            raise KeyError(f"no derived outcome for seeker {seeker.id!r}") from None
        month = _period("month", seeker.registered_on.year * 12 + seeker.registered_on.month - 1)
        month_counts[(month.label, seeker.benefit_group, "registered")] += 1
        for n in WINDOWS:
            if complete[("month", month.label, n)]:
                for name, hit in _window_values(outcome, n).items():
                    month_counts[(month.label, seeker.benefit_group, _measure(n, name))] += hit

    def exists(period: _Period, measure: str) -> bool:
        return measure == "registered" or complete[(period.level, period.label, int(measure[:2]))]

    values: dict[Key, int] = {}
    for month in periods["month"]:
        chain = parent[("month", month.label)]
        for group in BENEFIT_GROUPS:
            for measure in measures:
                if not exists(month, measure):
                    continue
                count = month_counts.get((month.label, group, measure), 0)
                for level in GROUPINGS:
                    period = chain[level]
                    if exists(period, measure):
                        key = (level, period.label, group, measure)
                        values[key] = values.get(key, 0) + count
    for (level, label, group, measure), count in list(values.items()):
        if group in WP_GROUPS:
            key = (level, label, "wp_groups", measure)
            values[key] = values.get(key, 0) + count
        key = (level, label, "all", measure)
        values[key] = values.get(key, 0) + count
    return _Table(periods, values, _relations(periods, parent, values))


def _relations(periods, parent, values: dict[Key, int]) -> list[Relation]:
    """Return every exact sum among the cells that exist (see the module docstring)."""
    relations: list[Relation] = []
    others = tuple(g for g in BENEFIT_GROUPS if g not in WP_GROUPS)
    by_period_measure: dict[tuple[str, str, str], None] = {}
    for level, label, _group, measure in values:
        by_period_measure[(level, label, measure)] = None
    for level, label, measure in by_period_measure:  # columns: groups add up
        cell = {group: (level, label, group, measure) for group in ROW_GROUPS}
        relations += [
            Relation(cell["all"], tuple(cell[g] for g in BENEFIT_GROUPS), "column"),
            Relation(cell["wp_groups"], tuple(cell[g] for g in WP_GROUPS), "column"),
            Relation(cell["all"], (cell["wp_groups"], *(cell[g] for g in others)), "column"),
        ]
    for level in GROUPINGS:  # rows: a cohort and group's breakdowns
        for period in periods[level]:
            for group in ROW_GROUPS:
                registered = (level, period.label, group, "registered")
                for n in WINDOWS:
                    cell = {
                        m: (level, period.label, group, _measure(n, m)) for m in WINDOW_MEASURES
                    }
                    if cell["outcomes"] not in values:
                        continue
                    breakdown = (cell["outcomes"], cell["no_outcome"], cell["unknown"])
                    split = (cell["outcomes_placement"], cell["outcomes_outside"])
                    starts = (cell["job_starts_placement"], cell["job_starts_outside"])
                    relations += [
                        Relation(registered, breakdown, "row"),
                        Relation(registered, (*split, *breakdown[1:]), "row"),
                        Relation(cell["outcomes"], split, "row"),
                        Relation(cell["job_starts"], starts, "row"),
                    ]
    children: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for chain in parent.values():  # groupings: months add up to quarters and years
        month, quarter, year = chain["month"], chain["quarter"], chain["year"]
        children[("quarter", quarter.label)].append(("month", month.label))
        children[("year", year.label)].append(("month", month.label))
        if ("quarter", quarter.label) not in children[("year", year.label)]:
            children[("year", year.label)].append(("quarter", quarter.label))
    measures = sorted({measure for *_, measure in values})
    for (level, label), kids in children.items():
        for child_level in ("month", "quarter"):
            members = [k for k in kids if k[0] == child_level]
            if not members:
                continue
            for group in ROW_GROUPS:
                for measure in measures:
                    total = (level, label, group, measure)
                    if total in values:
                        parts = tuple((lv, lb, group, measure) for lv, lb in members)
                        relations.append(Relation(total, parts, "grouping"))
    return relations


# --- Suppression ---------------------------------------------------------------------------------
def suppress(values: Mapping[Key, int], relations: list[Relation]) -> dict[Key, str]:
    """Return the suppressed cells: ``"small"`` (under 10) or ``"secondary"``.

    Applies the product rule to a fixed point, then audits for cells pinned through chains of
    sums, suppressing more until none is (see the module docstring).
    """
    suppressed = {key: "small" for key, value in values.items() if value < SMALL_COUNT}
    by_cell: dict[Key, list[int]] = defaultdict(list)
    for index, relation in enumerate(relations):
        for key in relation.cells:
            by_cell[key].append(index)
    _apply_rule(values, relations, by_cell, suppressed, range(len(relations)))
    while True:
        pinned = _pinned_cells(relations, suppressed)
        if not pinned:
            return suppressed
        added = []
        for key in sorted(pinned):
            extra = _nearest_published(key, values, relations, by_cell, suppressed)
            if extra is not None:
                suppressed[extra] = "secondary"
                added.append(extra)
        if not added:  # nothing left to suppress: cannot happen with non-negative counts
            return suppressed
        touched = {index for key in added for index in by_cell[key]}
        _apply_rule(values, relations, by_cell, suppressed, sorted(touched))


def _cost(values: Mapping[Key, int], key: Key) -> tuple[bool, int, Key]:
    """Order the cells that could be suppressed next: a count that a rate is computed from
    (registered, outcomes) is passed over while another cell of the same sum can go instead;
    then the smallest; then the key, so the choice is deterministic."""
    return key[3].split(":")[-1] in RATE_INPUTS, values[key], key


def _apply_rule(values, relations, by_cell, suppressed: dict, start: Iterable[int]) -> None:
    """Where a sum has exactly one suppressed cell, suppress its next smallest; to a fixed point."""
    queue = deque(start)
    queued = set(queue)
    while queue:
        index = queue.popleft()
        queued.discard(index)
        cells = relations[index].cells
        if sum(key in suppressed for key in cells) != 1:
            continue
        pick = min((key for key in cells if key not in suppressed), key=lambda k: _cost(values, k))
        suppressed[pick] = "secondary"
        for other in by_cell[pick]:
            if other not in queued:
                queue.append(other)
                queued.add(other)


def _nearest_published(key, values, relations, by_cell, suppressed) -> Key | None:
    """Return the smallest published cell of a sum containing ``key`` (searching outwards)."""
    seen_cells, frontier = {key}, [key]
    while frontier:
        candidates = [
            cell
            for current in frontier
            for index in by_cell[current]
            for cell in relations[index].cells
            if cell not in suppressed
        ]
        if candidates:
            return min(candidates, key=lambda k: _cost(values, k))
        frontier = [
            cell
            for current in frontier
            for index in by_cell[current]
            for cell in relations[index].cells
            if cell not in seen_cells
        ]
        seen_cells.update(frontier)
    return None


def _pinned_cells(relations: list[Relation], suppressed: Mapping[Key, str]) -> set[Key]:
    """Return the suppressed cells that the published cells determine exactly.

    The sums touching suppressed cells form ``A x = b`` over the suppressed cells ``x`` (``b``
    from published cells). A cell is determined iff its unit vector lies in A's row space, i.e.
    iff every vector of A's null space is zero there. Projecting random vectors onto the null
    space (the residual of a sparse least-squares fit, LSQR) tests all cells at once: a free
    cell gets a non-zero component with probability one, a determined one zero.
    """
    columns = {key: i for i, key in enumerate(sorted(suppressed))}
    rows, cols, coefficients = [], [], []
    row = 0
    for relation in relations:
        entries = [(columns[relation.total], 1.0)] if relation.total in columns else []
        entries += [(columns[part], -1.0) for part in relation.parts if part in columns]
        if not entries:
            continue
        for col, coefficient in entries:
            rows.append(row)
            cols.append(col)
            coefficients.append(coefficient)
        row += 1
    if not columns:
        return set()
    if row == 0:
        return set()
    from scipy import sparse

    matrix = sparse.csr_matrix((coefficients, (rows, cols)), shape=(row, len(columns)))
    null_part = _null_space_probe(matrix)
    keys = list(columns)
    return {keys[i] for i in np.flatnonzero(null_part < _PINNED_TOLERANCE)}


def _null_space_probe(matrix: sparse.csr_matrix) -> np.ndarray:
    """Return, per column, the largest |component| of random vectors projected on null(matrix)."""
    from scipy.sparse.linalg import lsqr

    rng = np.random.default_rng(20260131)  # fixed: the same data always gives the same report
    transposed = matrix.T.tocsr()
    largest = np.zeros(matrix.shape[1])
    for _ in range(_AUDIT_PROBES):
        probe = rng.standard_normal(matrix.shape[1])
        solution = lsqr(transposed, probe, atol=1e-14, btol=1e-14, iter_lim=20 * matrix.shape[0])
        residual = probe - transposed @ solution[0]
        if np.linalg.norm(matrix @ residual) > _CONVERGED * max(1.0, np.linalg.norm(residual)):
            # Not converged, so the residual may still hold row-space parts that would make a
            # pinned cell look free. Fall back to an exact (and slower) dense decomposition.
            return _null_space_dense(matrix)
        largest = np.maximum(largest, np.abs(residual))
    return largest


def _null_space_dense(matrix: sparse.csr_matrix) -> np.ndarray:
    """Return, per column, the norm of the null-space basis there (0 where a cell is pinned)."""
    dense = matrix.toarray()
    _, singular, vt = np.linalg.svd(dense, full_matrices=True)
    rank = int((singular > 1e-9 * max(singular.max(initial=0.0), 1.0)).sum())
    return np.sqrt((vt[rank:] ** 2).sum(axis=0))


# --- Publishing ----------------------------------------------------------------------------------
def _cell(table: _Table, suppressed: Mapping[Key, str], key: Key) -> dict:
    mark = suppressed.get(key)
    if mark == "small":
        return {"value": None, "shown": SHOWN_SMALL, "suppressed": "small"}
    if mark == "secondary":
        return {"value": None, "shown": SHOWN_SECONDARY, "suppressed": "secondary"}
    value = round_count(table.values[key])
    return {"value": value, "shown": str(value), "suppressed": None}


def _rate(numerator: dict, denominator: dict) -> dict:
    if numerator["value"] is None or denominator["value"] is None:
        which = "numerator" if numerator["value"] is None else "denominator"
        return _no_rate(f"{which} suppressed")
    if denominator["value"] < MIN_DENOMINATOR:
        return _no_rate(f"denominator under {MIN_DENOMINATOR}")
    x, n = numerator["value"], denominator["value"]
    low, high = wilson_interval(x, n)
    percent, low_pc, high_pc = _percent(x / n), _percent(low), _percent(high)
    return {
        "percent": percent,
        "low": low_pc,
        "high": high_pc,
        "shown": f"{percent}% ({low_pc}% to {high_pc}%)",
        "reason": None,
        "_exact": (x / n, low, high),
    }


def _no_rate(reason: str) -> dict:
    return {"percent": None, "low": None, "high": None, "shown": "", "reason": reason}


def _comparison(group: str, months: int, rate: dict) -> list[dict]:
    """Return the Work Programme figures for a row and window, with the difference's interval."""
    figures = []
    for figure in work_programme_figures():
        if figure["group"] != group or figure["window_months"] != months:
            continue
        if figure["rate_percent"] is None:
            continue
        difference = None
        if rate["percent"] is not None:
            exact, low, high = rate["_exact"]
            wp = figure["rate_percent"]
            difference = {
                "points": _points(exact * 100 - wp),
                "low": _points(low * 100 - wp),
                "high": _points(high * 100 - wp),
            }
        figures.append({**figure, "difference": difference})
    return figures


def _points(value: float) -> int:
    return math.floor(value + 0.5)


def _window(table, suppressed, period: _Period, group: str, months: int, as_of: date) -> dict:
    if (period.level, period.label, group, _measure(months, "outcomes")) not in table.values:
        closes = add_months(period.end, months)
        return {
            "complete": False,
            "reason": f"the {months}-month window of this cohort is complete on "
            f"{closes.isoformat()}, after the report date {as_of.isoformat()}",
        }
    cells = {
        name: _cell(table, suppressed, (period.level, period.label, group, _measure(months, name)))
        for name in WINDOW_MEASURES
    }
    registered = _cell(table, suppressed, (period.level, period.label, group, "registered"))
    rate = _rate(cells["outcomes"], registered)
    rate_inclusive = _rate(cells["outcomes_inclusive"], registered)
    comparison = _comparison(group, months, rate)
    rate.pop("_exact", None)
    rate_inclusive.pop("_exact", None)
    return {
        "complete": True,
        "reason": None,
        **cells,
        "rate": rate,
        "rate_inclusive": rate_inclusive,
        "work_programme": comparison,
    }


def build_report(
    outcomes: Mapping[Hashable, SeekerOutcome],
    seekers: Iterable[Registration],
    *,
    grouping: str,
    as_of: date,
) -> dict:
    """Return the commissioners' report for ``grouping`` as of ``as_of``, as JSON-able data.

    ``outcomes`` is ``derive(...)``'s result for the same ``as_of``; ``seekers`` is the
    population (everyone registered on or before ``as_of`` counts). Suppression is computed over
    all three groupings so the month, quarter and year reports can be published side by side.
    """
    if grouping not in GROUPINGS:
        raise ValueError(f"grouping must be one of {GROUPINGS}, got {grouping!r}")
    table = _build_table(outcomes, seekers, as_of)
    suppressed = suppress(table.values, table.relations)
    rows = []
    for period in table.periods[grouping]:
        for group in ROW_GROUPS:
            key = (period.level, period.label, group, "registered")
            row = {
                "cohort": period.label,
                "cohort_start": period.start.isoformat(),
                "cohort_end": period.end.isoformat(),
                "group": group,
                "group_label": GROUP_LABELS[group],
                "registered": _cell(table, suppressed, key),
            }
            for months in WINDOWS:
                row[f"within_{months}"] = _window(table, suppressed, period, group, months, as_of)
            rows.append(row)
    return {
        "title": "JobMatch job outcomes by registration cohort and benefit group",
        "as_of": as_of.isoformat(),
        "grouping": grouping,
        "windows": list(WINDOWS),
        "groups": [{"id": g, "label": GROUP_LABELS[g]} for g in ROW_GROUPS],
        "rules": publication_rules(),
        "notes": population_notes(),
        "work_programme": work_programme_figures(),
        "rows": rows,
    }


# --- CSV -----------------------------------------------------------------------------------------
def _csv_header() -> list[str]:
    header = ["cohort", "cohort_start", "cohort_end", "group", "registered"]
    for months in WINDOWS:
        prefix = f"within_{months}_"
        header += [prefix + "complete", *(prefix + name for name in WINDOW_MEASURES)]
        header += [prefix + f"rate_{part}" for part in ("percent", "low", "high")]
        header += [prefix + f"rate_inclusive_{part}" for part in ("percent", "low", "high")]
        header += [prefix + "rate_note"]
        header += [
            prefix + f"wp_{part}"
            for part in (
                "rate_percent",
                "label",
                "difference_points",
                "difference_low",
                "difference_high",
                "beside_rate_percent",
                "beside_label",
                "source",
            )
        ]
    return header


def _csv_row(row: dict) -> list:
    out = [row["cohort"], row["cohort_start"], row["cohort_end"], row["group"]]
    out.append(row["registered"]["shown"])
    for months in WINDOWS:
        window = row[f"within_{months}"]
        if not window["complete"]:
            out += ["no", *([""] * len(WINDOW_MEASURES)), *([""] * 6), window["reason"]]
            out += [""] * 8
            continue
        out += ["yes", *(window[name]["shown"] for name in WINDOW_MEASURES)]
        for rate in (window["rate"], window["rate_inclusive"]):
            out += ["" if rate[part] is None else rate[part] for part in ("percent", "low", "high")]
        out.append(window["rate"]["reason"] or "")
        main = next((f for f in window["work_programme"] if f["role"] == "comparison"), None)
        beside = next((f for f in window["work_programme"] if f["role"] == "beside"), None)
        difference = (main or {}).get("difference") or {}
        out += [
            "" if main is None else main["rate_percent"],
            "" if main is None else main["label"],
            difference.get("points", ""),
            difference.get("low", ""),
            difference.get("high", ""),
            "" if beside is None else beside["rate_percent"],
            "" if beside is None else beside["label"],
            "" if main is None else main["source"],
        ]
    return out


def report_csv(report: dict) -> str:
    """Return the report's table as CSV text (the same rows and published values as the JSON)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_csv_header())
    for row in report["rows"]:
        writer.writerow(_csv_row(row))
    return buffer.getvalue()
