"""Benchmark occupation fit (matching/engine/occupations.py).

Run from the repository root:  python bench/bench_occupations.py [--misses]

Prints the machine, fit time and memory of the index, top-1 / top-3 accuracy on the
hand-checked ``matching/data/uk_job_titles.csv`` (tuning and held-out titles, with and without
the UK synonym list), the cost of mapping one title and of building the title matrix for
10,000 titles, and of the all-pairs fit for a town-sized set of seekers and vacancies.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import sklearn  # noqa: E402

from matching.engine import occupations as occ  # noqa: E402

SUFFIXES = ["", " - nights", " (part time)", " - immediate start", " £11.50ph", " days"]
PREFIXES = ["", "senior ", "trainee ", "experienced ", "temporary "]


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def matrix_mb(m) -> float:
    return (m.data.nbytes + m.indices.nbytes + m.indptr.nbytes) / 2**20


def accuracy(index: occ.OccupationIndex, rows: list[dict[str, str]], misses: bool = False):
    sims = index.similarity([g["title"] for g in rows])
    top3 = np.argsort(-sims, axis=1, kind="stable")[:, :3]
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for g, best in zip(rows, top3, strict=True):
        expected = index.position[g["expected_id"]]
        ok = {expected} | {index.position[a] for a in g["alternate_ids"].split("|") if a}
        hit = (best[0] == expected, best[0] in ok, bool(ok & set(best.tolist())))
        for key in ("all", g["set"], g["sector"]):
            c = out[key]
            c[0] += 1
            c[1] += hit[0]
            c[2] += hit[1]
            c[3] += hit[2]
        if misses and not hit[1]:
            got = " | ".join(index.labels[j] for j in best)
            print(f"    miss [{g['set']}] {g['title']!r}: {got}  (want {g['expected_label']})")
    return out


def line(name: str, c: list[int]) -> str:
    n, strict, top1, top3 = c
    return (
        f"  {name:14s} n={n:3d}  top-1 {top1 / n:6.1%}  (expected only {strict / n:6.1%})"
        f"  top-3 {top3 / n:6.1%}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--misses", action="store_true", help="list the titles mapped wrongly")
    args = ap.parse_args()

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"machine: {cpus} cpu(s), {platform.machine()}, Python {platform.python_version()}, "
        f"numpy {np.__version__}, scipy {scipy.__version__}, scikit-learn {sklearn.__version__}"
    )

    before = rss_mb()
    started = time.perf_counter()
    index = occ.build_index()
    fit_s = time.perf_counter() - started
    after = rss_mb()
    stored = matrix_mb(index._label_t) + matrix_mb(index._pref_t) + matrix_mb(index._doc_t)
    print(
        f"fit: {fit_s:.2f} s for {index.n} occupations, {len(index.pseudo_labels)} pseudo-labels;"
        f" RSS +{after - before:.0f} MB (fitted matrices {stored:.0f} MB)"
    )

    with open(occ.DATA_DIR / "uk_job_titles.csv", encoding="utf-8", newline="") as fh:
        gold = list(csv.DictReader(fh))
    print(f"accuracy on uk_job_titles.csv ({len(gold)} hand-checked titles):")
    result = accuracy(index, gold, misses=args.misses)
    for key in ("all", "tuning", "holdout"):
        print(line(key, result[key]))
    print("  by sector:")
    for key in sorted({g["sector"] for g in gold}):
        print(line("  " + key, result[key]))
    plain = occ.build_index(synonyms_csv=None)
    bare = accuracy(plain, gold)
    print("  without the UK synonym list:")
    for key in ("all", "tuning", "holdout"):
        print(line(key, bare[key]))
    del plain

    titles = [g["title"] for g in gold]
    index.title_vector("warm-up")
    started = time.perf_counter()
    for t in titles:
        index.title_vector(t)
    one_ms = (time.perf_counter() - started) / len(titles) * 1e3
    print(f"one title (title_vector): {one_ms:.2f} ms")

    rng = random.Random(7)
    varied = [
        rng.choice(PREFIXES) + rng.choice(titles) + rng.choice(SUFFIXES) for _ in range(10_000)
    ]
    unique = [f"{t} {i}" for i, t in enumerate(rng.choice(titles) for _ in range(10_000))]
    for name, batch in (("adverts-like (repeats)", varied), ("all distinct", unique)):
        started = time.perf_counter()
        m = index.title_matrix(batch)
        took = time.perf_counter() - started
        print(
            f"title_matrix, 10,000 titles, {name}: {took:.2f} s "
            f"({took / len(batch) * 1e3:.2f} ms/title, {len(set(batch))} distinct), "
            f"nnz/row {m.nnz / m.shape[0]:.1f}, {matrix_mb(m):.1f} MB"
        )

    n_seekers, n_vacancies = 10_000, 2_000
    per_seeker = [rng.randint(1, 3) for _ in range(n_seekers)]
    seeker_titles = [rng.choice(titles) for _ in range(sum(per_seeker))]
    owner = np.repeat(np.arange(n_seekers), per_seeker)
    seeker_rows = index.title_matrix(seeker_titles)
    vacancy_rows = index.title_matrix([rng.choice(varied) for _ in range(n_vacancies)])
    started = time.perf_counter()
    fit = occ.occupation_fit_matrix(seeker_rows, owner, n_seekers, vacancy_rows)
    took = time.perf_counter() - started
    print(
        f"occupation_fit_matrix: {n_seekers} seekers ({len(seeker_titles)} titles) x "
        f"{n_vacancies} vacancies in {took:.2f} s, {fit.nnz} non-zero pairs "
        f"({fit.nnz / (n_seekers * n_vacancies):.1%})"
    )


if __name__ == "__main__":
    main()
