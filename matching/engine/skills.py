"""Skill normaliser: map typed skill phrases to ESCO v1.1.1 / UK-licence taxonomy ids.

A skill is keyed by its taxonomy id (``esco:<uuid>``, ``uk:<slug>``) or, when a typed
phrase matches nothing well enough, by its normalised text (``text:<normalised>``). The
normaliser would rather say "not recognised" than give a wrong skill, and always offers up to
four alternatives a person can pick from (``normalise``'s ``alternatives``, ``candidates``).

Method (chosen by measurement: ``bench/bench_skills.py``, ``bench/bench_quality.py``,
``matching/data/SKILLS.md``), first route that settles wins:

1. Known non-skills: a phrase in the UK synonym list with id ``none`` ("own transport",
   "night shifts", "nvq level 2") is not recognised.
2. Exact: ``normalise_text``; one of the ~97,000 distinct normalised labels (ESCO preferred +
   alternative labels, curated aliases, UK licences and the UK synonym list
   ``uk_skill_synonyms.csv``, whose everyday phrases win over ESCO's own labels: "packing" is
   pack goods, not ESCO's packaging engineering), also after stripping filler ("excellent ...
   skills", "experience of ...", "... training").
3. Spelling: a typed word no label uses (nor as an inflection) is replaced by label words one
   plausible typo away (same first letter; a vowel for a vowel, a neighbouring key, "c"/"s"
   or two letters swapped: "hygeine", "scafolding"; not "skimming" -> "swimming"); exact again.
4. Same words: the bag of word lemmas (plurals, "-ing", "-ed" folded by the label vocabulary)
   equals a label's, with or without its lead verb ("carpet cleaning" = "clean carpets",
   "telehandler" = "operate telehandler"), when that names one concept.
5. Fuzzy: shortlist ``SHORTLIST_SIZE`` labels by a char-trigram TF-IDF product over an index
   without the commonest n-grams, rerank them by ``ALPHA * cosine + (1 - ALPHA) *
   rapidfuzz.ratio``, and take the best that scores ``MATCH_THRESHOLD`` or more *and* passes
   a word-coverage gate (the label says no more, and the phrase little more, than the other;
   a known word is never read as a typo of another: "filing" is not "tiling").
6. Meaning, when the sentence model (``textmodel.py``) and the cached label vectors are there:
   the phrase's embedding against each concept's preferred label and the synonym phrases
   confirms a gated-out fuzzy candidate, refuses a weak fuzzy one, finds a concept by meaning
   alone when close enough, or recognises a non-skill ("SEMANTIC_*" tunables). Without the
   model files the normaliser is lexical only and works the same otherwise.
7. Otherwise no id: the engine keys the phrase ``text:...``.

Trade-offs: exact routes cost ~0.5 ms a new phrase (alternatives from labels sharing its
rarest words), the fuzzy route ~1-3 ms, meaning ~5 ms more (one embedding); answers are
cached per process. A full rapidfuzz scan is perfect on typos but costs ~21 ms/phrase. The
gate trades recall for not mapping broad words onto narrow concepts ("care" -> "food care");
on held-out ESCO alternative labels it halved wrong answers (14% -> 7%) for 4 points of
top-1. On everyday phrases the UK synonym list does most of the work: what it does not hold
is the weak spot (``bench/bench_quality.py`` prints the figures with the tuning phrases left
out of it).

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
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein
from rapidfuzz.process import cdist
from sklearn.feature_extraction.text import TfidfVectorizer

__all__ = [
    "DATA_DIR",
    "SYNONYMS_CSV",
    "SkillTaxonomy",
    "core_phrase",
    "load_taxonomy",
    "normalise_text",
    "skill_key",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SYNONYMS_CSV = DATA_DIR / "uk_skill_synonyms.csv"
NOT_A_SKILL = "none"  # id of a synonym row naming something that is not a skill

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
# QUERY_COVERAGE_MIN: the same for the typed words ("data entry" must not become "data").
# Both were 0.75 / 0.5 (tuned on advert phrases, which pad); at 0.8 / 0.8, with typos allowed
# only for words no label uses, wrong answers on held-out ESCO alternative labels fell from
# 14% to 7% (top-1 73% -> 69%) and on the everyday tuning phrases, lexical only and without
# the synonym list, from 18.6% to 6.6% (top-1 38.4% -> 39.7%); one-typo labels 99.8% -> 97.3%.
# The extra words in "tig welding" ("welding"), "care planning" ("planning"), "own transport"
# ("transport") are what the old 0.5 let through.
LABEL_COVERAGE_MIN = 0.8
QUERY_COVERAGE_MIN = 0.8
WORD_TYPO_LONG = 5
# Weight of a first word that starts 3+ ESCO preferred labels (a verb, mostly) in the gate.
FIRST_VERB_WEIGHT = 0.5
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
# Confidence (``score``) of the routes that are not an exact label or a fuzzy rerank score:
# a label after correcting a typed word's spelling, and the same bag of word lemmas as a
# label ("carpet cleaning" = "clean carpets"), with or without the label's lead verb
# ("payroll" = "manage payroll").
SCORE_SPELLED = 0.9
SCORE_SAME_WORDS = 0.9
SCORE_SAME_CORE_WORDS = 0.8
# Spelling: a typed word of SPELL_MIN_CHARS+ letters that no label uses is replaced by the
# label words within 1 edit (OSA; SPELL_MAX_EDITS_LONG from SPELL_LONG_CHARS letters), the
# most frequent first, up to SPELL_VARIANTS variants of the phrase. Shorter words are left
# alone: four letters have too many neighbours ("eyfs" -> "eyes").
SPELL_MIN_CHARS = 5
SPELL_LONG_CHARS = 9
SPELL_MAX_EDITS_LONG = 2
SPELL_VARIANTS = 3
# Alternatives offered beside the answer (also when there is none), and the ranked pool kept
# per phrase for ``candidates``.
N_ALTERNATIVES = 4
CANDIDATE_POOL = 10
# Ranking of the candidate pool: fuzzy rerank score, plus this for a label that passes the
# word-coverage gate (its words are what was typed, give or take an inflection).
POOL_COVERED_BONUS = 0.1
POOL_COVERAGE_CHECKED = 12
# Meaning (sentence embeddings, ``matching/engine/textmodel.py``), used when the model files
# are there, for phrases no exact, spelling or same-words route settled. Cosines of the
# phrase with each concept's preferred label and UK synonym phrases (best per concept):
# - SEMANTIC_NONE_MIN: nearest is a "none" synonym ("night shifts") at least this close,
#   and closer than any skill: not recognised;
# - SEMANTIC_VETO_MAX: a fuzzy answer scoring under FUZZY_CONFIRM_MIN whose concept is less
#   close than this is refused ("potty" -> "pottery"); a high fuzzy score is a typo of a
#   label, which the model reads poorly ("prepare anapes");
# - FUZZY_CONFIRM_MIN / SEMANTIC_CONFIRM_MIN: a fuzzy candidate refused by the word gate
#   but scoring this much is accepted when meaning agrees this much ("evening babysitting");
# - SEMANTIC_MATCH_MIN: otherwise the nearest concept by meaning, if this close.
# Chosen on the tuning phrases with their own rows left out of the synonym list (bench:
# "tuning phrases left out"): top-1 71.5% -> 90.9%, wrong 3.3% -> 3.7%, top-5 96.7% ->
# 97.1%. SEMANTIC_MATCH_MIN 0.70 gave 90.9% / 5.8% wrong; 0.80 88.8% / 3.7%; 0.78 is between.
# Then re-chosen on the tuning and dev phrases together (444, both left out of the list; dev
# right by either labeller), since a wrong skill is worse than "not recognised": MATCH 0.78 ->
# 0.80 and CONFIRM 0.6 -> 0.7 took top-1 84.2% -> 84.0%, wrong 8.1% -> 6.5%, top-5 93.2% ->
# 93.7%; MATCH 0.815 gave 83.6% / 5.9%, CONFIRM 0.75 83.1% / 6.3%.
SEMANTIC_NONE_MIN = 0.85
SEMANTIC_VETO_MAX = 0.4
FUZZY_CONFIRM_MIN = 0.8
SEMANTIC_CONFIRM_MIN = 0.7
SEMANTIC_MATCH_MIN = 0.80
# Pool ranking with meaning: POOL_LEXICAL_WEIGHT * rerank key + the rest * cosine; a concept
# found by meaning only counts POOL_MEANING_ONLY_LEXICAL as its lexical part.
POOL_LEXICAL_WEIGHT = 0.7
POOL_MEANING_ONLY_LEXICAL = 0.3
SEMANTIC_POOL = 10
# Vectors of the texts above, computed once (~1-2 minutes on 2 cores) and kept here; a
# taxonomy built with ``semantic="auto"`` (the default) loads them if complete, else builds
# them in a background thread and uses meaning from when they are ready.
# ``JOBMATCH_SKILLS_SEMANTIC`` = off | auto | sync overrides the default.
SEMANTIC_CACHE = DATA_DIR.parent.parent / "var" / "cache" / "skill_text_vectors.npz"

_PREC_SYNONYM, _PREC_CURATED, _PREC_ESCO_PREFERRED, _PREC_ESCO_ALT = -1, 0, 1, 2
_Match = tuple[int, float, bool]  # (label index or -1, rerank score, accepted)
# (label index or -1, score, accepted, route, ranked pool of (concept index, score))
_Result = tuple[int, float, bool, str, tuple[tuple[int, float], ...]]


def _result(label_i: int, score: float, accepted: bool, route: str, pool: dict) -> _Result:
    """A phrase's result: its answer, and the ``CANDIDATE_POOL`` best of ``pool`` ({concept:
    (ranking key, confidence)}) by key, each with its confidence clipped to [0, 1]."""
    ranked = sorted(pool.items(), key=lambda kv: -kv[1][0])[:CANDIDATE_POOL]
    return (
        label_i,
        score,
        accepted,
        route,
        tuple((c, min(1.0, max(0.0, sc))) for c, (_, sc) in ranked),
    )


_STOPWORDS = frozenset("a an and or the of for in on to with by at from as into".split())
_SUFFIXES = frozenset("s es d ed r er ers ing ings ment ments ly al".split())
_LEAD_VERBS = frozenset(
    "use using operate operating perform performing apply applying manage managing conduct "
    "conducting carry carrying out provide providing handle handling maintain maintaining "
    "undertake ensure follow work working be have show demonstrate practise practice execute "
    "implement do make take keep give tend support offer assist help act deal guarantee "
    "observe establish".split()
)
# Generic nouns that head many ESCO labels ("analytical thinking", "teamwork principles").
_GENERIC_NOUNS = frozenset(
    "thinking skill skills technique techniques principles methods tasks activities "
    "procedures practices".split()
)
# Further words that do not count against a label in the coverage gate (but stay in its bag
# of words): the machine or system a task is done with.
_LIGHT_NOUNS = frozenset(
    "machine machines machinery equipment system systems software tools operations".split()
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
    r"valid|current|clean|must have|essential|desirable|ideally|i can|i have|i am|im|"
    r"have|can|lots of|plenty of|a lot of|years of|a|an|the)\s+)+"
)
_FILLER_OF = re.compile(
    r"^(?:working\s+)?(?:knowledge|experience|experienced|understanding|awareness|ability|"
    r"able|proficiency|proficient|competence|competent|skilled|confident|familiarity|familiar|"
    r"expertise|capable|trained|qualified|happy|willing|used|background)\s+"
    r"(?:of|in|with|to|using|at|on)\s+"
)
_FILLER_TAIL = re.compile(
    r"(?:\s+(?:skills?|skillset|abilities|ability|experience|knowledge|essential|required|"
    r"desirable|preferred|training|trained|certified|certificate|etc))+$"
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


def _word_near(a: str, b: str, typos: bool = True) -> bool:
    """Same word give or take an inflection, a derivation ("clean"/"cleaning") or, when
    ``typos``, a typo (never in words of three letters or fewer)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and long_.startswith(short) and long_[len(short) :] in _SUFFIXES:
        return True
    # Shared stem: "attention"/"attend", "solving"/"solve", "enthusiastic"/"enthusiasm".
    if a[:4] == b[:4]:
        stem = len(os.path.commonprefix([a, b]))
        if stem >= STEM_SHARE_MIN * len(short):
            return True
    if not typos or len(short) <= 2:
        return False
    allowed = 1 if len(long_) <= WORD_TYPO_LONG else 2
    return OSA.distance(a, b, score_cutoff=allowed) <= allowed


