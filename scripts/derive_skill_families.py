#!/usr/bin/env python3
"""Derive ``matching/data/skill_families.csv.gz``: the taxonomy's skills in families of kin.

ESCO holds many near-synonyms side by side ("lift heavy weights" and "apply various lifting
techniques", "wash the dishes" and "clean kitchen equipment"), and two people describing the
same work often land on different ones. Matched by id alone they never meet. The engine also
compares skills by meaning through families (``matching/engine/skillspace.py``): skills of one
family share a "kin" key, so near-synonyms and close skills give a pair part of the credit an
exact skill gives.

How the families are made: each skill concept of the normaliser's taxonomy (ESCO v1.1.1 skills
and the UK licences) is represented by the mean of the sentence model's embeddings of its
preferred label and of the UK synonym list's phrases for it (the vectors the normaliser reads
by meaning), renormalised; the concepts are clustered by k-means (scikit-learn
``MiniBatchKMeans``, ``FAMILIES`` clusters, ``n_init=3``, ``batch_size=4096``,
``random_state=0``). The assignment is committed, so the families do not depend on the machine
that embeds.

Columns: ``id`` (``esco:<uuid>`` or ``uk:<licence>``), ``label``, ``family`` (0 to
FAMILIES - 1). Sorted by family, then label.

Usage::

    python scripts/derive_skill_families.py           # write the file
    python scripts/derive_skill_families.py --check   # exit 1 if it differs

Needs the sentence model (``make venv`` puts it there); about a minute.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "matching" / "data" / "skill_families.csv.gz"


def families_csv() -> str:
    import numpy as np
    from sklearn.cluster import MiniBatchKMeans

    from matching.engine.skills import SkillTaxonomy
    from matching.engine.skillspace import SKILL_FAMILIES

    taxonomy = SkillTaxonomy(semantic="sync")
    meaning = taxonomy._semantic
    if meaning is None:
        raise SystemExit("the sentence model is missing: run make venv first")
    n = len(taxonomy.concept_ids)
    vectors = np.zeros((n, meaning.matrix.shape[1]), dtype=np.float64)
    for concept, rows in meaning.rows.items():
        if 0 <= concept < n:
            v = meaning.matrix[rows].astype(np.float64).mean(axis=0)
            vectors[concept] = v / max(float(np.linalg.norm(v)), 1e-12)
    km = MiniBatchKMeans(SKILL_FAMILIES, n_init=3, batch_size=4096, random_state=0)
    labels = km.fit(vectors).labels_
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "label", "family"])
    order = sorted(range(n), key=lambda i: (int(labels[i]), taxonomy.concept_labels[i]))
    for i in order:
        writer.writerow([taxonomy.concept_ids[i], taxonomy.concept_labels[i], int(labels[i])])
    return out.getvalue()


def main() -> int:
    from derived import write_or_check

    return write_or_check(OUT, families_csv, __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
