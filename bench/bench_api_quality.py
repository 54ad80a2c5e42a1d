"""The title and advert tasks of ``bench_quality.py`` through the API of the demo town, as a
partner measuring JobMatch from outside would: on a copy of the full ``seed_demo`` town (its
800 vacancies and 2,500 seekers stay), an employer posts each vacancy with ``POST
/api/v1/vacancies/`` at one Barnsley postcode with no skills, each seeker signs up with ``POST
/api/v1/auth/register/`` at the same postcode wanting one title (and, in the advert task, a second
seeker also writes the advert's text as "about me"), the queue is drained until nothing is
pending (matches no longer updating), and each seeker's ``GET /api/v1/seekers/me/matches/`` is
read.

Figures, each task on its own copy of the town:

- title task (held-out UK job titles; a vacancy per occupation made of its ESCO title and
  description): MRR and recall at 10 of the seeker's own occupation among the task's vacancies
  in the seeker's list;
- advert task (held-out hand-written adverts): precision at 10 of same-category adverts among the
  seeker's first ten matches that are the task's adverts (its own left out), and the same over
  the first ten of the whole list, where a demo vacancy counts as not the same category.

Unlike ``bench_quality.py`` the product's index is used as it stands, so a held-out title that is
also one of the UK title aliases is found by its words (the count is printed). Run with
``DEBUG=1 .venv/bin/python bench/bench_api_quality.py [--part tuning|held-out] [--limit N]``;
about 10 to 15 minutes on 2 cores (most of it seeding and embedding)."""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "matching" / "data"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PLACE = "S70 2TA"  # a Barnsley postcode of the demo's
PASSWORD = "bench-quality-pass-2026"
SETS = {
    "held-out": (DATA / "heldout" / "job_titles.csv", DATA / "heldout" / "adverts.csv"),
    "tuning": (DATA / "uk_job_titles.csv", DATA / "adverts_tuning.csv"),
}


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def setup(db: Path) -> None:
    """Point Django at ``db``, with a queue of files nobody reads beside it (the recomputes are
    drained here once the writes are done, as the demo's worker would) and no sign-up
    throttle, then set up."""
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.update(
        DATABASE_URL=f"sqlite:///{db}",
        CELERY_TASK_ALWAYS_EAGER="0",
        JOBMATCH_QUEUE_DIR=str(db.parent / "queue"),
        ALLOWED_HOSTS="testserver",
        SIGN_IN_THROTTLE_RATE="100000/minute",
        EMAIL_URL="dummy://",
    )
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobmatch.settings")
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)


def seed(db: Path) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", verbosity=0)
    settle()


def use_db(path: Path) -> None:
    """Switch the default connection to the SQLite file at ``path``."""
    from django.db import connections

    connections["default"].close()
    connections["default"].settings_dict["NAME"] = str(path)


def check(response, expected: int) -> dict:
    if response.status_code != expected:
        raise SystemExit(
            f"{response.request['PATH_INFO']}: {response.status_code} {response.content[:300]!r}"
        )
    return response.json()


def post_vacancies(texts: list[tuple[str, str]]) -> list[int]:
    """Post each (title, description) as the demo employer; return the vacancy ids."""
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="demo-employer"))
    ids = []
    for title, description in texts:
        body = {
            "title": title[:200],
            "description": description,
            "postcode": PLACE,
            "hours_per_week": 37.5,
            "contract_type": "permanent",
            "wage_per_hour": "13.50",
            "positions": 1,
            "skills": [],
            "status": "open",
        }
        ids.append(
            check(client.post("/api/v1/vacancies/", body, content_type="application/json"), 201)[
                "id"
            ]
        )
    return ids


def sign_up(name: str, title: str, about: str = "") -> object:
    """Register a seeker through the API wanting ``title``; return a client signed in as them."""
    from django.test import Client

    from accounts.models import User

    client = Client()
    profile = {
        "postcode": PLACE,
        "desired_titles": [title[:100]],
        "travel_modes": ["public_transport", "walk"],
        "max_travel_minutes": 45,
        "hours_min": 0,
        "hours_max": 48,
    }
    if about:
        profile["about"] = about
    body = {
        "username": name,
        "password": PASSWORD,
        "email": f"{name}@example.org",
        "profile": profile,
    }
    check(client.post("/api/v1/auth/register/", body, content_type="application/json"), 201)
    client.force_login(User.objects.get(username=name))
    return client


