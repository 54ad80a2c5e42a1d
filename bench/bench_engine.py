"""Benchmark the matching engine (matching/engine/) against its speed and memory targets.

Run from the repository root:  python bench/bench_engine.py [--quick]

Synthetic data (bench/synthetic.py): bench-town 10,000 seekers x 3,000 vacancies and bench-city
100,000 x 30,000, Zipf skill frequencies over a 3,000-key vocabulary, locations within 30 km.
Each scenario runs in a fresh subprocess, which prints wall and CPU time for both directions
(the full score as served: skills, occupation, travel, constraints, congestion), peak memory
(ru_maxrss; the input data's share shown beside it), pairs per second, numba's JIT warm-up
separately (a cold compile into an empty cache once, then cache loads), the ratio to the plain
per-pair Python implementation (``matching.engine.reference``) timed in the same process on a
sample, and an exactness check of the top k before congestion against that exhaustive reference
(fits within 1e-9; ids may differ only among near-ties). The one-seeker scenario times a single
seeker against 30,000 vacancies (normalisation of typed skills excluded, reported apart when
``matching.engine.skills`` is present). Each scale runs again with text meaning in its occupation
rows (``synthetic.make_town(meaning=True)``: denser rows, a row of a seeker's own words for 40%),
its median wall time printed as a ratio to the titles-only run's (target: at most 1.2).
``--quick`` runs the town and the one-seeker scenario.
The machine is shared: load average is printed before and after, and CPU time beside wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SCALES = {"town": (10_000, 3_000), "city": (100_000, 30_000)}
TARGETS = {
    "town_wall_s": 1.0,
    "city_wall_s": 30.0,
    "city_peak_mib": 1536.0,
    "one_p99_ms": 2.0,
    "speedup": 100.0,
}
SAMPLE = {"town": (150, 12), "city": (12, 3)}  # (seekers, vacancies) checked exhaustively
K = 50


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def emit(result: dict) -> None:
    print("RESULT " + json.dumps(result), flush=True)


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- children -------------------------------------------------------------------------------------


def child_compile() -> None:
    from matching.engine import core

    emit({"compile_s": core.warm_up(), "peak_mib": peak_mib()})


def child_scale(name: str, seed: int, repeats: int) -> None:
    from synthetic import make_town

    from matching.engine import core
    from matching.engine.metrics import exposure_report

    n_s, n_v = SCALES[name]
    t0 = time.perf_counter()
    town = make_town(n_s, n_v, seed=seed)
    out = {"generate_s": time.perf_counter() - t0, "input_peak_mib": peak_mib()}
    log(f"{name}: generated in {out['generate_s']:.1f} s")
    out["warm_up_s"] = core.warm_up()

    def run():
        wall, cpu = time.perf_counter(), time.process_time()
        result = _match_town(town)
        return result, time.perf_counter() - wall, time.process_time() - cpu

    result, out["wall_s"], out["cpu_s"] = run()
    out["peak_mib"] = peak_mib()
    out["stats"] = result.stats
    log(f"{name}: first run {out['wall_s']:.2f} s wall, {out['cpu_s']:.2f} s CPU")
    walls = [out["wall_s"]]
    for _ in range(repeats - 1):
        del result
        result, wall, _ = run()
        walls.append(wall)
    out["walls_s"] = walls
    out["pairs"] = n_s * n_v
    out["matches"] = len(result.matches)
    out["candidates"] = len(result.candidates)
    out["exposure"] = exposure_report(result)
    out["in_reach_share"] = _in_reach_share(town, result.index, seed)
    out["reasons_us"] = _reasons_timing(result, seed)
    out.update(_baseline_and_exactness(name, town, result, seed))
    emit(out)


def _match_town(town):
    """Both directions for every seeker and vacancy of ``town``, the full score as served."""
    from matching.engine import core

    return core.match_all(
        town.seekers,
        town.vacancies,
        today=town.today,
        seeker_occupations=town.seeker_occupations,
        occupation_owner=town.occupation_owner,
        vacancy_occupations=town.vacancy_occupations,
        congestion=town.congestion,
        labels=town.labels,
        k=K,
    )


def child_meaning(name: str, seed: int, repeats: int) -> None:
    """The scale's run with text meaning in the occupation rows: wall times only."""
    from synthetic import make_town

    from matching.engine import core

    n_s, n_v = SCALES[name]
    town = make_town(n_s, n_v, seed=seed, meaning=True)
    core.warm_up()
    walls = []
    for _ in range(repeats):
        wall = time.perf_counter()
        result = _match_town(town)
        walls.append(time.perf_counter() - wall)
        del result
    nnz = town.seeker_occupations.nnz + town.vacancy_occupations.nnz
    emit({"walls_s": walls, "occupation_nonzeros": nnz, "peak_mib": peak_mib()})


