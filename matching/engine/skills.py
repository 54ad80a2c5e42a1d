"""Skill normaliser: map typed skill phrases to ESCO v1.1.1 / UK-licence taxonomy ids.

A skill is keyed by its taxonomy id (``esco:<uuid>``, ``uk:<slug>``) or, when a typed
phrase matches nothing well enough, by its normalised text (``text:<normalised>``).

Method (chosen by measurement: ``bench/bench_skills.py``, ``matching/data/SKILLS.md``):

1. ``normalise_text``; an exact hit on one of the ~95,000 distinct normalised labels (ESCO
   preferred + alternative labels, a few curated aliases, UK licences; an alternative label
   resolves to its concept) wins, also after stripping advert filler ("excellent ... skills").
2. Otherwise shortlist ``SHORTLIST_SIZE`` labels by a char-trigram TF-IDF product over an
   index without the commonest n-grams, rerank them by ``ALPHA * cosine + (1 - ALPHA) *
   rapidfuzz.ratio``, and take the best that scores ``MATCH_THRESHOLD`` or more *and* passes
   a word-coverage gate (the label says no more, and the phrase little more, than the other).
3. Otherwise no id: the engine keys the phrase ``text:...``.

Trade-off: a full rapidfuzz scan is perfect on typos but costs ~21 ms/phrase at this size;
TF-IDF alone is fast but ranks near-misses by n-gram overlap only; shortlist + rerank keeps
99.8% top-1 on one-typo labels at ~0.5 ms/phrase. The gate trades a little recall for not
mapping broad words onto narrow concepts ("care" -> "food care"). String similarity cannot
infer meaning: advert phrases that need it ("resilient" -> "deal with uncertainty") stay
unmatched or land on a lexical neighbour (49% top-1 on Nesta's hand-labelled set).

Typeahead (``suggest``) uses a sorted-label prefix range and a word-prefix inverted index
(posting lists laid out in vocabulary order, so a prefix is one contiguous slice), with the
fuzzy shortlist as a fallback for typos.
"""

from __future__ import annotations

import bisect
import csv
import gzip
import os
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist
from sklearn.feature_extraction.text import TfidfVectorizer

