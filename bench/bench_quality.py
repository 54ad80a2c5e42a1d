"""Quality of the text understanding on hand-labelled everyday UK phrases.

Run from the repository root:  python bench/bench_quality.py [--tuning-only] [--misses]

Prints the machine and load average, then one section per kind of text. Each section reports
the tuning part (``matching/data/*_tuning.csv``, which the product may be tuned on) and the
held-out part (``matching/data/heldout/``, which nothing else reads) separately, each beside a
plain baseline computed in the same run.

This is the only product-side code that may name the held-out folder
(``tests/matching/test_heldout.py`` checks that). Its rows are never printed: ``--misses``
lists misses on the tuning part only. ``--tuning-only`` skips the held-out part (use it while
tuning; the held-out figures are for before and after, not for choosing settings).

Sections
  skill phrases  ``SkillTaxonomy.normalise`` (top-1) and ``SkillTaxonomy.candidates`` (top-5)
                 against a word + char n-gram TF-IDF nearest label over ESCO preferred and
                 alternative labels and the UK licence labels, answering its nearest label
                 always, and with a cosine threshold tuned on the tuning part only.

  skills by meaning  how often concepts that are fair readings of one phrase share a family
                 of kin (and so meet in the fit), beside random pairs of labelled concepts.
  titles         each labelled job title a seeker, each occupation a vacancy: MRR and recall
                 at 10 of the seeker's own occupation (``quality_ranking.title_task``).
  adverts        hand-written UK adverts posted as vacancies, a seeker per advert typing its
                 title (and its text): precision at 10 of same-category vacancies
                 (``quality_ranking.advert_task``); tuning and held-out parts.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402

DATA = ROOT / "matching" / "data"
HELDOUT = DATA / "heldout"
SKILL_TUNING_CSV = DATA / "skill_phrases_tuning.csv"
SKILL_HELDOUT_CSV = HELDOUT / "skill_phrases.csv"
SKILL_DEV_CSV = DATA / "skill_phrases_dev.csv"  # tuning data since the second held-out set
SKILL_DEV_SECOND_CSV = DATA / "skill_phrases_dev_second.csv"  # the dev phrases labelled again
# Fresh phrases from a writer who never saw the repository, labelled by two people apart.
SKILL_HELDOUT_SECOND_CSV = HELDOUT / "skill_phrases_second.csv"
TITLE_TUNING_CSV = DATA / "uk_job_titles.csv"
TITLE_HELDOUT_CSV = HELDOUT / "job_titles.csv"
TITLE_DEV_CSV = DATA / "title_dev.csv"  # measured between held-out runs, never tuned on
ADVERTS_TUNING_CSV = DATA / "adverts_tuning.csv"
ADVERTS_HELDOUT_CSV = HELDOUT / "adverts.csv"
TOP_K = 5

# (top-1 id or None for "not recognised", ranked candidate ids, best first)
Answer = tuple[str | None, list[str]]


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def machine_line() -> str:
    import sklearn

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"machine: {cpus} cpu(s), {platform.machine()}, Python {platform.python_version()}, "
        f"numpy {np.__version__}, scikit-learn {sklearn.__version__}; load average {load}"
    )


# --------------------------------------------------------------------------- skill phrases
def acceptable(row: dict[str, str]) -> set[str]:
    """Ids that count as right for a row (empty for a ``none`` row)."""
    if row["expected_id"] == "none":
        return set()
    return {row["expected_id"], *filter(None, row["acceptable_ids"].split("|"))}


def first_reading(row: dict[str, str]) -> tuple[set[str], bool]:
    """The ids that count as right for a row and whether "not recognised" does (its label)."""
    ids = acceptable(row)
    return ids, not ids


def either_reading(second: dict[str, dict[str, str]]) -> Callable:
    """Right by either labeller: the first label's ids and the second labeller's fair ids (from
    ``skill_phrases_dev_second.csv``, keyed by phrase); "not recognised" is right where either
    says ``none``."""

    def accept(row: dict[str, str]) -> tuple[set[str], bool]:
        ids, none_ok = first_reading(row)
        fair = second[row["phrase"]]["fair_ids"]
        if fair == "none":
            return ids, True
        return ids | set(fair.split("|")), none_ok

    return accept


def _readings(cell: str) -> set[str]:
    return {i for i in cell.split("|") if i}


def by_labellers(*columns: str) -> Callable:
    """Right by any of these labellers of the second held-out set (``first_ids``,
    ``second_ids``): any fair reading of one of them, and "not recognised" where one says
    ``none``."""

    def accept(row: dict[str, str]) -> tuple[set[str], bool]:
        readings = set().union(*(_readings(row[c]) for c in columns))
        return readings - {"none"}, "none" in readings

    return accept


both_labellers = by_labellers("first_ids", "second_ids")


def phrase_figures(
    rows: Sequence[dict[str, str]],
    normalise: Callable[[str], Answer],
    k: int = TOP_K,
    accept: Callable[[dict[str, str]], tuple[set[str], bool]] = first_reading,
) -> dict[str, float]:
    """Shares of ``rows`` by outcome, for a ``normalise(phrase) -> (top-1 id or None, ranked
    candidate ids)``.

    ``accept(row)`` gives the ids that are right and whether "not recognised" is (by default
    the row's own label: ``first_reading``). ``top1``: top-1 is right. ``wrong``: a returned id
    that is not right. ``unknown``: "not recognised" on any row. ``top5``: top-1 is right or a
    right id is among the first ``k`` candidates. ``misses``: (phrase, expected
    label, answer) of the rows whose top-1 is not right.
    """
    n = len(rows)
    top1 = wrong = unknown = topk = 0
    misses = []
    for row in rows:
        answer, ranked = normalise(row["phrase"])
        ok, none_ok = accept(row)
        right = none_ok if answer is None else answer in ok
        right_k = right or bool(ok & set(ranked[:k]))
        top1 += right
        topk += right_k
        unknown += answer is None
        wrong += answer is not None and not right
        if not right:
            misses.append((row["phrase"], row["expected_label"] or "none", answer))
    return {
        "n": n,
        "top1": top1 / n if n else 0.0,
        "wrong": wrong / n if n else 0.0,
        "unknown": unknown / n if n else 0.0,
        "top5": topk / n if n else 0.0,
        "misses": misses,
    }


class TfidfNearestLabel:
    """Plain baseline: word 1-2 gram + char_wb 2-4 gram TF-IDF (scikit-learn defaults
    otherwise), each block L2-normalised and weighted equally, nearest label by cosine over
    ESCO preferred + alternative labels and the UK licence labels. ``threshold``: below this
    cosine the answer is "not recognised" (0 answers always)."""

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        from matching.engine.skills import _read_csv

        labels: list[str] = []
        owners: list[str] = []
        for row in _read_csv(DATA / "esco_skills.csv.gz"):
            labels.append(row["preferred_label"])
            owners.append("esco:" + row["id"])
        for row in _read_csv(DATA / "esco_skills_alt_labels.csv.gz"):
            labels.append(row["alt_label"])
            owners.append("esco:" + row["id"])
        for row in _read_csv(DATA / "uk_licences.csv"):
            for label in [row["label"], *filter(None, row["alt_labels"].split("|"))]:
                labels.append(label)
                owners.append(row["id"])
        self.owners = np.array(owners)
        self._word = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), strip_accents="unicode", dtype=np.float32
        )
        self._char = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), strip_accents="unicode", dtype=np.float32
        )
        self._x = self._vectors(labels, fit=True).T.tocsr()
        self.threshold = 0.0
        self._cache: dict[str, tuple[list[str], list[float]]] = {}

    def _vectors(self, texts: list[str], fit: bool = False):
        w = self._word.fit_transform(texts) if fit else self._word.transform(texts)
        c = self._char.fit_transform(texts) if fit else self._char.transform(texts)
        return (sp.hstack([w, c]) * np.float32(np.sqrt(0.5))).tocsr()

    def ranked(self, phrase: str) -> tuple[list[str], list[float]]:
        """Up to ``TOP_K`` distinct concept ids, best first, and their cosines."""
        if phrase not in self._cache:
            sims = (self._vectors([phrase]) @ self._x).toarray()[0]
            order = np.argsort(-sims, kind="stable")[:200]
            ids: list[str] = []
            cos: list[float] = []
            for j in order:
                if self.owners[j] not in ids:
                    ids.append(str(self.owners[j]))
                    cos.append(float(sims[j]))
                if len(ids) == TOP_K:
                    break
            self._cache[phrase] = (ids, cos)
        return self._cache[phrase]

    def __call__(self, phrase: str) -> Answer:
        ids, cos = self.ranked(phrase)
        if not ids or cos[0] <= 0 or cos[0] < self.threshold:
            return None, ids
        return ids[0], ids

    def tune_threshold(self, rows: Sequence[dict[str, str]]) -> float:
        """Threshold with the most right top-1 on ``rows`` (ties: the fewest wrong)."""
        best = (-1.0, 0.0, 0.0)
        for t in np.arange(0.0, 1.0001, 0.01):
            self.threshold = float(t)
            f = phrase_figures(rows, self)
            key = (f["top1"], -f["wrong"], float(t))
            if key[:2] > best[:2]:
                best = key
        self.threshold = best[2]
        return self.threshold


def figure_line(name: str, f: dict[str, float]) -> str:
    return (
        f"  {name:34s} n={f['n']:3d}  top-1 {f['top1']:6.1%}  wrong {f['wrong']:6.1%}  "
        f"not recognised {f['unknown']:6.1%}  top-5 {f['top5']:6.1%}"
    )


def section_skill_phrases(args: argparse.Namespace) -> None:
    from matching.engine import skills as sk

    print("== skill phrases (matching/engine/skills.py)")
    parts = {"tuning": read_rows(SKILL_TUNING_CSV)}
    if SKILL_DEV_CSV.exists():
        parts["dev"] = read_rows(SKILL_DEV_CSV)
    if not args.tuning_only:
        parts["held-out"] = read_rows(SKILL_HELDOUT_CSV)
        if SKILL_HELDOUT_SECOND_CSV.exists():
            parts["second held-out"] = read_rows(SKILL_HELDOUT_SECOND_CSV)

    started = time.perf_counter()
    tx = sk.SkillTaxonomy(semantic="sync")  # vectors built now if missing, not in the background
    print(
        f"  taxonomy load {time.perf_counter() - started:.2f} s; meaning (sentence model) "
        f"{'in use' if tx.uses_meaning else 'not available: lexical only'}"
    )

    def ours(tax: sk.SkillTaxonomy) -> Callable[[str], Answer]:
        def normalise(phrase: str) -> Answer:
            (item,) = tax.normalise([phrase]) or [{"id": None}]
            return item["id"], [c["id"] for c in tax.candidates(phrase, n=TOP_K)]

        return normalise

    started = time.perf_counter()
    baseline = TfidfNearestLabel()
    print(f"  baseline TF-IDF fit {time.perf_counter() - started:.2f} s")
    threshold = baseline.tune_threshold(parts["tuning"])

    # Variants: the synonym list holds the tuning phrases themselves, so on the tuning part the
    # normaliser is near 100% by construction; "tuning phrases left out" rebuilds it without
    # those rows (its hand-written variants stay), an estimate for phrases it has not seen.
    tuning_phrases = [r["phrase"] for r in parts["tuning"]]
    variants: list[tuple[str, sk.SkillTaxonomy, tuple[str, ...]]] = [
        ("normaliser", tx, tuple(parts)),
        (
            "normaliser, tuning phrases left out",
            sk.SkillTaxonomy(semantic="sync", exclude_synonyms=tuning_phrases),
            ("tuning",),
        ),
        (
            "normaliser, no UK synonym list",
            sk.SkillTaxonomy(semantic="sync", use_synonyms=False),
            tuple(parts),
        ),
        ("normaliser, lexical only", sk.SkillTaxonomy(semantic="off"), tuple(parts)),
    ]
    if "dev" in parts:
        # Two people labelling the same everyday phrase apart: where a dev phrase is an entry of
        # the synonym list, how often the list's concept is one the dev label accepts.
        listed = {}
        for r in read_rows(DATA / "uk_skill_synonyms.csv"):
            listed.setdefault(sk.normalise_text(r["phrase"]), r["id"])
        both = [
            (r, listed[k]) for r in parts["dev"] if (k := sk.normalise_text(r["phrase"])) in listed
        ]
        agree = sum(i in acceptable(r) or (i == r["expected_id"] == "none") for r, i in both)
        print(
            f"  dev phrases that are entries of the UK synonym list: {len(both)} of "
            f"{len(parts['dev'])}; the list and the dev label agree on {agree} "
            f"({agree / max(1, len(both)):.0%}: two labellers apart)"
        )
        # Written apart from the synonym list; entries equal to a dev phrase are left out while
        # the dev part is scored, so the figure is for phrases the list has not seen.
        variants.insert(
            1,
            (
                "normaliser, dev phrases left out",
                sk.SkillTaxonomy(
                    semantic="sync", exclude_synonyms=[r["phrase"] for r in parts["dev"]]
                ),
                ("dev",),
            ),
        )
    if "held-out" in parts:
        # The UK synonym list was written without reading the held-out part, but people type
        # the same common phrases: some held-out phrases are entries of the list word for
        # word. Left out of the list, the figure is for phrases it has not seen.
        held_phrases = [r["phrase"] for r in parts["held-out"]]
        variants.insert(
            1,
            (
                "normaliser, held-out phrases left out",
                sk.SkillTaxonomy(semantic="sync", exclude_synonyms=held_phrases),
                ("held-out",),
            ),
        )
        variants.append(
            (
                "lexical only, held-out phrases left out",
                sk.SkillTaxonomy(semantic="off", exclude_synonyms=held_phrases),
                ("held-out",),
            )
        )
        listed = {sk.normalise_text(r["phrase"]) for r in read_rows(DATA / "uk_skill_synonyms.csv")}
        for part in ("held-out", "second held-out"):
            if part in parts:
                same = sum(sk.normalise_text(r["phrase"]) in listed for r in parts[part])
                print(
                    f"  {part} phrases that are entries of the UK synonym list: "
                    f"{same} of {len(parts[part])}"
                )
    if "second held-out" in parts:
        rows = parts["second held-out"]
        variants.insert(
            1,
            (
                "normaliser, listed phrases left out",
                sk.SkillTaxonomy(semantic="sync", exclude_synonyms=[r["phrase"] for r in rows]),
                ("second held-out",),
            ),
        )
        share = sum(
            bool(_readings(r["first_ids"]) & _readings(r["second_ids"])) for r in rows
        ) / len(rows)
        print(
            f"  second held-out: {len(rows)} fresh phrases, two labellers apart; they share a "
            f"reading on {share:.0%}. Right = a fair reading of either labeller"
        )
    second = (
        {r["phrase"]: r for r in read_rows(SKILL_DEV_SECOND_CSV)}
        if "dev" in parts and SKILL_DEV_SECOND_CSV.exists()
        else {}
    )
    for part, rows in parts.items():
        print(f"  {part} part:")
        two = part == "second held-out"
        accept = both_labellers if two else first_reading
        for name, tax, where in variants:
            if part not in where:
                continue
            fn = ours(tax)
            tax._cache.clear()
            started = time.perf_counter()
            f = phrase_figures(rows, fn, accept=accept)
            ms = (time.perf_counter() - started) / max(1, len(rows)) * 1e3
            print(figure_line(name, f) + f"  [{ms:.2f} ms/phrase, cold]")
            if part == "dev" and second:
                # The same answers, right by either of two labellers apart (the dev phrases
                # were labelled again, blind, listing every fair reading).
                g = phrase_figures(rows, fn, accept=either_reading(second))
                print(figure_line("  the same, either labeller right", g))
            if two and name == "normaliser":
                for column, who in (("first_ids", "first"), ("second_ids", "second")):
                    g = phrase_figures(rows, fn, accept=by_labellers(column))
                    print(figure_line(f"  the same, {who} labeller alone", g))
            if args.misses and part == "tuning" and name != "normaliser, lexical only":
                for phrase, want, got in f["misses"]:
                    got_label = tax.label_of(got) if got else "not recognised"
                    print(f"      miss {phrase!r}: {got_label}  (want {want})")
        baseline.threshold = 0.0
        f = phrase_figures(rows, baseline, accept=accept)
        print(figure_line("baseline TF-IDF, always answers", f))
        baseline.threshold = threshold
        f = phrase_figures(rows, baseline, accept=accept)
        print(figure_line(f"baseline TF-IDF, cosine >= {threshold:.2f}", f))

    phrases = [r["phrase"] for r in parts["tuning"]]
    tx.normalise(phrases)  # warm
    started = time.perf_counter()
    for _ in range(20):
        for p in phrases:
            tx.normalise([p])
    warm_ms = (time.perf_counter() - started) / (20 * len(phrases)) * 1e3
    tx._cache.clear()
    started = time.perf_counter()
    for p in phrases:
        tx.candidates(p, n=TOP_K)
    cand_ms = (time.perf_counter() - started) / len(phrases) * 1e3
    labels = tx.labels[:: max(1, len(tx.labels) // 500)][:500]
    tx._cache.clear()
    started = time.perf_counter()
    for p in labels:
        tx.normalise([p])
    exact_ms = (time.perf_counter() - started) / len(labels) * 1e3
    print(
        f"  cost: normalise {warm_ms:.3f} ms/phrase warm (cached), {exact_ms:.2f} ms/phrase cold "
        f"for exact labels (one at a time); candidates {cand_ms:.2f} ms/phrase cold on the "
        "tuning phrases (meaning included)"
    )


# --------------------------------------------------------------------------- skills by meaning
def section_skill_kin(args: argparse.Namespace) -> None:
    """How often two skill concepts that are fair readings of one phrase share a family of kin
    (``skillspace.kin_of``), so that they meet in the fit: the pairs a labeller accepts as
    equally fair (``expected_id`` with each ``acceptable_ids``), and, on the dev part, the
    pairs where the synonym list and the dev label differ (two labellers apart); beside how
    often two random labelled concepts share one (a false kinship)."""
    import random

    from matching.engine import skills as sk
    from matching.engine.skillspace import kin_of

    print(
        "== skills by meaning: concepts that share a family of kin (matching/engine/skillspace.py)"
    )

    def share(pairs: list[tuple[str, str]]) -> str:
        same = sum(kin_of(a) is not None and kin_of(a) == kin_of(b) for a, b in pairs)
        return f"{same} of {len(pairs)} ({same / max(1, len(pairs)):.0%})"

    parts = {"tuning": read_rows(SKILL_TUNING_CSV)}
    if SKILL_DEV_CSV.exists():
        parts["dev"] = read_rows(SKILL_DEV_CSV)
    for part, rows in parts.items():
        fair = [
            (r["expected_id"], a)
            for r in rows
            if r["expected_id"] != "none"
            for a in filter(None, r["acceptable_ids"].split("|"))
        ]
        print(f"  {part:8s} pairs a labeller calls equally fair: {share(fair)}")
    concepts = sorted({r["expected_id"] for r in parts["tuning"] if r["expected_id"] != "none"})
    rng = random.Random(0)
    rand = [tuple(rng.sample(concepts, 2)) for _ in range(2000)]
    print(f"  tuning   random pairs of labelled concepts: {share(rand)}")
    if "dev" in parts:
        listed = {}
        for r in read_rows(DATA / "uk_skill_synonyms.csv"):
            listed.setdefault(sk.normalise_text(r["phrase"]), r["id"])
        apart = [
            (listed[k], r["expected_id"])
            for r in parts["dev"]
            if (k := sk.normalise_text(r["phrase"])) in listed
            and listed[k] != "none"
            and r["expected_id"] != "none"
            and listed[k] not in acceptable(r)
        ]
        print(
            "  dev      the synonym list's concept and the dev label's, where they differ: "
            + share(apart)
        )


# --------------------------------------------------------------------------- titles
def section_titles(args: argparse.Namespace) -> None:
    """The title task (``quality_ranking.title_task``): each labelled title is a seeker, each
    of the set's occupations a vacancy (ESCO label and description), everyone at one place, no
    skills; MRR and recall at 10 of the seeker's own occupation, beside character TF-IDF."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from quality_ranking import title_sweep, title_task

    print("== titles and tasks: rank the seeker's own occupation (engine rows vs TF-IDF)")
    parts = {"tuning": [r for r in read_rows(TITLE_TUNING_CSV) if r["set"] == "tuning"]}
    if TITLE_DEV_CSV.exists():
        parts["dev"] = read_rows(TITLE_DEV_CSV)
    if not args.tuning_only:
        parts["held-out"] = read_rows(TITLE_HELDOUT_CSV)
    for part, rows in parts.items():
        started = time.perf_counter()
        f = title_task(rows, ROOT / "var" / "cache")
        took = time.perf_counter() - started
        for name, fig in (
            ("engine (words + meaning)", f["engine"]),
            ("TF-IDF, title and tasks", f["tfidf"]),
        ):
            print(
                f"  {part:8s} {name:26s} n={fig['n']:3d}  MRR {fig['mrr']:.3f}  "
                f"recall@10 {fig['recall10']:.3f}"
            )
        print(f"  ({took:.1f} s)")
    if args.sweep:
        print(
            "  tuning titles, engine rows under other settings (what the constants were chosen on):"
        )
        for name, fig in title_sweep(parts["tuning"], ROOT / "var" / "cache"):
            print(f"    {name:28s} MRR {fig['mrr']:.3f}  recall@10 {fig['recall10']:.3f}")


def section_adverts(args: argparse.Namespace) -> None:
    """The advert task (``quality_ranking.advert_task``) on the hand-written adverts: a tuning
    part (``adverts_tuning.csv``) and a held-out part written apart by another writer."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from quality_ranking import advert_sweep, advert_task

    print("== adverts: precision at 10 of same-category vacancies (engine rows vs TF-IDF)")
    parts = {"tuning": read_rows(ADVERTS_TUNING_CSV)}
    if not args.tuning_only:
        parts["held-out"] = read_rows(ADVERTS_HELDOUT_CSV)
    for part, rows in parts.items():
        started = time.perf_counter()
        figures = advert_task(rows, ROOT / "var" / "cache")
        for name, p10 in figures.items():
            print(f"  {part:8s} {name:30s} n={len(rows):3d}  P@10 {p10:.3f}")
        print(f"  ({time.perf_counter() - started:.1f} s)")
    if args.sweep:
        print("  tuning adverts, engine rows under other settings:")
        for name, fig in advert_sweep(parts["tuning"], ROOT / "var" / "cache"):
            print(
                f"    {name:28s} title {fig['engine, title']:.3f}  "
                f"title and text {fig['engine, title and text']:.3f}"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tuning-only", action="store_true", help="skip the held-out part")
    ap.add_argument("--misses", action="store_true", help="list misses on the tuning part")
    ap.add_argument("--sweep", action="store_true", help="the title task's settings, tuning part")
    args = ap.parse_args()
    print(machine_line())
    section_skill_phrases(args)
    section_skill_kin(args)
    section_titles(args)
    section_adverts(args)


if __name__ == "__main__":
    main()