def report_meaning(name: str, titles: dict, meaning: dict) -> None:
    import statistics

    before = statistics.median(titles["walls_s"])
    after = statistics.median(meaning["walls_s"])
    ratio = after / before
    print(
        f"  with text meaning          {after:8.2f} s   median of {len(meaning['walls_s'])}, "
        f"{ratio:.2f}x the titles-only median {before:.2f} s (target <= 1.20: "
        f"{'met' if ratio <= 1.2 else 'MISSED'}); occupation rows "
        f"{meaning['occupation_nonzeros']:,} non-zeros, peak {meaning['peak_mib']:.0f} MiB"
    )


def _in_reach_share(town, index, seed: int, n: int = 300) -> float:
    """Return the share of (sampled seeker, vacancy) pairs within the seeker's travel limit by
    some mode (remote counts; constraints other than travel ignored)."""
    import numpy as np

    from matching.engine import weights

    rng = random.Random(seed)
    sample = rng.sample(town.seekers, min(n, len(town.seekers)))
    travel = index.context.travel
    e = np.array([v.easting or 0 for v in town.vacancies], dtype=np.float64)
    north = np.array([v.northing or 0 for v in town.vacancies], dtype=np.float64)
    remote = np.array([v.remote for v in town.vacancies])
    within = 0
    for s in sample:
        ok = remote.copy()
        if s.located:
            d = np.hypot(e - s.easting, north - s.northing)
            for m in s.travel_modes:
                if m in weights.TRAVEL_MODES:
                    ok |= travel.minutes(d, m) <= s.max_travel_minutes
        within += int(ok.sum())
    return within / (len(sample) * len(town.vacancies))


def _reasons_timing(result, seed: int, n: int = 300) -> float:
    """Return microseconds per pair to build the reasons of every kept match of ``n`` sampled
    seekers, as a recompute would (one builder, so vacancy vectors are shared)."""
    from matching.engine.reasons import ReasonBuilder

    rng = random.Random(seed)
    ids = rng.sample(sorted(result.seekers_by_id), min(n, len(result.seekers_by_id)))
    builder = ReasonBuilder(result)
    pairs = 0
    started = time.perf_counter()
    for sid in ids:
        for vid in result.matches.for_seeker(sid).vacancy_id.tolist():
            builder.reasons(sid, vid)
            pairs += 1
    return (time.perf_counter() - started) / max(1, pairs) * 1e6