def _found(word: str, words: list[str], joined: str, typo_ok=None) -> bool:
    """``word`` is near one of ``words``, or (a space typed or lost) inside ``joined``.

    ``typo_ok(typed_word)`` says whether a typed word may be a typo (by default any may);
    ``word`` or ``words`` is the typed side as the caller knows."""
    if typo_ok is None:
        if any(_word_near(word, w) for w in words):
            return True
    else:
        flags = [typo_ok(w) for w in words]
        if any(_word_near(word, w, typo_ok(word) or f) for w, f in zip(words, flags, strict=True)):
            return True
        if not typo_ok(word) and not any(flags):
            return False  # known words only: no space was typed or lost
    return len(word) <= len(joined) and fuzz.partial_ratio(word, joined) >= SPLIT_WORD_MIN


def _coverage(query: str, label: str, typo_ok=None, verbs=frozenset()) -> tuple[float, float]:
    """Shares of (label, query) content-word characters that have a near word on the other side.

    Generic ESCO lead verbs ("operate forklift", "manage payroll") and head nouns ("analytical
    thinking") do not count against the label, since people type the core word; a first word
    that is one of ``verbs`` (words that start ESCO labels) counts ``FIRST_VERB_WEIGHT`` on
    either side ("supervise" / "oversee" extra-curricular activities). ``typo_ok``: see
    ``_found`` (label words are known words, so the typed word decides).
    """
    qwords = [w for w in query.split() if w not in _STOPWORDS] or query.split()
    lwords = [w for w in label.split() if w not in _STOPWORDS] or label.split()
    lcontent = [
        w
        for w in lwords
        if w not in _LEAD_VERBS and w not in _GENERIC_NOUNS and w not in _LIGHT_NOUNS
    ] or lwords
    qjoined, ljoined = "".join(qwords), "".join(lwords)

    def share(words: list[str], other: list[str], joined: str) -> float:
        total = hit = 0.0
        for n, w in enumerate(words):
            weight = len(w) * (FIRST_VERB_WEIGHT if n == 0 and w in verbs else 1.0)
            total += weight
            if _found(w, other, joined, typo_ok):
                hit += weight
        return hit / total if total else 0.0

    return share(lcontent, qwords, qjoined), share(qwords, lwords, ljoined)


