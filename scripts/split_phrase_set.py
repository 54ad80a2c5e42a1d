"""Split the hand-labelled skill phrases once into a tuning part and a held-out part.

Input: a CSV with ``phrase, sector, expected_id, expected_label, acceptable_ids, note`` (the
union of ``matching/data/skill_phrases_tuning.csv`` and ``matching/data/heldout/skill_phrases.csv``
reproduces both). Within each sector, phrases are ordered by the SHA-256 of their lower-cased
text and every second one is held out: the split depends on the phrases alone, never on how any
normaliser does on them. Usage:

    python scripts/split_phrase_set.py labelled.csv

writes ``matching/data/skill_phrases_tuning.csv`` and ``matching/data/heldout/skill_phrases.csv``.
Run once; the held-out file is then never changed (a test checks its hash).
"""

from __future__ import annotations

import csv
import hashlib
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ["phrase", "sector", "expected_id", "expected_label", "acceptable_ids", "note"]


def _key(phrase: str) -> str:
    return hashlib.sha256(phrase.strip().lower().encode()).hexdigest()


def main(source: str) -> None:
    with open(source, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_sector: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_sector[row["sector"]].append(row)
    tuning, held = [], []
    for sector in sorted(by_sector):
        ordered = sorted(by_sector[sector], key=lambda r: _key(r["phrase"]))
        for i, row in enumerate(ordered):
            (held if i % 2 else tuning).append(row)
    for rows_out, path in (
        (tuning, ROOT / "matching/data/skill_phrases_tuning.csv"),
        (held, ROOT / "matching/data/heldout/skill_phrases.csv"),
    ):
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(sorted(rows_out, key=lambda r: (r["sector"], r["phrase"].lower())))
        print(f"{path.relative_to(ROOT)}: {len(rows_out)} phrases")


if __name__ == "__main__":
    main(sys.argv[1])
