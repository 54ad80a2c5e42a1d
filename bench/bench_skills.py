"""Benchmark the skill normaliser (``matching/engine/skills.py``) at ESCO's full size.

Run from the repo root: ``python bench/bench_skills.py`` (``--quick`` skips the slow
full-scan baselines and most variants). Prints the machine, taxonomy load time and memory,
accuracy per method variant on the UK advert phrases and synthetic sets, top-1 / recall@10 on
alternative labels held out of the index, normalise cost per phrase (batches of 10 and 1,000)
and suggest latency (median / p99).

Evaluation sets
  hand      Nesta's hand-labelled UK advert phrases whose label is an ESCO skill (gold).
  hand_all  all hand-labelled rows, incl. those labelled with a skill *group* (unreachable:
            groups are not matchable entries), so this is a lower bound.
  model     ojd-daps-skills' own embedding-model mappings (match_type "skill"): agreement
            with another model, partly wrong, not ground truth.
  typo1/2   1,000 random taxonomy labels with one / two random edits (seeded).
  junk      500 random-letter strings + 30 everyday non-skill phrases: the share *accepted*
            (given an id) is the false-match rate; lower is better.

Held-out alternative labels (the issue's "Quality" figures): 1,000 ESCO alternative labels
(seeded split, ``HOLDOUT_SEED``) removed from the index before it is built, so none can hit
exactly; each is also typed with one random edit. Reported: top-1 (``normalise`` returns the
label's concept), recall@10 (the concept is among ``candidates(tx, phrase, 10)``) and the
share abstaining (no id). Only labels that nothing else in the taxonomy shares are eligible
(text belonging to one concept, as an ESCO alternative label only), so holding one out
really removes its text from the index. ``tests/matching/test_skills.py`` holds floors on the
first 200 of the same split.
"""

from __future__ import annotations

import csv
import functools
import os
import platform
import random
import statistics
import string
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from matching.engine import skills as sk  # noqa: E402

HOLDOUT_SEED = 2026
HOLDOUT_SIZE = 1000
CANDIDATES_K = 10

EVERYDAY = [
    "i like turtles", "my name is bob", "hello world", "banana bread", "monday morning",
    "the quick brown fox", "please call me", "lorem ipsum dolor", "happy birthday", "not sure",
    "anything", "whatever you need", "football", "holiday in spain", "blue car", "my mum",
    "cats and dogs", "pizza", "netflix", "coffee", "xyz", "asdf", "qwerty", "nothing really",
    "good at stuff", "see cv", "various", "n/a", "none", "ask me",
]  # fmt: skip


def rss_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def typo(s: str, rng: random.Random) -> str:
    if len(s) < 4:
        return s
    i = rng.randrange(1, len(s) - 1)
    op = rng.randrange(4)
    c = rng.choice(string.ascii_lowercase)
    if op == 0:
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    if op == 1:
        return s[:i] + s[i + 1 :]
    if op == 2:
        return s[:i] + c + s[i:]
    return s[:i] + c + s[i + 1 :]


def build_sets(tx: sk.SkillTaxonomy) -> dict[str, list[tuple[str, str | None]]]:
    with open(ROOT / "matching/data/advert_phrases.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    sets: dict[str, list[tuple[str, str | None]]] = {
        "hand": [
            (r["phrase"], r["expected_id"])
            for r in rows
            if r["source"] == "hand_labelled" and r["expected_id"].startswith("esco:")
        ],
        "hand_all": [
            (r["phrase"], r["expected_id"]) for r in rows if r["source"] == "hand_labelled"
        ],
        "model": [
            (r["phrase"], r["expected_id"])
            for r in rows
            if r["source"] == "ojd_model" and r["match_type"] == "skill"
        ],
    }
    concept_of = {i: tx.concept_ids[c] for i, c in enumerate(tx.label_concept)}
    for name, n_typos, seed in (("typo1", 1, 42), ("typo2", 2, 43)):
        rng = random.Random(seed)
        picks = rng.sample(range(len(tx.labels)), 1000)
        data = []
        for i in picks:
            s = tx.labels[i]
            for _ in range(n_typos):
                s = typo(s, rng)
            data.append((s, concept_of[i]))
        sets[name] = data
    rng = random.Random(7)
    junk = [
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randrange(5, 14)))
        for _ in range(300)
    ]
    junk += [
        " ".join(
            "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randrange(3, 8)))
            for _ in range(2)
        )
        for _ in range(200)
    ]
    sets["junk"] = [(j, None) for j in junk + EVERYDAY]
    return sets