def settle() -> int:
    """Drain the recompute queue until nothing is pending; return the number of drains."""
    from matching.models import PendingRecompute
    from matching.services import recomputes_drain

    drains = 0
    while PendingRecompute.objects.exists():
        recomputes_drain()
        drains += 1
    return drains


def matches(client) -> list[int]:
    """The seeker's first page of matches, best first, as vacancy ids."""
    body = check(client.get("/api/v1/seekers/me/matches/"), 200)
    rows = body["results"] if isinstance(body, dict) else body
    return [r["vacancy"]["id"] if isinstance(r["vacancy"], dict) else r["vacancy"] for r in rows]


def title_task(rows: list[dict]) -> dict[str, float]:
    from quality_ranking import _occupations

    occupations = _occupations()
    rows = [r for r in rows if r["expected_id"] in occupations]
    targets = sorted({r["expected_id"] for r in rows})
    started = time.perf_counter()
    ids = post_vacancies(
        [(occupations[o]["preferred_label"], occupations[o]["description"]) for o in targets]
    )
    of = dict(zip(targets, ids, strict=True))
    clients = [sign_up(f"bench-title-{i}", r["title"]) for i, r in enumerate(rows)]
    drains = settle()
    print(f"  posted {len(ids)} vacancies, signed up {len(clients)} seekers, {drains} drains, "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    mine = set(ids)
    rr = hit10 = 0.0
    for client, r in zip(clients, rows, strict=True):
        right = {
            of[o]
            for o in [r["expected_id"], *filter(None, r["alternate_ids"].split("|"))]
            if o in of
        }
        order = [v for v in matches(client) if v in mine]
        rank = next((i + 1 for i, v in enumerate(order) if v in right), None)
        rr += 1 / rank if rank else 0.0
        hit10 += bool(rank and rank <= 10)
    aliases = {r["title"].lower() for r in read_rows(DATA / "uk_title_aliases.csv")}
    n = len(rows)
    return {"n": n, "mrr": rr / n, "recall10": hit10 / n,
            "aliases": sum(r["title"].lower() in aliases for r in rows)}  # fmt: skip


def advert_task(rows: list[dict]) -> dict[str, float]:
    started = time.perf_counter()
    ids = post_vacancies([(r["title"], r["description"]) for r in rows])
    category = {v: r["category"] for v, r in zip(ids, rows, strict=True)}
    queries = []
    for i, r in enumerate(rows):
        queries.append((sign_up(f"bench-advert-{i}", r["title"]), ids[i], r["category"], "title"))
        queries.append((sign_up(f"bench-advert-text-{i}", r["title"], r["description"]), ids[i],
                        r["category"], "title and text"))  # fmt: skip
    drains = settle()
    print(f"  posted {len(ids)} vacancies, signed up {len(queries)} seekers, {drains} drains, "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    sums: dict[str, list[float]] = {}
    for client, own, cat, query in queries:
        listed = [v for v in matches(client) if v != own]
        ours = [v for v in listed if v in category][:10]
        whole = listed[:10]
        sums.setdefault(f"{query}, the task's adverts", []).append(
            sum(category[v] == cat for v in ours) / 10
        )
        sums.setdefault(f"{query}, whole list", []).append(
            sum(category.get(v) == cat for v in whole) / 10
        )
    return {name: sum(v) / len(v) for name, v in sums.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=sorted(SETS), default="held-out")
    ap.add_argument("--limit", type=int, default=0, help="only the first N rows of each set")
    ap.add_argument("--keep", type=Path, help="keep the databases in this directory")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="jobmatch-apiq-"))
    work.mkdir(parents=True, exist_ok=True)
    town = work / "town.sqlite3"
    setup(town)
    from bench_quality import machine_line

    print(machine_line())
    started = time.perf_counter()
    if not town.exists():
        seed(town)
    print(f"== the demo town through the API ({args.part} sets); seeded in "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    titles_csv, adverts_csv = SETS[args.part]
    titles = read_rows(titles_csv)
    adverts = read_rows(adverts_csv)
    if args.limit:
        titles, adverts = titles[: args.limit], adverts[: args.limit]
    try:
        for name, task, rows in (("titles", title_task, titles), ("adverts", advert_task, adverts)):
            copy = work / f"{name}.sqlite3"
            shutil.copyfile(town, copy)
            use_db(copy)
            print(f"{name}:")
            figures = task(rows)
            for key, value in figures.items():
                print(
                    f"  {key:40s} {value:.3f}"
                    if isinstance(value, float)
                    else f"  {key:40s} {value}"
                )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
