"""Skill normaliser (``matching.engine.skills``): plain pytest, no database.

The taxonomy is the real one (ESCO v1.1.1 + UK licences + the UK synonym list) loaded once for
the module; the accuracy floors were measured with ``bench/bench_skills.py`` and
``bench/bench_quality.py`` and sit a few points below. When the sentence model's files are
there (``scripts/derive_text_model.py``) the normaliser also uses meaning; the floors hold
with and without it. Nothing here reads the held-out phrases.
"""

from __future__ import annotations

import csv
import importlib.util
import random
import subprocess
import sys
from pathlib import Path

import pytest

from matching.engine.skills import (
    DATA_DIR,
    core_phrase,
    load_taxonomy,
    normalise_text,
    skill_key,
)

ROOT = Path(__file__).resolve().parents[2]

CUSTOMER_SERVICE = "esco:15a33d76-4640-438d-ae64-fdc0c1d3eebc"
ATTEND_TO_DETAIL = "esco:83e6510b-ffeb-4aec-959c-4265fd0ff7b7"
OPERATE_FORKLIFT = "esco:28cb374e-6261-4133-8371-f9a5470145da"
USE_SPREADSHEETS = "esco:1973c966-f236-40c9-b2d4-5d71a89019be"

# Measured (bench/bench_skills.py, 2 cores, Python 3.11): of the hand-labelled advert phrases
# whose gold label is an ESCO skill 51.0% (25/49) lexical only, 46.9% with meaning; one-typo
# labels 97.3% lexical, 97.7% with meaning (99.8% before the stricter word gate, which halved
# wrong answers on the held-out alternative labels below).
HAND_LABELLED_FLOOR = 0.44
ONE_TYPO_FLOOR = 0.95
# ESCO alternative labels held out of the index (bench/bench_skills.py's seeded split, its
# first HELD_OUT_SAMPLE labels), as typed and with one random edit. Measured on this sample
# (2 cores, Python 3.11), lexical only: clean top-1 69.0%, recall@10 93.5% (24.0% abstain,
# 7.0% wrong); typo top-1 66.5%, recall@10 95.0% (27.0% abstain). With meaning: clean 81.5%
# / 94.0% (9.5% abstain, 9.0% wrong), typo 74.0% / 95.0% (19.5% abstain). Before this
# change: clean 73.0% with 13.0% abstain, i.e. 14.0% wrong.
HELD_OUT_SAMPLE = 200
HELD_OUT_FLOORS = {
    "clean": {"top1": 0.64, "recall@10": 0.90},
    "typo": {"top1": 0.61, "recall@10": 0.90},
}
# Everyday UK phrases (matching/data/skill_phrases_tuning.csv, 242 rows; bench/bench_quality.py).
# The synonym list holds these phrases, so the normaliser itself scores 100% / 0% wrong / 100%
# top-5 on them: the floor checks they stay in. The meaningful figure is with their own rows
# left out of the list (its other, hand-written rows stay): with meaning top-1 89.7%, wrong
# 3.7%, top-5 96.7%; lexical only 71.5%, 3.3%, 96.3%.
TUNING_FLOOR = {"top1": 0.98, "wrong": 0.01, "top5": 0.98}
TUNING_LEFT_OUT_FLOOR = {
    True: {"top1": 0.85, "wrong": 0.06, "top5": 0.93},  # with meaning
    False: {"top1": 0.66, "wrong": 0.06, "top5": 0.92},  # lexical only
}


@pytest.fixture(scope="module")
def tx():
    taxonomy = load_taxonomy()
    taxonomy.wait_semantic()  # vectors built in the background on a fresh machine
    return taxonomy


def one(tx, phrase: str) -> dict:
    (item,) = tx.normalise([phrase])
    return item


