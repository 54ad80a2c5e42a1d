"""TF-IDF weights over skill keys, so a rare skill counts more than "communication".

The IDF is fitted with scikit-learn (``TfidfTransformer``, binary terms, smoothed IDF) over one
document per seeker and per vacancy: each document is the set of that person's or vacancy's skill
keys. A seeker's vector is the IDF of each key they hold; a vacancy's is the IDF of each key it
asks for, times ``ESSENTIAL_BOOST`` for essential keys; both L2-normalised, so their dot product
is a cosine in [0, 1]. A key the fit never saw (an incremental run after a new skill appeared)
gets the IDF of a key in no document, the largest there is: new and rare look alike.
Skills are also compared by meaning: each taxonomy skill belongs to a family of kin
(``matching/data/skill_families.csv.gz``, derived by ``scripts/derive_skill_families.py``:
k-means over the sentence model's vectors of the skills), and a list of skills is read as its
keys plus one ``kin:<family>`` key per family it touches, weighted like any key by its IDF
(times ``weights.SKILL_KIN``). Near-synonyms ESCO holds side by side ("lift heavy weights",
"apply various lifting techniques") then meet on their shared kin key, for part of what the
same skill would give; a list compared with itself still has a cosine of 1. Kin keys are never
essential and never named as skills in reasons.
Trade-off: fitting over everyone makes a seeker's scores depend slightly on everyone else's
skills, so an incremental run should reuse the space of the last full run (``to_dict`` /
``from_dict``) or refit over all current skill lists (cheap: about a second for a city).
"""

from __future__ import annotations

import csv
import gzip
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer

from matching.engine import weights
from matching.engine.model import Seeker, Vacancy

__all__ = ["KIN", "SKILL_FAMILIES", "SkillSpace", "VacancySkills", "kin_of", "with_kin"]

SKILL_FAMILIES = 1000  # families of kin over the ~13,400 taxonomy skills
FAMILIES_FILE = Path(__file__).resolve().parent.parent / "data" / "skill_families.csv.gz"
KIN = "kin:"  # the key of a family of skills


@lru_cache(maxsize=1)
def _families() -> dict[str, str]:
    """Taxonomy id -> its family's kin key (empty when the file is not there). UK licences and
    cards have none: one is held or not, and a licence near another by its words (the clusters
    put the CSCS card beside software skills) is no part of it."""
    if not FAMILIES_FILE.exists():
        return {}
    with gzip.open(FAMILIES_FILE, "rt", encoding="utf-8") as f:
        rows = csv.DictReader(f)
        return {r["id"]: f"{KIN}{r['family']}" for r in rows if not r["id"].startswith("uk:")}


def kin_of(key: str) -> str | None:
    """The kin key of a taxonomy skill's family (None for a phrase kept as text)."""
    return _families().get(key)


def with_kin(keys: Iterable[str]) -> list[str]:
    """``keys`` (distinct, in order) followed by the kin keys of their families."""
    keys = list(dict.fromkeys(keys))
    families = _families()
    return keys + list(dict.fromkeys(families[k] for k in keys if k in families))


