#!/usr/bin/env python3
"""Derive ``matching/data/esco_occupation_families.csv``: ESCO's occupations in kinds of work.

ESCO v1.2 names 3,039 occupations but, as shipped here, no grouping of them (the ISCO links are
not in the source: see ``matching/data/OCCUPATIONS.md``). A kitchen porter and a chef de partie
are different occupations, yet the same kind of work; so are a care assistant and a home carer.
The engine reads a text's meaning at two grains: its nearest occupations, and its nearest
*families* of occupations, so that a seeker who wants one job also meets the work next to it.

How the families are made: every occupation's meaning vector (``matching.engine.meaning``: the
sentence model's embedding of its label, averaged with that of its label and description) is
clustered by k-means (scikit-learn ``KMeans``, ``FAMILIES`` clusters, ``n_init=4``,
``random_state=0``, Euclidean on unit vectors, i.e. by cosine). The assignment is committed, so
the families do not depend on the machine that embeds; a family's centre is computed at load
time as the mean of its members' vectors. Each row names the family's most central occupation
as a plain-words label for people reading the file.

Columns: ``id`` (ESCO occupation UUID), ``preferred_label``, ``family`` (0 to FAMILIES - 1),
``family_label`` (the family's most central occupation). Sorted by family, then label.

Usage::

    python scripts/derive_occupation_families.py           # write the CSV
    python scripts/derive_occupation_families.py --check   # exit 1 if the CSV differs

The sentence model must be in place (``make venv`` puts it there). Re-running on the same model
and data writes the same file (k-means is seeded; ties cannot arise between float distances in
practice, and ``--check`` says if they did).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "matching" / "data" / "esco_occupation_families.csv"
CACHE = ROOT / "var" / "cache"


def families_csv() -> str:
    import numpy as np
    from sklearn.cluster import KMeans

    from matching.engine.meaning import FAMILIES, build_occupation_meaning, read_occupations

    rows = read_occupations()
    meaning = build_occupation_meaning()
    assert meaning.ids == [r["id"] for r in rows]
    km = KMeans(FAMILIES, n_init=4, random_state=0).fit(meaning.reps.astype(np.float64))
    labels = km.labels_
    central: dict[int, str] = {}
    for f in range(FAMILIES):
        members = np.flatnonzero(labels == f)
        centre = meaning.reps[members].mean(axis=0)
        best = members[int(np.argmax(meaning.reps[members] @ centre))]
        central[f] = rows[best]["preferred_label"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "preferred_label", "family", "family_label"])
    order = sorted(range(len(rows)), key=lambda i: (int(labels[i]), rows[i]["preferred_label"]))
    for i in order:
        f = int(labels[i])
        writer.writerow([rows[i]["id"], rows[i]["preferred_label"], f, central[f]])
    return out.getvalue()


def main() -> int:
    from derived import write_or_check

    return write_or_check(OUT, families_csv, __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