# --------------------------------------------------------------------------- normalise_text
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Forklift   Licence!! ", "forklift licence"),
        ("Café Barista", "cafe barista"),
        ("Health & Safety", "health and safety"),
        ("Driver's CPC", "drivers cpc"),
        ("First-Aid at Work", "first aid at work"),
        ("C++", "c++"),
        ("C#", "c#"),
        ("HGV Class 1 (C + E)", "hgv class 1 c+e"),
        ("Node.js / React", "node js react"),
        ("+ - / #", ""),
        ("", ""),
    ],
)
def test_normalise_text(raw, expected):
    assert normalise_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("excellent communication skills", "communication"),
        ("good understanding of the fm", "fm"),
        ("knowledge of sql", "sql"),
        ("working knowledge of excel", "excel"),
        ("hgv licence essential", "hgv licence"),
        ("skills", "skills"),  # never strips to nothing
    ],
)
def test_core_phrase_strips_advert_filler(raw, expected):
    assert core_phrase(raw) == expected


# --------------------------------------------------------------------------- taxonomy
def test_taxonomy_holds_all_esco_labels_and_uk_licences(tx):
    assert len(tx.concept_ids) >= 13_412 + 10
    assert len(tx.labels) >= 95_000  # distinct normalised preferred + alternative labels
    assert load_taxonomy() is tx  # one per process


def test_uk_licences_and_aliases_files_are_well_formed(tx):
    with open(DATA_DIR / "uk_licences.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["id"] for r in rows} >= {
        "uk:hgv_c",
        "uk:hgv_ce",
        "uk:driver_cpc",
        "uk:cscs_card",
        "uk:sia_door_supervisor",
        "uk:dbs_check",
        "uk:forklift_counterbalance",
        "uk:food_hygiene_l2",
        "uk:first_aid_at_work",
    }
    for r in rows:
        assert r["id"].startswith("uk:") and r["label"] and r["source"]
    with open(DATA_DIR / "esco_skills_aliases.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            assert tx.label_of("esco:" + r["id"]), r


def test_engine_module_does_not_import_django():
    code = "import sys, matching.engine.skills; sys.exit('django' in sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# --------------------------------------------------------------------------- normalise
def test_exact_preferred_label(tx):
    item = one(tx, "Customer Service")
    alternatives = item.pop("alternatives")
    assert item == {
        "typed": "Customer Service",
        "id": CUSTOMER_SERVICE,
        "label": "customer service",
        "score": 1.0,
    }
    assert 1 <= len(alternatives) <= 4


def test_exact_looks_up_labels_as_they_stand_and_nothing_else(tx):
    found = tx.exact(["need a DBS", "DBS check", "Customer  Service", "custmer service",
                      "own transport", "DBS checked", "the yard"])  # fmt: skip
    # One per skill, first seen wins; no spelling ("custmer"), no non-skills, no guesses.
    assert [(f["typed"], f["id"], f["score"]) for f in found] == [
        ("DBS check", "uk:dbs_check", 1.0),
        ("Customer  Service", CUSTOMER_SERVICE, 1.0),
    ]


def test_alt_label_maps_to_preferred_concept(tx):
    item = one(tx, "attend to details")  # an ESCO alternative label
    assert item["id"] == ATTEND_TO_DETAIL
    assert item["label"] == "attend to detail"


def test_advert_filler_is_ignored(tx):
    assert one(tx, "Excellent customer service skills")["id"] == CUSTOMER_SERVICE


def test_typo(tx):
    item = one(tx, "forklfit licence")
    assert item["id"] == "uk:forklift_counterbalance"
    assert 0.6 <= item["score"] < 1.0
    assert one(tx, "custmer service")["id"] == CUSTOMER_SERVICE


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("HGV Class 1", "uk:hgv_ce"),
        ("C+E licence", "uk:hgv_ce"),
        ("Class 2 HGV", "uk:hgv_c"),
        ("CSCS card", "uk:cscs_card"),
        ("Driver CPC", "uk:driver_cpc"),
        ("SIA licence", "uk:sia_door_supervisor"),
        ("Enhanced DBS check", "uk:dbs_check"),
        ("Counterbalance forklift", "uk:forklift_counterbalance"),
        ("Level 2 Food Hygiene", "uk:food_hygiene_l2"),
        ("First Aid at Work", "uk:first_aid_at_work"),
    ],
)
def test_uk_licences(tx, phrase, expected):
    assert one(tx, phrase)["id"] == expected


