"""Benchmark the ONSPD postcode index (matching/postcodes.py).

Run from the repository root:  python bench/bench_postcodes.py [--lookups N]

The build runs in a child process (from scratch, into a temp dir) so that its
transient memory does not pollute this process's RSS; this process then only
loads the cached index, as a web worker would, and times random look-ups.
Targets: under 100 MB RSS growth per process, under 50 us per lookup.
"""

from __future__ import annotations

import argparse
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

RSS_TARGET_MB = 100.0
LOOKUP_TARGET_US = 50.0

# Runs in a child process: build from scratch, then write a random sample of real,
# located postcodes for the parent to look up (so the parent never touches the
# index before measuring).
BUILD_SNIPPET = """
import sys, time
from pathlib import Path
import numpy as np
from matching import postcodes
cache_dir, count, seed = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
started = time.perf_counter()
postcodes.build_index(cache_dir)
elapsed = time.perf_counter() - started
index = postcodes.open_index(cache_dir)
rows = np.random.default_rng(seed).integers(0, index.rows, size=count * 2)
rows = rows[index._eastings[rows] != postcodes._NO_COORD][:count]
sample = [postcodes._from_key(key) for key in index._keys[rows].tolist()]
(cache_dir / "sample.txt").write_text("\\n".join(sample))
print(elapsed)
"""


def rss_mb(field: str = "VmRSS") -> float:
    """Resident memory in MB from /proc/self/status: VmRSS = RssAnon + RssFile + RssShmem.

    RssFile is the memory-mapped index: page cache, shared by every process using it.
    """
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def rss_parts() -> str:
    return f"anon {rss_mb('RssAnon'):.1f} MB + file {rss_mb('RssFile'):.1f} MB"


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()

    import numpy as np

    rss_start = rss_mb()
    from matching import postcodes

    print(
        f"machine: nproc={os.cpu_count()} python={platform.python_version()} "
        f"({platform.machine()}, {platform.system()}) numpy={np.__version__}"
    )
    print(f"data: {postcodes.DIST_NAME}=={postcodes._package_version()}")

    with tempfile.TemporaryDirectory(prefix="bench-postcodes-") as temp:
        cache_dir = Path(temp)
        started = time.perf_counter()
        child = subprocess.run(
            [
                sys.executable,
                "-c",
                BUILD_SNIPPET,
                str(cache_dir),
                str(args.lookups),
                str(args.seed),
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
        build_s = float(child.stdout.strip().splitlines()[-1])
        child_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"build from scratch: {build_s:.2f} s in build_index "
            f"({wall:.2f} s with interpreter start; child peak RSS {child_peak_mb:.0f} MB)"
        )

        path = postcodes.index_path(cache_dir)
        print(
            f"index on disk: {path.stat().st_size:,} bytes ({path.stat().st_size / 2**20:.1f} MiB)"
        )

        sample = (cache_dir / "sample.txt").read_text().split("\n")
        coin = random.Random(args.seed)
        messy = [pc.lower().replace(" ", "") if coin.random() < 0.5 else f" {pc} " for pc in sample]
        timings = np.empty(len(sample), dtype=np.int64)
        messy_timings = np.empty(len(sample), dtype=np.int64)

        rss_before, parts_before = rss_mb(), rss_parts()
        started = time.perf_counter()
        index = postcodes.load_index(cache_dir)
        load_ms = (time.perf_counter() - started) * 1000
        rss_loaded, parts_loaded = rss_mb(), rss_parts()
        growth = rss_loaded - rss_before
        print(f"load from cache: {load_ms:.1f} ms; {index!r}, {index.rows:,} rows stored")
        print(
            f"RSS: {rss_start:.1f} MB before importing matching.postcodes; "
            f"{rss_before:.1f} MB ({parts_before}) before load; "
            f"{rss_loaded:.1f} MB ({parts_loaded}) after load -> growth {growth:.1f} MB"
        )

        lookup = index.lookup
        timer = time.perf_counter_ns
        for i, postcode in enumerate(sample):
            t0 = timer()
            lookup(postcode)
            timings[i] = timer() - t0
        rss_after, parts_after = rss_mb(), rss_parts()
        for i, text in enumerate(messy):
            t0 = timer()
            lookup(text)
            messy_timings[i] = timer() - t0
        started = time.perf_counter()
        results = index.lookup_many(sample)
        bulk_us = (time.perf_counter() - started) * 1e6 / len(sample)
        assert all(isinstance(r, postcodes.Location) for r in results)

        us = np.sort(timings) / 1000
        messy_us = np.sort(messy_timings) / 1000
        median, p99 = float(np.median(us)), float(np.percentile(us, 99))
        warm_growth = rss_after - rss_before
        print(f"lookups: {len(sample):,} random located postcodes, one call each")
        print(
            f"  lookup('S70 2TA' form, cold pages): median {median:.2f} us, p99 {p99:.2f} us, "
            f"max {us[-1]:.1f} us"
        )
        print(
            f"  lookup(messy input, warm pages):       median {np.median(messy_us):.2f} us, "
            f"p99 {np.percentile(messy_us, 99):.2f} us"
        )
        print(f"  lookup_many:            {bulk_us:.2f} us per postcode")
        print(
            f"RSS after the {len(sample):,} lookups: {rss_after:.1f} MB ({parts_after}); "
            f"growth since before load {warm_growth:.1f} MB"
        )
        print("against targets:")
        print(
            f"  RSS growth after load {growth:.1f} MB / {RSS_TARGET_MB:.0f} MB = "
            f"{growth / RSS_TARGET_MB:.2f}x; after 100k lookups {warm_growth:.1f} MB = "
            f"{warm_growth / RSS_TARGET_MB:.2f}x (mostly shared page cache)"
        )
        print(
            f"  lookup p99 {p99:.2f} us / {LOOKUP_TARGET_US:.0f} us = "
            f"{p99 / LOOKUP_TARGET_US:.3f}x (median {median / LOOKUP_TARGET_US:.3f}x)"
        )


if __name__ == "__main__":
    main()