_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_AT = {c: (r, i) for r, row in enumerate(_KEYBOARD) for i, c in enumerate(row)}
_VOWELS = frozenset("aeiouy")
_SOUND_ALIKE = frozenset({("c", "s"), ("s", "c"), ("s", "z"), ("z", "s"), ("c", "k"), ("k", "c")})


def _keys_near(a: str, b: str) -> bool:
    (ra, ia), (rb, ib) = _KEY_AT.get(a, (9, 0)), _KEY_AT.get(b, (-9, 0))
    return abs(ra - rb) <= 1 and abs(ia - ib) <= 1


def _plausible_typo(typed: str, word: str) -> bool:
    """Could ``typed`` be ``word`` mistyped? Same first letter (or its first two swapped),
    and each letter typed for another is a vowel for a vowel, a neighbouring key, a
    sound-alike ("c"/"s") or half of two swapped letters ("recieve"). "skimming" is not
    "swimming" ("k" for "w")."""
    if typed[0] != word[0] and typed[:2] != word[1::-1]:
        return False
    ops = Levenshtein.editops(typed, word)
    for n, op in enumerate(ops):
        if op.tag != "replace":
            continue
        a, b = typed[op.src_pos], word[op.dest_pos]
        if (a in _VOWELS and b in _VOWELS) or _keys_near(a, b) or (a, b) in _SOUND_ALIKE:
            continue
        pair = [o for o in ops[max(0, n - 1) : n + 2] if o is not op and o.tag == "replace"]
        if any(
            abs(o.src_pos - op.src_pos) == 1
            and typed[o.src_pos] == word[op.dest_pos]
            and typed[op.src_pos] == word[o.dest_pos]
            for o in pair
        ):
            continue
        return False
    return True


