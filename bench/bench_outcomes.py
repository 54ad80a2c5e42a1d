"""The outcome rules and the report at town scale: weeks in work and job outcomes derived for a
random town of 6,000 seekers (over 8,000 spells), and the commissioners' report with its
secondary-suppression check, monthly grouping. Plain Python, no database.

The towns are the tests' own random towns (``tests/placements``), so the figures are for the same
data the correctness tests check. Prints the median of runs and the ratio to each target.
Usage: python bench/bench_outcomes.py [--runs 5]
Targets: a town derived in under 1 s; its report built in under 5 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _median_seconds(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from tests.placements.test_outcomes import _town as outcome_town
    from tests.placements.test_report import town as report_town

    from outcomes.report import build_report
    from outcomes.rules import derive

    print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    people, spells, checks = outcome_town(7)
    derive_s = _median_seconds(
        lambda: derive(people, spells, checks, as_of=date(2025, 6, 1)), args.runs
    )
    print(
        f"derive outcomes, {len(people):,} seekers, {len(spells):,} spells: "
        f"median {derive_s:.3f} s (target < 1 s, ratio {derive_s / 1.0:.2f})"
    )
    as_of = date(2025, 3, 1)
    people, outcomes = report_town(5, 6000, date(2021, 1, 1), 48, as_of)
    report_s = _median_seconds(
        lambda: build_report(outcomes, people, grouping="month", as_of=as_of), args.runs
    )
    print(
        f"build report, monthly, {len(people):,} seekers: "
        f"median {report_s:.3f} s (target < 5 s, ratio {report_s / 5.0:.2f})"
    )


if __name__ == "__main__":
    main()
