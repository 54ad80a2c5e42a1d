"""Occupation fit: map each job title once to its nearest ESCO v1.2 occupations.

A title becomes a sparse vector over the 3,039 ESCO occupations: its top ``TOP_K`` occupations,
weighted by similarity and L2-normalised (``OccupationIndex.title_matrix``). The fit of two
titles is the cosine of their vectors, in [0, 1], so "HGV class 1 driver" and "LGV C+E driver"
meet because both land on "cargo vehicle driver"; the scoring loop multiplies sparse matrices
(``occupation_fit_matrix``) and never sees text. A seeker with several desired titles fits a
vacancy as well as their best title does (max over titles, not an average: wanting "care
assistant" or "cleaner" must not halve the fit with either).

Similarity of a title to an occupation is a weighted mean of three TF-IDF cosines:

* label (``LABEL_WEIGHT``): the best match among the occupation's labels. The source runs
  preferred and alternative labels together, so the run is cut into pseudo-labels after head
  nouns (words that end ESCO preferred labels), with short windows of pieces too long to be
  one label. Matching the whole run instead lets an occupation with 40 labels lose to one
  with three (top-1 67% instead of 82% before synonyms, on the tuning titles).
* preferred (``PREFERRED_WEIGHT``): the preferred label alone; breaks ties between "cashier"
  and "casino cashier", which both carry the label "cashier".
* document (``DOCUMENT_WEIGHT``): word TF-IDF over labels plus description.

Labels and titles are vectors of word 1-2 grams and character 3-5 grams inside word
boundaries (plurals, compounds, typos), each block L2-normalised and weighted. UK terms ESCO
lacks (HGV class 1, FLT, CSCS, RGN ...) are expanded from the committed, annotated
``matching/data/uk_job_titles_synonyms.csv`` before matching, and UK titles as people write
them ("brickie", "domestic", "lollipop lady") are more labels of the occupation a UK reader
means (``matching/data/uk_title_aliases.csv``).

Trade-off: string similarity, not meaning. On the hand-checked ``uk_job_titles.csv`` top-1 is
~86% on the titles used for tuning and 80% on held-out ones (top-3 ~93%); see
``matching/data/OCCUPATIONS.md``. Related but distinct occupations do not meet ("chef" and
"cook" share no top-5 occupation, fit 0): skills fit has to carry those. A title matching no
occupation above ``MIN_SIMILARITY`` (empty, nonsense) gets an empty row, fit 0 with everything:
treat it as "occupation unknown", not as a mismatch.

No Django import: numpy, scipy and scikit-learn only. Fitting takes ~2.5-3.3 s and ~85 MB RSS
and is done once per process (``load_occupations`` is cached).
"""

from __future__ import annotations

import csv
import gzip
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