@functools.lru_cache(maxsize=2)
def eligible_alt_labels(data_dir: Path = sk.DATA_DIR) -> tuple[tuple[str, str], ...]:
    """Sorted ``(esco:<uuid>, normalised label)`` that may be held out: text that belongs to
    one concept and only as an ESCO alternative label (not a preferred label, curated alias or
    UK licence label, nor another concept's label), so leaving it out removes it from the
    index."""
    owners: dict[str, set[str]] = {}
    alt_only: dict[str, bool] = {}

    def note(label: str, owner: str, is_esco_alt: bool) -> None:
        norm = sk.normalise_text(label)
        if norm:
            owners.setdefault(norm, set()).add(owner)
            alt_only[norm] = alt_only.get(norm, True) and is_esco_alt

    for row in sk._read_csv(data_dir / "esco_skills.csv.gz"):
        note(row["preferred_label"], "esco:" + row["id"], False)
    for row in sk._read_csv(data_dir / "esco_skills_alt_labels.csv.gz"):
        note(row["alt_label"], "esco:" + row["id"], True)
    for row in sk._read_csv(data_dir / "esco_skills_aliases.csv"):
        note(row["alias"], "esco:" + row["id"], False)
    for row in sk._read_csv(data_dir / "uk_licences.csv"):
        for label in [row["label"], *filter(None, row["alt_labels"].split("|"))]:
            note(label, row["id"], False)
    return tuple(
        sorted(
            (next(iter(who)), norm)
            for norm, who in owners.items()
            if len(who) == 1 and alt_only[norm]
        )
    )


def holdout_split(
    n: int = HOLDOUT_SIZE, seed: int = HOLDOUT_SEED, data_dir: Path = sk.DATA_DIR
) -> list[tuple[str, str, str]]:
    """``n`` held-out ESCO alternative labels as ``(esco:<uuid>, label, label with one typo)``.

    Labels are normalised, drawn from ``eligible_alt_labels``: the pool is shuffled with
    ``random.Random(seed)`` and the typos drawn from the same generator, so a shorter split is
    a prefix of a longer one.
    """
    pool = list(eligible_alt_labels(data_dir))
    rng = random.Random(seed)
    rng.shuffle(pool)
    out = []
    for cid, label in pool[:n]:
        typed = typo(label, rng)
        while typed == label and len(label) >= 4:  # a letter swapped for itself: draw again
            typed = typo(label, rng)
        out.append((cid, label, typed))
    return out


def holdout_taxonomy(split: list[tuple[str, str, str]], **kwargs) -> sk.SkillTaxonomy:
    """A taxonomy whose index leaves out the split's alternative labels."""
    return sk.SkillTaxonomy(exclude_alt_labels=[(cid, label) for cid, label, _ in split], **kwargs)


def candidates(
    tx: sk.SkillTaxonomy, phrases: list[str], k: int = CANDIDATES_K
) -> list[tuple[str | None, list[str]]]:
    """Per phrase: (the id ``normalise`` returns, the ``k`` best candidate concept ids).

    Runs the normaliser's own path: ``_match`` (exact label, then the shortlist + rerank with
    threshold and coverage gate) gives the answer, which ranks first; the rest is the same
    TF-IDF shortlist of the filler-stripped phrase ordered by the same rerank score (no
    threshold or gate: these are suggestions), one entry per concept.
    """
    norms = [sk.normalise_text(p) for p in phrases]
    matches = tx._match(norms)
    cores = [sk.core_phrase(n) for n in norms]
    fuzzy = [i for i, c in enumerate(cores) if len(c) >= sk.MIN_FUZZY_CHARS]
    shortlists = {}
    if fuzzy:
        shortlists = dict(zip(fuzzy, tx._shortlist([cores[i] for i in fuzzy]), strict=True))
    out: list[tuple[str | None, list[str]]] = []
    for i, (label_i, _score, accepted) in enumerate(matches):
        answer = tx.concept_ids[int(tx.label_concept[label_i])] if accepted else None
        ranked = [answer] if answer else []
        if i in shortlists and len(shortlists[i][0]):
            cand, cos = shortlists[i]
            score = tx._scores(cores[i], cand, cos)
            for j in np.argsort(-score, kind="stable"):
                if len(ranked) >= k:
                    break
                cid = tx.concept_ids[int(tx.label_concept[cand[j]])]
                if cid not in ranked:
                    ranked.append(cid)
        out.append((answer, ranked[:k]))
    return out


