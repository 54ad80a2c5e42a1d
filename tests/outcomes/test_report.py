"""The commissioners' report: Wilson intervals, publication rules, suppression, CSV and chart.

The suppression tests do not trust the report's own bookkeeping: they rebuild, from the three
published reports (month, quarter and year) and from the seekers' outcomes, which published
cells add up to which, and then ask whether any suppressed cell is pinned to one value, first in
exact arithmetic (linear algebra, as if the counts were not rounded), then as an attacker really
sees the tables (each published count only known to within its rounding, "<10" as 0 to 9,
"[c]" as 10 or more) with an integer program per cell.

The chart tests need matplotlib (in the lock); they import ``outcomes.chart`` inside the test.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.stats import binomtest

from outcomes.report import (
    WP_GROUPS,
    Relation,
    build_report,
    report_csv,
    round_count,
    suppress,
    wilson_interval,
)
from outcomes.rules import (
    BENEFIT_GROUPS,
    Check,
    Measure,
    Registration,
    SeekerOutcome,
    Spell,
    checks_due,
    derive,
)

MEASURES = (
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
GROUPINGS = ("month", "quarter", "year")


# --- Wilson intervals ----------------------------------------------------------------------------
# Newcombe RG (1998), "Two-sided confidence intervals for the single proportion: comparison of
# seven methods", Statistics in Medicine 17:857-872: the score (Wilson) interval, method 3, for
# his worked examples, to 4 decimals.
NEWCOMBE = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
    (29, 29, 0.8830, 1.0000),
]


@pytest.mark.parametrize(("x", "n", "low", "high"), NEWCOMBE)
def test_wilson_matches_newcombes_published_values(x, n, low, high):
    got = wilson_interval(x, n)
    assert got == pytest.approx((low, high), abs=5e-5)


def _wilson_by_quadratic(x: int, n: int, z: float) -> tuple[float, float]:
    """The Wilson bounds as the roots of (p - x/n)^2 = z^2 p (1 - p) / n, solved directly."""
    a = 1 + z * z / n
    b = -(2 * x / n + z * z / n)
    c = (x / n) ** 2
    root = math.sqrt(b * b - 4 * a * c)
    return (-b - root) / (2 * a), (-b + root) / (2 * a)


@pytest.mark.parametrize(("x", "n"), [(0, 30), (3, 30), (10, 35), (50, 100), (285, 795), (7, 7)])
def test_wilson_matches_the_quadratic_and_scipy(x, n):
    z = 1.959963984540054
    got = wilson_interval(x, n)
    assert got == pytest.approx(_wilson_by_quadratic(x, n, z), abs=1e-12)
    scipy_ci = binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert got == pytest.approx((scipy_ci.low, scipy_ci.high), abs=1e-12)


def test_wilson_refuses_impossible_counts():
    with pytest.raises(ValueError):
        wilson_interval(1, 0)
    with pytest.raises(ValueError):
        wilson_interval(5, 4)


# --- Hand-built outcomes -------------------------------------------------------------------------
def made(seeker_id, registered, group, *, s12, s24, kind="placement", inclusive=None):
    """Return a seeker and an outcome with the given statuses (the report only counts them)."""
    inc12, inc24 = inclusive or (s12, s24)
    headline = Measure(0, None, kind if "outcome" in (s12, s24) else None, s12, s24)
    wide = Measure(0, None, kind if "outcome" in (inc12, inc24) else None, inc12, inc24)
    outcome = SeekerOutcome(
        seeker_id, group, registered, 26, headline, wide, frozenset(), frozenset(), 0, 0
    )
    return Registration(seeker_id, registered, group), outcome


def cohort(group, registered_on, counts, *, start_id=0):
    """Return seekers and outcomes: ``counts`` maps (s12, s24) status pairs to how many."""
    pairs = []
    next_id = start_id
    for (s12, s24), how_many in counts.items():
        for _ in range(how_many):
            pairs.append(made(next_id, registered_on, group, s12=s12, s24=s24))
            next_id += 1
    return pairs


def report_of(pairs, *, grouping="month", as_of=date(2025, 1, 31)):
    seekers = [s for s, _ in pairs]
    outcomes = {o.seeker_id: o for _, o in pairs}
    return build_report(outcomes, seekers, grouping=grouping, as_of=as_of)


def row_of(report, cohort_label, group):
    return next(r for r in report["rows"] if r["cohort"] == cohort_label and r["group"] == group)


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(10, 10), (11, 10), (12, 10), (13, 15), (14, 15), (15, 15), (27, 25), (28, 30), (1002, 1000)],
)
def test_counts_round_to_the_nearest_5(value, rounded):
    assert round_count(value) == rounded


def test_rates_come_from_rounded_counts_and_show_to_whole_percent():
    # 33 registered (shown 35), 12 outcomes (shown 10), 21 no outcome, no unknown: 10 / 35.
    pairs = cohort(
        "jsa_25_plus",
        date(2022, 1, 15),
        {("outcome", "outcome"): 12, ("no_outcome", "no_outcome"): 21},
    )
    row = row_of(report_of(pairs), "2022-01", "jsa_25_plus")
    assert row["registered"]["shown"] == "35"
    window = row["within_24"]
    assert window["outcomes"]["shown"] == "10"
    assert window["unknown"]["shown"] == "<10"  # 0 is under 10
    low, high = wilson_interval(10, 35)
    assert window["rate"]["percent"] == 29  # 28.57...
    assert (window["rate"]["low"], window["rate"]["high"]) == (
        math.floor(low * 100 + 0.5),
        math.floor(high * 100 + 0.5),
    )
    assert window["rate"]["shown"] == f"29% ({window['rate']['low']}% to {window['rate']['high']}%)"
    # The unknown cell is under 10, so another cell of registered = outcomes + no outcome +
    # unknown is withheld too: no outcome, not the outcomes the rate needs.
    assert window["no_outcome"]["shown"] == "[c]"


def test_no_rate_when_the_denominator_is_under_30_or_the_numerator_suppressed():
    yes, no = ("outcome", "outcome"), ("no_outcome", "no_outcome")
    small = cohort("uc_searching", date(2022, 1, 15), {yes: 15, no: 12})
    enough = cohort("jsa_25_plus", date(2022, 1, 15), {yes: 15, no: 13}, start_id=100)
    few = cohort("none", date(2022, 1, 15), {yes: 6, no: 40}, start_id=200)
    # uc_health keeps "all = wp_groups + uc_searching + uc_health + none" free of small cells,
    # which would otherwise withhold the smallest of them (uc_searching's registered).
    other = cohort("uc_health", date(2022, 1, 15), {("no_outcome", "no_outcome"): 20}, start_id=300)
    report = report_of(small + enough + few + other)
    under = row_of(report, "2022-01", "uc_searching")
    assert under["registered"]["shown"] == "25"  # 27 rounds to 25: under 30
    assert under["within_24"]["rate"]["percent"] is None
    assert under["within_24"]["rate"]["reason"] == "denominator under 30"
    at_30 = row_of(report, "2022-01", "jsa_25_plus")
    assert at_30["registered"]["shown"] == "30"  # 28 rounds to 30: shown
    assert at_30["within_24"]["rate"]["percent"] == 50  # 15 / 30
    hidden = row_of(report, "2022-01", "none")
    assert hidden["within_24"]["outcomes"]["shown"] == "<10"
    assert hidden["within_24"]["rate"]["reason"] == "numerator suppressed"


def test_only_complete_windows_get_figures():
    pairs = cohort("jsa_25_plus", date(2023, 6, 1), {("no_outcome", "pending"): 40})
    row = row_of(report_of(pairs, as_of=date(2024, 8, 1)), "2023-06", "jsa_25_plus")
    assert row["within_12"]["complete"] is True
    assert row["within_24"] == {
        "complete": False,
        "reason": "the 24-month window of this cohort is complete on 2025-06-30, after the "
        "report date 2024-08-01",
    }
    quarter = row_of(report_of(pairs, grouping="quarter", as_of=date(2024, 8, 1)), "2023-Q2", "all")
    assert quarter["within_12"]["complete"] is True  # Q2 ends 2023-06-30; 12 months have passed


def test_work_programme_comparison_and_difference_interval():
    yes, no = ("outcome", "outcome"), ("no_outcome", "no_outcome")
    pairs = cohort("jsa_25_plus", date(2022, 2, 1), {yes: 80, no: 120})
    pairs += cohort("esa_new", date(2022, 2, 1), {yes: 30, no: 70}, start_id=1000)
    report = report_of(pairs)
    wp = row_of(report, "2022-02", "wp_groups")["within_24"]
    assert wp["outcomes"]["shown"] == "110" and wp["rate"]["percent"] == 37  # 110 / 300
    (figure,) = wp["work_programme"]
    assert figure["rate_percent"] == 27.8 and figure["role"] == "comparison"
    assert "learningandwork" in figure["source"]
    low, high = wilson_interval(110, 300)
    assert figure["difference"] == {
        "points": math.floor(110 / 300 * 100 - 27.8 + 0.5),
        "low": math.floor(low * 100 - 27.8 + 0.5),
        "high": math.floor(high * 100 - 27.8 + 0.5),
    }
    esa = row_of(report, "2022-02", "esa_new")["within_24"]["work_programme"]
    assert [(f["rate_percent"], f["role"]) for f in esa] == [(15.1, "comparison"), (12.2, "beside")]
    assert (
        row_of(report, "2022-02", "wp_groups")["within_12"]["work_programme"][0]["rate_percent"]
        == 13.0
    )
    for group in ("uc_searching", "uc_health", "none", "all"):
        assert row_of(report, "2022-02", group)["within_24"]["work_programme"] == []
    assert row_of(report, "2022-02", "jsa_25_plus")["within_12"]["work_programme"] == []


def test_shipped_mapping_is_product_md_s_table_and_traces_to_the_benchmarks():
    from outcomes.report import work_programme_figures

    figures = {
        (f["group"], f["window_months"], f["role"]): f["rate_percent"]
        for f in work_programme_figures()
        if f["rate_percent"] is not None
    }
    assert figures == {
        ("wp_groups", 24, "comparison"): 27.8,
        ("wp_groups", 12, "comparison"): 13.0,
        ("jsa_18_24", 24, "comparison"): 36.4,
        ("jsa_25_plus", 24, "comparison"): 31.7,
        ("esa_new", 24, "comparison"): 15.1,
        ("esa_new", 24, "beside"): 12.2,
        ("esa_ex_ib", 24, "comparison"): 5.4,
    }
    assert set(WP_GROUPS) == {g for g, *_ in figures} - {"wp_groups"}
    benchmarks = (
        Path(__file__).resolve().parents[2].parent / "shared/data/work_programme_benchmarks.csv"
    )
    if not benchmarks.exists():
        pytest.skip("../shared/data/work_programme_benchmarks.csv is not beside the project")
    with benchmarks.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for figure in work_programme_figures():
        if figure["rate_percent"] is None:
            continue
        matches = [
            r
            for r in rows
            if float(r["rate_percent"] or "nan") == figure["rate_percent"]
            and r["payment_group"] == figure["wp_payment_group"]
            and r["cohort"] == figure["wp_cohort"]
            and r["measure"] == figure["wp_measure"]
            and r["source"] == figure["source"]
        ]
        assert len(matches) == 1, figure


def test_report_is_json_and_states_its_rules_and_notes():
    report = report_of(cohort("none", date(2022, 1, 1), {("outcome", "outcome"): 40}))
    assert json.loads(json.dumps(report)) == report
    rules = " ".join(report["rules"])
    for phrase in ('"<10"', "nearest 5", "at least 30", "exactly one suppressed", "[c]", "fixed"):
        assert phrase in rules
    assert any("mandated" in note or "referred" in note for note in report["notes"])
    with pytest.raises(ValueError):
        report_of([], grouping="week")


def test_csv_is_the_same_table():
    pairs = cohort(
        "jsa_25_plus",
        date(2022, 1, 15),
        {("outcome", "outcome"): 40, ("no_outcome", "no_outcome"): 60},
    )
    report = report_of(pairs, grouping="quarter")
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    assert len(rows) == len(report["rows"])
    for line, row in zip(rows, report["rows"], strict=True):
        assert (line["cohort"], line["group"]) == (row["cohort"], row["group"])
        assert line["registered"] == row["registered"]["shown"]
        for months in (12, 24):
            window = row[f"within_{months}"]
            for name in MEASURES:
                assert line[f"within_{months}_{name}"] == (
                    window[name]["shown"] if window["complete"] else ""
                )
            rate = window.get("rate", {}).get("percent")
            assert line[f"within_{months}_rate_percent"] == ("" if rate is None else str(rate))
    wp = next(r for r in rows if r["group"] == "wp_groups")
    assert wp["within_24_wp_rate_percent"] == "27.8"


# --- Suppression across month, quarter and year --------------------------------------------------
def town(seed: int, seekers: int, first: date, months: int, as_of: date):
    """Return (seekers, outcomes) of a random town: groups of very different sizes, spells of
    both kinds, checks with every result and evidence, some never recorded."""
    rng = random.Random(seed)
    weights = [12, 30, 8, 5, 25, 12, 8]
    people, spells, checks = [], [], []
    for i in range(seekers):
        registered = first + timedelta(days=rng.randrange(months * 30))
        people.append(Registration(i, registered, rng.choices(BENEFIT_GROUPS, weights)[0]))
        for j in range(rng.choice([0, 0, 1, 1, 1, 2])):
            start = registered + timedelta(days=rng.randrange(600))
            if start > as_of:
                continue
            length = int(rng.expovariate(1 / 200))
            end = start + timedelta(days=length) if rng.random() < 0.6 else None
            spell_id = f"{i}:{j}"
            kind = "placement" if rng.random() < 0.6 else "outside"
            spells.append(Spell(spell_id, i, kind, start, end if end and end <= as_of else None))
            for due in checks_due(start):
                if due > as_of or rng.random() < 0.08:
                    checks.append(Check(spell_id, due))
                    continue
                result = "in_work" if length >= (due - start).days else "not_in_work"
                result = "unknown" if rng.random() < 0.07 else result
                evidence = rng.choices(
                    ["employer_confirmed", "mentor_verified", "self_reported"], [55, 30, 15]
                )[0]
                checks.append(Check(spell_id, due, result, evidence, min(due, as_of), 30.0))
    return people, derive(people, spells, checks, as_of=as_of)


def quarter_of(label: str) -> str:
    year, month = label.split("-")
    return f"{year}-Q{(int(month) - 1) // 3 + 1}"


def true_counts(people, outcomes, as_of):
    """Return the true count of every (grouping, cohort, group, measure), counted afresh."""
    counts: dict[tuple, int] = defaultdict(int)
    for seeker in people:
        outcome = outcomes[seeker.id]
        month = seeker.registered_on.strftime("%Y-%m")
        labels = {"month": month, "quarter": quarter_of(month), "year": month[:4]}
        groups = [seeker.benefit_group, "all"] + (
            ["wp_groups"] if seeker.benefit_group in WP_GROUPS else []
        )
        values = {"registered": 1}
        for n in (12, 24):
            status = outcome.headline.status(n)
            start = outcome.start_kind(n)
            values |= {
                f"{n}:job_starts": start is not None,
                f"{n}:job_starts_placement": start == "placement",
                f"{n}:job_starts_outside": start == "outside",
                f"{n}:outcomes": status == "outcome",
                f"{n}:outcomes_placement": status == "outcome"
                and outcome.outcome_kind == "placement",
                f"{n}:outcomes_outside": status == "outcome" and outcome.outcome_kind == "outside",
                f"{n}:no_outcome": status == "no_outcome",
                f"{n}:unknown": status == "unknown",
                f"{n}:outcomes_inclusive": outcome.inclusive.status(n) == "outcome",
            }
        for grouping, label in labels.items():
            for group in groups:
                for measure, value in values.items():
                    counts[(grouping, label, group, measure)] += int(value)
    return counts


def published(reports):
    """Return every published cell of the three reports: key -> shown text."""
    cells = {}
    for grouping, report in reports.items():
        for row in report["rows"]:
            base = (grouping, row["cohort"], row["group"])
            cells[(*base, "registered")] = row["registered"]["shown"]
            for n in (12, 24):
                window = row[f"within_{n}"]
                if window["complete"]:
                    for name in MEASURES:
                        cells[(*base, f"{n}:{name}")] = window[name]["shown"]
    return cells


def sums(cells):
    """Return every exact sum among published cells, as (total, parts), rebuilt from labels."""
    found = []
    by_period = defaultdict(set)
    for grouping, label, group, measure in cells:
        by_period[(grouping, label, measure)].add(group)
    others = [g for g in BENEFIT_GROUPS if g not in WP_GROUPS]
    for grouping, label, measure in by_period:  # columns
        key = {g: (grouping, label, g, measure) for g in (*BENEFIT_GROUPS, "wp_groups", "all")}
        found.append((key["all"], [key[g] for g in BENEFIT_GROUPS]))
        found.append((key["wp_groups"], [key[g] for g in WP_GROUPS]))
        found.append((key["all"], [key["wp_groups"]] + [key[g] for g in others]))
    rows = {(grouping, label, group) for grouping, label, group, _ in cells}
    for grouping, label, group in rows:  # rows
        registered = (grouping, label, group, "registered")
        for n in (12, 24):
            key = {m: (grouping, label, group, f"{n}:{m}") for m in MEASURES}
            if key["outcomes"] not in cells:
                continue
            found.append((registered, [key["outcomes"], key["no_outcome"], key["unknown"]]))
            found.append((key["outcomes"], [key["outcomes_placement"], key["outcomes_outside"]]))
            found.append(
                (key["job_starts"], [key["job_starts_placement"], key["job_starts_outside"]])
            )
    children = defaultdict(list)  # groupings: months into quarters and years, quarters into years
    for grouping, label, group, measure in cells:
        if grouping == "month":
            children[("quarter", quarter_of(label), group, measure)].append(
                (grouping, label, group, measure)
            )
            children[("year", label[:4], group, measure)].append((grouping, label, group, measure))
        if grouping == "quarter":
            children[("year", label[:4], group, measure, "q")].append(
                (grouping, label, group, measure)
            )
    for total, parts in children.items():
        total = total[:4]
        if total in cells:
            found.append((total, parts))
    return found


def suppressed_of(cells):
    return sorted(key for key, shown in cells.items() if shown in ("<10", "[c]"))


# Seed 11 in the quick tier; 23 and 37 (about 13 s each) in the full tier.
@pytest.fixture(
    scope="module",
    params=[11, pytest.param(23, marks=pytest.mark.full), pytest.param(37, marks=pytest.mark.full)],
)
def three_reports(request):
    """A small town's month, quarter and year reports: registered October 2021 to March 2022
    (across a year's end), as of a date when the 24-month windows of the 2021 cohorts are
    complete and those of 2022 are not."""
    as_of = date(2024, 1, 15)
    people, outcomes = town(request.param, 600, date(2021, 10, 1), 6, as_of)
    reports = {g: build_report(outcomes, people, grouping=g, as_of=as_of) for g in GROUPINGS}
    return people, outcomes, reports, as_of


def test_published_counts_are_true_counts_rounded_or_withheld(three_reports):
    people, outcomes, reports, as_of = three_reports
    cells = published(reports)
    truth = true_counts(people, outcomes, as_of)
    assert any(shown == "[c]" for shown in cells.values())
    for key, shown in cells.items():
        value = truth.get(key, 0)
        if value < 10:
            assert shown == "<10", key
        else:
            assert shown in (str(round_count(value)), "[c]"), key
    # Windows: 2021 cohorts complete at 24 months, 2022 ones not; everything complete at 12.
    assert ("year", "2021", "all", "24:outcomes") in cells
    assert ("year", "2022", "all", "24:outcomes") not in cells
    assert ("quarter", "2022-Q1", "all", "12:outcomes") in cells


def test_no_row_column_or_grouping_has_exactly_one_suppressed_cell(three_reports):
    cells = published(three_reports[2])
    withheld = set(suppressed_of(cells))
    for total, parts in sums(cells):
        members = [total, *parts]
        assert all(m in cells for m in members), (total, parts)
        assert sum(m in withheld for m in members) != 1, (total, parts)


def exact_pins(cells):
    """Return the suppressed cells that the published ones determine, treating every published
    count as exact (stronger than reality: they are rounded): a cell is determined when its unit
    vector lies in the row space of the sums restricted to suppressed cells (dense SVD,
    independent of the report's sparse solver)."""
    withheld = suppressed_of(cells)
    column = {key: i for i, key in enumerate(withheld)}
    rows = []
    for total, parts in sums(cells):
        row = np.zeros(len(withheld))
        for key, sign in [(total, 1.0)] + [(part, -1.0) for part in parts]:
            if key in column:
                row[column[key]] += sign
        if row.any():
            rows.append(row)
    _, singular, vt = np.linalg.svd(np.array(rows), full_matrices=True)
    rank = int((singular > 1e-9 * singular[0]).sum())
    freedom = np.sqrt((vt[rank:] ** 2).sum(axis=0))
    return [withheld[i] for i in np.flatnonzero(freedom < 1e-8)]


def primary_only(cells, truth):
    """Return ``cells`` as they would be published without secondary suppression."""
    return {
        k: str(round_count(truth[k])) if shown == "[c]" else shown for k, shown in cells.items()
    }


def test_no_suppressed_cell_is_pinned_in_exact_arithmetic(three_reports):
    people, outcomes, reports, as_of = three_reports
    cells = published(reports)
    assert exact_pins(cells) == []
    # The check can fail: without secondary suppression, sums pin small cells.
    assert exact_pins(primary_only(cells, true_counts(people, outcomes, as_of)))


def single_valued(cells, truth):
    """Return the suppressed cells that can take only one integer value as the tables are
    really read: a published count c is somewhere in [c - 2, c + 2] (and at least 10), "<10" in
    [0, 9], "[c]" 10 or more; every exact sum holds; and what any reader knows: 12-month
    cumulative counts are at most the 24-month ones, headline outcomes at most inclusive ones.
    A cell is free when an integer program finds a solution where it differs from the truth
    (objectives pushing many cells at once first, then one cell at a time for any left)."""
    keys = sorted(cells)
    index = {key: i for i, key in enumerate(keys)}
    rows, cols, data = [], [], []
    for r, (total, parts) in enumerate(sums(cells)):
        for key, sign in [(total, 1.0)] + [(part, -1.0) for part in parts]:
            rows.append(r)
            cols.append(index[key])
            data.append(sign)
    equalities = sparse.csr_matrix((data, (rows, cols)), shape=(r + 1, len(keys)))
    less = []
    for key in keys:
        grouping, label, group, measure = key
        name = measure.split(":")[-1]
        if measure.startswith("12:") and name in (
            "job_starts",
            "job_starts_placement",
            "outcomes",
            "outcomes_placement",
            "outcomes_outside",
            "outcomes_inclusive",
        ):
            later = (grouping, label, group, "24:" + name)
            if later in index:
                less.append((index[key], index[later]))
        if name == "outcomes":
            less.append((index[key], index[(grouping, label, group, measure + "_inclusive")]))
    smaller, larger = [a for a, _ in less], [b for _, b in less]
    inequalities = sparse.csr_matrix(
        ([1.0] * len(less) + [-1.0] * len(less), (list(range(len(less))) * 2, smaller + larger)),
        shape=(len(less), len(keys)),
    )
    everyone = sum(
        v for k, v in truth.items() if k[0] == "year" and k[2] == "all" and k[3] == "registered"
    )
    low, high = [], []
    for key in keys:
        shown = cells[key]
        if shown == "<10":
            bounds = (0, 9)
        elif shown == "[c]":
            bounds = (10, everyone)
        else:
            bounds = (max(int(shown) - 2, 10), int(shown) + 2)
        low.append(bounds[0])
        high.append(bounds[1])
    actual = np.array([truth.get(key, 0) for key in keys], dtype=float)
    assert np.all(actual >= low) and np.all(actual <= high)
    assert np.abs(equalities @ actual).max() == 0 and (inequalities @ actual).max() <= 0
    constraints = [LinearConstraint(equalities, 0, 0), LinearConstraint(inequalities, -np.inf, 0)]
    bounds = Bounds(low, high)

    def moved(objective):
        result = milp(
            objective, constraints=constraints, bounds=bounds, integrality=np.ones(len(keys))
        )
        assert result.success
        return {i for i in np.flatnonzero(np.abs(result.x - actual) > 0.5)}

    left = {index[key] for key in suppressed_of(cells)}
    while left:
        progress = set()
        for sign in (1.0, -1.0):
            objective = np.zeros(len(keys))
            objective[list(left)] = -sign
            progress |= moved(objective) & left
        if not progress:
            break
        left -= progress
    pinned = []
    for i in sorted(left):
        alone = set()
        for sign in (1.0, -1.0):
            objective = np.zeros(len(keys))
            objective[i] = -sign
            alone |= moved(objective)
        if i not in alone:
            pinned.append(keys[i])
    return pinned


def test_no_suppressed_cell_has_only_one_possible_value(three_reports):
    people, outcomes, reports, as_of = three_reports
    assert single_valued(published(reports), true_counts(people, outcomes, as_of)) == []


def test_the_audit_breaks_a_chain_the_rule_alone_leaves():
    # Two 2x2 blocks of small cells joined by one small cell (2, 3) in a 4x4 table with row and
    # column totals. Every row and column has 0 or at least 2 suppressed cells, so the rule adds
    # nothing, yet rows 1-2 minus columns 1-2 give cell (2, 3) exactly. The audit must suppress
    # more until nothing is pinned.
    small = {(1, 1), (1, 2), (2, 1), (2, 2), (3, 3), (3, 4), (4, 3), (4, 4), (2, 3)}
    values, relations = {}, []

    def key(r, c):
        return ("t", str(r), str(c), "n")

    for r in range(1, 5):
        for c in range(1, 5):
            values[key(r, c)] = 3 if (r, c) in small else 20 + r + c
    for r in range(1, 5):
        values[key(r, 0)] = sum(values[key(r, c)] for c in range(1, 5))
        relations.append(Relation(key(r, 0), tuple(key(r, c) for c in range(1, 5)), "row"))
    for c in range(1, 5):
        values[key(0, c)] = sum(values[key(r, c)] for r in range(1, 5))
        relations.append(Relation(key(0, c), tuple(key(r, c) for r in range(1, 5)), "column"))
    result = suppress(values, relations)
    assert {k for k, mark in result.items() if mark == "small"} == {key(*rc) for rc in small}
    assert any(mark == "secondary" for mark in result.values())
    withheld = sorted(result)
    column = {k: i for i, k in enumerate(withheld)}
    matrix = np.array(
        [
            [(1.0 if k == rel.total else -1.0) if k in rel.cells else 0.0 for k in withheld]
            for rel in relations
        ]
    )
    _, singular, vt = np.linalg.svd(matrix, full_matrices=True)
    rank = int((singular > 1e-9).sum())
    assert np.all(np.sqrt((vt[rank:] ** 2).sum(axis=0)) > 1e-8)
    assert column  # every withheld cell now has a direction to move in


def test_suppression_at_town_scale_publishes_rows():
    """Its speed is in ``make bench`` (bench/bench_outcomes.py), not here."""
    as_of = date(2025, 3, 1)
    people, outcomes = town(5, 6000, date(2021, 1, 1), 48, as_of)
    body = build_report(outcomes, people, grouping="month", as_of=as_of)
    assert body["rows"]


# --- Chart (needs matplotlib) --------------------------------------------------------------------
@pytest.fixture(scope="module")
def town_report():
    as_of = date(2025, 3, 1)
    people, outcomes = town(3, 6000, date(2021, 1, 1), 48, as_of)
    return build_report(outcomes, people, grouping="quarter", as_of=as_of)


def test_chart_data_table_holds_only_published_rates_and_the_wp_lines(town_report):
    from outcomes.chart import chart_data_table

    table = chart_data_table(town_report)
    points = [r for r in table if r["series"] == "jobmatch"]
    lines = [r for r in table if r["series"] == "work_programme"]
    assert points and lines
    published_rates = {
        (r["cohort"], r["group"], n): r[f"within_{n}"]["rate"]["percent"]
        for r in town_report["rows"]
        for n in (12, 24)
        if r[f"within_{n}"]["complete"] and r[f"within_{n}"]["rate"]["percent"] is not None
    }
    for point in points:
        key = (point["cohort"], point["group"], point["window_months"])
        assert published_rates[key] == point["rate_percent"]
        assert point["low_percent"] <= point["rate_percent"] <= point["high_percent"]
    assert {(line["group"], line["window_months"], line["rate_percent"]) for line in lines} <= {
        ("wp_groups", 24, 27.8),
        ("wp_groups", 12, 13.0),
        ("jsa_18_24", 24, 36.4),
        ("jsa_25_plus", 24, 31.7),
        ("esa_new", 24, 15.1),
        ("esa_new", 24, 12.2),
        ("esa_ex_ib", 24, 5.4),
    }
    assert ("wp_groups", 24, 27.8) in {
        (r["group"], r["window_months"], r["rate_percent"]) for r in lines
    }


def test_chart_is_accessible_deterministic_svg(town_report):
    from outcomes.chart import outcomes_chart_svg

    svg = outcomes_chart_svg(town_report)
    assert svg == outcomes_chart_svg(town_report)
    root = ET.fromstring(svg.encode())
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and root.get("role") == "img"
    title, desc = list(root)[:2]
    assert title.tag == f"{ns}title" and "Work Programme" in title.text
    assert desc.tag == f"{ns}desc" and "27.8%" in desc.text
    assert "Job outcome within 24 months" in svg  # text stays text


def test_chart_with_nothing_publishable_says_so():
    from outcomes.chart import chart_data_table, outcomes_chart_svg

    report = report_of(cohort("none", date(2022, 1, 1), {("outcome", "outcome"): 5}))
    assert chart_data_table(report) == []
    svg = outcomes_chart_svg(report)
    assert "nothing is drawn" in svg
