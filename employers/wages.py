"""The wage floor of a vacancy: the apprentice rate for apprenticeships, otherwise the National
Living Wage in force on the posting date, from the committed table ``data/minimum_wage_rates.csv``.
"""

from __future__ import annotations

import csv
import datetime as dt
from bisect import bisect_right
from decimal import Decimal
from functools import cache
from pathlib import Path

RATES_FILE = Path(__file__).with_name("data") / "minimum_wage_rates.csv"
SOURCE = "GOV.UK, National Minimum Wage and National Living Wage rates"


@cache
def _rates() -> dict[str, list[tuple[dt.date, Decimal]]]:
    table: dict[str, list[tuple[dt.date, Decimal]]] = {}
    with RATES_FILE.open(newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for row in rows:
            effective = dt.date.fromisoformat(row["effective_from"])
            table.setdefault(row["rate"], []).append((effective, Decimal(row["pounds_per_hour"])))
    for series in table.values():
        series.sort()
    return table


def wage_floor(*, contract_type: str, on: dt.date) -> tuple[str, Decimal]:
    """Return (rate name, pounds per hour) in force on ``on`` for the contract type.

    Precondition: ``on`` is on or after the first rate in the table (April 2016).
    """
    name = "apprentice" if contract_type == "apprenticeship" else "national_living_wage"
    series = _rates()[name]
    index = bisect_right([effective for effective, _ in series], on) - 1
    if index < 0:
        raise ValueError(f"no {name} rate in force on {on}")
    return name, series[index][1]


def wage_floor_message(*, contract_type: str, on: dt.date, wage: Decimal) -> str | None:
    """Return why ``wage`` is below the floor, in words a person can act on, or None."""
    name, floor = wage_floor(contract_type=contract_type, on=on)
    if wage >= floor:
        return None
    label = "apprentice rate" if name == "apprentice" else "National Living Wage"
    return (
        f"£{wage}/hour is below the {label} of £{floor}/hour in force on {on:%-d %B %Y}. "
        f"Pay at least £{floor}/hour."
    )
