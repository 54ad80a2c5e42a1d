"""Text meaning as occupations: a job title, a vacancy's description, a person's own words become
a sparse vector over the 3,039 ESCO occupations by sentence embedding, so that the engine compares
meaning through the same sparse occupation channel as titles (``occupations.py``) and never sees
text in its scoring loop.

Method. Each occupation is represented by the mean of two unit embeddings (its preferred label;
its label and description), renormalised. A text's embedding is compared with all of them; its
``TOP_K`` nearest occupations above ``FLOOR`` are kept, weighted by (cosine - FLOOR), and the row
is L2-normalised. Two texts then fit as the cosine of their rows: "forklift driver" and "reach
truck operator" meet on the occupations both are near, whatever their letters.

Chosen on the tuning titles of ``matching/data/uk_job_titles.csv`` (never the held-out ones),
as a ranking of 104 occupations (vacancy = ESCO label and description) for each title, with
``bench/bench_quality.py --tuning-only --sweep``: meaning rows alone MRR 0.808, the lexical
title mapper alone 0.945 (its labels are ESCO's own), the blend (``weights.TITLE_LEXICAL`` /
``TEXT_MEANING``) 0.958; with every vacancy titled "operative", so that only the descriptions
tell, the blend still reaches 0.933. Of ``TOP_K`` {5, 10, 20} x ``FLOOR`` {0, 0.3}, 10 with 0.3
ranked as well as any (0.958) at half the occupations per row of 20, which is what the engine's
sparse products pay for.

Two grains. The nearest occupations say what a text is; they rarely overlap for two texts about
neighbouring jobs (a kitchen porter and a chef de partie share no occupation). So each text is
also read at a coarser grain, against ``FAMILIES`` families of occupations (k-means over the
occupations' vectors, committed as ``esco_occupation_families.csv`` by
``scripts/derive_occupation_families.py``): its ``FAMILY_TOP_K`` nearest families above
``FAMILY_FLOOR``, weighted the same way, in columns of their own after the occupations'. A row
is the two parts side by side, weighted so that the dot product of two rows is
``weights.OCCUPATION_NEAR`` times their occupations' cosine plus ``weights.OCCUPATION_FAMILY``
times their families'. The trade-off: rows hold about ten more columns, so more pairs share
something and are scored (``bench/bench_engine.py`` prints what that costs).

Cost. The occupations are embedded once (about a minute of one core) and kept under the cache
folder, keyed by the model and the data; a text after that is one embedding (a few ms, in the
worker) and one (3039 x 384) product. No Django import.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from matching.engine import weights
from matching.engine.textmodel import DATA_DIR, MODEL_ID, load_text_model

__all__ = [
    "FAMILIES",
    "FAMILY_PREFIX",
    "FLOOR",
    "MEANING_ID",
    "TOP_K",
    "OccupationMeaning",
    "blend",
    "clauses",
    "load_occupation_meaning",
    "read_occupations",
    "row_width",
]

TOP_K = 10  # nearest occupations kept per text
FLOOR = 0.3  # a cosine below this says nothing about a text's occupation
# A blended row's weights below this are dropped (then the row is renormalised): they make
# pairs that share almost nothing, fill lists with them and cost a reasons build each. On the
# tuning titles (the same sweep) 0.1 ranked as well (MRR 0.958 against 0.953 without), 0.15
# and 0.2 worse (0.949, 0.938); ``bench/bench_service.py`` wrote 93,862 rows for the demo town
# with it, 97,144 without.
MIN_SHARE = 0.1
OCCUPATIONS_FILE = DATA_DIR / "esco_occupations.csv.gz"
# Families of occupations (kinds of work). Chosen on the tuning adverts and titles (never the
# held-out ones) with ``bench/bench_quality.py --tuning-only --sweep``: precision at 10 on the
# tuning adverts from the title 0.609 with 500 families, their 10 nearest above 0.2 (0.562
# without families), 0.613 with 250, 0.609 with 1,000, 0.592 with the 5 nearest, 0.613 above a
# floor of 0.3; tuning-title MRR 0.957 to 0.962 for all of them. The differences are within
# the set's noise; 500 sits between the coarse and the fine.
FAMILIES = 500
FAMILY_TOP_K = 10
FAMILY_FLOOR = 0.2
FAMILIES_FILE = DATA_DIR / "esco_occupation_families.csv"
FAMILY_PREFIX = "family:"  # a row's key for a family, beside the occupations' ESCO ids

# Skills named in a text (a vacancy's description, a seeker's own words) are read clause by clause
# by the skill normaliser (in a worker, by meaning too) and offered to the person, who confirms
# them: they never enter the matching unconfirmed. At most SUGGESTIONS per text.
SUGGESTIONS = 8
MAX_CLAUSES = 60
# What a stored reading was made with: a row made otherwise is read again.
# The families' file by its hash too: re-derived families renumber, and stored rows name them.
_FAMILIES_HASH = hashlib.sha256(FAMILIES_FILE.read_bytes()).hexdigest()[:8]
MEANING_ID = (
    f"{MODEL_ID}:occ-{TOP_K}-{FLOOR}:fam-{FAMILIES}-{FAMILY_TOP_K}-{FAMILY_FLOOR}"
    f"-{_FAMILIES_HASH}:skills-{SUGGESTIONS}"
)
_CLAUSE_SPLIT = re.compile(r"[.;:!?\n\r\u2022\u2023\u25e6\u2043*]+|,\s|\s[-\u2013]\s")


@dataclass(frozen=True)
class OccupationMeaning:
    ids: list[str]  # ESCO occupation ids, in the order of ``reps``' rows
    reps: np.ndarray  # (n occupations, dims) float32, unit rows
    families: np.ndarray | None = None  # (FAMILIES, dims) float32, unit rows: family centres

    def rows(self, vectors: np.ndarray) -> list[dict[str, float]]:
        """For each text vector, its nearest occupations as {ESCO id: weight} and its nearest
        families as {"family:<n>": weight}, each part of unit length (empty for a text near
        nothing, or a blank one)."""
        if len(vectors) == 0:
            return []
        vectors = np.asarray(vectors, dtype=np.float32)
        near = _nearest(vectors @ self.reps.T, TOP_K, FLOOR, self.ids)
        if self.families is None:
            return near
        names = [f"{FAMILY_PREFIX}{f}" for f in range(len(self.families))]
        kinds = _nearest(vectors @ self.families.T, FAMILY_TOP_K, FAMILY_FLOOR, names)
        return [{**a, **b} for a, b in zip(near, kinds, strict=True)]


def _nearest(sims: np.ndarray, top_k: int, floor: float, names: list[str]) -> list[dict]:
    """Each row's ``top_k`` best columns above ``floor`` as {name: weight}, weighted by how far
    above, unit length, best first."""
    k = min(top_k, sims.shape[1])
    top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    out = []
    for i in range(sims.shape[0]):
        cols = top[i]
        weights = np.maximum(sims[i, cols] - floor, 0.0).astype(np.float64)
        norm = float(np.sqrt((weights * weights).sum()))
        if norm == 0.0:
            out.append({})
            continue
        order = np.argsort(-weights, kind="stable")
        out.append(
            {
                names[int(cols[j])]: round(float(weights[j] / norm), 6)
                for j in order
                if weights[j] > 0.0
            }
        )
    return out


def row_width(n_occupations: int) -> int:
    """Columns of an occupation row: the occupations, then the families."""
    return n_occupations + FAMILIES


def read_occupations() -> list[dict[str, str]]:
    with gzip.open(OCCUPATIONS_FILE, "rt", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _family_centres(meaning: OccupationMeaning) -> np.ndarray:
    """Each family's centre: the mean of its members' vectors, unit length."""
    at = {oid: i for i, oid in enumerate(meaning.ids)}
    members: list[list[int]] = [[] for _ in range(FAMILIES)]
    with open(FAMILIES_FILE, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["id"] in at:
                members[int(row["family"])].append(at[row["id"]])
    centres = np.zeros((FAMILIES, meaning.reps.shape[1]), dtype=np.float32)
    for fam, rows in enumerate(members):
        if rows:
            centre = meaning.reps[rows].mean(axis=0)
            centres[fam] = centre / max(float(np.linalg.norm(centre)), 1e-12)
    return centres


def _data_hash() -> str:
    return hashlib.sha256(OCCUPATIONS_FILE.read_bytes()).hexdigest()[:12]


def build_occupation_meaning() -> OccupationMeaning:
    """Embed every occupation (label; label and description) and average the two. The family
    centres are added at load (``load_occupation_meaning``), from the committed families."""
    rows = read_occupations()
    model = load_text_model()
    labels = model.embed([r["preferred_label"] for r in rows])
    described = model.embed([f"{r['preferred_label']}. {r['description']}" for r in rows])
    reps = labels + described
    reps /= np.maximum(np.linalg.norm(reps, axis=1, keepdims=True), 1e-12)
    return OccupationMeaning([r["id"] for r in rows], reps.astype(np.float32))


def _with_families(meaning: OccupationMeaning) -> OccupationMeaning:
    return OccupationMeaning(meaning.ids, meaning.reps, _family_centres(meaning))


_LOADED: dict[Path, OccupationMeaning] = {}


def load_occupation_meaning(cache_dir: Path | str) -> OccupationMeaning:
    """The occupations' vectors: from ``cache_dir`` when made already by this model from this
    data, else built (about a minute) and kept there. Once per process."""
    cache_dir = Path(cache_dir)
    if cache_dir in _LOADED:
        return _LOADED[cache_dir]
    path = cache_dir / f"occupation-meaning-{MODEL_ID}-{_data_hash()}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as data:
            meaning = OccupationMeaning([str(i) for i in data["ids"]], data["reps"])
    else:
        meaning = build_occupation_meaning()
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial.npz")
        np.savez(partial, ids=np.asarray(meaning.ids), reps=meaning.reps)
        partial.replace(path)
    meaning = _with_families(meaning)
    _LOADED[cache_dir] = meaning
    return meaning


def blend(
    lexical: sp.csr_matrix, meanings: list[dict[str, float]], position: dict[str, int]
) -> sp.csr_matrix:
    """Each row of ``lexical`` (a title by its words, over the occupations in ``position``'s
    order) blended with the matching text's meaning row ({ESCO id or "family:<n>": weight};
    empty when not known). The occupations part is words and meaning weighted as
    ``weights.TITLE_LEXICAL`` / ``TEXT_MEANING`` say, renormalised; the families part follows
    in columns of its own (``row_width``), the two weighted so that a dot product of two rows
    is ``OCCUPATION_NEAR`` x occupations' cosine + ``OCCUPATION_FAMILY`` x families' (a row's
    length is 1 with both parts, less with one)."""
    near: tuple[list, list, list] = ([], [], [])
    kinds: tuple[list, list, list] = ([], [], [])
    for r, meaning in enumerate(meanings):
        for key, weight in meaning.items():
            if key.startswith(FAMILY_PREFIX):
                part, col = kinds, int(key[len(FAMILY_PREFIX) :])
            else:
                part, col = near, position.get(key)
            if col is not None:
                part[0].append(r)
                part[1].append(col)
                part[2].append(weight)
    shape = lexical.shape
    meaning_rows = sp.csr_matrix((near[2], (near[0], near[1])), shape=shape, dtype=np.float64)
    mixed = weights.TITLE_LEXICAL * lexical + weights.TEXT_MEANING * meaning_rows
    mixed = _unit(mixed)
    # Occupations with a small share of a row make pairs that share almost nothing: dropped.
    mixed.data[mixed.data < MIN_SHARE] = 0.0
    mixed.eliminate_zeros()
    family = sp.csr_matrix(
        (kinds[2], (kinds[0], kinds[1])), shape=(shape[0], FAMILIES), dtype=np.float64
    )
    # Not renormalised: a row with one part only (words before its meaning is read; a text near
    # no occupation but near some families) keeps that part's weight, so it never meets another
    # row for more than that part gives.
    return sp.hstack(
        [
            np.sqrt(weights.OCCUPATION_NEAR) * _unit(mixed),
            np.sqrt(weights.OCCUPATION_FAMILY) * _unit(family),
        ],
        format="csr",
    )


def _unit(matrix: sp.csr_matrix) -> sp.csr_matrix:
    return sp.csr_matrix(sp.diags(1.0 / _norms(matrix)) @ matrix)


def _norms(matrix: sp.csr_matrix) -> np.ndarray:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0.0] = 1.0
    return norms


def clauses(text: str) -> list[str]:
    """The clauses of a text a skill could be named in: split at sentence ends, list marks and
    commas; each of one to twelve words."""
    out = []
    for part in _CLAUSE_SPLIT.split(text or ""):
        words = part.split()
        if 1 <= len(words) <= 12 and len(part.strip()) > 2:
            out.append(" ".join(words))
    return list(dict.fromkeys(out))[:MAX_CLAUSES]
