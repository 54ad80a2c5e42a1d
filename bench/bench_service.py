"""Service-level figures on the demo town: seeding time, the full recompute end to end (rows in,
engine, rows out), and the latency of the hot read endpoints.

Runs against a throw-away database: PostgreSQL when BENCH_DATABASE_URL is a postgres:// URL (the
database named there is dropped and re-created), else a temporary SQLite file.
Usage: python bench/bench_service.py [--size small|full]
Targets (issue 4): demo town recomputed end to end on PostgreSQL under 15 s;
seekers/me/matches/ p95 under 50 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _database_url(tmp: str) -> str:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp}/bench.sqlite3"
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "jobmatch_bench"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=["small", "full"], default="full")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    os.environ.update(
        DEBUG="1",
        DATABASE_URL=_database_url(tmp),
        ALLOWED_HOSTS="testserver",
        CELERY_BROKER_URL="",
        DJANGO_SETTINGS_MODULE="jobmatch.settings",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from matching.services import matches_recompute_all

    print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"database {connection.vendor}, demo size {args.size}"
    )
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", size=args.size, stdout=open(os.devnull, "w"))
    print(f"seed demo town:                 {time.perf_counter() - started:6.2f} s")

    matches_recompute_all()  # warm: compile caches, load taxonomies
    started = time.perf_counter()
    run = matches_recompute_all()
    total = time.perf_counter() - started
    target = 15.0
    print(
        f"recompute end to end:           {total:6.2f} s  (engine {run.stats['total_s']:.2f} s;"
        f" target < {target:.0f} s on PostgreSQL: {'met' if total < target else 'MISSED'},"
        f" ratio {total / target:.2f})"
    )

    client = Client()
    token = client.post(
        "/api/v1/auth/token/", {"username": "demo-seeker", "password": "demo-pass-2026"}
    ).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    for name, url in (("seekers/me/matches/", "/api/v1/seekers/me/matches/"),):
        client.get(url, **auth)
        samples = []
        for _ in range(args.requests):
            t0 = time.perf_counter()
            response = client.get(url, **auth)
            samples.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        p50, p95 = _percentiles(samples)
        print(
            f"GET {name:<27} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  (target p95 < 50 ms: "
            f"{'met' if p95 < 50 else 'MISSED'}, ratio {p95 / 50:.2f})"
        )
    del settings


if __name__ == "__main__":
    main()
