"""Occupation fit: titles -> sparse vectors over ESCO occupations (matching/engine/occupations.py).

Plain pytest, no database. The index is fitted once per process (~2.5 s, ``load_occupations``
is cached).
"""

from __future__ import annotations

import csv
import importlib.util
import itertools
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from matching.engine import occupations as occ

ROOT = Path(__file__).resolve().parents[2]
CARGO_VEHICLE_DRIVER = "45037d43-a8f5-4f46-b332-b2935bc305f4"
HEALTHCARE_ASSISTANT = "d38c2107-98f2-47b7-8bb4-f69750d51082"

# Measured (bench/bench_occupations.py): top-1 85.1% and top-3 93.7% over all 268 titles,
# 80.0% / 93.3% on the 60 held-out ones. Floors sit a few points below.
TOP1_FLOOR = 0.80
TOP3_FLOOR = 0.90
HOLDOUT_TOP1_FLOOR = 0.72
SAMPLE_LIMIT = 400  # the whole file today (268 titles, ~0.3 s); bounded if it grows


@pytest.fixture(scope="module")
def index() -> occ.OccupationIndex:
    return occ.load_occupations()


@pytest.fixture(scope="module")
def gold() -> list[dict[str, str]]:
    with open(occ.DATA_DIR / "uk_job_titles.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))[:SAMPLE_LIMIT]


def test_loaded_once(index):
    assert occ.load_occupations() is index
    assert index.n == 3039 == len(set(index.ids))
    assert len(set(index.labels)) == index.n


def test_hgv_class_1_meets_lgv_c_plus_e(index):
    hgv = index.top("HGV class 1 driver", k=3)
    lgv = index.top("LGV C+E driver", k=3)
    assert hgv[0][0] == lgv[0][0] == CARGO_VEHICLE_DRIVER
    assert hgv[0][1] == "cargo vehicle driver"
    assert index.fit(["HGV class 1 driver"], "LGV C+E driver") > 0.8


def test_unrelated_titles_do_not_meet(index):
    assert index.fit(["care assistant"], "software developer") < 0.05
    assert index.fit(["software developer"], "care assistant") < 0.05
    assert index.fit(["HGV class 1 driver"], "hairdresser") < 0.05


def test_same_title_and_advert_noise(index):
    assert index.fit(["care assistant"], "care assistant") == pytest.approx(1.0, abs=1e-5)
    assert occ.normalise_title("Care Assistant - Nights (£11.50ph)") == "care assistant"
    assert index.fit(["Care Assistant - Nights £11.50ph"], "care assistant") == pytest.approx(
        1.0, abs=1e-5
    )
    assert index.top("care assistant", k=1)[0][0] == HEALTHCARE_ASSISTANT


def test_fit_symmetric_and_bounded(index):
    titles = [
        "HGV class 1 driver",
        "delivery driver",
        "care assistant",
        "support worker",
        "warehouse operative",
        "picker packer",
        "chef",
        "commis chef",
        "cleaner",
        "office cleaner",
        "software developer",
        "asdfgh",
    ]
    for a, b in itertools.combinations(titles, 2):
        ab, ba = index.fit([a], b), index.fit([b], a)
        assert 0.0 <= ab <= 1.0 + 1e-6
        assert ab == pytest.approx(ba, abs=1e-5)


def test_title_matrix_shape_and_rows(index):
    titles = ["care assistant", "", "asdfgh qwerty", "HGV class 1 driver", "care assistant"]
    m = index.title_matrix(titles)
    assert sp.issparse(m) and m.format == "csr"
    assert m.shape == (5, index.n)
    assert m.dtype == np.float32
    per_row = m.getnnz(axis=1)
    assert per_row.max() <= occ.TOP_K
    assert per_row[1] == 0  # empty title: no occupation
    assert per_row[2] == 0  # nonsense: nothing above MIN_SIMILARITY
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    assert norms[[0, 3, 4]] == pytest.approx(1.0, abs=1e-5)
    assert (m.data > 0).all()
    assert (m[0] != m[4]).nnz == 0  # same title, same row
    assert index.title_matrix([]).shape == (0, index.n)
    assert index.title_vector("chef").shape == (1, index.n)


def test_fit_matrix_is_max_over_seeker_titles(index):
    seekers = [["care assistant", "cleaner"], ["HGV class 1 driver"], ["asdfgh"]]
    vacancies = ["senior care assistant", "office cleaner", "LGV C+E driver", "chef"]
    rows = index.title_matrix([t for titles in seekers for t in titles])
    owner = np.repeat(np.arange(len(seekers)), [len(t) for t in seekers])
    vac = index.title_matrix(vacancies)
    fit = occ.occupation_fit_matrix(rows, owner, len(seekers), vac)
    assert fit.shape == (3, 4)
    dense = fit.toarray()
    assert ((dense >= 0) & (dense <= 1)).all()
    for s, titles in enumerate(seekers):
        for v, vacancy in enumerate(vacancies):
            assert dense[s, v] == pytest.approx(index.fit(titles, vacancy), abs=1e-5)
    assert dense[0, 0] > 0.5 and dense[0, 1] > 0.5  # either desired title counts in full
    assert dense[1, 2] > 0.8
    assert dense[2].max() == 0.0


def test_explain_adds_up_to_fit(index):
    parts = index.contributions(["warehouse operative", "chef"], "picker packer")
    assert parts and all(c > 0 for _, _, c in parts)
    assert {label for _, label, _ in parts} & {"warehouse worker", "warehouse order picker"}
    total = sum(
        c for _, _, c in index.contributions(["HGV class 1 driver"], "LGV C+E driver", k=99)
    )
    assert total == pytest.approx(index.fit(["HGV class 1 driver"], "LGV C+E driver"), abs=1e-4)


def test_uk_titles_file_is_consistent(index, gold):
    assert len(gold) >= 100
    assert {g["set"] for g in gold} == {"tuning", "holdout"}
    assert len({g["title"].lower() for g in gold}) == len(gold)
    label_of = dict(zip(index.ids, index.labels, strict=True))
    for g in gold:
        assert label_of[g["expected_id"]] == g["expected_label"], g["title"]
        alt_ids = [a for a in g["alternate_ids"].split("|") if a]
        alt_labels = [a for a in g["alternate_labels"].split("|") if a]
        assert [label_of[a] for a in alt_ids] == alt_labels, g["title"]


def _accuracy(index, rows):
    sims = index.similarity([g["title"] for g in rows])
    top3 = np.argsort(-sims, axis=1, kind="stable")[:, :3]
    hit1 = hit3 = 0
    for g, best in zip(rows, top3, strict=True):
        ok = {index.position[g["expected_id"]]}
        ok |= {index.position[a] for a in g["alternate_ids"].split("|") if a}
        hit1 += best[0] in ok
        hit3 += bool(ok & set(best.tolist()))
    return hit1 / len(rows), hit3 / len(rows)


def test_accuracy_floor_on_uk_titles(gold):
    # Scored with the UK title aliases equal to these titles left out of the index.
    index = occ.build_index(exclude_titles=[g["title"] for g in gold])
    top1, top3 = _accuracy(index, gold)
    assert top1 >= TOP1_FLOOR, f"top-1 {top1:.3f}"
    assert top3 >= TOP3_FLOOR, f"top-3 {top3:.3f}"
    holdout_top1, _ = _accuracy(index, [g for g in gold if g["set"] == "holdout"])
    assert holdout_top1 >= HOLDOUT_TOP1_FLOOR, f"held-out top-1 {holdout_top1:.3f}"


def test_uk_title_aliases_name_real_occupations():
    labels = {r["id"]: r["preferred_label"] for r in occ._read_occupations(occ.OCCUPATIONS_CSV)}
    with open(occ.ALIASES_CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 400
    assert [r["title"] for r in rows if labels.get(r["id"]) != r["label"]] == []
    titles = [occ.normalise_title(r["title"]) for r in rows]
    assert len(set(titles)) == len(titles)


def test_an_alias_is_a_label_of_its_occupation_unless_left_out(index):
    """ "sparky" is ESCO's electrician only through the UK title aliases; a benchmark scoring
    that title builds the index without it."""
    electrician = next(r["id"] for r in _aliases() if r["title"] == "sparky")
    assert index.top("sparky", 1)[0][0] == electrician
    without = occ.build_index(exclude_titles=["Sparky"])
    assert without.top("sparky", 1)[0][0] != electrician


def _aliases() -> list[dict[str, str]]:
    with open(occ.ALIASES_CSV, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_synonyms_file_compiles_and_is_annotated():
    synonyms = occ._read_synonyms(occ.SYNONYMS_CSV)
    assert 0 < len(synonyms) <= 60  # small and honest
    with open(occ.SYNONYMS_CSV, encoding="utf-8", newline="") as fh:
        assert all(row["note"].strip() for row in csv.DictReader(fh))


def test_derive_script_splits_occupation_texts():
    spec = importlib.util.spec_from_file_location(
        "derive_esco_occupations", ROOT / "scripts" / "derive_esco_occupations.py"
    )
    derive = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive)
    text = (
        "ICT help desk manager software support manager ICT helpdesk managers IT helpdesk "
        "manager ICT help desk managers monitor the delivery of ICT support. They plan."
    )
    pref, labels, desc = derive.split_text(text)
    assert pref == "ICT help desk manager"
    assert labels.endswith("IT helpdesk manager")
    assert desc.startswith("ICT help desk managers monitor")
    pref, _, _ = derive.split_text(
        "head waiter/head waitress chief waiter Head waiters/waitresses manage the service."
    )
    assert pref == "head waiter/head waitress"
