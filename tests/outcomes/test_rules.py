"""Outcome derivation on hand-built timelines (plain data, no database).

Each test builds one or two seekers' spells and checks by hand; the expected days and dates are
worked out in the comments so a person can check them. Days are date differences: a spell from
``s`` to ``s + 91`` is 91 days, 13 weeks.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from outcomes.rules import (
    BENEFIT_GROUPS,
    HARDER_TO_HELP,
    Check,
    Registration,
    Spell,
    add_months,
    check_state,
    checks_due,
    derive,
    threshold_weeks,
)

REG = date(2022, 1, 10)  # registered; 12 months end 2023-01-10, 24 months end 2024-01-10
LATER = date(2025, 6, 1)  # an as_of after every window and check has closed
D = timedelta(days=1)


def verified(spell_id, start, week, *, result="in_work", evidence="employer_confirmed", late=0):
    """Return the ``week``-week check on a spell, recorded ``late`` days after it was due."""
    due = start + timedelta(weeks=week)
    return Check(spell_id, due, result, evidence, due + timedelta(days=late), 30.0)


def one(group, spells, checks=(), *, as_of=LATER, registered=REG):
    """Return the derived outcome of a single seeker (id 1)."""
    seeker = Registration(1, registered, group)
    return derive([seeker], spells, checks, as_of=as_of)[1]


# --- Dates and thresholds ------------------------------------------------------------------------
def test_checks_due_13_and_26_weeks_after_the_start():
    assert checks_due(date(2024, 3, 1)) == [date(2024, 5, 31), date(2024, 8, 30)]


def test_add_months_keeps_the_day_or_falls_on_the_months_last():
    assert add_months(date(2022, 1, 10), 24) == date(2024, 1, 10)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2023, 2, 28), 12) == date(2024, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


@pytest.mark.parametrize("group", BENEFIT_GROUPS)
def test_threshold_is_13_weeks_for_harder_to_help_and_26_for_the_rest(group):
    assert threshold_weeks(group) == (13 if group in HARDER_TO_HELP else 26)
    assert HARDER_TO_HELP == {"esa_new", "esa_ex_ib", "uc_health"}


# --- Job outcomes --------------------------------------------------------------------------------
def test_same_100_day_job_is_an_outcome_at_13_weeks_but_not_at_26():
    start = date(2022, 2, 1)
    spells = [Spell("p1", 1, "placement", start, start + 100 * D)]  # ended: 100 days
    esa = one("esa_new", spells)
    jsa = one("jsa_25_plus", spells)
    assert esa.headline.days_in_work == jsa.headline.days_in_work == 100
    assert esa.outcome_date == start + 91 * D  # 2022-05-03, the day 13 weeks are reached
    assert esa.status_12 == esa.status_24 == "outcome"
    assert jsa.outcome_date is None
    assert jsa.status_12 == jsa.status_24 == "no_outcome"  # the end is recorded: nothing unknown


def test_open_spell_counts_to_the_last_verified_in_work_check():
    start = date(2022, 2, 1)
    spells = [Spell("p1", 1, "placement", start, None)]
    checks = [verified("p1", start, 13), verified("p1", start, 26, evidence="mentor_verified")]
    jsa = one("jsa_18_24", spells, checks)
    assert jsa.headline.days_in_work == 182
    assert jsa.weeks_in_work == 26
    assert jsa.outcome_date == start + 182 * D == date(2022, 8, 2)
    assert jsa.outcome_kind == "placement"


def test_open_spell_whose_26_week_check_found_no_work_counts_to_13_weeks():
    start = date(2022, 2, 1)
    spells = [Spell("p1", 1, "placement", start, None)]
    checks = [verified("p1", start, 13), verified("p1", start, 26, result="not_in_work")]
    jsa = one("jsa_18_24", spells, checks)
    assert jsa.headline.days_in_work == 91
    assert jsa.status_24 == "no_outcome"
    uc = one("uc_health", spells, checks)
    assert uc.outcome_date == start + 91 * D


def test_separate_spells_sum_to_the_threshold_and_the_outcome_date_is_exact():
    first, second = date(2022, 2, 1), date(2022, 9, 1)
    spells = [
        Spell("p1", 1, "placement", first, first + 100 * D),  # 100 days
        Spell("p2", 1, "placement", second, second + 82 * D),  # 82 more: 182 in all
    ]
    jsa = one("jsa_25_plus", spells)
    assert jsa.headline.days_in_work == 182
    assert jsa.outcome_date == second + 82 * D == date(2022, 11, 22)
    short = one("jsa_25_plus", [spells[0], Spell("p2", 1, "placement", second, second + 81 * D)])
    assert short.headline.days_in_work == 181
    assert short.outcome_date is None


def test_outcome_date_falls_inside_the_spell_that_completes_it():
    # 50 days, a gap, then an open outside job checked in work at 13 weeks: esa needs 91 days,
    # so 41 days of the second spell; the outcome date is its start + 41.
    first, second = date(2022, 2, 1), date(2022, 6, 1)
    spells = [
        Spell("p1", 1, "placement", first, first + 50 * D),
        Spell("o1", 1, "outside", second, None),
    ]
    checks = [verified("o1", second, 13, evidence="mentor_verified")]
    esa = one("esa_ex_ib", spells, checks)
    assert esa.outcome_date == second + 41 * D == date(2022, 7, 12)
    assert esa.outcome_kind == "outside"
    assert esa.headline.days_in_work == 50 + 91


def test_an_outside_job_counts_like_a_placement():
    start = date(2022, 3, 1)
    spells = [Spell("o1", 1, "outside", start, start + 200 * D)]
    jsa = one("none", spells)
    assert jsa.outcome_date == start + 182 * D
    assert jsa.outcome_kind == "outside"
    assert jsa.start_kind(12) == "outside"
    assert jsa.start_kinds_24 == {"outside"}


def test_start_kind_is_placement_when_any_start_in_the_window_was_a_placement():
    spells = [
        Spell("o1", 1, "outside", date(2022, 2, 1), date(2022, 3, 1)),
        Spell("p1", 1, "placement", date(2023, 6, 1), date(2023, 7, 1)),  # month 17
    ]
    out = one("jsa_25_plus", spells)
    assert out.start_kind(12) == "outside"
    assert out.start_kind(24) == "placement"
    none = one("jsa_25_plus", [])
    assert none.start_kind(12) is None and none.status_24 == "no_outcome"


def test_overlapping_spells_are_not_double_counted():
    # Placement [s, s+120) and outside job [s+60, s+150): the union is 150 days, not 210.
    s = date(2022, 2, 1)
    spells = [
        Spell("p1", 1, "placement", s, s + 120 * D),
        Spell("o1", 1, "outside", s + 60 * D, s + 150 * D),
    ]
    jsa = one("jsa_18_24", spells)
    assert jsa.headline.days_in_work == 150
    assert jsa.outcome_date is None
    esa = one("esa_new", spells)
    assert esa.outcome_date == s + 91 * D
    assert esa.outcome_kind == "placement"  # both cover day 90; the placement started first


def test_only_the_part_of_a_spell_inside_24_months_counts():
    # Window ends 2024-01-10; a job from 2023-10-01 to 2024-06-30 counts 101 days inside it.
    start = date(2023, 10, 1)
    spells = [Spell("p1", 1, "placement", start, date(2024, 6, 30))]
    jsa = one("jsa_25_plus", spells)
    assert jsa.headline.days_in_work == (date(2024, 1, 10) - start).days == 101
    assert jsa.outcome_date is None  # 273 days in the job, but only 101 inside the window
    assert jsa.status_24 == "no_outcome"
    esa = one("esa_new", spells)
    assert esa.outcome_date == start + 91 * D == date(2023, 12, 31)
    assert esa.status_24 == "outcome"
    assert esa.status_12 == "no_outcome"  # outcome in month 23


def test_days_before_registering_do_not_count():
    spells = [Spell("o1", 1, "outside", REG - 30 * D, REG + 80 * D)]
    esa = one("esa_new", spells)
    assert esa.headline.days_in_work == 80
    assert esa.outcome_date is None
    assert esa.start_kind(24) is None  # started before registering: not a job start here


def test_outcome_after_12_months_counts_only_within_24():
    start = date(2022, 10, 1)  # month 9: 182 days take it to 2023-04-01, month 15
    spells = [Spell("p1", 1, "placement", start, date(2023, 9, 1))]
    jsa = one("jsa_25_plus", spells)
    assert jsa.outcome_date == date(2023, 4, 1)
    assert (jsa.status_12, jsa.status_24) == ("no_outcome", "outcome")


def test_outcome_exactly_on_the_window_end_counts():
    # 12-month window ends 2023-01-10; an esa spell starting 91 days before reaches it that day.
    start = date(2023, 1, 10) - 91 * D
    out = one("esa_new", [Spell("p1", 1, "placement", start, start + 120 * D)])
    assert out.outcome_date == date(2023, 1, 10)
    assert out.status_12 == "outcome"
    late = one("esa_new", [Spell("p1", 1, "placement", start + D, start + 120 * D)])
    assert late.status_12 == "no_outcome"


# --- Unknown, overdue and pending checks ---------------------------------------------------------
def test_unrecorded_check_is_pending_until_28_days_after_due_then_unknown():
    check = Check("p1", date(2022, 5, 3))
    assert check_state(check, as_of=date(2022, 5, 30)) == "pending"  # due + 27
    assert check_state(check, as_of=date(2022, 5, 31)) == "unknown"  # due + 28
    recorded = Check("p1", date(2022, 5, 3), "in_work", "self_reported", date(2022, 6, 20))
    assert check_state(recorded, as_of=date(2022, 5, 20)) == "pending"  # not recorded yet then
    assert check_state(recorded, as_of=date(2022, 6, 19)) == "unknown"  # overdue, recorded late
    assert check_state(recorded, as_of=date(2022, 6, 20)) == "in_work"


def test_overdue_check_that_could_decide_the_outcome_makes_the_status_unknown():
    start = date(2022, 2, 1)
    spells = [Spell("p1", 1, "placement", start, None)]
    checks = [Check("p1", start + 91 * D), Check("p1", start + 182 * D)]  # never recorded
    esa = one("esa_new", spells, checks)
    assert esa.headline.days_in_work == 0
    assert esa.outcome_date is None
    assert (esa.status_12, esa.status_24) == ("unknown", "unknown")
    assert esa.unknown_checks == 2
    assert esa.inclusive.status_24 == "unknown"


def test_recorded_unknown_result_also_makes_the_status_unknown():
    start = date(2022, 2, 1)
    spells = [Spell("p1", 1, "placement", start, None)]
    checks = [verified("p1", start, 13, result="unknown", evidence=None)]
    assert one("uc_health", spells, checks).status_24 == "unknown"


def test_unknown_check_that_could_not_decide_the_outcome_leaves_no_outcome():
    # The spell ended after 30 days (recorded): whatever its checks say, jsa cannot reach 182.
    start = date(2022, 2, 1)
    spells = [Spell("p1", 1, "placement", start, start + 30 * D)]
    checks = [Check("p1", start + 91 * D), Check("p1", start + 182 * D)]
    jsa = one("jsa_25_plus", spells, checks)
    assert jsa.status_24 == "no_outcome"


def test_window_still_running_is_pending_not_unknown():
    start = date(2022, 2, 1)
    spells = [Spell("p1", 1, "placement", start, None)]
    checks = [Check("p1", start + 91 * D)]
    out = one("esa_new", spells, checks, as_of=date(2022, 5, 30))
    assert (out.status_12, out.status_24) == ("pending", "pending")
    assert out.pending_checks == 1


def test_a_spell_given_without_checks_gets_its_two_checks_unrecorded():
    start = date(2022, 2, 1)
    out = one("esa_new", [Spell("p1", 1, "placement", start, None)])
    assert out.unknown_checks == 2
    assert out.status_24 == "unknown"


def test_checks_and_spells_after_as_of_are_ignored():
    start = date(2022, 2, 1)
    spells = [Spell("p1", 1, "placement", start, None)]
    checks = [verified("p1", start, 13, late=10)]  # recorded 2022-05-13
    before = one("esa_new", spells, checks, as_of=date(2022, 5, 12))
    after = one("esa_new", spells, checks, as_of=date(2022, 5, 13))
    assert before.headline.days_in_work == 0
    assert after.headline.days_in_work == 91
    assert after.outcome_date == start + 91 * D  # a late check vouches up to its due date
    future = one("esa_new", [Spell("p9", 1, "placement", date(2022, 6, 1), None)], as_of=start)
    assert future.headline.days_in_work == 0 and future.start_kind(12) is None


def test_a_check_recorded_early_vouches_only_up_to_the_day_it_was_recorded():
    start = date(2022, 2, 1)
    spells = [Spell("p1", 1, "placement", start, None)]
    checks = [verified("p1", start, 13, late=-5)]
    out = one("esa_new", spells, checks)
    assert out.headline.days_in_work == 86
    assert out.outcome_date is None
    assert out.status_24 == "no_outcome"  # the check is recorded: nothing left to find out


# --- Evidence ------------------------------------------------------------------------------------
def test_self_reported_work_counts_in_the_inclusive_measure_not_the_headline():
    start = date(2022, 2, 1)
    spells = [Spell("p1", 1, "placement", start, None)]
    checks = [verified("p1", start, 13, evidence="self_reported")]
    esa = one("esa_new", spells, checks)
    assert esa.headline.days_in_work == 0
    assert esa.headline.outcome_date is None
    assert esa.headline.status_24 == "unknown"  # self-report: not ruled out, not verified
    assert esa.inclusive.days_in_work == 91
    assert esa.inclusive.outcome_date == start + 91 * D
    assert esa.inclusive.status_24 == "outcome"


def test_mixed_evidence_headline_counts_to_the_last_verified_check():
    start = date(2022, 2, 1)
    spells = [Spell("p1", 1, "placement", start, None)]
    checks = [verified("p1", start, 13), verified("p1", start, 26, evidence="self_reported")]
    jsa = one("jsa_18_24", spells, checks)
    assert jsa.headline.days_in_work == 91
    assert jsa.inclusive.days_in_work == 182
    assert (jsa.headline.status_24, jsa.inclusive.status_24) == ("unknown", "outcome")


def test_an_ended_spell_counts_to_its_end_whatever_the_evidence():
    start = date(2022, 2, 1)
    spells = [Spell("p1", 1, "placement", start, start + 190 * D)]
    checks = [verified("p1", start, 13, evidence="self_reported"), Check("p1", start + 182 * D)]
    jsa = one("jsa_25_plus", spells, checks)
    assert jsa.headline.days_in_work == jsa.inclusive.days_in_work == 190
    assert jsa.status_24 == "outcome"


def test_the_group_at_registration_decides_the_threshold():
    start = date(2022, 2, 1)
    spells = [Spell("p1", 1, "placement", start, start + 100 * D)]
    assert one("esa_ex_ib", spells).threshold_weeks == 13
    assert one("jsa_18_24", spells).threshold_weeks == 26


# --- Inputs and scale ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "bad",
    [
        {"seekers": [Registration(1, REG, "jsa")]},
        {"spells": [Spell("x", 1, "job", REG, None)]},
        {"checks": [Check("x", REG, "employed")]},
        {"checks": [Check("x", REG, "in_work", "hearsay", REG)]},
    ],
)
def test_values_outside_the_closed_lists_are_refused(bad):
    args = {"seekers": [Registration(1, REG, "none")], "spells": [], "checks": []} | bad
    with pytest.raises(ValueError):
        derive(args["seekers"], args["spells"], args["checks"], as_of=LATER)


def _town(seed: int, seekers: int = 6000):
    rng = random.Random(seed)
    people, spells, checks = [], [], []
    for i in range(seekers):
        registered = date(2021, 1, 1) + timedelta(days=rng.randrange(4 * 365))
        people.append(Registration(i, registered, rng.choice(BENEFIT_GROUPS)))
        for j in range(rng.choice([0, 1, 1, 2, 3])):
            start = registered + timedelta(days=rng.randrange(700))
            end = start + timedelta(days=rng.randrange(400)) if rng.random() < 0.6 else None
            spells.append(Spell(f"{i}:{j}", i, rng.choice(["placement", "outside"]), start, end))
            for due in checks_due(start):
                result = rng.choice(["in_work", "not_in_work", "unknown", None])
                evidence = rng.choice(["self_reported", "mentor_verified", "employer_confirmed"])
                checks.append(Check(f"{i}:{j}", due, result, evidence, due, 30.0))
    return people, spells, checks


def test_a_town_derives_deterministically():
    """Its speed is in ``make bench`` (bench/bench_outcomes.py), not here."""
    people, spells, checks = _town(7)
    assert len(spells) > 8000
    first = derive(people, spells, checks, as_of=date(2025, 6, 1))
    again = derive(reversed(people), reversed(spells), reversed(checks), as_of=date(2025, 6, 1))
    assert first == again