class SkillSpace:
    """IDF per skill key. Build with ``fit``; ``weight`` gives any key's IDF."""

    def __init__(self, keys: Sequence[str], idf: Sequence[float], n_documents: int):
        if len(keys) != len(idf):
            raise ValueError("keys and idf differ in length")
        self.keys = list(keys)
        self.idf = np.asarray(idf, dtype=np.float64)
        self.n_documents = int(n_documents)
        self._idf = dict(zip(self.keys, self.idf.tolist(), strict=True))
        # smooth_idf: idf = ln((1 + n) / (1 + df)) + 1; a key in no document has df = 0.
        self.unseen_idf = math.log(1 + self.n_documents) + 1.0

    @classmethod
    def fit(cls, seekers: Iterable[Seeker], vacancies: Iterable[Vacancy]) -> SkillSpace:
        """Fit the IDF over every seeker's skills and every vacancy's asked skills."""
        documents = [s.skills for s in seekers]
        documents += [v.asked_skills() for v in vacancies]
        return cls.fit_documents(documents)

    @classmethod
    def fit_documents(cls, documents: Sequence[Sequence[str]]) -> SkillSpace:
        """Fit the IDF over documents, each a list of skill keys (repeats count once) read with
        their kin keys.

        The document-term matrix is built with numpy (a dict lookup per key, no per-document
        Python work) and handed to scikit-learn's ``TfidfTransformer`` for the IDF.
        """
        documents = [d for d in documents if d]
        if not documents:
            return cls([], [], 0)
        lookup: dict[str, int] = {}
        owner, ids = _with_kin_codes(*_codes(documents, lookup, extend=True), lookup)
        n_keys = len(lookup)
        codes = _unique(owner * n_keys + ids)
        counts = sp.csr_matrix(
            (np.ones(codes.shape[0]), (codes // n_keys, codes % n_keys)),
            shape=(len(documents), n_keys),
        )
        transformer = TfidfTransformer(norm=None, smooth_idf=True).fit(counts)
        return cls(list(lookup), transformer.idf_, len(documents))

    def weight(self, key: str) -> float:
        idf = self._idf.get(key, self.unseen_idf)
        return idf * weights.SKILL_KIN if key.startswith(KIN) else idf

    # --- vectors as dicts (explanations, the reference scorer) ----------------------------------
    def seeker_vector(self, skills: Iterable[str]) -> dict[str, float]:
        """Return the seeker's L2-normalised vector as {key: weight}."""
        raw = {k: self.weight(k) for k in with_kin(skills)}
        return _normalised(raw)

    def vacancy_vector(self, vacancy: Vacancy) -> dict[str, float]:
        """Return the vacancy's L2-normalised vector, essential keys boosted, as {key: weight}."""
        essential = set(vacancy.essential_skills)
        raw = {
            k: self.weight(k) * (weights.ESSENTIAL_BOOST if k in essential else 1.0)
            for k in with_kin(vacancy.asked_skills())
        }
        return _normalised(raw)

    # --- vectors as CSR matrices (the batch) -----------------------------------------------------
    def vacancy_matrix(self, vacancies: Sequence[Vacancy]) -> VacancySkills:
        """Return the vacancies' skill rows (essential keys boosted, L2-normalised), their
        essential-key pattern, and the columns: one per key some vacancy asks for."""
        n = len(vacancies)
        columns: dict[str, int] = {}
        owner, col = _codes([v.asked_skills() for v in vacancies], columns, True)
        owner, col = _with_kin_codes(owner, col, columns)
        e_owner, e_col = _codes([v.essential_skills for v in vacancies], columns, False)
        n_cols = max(1, len(columns))
        codes = _unique(owner * n_cols + col)
        e_codes = _unique(e_owner * n_cols + e_col)
        idf = np.array([self.weight(k) for k in columns], dtype=np.float64)
        owner, col = codes // n_cols, codes % n_cols
        boost = np.where(np.isin(codes, e_codes), weights.ESSENTIAL_BOOST, 1.0)
        matrix = _normalised_rows(owner, col, idf[col] * boost, n, len(columns))
        essential = _rows_csr(
            e_codes // n_cols, e_codes % n_cols, np.ones(e_codes.shape[0]), n, len(columns)
        )
        return VacancySkills(matrix, essential, columns, idf)

    def seeker_matrix(self, seekers: Sequence[Seeker], columns: VacancySkills) -> sp.csr_matrix:
        """Return the seekers' L2-normalised rows over the vacancies' columns.

        Keys no vacancy asks for still count in the seeker's norm, but have no column: they can
        never match, so they are left out of the matrix.
        """
        n = len(seekers)
        lookup = dict(columns.columns)
        n_cols = len(lookup)
        owner, key = _with_kin_codes(*_codes([s.skills for s in seekers], lookup, True), lookup)
        n_keys = max(1, len(lookup))
        codes = _unique(owner * n_keys + key)
        owner, key = codes // n_keys, codes % n_keys
        extra = [self.weight(k) for k in list(lookup)[n_cols:]]
        idf = np.concatenate([columns.idf, np.array(extra, dtype=np.float64)])
        w = idf[key]
        norm = np.sqrt(np.bincount(owner, weights=w * w, minlength=n))
        keep = key < n_cols
        w = w[keep] / norm[owner[keep]]
        return _rows_csr(owner[keep], key[keep], w, n, n_cols)

    def to_dict(self) -> dict:
        """Return a JSON-able form (keys, idf, n_documents) for reuse by incremental runs."""
        return {"keys": self.keys, "idf": self.idf.tolist(), "n_documents": self.n_documents}

    @classmethod
    def from_dict(cls, data: Mapping) -> SkillSpace:
        return cls(data["keys"], data["idf"], data["n_documents"])


@dataclass(frozen=True)
class VacancySkills:
    """The vacancies' side of the skill vectors: rows, essential pattern and columns."""

    matrix: sp.csr_matrix  # one L2-normalised row per vacancy
    essential: sp.csr_matrix  # 1 at each essential key
    columns: dict[str, int]  # key -> column
    idf: np.ndarray  # IDF per column


def _codes(lists: Sequence[Sequence[str]], lookup: dict[str, int], extend: bool):
    """Return (owner row, key id) arrays for every key of every list; ids come from ``lookup``,
    which is extended with new keys when ``extend`` (else every key must be in it)."""
    lengths = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
    flat = itertools.chain.from_iterable(lists)
    if extend:
        ids = [lookup.setdefault(k, len(lookup)) for k in flat]
    else:
        ids = [lookup[k] for k in flat]
    owner = np.repeat(np.arange(len(lists), dtype=np.int64), lengths)
    return owner, np.asarray(ids, dtype=np.int64).reshape(-1)


def _unique(codes: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array. ``np.unique`` takes a hash path in numpy
    2.4 that was far slower than sorting on these codes: with it, bench-town's skill-space fit
    took 0.15 s, with this 0.03 s (``bench/bench_engine.py --quick``, "of which")."""
    codes = np.sort(codes)
    return codes[np.r_[True, codes[1:] != codes[:-1]]] if codes.size else codes


def _with_kin_codes(owner: np.ndarray, ids: np.ndarray, lookup: dict[str, int]):
    """``(owner, ids)`` (from ``_codes``) with, for every entry whose key has a family, one more
    entry for the family's kin key (``with_kin`` over arrays: a look-up per distinct key, not per
    entry); ``lookup`` is extended with the kin keys. Repeats are left for the caller's unique."""
    families = _families()
    kin_id = np.full(len(lookup), -1, dtype=np.int64)
    for key, i in list(lookup.items()):
        kin = families.get(key)
        if kin is not None:
            kin_id[i] = lookup.setdefault(kin, len(lookup))
    kin = kin_id[ids] if ids.size else ids
    has = kin >= 0
    return np.concatenate([owner, owner[has]]), np.concatenate([ids, kin[has]])


def _normalised_rows(owner, col, w, n_rows, n_cols) -> sp.csr_matrix:
    norm = np.sqrt(np.bincount(owner, weights=w * w, minlength=n_rows))
    return _rows_csr(owner, col, w / norm[owner] if w.size else w, n_rows, n_cols)


def _rows_csr(owner, col, vals, n_rows, n_cols) -> sp.csr_matrix:
    """Build a CSR matrix from entries already sorted by (row, column)."""
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=n_rows), out=indptr[1:])
    return sp.csr_matrix(
        (np.asarray(vals, dtype=np.float64), np.asarray(col, dtype=np.int32), indptr),
        shape=(n_rows, max(1, n_cols)),
    )


def _normalised(raw: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in raw.values()))
    if norm == 0.0:
        return {}
    return {k: w / norm for k, w in raw.items()}