def _lemma_candidates(word: str) -> list[str]:
    """Base forms a word may be an inflection of: plural, "-ing", "-ed" ("cleaning" ->
    "clean", "making" -> "make", "shopping" -> "shop", "supplies" -> "supply")."""
    if len(word) < 4 or not word.isalpha():
        return []
    out = []
    if word.endswith("ies"):
        out.append(word[:-3] + "y")
    if word.endswith("es"):
        out.append(word[:-2])
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        out.append(word[:-1])
    for suf in ("ings", "ing", "ed"):
        base = word[: -len(suf)]
        if word.endswith(suf) and len(base) >= 3 and not (suf == "ed" and base.endswith("e")):
            out += [base, base + "e"]
            if len(base) >= 4 and (base[-1] == base[-2] or base.endswith("ck")):
                out.append(base[:-1])
            if suf == "ed" and base.endswith("i"):
                out.append(base[:-1] + "y")
            break
    return out


def _lemma(word: str, freq: dict[str, int]) -> str:
    """The commonest label word among ``word``'s base forms, else ``word`` itself."""
    best, best_f = word, 0
    for cand in _lemma_candidates(word):
        f = freq.get(cand, 0)
        if len(cand) >= 3 and f > best_f:
            best, best_f = cand, f
    return best


def _read_csv(path: Path) -> Iterable[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


_SETTLED_ROUTES = frozenset({"exact", "spelling", "same words", "not a skill"})


def _leading_run(owners: np.ndarray) -> int:
    """Length of the leading run ``owners[i] == i`` (the preferred-label rows)."""
    n = len(owners)
    same = owners == np.arange(n)
    return n if same.all() else int(np.argmin(same))


class _Meaning:
    """Sentence vectors of concept labels and synonym phrases, and the model for phrases."""

    def __init__(self, cache, matrix: np.ndarray, owners: np.ndarray) -> None:
        self.cache = cache  # textmodel.VectorCache: embeds (and keeps) typed phrases
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        self.owners = owners
        rows: dict[int, list[int]] = {}
        for r, c in enumerate(owners.tolist()):
            rows.setdefault(c, []).append(r)
        self.rows = {c: np.array(r, dtype=np.int64) for c, r in rows.items()}
        # Rows 0..n_concepts-1 are the concepts' preferred labels, in concept order.
        self.n_concepts = _leading_run(owners)
        self._neighbours: dict[int, list[tuple[int, float]]] = {}
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        with self._lock:  # onnxruntime sessions are thread-safe; the cache dict is not
            return self.cache.vectors(texts)

    def concept_sims(self, q: np.ndarray, k: int = 200) -> tuple[dict[int, float], float]:
        """Best cosine per concept among the ``k`` nearest rows, and the best "none" row."""
        sims = self.matrix @ q
        k = min(k, len(sims))
        top = np.argpartition(-sims, k - 1)[:k]
        out: dict[int, float] = {}
        none_best = 0.0
        for r in top[np.argsort(-sims[top])]:
            c, s = int(self.owners[r]), float(sims[r])
            if c < 0:
                none_best = max(none_best, s)
            elif c not in out:
                out[c] = s
        return out, none_best

    def neighbours(self, concept: int, pool: tuple) -> tuple:
        """``pool`` extended, up to CANDIDATE_POOL, with the concepts nearest ``concept`` by
        meaning (its first row against every concept's preferred label; kept per concept)."""
        near = self._neighbours.get(concept)
        if near is None:
            rows = self.rows.get(concept)
            if rows is None:
                return pool
            n = self.n_concepts
            sims = self.matrix[:n] @ self.matrix[rows[0]]
            top = np.argpartition(-sims, CANDIDATE_POOL + 1)[: CANDIDATE_POOL + 1]
            near = [(int(c), float(sims[c])) for c in top[np.argsort(-sims[top])] if c != concept]
            if len(self._neighbours) > 50_000:
                self._neighbours.clear()
            self._neighbours[concept] = near
        out = list(pool)
        seen = {c for c, _ in out}
        out += [(c, s) for c, s in near if c not in seen][: CANDIDATE_POOL - len(out)]
        return tuple(out)

    def sim(self, concept: int, q: np.ndarray) -> float:
        rows = self.rows.get(concept)
        return float((self.matrix[rows] @ q).max()) if rows is not None else 0.0


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
        use_synonyms: bool = True,
        exclude_synonyms: Iterable[str] = (),
        exclude_alt_labels: Iterable[tuple[str, str]] = (),
        semantic: str | bool | None = None,
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
        self.use_synonyms = use_synonyms
        # exclude_synonyms: phrases (compared after normalise_text) whose rows of the UK
        # synonym list are left out, to measure the rest of the method on them (the bench).
        self._excluded_synonyms = frozenset(normalise_text(p) for p in exclude_synonyms)
        self._load_concepts(Path(data_dir))
        self._build_fuzzy_index(ngram_range, shortlist_max_df)
        self._build_prefix_index()
        self._build_word_index()
        self._cache: dict[str, _Result] = {}
        self._semantic: _Meaning | None = None
        self._semantic_thread: threading.Thread | None = None
        if semantic is None:
            semantic = os.environ.get("JOBMATCH_SKILLS_SEMANTIC", "auto")
        if semantic is True:
            semantic = "sync"
        if semantic not in (False, "off"):
            self._start_semantic(str(semantic))

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
        # UK synonym list: everyday phrases as extra labels that win over every other label;
        # a row with id "none" names something that is not a skill ("own transport").
        self._not_skills: set[str] = set()
        synonyms = data_dir / SYNONYMS_CSV.name
        if self.use_synonyms and synonyms.exists():
            where = {cid: i for i, cid in enumerate(ids)}
            for row in _read_csv(synonyms):
                norm = normalise_text(row["phrase"])
                if norm in self._excluded_synonyms:
                    continue
                if row["id"] == NOT_A_SKILL:
                    self._not_skills.add(norm)
                else:
                    old = best.get(norm)
                    if old is None or old[2] != where[row["id"]]:  # same concept: keep it
                        add(row["phrase"], where[row["id"]], _PREC_SYNONYM, 1)

        self.concept_ids: list[str] = ids
        self.concept_labels: list[str] = labels
        self._concept_of_id = {cid: i for i, cid in enumerate(ids)}
        self.labels: list[str] = sorted(best)  # normalised, sorted: enables prefix ranges
        self._label_index = {lab: i for i, lab in enumerate(self.labels)}
        self.label_concept = np.fromiter((best[lab][2] for lab in self.labels), np.int32)
        self.label_display: list[str] = [best[lab][3] for lab in self.labels]
        self.label_is_alt = np.fromiter((best[lab][4] for lab in self.labels), np.int8)
        self.label_is_curated = np.fromiter(
            (best[lab][0] <= _PREC_CURATED for lab in self.labels), bool
        )
        self.label_precedence = np.fromiter((best[lab][0] for lab in self.labels), np.int8)

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

    def _build_word_index(self) -> None:
        """Word frequencies (labels using a word), lemmas, and the labels keyed by their bag
        of word lemmas: all content words (``_k_all``) and less lead verbs and generic head
        nouns (``_k_core``)."""
        freq = Counter(w for lab in self.labels for w in set(lab.split()))
        self._word_freq: dict[str, int] = dict(freq)
        self._lemmas: dict[str, str] = {w: _lemma(w, self._word_freq) for w in freq}
        self._spell_vocab = [w for w, _ in freq.most_common() if w.isalpha() and len(w) >= 3]
        first = Counter(normalise_text(lab).split(" ", 1)[0] for lab in self.concept_labels)
        self._label_verbs = frozenset(w for w, n in first.items() if n >= 3)
        self._spell_cache: dict[str, list[str]] = {}
        self._lead_lemmas = (
            frozenset(self.lemma(w) for w in _LEAD_VERBS | _GENERIC_NOUNS)
            | _LEAD_VERBS
            | _GENERIC_NOUNS
        )
        k_all: dict[str, list[int]] = {}
        k_core: dict[str, list[int]] = {}
        for i, lab in enumerate(self.labels):
            key_all, key_core = self._bag_keys(lab)
            if key_all:
                k_all.setdefault(key_all, []).append(i)
            if key_core:
                k_core.setdefault(key_core, []).append(i)
        self._k_all, self._k_core = k_all, k_core

    def _may_be_typo(self, word: str) -> bool:
        """A word no label uses, nor as an inflection ("pointing": "point" is used)."""
        if word in self._word_freq:
            return False
        return not any(c in self._word_freq for c in _lemma_candidates(word))

    def lemma(self, word: str) -> str:
        got = self._lemmas.get(word)
        return got if got is not None else _lemma(word, self._word_freq)

    def _bag_keys(self, text: str) -> tuple[str, str]:
        """(all content-word lemmas, the same less lead verbs / generic nouns), each sorted
        and space-joined; empty strings when there is nothing left."""
        lemmas = {self.lemma(w) for w in text.split() if w not in _STOPWORDS}
        core = {w for w in lemmas if w not in self._lead_lemmas}
        return " ".join(sorted(lemmas)), " ".join(sorted(core))

    def _resolve(self, label_ids: list[int] | None) -> tuple[int, list[int]]:
        """(label index if the labels name one concept at their best precedence, else -1;
        the concepts they name, best precedence first)."""
        if not label_ids:
            return -1, []
        best = min(int(self.label_precedence[i]) for i in label_ids)
        top = [i for i in label_ids if self.label_precedence[i] == best]
        concepts = list(dict.fromkeys(int(self.label_concept[i]) for i in top))
        others = [int(self.label_concept[i]) for i in label_ids]
        ranked = list(dict.fromkeys(concepts + others))
        if len(concepts) == 1:
            # The preferred label of that concept if it is among them, else the first.
            return min(top, key=lambda i: (int(self.label_is_alt[i]), i)), ranked
        return -1, ranked

    def _spell_variants(self, text: str) -> list[str]:
        """``text`` with unknown words replaced by near label words: up to SPELL_VARIANTS
        variants, most likely first; empty when every word is known."""
        words = text.split()
        options = [self._spell_word(w) for w in words]
        if all(len(o) == 1 and o[0] == w for o, w in zip(options, words, strict=True)):
            return []
        variants = [[]]
        for opts in options:
            variants = [v + [o] for v in variants for o in opts][:SPELL_VARIANTS]
        return [" ".join(v) for v in variants]

    def _spell_word(self, word: str) -> list[str]:
        if len(word) < SPELL_MIN_CHARS or not word.isalpha() or not self._may_be_typo(word):
            return [word]
        got = self._spell_cache.get(word)
        if got is None:
            edits = SPELL_MAX_EDITS_LONG if len(word) >= SPELL_LONG_CHARS else 1
            found = process.extract(
                word, self._spell_vocab, scorer=OSA.distance, score_cutoff=edits, limit=50
            )
            found = [f for f in found if _plausible_typo(word, f[0])]
            if found:
                nearest = min(d for _, d, _ in found)
                close = [w for w, d, _ in found if d == nearest]
                close.sort(key=lambda w: -self._word_freq[w])
                got = close[:SPELL_VARIANTS]
            else:
                got = [word]
            self._spell_cache[word] = got
        return got

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
        label_cov, query_cov = _coverage(query, label, self._may_be_typo, self._label_verbs)
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

    def _analyse(self, norms: list[str]) -> list[_Result]:
        """The full result (``_Result``) for each normalised phrase."""
        cores = [core_phrase(n) for n in norms]
        # Spelling only where the text as typed is no label (it costs a vocabulary scan).
        variants = [
            self._spell_variants(c)
            if len(c) >= MIN_FUZZY_CHARS
            and n not in self._label_index
            and c not in self._label_index
            else []
            for n, c in zip(norms, cores, strict=True)
        ]
        results = [self._decide(norms[i], cores[i], variants[i], []) for i in range(len(norms))]
        # Phrases settled by an exact, spelling or same-words label (or a known non-skill)
        # take their alternatives from labels sharing their rarest words (~0.1 ms); the rest
        # run the TF-IDF shortlist (~1-3 ms) on the core as typed and its likeliest spelling
        # (a correction can be wrong: "remations" -> "remains"; the typed text finds
        # "cremations").
        need = [i for i, r in enumerate(results) if r[3] not in _SETTLED_ROUTES]
        thin = []  # settled, but too few other concepts share a word to offer alternatives
        for i, r in enumerate(results):
            if r[3] in _SETTLED_ROUTES:
                pool = self._word_pool(cores[i], r[4])
                if len(pool) <= N_ALTERNATIVES and r[2] and self._semantic is not None:
                    pool = self._semantic.neighbours(int(self.label_concept[r[0]]), pool)
                if len(pool) <= N_ALTERNATIVES:
                    thin.append(i)
                results[i] = r[:4] + (pool,)
        jobs = [
            (i, t)
            for i in need + thin
            for t in dict.fromkeys([cores[i], *variants[i][:1]])
            if len(t) >= MIN_FUZZY_CHARS
        ]
        shortlists: dict[int, list] = {}
        if jobs:
            found = self._shortlist([t for _, t in jobs])
            for (i, t), (cand, cos) in zip(jobs, found, strict=True):
                shortlists.setdefault(i, []).append((t, cand, cos))
        for i in need:
            results[i] = self._decide(norms[i], cores[i], variants[i], shortlists.get(i, []))
        for i in thin:
            extra = self._decide(norms[i], cores[i], variants[i], shortlists.get(i, []))[4]
            pool = list(results[i][4])
            seen = {c for c, _ in pool}
            pool += [(c, sc) for c, sc in extra if c not in seen][: CANDIDATE_POOL - len(pool)]
            results[i] = results[i][:4] + (tuple(pool),)
        meaning = self._semantic
        if meaning is not None:
            todo = [i for i, r in enumerate(results) if r[3] not in _SETTLED_ROUTES]
            if todo:
                texts = [(variants[i][:1] or [cores[i]])[0] for i in todo]
                for i, q in zip(todo, meaning.embed(texts), strict=True):
                    results[i] = self._with_meaning(results[i], meaning, q)
        return results

    # ---------------------------------------------------------------- meaning
    def _semantic_rows(self) -> tuple[list[str], np.ndarray]:
        """Texts to embed and the concept index each stands for (-1: a "none" phrase)."""
        texts = list(self.concept_labels)
        owners = list(range(len(texts)))
        for label_i in np.flatnonzero(self.label_precedence == _PREC_SYNONYM):
            texts.append(self.labels[label_i])
            owners.append(int(self.label_concept[label_i]))
        for phrase in sorted(self._not_skills):
            texts.append(phrase)
            owners.append(-1)
        return texts, np.array(owners, dtype=np.int32)

    def _start_semantic(self, mode: str) -> None:
        try:
            from matching.engine import textmodel
        except ImportError:  # pragma: no cover - the module ships with the engine
            return
        if not all((textmodel.MODEL_DIR / f).is_file() for f in ("model.onnx", "tokenizer.json")):
            return
        texts, owners = self._semantic_rows()
        cache = textmodel.VectorCache()
        try:
            cache.load(SEMANTIC_CACHE)
        except (FileNotFoundError, OSError, ValueError, KeyError):
            pass
        if all(t in cache for t in texts):
            self._set_semantic(_Meaning(cache, cache.vectors(texts), owners))
            return
        if mode != "sync" and mode != "auto":
            return

        def build() -> None:
            try:
                matrix = cache.vectors(texts)
                cache.save(SEMANTIC_CACHE)
                self._set_semantic(_Meaning(cache, matrix, owners))
            except Exception:  # noqa: BLE001 - no model, no meaning: stay lexical
                pass

        if mode == "sync":
            build()
        else:
            self._semantic_thread = threading.Thread(
                target=build, name="skill-vectors", daemon=True
            )
            self._semantic_thread.start()

    def _set_semantic(self, meaning: _Meaning) -> None:
        concept_label = np.full(len(self.concept_ids), -1, dtype=np.int64)
        for label_i in np.argsort(self.label_is_alt, kind="stable"):  # preferred labels first
            c = int(self.label_concept[label_i])
            if concept_label[c] < 0:
                concept_label[c] = label_i
        self._concept_label = concept_label
        self._semantic = meaning
        self._cache.clear()

    def wait_semantic(self, timeout: float | None = None) -> bool:
        """Wait for vectors being built in the background; True when meaning is in use."""
        thread = self._semantic_thread
        if thread is not None:
            thread.join(timeout)
        return self._semantic is not None

    @property
    def uses_meaning(self) -> bool:
        return self._semantic is not None

    def _with_meaning(self, result: _Result, meaning: _Meaning, q: np.ndarray) -> _Result:
        label_i, score, accepted, route, pool = result
        sims, none_best = meaning.concept_sims(q)
        lexical = int(self.label_concept[label_i]) if label_i >= 0 else None
        top = max(sims.items(), key=lambda kv: kv[1]) if sims else (None, 0.0)

        def sim(concept: int) -> float:
            got = sims.get(concept)
            return got if got is not None else meaning.sim(concept, q)

        if route == "not a skill":
            pass
        elif none_best >= SEMANTIC_NONE_MIN and none_best > top[1]:
            label_i, score, accepted, route = label_i, score, False, "not a skill (meaning)"
        elif (
            accepted
            and lexical is not None
            and score < FUZZY_CONFIRM_MIN
            and sim(lexical) < SEMANTIC_VETO_MAX
        ):
            accepted, route = False, "fuzzy, refused by meaning"
        elif (
            not accepted
            and lexical is not None
            and score >= FUZZY_CONFIRM_MIN
            and sim(lexical) >= SEMANTIC_CONFIRM_MIN
        ):
            accepted, route = True, "fuzzy, confirmed by meaning"
        elif not accepted and top[0] is not None and top[1] >= SEMANTIC_MATCH_MIN:
            label_i, score, accepted, route = (
                int(self._concept_label[top[0]]),
                float(top[1]),
                True,
                "meaning",
            )
        answer = int(self.label_concept[label_i]) if accepted else None
        keys: dict[int, tuple[float, float]] = {}
        for c, sc in pool:
            key = POOL_LEXICAL_WEIGHT * sc + (1.0 - POOL_LEXICAL_WEIGHT) * sim(c)
            keys[c] = (key, key)
        for c, s in sorted(sims.items(), key=lambda kv: -kv[1])[:SEMANTIC_POOL]:
            if c not in keys:
                key = (
                    POOL_LEXICAL_WEIGHT * POOL_MEANING_ONLY_LEXICAL + (1 - POOL_LEXICAL_WEIGHT) * s
                )
                keys[c] = (key, s)
        if answer is not None:
            keys[answer] = (np.inf, score)
        return _result(label_i, score, accepted, route, keys)

    def _word_pool(self, text: str, pool: tuple) -> tuple[tuple[int, float], ...]:
        """``pool`` extended, up to CANDIDATE_POOL, with the concepts of labels that share the
        text's rarest words, ranked by rapidfuzz ratio."""
        words = sorted(
            {w for w in text.split() if w not in _STOPWORDS and w in self._word_freq},
            key=lambda w: self._word_freq[w],
        )[:2]
        cand = np.unique(np.concatenate([self._word_postings(w)[:1000] for w in words] or [[]]))
        out = list(pool)
        seen = {c for c, _ in out}
        if len(cand):
            cand = cand.astype(np.int64)
            ratio = cdist([text], [self.labels[c] for c in cand], scorer=fuzz.ratio)[0] / 100.0
            for j in np.argsort(-ratio, kind="stable"):
                c = int(self.label_concept[cand[j]])
                if c not in seen:
                    seen.add(c)
                    out.append((c, float(ratio[j])))
                    if len(out) >= CANDIDATE_POOL:
                        break
        return tuple(out)

    def _decide(self, norm, core, variants, shortlists) -> _Result:
        label_i, score, accepted, route = -1, 0.0, False, "no match"
        near: list[int] = []  # concepts with the same bag of words but no single owner
        if any(t in self._not_skills for t in (norm, core, *variants)):
            route = "not a skill"
        else:
            for text, conf, how in (
                (norm, 1.0, "exact"),
                (core, 1.0, "exact"),
                *((v, SCORE_SPELLED, "spelling") for v in variants),
            ):
                hit = self._label_index.get(text)
                if hit is not None:
                    label_i, score, accepted, route = hit, conf, True, how
                    break
            if not accepted:
                label_i, score, accepted, route = self._same_words(core, variants, near)
        ranked_fuzzy: list[tuple[int, float, float]] = []  # (label index, score, rank key)
        refused: tuple[int, float] = (label_i, score)
        for text, cand, cos in shortlists:
            if not len(cand):
                continue
            scores = self._scores(text, cand, cos)
            if not accepted and route != "not a skill":
                best = self._rerank(text, cand, cos)
                if best[2]:
                    label_i, score, accepted, route = best[0], best[1], True, "fuzzy"
                elif best[1] > refused[1]:
                    refused = (best[0], best[1])
            # The coverage bonus reorders the pool only where there is no answer to lead it
            # (it costs ~0.1 ms a label).
            check = 0 if accepted else POOL_COVERAGE_CHECKED
            for n, j in enumerate(np.argsort(-scores, kind="stable")[: 2 * CANDIDATE_POOL]):
                li, sc = int(cand[j]), float(scores[j])
                covered = n < check and self._covered(text, self.labels[li])
                ranked_fuzzy.append((li, sc, sc + (POOL_COVERED_BONUS if covered else 0.0)))
        if not accepted:
            label_i, score = refused
        pool: dict[int, tuple[float, float]] = {}  # concept -> (rank key, score)
        if accepted:
            pool[int(self.label_concept[label_i])] = (np.inf, score)
        for c in near:
            pool.setdefault(c, (SCORE_SAME_CORE_WORDS + POOL_COVERED_BONUS, SCORE_SAME_CORE_WORDS))
        for li, sc, key in ranked_fuzzy:
            c = int(self.label_concept[li])
            if c not in pool or pool[c][0] < key:
                pool[c] = (key, sc)
        return _result(label_i, score, accepted, route, pool)

    def _same_words(self, core: str, variants: list[str], near: list[int]):
        """Accept a label with the same bag of word lemmas as the phrase (or one of its
        spelling variants), owned by one concept; collect the concepts of ambiguous ones."""
        for n, text in enumerate((core, *variants)):
            key_all, key_core = self._bag_keys(text)
            for key, kmap, conf in (
                (key_all, self._k_all, SCORE_SAME_WORDS),
                (key_all, self._k_core, SCORE_SAME_CORE_WORDS),
            ):
                if not key:
                    continue
                label_i, concepts = self._resolve(kmap.get(key))
                near.extend(c for c in concepts if c not in near)
                if label_i >= 0:
                    if n:
                        conf = min(conf, SCORE_SPELLED)
                    return label_i, conf, True, "same words" if n == 0 else "spelling"
        return -1, 0.0, False, "no match"

    def _results(self, norms: list[str]) -> list[_Result]:
        """Cached ``_analyse`` (the cache may be cleared meanwhile by the thread that makes
        the label vectors, so answers are read from a local copy)."""
        cache = self._cache
        got = {n: cache[n] for n in dict.fromkeys(norms) if n in cache}
        todo = [n for n in dict.fromkeys(norms) if n not in got]
        if todo:
            if len(cache) + len(todo) > CACHE_MAX:
                cache.clear()
            for norm, res in zip(todo, self._analyse(todo), strict=True):
                got[norm] = cache[norm] = res
        return [got[n] for n in norms]

    def _match(self, norms: list[str]) -> list[_Match]:
        """(label index or -1, score, accepted) for each normalised phrase."""
        return [r[:3] for r in self._results(norms)]  # type: ignore[misc]

    def _entry(self, concept: int, score: float) -> dict:
        return {
            "id": self.concept_ids[concept],
            "label": self.concept_labels[concept],
            "score": round(float(score), 3),
        }

    def normalise(self, phrases: Iterable[str]) -> list[dict]:
        """Map typed phrases to taxonomy ids.

        Returns one ``{"typed", "id", "label", "score", "alternatives"}`` per distinct skill,
        in first-seen order: phrases that normalise to the same text, or resolve to the same
        id, collapse to the first. ``id``/``label`` are None when the phrase is not
        recognised (no label close enough, or a known non-skill such as "own transport");
        ``score`` is a confidence in [0, 1] (1.0 for an exact label), reported even when the
        best candidate was refused. ``alternatives`` lists up to ``N_ALTERNATIVES`` other
        candidates ``{"id", "label", "score"}``, best first, never the answer itself, also
        when there is no answer, so a person can pick one.
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
        results = self._results([n for _, n in typed])
        out: list[dict] = []
        seen: set[str] = set()
        for (raw, _norm), (label_i, score, accepted, _route, pool) in zip(
            typed, results, strict=True
        ):
            answer = int(self.label_concept[label_i]) if accepted else None
            alternatives = [self._entry(c, sc) for c, sc in pool if c != answer]
            if answer is not None:
                item = {"typed": raw, **self._entry(answer, score)}
            else:
                item = {"typed": raw, "id": None, "label": None, "score": round(score, 3)}
            item["alternatives"] = alternatives[:N_ALTERNATIVES]
            key = skill_key(item)
            if key not in seen:
                seen.add(key)
                out.append(item)
        return out

    def exact(self, phrases: Iterable[str]) -> list[dict]:
        """The phrases that are a skill's label or alias as they stand (``normalise_text``
        alone: no filler stripped, no spelling, no meaning), as ``{"typed", "id", "label",
        "score"}`` with score 1.0, one per skill in first-seen order; known non-skills are left
        out. A dictionary look-up a phrase, for reading many short runs of words."""
        out: list[dict] = []
        seen: set[int] = set()
        for phrase in phrases:
            norm = normalise_text(phrase)
            label_i = self._label_index.get(norm) if norm not in self._not_skills else None
            if label_i is None:
                continue
            concept = int(self.label_concept[label_i])
            if concept not in seen:
                seen.add(concept)
                out.append({"typed": str(phrase).strip(), **self._entry(concept, 1.0)})
        return out

    def candidates(self, phrase: str, n: int = 5) -> list[dict]:
        """Up to ``n`` ``{"id", "label", "score"}``, best first: the answer ``normalise``
        gives (if any), then the alternatives it would offer, and more of the same ranking."""
        norm = normalise_text(phrase)
        if not norm or n <= 0:
            return []
        _label_i, _score, _accepted, _route, pool = self._results([norm])[0]
        return [self._entry(c, sc) for c, sc in pool[:n]]

    def diagnose(self, phrase: str) -> dict:
        """Diagnostics for one phrase: best label (even if refused), score, accepted, route."""
        norm = normalise_text(phrase)
        if norm:
            label_i, score, accepted, route, _pool = self._analyse([norm])[0]
        else:
            label_i, score, accepted, route = -1, 0.0, False, "empty"
        concept = int(self.label_concept[label_i]) if label_i >= 0 else None
        core = core_phrase(norm)
        return {
            "normalised": norm,
            "core": core,
            "spelling": self._spell_variants(core) if norm else [],
            "matched_label": self.labels[label_i] if label_i >= 0 else None,
            "id": self.concept_ids[concept] if concept is not None else None,
            "label": self.concept_labels[concept] if concept is not None else None,
            "score": round(score, 3),
            "accepted": accepted,
            "route": route,
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
