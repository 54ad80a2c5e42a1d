"""Synthetic seekers and vacancies for the engine benchmark (bench-town, bench-city).

Realistic in the ways that drive the engine's cost: skill keys from a ~3,000-key vocabulary with
Zipf frequencies (a few keys like "communication" everywhere, most rare), mixed with a sector's
own pool so that seekers and vacancies of a sector share skills; 5 to 15 skills each; locations
in a main town and satellite settlements within about 30 km of the centre; travel modes, limits,
hours and licences in plausible proportions; some vacancies closed, past closing or full;
applications per vacancy and employer answer rates for congestion; and sparse L2-normalised
occupation rows (3,039 columns, as ESCO v1.2's occupations): one per desired title (0 to 3 per
seeker) and one per vacancy title. Seeded: the same arguments give the same data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matching.engine.model import Congestion, Seeker, Vacancy

VOCABULARY = 3000
OCCUPATIONS = 3039
SECTORS = 20
SECTOR_POOL = 150  # skills typical of a sector
SECTOR_OCCUPATIONS = 150
ZIPF_S = 1.07  # word-frequency-like exponent
CENTRE = (445_000, 405_000)  # a point in the north of England, grid metres
RADIUS_M = 30_000
MEANING_COLUMNS = 10  # nearest occupations by meaning per text (meaning.TOP_K)
MEANING_SHARE = 0.4  # their share of a row (weights.TEXT_MEANING)
ABOUT_SHARE = 0.4  # seekers who wrote about themselves (as the demo town)
FAMILIES = 500  # families of occupations (meaning.FAMILIES), SECTOR_FAMILIES per sector
SECTOR_FAMILIES = 40
FAMILY_COLUMNS = 10  # nearest families by meaning per text (meaning.FAMILY_TOP_K)
FAMILY_SHARE = 0.3  # the families' share of a row's dot product (weights.OCCUPATION_FAMILY)
TODAY = dt.date(2026, 3, 2)

MODES = ("walk", "cycle", "public_transport", "car")
MODE_P = (0.45, 0.15, 0.6, 0.5)
LIMITS = (20, 30, 45, 60, 90)
LIMIT_P = (0.1, 0.25, 0.35, 0.2, 0.1)
HOURS_RANGES = ((0, 16), (16, 30), (0, 40), (25, 48), (0, 48), (30, 40))
VACANCY_HOURS = (8.0, 16.0, 20.0, 24.0, 30.0, 37.5, 40.0)


@dataclass
class Town:
    seekers: list[Seeker]
    vacancies: list[Vacancy]
    seeker_occupations: sp.csr_matrix  # one row per desired title (0 to 3 per seeker)
    occupation_owner: np.ndarray  # row -> position of its seeker in ``seekers``
    vacancy_occupations: sp.csr_matrix  # one row per vacancy
    congestion: Congestion
    labels: dict[str, str]
    today: dt.date = TODAY


def _zipf(n: int) -> np.ndarray:
    p = 1.0 / np.arange(1, n + 1) ** ZIPF_S
    return p / p.sum()


def _places(rng: np.random.Generator, n: int, settlements: np.ndarray, weights: np.ndarray):
    """Return n (easting, northing) points: mostly around settlements, some scattered."""
    which = rng.choice(len(settlements), size=n, p=weights)
    spread = np.where(which == 0, 4000.0, 2000.0)
    pts = settlements[which] + rng.normal(size=(n, 2)) * spread[:, None]
    scattered = rng.random(n) < 0.15
    r = RADIUS_M * np.sqrt(rng.random(n))
    a = rng.random(n) * 2 * np.pi
    pts[scattered] = np.c_[CENTRE[0] + r * np.cos(a), CENTRE[1] + r * np.sin(a)][scattered]
    off = pts - np.array(CENTRE)
    dist = np.hypot(off[:, 0], off[:, 1])
    too_far = dist > RADIUS_M
    pts[too_far] = np.array(CENTRE) + off[too_far] * (RADIUS_M / dist[too_far])[:, None]
    return np.rint(pts).astype(np.int64)


def _skill_lists(rng, n, sectors, pools, global_p, sector_p) -> list[list[int]]:
    sizes = rng.integers(5, 16, size=n)
    total = int(sizes.sum())
    from_sector = rng.random(total) < 0.6
    global_draw = rng.choice(VOCABULARY, size=total, p=global_p)
    sector_draw = rng.choice(SECTOR_POOL, size=total, p=sector_p)
    owner = np.repeat(np.arange(n), sizes)
    keys = np.where(from_sector, pools[sectors[owner], sector_draw], global_draw)
    out, start = [], 0
    for size in sizes.tolist():
        out.append(list(dict.fromkeys(keys[start : start + size].tolist())))
        start += size
    return out


def _occupation_rows(rng, sectors, titles_per_item, occ_pools, meaning=False, about=None):
    """Return (rows, owner): one row per title (its nearest occupations, L2-normalised, like
    matching/engine/occupations.py gives) and the item each row belongs to. ``meaning``: each
    row also holds its text's nearest occupations by meaning (``MEANING_COLUMNS`` more, with
    ``MEANING_SHARE`` of the weight, as ``matching/engine/meaning.py`` blends them) and its
    nearest families of occupations (``FAMILY_COLUMNS``, in columns after the occupations',
    ``FAMILY_SHARE`` of the dot product); ``about``: items (True) that get one more row of
    meaning alone (a seeker's own words)."""
    occ_p = _zipf(SECTOR_OCCUPATIONS)
    fam_p = _zipf(SECTOR_FAMILIES)
    rows, cols, vals, owner = [], [], [], []
    family: tuple[list, list, list] = ([], [], [])

    def add_meaning(r: int, s: int, share: float) -> None:
        picks = rng.choice(SECTOR_OCCUPATIONS, size=MEANING_COLUMNS, p=occ_p)
        for rank, pick in enumerate(dict.fromkeys(picks.tolist())):
            rows.append(r)
            cols.append(int(occ_pools[s, pick]))
            vals.append(share * 0.9**rank)
        picks = rng.choice(SECTOR_FAMILIES, size=FAMILY_COLUMNS, p=fam_p)
        for rank, pick in enumerate(dict.fromkeys(picks.tolist())):
            family[0].append(r)
            family[1].append((s * SECTOR_FAMILIES // 2 + int(pick)) % FAMILIES)
            family[2].append(0.9**rank)

    for item, (sector, n_titles) in enumerate(
        zip(sectors.tolist(), titles_per_item.tolist(), strict=True)
    ):
        for _ in range(n_titles):
            r = len(owner)
            owner.append(item)
            s = sector if rng.random() < 0.8 else int(rng.integers(SECTORS))
            picks = rng.choice(SECTOR_OCCUPATIONS, size=int(rng.integers(3, 6)), p=occ_p)
            for rank, pick in enumerate(dict.fromkeys(picks.tolist())):
                rows.append(r)
                cols.append(int(occ_pools[s, pick]))
                vals.append((1.0 - MEANING_SHARE if meaning else 1.0) * 0.8**rank)
            if meaning:
                add_meaning(r, s, MEANING_SHARE)
        if about is not None and about[item]:
            r = len(owner)
            owner.append(item)
            add_meaning(r, sector, 1.0)
    m = _unit(sp.csr_matrix((vals, (rows, cols)), shape=(len(owner), OCCUPATIONS)))
    if meaning:
        f_rows, f_cols, f_vals = family
        f = _unit(sp.csr_matrix((f_vals, (f_rows, f_cols)), shape=(len(owner), FAMILIES)))
        m = _unit(sp.hstack([np.sqrt(1 - FAMILY_SHARE) * m, np.sqrt(FAMILY_SHARE) * f]))
    return m, np.asarray(owner, dtype=np.int64)


def _unit(m: sp.spmatrix) -> sp.csr_matrix:
    m = sp.csr_matrix(m, dtype=np.float64)
    m.sum_duplicates()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ m)


def _vocabulary() -> tuple[list[str], dict[str, str]]:
    """``VOCABULARY`` real taxonomy skills drawn at random (seeded) from
    ``matching/data/skill_families.csv.gz``, so that skills are also compared by meaning, as
    the service compares them, through their families of kin: keys and labels. A skill's
    frequency rank is drawn apart from its family (the commonest skills, "customer service",
    "teamwork", are not near-synonyms of one another)."""
    import csv
    import gzip
    import random

    from matching.engine.skillspace import FAMILIES_FILE

    with gzip.open(FAMILIES_FILE, "rt", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows = random.Random(VOCABULARY).sample(rows, VOCABULARY)
    return [r["id"] for r in rows], {r["id"]: r["label"] for r in rows}


def make_town(n_seekers: int, n_vacancies: int, seed: int = 4, meaning: bool = False) -> Town:
    """Return a synthetic town of ``n_seekers`` and ``n_vacancies`` (seeded). ``meaning``:
    occupation rows as the service builds them with text meaning (denser rows, and a row of
    the seeker's own words for ``ABOUT_SHARE`` of seekers)."""
    rng = np.random.default_rng(seed)
    global_p = _zipf(VOCABULARY)
    sector_p = _zipf(SECTOR_POOL)
    # Each sector draws its pool from the vocabulary, skewed to the common keys.
    pools = np.stack(
        [rng.choice(VOCABULARY, size=SECTOR_POOL, replace=False) for _ in range(SECTORS)]
    )
    occ_pools = np.stack(
        [rng.choice(OCCUPATIONS, size=SECTOR_OCCUPATIONS, replace=False) for _ in range(SECTORS)]
    )
    settlements = np.vstack(
        [
            CENTRE,
            *[
                np.array(CENTRE) + rng.uniform(6000, 25000) * np.array([np.cos(a), np.sin(a)])
                for a in rng.uniform(0, 2 * np.pi, size=9)
            ],
        ]
    )
    s_weights = np.r_[0.4, np.full(9, 0.6 / 9)]
    keys, labels = _vocabulary()

    s_sector = rng.integers(SECTORS, size=n_seekers)
    s_skills = _skill_lists(rng, n_seekers, s_sector, pools, global_p, sector_p)
    s_places = _places(rng, n_seekers, settlements, s_weights)
    s_located = rng.random(n_seekers) > 0.03
    s_modes = rng.random((n_seekers, 4)) < np.array(MODE_P)
    s_modes[~s_modes.any(axis=1), 2] = True
    s_limits = rng.choice(LIMITS, size=n_seekers, p=LIMIT_P)
    s_hours = rng.integers(len(HOURS_RANGES), size=n_seekers)
    s_licence = s_modes[:, 3] | (rng.random(n_seekers) < 0.3)
    seekers = [
        Seeker(
            id=i + 1,
            easting=int(s_places[i, 0]) if s_located[i] else None,
            northing=int(s_places[i, 1]) if s_located[i] else None,
            skills=tuple(keys[k] for k in s_skills[i]),
            travel_modes=tuple(m for m, on in zip(MODES, s_modes[i], strict=True) if on),
            max_travel_minutes=float(s_limits[i]),
            hours_min=float(HOURS_RANGES[s_hours[i]][0]),
            hours_max=float(HOURS_RANGES[s_hours[i]][1]),
            has_driving_licence=bool(s_licence[i]),
        )
        for i in range(n_seekers)
    ]

    n_employers = max(1, n_vacancies // 4)
    v_sector = rng.integers(SECTORS, size=n_vacancies)
    v_skills = _skill_lists(rng, n_vacancies, v_sector, pools, global_p, sector_p)
    v_places = _places(rng, n_vacancies, settlements, s_weights)
    status = rng.choice(
        ["open", "closed", "filled", "draft"], size=n_vacancies, p=[0.92, 0.03, 0.02, 0.03]
    )
    closing = rng.integers(-10, 60, size=n_vacancies)
    has_closing = rng.random(n_vacancies) < 0.6
    positions = rng.choice([1, 1, 1, 2, 3, 5], size=n_vacancies)
    full = rng.random(n_vacancies) < 0.03
    vacancies = []
    for j in range(n_vacancies):
        skills = [keys[k] for k in v_skills[j]]
        n_ess = int(rng.integers(0, min(3, len(skills)) + 1))
        vacancies.append(
            Vacancy(
                id=j + 1,
                employer_id=int(rng.integers(n_employers)) + 1,
                easting=int(v_places[j, 0]),
                northing=int(v_places[j, 1]),
                remote=bool(rng.random() < 0.04),
                skills=tuple(skills),
                essential_skills=tuple(skills[:n_ess]),
                hours_per_week=float(rng.choice(VACANCY_HOURS)),
                requires_driving_licence=bool(rng.random() < 0.12),
                status=str(status[j]),
                closing_date=TODAY + dt.timedelta(days=int(closing[j])) if has_closing[j] else None,
                positions=int(positions[j]),
                positions_filled=int(positions[j]) if full[j] else 0,
            )
        )
    applications = rng.geometric(0.25, size=n_vacancies) - 1
    congestion = Congestion(
        applications={j + 1: int(a) for j, a in enumerate(applications) if a},
        answer_rate={e + 1: float(r) for e, r in enumerate(rng.beta(4, 2, size=n_employers))},
    )
    about = rng.random(n_seekers) < ABOUT_SHARE if meaning else None
    seeker_occ, owner = _occupation_rows(
        rng, s_sector, rng.integers(0, 4, size=n_seekers), occ_pools, meaning, about
    )
    vacancy_occ, _ = _occupation_rows(
        rng, v_sector, np.ones(n_vacancies, dtype=int), occ_pools, meaning
    )
    return Town(seekers, vacancies, seeker_occ, owner, vacancy_occ, congestion, labels)