__all__ = [
    "DATA_DIR",
    "SkillTaxonomy",
    "core_phrase",
    "load_taxonomy",
    "normalise_text",
    "skill_key",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# --- tunables -------------------------------------------------------------------------------
# Figures: bench/bench_skills.py, full ESCO (95,228 labels), 2 cores, Python 3.11. Sets: 49
# hand-labelled UK advert phrases ("hand"), 1,000 labels with one / two random edits
# ("typo1/2"), 530 junk strings (share wrongly given an id). Defaults score hand 49.0%,
# typo1 99.8%, typo2 97.9%, junk 0.4%, at 0.48 ms/phrase in batches of 10.
#
# Character n-grams inside word boundaries. With the coverage gate, (3,3), (3,4) and (2,4)
# scored the same on every set; (3,3) has a third of (2,4)'s non-zeros: load 2.1 s vs 7 s,
# +96 MB vs +191 MB RSS, 0.33 vs 0.63 ms/phrase.
NGRAM_RANGE = (3, 3)
# N-grams found in more than this share of labels are left out of the shortlist index (kept
# for the reranking cosine). 0.02 halves the shortlist cost but lost 1.5 (typo1) and 3.4
# (typo2) points.
SHORTLIST_MAX_DF = 0.05
# Labels reranked per phrase. 50 scored the same bar typo2 -0.2 points; 100 is the margin.
SHORTLIST_SIZE = 100
# Rerank score = ALPHA * TF-IDF cosine + (1 - ALPHA) * rapidfuzz.ratio / 100. 0.7 lost 2.1
# points of typo2; 0.3 lost 2 hand-labelled rows. Cosine alone (no rerank) reached typo2
# 96.2%; a full rapidfuzz.ratio scan is perfect on typos but costs ~21 ms/phrase and
# agreed less with the advert mappings; token_sort/WRatio full scans were worse and slower.
ALPHA = 0.5
# Minimum rerank score. 0.55 accepted 0.8% of junk (0.4% at 0.60); 0.65 lost 2 hand rows;
# 0.70 cut typo2 to 95.3%.
MATCH_THRESHOLD = 0.60
# Phrases shorter than this (after filler stripping) are only matched exactly: two letters
# carry too few n-grams to say anything ("it", "hr" would otherwise land anywhere).
MIN_FUZZY_CHARS = 3
# Word-level gate on a fuzzy match. Two words are "near" when equal, one is the other plus an
# inflection, they share a prefix of 4+ chars covering STEM_SHARE_MIN of the shorter
# ("attention"/"attend"), or they are within 1 edit (OSA; 2 if longer than WORD_TYPO_LONG).
# A word with no near word still counts if it sits, give or take an edit, inside the other
# side with spaces removed (fuzz.partial_ratio >= SPLIT_WORD_MIN; "cleanrooms"): without
# this the gate cost 4 points of typo1.
# LABEL_COVERAGE_MIN: share of the label's content-word characters (less stop words, lead
# verbs such as "operate"/"manage", head nouns such as "thinking"/"techniques") near a typed
# word. It stops a broad phrase landing on a narrower concept that merely contains it
# ("care" -> "food care", "driving" -> "driving test", "nursing" -> "tree nursing"). No gate:
# junk accepted 1.7% instead of 0.4%; 0.67 accepted 0.6%; 0.8 cost typo2 0.4 points.
# QUERY_COVERAGE_MIN: the same for the typed words ("data entry" must not become "data");
# lower because adverts pad phrases; 0.75 left 29% of hand phrases unmatched instead of 16%.
LABEL_COVERAGE_MIN = 0.75
QUERY_COVERAGE_MIN = 0.5
WORD_TYPO_LONG = 5
SPLIT_WORD_MIN = 85
STEM_SHARE_MIN = 0.75
# Typeahead ranking, in characters of label length (lower is better): a label that does not
# start with the typed text, an alternative label, a last word only partly typed; curated
# UK licence/alias entries get a bonus. Hand-set for sensible "fork"/"care"/"hgv" lists;
# ESCO has no popularity data to rank by.
SUGGEST_NOT_AT_START = 10
SUGGEST_ALT_PENALTY = 8
SUGGEST_PARTIAL_WORD = 6
SUGGEST_CURATED_BONUS = 10
# Typeahead with no prefix match (a typo) falls back to fuzzy (TF-IDF) candidates from this
# prefix length on, keeping those above SUGGEST_FUZZY_FLOOR whose words cover every typed
# word. The floor is under MATCH_THRESHOLD because a prefix is shorter than the label it is
# heading for ("forklfit" scores 0.55 against "operate forklift").
SUGGEST_FUZZY_MIN_CHARS = 4
SUGGEST_FUZZY_FLOOR = 0.4
# Upper bound on cached normalised phrases per process (cleared, not evicted, when full).
CACHE_MAX = 200_000

_PREC_CURATED, _PREC_ESCO_PREFERRED, _PREC_ESCO_ALT = 0, 1, 2
_Match = tuple[int, float, bool]  # (label index or -1, rerank score, accepted)
_STOPWORDS = frozenset("a an and or the of for in on to with by at from as into".split())
_SUFFIXES = frozenset("s es d ed r er ers ing ings ment ments ly al".split())
_LEAD_VERBS = frozenset(
    "use using operate operating perform performing apply applying manage managing conduct "
    "conducting carry carrying out provide providing handle handling maintain maintaining "
    "undertake ensure follow work working be have show demonstrate practise practice execute "
    "implement do make take keep give".split()
)
# Generic nouns that head many ESCO labels ("analytical thinking", "teamwork principles").
_GENERIC_NOUNS = frozenset(
    "thinking skill skills technique techniques principles methods tasks activities "
    "procedures practices".split()
)

_APOS = re.compile(r"['\u2019\u2018`]")
_AMP = re.compile(r"\s*&\s*")
_PLUS = re.compile(r"\b([a-z0-9])\s*\+\s*([a-z0-9])\b")  # "C + E" -> "c+e"
_NON_WORD = re.compile(r"[^a-z0-9+#]+")
_LONE_SYMBOLS = re.compile(r"(?:(?<=\s)|^)[+#]+(?=\s|$)")

# Advert filler around the skill itself ("excellent communication skills", "knowledge of
# SQL", "HGV licence essential"). Used only for matching; ``text:`` keys keep the full text.
_FILLER_LEAD = re.compile(
    r"^(?:(?:good|very|excellent|exceptional|outstanding|strong|proven|solid|sound|great|"
    r"effective|basic|advanced|demonstrable|demonstrated|previous|prior|relevant|some|full|"
    r"valid|current|clean|must have|essential|desirable|ideally|a|an|the)\s+)+"
)
_FILLER_OF = re.compile(
    r"^(?:working\s+)?(?:knowledge|experience|understanding|awareness|ability|able|"
    r"proficiency|proficient|competence|competent|skilled|confident|familiarity|familiar|"
    r"expertise|capable)\s+(?:of|in|with|to|using|at)\s+"
)
_FILLER_TAIL = re.compile(
    r"(?:\s+(?:skills?|skillset|abilities|ability|experience|knowledge|essential|required|"
    r"desirable|preferred))+$"
)


def normalise_text(s: str) -> str:
    """Lowercase, fold accents, drop punctuation and squeeze whitespace.

    ``+`` and ``#`` survive inside words so "C++", "C#" and "C+E" stay distinct from "C";
    apostrophes vanish ("driver's" -> "drivers") and "&" reads "and".
    """
    if not s:
        return ""
    s = str(s)
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s)
        s = "".join(c for c in s if not unicodedata.combining(c))
    s = _APOS.sub("", s.lower())
    s = _AMP.sub(" and ", s)
    s = _NON_WORD.sub(" ", s)
    s = _PLUS.sub(r"\1+\2", s)
    s = _LONE_SYMBOLS.sub(" ", s)
    return " ".join(s.split())