def test_noun_typed_for_verb_label(tx):
    assert one(tx, "forklift")["id"] == OPERATE_FORKLIFT  # ESCO: "operate forklift"


@pytest.mark.parametrize("phrase", ["asdkjh qwerty", "zzxxqv", "i like turtles", "care"])
def test_nonsense_or_too_broad_gets_no_id(tx, phrase):
    # "care" would otherwise land on a narrower concept ("food care" -> food preservation).
    item = one(tx, phrase)
    assert item["id"] is None and item["label"] is None
    assert skill_key(item) == "text:" + normalise_text(phrase)


def test_dedup_and_order(tx):
    out = tx.normalise(
        [
            "Forklift licence",
            "forklift  licence!!",  # same normalised text
            "FLT licence",  # same id
            "asdkjh qwerty",
            "ASDKJH  QWERTY",  # same text key
            "",  # dropped
            "Customer service",
        ]
    )
    assert [skill_key(i) for i in out] == [
        "uk:forklift_counterbalance",
        "text:asdkjh qwerty",
        CUSTOMER_SERVICE,
    ]
    assert out[0]["typed"] == "Forklift licence"


def test_cache_returns_same_answers(tx):
    first = tx.normalise(["forklfit licence", "warehuse"])
    assert tx.normalise(["forklfit licence", "warehuse"]) == first


def test_skill_key():
    assert skill_key({"typed": "HGV 1", "id": "uk:hgv_ce", "label": "x"}) == "uk:hgv_ce"
    assert skill_key({"typed": "  Blue-Sky Thinking ", "id": None}) == "text:blue sky thinking"
    assert skill_key("Blue-Sky Thinking") == "text:blue sky thinking"
    assert skill_key("esco:abc") == "esco:abc"
    assert skill_key("text:abc") == "text:abc"


# --------------------------------------------------------------------------- suggest
def test_suggest_fork(tx):
    res = tx.suggest("fork")
    ids = [r["id"] for r in res]
    assert "uk:forklift_counterbalance" in ids[:3]
    assert OPERATE_FORKLIFT in ids
    assert all("fork" in normalise_text(r["matched_label"]) for r in res)
    assert set(res[0]) == {"id", "label", "matched_label"}
    assert len(ids) == len(set(ids))  # one row per concept


def test_suggest_care(tx):
    res = tx.suggest("care", limit=10)
    assert len(res) == 10
    for r in res:
        words = normalise_text(r["matched_label"]).split()
        assert any(w.startswith("care") for w in words), r
    assert "esco:261e740b-d32d-4356-94a8-3ea29128b70b" in [r["id"] for r in res]  # elderly


def test_suggest_excel(tx):
    res = tx.suggest("excel")
    assert res[0]["id"] == USE_SPREADSHEETS
    assert res[0]["matched_label"] == "Excel"


def test_suggest_multiword_typo_limit_and_empty(tx):
    assert tx.suggest("first aid at")[0]["id"] == "uk:first_aid_at_work"
    assert "uk:forklift_counterbalance" in [r["id"] for r in tx.suggest("forklfit")]
    assert len(tx.suggest("c", limit=3)) == 3
    assert tx.suggest("") == [] and tx.suggest("!!") == []


def test_suggest_answers_any_prefix(tx):
    """Its speed is in ``make bench`` (bench/bench_skills.py), not here."""
    rng = random.Random(3)
    prefixes = [lab[: rng.randrange(1, 9)] for lab in rng.sample(tx.labels, 200)]
    for p in prefixes:
        rows = tx.suggest(p)
        assert len(rows) <= 10 and all(r["label"] for r in rows)


