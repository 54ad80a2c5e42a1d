#!/usr/bin/env python3
"""Derive ``demo/data/demo_sectors.json``: the sector map the demo seeder uses.

The demo town is Barnsley. For each sector ``demo/data/demo_sectors_spec.json`` holds a
small, hand-written spec (job titles, fictional employer names, rough shares, wages, hours,
contract mix, what the jobs involve) and a list of skill *phrases chosen by a person*.
Every phrase is resolved to a real taxonomy id by EXACT, case-insensitive match against:

1. the UK licences list, label column          (``matching/data/uk_licences.csv``)
2. ESCO v1.1.1 preferred labels                 (``matching/data/esco_skills.csv.gz``)
3. the UK licences list, ``alt_labels`` column
4. ESCO v1.1.1 alternative labels               (``matching/data/esco_skills_alt_labels.csv.gz``)

The first tier that matches wins. If a phrase matches nothing, or matches more than
one id within the winning tier, the script stops with an error listing every such
phrase: nothing is guessed and nothing is fuzzy-matched. The output records the
taxonomy's own preferred label for each id, plus a few ways a person might type the
skill (``typed``), which the seeder uses as free text in profiles and adverts.

ESCO ids are written as ``esco:<uuid>`` (the form used by ``advert_phrases.csv``);
UK licence ids keep their ``uk:`` prefix.

The output is deterministic, so re-running gives a byte-identical file.

Usage::

    python scripts/derive_demo_sectors.py           # write the JSON
    python scripts/derive_demo_sectors.py --check   # exit 1 if the JSON is stale
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "matching" / "data"
ESCO_SKILLS = DATA_DIR / "esco_skills.csv.gz"
ESCO_ALT_LABELS = DATA_DIR / "esco_skills_alt_labels.csv.gz"
UK_LICENCES = DATA_DIR / "uk_licences.csv"
OUTPUT = ROOT / "demo" / "data" / "demo_sectors.json"

# National Living Wage (21+) from 1 April 2026. Apprentice rates are applied by the seeder.
NATIONAL_LIVING_WAGE_2026 = 12.71
CONTRACT_TYPES = ("permanent", "fixed_term", "temporary", "zero_hours", "apprenticeship")
SHARE_TOLERANCE = 1e-6

ABOUT = (
    "Demo sector map for JobMatch's demo town, Barnsley, written by "
    "scripts/derive_demo_sectors.py. For each sector a person hand-picked skill "
    "phrases (ESCO v1.1.1 preferred or alternative labels, plus entries from "
    "JobMatch's UK licences list); the script resolved every phrase to a taxonomy id "
    "by exact, case-insensitive label match and failed if any did not resolve. "
    "'label' is the taxonomy's preferred label; 'typed' gives hand-written examples "
    "of how people actually type the skill. Employer names are fictional (built from "
    "Barnsley place names) and do not refer to real organisations. Vacancy and "
    "seeker shares, wages, hours, contract mixes and licence/remote shares are rough "
    "judgements, loosely informed by the kinds of jobs common in Barnsley (care, "
    "health, warehousing and distribution along the M1, retail, manufacturing); "
    "they are not statistics. Skill labels: ESCO, © European Union, reused under the "
    "Commission's reuse policy."
)
ATTRIBUTION = (
    "ESCO, © European Union, reused under the Commission's reuse policy "
    "(Commission Decision 2011/833/EU). Skill labels are from ESCO v1.1.1 "
    "(skills pillar, English); JobMatch selected a subset and added UK licence entries."
)

# The hand-written spec (sectors, their titles, employers, skill phrases and duties) is data:
# ``demo/data/demo_sectors_spec.json``.
SPEC_FILE = ROOT / "demo" / "data" / "demo_sectors_spec.json"
_SPEC = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
COMMON_SKILLS: list[tuple[str, list[str]]] = [tuple(e) for e in _SPEC["common_skills"]]
SECTORS: list[dict] = _SPEC["sectors"]
DUTIES: dict[str, list[str]] = _SPEC["duties"]


# ---------------------------------------------------------------------------
# Taxonomy loading and exact-match resolution
# ---------------------------------------------------------------------------


class ResolutionError(Exception):
    pass


def _key(text: str) -> str:
    return text.strip().casefold()


class Taxonomy:
    """Exact, case-insensitive label lookup over ESCO v1.1.1 and the UK licences list."""

    def __init__(self) -> None:
        self.labels: dict[str, str] = {}  # id -> preferred label
        self.tiers: list[tuple[str, dict[str, set[str]]]] = []

        esco_pref: dict[str, set[str]] = defaultdict(set)
        with gzip.open(ESCO_SKILLS, "rt", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                sid = f"esco:{row['id']}"
                self.labels[sid] = row["preferred_label"]
                esco_pref[_key(row["preferred_label"])].add(sid)

        esco_alt: dict[str, set[str]] = defaultdict(set)
        with gzip.open(ESCO_ALT_LABELS, "rt", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                esco_alt[_key(row["alt_label"])].add(f"esco:{row['id']}")

        uk_label: dict[str, set[str]] = defaultdict(set)
        uk_alt: dict[str, set[str]] = defaultdict(set)
        with open(UK_LICENCES, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                lid = row["id"]
                self.labels[lid] = row["label"]
                uk_label[_key(row["label"])].add(lid)
                for alt in (row.get("alt_labels") or "").split("|"):
                    if alt.strip():
                        uk_alt[_key(alt)].add(lid)

        self.tiers = [
            ("UK licence label", uk_label),
            ("ESCO preferred label", esco_pref),
            ("UK licence alt label", uk_alt),
            ("ESCO alt label", esco_alt),
        ]

    def resolve(self, phrase: str) -> tuple[str, str]:
        """Return (id, tier name) for ``phrase`` or raise ResolutionError."""
        k = _key(phrase)
        for tier_name, index in self.tiers:
            ids = index.get(k)
            if not ids:
                continue
            if len(ids) > 1:
                names = ", ".join(f"{i} ({self.labels.get(i, '?')})" for i in sorted(ids))
                raise ResolutionError(f"{phrase!r} is ambiguous as a {tier_name}: {names}")
            return next(iter(ids)), tier_name
        raise ResolutionError(f"{phrase!r} matches no ESCO or UK licence label exactly")


# ---------------------------------------------------------------------------
# Building and validation
# ---------------------------------------------------------------------------


def _resolve_skills(
    tax: Taxonomy, entries: list[tuple[str, list[str]]], where: str, errors: list[str]
) -> tuple[list[dict], dict[str, str]]:
    out: list[dict] = []
    by_phrase: dict[str, str] = {}
    seen: set[str] = set()
    for phrase, typed in entries:
        try:
            sid, _tier = tax.resolve(phrase)
        except ResolutionError as exc:
            errors.append(f"{where}: {exc}")
            continue
        if sid in seen:
            errors.append(f"{where}: {phrase!r} resolves to {sid}, which is already listed")
            continue
        seen.add(sid)
        by_phrase[_key(phrase)] = sid
        out.append({"id": sid, "label": tax.labels[sid], "typed": list(typed)})
    return out, by_phrase


def build(tax: Taxonomy) -> dict:
    errors: list[str] = []

    common, _ = _resolve_skills(tax, COMMON_SKILLS, "common_skills", errors)

    sectors_out: list[dict] = []
    for spec in SECTORS:
        where = f"sector {spec['key']}"
        skills, by_phrase = _resolve_skills(tax, spec["skills"], where, errors)
        essential: list[str] = []
        for phrase in spec["essential"]:
            sid = by_phrase.get(_key(phrase))
            if sid is None:
                errors.append(
                    f"{where}: essential {phrase!r} is not one of the sector's resolved skills"
                )
            else:
                essential.append(sid)
        sectors_out.append(
            {
                "key": spec["key"],
                "name": spec["name"],
                "vacancy_share": spec["vacancy_share"],
                "seeker_share": spec["seeker_share"],
                "titles": list(spec["titles"]),
                "duties": list(DUTIES[spec["key"]]),
                "employer_names": list(spec["employer_names"]),
                "skills": skills,
                "essential": essential,
                "requires_driving_licence_share": spec["requires_driving_licence_share"],
                "contract_mix": dict(spec["contract_mix"]),
                "hourly_wage": list(spec["hourly_wage"]),
                "hours": list(spec["hours"]),
                "remote_share": spec["remote_share"],
            }
        )

    if errors:
        raise SystemExit("Could not resolve the demo sector spec:\n  " + "\n  ".join(errors))

    data = {
        "about": ABOUT,
        "attribution": ATTRIBUTION,
        "esco_version": "1.1.1",
        "generated_by": "scripts/derive_demo_sectors.py",
        "national_living_wage_2026": NATIONAL_LIVING_WAGE_2026,
        "common_skills": common,
        "sectors": sectors_out,
    }
    problems = validate(data, tax)
    if problems:
        raise SystemExit("Demo sector spec failed validation:\n  " + "\n  ".join(problems))
    return data


def _share(x: object) -> bool:
    return isinstance(x, (int, float)) and 0.0 <= float(x) <= 1.0


def _check_typed(skill: dict, where: str, problems: list[str]) -> None:
    typed = skill.get("typed")
    if (
        not isinstance(typed, list)
        or not 2 <= len(typed) <= 3
        or not all(isinstance(t, str) and t for t in typed)
    ):
        problems.append(f"{where}: {skill.get('id')} needs 2-3 non-empty 'typed' strings")


def validate(data: dict, tax: Taxonomy) -> list[str]:
    """Return a list of problems with ``data`` (empty when it is valid)."""
    problems: list[str] = []
    if next(iter(data)) != "about":
        problems.append("'about' must be the first key")

    common = data["common_skills"]
    if not 6 <= len(common) <= 10:
        problems.append(f"common_skills has {len(common)} entries (want 6-10)")
    for skill in common:
        if skill["id"] not in tax.labels or tax.labels[skill["id"]] != skill["label"]:
            problems.append(f"common_skills: unknown id or wrong label {skill['id']}")
        _check_typed(skill, "common_skills", problems)

    sectors = data["sectors"]
    keys = [s["key"] for s in sectors]
    required = {
        "care", "nursing", "warehouse", "retail", "driving", "construction",
        "admin", "hospitality", "cleaning", "security", "manufacturing",
    }  # fmt: skip
    if missing := required - set(keys):
        problems.append(f"missing sectors: {sorted(missing)}")
    if len(keys) != len(set(keys)):
        problems.append("duplicate sector keys")

    for field in ("vacancy_share", "seeker_share"):
        total = sum(s[field] for s in sectors)
        if abs(total - 1.0) > SHARE_TOLERANCE:
            problems.append(f"{field} sums to {total!r}, not 1.0")

    all_employers: list[str] = []
    for s in sectors:
        where = f"sector {s['key']}"
        for field in (
            "vacancy_share",
            "seeker_share",
            "requires_driving_licence_share",
            "remote_share",
        ):
            if not _share(s[field]):
                problems.append(f"{where}: {field} {s[field]!r} is not in [0, 1]")
        if not 5 <= len(s["titles"]) <= 8:
            problems.append(f"{where}: {len(s['titles'])} titles (want 5-8)")
        if not 12 <= len(s["employer_names"]) <= 16:
            problems.append(f"{where}: {len(s['employer_names'])} employer names (want 12-16)")
        all_employers.extend(s["employer_names"])
        if not 10 <= len(s["skills"]) <= 16:
            problems.append(f"{where}: {len(s['skills'])} skills (want 10-16)")
        ids = [k["id"] for k in s["skills"]]
        if len(ids) != len(set(ids)):
            problems.append(f"{where}: duplicate skill ids")
        for skill in s["skills"]:
            if skill["id"] not in tax.labels:
                problems.append(f"{where}: unknown id {skill['id']}")
            elif tax.labels[skill["id"]] != skill["label"]:
                problems.append(f"{where}: label for {skill['id']} is not the preferred label")
            _check_typed(skill, where, problems)
        if not 1 <= len(s["essential"]) <= 3 or not set(s["essential"]) <= set(ids):
            problems.append(f"{where}: essential must be 1-3 of the sector's skill ids")
        mix = s["contract_mix"]
        if set(mix) != set(CONTRACT_TYPES):
            problems.append(f"{where}: contract_mix keys {sorted(mix)} != {sorted(CONTRACT_TYPES)}")
        elif (
            not all(_share(v) for v in mix.values())
            or abs(sum(mix.values()) - 1.0) > SHARE_TOLERANCE
        ):
            problems.append(f"{where}: contract_mix shares must be in [0, 1] and sum to 1.0")
        low, high = s["hourly_wage"]
        if not NATIONAL_LIVING_WAGE_2026 <= low <= high:
            problems.append(f"{where}: hourly_wage {s['hourly_wage']} below NLW or out of order")
        h_low, h_high = s["hours"]
        if not 8 <= h_low <= h_high <= 48:
            problems.append(f"{where}: hours {s['hours']} outside 8..48 or out of order")
        if s["key"] != "admin" and s["remote_share"] != 0:
            problems.append(f"{where}: only admin may have remote vacancies")
    if len(all_employers) != len(set(all_employers)):
        problems.append("employer names repeat across sectors")
    return problems


def render(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="fail if the committed JSON is out of date"
    )
    parser.add_argument(
        "--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT.relative_to(ROOT)}"
    )
    args = parser.parse_args(argv)

    tax = Taxonomy()
    text = render(build(tax))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(
                f"{args.output} is out of date; run scripts/derive_demo_sectors.py", file=sys.stderr
            )
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    data = json.loads(text)
    counts = ", ".join(f"{s['key']}={len(s['skills'])}" for s in data["sectors"])
    print(f"wrote {args.output} ({len(data['sectors'])} sectors; skills: {counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