def core_phrase(normalised: str) -> str:
    """Strip advert filler from an already normalised phrase (never returns empty)."""
    core = normalised
    for _ in range(3):
        stripped = _FILLER_OF.sub("", _FILLER_LEAD.sub("", core))
        if stripped == core:
            break
        core = stripped
    core = _FILLER_TAIL.sub("", core) or core
    return core or normalised


def skill_key(item: dict | str) -> str:
    """The engine's key for a skill: its taxonomy id, else ``text:<normalised typed text>``.

    ``item`` is a dict from ``SkillTaxonomy.normalise`` or a plain string; a string that is
    already a key (``esco:``, ``esco-group:``, ``uk:``, ``text:``) is returned unchanged.
    """
    if isinstance(item, dict):
        if item.get("id"):
            return item["id"]
        return "text:" + normalise_text(item.get("typed", ""))
    if item.startswith(("esco:", "esco-group:", "uk:", "text:")):
        return item
    return "text:" + normalise_text(item)


def _word_near(a: str, b: str) -> bool:
    """Same word give or take a typo, an inflection or a derivation ("clean"/"cleaning")."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and long_.startswith(short) and long_[len(short) :] in _SUFFIXES:
        return True
    # Shared stem: "attention"/"attend", "solving"/"solve", "enthusiastic"/"enthusiasm".
    stem = len(os.path.commonprefix([a, b]))
    if stem >= 4 and stem >= STEM_SHARE_MIN * len(short):
        return True
    allowed = 1 if len(long_) <= WORD_TYPO_LONG else 2
    return OSA.distance(a, b, score_cutoff=allowed) <= allowed


def _found(word: str, words: list[str], joined: str) -> bool:
    """``word`` is near one of ``words``, or (a space typed or lost) inside ``joined``."""
    if any(_word_near(word, w) for w in words):
        return True
    return len(word) <= len(joined) and fuzz.partial_ratio(word, joined) >= SPLIT_WORD_MIN


def _coverage(query: str, label: str) -> tuple[float, float]:
    """Shares of (label, query) content-word characters that have a near word on the other side.

    Generic ESCO lead verbs ("operate forklift", "manage payroll") and head nouns ("analytical
    thinking") do not count against the label, since people type the core word.
    """
    qwords = [w for w in query.split() if w not in _STOPWORDS] or query.split()
    lwords = [w for w in label.split() if w not in _STOPWORDS] or label.split()
    lcontent = [w for w in lwords if w not in _LEAD_VERBS and w not in _GENERIC_NOUNS] or lwords
    qjoined, ljoined = "".join(qwords), "".join(lwords)
    l_total = sum(len(w) for w in lcontent)
    l_hit = sum(len(w) for w in lcontent if _found(w, qwords, qjoined))
    q_total = sum(len(w) for w in qwords)
    q_hit = sum(len(w) for w in qwords if _found(w, lwords, ljoined))
    return (l_hit / l_total if l_total else 0.0), (q_hit / q_total if q_total else 0.0)


def _read_csv(path: Path) -> Iterable[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


class SkillTaxonomy:
    """All ESCO skill labels plus UK licences, indexed for matching and typeahead."""

    def __init__(
        self,
        data_dir: Path | str = DATA_DIR,
        *,
        ngram_range: tuple[int, int] = NGRAM_RANGE,
        shortlist_max_df: float = SHORTLIST_MAX_DF,
        shortlist_size: int = SHORTLIST_SIZE,
        alpha: float = ALPHA,
        threshold: float = MATCH_THRESHOLD,
        label_coverage: float = LABEL_COVERAGE_MIN,
        query_coverage: float = QUERY_COVERAGE_MIN,
        use_aliases: bool = True,
        exclude_alt_labels: Iterable[tuple[str, str]] = (),
    ) -> None:
        # exclude_alt_labels: (esco:<uuid>, label) pairs whose ESCO alternative label (compared
        # after normalise_text) is left out of the index, to measure accuracy on labels held
        # out of it (bench/bench_skills.py). Empty by default.
        self._excluded_alts = frozenset(
            (cid, normalise_text(lab)) for cid, lab in exclude_alt_labels
        )
        self.shortlist_size = shortlist_size
        self.alpha = alpha
        self.threshold = threshold
        self.label_coverage = label_coverage
        self.query_coverage = query_coverage
        self.use_aliases = use_aliases
        self._load_concepts(Path(data_dir))
        self._build_fuzzy_index(ngram_range, shortlist_max_df)
        self._build_prefix_index()
        self._cache: dict[str, _Match] = {}

    # ---------------------------------------------------------------- loading
    def _load_concepts(self, data_dir: Path) -> None:
        ids: list[str] = []
        labels: list[str] = []
        index: dict[str, int] = {}
        # normalised label -> (precedence, concept id, concept index, display label, is_alt)
        best: dict[str, tuple[int, str, int, str, int]] = {}

        def add(label: str, concept: int, precedence: int, is_alt: int) -> None:
            norm = normalise_text(label)
            if not norm:
                return
            # A label shared by several concepts goes to the curated entry (UK licence or
            # alias), else to the concept whose preferred label it is, else the lowest id.
            cand = (precedence, ids[concept], concept, label, is_alt)
            old = best.get(norm)
            if old is None or cand[:2] < old[:2]:
                best[norm] = cand

        for row in _read_csv(data_dir / "esco_skills.csv.gz"):
            index[row["id"]] = len(ids)
            ids.append("esco:" + row["id"])
            labels.append(row["preferred_label"])
            add(row["preferred_label"], len(ids) - 1, _PREC_ESCO_PREFERRED, 0)
        excluded = self._excluded_alts
        for row in _read_csv(data_dir / "esco_skills_alt_labels.csv.gz"):
            if excluded and ("esco:" + row["id"], normalise_text(row["alt_label"])) in excluded:
                continue
            add(row["alt_label"], index[row["id"]], _PREC_ESCO_ALT, 1)
        if self.use_aliases:
            for row in _read_csv(data_dir / "esco_skills_aliases.csv"):
                add(row["alias"], index[row["id"]], _PREC_CURATED, 1)
        for row in _read_csv(data_dir / "uk_licences.csv"):
            ids.append(row["id"])
            labels.append(row["label"])
            add(row["label"], len(ids) - 1, _PREC_CURATED, 0)
            for alt in filter(None, row["alt_labels"].split("|")):
                add(alt, len(ids) - 1, _PREC_CURATED, 1)

        self.concept_ids: list[str] = ids
        self.concept_labels: list[str] = labels
        self._concept_of_id = {cid: i for i, cid in enumerate(ids)}
        self.labels: list[str] = sorted(best)  # normalised, sorted: enables prefix ranges
        self._label_index = {lab: i for i, lab in enumerate(self.labels)}
        self.label_concept = np.fromiter((best[lab][2] for lab in self.labels), np.int32)
        self.label_display: list[str] = [best[lab][3] for lab in self.labels]
        self.label_is_alt = np.fromiter((best[lab][4] for lab in self.labels), np.int8)
        self.label_is_curated = np.fromiter(
            (best[lab][0] == _PREC_CURATED for lab in self.labels), bool
        )

    def _build_fuzzy_index(self, ngram_range: tuple[int, int], max_df: float) -> None:
        self._vectoriser = TfidfVectorizer(
            analyzer="char_wb", ngram_range=ngram_range, sublinear_tf=True, dtype=np.float32
        )
        x = self._vectoriser.fit_transform(self.labels).tocsr()  # rows L2-normalised
        self._x = x
        df = np.bincount(x.indices, minlength=x.shape[1]) / x.shape[0]
        keep = (df <= max_df).astype(np.float32)
        # features x labels with the common n-grams' rows emptied: the shortlist product then
        # only walks short posting lists, and queries need no column slicing.
        xt = (sp.diags(keep) @ x.T.tocsr()).tocsr()
        xt.eliminate_zeros()
        self._xt_shortlist = xt

    def _build_prefix_index(self) -> None:
        postings: dict[str, list[int]] = {}
        for i, lab in enumerate(self.labels):
            for word in set(lab.split()):
                postings.setdefault(word, []).append(i)
        self._vocab = sorted(postings)
        offsets = np.zeros(len(self._vocab) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(postings[w]) for w in self._vocab])
        self._vocab_offsets = offsets
        self._postings = np.fromiter(
            (i for w in self._vocab for i in postings[w]), np.int32, count=int(offsets[-1])
        )
        lengths = np.fromiter((len(lab) for lab in self.labels), np.int32)
        self._suggest_rank = (
            lengths
            + SUGGEST_ALT_PENALTY * self.label_is_alt
            - SUGGEST_CURATED_BONUS * self.label_is_curated
        ).astype(np.int64)

    # ---------------------------------------------------------------- matching
    def label_of(self, concept_id: str) -> str | None:
        """Preferred label of a taxonomy id, or None."""
        i = self._concept_of_id.get(concept_id)
        return None if i is None else self.concept_labels[i]

    def _exact(self, norm: str) -> int | None:
        i = self._label_index.get(norm)
        return None if i is None else i

    def _shortlist(self, queries: list[str]):
        """Per query: candidate label indices and their full-TF-IDF cosines."""
        q = self._vectoriser.transform(queries).tocsr()
        sims = (q @ self._xt_shortlist).tocsr()
        x = self._x
        dense_q = np.zeros(x.shape[1], dtype=np.float32)
        out = []
        k = self.shortlist_size
        for r in range(len(queries)):
            lo, hi = sims.indptr[r], sims.indptr[r + 1]
            cand, data = sims.indices[lo:hi], sims.data[lo:hi]
            if len(cand) > k:
                cand = cand[np.argpartition(-data, k)[:k]]
            if not len(cand):
                out.append((cand, np.zeros(0, np.float32)))
                continue
            # Full-vocabulary cosine of the candidates: gather their CSR rows in one go.
            qlo, qhi = q.indptr[r], q.indptr[r + 1]
            dense_q[q.indices[qlo:qhi]] = q.data[qlo:qhi]
            starts, ends = x.indptr[cand], x.indptr[cand + 1]
            lens = ends - starts
            offsets = np.zeros(len(cand), dtype=np.int64)
            np.cumsum(lens[:-1], out=offsets[1:])
            idx = np.repeat(starts - offsets, lens) + np.arange(int(lens.sum()))
            cos = np.add.reduceat(x.data[idx] * dense_q[x.indices[idx]], offsets)
            dense_q[q.indices[qlo:qhi]] = 0.0
            out.append((cand, cos.astype(np.float32)))
        return out

    def _scores(self, query: str, cand: np.ndarray, cos: np.ndarray) -> np.ndarray:
        labels = self.labels
        ratio = cdist([query], [labels[c] for c in cand], scorer=fuzz.ratio, dtype=np.float32)[0]
        return self.alpha * cos + (1.0 - self.alpha) * ratio / 100.0

    def _covered(self, query: str, label: str) -> bool:
        if self.label_coverage <= 0 and self.query_coverage <= 0:
            return True
        label_cov, query_cov = _coverage(query, label)
        return label_cov >= self.label_coverage and query_cov >= self.query_coverage

    def _rerank(self, query: str, cand: np.ndarray, cos: np.ndarray) -> _Match:
        """Best candidate scoring >= threshold whose words pass the coverage gate; if there
        is none, the top candidate with ``accepted`` False (kept for diagnostics)."""
        if not len(cand):
            return -1, 0.0, False
        score = self._scores(query, cand, cos)
        order = np.argsort(-score, kind="stable")
        for j in order:
            if score[j] < self.threshold:
                break
            if self._covered(query, self.labels[cand[j]]):
                return int(cand[j]), float(score[j]), True
        return int(cand[order[0]]), float(score[order[0]]), False

    def _match(self, norms: list[str]) -> list[_Match]:
        """(label index or -1, score, accepted) for each normalised phrase."""
        results: list[_Match | None] = [None] * len(norms)
        fuzzy: list[int] = []
        cores: list[str] = []
        for n, norm in enumerate(norms):
            core = core_phrase(norm)
            hit = self._exact(norm)
            if hit is None:
                hit = self._exact(core)
            if hit is not None:
                results[n] = (hit, 1.0, True)
            elif len(core) < MIN_FUZZY_CHARS:
                results[n] = (-1, 0.0, False)
            else:
                fuzzy.append(n)
                cores.append(core)
        if cores:
            for n, core, (cand, cos) in zip(fuzzy, cores, self._shortlist(cores), strict=True):
                results[n] = self._rerank(core, cand, cos)
        return results  # type: ignore[return-value]

    def normalise(self, phrases: Iterable[str]) -> list[dict]:
        """Map typed phrases to taxonomy ids.

        Returns one ``{"typed", "id", "label", "score"}`` per distinct skill, in first-seen
        order: phrases that normalise to the same text, or resolve to the same id, collapse
        to the first. ``id``/``label`` are None unless a label scored at
        least the threshold and passed the coverage gate; ``score`` is the best rerank score
        in [0, 1] (1.0 for an exact label), reported even when the match was refused.
        """
        if isinstance(phrases, str):
            phrases = [phrases]
        typed: list[tuple[str, str]] = []
        for p in phrases:
            if p is None:
                continue
            norm = normalise_text(p)
            if norm:
                typed.append((str(p).strip(), norm))
        todo = list(dict.fromkeys(n for _, n in typed if n not in self._cache))
        if todo:
            if len(self._cache) + len(todo) > CACHE_MAX:
                self._cache.clear()
            for norm, res in zip(todo, self._match(todo), strict=True):
                self._cache[norm] = res
        out: list[dict] = []
        seen: set[str] = set()
        for raw, norm in typed:
            label_i, score, accepted = self._cache[norm]
            if accepted:
                concept = int(self.label_concept[label_i])
                item = {
                    "typed": raw,
                    "id": self.concept_ids[concept],
                    "label": self.concept_labels[concept],
                    "score": round(score, 3),
                }
            else:
                item = {"typed": raw, "id": None, "label": None, "score": round(score, 3)}
            key = skill_key(item)
            if key not in seen:
                seen.add(key)
                out.append(item)
        return out

    def explain(self, phrase: str) -> dict:
        """Diagnostics for one phrase: best label (even if refused), score, accepted."""
        norm = normalise_text(phrase)
        label_i, score, accepted = self._match([norm])[0] if norm else (-1, 0.0, False)
        concept = int(self.label_concept[label_i]) if label_i >= 0 else None
        return {
            "normalised": norm,
            "core": core_phrase(norm),
            "matched_label": self.labels[label_i] if label_i >= 0 else None,
            "id": self.concept_ids[concept] if concept is not None else None,
            "label": self.concept_labels[concept] if concept is not None else None,
            "score": round(score, 3),
            "accepted": accepted,
        }

    # ---------------------------------------------------------------- typeahead
    def _word_prefix_postings(self, token: str) -> np.ndarray:
        lo = bisect.bisect_left(self._vocab, token)
        hi = bisect.bisect_left(self._vocab, token + "\uffff", lo)
        return self._postings[self._vocab_offsets[lo] : self._vocab_offsets[hi]]

    def _word_postings(self, word: str) -> np.ndarray:
        i = bisect.bisect_left(self._vocab, word)
        if i < len(self._vocab) and self._vocab[i] == word:
            return self._postings[self._vocab_offsets[i] : self._vocab_offsets[i + 1]]
        return self._postings[:0]

    def _prefix_range(self, prefix: str) -> tuple[int, int]:
        lo = bisect.bisect_left(self.labels, prefix)
        return lo, bisect.bisect_left(self.labels, prefix + "\uffff", lo)

    def suggest(self, prefix: str, limit: int = 10) -> list[dict]:
        """Typeahead: up to ``limit`` ``{"id", "label", "matched_label"}``, one per concept.

        Candidates are labels in which every typed word starts a word. An exact label comes
        first; the rest rank by label length plus penalties (``SUGGEST_*``: not at the start,
        alternative label, last word only partly typed) minus a bonus for curated UK entries.
        When nothing matches by prefix (a typo), falls back to the fuzzy shortlist.
        """
        q = normalise_text(prefix)
        if not q or limit <= 0:
            return []
        tokens = q.split()
        # Candidates: labels containing a word starting with each typed token.
        sets = sorted((self._word_prefix_postings(t) for t in tokens), key=len)
        mask = np.zeros(len(self.labels), dtype=bool)
        mask[sets[0]] = True
        for other in sets[1:]:
            keep = np.zeros(len(self.labels), dtype=bool)
            keep[other] = True
            mask &= keep
        cand = np.flatnonzero(mask)  # sorted, unique

        key = self._suggest_rank[cand] + SUGGEST_NOT_AT_START
        lo, hi = self._prefix_range(q)
        key[(cand >= lo) & (cand < hi)] -= SUGGEST_NOT_AT_START
        whole_last = np.zeros(len(self.labels), dtype=bool)
        whole_last[self._word_postings(tokens[-1])] = True
        key[~whole_last[cand]] += SUGGEST_PARTIAL_WORD
        exact = self._label_index.get(q)
        if exact is not None:
            key[cand == exact] = -(10**6)
        take = min(len(cand), max(limit * 20, 200))
        if take < len(cand):
            part = np.argpartition(key, take - 1)[:take]
        else:
            part = np.arange(len(cand))
        order = part[np.argsort(key[part], kind="stable")]

        out: list[dict] = []
        seen: set[int] = set()
        for label_i in cand[order]:
            concept = int(self.label_concept[label_i])
            if concept in seen:
                continue
            seen.add(concept)
            out.append(self._suggestion(concept, int(label_i)))
            if len(out) >= limit:
                return out

        if not out and len(q) >= SUGGEST_FUZZY_MIN_CHARS:
            core = core_phrase(q)
            ((fcand, cos),) = self._shortlist([core])
            if len(fcand):
                score = self._scores(core, fcand, cos)
                for j in np.argsort(-score, kind="stable")[: limit * 5]:
                    if score[j] < SUGGEST_FUZZY_FLOOR:
                        break
                    # Mid-typing: every typed word must be near a label word; the label may
                    # say more than has been typed so far.
                    if _coverage(core, self.labels[fcand[j]])[1] < 1.0:
                        continue
                    concept = int(self.label_concept[fcand[j]])
                    if concept in seen:
                        continue
                    seen.add(concept)
                    out.append(self._suggestion(concept, int(fcand[j])))
                    if len(out) >= limit:
                        break
        return out

    def _suggestion(self, concept: int, label_i: int) -> dict:
        return {
            "id": self.concept_ids[concept],
            "label": self.concept_labels[concept],
            "matched_label": self.label_display[label_i],
        }


@lru_cache(maxsize=1)
def load_taxonomy() -> SkillTaxonomy:
    """The process-wide taxonomy, built on first use (a few seconds) from ``matching/data``."""
    return SkillTaxonomy()