def _baseline_and_exactness(name: str, town, result, seed: int) -> dict:
    """Time the plain per-pair Python implementation on sampled seekers (its per-vacancy set-up
    timed apart), and check the engine's top k before congestion against it, both ways."""
    from matching.engine import reference as ref

    ctx = result.index.context
    rng = random.Random(seed + 1)
    n_seekers, n_vacancies = SAMPLE[name]
    rows = sorted(rng.sample(range(len(town.seekers)), n_seekers))
    t0 = time.perf_counter()
    vvecs = [ctx.skill_space.vacancy_vector(v) for v in town.vacancies]
    vocc = [ref.occupation_items(town.vacancy_occupations[j]) for j in range(len(town.vacancies))]
    titles = ref.seeker_titles(town.seeker_occupations, town.occupation_owner, len(town.seekers))
    setup_s = time.perf_counter() - t0

    def evaluate(seeker, svec, socc, vacancy, vvec, vrow):
        return ref.evaluate(
            seeker,
            vacancy,
            today=town.today,
            seeker_vector=svec,
            vacancy_vector=vvec,
            seeker_occ=socc,
            vacancy_occ=vrow,
            travel=ctx.travel,
            use_occupations=ctx.use_occupations,
        )

    log(f"{name}: per-pair baseline on {n_seekers} seekers x {len(town.vacancies)} vacancies")
    ref_top: dict[int, list] = {}
    t0 = time.perf_counter()
    for r in rows:
        seeker = town.seekers[r]
        svec = ctx.skill_space.seeker_vector(seeker.skills)
        socc = titles[r]
        kept = []
        for vacancy, vvec, vrow in zip(town.vacancies, vvecs, vocc, strict=True):
            ev = evaluate(seeker, svec, socc, vacancy, vvec, vrow)
            if ev.fit is not None:
                kept.append((ev.fit, vacancy.id))
        kept.sort(key=lambda p: (-p[0], p[1]))
        ref_top[seeker.id] = kept[:K]
    loop_s = time.perf_counter() - t0
    pairs = n_seekers * len(town.vacancies)
    mismatches = sum(
        not _same(_engine_top(result, town.seekers[r].id), ref_top[town.seekers[r].id])
        for r in rows
    )
    # The other direction: sampled vacancies against every seeker.
    log(f"{name}: checking {n_vacancies} vacancies against all {len(town.seekers)} seekers")
    open_ids = [int(i) for i in result.index.ids]
    by_id = {v.id: j for j, v in enumerate(town.vacancies)}
    v_mismatches = 0
    for vid in rng.sample(open_ids, min(n_vacancies, len(open_ids))):
        j = by_id[vid]
        kept = []
        for r, seeker in enumerate(town.seekers):
            svec = ctx.skill_space.seeker_vector(seeker.skills)
            socc = titles[r]
            ev = evaluate(seeker, svec, socc, town.vacancies[j], vvecs[j], vocc[j])
            if ev.fit is not None:
                kept.append((ev.fit, seeker.id))
        kept.sort(key=lambda p: (-p[0], p[1]))
        c = result.candidates.for_vacancy(vid)
        v_mismatches += not _same(
            list(zip(c.fit.tolist(), c.seeker_id.tolist(), strict=True)), kept[:K]
        )
    return {
        "baseline_setup_s": setup_s,
        "baseline_loop_s": loop_s,
        "baseline_pairs": pairs,
        "exact_seekers": n_seekers,
        "exact_seeker_mismatches": mismatches,
        "exact_vacancies": n_vacancies,
        "exact_vacancy_mismatches": v_mismatches,
    }


def _engine_top(result, seeker_id: int) -> list[tuple[float, int]]:
    m = result.matches.for_seeker(seeker_id)
    order = m.fit_rank.argsort()
    return list(zip(m.fit[order].tolist(), m.vacancy_id[order].tolist(), strict=True))


def _same(engine: list, reference: list) -> bool:
    if len(engine) != len(reference):
        return False
    if any(abs(a[0] - b[0]) > 1e-9 for a, b in zip(engine, reference, strict=True)):
        return False
    if not engine:
        return True
    cut = reference[-1][0] + 1e-9
    return {i for f, i in engine if f > cut} == {i for f, i in reference if f > cut}


def child_one(seed: int, requests: int) -> None:
    import numpy as np
    from synthetic import make_town

    from matching.engine import core
    from matching.engine.context import MatchContext
    from matching.engine.index import VacancyIndex
    from matching.engine.skillspace import SkillSpace

    town = make_town(2_000, SCALES["city"][1], seed=seed)
    out = {"warm_up_s": core.warm_up()}
    t0 = time.perf_counter()
    space = SkillSpace.fit(town.seekers, town.vacancies)
    context = MatchContext(today=town.today, skill_space=space, labels=town.labels)
    index = VacancyIndex.build(
        town.vacancies,
        context=context,
        occupations=town.vacancy_occupations,
        congestion=town.congestion,
    )
    out["index_s"] = time.perf_counter() - t0
    out["vacancies"] = len(town.vacancies)
    out["matchable"] = len(index)
    n = min(requests + 20, len(town.seekers))
    owner = town.occupation_owner
    rows = [town.seeker_occupations[np.flatnonzero(owner == r)] for r in range(n)]
    times, cpu = [], []
    for r in range(n):
        started, started_cpu = time.perf_counter(), time.thread_time()
        core.match_seeker(town.seekers[r], index, occupation_rows=rows[r])
        times.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - started_cpu)
    ms = np.array(times[20:]) * 1000.0  # the first few settle caches
    cpu_ms = np.array(cpu[20:]) * 1000.0
    out.update(
        p50_ms=float(np.percentile(ms, 50)),
        p99_ms=float(np.percentile(ms, 99)),
        max_ms=float(ms.max()),
        cpu_p50_ms=float(np.percentile(cpu_ms, 50)),
        cpu_p99_ms=float(np.percentile(cpu_ms, 99)),
        requests=int(ms.shape[0]),
    )
    out["normalise"] = _normalise_timing(town, seed)
    emit(out)