def holdout_figures(
    tx: sk.SkillTaxonomy, split: list[tuple[str, str, str]], k: int = CANDIDATES_K
) -> dict[str, dict[str, float]]:
    """top-1, recall@k, abstaining share and candidate #1 share, for clean and typo labels."""
    tx._cache.clear()
    figures = {}
    for name, col in (("clean", 1), ("typo", 2)):
        res = candidates(tx, [row[col] for row in split], k)
        gold = [row[0] for row in split]
        figures[name] = {
            "n": len(split),
            "top1": float(np.mean([a == g for (a, _), g in zip(res, gold, strict=True)])),
            f"recall@{k}": float(np.mean([g in r for (_, r), g in zip(res, gold, strict=True)])),
            "abstain": float(np.mean([a is None for a, _ in res])),
            "ranked_first": float(
                np.mean([bool(r) and r[0] == g for (_, r), g in zip(res, gold, strict=True)])
            ),
        }
    return figures


def score_set(preds: list[str | None], data: list[tuple[str, str | None]]) -> str:
    if data[0][1] is None:  # junk: share accepted
        return f"{100 * np.mean([p is not None for p in preds]):5.1f}%acc"
    ok = [p == e for p, (_, e) in zip(preds, data, strict=True)]
    return f"{100 * np.mean(ok):5.1f}%"


def precision_line(preds, data) -> str:
    acc = [(p == e) for p, (_, e) in zip(preds, data, strict=True) if p is not None]
    cov = len(acc) / len(data)
    prec = np.mean(acc) if acc else 0.0
    return f"cov {100 * cov:4.0f}% prec {100 * prec:4.0f}%"


def run_variant(name, predict, sets, note=""):
    cells, prec = [], []
    t_total = n_total = 0.0
    for set_name, data in sets.items():
        phrases = [p for p, _ in data]
        t = time.perf_counter()
        preds = predict(phrases)
        t_total += time.perf_counter() - t
        n_total += len(phrases)
        cells.append(f"{set_name}={score_set(preds, data)}")
        if set_name in ("hand", "model"):
            prec.append(f"{set_name}:{precision_line(preds, data)}")
    ms = 1000 * t_total / n_total
    print(f"  {name:44s} {' '.join(cells)}  [{ms:5.2f} ms/phrase] {' '.join(prec)} {note}")


def taxonomy_predict(tx: sk.SkillTaxonomy):
    def predict(phrases):
        tx._cache.clear()
        out = []
        for p in phrases:  # one at a time: dedup in normalise() would merge rows
            res = tx.normalise([p])
            out.append(res[0]["id"] if res else None)
        return out

    return predict


def taxonomy_predict_batch(tx: sk.SkillTaxonomy):
    """Same as taxonomy_predict but through the batch path (no per-row dedup)."""

    def predict(phrases):
        tx._cache.clear()
        norms = [sk.normalise_text(p) for p in phrases]
        uniq = list(dict.fromkeys(n for n in norms if n))
        res = dict(zip(uniq, tx._match(uniq), strict=True))
        out = []
        for n in norms:
            li, _score, ok = res.get(n, (-1, 0.0, False))
            out.append(tx.concept_ids[int(tx.label_concept[li])] if ok else None)
        return out

    return predict


def full_scan_predict(tx: sk.SkillTaxonomy, scorer):
    def predict(phrases):
        qs = [sk.core_phrase(sk.normalise_text(p)) for p in phrases]
        out = []
        for q in qs:
            hit = tx._label_index.get(q)
            if hit is None:
                hit = process.extractOne(q, tx.labels, scorer=scorer)[2]
            out.append(tx.concept_ids[int(tx.label_concept[hit])])
        return out

    return predict


def tfidf_top1_predict(tx: sk.SkillTaxonomy):
    def predict(phrases):
        qs = [sk.core_phrase(sk.normalise_text(p)) for p in phrases]
        q = tx._vectoriser.transform(qs)
        out = []
        for r in range(0, len(qs), 256):
            sims = (q[r : r + 256] @ tx._x.T).toarray()
            out += [tx.concept_ids[int(tx.label_concept[i])] for i in sims.argmax(1)]
        return out

    return predict