__all__ = [
    "OccupationIndex",
    "Occupation",
    "build_index",
    "load_occupations",
    "normalise_title",
    "occupation_fit",
    "occupation_fit_matrix",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
OCCUPATIONS_CSV = DATA_DIR / "esco_occupations.csv.gz"
SYNONYMS_CSV = DATA_DIR / "uk_job_titles_synonyms.csv"
ALIASES_CSV = DATA_DIR / "uk_title_aliases.csv"

# --- tunables -----------------------------------------------------------------------------------
# Figures are top-1 on the 208 tuning titles of uk_job_titles.csv, measured while tuning (the
# final settings give 86.5%; bench/bench_occupations.py prints the current figures). One title
# is 0.5 points, so differences under ~1.5 points are noise.
#
# Word n-grams: (1,2) 85.6%, unigrams 84.1%, (1,3) 84.6%.
WORD_NGRAMS = (1, 2)
# Character n-grams (char_wb): (3,5) 85.6%, (2,4) 84.1%, (3,4) 84.1%, (2,5) 86.1%, (3,6) 85.6%;
# (3,5) is as good and cheaper than ranges starting at 2.
CHAR_NGRAMS = (3, 5)
# Block weights of the label vector space: char 2 : word 1 beat 1:1 and 0.5:1 by ~1 point.
# A third block for the title's head noun lost 2-5 points and was dropped.
WORD_WEIGHT = 1.0
CHAR_WEIGHT = 2.0
# Weights of the three similarities. Preferred 0.4 vs 0.2 / 0.7: +2 / +1 points; document
# anywhere in 0.1-0.4 was within a point.
LABEL_WEIGHT = 1.0
PREFERRED_WEIGHT = 0.4
DOCUMENT_WEIGHT = 0.3
# Row of a title: top K occupations weighted exp((s - s_best) / TEMPERATURE). Measured on all
# pairs of the 268 titles: with T = 0.2, K = 5 the 128 pairs expecting the same occupation have
# mean fit 0.70 (78% >= 0.5) and pairs from different sectors 0.001 (0.2% > 0.2); T = 0.05
# gives 0.68 (66%), T = 1 0.62 (66%) with twice the cross-sector noise; K = 10 0.72 (81%) for
# twice the non-zeros.
TOP_K = 5
TEMPERATURE = 0.2
# Occupations below this similarity are left out of a row. The hand-checked titles' best
# similarity is >= 0.22 ("bouncer", an alternative label the splitter leaves glued to its
# neighbours; the next lowest is 0.39); nonsense ("asdfgh", "lorem ipsum", "banana") scores
# 0.10-0.19, but common words pass ("the" 0.35, "football" 0.72: footballer).
MIN_SIMILARITY = 0.2
# Titles scored per dense block (BATCH x pseudo-labels float32, ~45 MB at 256).
BATCH = 256
ROW_CACHE_SIZE = 100_000  # title rows remembered per process (a town has a few thousand titles)
# A head noun ending at least this many preferred labels ("assistant", "operator") is not kept
# as a pseudo-label on its own (3: same, 10 or never: -0.5 points).
GENERIC_HEAD_COUNT = 5
# Pieces longer than this many words also give their 2-3 word windows ending in a head noun
# (no windows: 81.2%, 2: 83.2%, 4: 84.6%, 3: 85.6%).
WINDOW_OVER = 3
# Leading rank words ("senior", "trainee") are dropped from alternative labels while more than
# this many words remain (no change on either set of titles; kept so rank variants such as
# "assistant supermarket manager" do not outscore the occupation a title names).
RANK_KEEP = 2

_TOKEN = r"[a-z0-9+.]{2,}"
_RANKS = frozenset(
    "assistant deputy trainee graduate senior junior apprentice lead principal".split()
)
_CONNECTORS = frozenset("and of for in to & with on at the a an or".split())
_NOISE = re.compile(
    r"\b(part|full)[ -]?time\b|\btemporary\b|\btemp\b|\bnights?\b|\bdays\b|\bweekends?\b"
    r"|\bimmediate start\b|\bfixed[ -]term\b|\bbank\b(?= staff)"
)
_SALARY = re.compile(r"[£$€]\s*[\d.,]+\s*k?(\s*(ph|p/h|per hour|an hour|pa|per annum))?")


@dataclass(frozen=True)
class Occupation:
    id: str
    label: str


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _clean(text: str) -> str:
    """Lower-case, accent-fold, keep letters, digits, "+" and decimal points."""
    text = _fold(text).replace("&", " and ")
    text = re.sub(r"[^a-z0-9+.]+", " ", text)
    text = re.sub(r"(?<![0-9])\.|\.(?![0-9])", " ", text)
    return " ".join(text.split())


def normalise_title(title: str) -> str:
    """``_clean`` a job title after stripping advert noise: anything in brackets or after a
    " - " or "|", salaries, and shift or contract words ("Care Assistant - Nights £11.50ph"
    -> "care assistant")."""
    text = _fold(title)
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text)
    text = re.split(r"\s[-\u2013\u2014|]\s|\s*[|\u2013\u2014]\s*", text)[0]
    text = _SALARY.sub(" ", text)
    text = _NOISE.sub(" ", text)
    return _clean(text)