def _normalise_timing(town, seed: int) -> dict:
    """Time the skill normaliser on 10 typed phrases per seeker, if skills.py provides one."""
    import numpy as np

    try:
        from matching.engine.skills import load_taxonomy

        taxonomy = load_taxonomy()
    except Exception as error:  # noqa: BLE001 - report, do not fail the engine bench
        return {"available": False, "why": f"{type(error).__name__}: {error}"[:200]}
    typed = [
        "forklift",
        "customer service",
        "food hygeine",
        "excel",
        "driving",
        "cleaning",
        "stock control",
        "first aid",
        "cash handling",
        "team work",
        "warehouse",
        "care of the elderly",
        "HGV class 1",
        "welding",
        "painting and decorating",
    ]
    rng = random.Random(seed)
    taxonomy.normalise(typed[:3])
    times = []
    for _ in range(100):
        phrases = rng.sample(typed, 10)
        started = time.perf_counter()
        taxonomy.normalise(phrases)
        times.append(time.perf_counter() - started)
    ms = np.array(times) * 1000.0
    return {
        "available": True,
        "p50_ms": float(np.percentile(ms, 50)),
        "p99_ms": float(np.percentile(ms, 99)),
    }


# --- parent ---------------------------------------------------------------------------------------


def run_child(args: list[str], env: dict) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    proc = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    sys.stdout.write(proc.stderr)
    sys.stdout.flush()
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    raise SystemExit(f"child {args} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


def machine() -> str:
    import llvmlite
    import numba
    import numpy
    import scipy
    import sklearn

    cpus = len(os.sched_getaffinity(0))
    return (
        f"machine: {cpus} CPUs ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}, numpy {numpy.__version__}, scipy "
        f"{scipy.__version__}, scikit-learn {sklearn.__version__}, numba {numba.__version__} "
        f"(llvmlite {llvmlite.__version__}, {numba.get_num_threads()} threads)"
    )


def verdict(value: float, target: float, smaller_is_better: bool = True) -> str:
    ok = value < target if smaller_is_better else value >= target
    return "met" if ok else "MISSED"


def report_scale(name: str, r: dict) -> None:
    from matching.engine import weights

    n_s, n_v = SCALES[name]
    st = r["stats"]
    wall = r["wall_s"]
    print(
        f"\n== bench-{name}: {n_s:,} seekers x {n_v:,} vacancies "
        f"({st['vacancies_matchable']:,} matchable), k = {K}"
    )
    target = TARGETS[f"{name}_wall_s"]
    print(
        f"  both directions, wall      {wall:8.2f} s   target < {target:g} s   "
        f"{verdict(wall, target)}   (CPU {r['cpu_s']:.2f} s; runs: "
        f"{', '.join(f'{w:.2f}' for w in r['walls_s'])} s)"
    )
    parts = (
        "fit_skill_space_s",
        "build_index_s",
        "prepare_seekers_s",
        "score_s",
        "congestion_s",
        "candidates_s",
    )
    print("    of which: " + ", ".join(f"{p[:-2]} {st[p]:.2f} s" for p in parts))
    peak = r["peak_mib"]
    line = f"  peak memory (ru_maxrss)    {peak:8.0f} MiB"
    if name == "city":
        line += f"   target < {TARGETS['city_peak_mib']:.0f} MiB   "
        line += verdict(peak, TARGETS["city_peak_mib"])
    print(line + f"   (input data alone {r['input_peak_mib']:.0f} MiB)")
    print(f"  JIT warm-up (cache load)   {r['warm_up_s']:8.2f} s   (not in the wall time)")
    print(f"  pairs/second               {r['pairs'] / wall:12,.0f}   (all seeker x vacancy pairs)")
    print(
        f"    pairs within travel reach: {r['in_reach_share']:.1%} (sampled); touched (sharing "
        f"a skill or occupation, in reach cells): {st['pairs_touched']:,}; scored: "
        f"{st['pairs_scored']:,}"
    )
    base_pps = r["baseline_pairs"] / r["baseline_loop_s"]
    speedup = (r["pairs"] / wall) / base_pps
    print(
        f"  per-pair Python baseline   {base_pps:12,.0f} pairs/s on {r['baseline_pairs']:,} "
        f"pairs (+{r['baseline_setup_s']:.1f} s set-up); a full run would take about "
        f"{r['pairs'] / base_pps / 60:,.0f} min"
    )
    print(
        f"  speed-up over baseline     {speedup:8.0f}x   target >= {TARGETS['speedup']:g}x   "
        f"{verdict(speedup, TARGETS['speedup'], smaller_is_better=False)}"
    )
    ok_s = r["exact_seekers"] - r["exact_seeker_mismatches"]
    ok_v = r["exact_vacancies"] - r["exact_vacancy_mismatches"]
    exact = r["exact_seeker_mismatches"] == 0 and r["exact_vacancy_mismatches"] == 0
    print(
        f"  exact top {K} vs exhaustive  {ok_s}/{r['exact_seekers']} seekers, "
        f"{ok_v}/{r['exact_vacancies']} vacancies   {'met' if exact else 'MISSED'}"
    )
    print(
        f"  reasons (after selection)  {r['reasons_us']:8.0f} us per kept pair (all matches of 300 "
        f"seekers; {r['matches'] + r['candidates']:,} rows kept both ways)"
    )
    e = r["exposure"]
    for key, label in (("fit", "by fit alone   "), ("congestion", "with congestion")):
        x = e[key]
        print(
            f"  exposure {label}  share of open vacancies in a top {e['top_n']}: "
            f"{x['share_exposed']:.1%}, Gini {x['gini']:.3f}, mean fit shown "
            f"{x['mean_fit']:.3f}, most exposed {x['max_exposure']}"
        )
    _ = weights


def report_one(r: dict) -> None:
    print(
        f"\n== one seeker against {r['vacancies']:,} vacancies ({r['matchable']:,} matchable), "
        f"{r['requests']} requests"
    )
    print(
        f"  p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, max {r['max_ms']:.2f} ms   "
        f"target p99 < {TARGETS['one_p99_ms']:g} ms   {verdict(r['p99_ms'], TARGETS['one_p99_ms'])}"
        "   (skills already normalised to keys)"
    )
    print(
        f"  CPU time of the request thread: p50 {r['cpu_p50_ms']:.2f} ms, p99 "
        f"{r['cpu_p99_ms']:.2f} ms (what the wall time would be on an idle core)"
    )
    print(
        f"  index build {r['index_s']:.2f} s (once per process); JIT warm-up {r['warm_up_s']:.2f} s"
    )
    n = r["normalise"]
    if n["available"]:
        print(
            f"  normalising 10 typed skills (matching.engine.skills): p50 {n['p50_ms']:.2f} ms, "
            f"p99 {n['p99_ms']:.2f} ms, on top of the above"
        )
    else:
        print(f"  normalising typed skills: not measured ({n['why']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="town and one seeker only")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind = args.child[0]
        if kind == "compile":
            child_compile()
        elif kind in SCALES:
            child_scale(kind, args.seed, int(args.child[1]))
        elif kind == "meaning":
            child_meaning(args.child[1], args.seed, int(args.child[2]))
        elif kind == "one":
            child_one(args.seed, int(args.child[1]))
        return

    started = time.perf_counter()
    print(machine())
    print(f"load average at start: {os.getloadavg()[0]:.2f} (1 min)")
    with tempfile.TemporaryDirectory(prefix="jobmatch-numba-") as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, PYTHONPATH=str(ROOT))
        compiled = run_child(["compile"], env)
        print(
            f"JIT: cold compile of every kernel into an empty cache {compiled['compile_s']:.1f} s "
            "(once per install; later processes load the cache)"
        )
        results = {"town": run_child(["town", "1" if args.quick else "3"], env)}
        report_scale("town", results["town"])
        town_meaning = run_child(["meaning", "town", "1" if args.quick else "3"], env)
        report_meaning("town", results["town"], town_meaning)
        if not args.quick:
            results["city"] = run_child(["city", "2"], env)
            report_scale("city", results["city"])
            report_meaning("city", results["city"], run_child(["meaning", "city", "2"], env))
        results["one"] = run_child(["one", "300" if args.quick else "1000"], env)
        report_one(results["one"])
    print(
        f"\nload average at end: {os.getloadavg()[0]:.2f}; bench took "
        f"{time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