def exact_predict(tx: sk.SkillTaxonomy):
    def predict(phrases):
        out = []
        for p in phrases:
            n = sk.normalise_text(p)
            hit = tx._label_index.get(n)
            if hit is None:
                hit = tx._label_index.get(sk.core_phrase(n))
            out.append(None if hit is None else tx.concept_ids[int(tx.label_concept[hit])])
        return out

    return predict


def time_normalise(tx: sk.SkillTaxonomy, pool: list[str]) -> None:
    rng = random.Random(1)
    for batch in (10, 1000):
        reps = 30 if batch == 10 else 3
        times = []
        for _ in range(reps):
            phrases = rng.sample(pool, batch)
            tx._cache.clear()
            t = time.perf_counter()
            tx.normalise(phrases)
            times.append(time.perf_counter() - t)
        med = statistics.median(times)
        print(
            f"  normalise batch of {batch:5d} (cold cache): {1000 * med:8.2f} ms per batch, "
            f"{1000 * med / batch:.3f} ms/phrase (median of {reps})"
        )
    phrases = rng.sample(pool, 10)
    tx.normalise(phrases)
    t = time.perf_counter()
    for _ in range(100):
        tx.normalise(phrases)
    print(f"  normalise batch of    10 (warm cache): {10 * (time.perf_counter() - t):8.3f} ms")


def time_suggest(tx: sk.SkillTaxonomy) -> None:
    rng = random.Random(5)
    prefixes = []
    for i in rng.sample(range(len(tx.labels)), 1500):
        lab = tx.labels[i]
        prefixes.append(lab[: rng.randrange(1, min(len(lab), 12) + 1)])
    prefixes += [typo(tx.labels[i], rng)[:10] for i in rng.sample(range(len(tx.labels)), 300)]
    prefixes += list(string.ascii_lowercase) + ["fork", "care", "excel", "hgv", "c", "s"]
    for p in prefixes[:50]:
        tx.suggest(p)
    times = []
    for p in prefixes:
        t = time.perf_counter()
        tx.suggest(p, limit=10)
        times.append(1000 * (time.perf_counter() - t))
    times.sort()
    p99 = times[int(0.99 * (len(times) - 1))]
    print(
        f"  suggest over {len(prefixes)} prefixes (1-12 chars, 300 with a typo): "
        f"median {statistics.median(times):.3f} ms, p99 {p99:.3f} ms, max {times[-1]:.3f} ms"
    )
    one_char = [t for p, t in zip(prefixes, times, strict=True) if len(p) == 1]
    if one_char:
        print(f"  suggest one-letter prefixes: max {max(one_char):.3f} ms")