# --------------------------------------------------------------------------- accuracy
def _advert_rows():
    with open(DATA_DIR / "advert_phrases.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_accuracy_on_uk_advert_phrases(tx):
    rows = _advert_rows()
    assert len(rows) == 173
    hand = [
        r for r in rows if r["source"] == "hand_labelled" and r["expected_id"].startswith("esco:")
    ]
    model = [r for r in rows if r["source"] == "ojd_model" and r["match_type"] == "skill"]

    def accuracy(subset):
        hits = 0
        for r in subset:
            hits += one(tx, r["phrase"])["id"] == r["expected_id"]
        return hits / len(subset)

    hand_acc, model_acc = accuracy(hand), accuracy(model)
    print(
        f"\nUK advert phrases top-1: hand-labelled {hand_acc:.1%} of {len(hand)}; "
        f"agreement with ojd-daps model mappings {model_acc:.1%} of {len(model)}"
    )
    assert hand_acc >= HAND_LABELLED_FLOOR


def test_accuracy_on_one_typo_labels(tx):
    # The taxonomy's own labels (ESCO, licences, aliases): the UK synonym list is measured on
    # its own (bench_quality.py), and its growth must not change this sample.
    from matching.engine import skills as sk

    rng = random.Random(11)
    pool = [i for i, p in enumerate(tx.label_precedence.tolist()) if p != sk._PREC_SYNONYM]
    picks = rng.sample(pool, 300)
    hits = 0
    for i in picks:
        label = tx.labels[i]
        j = rng.randrange(1, max(2, len(label) - 1))
        typo = label[:j] + label[j + 1 :] if len(label) > 4 else label  # drop one letter
        hits += one(tx, typo)["id"] == tx.concept_ids[int(tx.label_concept[i])]
    acc = hits / len(picks)
    print(f"\none-typo labels top-1: {acc:.1%} of {len(picks)}")
    assert acc >= ONE_TYPO_FLOOR


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_skills", ROOT / "bench/bench_skills.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def held_out():
    """(bench module, split, taxonomy built without the split's labels): ~3.5 s, built once."""
    bench = _bench_module()
    split = bench.holdout_split(HELD_OUT_SAMPLE)
    return bench, split, bench.holdout_taxonomy(split)


def test_held_out_split_is_seeded_and_out_of_the_index(tx, held_out):
    bench, split, htx = held_out
    assert len(split) == HELD_OUT_SAMPLE
    assert bench.holdout_split(20) == split[:20]  # seeded; a shorter split is a prefix
    assert len(htx.labels) == len(tx.labels) - HELD_OUT_SAMPLE
    for cid, label, typo in split:
        assert tx.concept_ids[int(tx.label_concept[tx._label_index[label]])] == cid
        assert label not in htx._label_index
        assert typo != label or len(label) < 4


def test_candidates_rank_the_normaliser_answer_first(held_out):
    bench, split, htx = held_out
    phrases = [row[2] for row in split[:40]] + ["customer service", "forklfit", "zzxxqv", "qx"]
    for phrase, (answer, ranked) in zip(phrases, bench.candidates(htx, phrases, k=10), strict=True):
        assert answer == one(htx, phrase)["id"], phrase
        assert len(ranked) == len(set(ranked)) <= 10
        if answer:
            assert ranked[0] == answer
    assert bench.candidates(htx, ["qx"])[0] == (None, [])  # too short for the fuzzy path
    assert bench.candidates(htx, ["it"])[0][1] == [one(htx, "it")["id"]]  # exact label only


def test_accuracy_on_held_out_alt_labels(held_out):
    bench, split, htx = held_out
    figures = bench.holdout_figures(htx, split, k=10)
    for name, f in figures.items():
        print(
            f"\nheld-out alt labels ({name}, n={f['n']}): top-1 {f['top1']:.1%}, "
            f"recall@10 {f['recall@10']:.1%}, abstain {f['abstain']:.1%}"
        )
        for metric, floor in HELD_OUT_FLOORS[name].items():
            assert f[metric] >= floor, (name, metric, f)


# --------------------------------------------------------------------------- everyday phrases
PICK_ORDERS = "esco:ee5e2297-39cc-4ed6-89e5-d58016118a7f"
PACK_GOODS = "esco:667cbbaf-f377-46d8-8f2d-1f6d8a55d74a"
PACKAGING_ENGINEERING = "esco:b8ac179c-4a29-4467-9177-031daf1321d6"
BARCODE_SCANNING = "esco:fd79b3c4-e264-41b5-bada-49ba5f317588"
DRIVE_AGRICULTURAL_MACHINES = "esco:a6bbc19a-381c-4c60-a79a-41dea2d1a422"
TRANSFER_PATIENTS = "esco:949c119b-3433-439f-8ca9-1a9ce04b696d"


def _tuning_rows():
    with open(DATA_DIR / "skill_phrases_tuning.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _tuning_label(phrase: str) -> set[str] | None:
    """Acceptable ids of a tuning phrase (empty set: labelled "none"); None if not there."""
    for r in _tuning_rows():
        if r["phrase"] == phrase:
            if r["expected_id"] == "none":
                return set()
            return {r["expected_id"], *filter(None, r["acceptable_ids"].split("|"))}
    return None


@pytest.mark.parametrize(
    ("phrase", "wrong"),
    [
        ("picking and packing", PACKAGING_ENGINEERING),
        ("packing", PACKAGING_ENGINEERING),
        ("handheld scanner", None),  # was "use sander": checked by label below
        ("driving a forklift", DRIVE_AGRICULTURAL_MACHINES),
        ("security guard", None),
    ],
)
def test_examples_that_were_wrong(tx, phrase, wrong):
    item = one(tx, phrase)
    label = (item["label"] or "").lower()
    assert "packaging engineering" not in label
    assert "sander" not in label  # "use sander" (hand-held sander) for "handheld scanner"
    assert "agricultural" not in label
    assert "securities" not in label
    assert wrong is None or item["id"] != wrong


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("picking and packing", {PICK_ORDERS, PACK_GOODS}),
        ("handheld scanner", {BARCODE_SCANNING}),
        ("driving a forklift", {OPERATE_FORKLIFT}),
        ("security guard", {None}),  # a job title, as "shop assistant" is in the tuning labels
        ("barista", {"esco:e4fb4f26-1c0c-45e4-9250-5be32cee2a48"}),  # prepare hot drinks
        ("cash handling", {"esco:f7e7ccb6-fadc-4c35-935d-e1040be40dfe"}),  # financial transactions
        ("van driving", {"esco:2a82241a-216e-44d8-bb50-6b9a0ef82084"}),  # drive vehicles
        ("kitchen porter", {None}),  # job title
        ("retail", {None}),  # a sector, like "front of house" / "office experience"
        ("admin", {"esco:ab986bc4-df92-4351-9ac1-aa75af943cf7"}),  # as "general admin"
    ],
)
def test_everyday_phrases_right_or_not_recognised(tx, phrase, expected):
    assert one(tx, phrase)["id"] in expected


