"""Make the second held-out skill-phrase set from freshly written phrases and two blind labellings.

A writer who had not seen the repository wrote everyday phrases (``phrase, sector``); two
labellers, apart from each other and from the software, gave each phrase every fair ESCO
concept or UK licence (``phrase, fair_ids, fair_labels, note``; ``fair_ids`` is ``none`` for
not a skill). Usage, once:

    python scripts/make_fresh_phrase_set.py dedupe written.csv out.csv
    python scripts/make_fresh_phrase_set.py merge deduped.csv first.csv second.csv

``dedupe`` drops a phrase whose normalised text is already a phrase of another labelled set, or
repeats one of its own, and says how many went, never which. Phrases that are entries of the UK
synonym list stay: the writer never saw it, so they are what people type, and the list's
reading of them is measured like any other. ``merge`` writes
``matching/data/heldout/skill_phrases_second.csv``: ``expected_id`` is the first labeller's best
reading, ``acceptable_ids`` every other reading of either labeller
(``none`` included when either says so), with both labellers' readings in their own columns.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching.engine.skills import normalise_text  # noqa: E402

DATA = ROOT / "matching" / "data"
SEEN = [
    DATA / "skill_phrases_tuning.csv",
    DATA / "skill_phrases_dev.csv",
    DATA / "heldout" / "skill_phrases.csv",
]
OUT = DATA / "heldout" / "skill_phrases_second.csv"
FIELDS = [
    "phrase",
    "sector",
    "expected_id",
    "expected_label",
    "acceptable_ids",
    "first_ids",
    "second_ids",
    "note",
]


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def dedupe(source: str, out: str) -> None:
    seen = {normalise_text(r["phrase"]) for p in SEEN for r in _rows(p)}
    rows, kept, mine = _rows(Path(source)), [], set()
    for r in rows:
        key = normalise_text(r["phrase"])
        if key and key not in seen and key not in mine:
            mine.add(key)
            kept.append({"phrase": r["phrase"].strip(), "sector": r["sector"]})
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["phrase", "sector"], lineterminator="\n")
        w.writeheader()
        w.writerows(kept)
    gone = len(rows) - len(kept)
    print(f"{len(rows)} written, {gone} already seen or repeated, {len(kept)} kept")


def _ids(row: dict) -> list[str]:
    return [i.strip() for i in row["fair_ids"].split("|") if i.strip()]


def merge(deduped: str, first: str, second: str) -> None:
    base, one, two = _rows(Path(deduped)), _rows(Path(first)), _rows(Path(second))
    assert [r["phrase"] for r in one] == [r["phrase"] for r in base] == [r["phrase"] for r in two]
    out = []
    for b, a, c in zip(base, one, two, strict=True):
        a_ids, c_ids = _ids(a), _ids(c)
        best = a_ids[0]
        others = [i for i in dict.fromkeys(a_ids[1:] + c_ids) if i != best]
        label = a["fair_labels"].split("|")[0].strip() if best != "none" else ""
        notes = "; ".join(n for n in (a.get("note", ""), c.get("note", "")) if n)
        out.append(
            {
                "phrase": b["phrase"],
                "sector": b["sector"],
                "expected_id": best,
                "expected_label": label,
                "acceptable_ids": "|".join(others),
                "first_ids": "|".join(a_ids),
                "second_ids": "|".join(c_ids),
                "note": notes,
            }
        )
    with open(OUT, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    agree = sum(bool(set(_ids(a)) & set(_ids(c))) for a, c in zip(one, two, strict=True))
    print(f"{OUT.relative_to(ROOT)}: {len(out)} phrases; the labellers share a reading on {agree}")


if __name__ == "__main__":
    {"dedupe": dedupe, "merge": merge}[sys.argv[1]](*sys.argv[2:])