def strip_rank(text: str) -> str:
    """Drop leading rank words from an alternative label ("trainee supermarket manager" ->
    "supermarket manager").

    ESCO's alternative labels are full of rank variants ("assistant supermarket manager") that
    otherwise pull a title such as "supermarket assistant" towards the manager. A word goes
    only while more than ``RANK_KEEP`` words remain, so "assistant accountant" stays. Titles
    and preferred labels are left as they are ("deputy head teacher" is an occupation).
    """
    words = text.split()
    while len(words) > RANK_KEEP and words[0] in _RANKS:
        words = words[1:]
    return " ".join(words)


def _read_occupations(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _read_synonyms(path: Path) -> list[tuple[re.Pattern[str], str]]:
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            pattern = re.compile(r"(?<![a-z0-9+])(?:" + row["pattern"] + r")(?![a-z0-9+])")
            out.append((pattern, row["expansion"]))
    return out


def _read_aliases(path: Path, exclude: Iterable[str] = ()) -> dict[str, list[str]]:
    """UK titles as people write them, by ESCO occupation id: more labels of that occupation.
    Titles in ``exclude`` (compared normalised) are left out: a benchmark scoring those very
    titles must not find them in the index."""
    if not path.exists():
        return {}
    left_out = {normalise_title(t) for t in exclude}
    out: dict[str, list[str]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if normalise_title(row["title"]) not in left_out:
                out.setdefault(row["id"], []).append(row["title"])
    return out


@dataclass(frozen=True)
class _Vocabulary:
    """What ESCO's preferred labels say about label boundaries."""

    heads: frozenset[str]  # words that end preferred labels at least as often as not
    enders: frozenset[str]  # every word that ends some preferred label
    generic: frozenset[str]  # heads too common to stand alone ("assistant", "operator")
    preferred: frozenset[str]  # the preferred labels themselves


def _vocabulary(preferred_labels: Sequence[str]) -> _Vocabulary:
    last: Counter[str] = Counter()
    inner: Counter[str] = Counter()
    for label in preferred_labels:
        words = _fold(label).split()
        last[words[-1]] += 1
        inner.update(words[:-1])
    return _Vocabulary(
        heads=frozenset(w for w in last if last[w] >= inner[w]),
        enders=frozenset(last) - _CONNECTORS,
        generic=frozenset(w for w in last if last[w] >= GENERIC_HEAD_COUNT),
        preferred=frozenset(_fold(x) for x in preferred_labels),
    )


def split_labels(preferred: str, labels: str, vocab: _Vocabulary) -> list[str]:
    """Cut a run of ESCO labels into pseudo-labels.

    The preferred label opens the run. The rest is cut after a head noun (unless a connector
    such as "of" or "and" follows) and before a word that repeats the current label's first
    word ("forestry operations foreman forestry operations technician"). A lone generic head
    ("assistant") is dropped. Pieces still longer than ``WINDOW_OVER`` words (two labels whose
    boundary was missed, "... community staff nurse healthcarer adult nurse ...") also yield
    their 2- and 3-word windows that end in a word ending some preferred label.
    """
    pref = _fold(preferred)
    text = _fold(labels)
    rest = text[len(pref) :].split() if text.startswith(pref) else text.split()
    pieces: list[list[str]] = [pref.split()]
    cur: list[str] = []
    for i, w in enumerate(rest):
        if len(cur) >= 2 and w == cur[0] and cur[-1] not in _CONNECTORS:
            pieces.append(cur)
            cur = []
        cur.append(w)
        nxt = rest[i + 1] if i + 1 < len(rest) else None
        if w in vocab.heads and nxt not in _CONNECTORS and not (nxt or "").startswith("("):
            pieces.append(cur)
            cur = []
    if cur:
        pieces.append(cur)
    out: list[str] = []
    for words in pieces:
        if len(words) == 1 and words[0] in vocab.generic and words[0] not in vocab.preferred:
            continue
        out.append(" ".join(words))
        if len(words) > WINDOW_OVER:
            for end in range(1, len(words)):
                if words[end] not in vocab.enders:
                    continue
                for size in (2, 3):
                    start = end - size + 1
                    if start >= 0 and words[start] not in _CONNECTORS:
                        out.append(" ".join(words[start : end + 1]))
    seen: dict[str, None] = {_clean(preferred): None}
    for label in out[1:]:
        label = strip_rank(_clean(label))
        if label:
            seen.setdefault(label, None)
    return list(seen)


class OccupationIndex:
    """ESCO occupations and the fitted vector spaces that map titles onto them."""

    def __init__(
        self,
        rows: Sequence[dict[str, str]],
        synonyms: Sequence[tuple[re.Pattern[str], str]] = (),
        aliases: dict[str, list[str]] | None = None,
    ):
        self.occupations = [Occupation(r["id"], r["preferred_label"]) for r in rows]
        self.ids = [o.id for o in self.occupations]
        self.labels = [o.label for o in self.occupations]
        self.position = {oid: i for i, oid in enumerate(self.ids)}
        self.n = len(self.occupations)
        self.synonyms = list(synonyms)

        vocab = _vocabulary(self.labels)
        pseudo: list[str] = []
        owner: list[int] = []
        aliases = aliases or {}
        for i, r in enumerate(rows):
            labels = split_labels(r["preferred_label"], r["labels"], vocab)
            extra = map(normalise_title, aliases.get(r["id"], ()))
            labels += [a for a in dict.fromkeys(extra) if a and a not in labels]
            for label in labels:
                pseudo.append(label)
                owner.append(i)
        self.pseudo_labels = pseudo
        self._owner = np.asarray(owner, dtype=np.int32)
        # pseudo-labels are grouped by occupation: start offset of each group for reduceat
        self._starts = np.flatnonzero(np.r_[True, np.diff(self._owner) != 0])

        self._word = TfidfVectorizer(
            ngram_range=WORD_NGRAMS, sublinear_tf=True, token_pattern=_TOKEN
        )
        self._char = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True)
        encoded = self._combine(self._word.fit_transform(pseudo), self._char.fit_transform(pseudo))
        self._label_t = encoded.T.tocsr()
        # split_labels puts the preferred label first in each occupation's group
        self._pref_t = encoded[self._starts].T.tocsr()

        docs = [_clean(r["labels"] + " " + r["description"]) for r in rows]
        self._doc = TfidfVectorizer(
            ngram_range=WORD_NGRAMS,
            sublinear_tf=True,
            stop_words="english",
            token_pattern=_TOKEN,
        )
        self._doc_t = normalize(self._doc.fit_transform(docs)).T.tocsr().astype(np.float32)

    # --- text -> similarity ----------------------------------------------------------------
    def expand(self, title: str) -> str:
        """Normalised title plus the expansions of any UK synonym it contains."""
        text = normalise_title(title)
        extra = [exp for pat, exp in self.synonyms if pat.search(text)]
        return " ".join([text, *extra]) if extra else text

    @staticmethod
    def _combine(word: sp.spmatrix, char: sp.spmatrix) -> sp.csr_matrix:
        """Weighted concatenation of L2-normalised blocks; the result rows have norm 1."""
        blocks = [normalize(word) * np.sqrt(WORD_WEIGHT), normalize(char) * np.sqrt(CHAR_WEIGHT)]
        total = WORD_WEIGHT + CHAR_WEIGHT
        return (sp.hstack(blocks, format="csr") / np.sqrt(total)).astype(np.float32)

    def _encode(self, texts: Sequence[str]) -> sp.csr_matrix:
        return self._combine(self._word.transform(texts), self._char.transform(texts))

    def _similarity_expanded(self, expanded: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(expanded), self.n), dtype=np.float32)
        total = LABEL_WEIGHT + PREFERRED_WEIGHT + DOCUMENT_WEIGHT
        for lo in range(0, len(expanded), BATCH):
            batch = expanded[lo : lo + BATCH]
            q = self._encode(batch)
            best = np.maximum.reduceat((q @ self._label_t).toarray(), self._starts, axis=1)
            s = LABEL_WEIGHT * best
            if PREFERRED_WEIGHT:
                s += PREFERRED_WEIGHT * (q @ self._pref_t).toarray()
            if DOCUMENT_WEIGHT:
                d = normalize(self._doc.transform(batch)).astype(np.float32)
                s += DOCUMENT_WEIGHT * (d @ self._doc_t).toarray()
            out[lo : lo + BATCH] = s / total
        return np.clip(out, 0.0, 1.0, out=out)

    def similarity(self, titles: Sequence[str]) -> np.ndarray:
        """Dense (len(titles), n_occupations) similarity of each title to each occupation, in
        [0, 1]. Memory is len(titles) x 3,039 floats: use ``title_matrix`` for many titles."""
        return self._similarity_expanded([self.expand(t) for t in titles])

    # --- public API --------------------------------------------------------------------------
    def top(self, title: str, k: int = 5) -> list[tuple[str, str, float]]:
        """The ``k`` nearest occupations: ``[(occupation_id, preferred_label, similarity)]``,
        best first (for explanations and debugging; the engine uses ``title_matrix``)."""
        s = self.similarity([title])[0]
        order = np.argsort(-s, kind="stable")[:k]
        return [(self.ids[i], self.labels[i], float(s[i])) for i in order]

    def _rows(self, expanded: Sequence[str]) -> sp.csr_matrix:
        indptr = [0]
        indices: list[np.ndarray] = []
        data: list[np.ndarray] = []
        k = min(TOP_K, self.n)
        for lo in range(0, len(expanded), BATCH):
            s = self._similarity_expanded(expanded[lo : lo + BATCH])
            part = np.argpartition(-s, k - 1, axis=1)[:, :k]
            for row, cols in zip(s, part, strict=True):
                vals = row[cols]
                keep = vals >= MIN_SIMILARITY
                cols, vals = cols[keep], vals[keep]
                if len(vals):
                    w = np.exp((vals - vals.max()) / TEMPERATURE)
                    w /= np.linalg.norm(w)
                    order = np.argsort(cols)
                    indices.append(cols[order].astype(np.int32))
                    data.append(w[order].astype(np.float32))
                indptr.append(indptr[-1] + len(vals))
        return sp.csr_matrix(
            (
                np.concatenate(data) if data else np.zeros(0, np.float32),
                np.concatenate(indices) if indices else np.zeros(0, np.int32),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(len(expanded), self.n),
        )

    def title_matrix(self, titles: Sequence[str]) -> sp.csr_matrix:
        """Sparse float32 (len(titles), n_occupations): row i is title i over occupations.

        A row holds the title's top ``TOP_K`` occupations with similarity at or above
        ``MIN_SIMILARITY``, weighted ``exp((s - s_best) / TEMPERATURE)`` and L2-normalised, so
        the dot product of two rows is a cosine in [0, 1]. A title matching nothing that well
        (empty, nonsense) gives an empty row. Titles that normalise alike ("Care Assistant -
        Nights", "care assistant") are mapped once. Each title's row is remembered per process
        (the same vacancy and seeker titles come back on every recompute).
        """
        cache = self.__dict__.setdefault("_title_rows", {})
        missing = [t for t in dict.fromkeys(titles) if t not in cache]
        if len(cache) + len(missing) > ROW_CACHE_SIZE:
            cache.clear()
            missing = list(dict.fromkeys(titles))
        if missing:
            expanded = [self.expand(t) for t in missing]
            unique = list(dict.fromkeys(expanded))
            rows = self._rows(unique)
            where = {text: i for i, text in enumerate(unique)}
            for title, text in zip(missing, expanded, strict=True):
                lo, hi = rows.indptr[where[text]], rows.indptr[where[text] + 1]
                cache[title] = (rows.indices[lo:hi], rows.data[lo:hi])
        parts = [cache[t] for t in titles]
        indptr = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum([len(p[1]) for p in parts], out=indptr[1:])
        return sp.csr_matrix(
            (
                np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.float32),
                np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int32),
                indptr,
            ),
            shape=(len(titles), self.n),
        )

    def title_vector(self, title: str) -> sp.csr_matrix:
        """Sparse (1, n_occupations) row for one title (see ``title_matrix``)."""
        return self.title_matrix([title])

    def fit(self, seeker_titles: Sequence[str], vacancy_title: str) -> float:
        """Occupation fit of a seeker's desired titles with one vacancy title, in [0, 1]
        (convenience for one pair; the engine should use ``occupation_fit_matrix``)."""
        if not seeker_titles:
            return 0.0
        return occupation_fit(self.title_matrix(seeker_titles), self.title_vector(vacancy_title))

    def contributions(
        self, seeker_titles: Sequence[str], vacancy_title: str, k: int = 3
    ) -> list[tuple[str, str, float]]:
        """The occupations behind a fit: ``[(occupation_id, preferred_label, contribution)]``
        for the seeker title that fits best, largest contribution first; contributions add up
        to the fit."""
        if not seeker_titles:
            return []
        seeker = self.title_matrix(seeker_titles)
        vacancy = self.title_vector(vacancy_title).toarray()[0]
        products = seeker.multiply(vacancy).tocsr()
        best = int(np.argmax(np.asarray(products.sum(axis=1)).ravel()))
        row = products.getrow(best)
        order = np.argsort(-row.data, kind="stable")[:k]
        return [
            (self.ids[j], self.labels[j], float(v))
            for j, v in zip(row.indices[order], row.data[order], strict=True)
            if v > 0
        ]


