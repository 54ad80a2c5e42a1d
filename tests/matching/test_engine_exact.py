"""The compiled engine against an exhaustive plain-Python reference, on random towns.

The reference (``matching.engine.reference``) scores every pair one at a time; the engine prunes
by grid, postings and bounds. They must keep the same top k both ways (fits within 1e-9; ids may
differ only among fits tied within 1e-9), whatever the chunk size or thread count.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import numba
import numpy as np
import pytest
import scipy.sparse as sp

from matching.engine.context import MatchContext
from matching.engine.core import match, match_all, seekers_within_reach
from matching.engine.index import VacancyIndex
from matching.engine.model import Congestion, Seeker, Vacancy
from matching.engine.reference import brute_force_top_k
from matching.engine.skillspace import SkillSpace
from matching.engine.travel import ESTIMATED_TRAVEL

TODAY = dt.date(2026, 3, 2)
MODES = ("walk", "cycle", "public_transport", "car")


def _kin_keys(n: int = 200) -> list[str]:
    import csv
    import gzip

    from matching.engine.skillspace import FAMILIES_FILE

    with gzip.open(FAMILIES_FILE, "rt", encoding="utf-8") as f:
        return [r["id"] for r in csv.DictReader(f)][:n]


KIN_KEYS = _kin_keys()


def random_town(seed: int, n_seekers: int = 300, n_vacancies: int = 150, n_keys: int = 60):
    """Return (seekers, vacancies, seeker occupations, vacancy occupations, congestion)."""
    rng = random.Random(seed)
    # Real taxonomy skills, a few whole families of kin, so that skills compared by meaning are
    # checked too; and some phrases kept as text, which have no kin.
    keys = [*KIN_KEYS[: n_keys - n_keys // 6], *(f"text:k{i}" for i in range(n_keys // 6))]
    zipf = [1.0 / (r + 1) for r in range(n_keys)]

    def skills(n: int) -> tuple[str, ...]:
        return tuple(dict.fromkeys(rng.choices(keys, weights=zipf, k=n)))

    def place() -> tuple[int, int]:
        return 450_000 + rng.randint(-20_000, 20_000), 400_000 + rng.randint(-20_000, 20_000)

    seekers = []
    for i in range(n_seekers):
        e, n = place()
        located = rng.random() > 0.05
        lo = rng.choice([0, 10, 20])
        seekers.append(
            Seeker(
                id=3 * i + 7,  # ids not in input order nor contiguous
                easting=e if located else None,
                northing=n if located else None,
                skills=skills(rng.randint(0, 8)),
                travel_modes=tuple(m for m in MODES if rng.random() < 0.4),
                max_travel_minutes=rng.choice([0, 15, 30, 45, 60, 90]),
                hours_min=lo,
                hours_max=lo + rng.choice([10, 20, 30]),
                has_driving_licence=rng.random() < 0.5,
            )
        )
    rng.shuffle(seekers)
    vacancies = []
    for j in range(n_vacancies):
        e, n = place()
        asked = skills(rng.randint(0, 8))
        vacancies.append(
            Vacancy(
                id=1000 - 5 * j,
                employer_id=rng.randint(1, 20),
                easting=e,
                northing=n,
                remote=rng.random() < 0.08,
                skills=asked,
                essential_skills=asked[: rng.randint(0, 2)],
                hours_per_week=rng.choice([8, 16, 25, 37.5]),
                requires_driving_licence=rng.random() < 0.2,
                status=rng.choice(["open"] * 9 + ["closed"]),
                closing_date=TODAY + dt.timedelta(days=rng.randint(-5, 30))
                if rng.random() < 0.5
                else None,
                positions=rng.randint(1, 3),
                positions_filled=rng.choice([0, 0, 0, 1]),
            )
        )
    occupations = 40

    def occ_rows(n: int) -> sp.csr_matrix:
        dense = np.zeros((n, occupations))
        for r in range(n):
            for _ in range(rng.randint(0, 3)):
                dense[r, rng.randrange(occupations)] = rng.random()
        norms = np.linalg.norm(dense, axis=1, keepdims=True)
        return sp.csr_matrix(np.divide(dense, norms, out=np.zeros_like(dense), where=norms > 0))

    congestion = Congestion(
        applications={v.id: rng.randint(0, 30) for v in vacancies},
        answer_rate={e: rng.random() for e in range(1, 21)},
    )
    return seekers, vacancies, occ_rows(n_seekers), occ_rows(n_vacancies), congestion


def title_rows(seed: int, n_seekers: int, occupations: int = 40):
    """Return (rows, owner): 0 to 3 desired-title rows per seeker, rows not grouped by seeker."""
    rng = random.Random(seed)
    owner = [s for s in range(n_seekers) for _ in range(rng.randint(0, 3))]
    rng.shuffle(owner)
    dense = np.zeros((len(owner), occupations))
    for r in range(len(owner)):
        for _ in range(rng.randint(1, 3)):
            dense[r, rng.randrange(occupations)] = rng.random()
    dense /= np.linalg.norm(dense, axis=1, keepdims=True)
    return sp.csr_matrix(dense), owner


def assert_same_top_k(engine: list[tuple[float, int]], reference: list[tuple[float, int]]):
    """Fits equal within 1e-9 position by position; ids equal except among near-ties."""
    assert len(engine) == len(reference)
    if not engine:
        return
    for (fe, _), (fr, _) in zip(engine, reference, strict=True):
        assert fe == pytest.approx(fr, abs=1e-9)
    cut = reference[-1][0] + 1e-9
    assert {i for f, i in engine if f > cut} == {i for f, i in reference if f > cut}
    ids = [i for _, i in engine]
    assert len(set(ids)) == len(ids)


def engine_lists(result):
    by_seeker, by_vacancy = {}, {}
    m = result.matches
    order = np.lexsort((m.fit_rank, m.seeker_id))
    for s, v, f in zip(
        m.seeker_id[order].tolist(),
        m.vacancy_id[order].tolist(),
        m.fit[order].tolist(),
        strict=True,
    ):
        by_seeker.setdefault(s, []).append((f, v))
    c = result.candidates
    for v, s, f in zip(c.vacancy_id.tolist(), c.seeker_id.tolist(), c.fit.tolist(), strict=True):
        by_vacancy.setdefault(v, []).append((f, s))
    return by_seeker, by_vacancy


@pytest.mark.parametrize(
    ("seed", "occupations", "k"), [(1, True, 5), (2, False, 10), (3, True, 50)]
)
def test_engine_equals_exhaustive_reference_both_ways(seed, occupations, k):
    seekers, vacancies, s_occ, v_occ, congestion = random_town(seed)
    if not occupations:
        s_occ = v_occ = None
    result = match_all(
        seekers,
        vacancies,
        today=TODAY,
        seeker_occupations=s_occ,
        vacancy_occupations=v_occ,
        congestion=congestion,
        k=k,
    )
    ctx = result.index.context
    ref_seeker, ref_vacancy = brute_force_top_k(
        seekers,
        vacancies,
        today=TODAY,
        skill_space=ctx.skill_space,
        travel=ESTIMATED_TRAVEL,
        use_occupations=ctx.use_occupations,
        seeker_occupations=s_occ,
        vacancy_occupations=v_occ,
        k=k,
    )
    eng_seeker, eng_vacancy = engine_lists(result)
    assert sum(len(x) for x in ref_seeker.values()) > 3 * len(seekers) // 2  # not vacuous
    for s in seekers:
        assert_same_top_k(eng_seeker.get(s.id, []), ref_seeker[s.id])
    for v in vacancies:
        assert_same_top_k(eng_vacancy.get(v.id, []), ref_vacancy[v.id])


def test_best_title_occupation_fit_equals_the_reference():
    seekers, vacancies, _, v_occ, congestion = random_town(9)
    rows, owner = title_rows(9, len(seekers))
    kwargs = dict(seeker_occupations=rows, vacancy_occupations=v_occ, occupation_owner=owner, k=10)
    result = match_all(seekers, vacancies, today=TODAY, congestion=congestion, **kwargs)
    ctx = result.index.context
    ref_seeker, ref_vacancy = brute_force_top_k(
        seekers,
        vacancies,
        today=TODAY,
        skill_space=ctx.skill_space,
        travel=ESTIMATED_TRAVEL,
        use_occupations=True,
        **kwargs,
    )
    eng_seeker, eng_vacancy = engine_lists(result)
    for s in seekers:
        assert_same_top_k(eng_seeker.get(s.id, []), ref_seeker[s.id])
    for v in vacancies:
        assert_same_top_k(eng_vacancy.get(v.id, []), ref_vacancy[v.id])


def test_both_directions_hold_the_same_pairs_when_k_is_large():
    seekers, vacancies, s_occ, v_occ, congestion = random_town(4, 120, 80)
    result = match_all(
        seekers, vacancies, today=TODAY, seeker_occupations=s_occ, vacancy_occupations=v_occ, k=200
    )
    m, c = result.matches, result.candidates
    one_way = set(zip(m.seeker_id.tolist(), m.vacancy_id.tolist(), m.fit.tolist(), strict=True))
    other_way = set(zip(c.seeker_id.tolist(), c.vacancy_id.tolist(), c.fit.tolist(), strict=True))
    assert one_way == other_way
    assert len(one_way) > 300


def test_chunking_and_threads_do_not_change_results():
    seekers, vacancies, s_occ, v_occ, congestion = random_town(5, 400, 120)
    space = SkillSpace.fit(seekers, vacancies)
    index = VacancyIndex.build(
        vacancies,
        context=MatchContext(today=TODAY, skill_space=space),
        occupations=v_occ,
        congestion=congestion,
    )
    whole = match(seekers, index, seeker_occupations=s_occ, k=20, chunk_size=100_000)
    chunked = match(seekers, index, seeker_occupations=s_occ, k=20, chunk_size=7)
    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        single = match(seekers, index, seeker_occupations=s_occ, k=20, chunk_size=64)
    finally:
        numba.set_num_threads(threads)
    for other in (chunked, single):
        for name in ("seeker_id", "vacancy_id", "fit", "adjusted", "rank", "fit_rank", "crowded"):
            assert np.array_equal(getattr(whole.matches, name), getattr(other.matches, name))
        for name in ("vacancy_id", "seeker_id", "fit", "rank"):
            assert np.array_equal(getattr(whole.candidates, name), getattr(other.candidates, name))
        assert whole.allocated == other.allocated and whole.basis == other.basis


def test_congestion_only_reorders_each_seekers_top_k():
    seekers, vacancies, s_occ, v_occ, congestion = random_town(6)
    plain = match_all(
        seekers, vacancies, today=TODAY, seeker_occupations=s_occ, vacancy_occupations=v_occ, k=10
    )
    crowded = match_all(
        seekers,
        vacancies,
        today=TODAY,
        seeker_occupations=s_occ,
        vacancy_occupations=v_occ,
        k=10,
        congestion=congestion,
    )

    def key(m):
        return sorted(zip(m.seeker_id.tolist(), m.vacancy_id.tolist(), m.fit.tolist(), strict=True))

    assert key(plain.matches) == key(crowded.matches)
    m = crowded.matches
    assert (m.adjusted <= m.fit + 1e-12).all()
    assert (m.rank != m.fit_rank).any()
    for s in {int(x) for x in m.seeker_id[:50]}:
        mine = m.for_seeker(s)
        assert mine.rank.tolist() == list(range(1, len(mine) + 1))
        assert np.all(np.diff(mine.adjusted) <= 0)


def test_seekers_within_reach_covers_every_located_match():
    seekers, vacancies, s_occ, v_occ, _ = random_town(7)
    result = match_all(seekers, vacancies, today=TODAY, k=50)
    by_id = {v.id: v for v in vacancies}
    pairs = set(
        zip(result.matches.seeker_id.tolist(), result.matches.vacancy_id.tolist(), strict=True)
    )
    for vid in {v for _, v in pairs}:
        reach = set(seekers_within_reach(seekers, by_id[vid]))
        assert {s for s, v in pairs if v == vid} <= reach


def test_every_kept_pair_has_reasons_that_agree_with_its_fit():
    seekers, vacancies, s_occ, v_occ, congestion = random_town(8, 60, 40)
    result = match_all(
        seekers,
        vacancies,
        today=TODAY,
        seeker_occupations=s_occ,
        vacancy_occupations=v_occ,
        congestion=congestion,
        k=5,
    )
    reasons = result.all_reasons()
    fits = dict(
        zip(
            zip(result.matches.seeker_id.tolist(), result.matches.vacancy_id.tolist(), strict=True),
            result.matches.fit.tolist(),
            strict=True,
        )
    )
    assert set(fits) <= set(reasons)
    for pair, fit in fits.items():
        assert reasons[pair]["fit"] == pytest.approx(fit, abs=1e-4)
        assert reasons[pair]["summary"] and reasons[pair]["help"]


def _frozen(result, congestion: Congestion) -> Congestion:
    return Congestion(
        applications=congestion.applications,
        answer_rate=congestion.answer_rate,
        basis=result.basis,
    )


def _rows(m, seeker_ids=None) -> list[tuple]:
    """Rows to compare: ids, rank, fit rank and crowding exactly; scores to 1e-9 (a fit summed
    over another set of seekers can differ in its last bits)."""
    rows = zip(
        m.seeker_id.tolist(),
        m.vacancy_id.tolist(),
        np.round(m.fit, 9).tolist(),
        np.round(m.adjusted, 9).tolist(),
        m.rank.tolist(),
        m.fit_rank.tolist(),
        m.crowded.tolist(),
        strict=True,
    )
    return sorted(r for r in rows if seeker_ids is None or r[0] in seeker_ids)


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_replaying_a_full_runs_basis_gives_the_full_run(seed):
    """The walk over everyone and the per-seeker replay of its frozen basis agree exactly."""
    seekers, vacancies, s_occ, v_occ, congestion = random_town(seed, n_seekers=400)
    args = dict(today=TODAY, seeker_occupations=s_occ, vacancy_occupations=v_occ, k=15)
    full = match_all(seekers, vacancies, congestion=congestion, **args)
    assert full.basis is not None and any(b.cutoff for b in full.basis.values()), "some fill up"
    space = full.index.context.skill_space
    replay = match_all(
        seekers, vacancies, congestion=_frozen(full, congestion), skill_space=space, **args
    )
    assert replay.basis is None
    assert _rows(replay.matches) == _rows(full.matches)


@pytest.mark.parametrize("seed", [21, 22])
def test_an_incremental_run_equals_a_full_run_with_the_same_basis(seed):
    """Random sequences of changes: after each, re-running only the changed seekers (and those
    near a changed vacancy) with the frozen basis gives what re-running everyone with it gives."""
    rng = random.Random(seed)
    seekers, vacancies, _, _, congestion = random_town(seed, n_seekers=250)
    full = match_all(seekers, vacancies, today=TODAY, congestion=congestion, k=12)
    frozen, space = _frozen(full, congestion), full.index.context.skill_space
    stored = {r[0]: [] for r in _rows(full.matches)}
    for r in _rows(full.matches):
        stored[r[0]].append(r)
    for _step in range(6):
        changed: set[int] = set()
        if rng.random() < 0.5:  # a seeker changes their skills and travel
            i = rng.randrange(len(seekers))
            s = seekers[i]
            seekers[i] = Seeker(
                id=s.id,
                easting=s.easting,
                northing=s.northing,
                skills=tuple(reversed(s.skills))[: rng.randint(0, len(s.skills))],
                travel_modes=s.travel_modes or ("car",),
                max_travel_minutes=rng.choice([15, 30, 60, 90]),
                hours_min=s.hours_min,
                hours_max=s.hours_max,
                has_driving_licence=s.has_driving_licence,
            )
            changed.add(s.id)
        else:  # a vacancy opens, or one closes
            if rng.random() < 0.5 and len(vacancies) > 1:
                gone = vacancies.pop(rng.randrange(len(vacancies)))
                near = seekers_within_reach(seekers, gone)
            else:
                new = vacancies[rng.randrange(len(vacancies))]
                new = dataclasses.replace(new, id=10_000 + _step)
                vacancies.append(new)
                near = seekers_within_reach(seekers, new)
            changed.update(int(i) for i in near)
        some = [s for s in seekers if s.id in changed]
        part = match_all(some, vacancies, today=TODAY, congestion=frozen, skill_space=space, k=12)
        for s in changed:
            stored[s] = []
        for r in _rows(part.matches):
            stored[r[0]].append(r)
        everyone = match_all(
            seekers, vacancies, today=TODAY, congestion=frozen, skill_space=space, k=12
        )
        assert sorted(r for rows in stored.values() for r in rows) == _rows(everyone.matches)
