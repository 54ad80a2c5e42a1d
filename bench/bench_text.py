"""Benchmark sentence embeddings (matching/engine/textmodel.py): all-MiniLM-L6-v2, int8 ONNX.

Run from the repository root:  python bench/bench_text.py [--projection]

Prints the machine and load average, model load time and memory, then wall and CPU time
(``time.process_time``: every thread of the process, so with one ONNX thread it is the cost in
one core) per text for a ~25-word profile and a ~120-word vacancy, each embedded alone (the
median of ``REPEATS`` runs; targets: 20 ms and 80 ms of one core), and the time to embed all
3,039 ESCO occupations (preferred label + description) cold through a ``VectorCache``, again
from that cache, and through a save / load of it.

``--projection`` also embeds the 13,412 ESCO skill labels (~20 s more), fits the 64-d
projection on occupations + skills (as ``build_projection`` does) and reports how well 64-d
cosines agree with 384-d ones on texts the fit did not see: all pairs of the distinct titles
of ``uk_job_titles.csv`` and phrases of ``advert_phrases.csv`` (Pearson r, mean |difference|,
nearest neighbour kept, overlap of the 10 nearest).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from matching.engine import textmodel as tm  # noqa: E402

REPEATS = 30
TARGET_MS = {"profile": 20.0, "vacancy": 80.0}

PROFILE = (
    "I have worked in a busy warehouse for three years, picking and packing orders. I hold a "
    "counterbalance forklift licence and I am happy to work nights."
)
VACANCY = (
    "Warehouse Operative - nights. We are a family-run food distribution business in the town "
    "and we are looking for a reliable warehouse operative to join our night shift team on a "
    "permanent, full-time contract. You will pick and pack chilled and ambient customer "
    "orders, load and unload delivery vehicles, rotate stock and keep the warehouse clean, "
    "tidy and safe. A counterbalance or reach truck licence would be an advantage, but full "
    "training is given to the right person. You will need good attention to detail, be able "
    "to lift up to 20 kg and be happy working in cold areas. We offer paid breaks, free "
    "parking, a pension and 28 days of holiday, plus overtime at time and a half."
)


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, 1000 * (time.perf_counter() - w), 1000 * (time.process_time() - c)


def per_text(model: tm.TextModel) -> None:
    for name, text in (("profile", PROFILE), ("vacancy", VACANCY)):
        model.embed([text])  # warm-up
        walls, cpus = [], []
        for _ in range(REPEATS):
            _, w, c = timed(lambda t=text: model.embed([t]))
            walls.append(w)
            cpus.append(c)
        cpu = statistics.median(cpus)
        verdict = "ok" if cpu <= TARGET_MS[name] else "OVER"
        print(
            f"  {name:8s} {len(text.split()):4d} words {model.token_counts([text])[0]:4d} pieces: "
            f"{statistics.median(walls):6.2f} ms wall, {cpu:6.2f} ms CPU "
            f"(median of {REPEATS}; target <= {TARGET_MS[name]:.0f} ms CPU: {verdict})"
        )


def occupations(model: tm.TextModel) -> np.ndarray:
    texts = tm.projection_texts()[:3039]
    pieces = model.token_counts(texts)
    print(
        f"  {len(texts)} texts, word pieces median {statistics.median(pieces):.0f}, "
        f"max {max(pieces)} (cut at {tm.MAX_TOKENS}: {sum(p >= tm.MAX_TOKENS for p in pieces)})"
    )
    cache = tm.VectorCache(model)
    cold, w, c = timed(lambda: cache.vectors(texts))
    print(
        f"  cold:        {w / 1000:7.2f} s wall, {c / 1000:7.2f} s CPU "
        f"({c / len(texts):.2f} ms CPU/text)"
    )
    warm, w, c = timed(lambda: cache.vectors(texts))
    assert np.array_equal(cold, warm)
    print(f"  from cache:  {w:7.2f} ms wall, {c:7.2f} ms CPU")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vectors.npz"
        _, w_save, _ = timed(lambda: cache.save(path))
        fresh = tm.VectorCache(model)
        _, w_load, _ = timed(lambda: fresh.load(path))
        again, w, _ = timed(lambda: fresh.vectors(texts))
        assert np.array_equal(cold, again)
        print(
            f"  save {w_save:.1f} ms, load {w_load:.1f} ms ({path.stat().st_size / 2**20:.1f} MB), "
            f"then all from the loaded cache {w:.1f} ms"
        )
    return cold


def agreement(full: np.ndarray, small: np.ndarray, k: int = 10) -> str:
    a, b = full @ full.T, small @ small.T
    iu = np.triu_indices(len(full), 1)
    r = np.corrcoef(a[iu], b[iu])[0, 1]
    diff = np.abs(a[iu] - b[iu]).mean()
    np.fill_diagonal(a, -9)
    np.fill_diagonal(b, -9)
    na, nb = np.argsort(-a, 1)[:, :k], np.argsort(-b, 1)[:, :k]
    top1 = np.mean(na[:, 0] == nb[:, 0])
    overlap = np.mean([len(set(x) & set(y)) / k for x, y in zip(na, nb, strict=True)])
    return (
        f"Pearson r {r:.3f}, mean |diff| {diff:.3f}, nearest kept {100 * top1:.0f}%, "
        f"top-{k} overlap {100 * overlap:.0f}%"
    )


def projection(model: tm.TextModel, occ_vectors: np.ndarray) -> None:
    skills = tm.projection_texts()[3039:]
    vectors, w, _ = timed(lambda: model.embed(skills))
    print(f"  {len(skills)} skill labels embedded in {w / 1000:.1f} s")
    with open(ROOT / "matching/data/uk_job_titles.csv", encoding="utf-8", newline="") as fh:
        titles = sorted({r["title"] for r in csv.DictReader(fh)})
    with open(ROOT / "matching/data/advert_phrases.csv", encoding="utf-8", newline="") as fh:
        phrases = sorted({r["phrase"].lower() for r in csv.DictReader(fh)})
    sample = model.embed(titles + phrases)
    fit = np.vstack([occ_vectors, vectors])
    for dims in (32, tm.REDUCED_DIMS, 128):
        basis, w, _ = timed(lambda d=dims: tm.build_projection(fit, dims=d))
        print(
            f"  {dims:3d}-d ({100 * basis.explained:.0f}% of variance, fit {w:.0f} ms) on "
            f"{len(sample)} unseen titles+phrases: {agreement(sample, tm.reduce(sample, basis))}"
        )
    basis = tm.build_projection(fit)
    occ_small = tm.reduce(occ_vectors, basis)
    fitted = agreement(occ_vectors, occ_small)
    print(f"  {tm.REDUCED_DIMS:3d}-d on the occupations (fitted on): {fitted}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--projection", action="store_true", help="also measure the 64-d projection")
    args = ap.parse_args()
    import onnxruntime
    import tokenizers

    print("== machine")
    print(
        f"  nproc={os.cpu_count()} python={platform.python_version()} {platform.machine()} "
        f"numpy={np.__version__} onnxruntime={onnxruntime.__version__} "
        f"tokenizers={tokenizers.__version__}"
    )
    print("  load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"== load ({tm.MODEL_DIR})")
    before = rss_mb()
    model, w, c = timed(tm.load_text_model)
    print(
        f"  {w:.0f} ms wall, {c:.0f} ms CPU; RSS {before:.0f} -> {rss_mb():.0f} MB; "
        f"threads intra={tm.INTRA_OP_THREADS} inter={tm.INTER_OP_THREADS}, "
        f"batch {model.batch_size}, max {model.max_tokens} pieces"
    )
    print("== one text at a time")
    per_text(model)
    print("== ESCO occupations (preferred label + description)")
    occ_vectors = occupations(model)
    print(f"  RSS now {rss_mb():.0f} MB")
    if args.projection:
        print("== 64-d projection vs 384-d cosines")
        projection(model, occ_vectors)
    print("  load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