def occupation_fit(seeker_rows: sp.spmatrix, vacancy_row: sp.spmatrix) -> float:
    """Fit of one seeker (one or more title rows) with one vacancy title row, in [0, 1].

    The seeker's fit is the best over their desired titles: the maximum cosine of any of
    their rows with the vacancy's row (rows are L2-normalised and non-negative).
    """
    if seeker_rows.shape[0] == 0:
        return 0.0
    dots = (sp.csr_matrix(seeker_rows) @ sp.csr_matrix(vacancy_row).T).toarray()
    return float(np.clip(dots.max(), 0.0, 1.0))


def occupation_fit_matrix(
    seeker_rows: sp.spmatrix, seeker_of_row: np.ndarray, n_seekers: int, vacancy_rows: sp.spmatrix
) -> sp.csr_matrix:
    """Fit of every seeker with every vacancy: sparse (n_seekers, n_vacancies) in [0, 1].

    ``seeker_rows`` stacks every seeker's title rows; ``seeker_of_row[i]`` is the seeker (0 ..
    n_seekers-1) that row ``i`` belongs to. Each entry is the maximum over the seeker's rows of
    the cosine with the vacancy row (``occupation_fit`` for all pairs, as one sparse product).
    Pairs with no shared occupation are absent (fit 0).
    """
    seeker_of_row = np.asarray(seeker_of_row)
    if seeker_of_row.shape[0] != seeker_rows.shape[0]:
        raise ValueError("seeker_of_row must have one entry per seeker row")
    prod = (sp.csr_matrix(seeker_rows) @ sp.csr_matrix(vacancy_rows).T).tocoo()
    rows = seeker_of_row[prod.row].astype(np.int64)
    cols = prod.col.astype(np.int64)
    n_vac = vacancy_rows.shape[0]
    if prod.nnz == 0:
        return sp.csr_matrix((n_seekers, n_vac), dtype=np.float32)
    key = rows * n_vac + cols
    order = np.argsort(key, kind="stable")
    key, vals = key[order], prod.data[order]
    starts = np.flatnonzero(np.r_[True, np.diff(key) != 0])
    best = np.maximum.reduceat(vals, starts)
    uniq = key[starts]
    return sp.csr_matrix(
        (np.clip(best, 0.0, 1.0).astype(np.float32), (uniq // n_vac, uniq % n_vac)),
        shape=(n_seekers, n_vac),
    )


def build_index(
    occupations_csv: Path = OCCUPATIONS_CSV,
    synonyms_csv: Path | None = SYNONYMS_CSV,
    aliases_csv: Path | None = ALIASES_CSV,
    *,
    exclude_titles: Iterable[str] = (),
) -> OccupationIndex:
    """Read the committed data and fit a fresh index (uncached; see ``load_occupations``),
    without the UK title aliases equal to ``exclude_titles``."""
    synonyms = _read_synonyms(synonyms_csv) if synonyms_csv else []
    aliases = _read_aliases(aliases_csv, exclude_titles) if aliases_csv else {}
    return OccupationIndex(_read_occupations(occupations_csv), synonyms, aliases)


@lru_cache(maxsize=1)
def load_occupations() -> OccupationIndex:
    """The occupation index, fitted once per process."""
    return build_index()