@pytest.mark.parametrize(
    "phrase",
    [
        "personal care",
        "dementia care",
        "moving and handling",
        "cooking",
        "handheld scanner",
        "cash handeling",
        "hoisting",
        "packing",
    ],
)
def test_tuning_examples_follow_their_labels(tx, phrase):
    ok = _tuning_label(phrase)
    assert ok is not None, phrase
    got = one(tx, phrase)["id"]
    assert (got is None) if not ok else got in ok
    if phrase in ("moving and handling", "hoisting"):
        assert got == TRANSFER_PATIENTS  # people, not industrial hoists


@pytest.mark.parametrize(
    "phrase", ["own transport", "night shifts", "immediate start", "nvq level 2", "part time"]
)
def test_known_non_skills_are_not_recognised(tx, phrase):
    item = one(tx, phrase)
    assert item["id"] is None and item["label"] is None
    assert skill_key(item) == "text:" + normalise_text(phrase)


@pytest.mark.parametrize(
    "phrase",
    ["Customer Service", "barista", "forklfit licence", "zzxxqv", "own transport", "hod carrying"],
)
def test_alternatives_are_distinct_and_never_the_answer(tx, phrase):
    item = one(tx, phrase)
    alts = item["alternatives"]
    ids = [a["id"] for a in alts]
    assert len(ids) == len(set(ids)) <= 4
    assert item["id"] not in ids
    for a in alts:
        assert set(a) == {"id", "label", "score"}
        assert a["label"] == tx.label_of(a["id"])
        assert 0.0 <= a["score"] <= 1.0
    assert 0.0 <= item["score"] <= 1.0
    if phrase not in ("zzxxqv",):
        assert alts, "something to pick from"


