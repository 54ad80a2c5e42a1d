"""The matching engine on fixtures small enough to check by eye (no database).

The cast: Alice lives in the town centre (grid 450000, 400000), has a forklift licence-type skill,
warehouse work and first aid, travels by bus or train up to 45 minutes, wants up to 40 hours and
has no driving licence. The vacancies around her each differ from "the obvious match" in one way.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import scipy.sparse as sp

from matching.engine import weights
from matching.engine.context import MatchContext
from matching.engine.core import match, match_all, match_seeker
from matching.engine.index import VacancyIndex
from matching.engine.metrics import exposure_report, gini
from matching.engine.model import Congestion, Seeker, Vacancy, VacancyBasis
from matching.engine.reasons import pair_explanation
from matching.engine.skillspace import SkillSpace
from matching.engine.travel import ESTIMATED_TRAVEL

TODAY = dt.date(2026, 3, 2)
CENTRE = (450_000, 400_000)
LABELS = {
    "forklift": "forklift truck operation",
    "warehouse": "warehouse work",
    "first_aid": "first aid",
    "typing": "touch typing",
    "hgv": "HGV driving",
}


def alice(**changes) -> Seeker:
    fields = dict(
        id=1,
        easting=CENTRE[0],
        northing=CENTRE[1],
        skills=("forklift", "warehouse", "first_aid"),
        travel_modes=("public_transport",),
        max_travel_minutes=45,
        hours_min=0,
        hours_max=40,
        has_driving_licence=False,
    )
    fields.update(changes)
    return Seeker(**fields)


def vacancy(id: int, *, km_east: float = 2.0, **changes) -> Vacancy:
    fields = dict(
        id=id,
        employer_id=100 + id,
        easting=CENTRE[0] + int(km_east * 1000),
        northing=CENTRE[1],
        skills=("forklift", "warehouse"),
        essential_skills=("forklift",),
        hours_per_week=37.5,
    )
    fields.update(changes)
    return Vacancy(**fields)


def run(seekers, vacancies, **kwargs):
    return match_all(seekers, vacancies, today=TODAY, labels=LABELS, **kwargs)


def vacancy_ids(result, seeker_id: int) -> list[int]:
    return result.matches.for_seeker(seeker_id).vacancy_id.tolist()


def test_the_obvious_best_match_comes_first():
    vacancies = [
        vacancy(1, skills=("typing", "first_aid"), essential_skills=()),  # one skill in common
        vacancy(2),  # forklift and warehouse, 2 km: the obvious one
        vacancy(3, km_east=6.0),  # the same job, further away
    ]
    result = run([alice()], vacancies)
    assert vacancy_ids(result, 1) == [2, 3, 1]
    m = result.matches.for_seeker(1)
    assert m.rank.tolist() == [1, 2, 3]
    assert 0.0 < m.fit.min() and m.fit.max() <= 1.0
    assert result.engine_version == weights.ENGINE_VERSION


def test_a_vacancy_too_far_is_excluded_with_its_reason():
    near, far = vacancy(1), vacancy(2, km_east=60.0)
    result = run([alice()], [near, far])
    assert vacancy_ids(result, 1) == [1]
    why = pair_explanation(alice(), far, context=result.index.context)
    assert not why.is_match
    assert [f["code"] for f in why.failures] == ["too_far"]
    message = why.failures[0]["message"]
    assert "60.0 km" in message and "by bus or train" in message and "45 minutes" in message
    assert "estimate" in message


def test_remote_vacancies_match_regardless_of_distance_and_location():
    remote = vacancy(1, km_east=400.0, remote=True)
    homeless = alice(id=2, easting=None, northing=None)
    no_modes = alice(id=3, travel_modes=())
    result = run([alice(), homeless, no_modes], [remote, vacancy(2)])
    assert vacancy_ids(result, 1) == [1, 2]  # remote first: no journey at all
    assert vacancy_ids(result, 2) == [1]  # no postcode: remote only
    assert vacancy_ids(result, 3) == [1]  # no way to travel: remote only
    reasons = result.reasons(1, 1)
    assert reasons["remote"] is True and reasons["distance_km"] is None
    assert reasons["minutes_by_mode"] == {}
    why = pair_explanation(homeless, vacancy(2), context=result.index.context)
    assert [f["code"] for f in why.failures] == ["seeker_no_location"]
    assert why.reasons["help"].startswith("Add your postcode")


def test_a_missing_essential_skill_is_named_and_costs_more_than_a_missing_optional_one():
    # Both seekers miss one of the three skills asked. Forklift and first aid are equally rare
    # (each in two of the three documents), so the only difference is that forklift is essential.
    job = vacancy(1, skills=("forklift", "warehouse", "first_aid"), essential_skills=("forklift",))
    lacks_essential = alice(id=2, skills=("warehouse", "first_aid"))
    lacks_optional = alice(id=3, skills=("forklift", "warehouse"))
    result = run([lacks_essential, lacks_optional], [job])
    fit = dict(
        zip(result.candidates.seeker_id.tolist(), result.candidates.fit.tolist(), strict=True)
    )
    assert fit[3] > fit[2]
    reasons = result.reasons(2, 1)
    assert [s["label"] for s in reasons["skills_missing_essential"]] == ["forklift truck operation"]
    assert reasons["help"].startswith("Add the skill “forklift truck operation”: it is essential")
    assert [s["label"] for s in result.reasons(3, 1)["skills_missing_optional"]] == ["first aid"]
    assert result.reasons(3, 1)["skills_missing_essential"] == []


@pytest.mark.parametrize(
    ("changes", "code", "words"),
    [
        ({"hours_per_week": 45.0}, "hours", "45 hours a week; you want 0 to 40"),
        ({"requires_driving_licence": True}, "licence", "needs a driving licence"),
        ({"status": "closed"}, "vacancy_not_open", "not open (it is closed)"),
        ({"closing_date": TODAY - dt.timedelta(days=1)}, "vacancy_closed", "closed on 1 March"),
        ({"positions": 2, "positions_filled": 2}, "vacancy_full", "All 2 positions"),
        ({"skills": ("hgv",), "essential_skills": ()}, "nothing_in_common", "too little in common"),
    ],
)
def test_each_hard_constraint_excludes_with_a_reason(changes, code, words):
    bad = vacancy(2, **changes)
    result = run([alice()], [vacancy(1), bad])
    assert vacancy_ids(result, 1) == [1]
    assert result.candidates.for_vacancy(2).seeker_id.tolist() == []
    why = pair_explanation(alice(), bad, context=result.index.context)
    assert [f["code"] for f in why.failures] == [code]
    assert words in why.failures[0]["message"]
    assert why.reasons["help"]


def test_a_vacancy_closing_today_is_still_open():
    result = run([alice()], [vacancy(1, closing_date=TODAY)])
    assert vacancy_ids(result, 1) == [1]


def test_explain_lists_every_failed_constraint():
    bad = vacancy(2, km_east=80.0, hours_per_week=45.0, requires_driving_licence=True)
    space = SkillSpace.fit([alice()], [bad])
    why = pair_explanation(alice(), bad, context=MatchContext(today=TODAY, skill_space=space))
    assert [f["code"] for f in why.failures] == ["too_far", "hours", "licence"]
    assert why.fit is None and not why.is_match


def test_reasons_of_a_match_say_what_a_person_can_act_on():
    job = vacancy(1, skills=("forklift", "warehouse", "first_aid", "typing"))
    result = run([alice(travel_modes=("walk", "public_transport"))], [job])
    r = result.reasons(1, 1)
    assert r["summary"].startswith("You have 3 of the 4 skills asked; about ")
    assert {s["label"] for s in r["skills_matched"]} == {
        "forklift truck operation",
        "warehouse work",
        "first aid",
    }
    assert r["distance_km"] == 2.0
    # 2 km straight line: walking 2000 m * 1.3 / 4.8 km/h = 32.5 min; bus 10 + 2000 * 1.4 / 18
    # km/h = 19.3 min.
    assert r["minutes_by_mode"] == {"walk": 32, "public_transport": 19}
    assert r["minutes_are_estimate"] is True
    assert r["help"].startswith("Add the skill “touch typing”: it would raise your fit from")
    assert r["congestion"]["message"] is None
    assert r["fit"] == pytest.approx(result.matches.for_seeker(1).fit[0], abs=1e-4)


def test_rows_store_numbers_worded_at_read_as_the_run_words_them():
    from matching.engine.reasons import ReasonBuilder
    from matching.engine.wording import stored, worded

    job = vacancy(1, skills=("forklift", "warehouse", "first_aid", "typing"))
    result = run([alice(travel_modes=("walk", "public_transport"))], [job])
    builder = ReasonBuilder(result)
    row = {**builder.pair(1, 1), **stored({"congestion": builder.congestion(1, 1)})}
    assert "summary" not in row and "message" not in row["congestion"]
    assert row["skills_missing_optional"] == [["typing", "touch typing"]]
    assert row["mode"] == "public_transport" and row["help"][0] == "typing"
    assert worded(row) == result.reasons(1, 1)


def test_rows_stored_worded_before_are_read_as_they_are():
    from matching.engine.wording import skill_labels, worded

    old = {
        "summary": "You have 1 of the 2 skills asked.",
        "help": "Add touch typing: it would raise your fit from 40% to 45%.",
        "skills_matched": [{"key": "forklift", "label": "forklift truck operation"}],
        "congestion": None,
    }
    assert worded(old) == old
    assert skill_labels(old, "skills_matched") == ["forklift truck operation"]


def test_a_job_at_the_door_is_under_a_minute_away():
    from matching.engine.wording import summary

    stored = {
        "skills_matched": [],
        "skills_missing_essential": [],
        "skills_missing_optional": [],
        "fit_parts": {"occupation": 0.0},
        "remote": False,
        "mode": "walk",
        "minutes_by_mode": {"walk": 0},
        "distance_km": 0.0,
        "minutes_are_estimate": True,
    }
    assert "under a minute on foot (0.0 km, estimate)" in summary(stored)


def test_ties_are_broken_by_id_both_ways():
    twins = [vacancy(7), vacancy(3), vacancy(5)]  # identical but for their ids
    seekers = [alice(id=9), alice(id=4), alice(id=6)]
    result = run(seekers, twins)
    for s in (4, 6, 9):
        assert vacancy_ids(result, s) == [3, 5, 7]
    for v in (3, 5, 7):
        assert result.candidates.for_vacancy(v).seeker_id.tolist() == [4, 6, 9]
    again = run(list(reversed(seekers)), list(reversed(twins)))
    assert again.matches.vacancy_id.tolist() == result.matches.vacancy_id.tolist()
    assert again.matches.seeker_id.tolist() == result.matches.seeker_id.tolist()


def test_congestion_moves_a_crowded_vacancy_down_and_says_why():
    crowded, quiet = vacancy(1), vacancy(2)  # identical: by fit alone, id 1 comes first
    result = run(
        [alice()], [crowded, quiet], congestion=Congestion(applications={1: 40}, answer_rate={})
    )
    m = result.matches.for_seeker(1)
    assert m.vacancy_id.tolist() == [2, 1]
    assert m.fit_rank.tolist() == [2, 1]
    assert m.fit[0] == m.fit[1]
    assert m.adjusted[1] < m.adjusted[0]
    message = result.reasons(1, 1)["congestion"]["message"]
    assert (
        message == "Shown 1 place lower because it already has 40 applications per open position."
    )
    assert result.reasons(1, 2)["congestion"]["message"] is None


def test_a_low_answer_rate_moves_a_vacancy_down():
    result = run([alice()], [vacancy(1), vacancy(2)], congestion=Congestion(answer_rate={101: 0.2}))
    assert vacancy_ids(result, 1) == [2, 1]
    assert "answers 20% of applications" in result.reasons(1, 1)["congestion"]["message"]


def test_capacity_spreads_a_one_position_vacancy_over_the_best_suited_seekers():
    # Three times SHOWN_PER_POSITION identical seekers all want vacancy 1 first, but it has one
    # position: SHOWN_PER_POSITION of them (the lowest ids: ties by id) keep it first; for the
    # others it is crowded (3 people per slot) and vacancy 2, with plenty of positions, comes first.
    shown = weights.SHOWN_PER_POSITION
    n = 3 * shown
    seekers = [alice(id=i) for i in range(1, n + 1)]
    best = vacancy(1, skills=("forklift", "warehouse", "first_aid"))
    result = run(seekers, [best, vacancy(2, positions=10)])
    firsts = {s: vacancy_ids(result, s)[0] for s in range(1, n + 1)}
    assert [s for s, v in firsts.items() if v == 1] == list(range(1, shown + 1))
    assert [s for s, v in firsts.items() if v == 2] == list(range(shown + 1, n + 1))
    assert result.allocated[1] == shown
    assert result.demand[1] == n
    message = result.reasons(n, 1)["congestion"]["message"]
    assert message == (
        "Shown 1 place lower because many people who fit it at least as well are already being "
        f"shown it ({n} people for 1 open position)."
    )
    # The vacancy's own candidate list is by fit alone (its top k, ties by id).
    top = min(n, weights.DEFAULT_K)
    assert result.candidates.for_vacancy(1).seeker_id.tolist() == list(range(1, top + 1))


def test_occupation_fit_matches_titles_when_skills_are_silent():
    # Seeker wants "HGV class 1 driver", the vacancy is "LGV C+E driver": both titles map to the
    # same ESCO occupation (column 0). They share no skill, yet it is a match.
    driver = alice(skills=("first_aid",))
    job = vacancy(1, skills=("hgv",), essential_skills=())
    seeker_occ = sp.csr_matrix(np.array([[1.0, 0.0, 0.0]]))
    vacancy_occ = sp.csr_matrix(np.array([[0.8, 0.6, 0.0]]))
    with_titles = run(
        [driver], [job], seeker_occupations=seeker_occ, vacancy_occupations=vacancy_occ
    )
    assert vacancy_ids(with_titles, 1) == [1]
    reasons = with_titles.reasons(1, 1)
    assert reasons["occupation_fit"] == 0.8
    assert "the kind of job you are looking for" in reasons["summary"]
    without = run([driver], [job])
    assert vacancy_ids(without, 1) == []


def test_a_job_that_asks_no_skills_says_so_rather_than_you_have_every_skill():
    job = vacancy(1, skills=(), essential_skills=())
    occ = sp.csr_matrix(np.array([[1.0, 0.0, 0.0]]))
    result = run([alice()], [job], seeker_occupations=occ, vacancy_occupations=occ)
    reasons = result.reasons(1, 1)
    assert reasons["summary"].startswith("It asks for no particular skills")
    # Anyone qualifies on skills: the fit is the kind of work and the journey alone, so the job
    # one wants, next door, would be 100% (not 45%).
    parts = reasons["fit_parts"]
    expected = (weights.W_OCCUPATION * 1.0 + weights.W_TRAVEL * parts["travel"]) / (
        weights.W_OCCUPATION + weights.W_TRAVEL
    )
    assert result.matches.for_seeker(1).fit[0] == pytest.approx(expected, abs=1e-4)  # parts rounded
    assert reasons["fit"] == pytest.approx(expected, abs=1e-4)
    assert reasons["help"] == "It asks for no particular skills: read what the job involves."
    held = run([alice()], [vacancy(2)]).reasons(1, 2)
    assert held["help"] == "You have every skill this job asks for: it is worth applying."


def test_a_job_that_is_merely_near_is_not_a_match():
    # No skill in common; the kind of work barely (a cosine of 0.05, under MIN_IN_COMMON's
    # 0.02 of the fit once weighted), then a little (0.1): only the second is a match.
    driver = alice(skills=("first_aid",))
    seeker_occ = sp.csr_matrix(np.array([[1.0, 0.0]]))
    far_kind = np.sqrt(1 - 0.05**2)
    near_kind = np.sqrt(1 - 0.1**2)
    vacancy_occ = sp.csr_matrix(np.array([[0.05, far_kind], [0.1, near_kind]]))
    jobs = [vacancy(1, skills=("hgv",), essential_skills=()),
            vacancy(2, skills=("hgv",), essential_skills=())]  # fmt: skip
    result = run([driver], jobs, seeker_occupations=seeker_occ, vacancy_occupations=vacancy_occ)
    assert vacancy_ids(result, 1) == [2]
    why = pair_explanation(
        driver,
        jobs[0],
        context=result.index.context,
        seeker_occupation_rows=seeker_occ,
        vacancy_occupation_row=vacancy_occ[0],
    )
    assert [f["code"] for f in why.failures] == ["nothing_in_common"]
    assert "too little in common" in why.failures[0]["message"]


def test_too_little_in_common_never_suggests_a_skill_already_held():
    # One skill of the thousand asked: held, yet too little in common to be a match.
    asked = tuple(f"text:k{i}" for i in range(1000))
    seeker = alice(skills=("text:k0",))
    job = vacancy(1, skills=asked, essential_skills=())
    result = run([seeker], [job])
    assert vacancy_ids(result, 1) == []
    why = pair_explanation(seeker, job, context=result.index.context)
    assert [f["code"] for f in why.failures] == ["nothing_in_common"]
    assert why.reasons["help"].startswith("Add the skill “k1”")  # not k0, which they hold


def test_a_seekers_occupation_fit_is_their_best_title():
    # Two desired titles: a cleaner (column 2) and an HGV driver (column 0). The vacancy's title
    # is the driver's occupation, so the fit is the driver title's 0.8, not diluted by cleaning.
    driver = alice(skills=("first_aid",))
    titles = sp.csr_matrix(np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]))
    vacancy_occ = sp.csr_matrix(np.array([[0.8, 0.6, 0.0]]))
    job = vacancy(1, skills=("hgv",), essential_skills=())
    result = run(
        [driver],
        [job],
        seeker_occupations=titles,
        vacancy_occupations=vacancy_occ,
        occupation_owner=[0, 0],
    )
    assert result.reasons(1, 1)["occupation_fit"] == 0.8
    one = match_seeker(driver, result.index, occupation_rows=titles)
    assert one.matches.fit.tolist() == result.matches.fit.tolist()
    why = result.index.pair_explanation(driver, 1, seeker_occupation_rows=titles)
    assert why.is_match and why.reasons["occupation_fit"] == 0.8


def test_without_occupation_data_the_weight_goes_to_skills_and_travel():
    # Same skills (cosine 1) and a remote job (travel part 1): the fit is the full 1.0.
    result = run([alice(skills=("forklift",))], [vacancy(1, skills=("forklift",), remote=True)])
    assert result.matches.fit.tolist() == [pytest.approx(1.0)]
    assert weights.score_weights(False)[1] == 0.0
    assert sum(weights.score_weights(False)) == pytest.approx(1.0)
    assert sum(weights.score_weights(True)) == pytest.approx(1.0)


def test_travel_estimate_follows_the_documented_formula():
    # 10 km by car: 5 min overhead + 10 km * 1.3 / 40 km/h * 60 = 24.5 min.
    assert ESTIMATED_TRAVEL.minutes(10_000, "car") == pytest.approx(24.5)
    assert ESTIMATED_TRAVEL.reach_metres("car", 24.5) == pytest.approx(10_000)
    assert ESTIMATED_TRAVEL.reach_metres("public_transport", 5) == 0.0


def test_one_seeker_request_agrees_with_the_batch():
    seekers = [alice(), alice(id=2, skills=("warehouse",))]
    vacancies = [vacancy(1), vacancy(2, km_east=5.0), vacancy(3, remote=True, skills=("typing",))]
    space = SkillSpace.fit(seekers, vacancies)
    index = VacancyIndex.build(
        vacancies, context=MatchContext(today=TODAY, skill_space=space, use_occupations=False)
    )
    batch = match(seekers, index)
    for s in seekers:
        one = match_seeker(s, index).matches
        b = batch.matches.for_seeker(s.id)
        assert one.vacancy_id.tolist() == b.vacancy_id.tolist()
        assert one.fit.tolist() == b.fit.tolist()


def test_gini_and_exposure_report():
    assert gini(np.array([0, 0, 0, 1])) == pytest.approx(0.75)
    assert gini(np.array([2, 2, 2])) == 0.0
    assert gini(np.array([])) == 0.0
    result = run([alice(id=i) for i in range(1, 4)], [vacancy(1), vacancy(2, km_east=3.0)])
    report = exposure_report(result, top_n=1)
    assert report["open_vacancies"] == 2
    assert report["fit"]["share_exposed"] == 0.5  # everyone's first is vacancy 1 by fit
    assert report["fit"]["gini"] == pytest.approx(0.5)
    assert report["congestion"]["pairs_shown"] == 3
    assert report["fit"]["mean_fit"] >= report["congestion"]["mean_fit"]


def test_skill_space_round_trips_and_rare_skills_weigh_more():
    seekers = [alice(id=i, skills=("first_aid",)) for i in range(1, 6)] + [alice(id=9)]
    space = SkillSpace.fit(seekers, [vacancy(1)])
    assert space.weight("forklift") > space.weight("first_aid")
    assert space.weight("never-seen") > space.weight("forklift")
    again = SkillSpace.from_dict(space.to_dict())
    assert again.weight("forklift") == space.weight("forklift")


def test_an_incremental_run_sees_the_capacity_the_last_full_run_used():
    # The last full run gave vacancy 1's twenty slots to others and found 60 people wanting it:
    # for a seeker matched alone now, it is crowded and vacancy 2 comes first.
    shown = weights.SHOWN_PER_POSITION
    seekers = [alice()]
    vacancies = [
        vacancy(1, skills=("forklift", "warehouse", "first_aid")),
        vacancy(2, positions=10),
    ]
    space = SkillSpace.fit([alice(id=i) for i in range(1, 61)], vacancies)
    context = MatchContext(today=TODAY, skill_space=space, use_occupations=False)
    fresh = VacancyIndex.build(vacancies, context=context)
    assert match_seeker(seekers[0], fresh).matches.vacancy_id.tolist() == [1, 2]
    # Full before any pair alice could have (a cutoff above every priority), wanted by 3x its room.
    basis = {1: VacancyBasis(static=1.0, capacity=shown, demand=3 * shown, cutoff=(2.0, 0, 1))}
    busy = Congestion(basis=basis)
    index = VacancyIndex.build(vacancies, context=context, congestion=busy)
    one = match_seeker(seekers[0], index)
    assert one.matches.vacancy_id.tolist() == [2, 1]
    assert one.matches.crowded.tolist() == [False, True]