def main() -> None:
    quick = "--quick" in sys.argv
    import rapidfuzz
    import scipy
    import sklearn

    print("== machine")
    print(
        f"  nproc={os.cpu_count()} python={platform.python_version()} {platform.machine()} "
        f"numpy={np.__version__} scipy={scipy.__version__} scikit-learn={sklearn.__version__} "
        f"rapidfuzz={rapidfuzz.__version__}"
    )

    print("== load (default settings)")
    before = rss_mb()
    t = time.perf_counter()
    tx = sk.SkillTaxonomy()
    load_s = time.perf_counter() - t
    after = rss_mb()
    print(
        f"  load {load_s:.2f} s; RSS {before:.0f} -> {after:.0f} MB (+{after - before:.0f} MB); "
        f"{len(tx.concept_ids)} concepts, {len(tx.labels)} distinct normalised labels, "
        f"TF-IDF {tx._x.shape[1]} n-grams / {tx._x.nnz} nnz, shortlist index "
        f"{tx._xt_shortlist.nnz} nnz"
    )

    sets = build_sets(tx)
    sizes = ", ".join(f"{k}={len(v)}" for k, v in sets.items())
    print(f"== accuracy (top-1 id == expected; None counts as a miss)  sets: {sizes}")
    print("  baselines (no threshold: always answer)")
    run_variant("exact label (+filler strip)", exact_predict(tx), sets)
    run_variant(f"TF-IDF char_wb {sk.NGRAM_RANGE} cosine top-1", tfidf_top1_predict(tx), sets)
    if not quick:
        small = {k: v[:200] for k, v in sets.items()}
        run_variant(
            "rapidfuzz full scan ratio", full_scan_predict(tx, fuzz.ratio), small, "(200/set)"
        )
        run_variant(
            "rapidfuzz full scan token_sort_ratio",
            full_scan_predict(tx, fuzz.token_sort_ratio),
            small,
            "(200/set)",
        )
        run_variant(
            "rapidfuzz full scan WRatio", full_scan_predict(tx, fuzz.WRatio), small, "(200/set)"
        )

    print("  shortlist + rerank (rank only: threshold 0, no coverage gate)")
    raw = sk.SkillTaxonomy(threshold=0.0, label_coverage=0.0, query_coverage=0.0)
    run_variant("default n-grams/K/alpha, top-1", taxonomy_predict_batch(raw), sets)

    print("  shortlist + rerank, as shipped and variants (threshold + coverage gate)")
    run_variant(
        f"DEFAULT ngram={sk.NGRAM_RANGE} K={sk.SHORTLIST_SIZE} a={sk.ALPHA} t={sk.MATCH_THRESHOLD}",
        taxonomy_predict_batch(tx),
        sets,
    )
    variants = [
        ("no coverage gate", dict(label_coverage=0.0, query_coverage=0.0)),
        ("no curated ESCO aliases", dict(use_aliases=False)),
        ("query coverage 0.75", dict(query_coverage=0.75)),
        ("label coverage 0.67", dict(label_coverage=0.67)),
        ("label coverage 0.8", dict(label_coverage=0.8)),
        ("threshold 0.55", dict(threshold=0.55)),
        ("threshold 0.65", dict(threshold=0.65)),
        ("threshold 0.70", dict(threshold=0.70)),
    ]
    if not quick:
        variants += [
            ("alpha 0.3", dict(alpha=0.3)),
            ("alpha 0.7", dict(alpha=0.7)),
            ("shortlist 50", dict(shortlist_size=50)),
            ("shortlist max_df 0.02", dict(shortlist_max_df=0.02)),
            ("ngram (2,4)", dict(ngram_range=(2, 4))),
            ("ngram (3,4)", dict(ngram_range=(3, 4))),
        ]
    for label, kwargs in variants:
        needs_rebuild = {"use_aliases", "ngram_range", "shortlist_max_df"} & kwargs.keys()
        if needs_rebuild:
            v = sk.SkillTaxonomy(**kwargs)
        else:  # reuse the built index, change only the scoring knobs
            v = tx
            saved = {k: getattr(v, k) for k in kwargs}
            for k, val in kwargs.items():
                setattr(v, {"shortlist_size": "shortlist_size"}.get(k, k), val)
        run_variant(label, taxonomy_predict_batch(v), sets)
        if not needs_rebuild:
            for k, val in saved.items():
                setattr(v, k, val)

    print(
        f"== held-out ESCO alternative labels ({HOLDOUT_SIZE} removed from the index, seed "
        f"{HOLDOUT_SEED}; typo = one random edit) nproc={os.cpu_count()} "
        f"python={platform.python_version()}"
    )
    t = time.perf_counter()
    split = holdout_split()
    split_s = time.perf_counter() - t
    t = time.perf_counter()
    held = holdout_taxonomy(split)
    load_s = time.perf_counter() - t
    print(
        f"  split {split_s:.2f} s; index without them: load {load_s:.2f} s, "
        f"{len(held.labels)} labels ({len(tx.labels) - len(held.labels)} fewer)"
    )
    t = time.perf_counter()
    figures = holdout_figures(held, split)
    ms = 1000 * (time.perf_counter() - t) / (2 * len(split))
    for name, f in figures.items():
        print(
            f"  {name:5s} top-1 {100 * f['top1']:5.1f}%  recall@{CANDIDATES_K} "
            f"{100 * f[f'recall@{CANDIDATES_K}']:5.1f}%  abstain {100 * f['abstain']:5.1f}%  "
            f"(candidate #1 right {100 * f['ranked_first']:5.1f}%; n={f['n']})"
        )
    print(f"  [{ms:.2f} ms/phrase for answer + {CANDIDATES_K} candidates, cold cache]")
    del held

    print("== normalise cost")
    pool = [p for p, _ in sets["typo1"]] + [p for p, _ in sets["typo2"]]
    pool += [p for p, _ in sets["hand_all"]] + [p for p, _ in sets["model"]]
    time_normalise(tx, pool)

    print("== suggest latency")
    time_suggest(tx)


if __name__ == "__main__":
    main()