def test_alternatives_offered_when_not_recognised(tx):
    item = one(tx, "night shifts")
    assert item["id"] is None
    assert len(item["alternatives"]) >= 1


def test_candidates_lead_with_the_answer(tx):
    for phrase in ["barista", "picking and packing", "forklfit licence", "own transport", ""]:
        cands = tx.candidates(phrase, n=5)
        item = tx.normalise([phrase])
        if not phrase:
            assert cands == [] and item == []
            continue
        (item,) = item
        ids = [c["id"] for c in cands]
        assert len(ids) == len(set(ids)) <= 5
        if item["id"]:
            assert ids[0] == item["id"]
            assert ids[1:] == [a["id"] for a in item["alternatives"]][: len(ids) - 1]
        else:
            assert ids[: len(item["alternatives"])] == [a["id"] for a in item["alternatives"]]
    assert len(tx.candidates("care", n=3)) == 3


def test_synonym_list_is_well_formed(tx):
    with open(DATA_DIR / "uk_skill_synonyms.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 2000
    seen = set()
    for r in rows:
        norm = normalise_text(r["phrase"])
        assert norm and norm not in seen, r
        seen.add(norm)
        if r["id"] == "none":
            assert r["label"] == ""
        else:
            assert tx.label_of(r["id"]) == r["label"], r
        assert r["source"] in {
            "tuning set",
            "hand-written",
            "hand-written (extra)",
            "hand-written (third)",
        }
    # The tuning phrases are all in, with their own labels.
    by_phrase = {normalise_text(r["phrase"]): r["id"] for r in rows}
    for r in _tuning_rows():
        assert by_phrase[normalise_text(r["phrase"])] == r["expected_id"], r["phrase"]


def _phrase_figures(taxonomy, rows):
    bench = importlib.util.spec_from_file_location("bench_quality", ROOT / "bench/bench_quality.py")
    module = importlib.util.module_from_spec(bench)
    bench.loader.exec_module(module)

    def normalise(phrase):
        (item,) = taxonomy.normalise([phrase])
        return item["id"], [c["id"] for c in taxonomy.candidates(phrase, n=5)]

    return module.phrase_figures(rows, normalise)


def test_figures_on_tuning_phrases(tx):
    rows = _tuning_rows()
    assert len(rows) == 242
    f = _phrase_figures(tx, rows)
    print(f"\ntuning phrases: top-1 {f['top1']:.1%}, wrong {f['wrong']:.1%}, top-5 {f['top5']:.1%}")
    assert f["top1"] >= TUNING_FLOOR["top1"]
    assert f["wrong"] <= TUNING_FLOOR["wrong"]
    assert f["top5"] >= TUNING_FLOOR["top5"]


def test_figures_on_tuning_phrases_left_out_of_the_synonym_list():
    rows = _tuning_rows()
    from matching.engine.skills import SkillTaxonomy

    left_out = SkillTaxonomy(exclude_synonyms=[r["phrase"] for r in rows])
    meaning = left_out.wait_semantic()
    f = _phrase_figures(left_out, rows)
    print(
        f"\ntuning phrases left out of the synonym list (meaning {meaning}): top-1 "
        f"{f['top1']:.1%}, wrong {f['wrong']:.1%}, top-5 {f['top5']:.1%}"
    )
    floor = TUNING_LEFT_OUT_FLOOR[meaning]
    assert f["top1"] >= floor["top1"]
    assert f["wrong"] <= floor["wrong"]
    assert f["top5"] >= floor["top5"]


def test_lexical_only_when_meaning_is_off():
    from matching.engine.skills import SkillTaxonomy

    lexical = SkillTaxonomy(semantic="off")
    assert not lexical.uses_meaning
    (item,) = lexical.normalise(["picking and packing"])
    assert item["id"] == PICK_ORDERS and item["alternatives"]
