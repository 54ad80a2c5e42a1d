"""The title task of ``bench_quality.py``: for each labelled job title, a seeker wanting that
title (no skills) and, at the same place, one vacancy per occupation in the set made of the
occupation's ESCO label (its title) and description (its tasks); the engine ranks the vacancies
for each seeker by fit, through the same occupation rows the service builds (``occupations.py``
words blended with ``meaning.py`` meaning). Figures: MRR and recall at 10 of the seeker's own
occupation (expected, or one of its alternates), beside a plain character n-gram TF-IDF over
title and tasks, computed in the same run. Rows come from the caller."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _occupations() -> dict[str, dict]:
    path = ROOT / "matching" / "data" / "esco_occupations.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def _figures(ranked: list[list[int]], truth: list[set[int]]) -> dict[str, float]:
    rr, hit10 = [], []
    for order, right in zip(ranked, truth, strict=True):
        rank = next((i + 1 for i, v in enumerate(order) if v in right), None)
        rr.append(1.0 / rank if rank else 0.0)
        hit10.append(bool(rank and rank <= 10))
    return {"n": len(ranked), "mrr": float(np.mean(rr)), "recall10": float(np.mean(hit10))}


def _ranked_by_engine(
    seeker_rows, owner: np.ndarray, vacancy_rows, n_seekers: int
) -> list[list[int]]:
    """Each seeker's vacancies (positions) best first by fit, as the engine ranks them with
    everyone at one place and no skills: fit is occupation (and an equal journey). Seeker i owns
    the rows where ``owner`` is i; vacancy j has row j of ``vacancy_rows``."""
    from matching.engine.core import match_all
    from matching.engine.model import Seeker, Vacancy

    place = dict(easting=434000, northing=406000)
    seekers = [
        Seeker(id=i + 1, skills=(), travel_modes=("walk",), max_travel_minutes=60.0,
               hours_min=0.0, hours_max=48.0, has_driving_licence=True, **place)
        for i in range(n_seekers)
    ]  # fmt: skip
    vacancies = [
        Vacancy(id=j + 1, employer_id=1, remote=False, skills=(), essential_skills=(),
                hours_per_week=37.5, requires_driving_licence=False, status="open",
                closing_date=None, positions=1, positions_filled=0, **place)
        for j in range(vacancy_rows.shape[0])
    ]  # fmt: skip
    result = match_all(
        seekers,
        vacancies,
        today=dt.date.today(),
        seeker_occupations=seeker_rows,
        occupation_owner=owner,
        vacancy_occupations=vacancy_rows,
        k=len(vacancies),
    )
    ranked = []
    for i in range(n_seekers):
        mine = result.matches.for_seeker(i + 1)
        order = np.argsort(-mine.fit, kind="stable")  # by fit: congestion is not the question
        ranked.append([int(v) - 1 for v in mine.vacancy_id[order]])
    return ranked


def title_task(
    rows: list[dict], cache_dir: Path, *, vacancy_title: str | None = None, index=None
) -> dict[str, dict[str, float]]:
    """Return {"engine": figures, "tfidf": figures} for labelled title ``rows`` (columns of
    ``uk_job_titles.csv``). ``vacancy_title``: give every vacancy this title instead of its
    occupation's label (its description alone then tells). ``index``: the occupation index to
    search (by default one without the UK title aliases equal to these titles)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from matching.engine.meaning import blend, load_occupation_meaning
    from matching.engine.occupations import build_index
    from matching.engine.textmodel import load_text_model

    occupations = _occupations()
    targets = sorted({r["expected_id"] for r in rows if r["expected_id"] in occupations})
    at = {oid: i for i, oid in enumerate(targets)}
    rows = [r for r in rows if r["expected_id"] in at]
    truth = [
        {at[o] for o in [r["expected_id"], *filter(None, r["alternate_ids"].split("|"))] if o in at}
        for r in rows
    ]
    titles = [r["title"] for r in rows]
    index = index or build_index(exclude_titles=titles)
    vacancy_titles = [vacancy_title or occupations[o]["preferred_label"] for o in targets]
    vacancy_texts = [f"{vacancy_titles[j]}. {occupations[o]['description']}"
                     for j, o in enumerate(targets)]  # fmt: skip

    # The engine, everyone at one place, no skills: fit is occupation (and an equal journey).
    meaning = load_occupation_meaning(cache_dir)
    model = load_text_model()
    seeker_rows = blend(index.title_matrix(titles).astype(np.float64).tocsr(),
                        meaning.rows(model.embed(titles)), index.position)  # fmt: skip
    vacancy_rows = blend(index.title_matrix(vacancy_titles).astype(np.float64).tocsr(),
                         meaning.rows(model.embed(vacancy_texts)), index.position)  # fmt: skip
    ranked = _ranked_by_engine(seeker_rows, np.arange(len(rows)), vacancy_rows, len(rows))
    engine = _figures(ranked, truth)

    # Baseline: character n-gram TF-IDF over title and tasks.
    tfidf = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    tfidf.fit(vacancy_texts + titles)
    sims = (tfidf.transform(titles) @ tfidf.transform(vacancy_texts).T).toarray()
    baseline = _figures([list(np.argsort(-s, kind="stable")) for s in sims], truth)
    return {"engine": engine, "tfidf": baseline}


def title_sweep(rows: list[dict], cache_dir: Path) -> list[tuple[str, dict[str, float]]]:
    """The title task on ``rows`` under the choices the engine's constants make: words or
    meaning alone, the blend, an uninformative vacancy title, and the meaning rows' ``TOP_K``,
    ``FLOOR`` and ``MIN_SHARE``. For tuning rows only: the constants were chosen on these."""
    from matching.engine import meaning, weights

    saved = {
        (weights, "TITLE_LEXICAL"): weights.TITLE_LEXICAL,
        (weights, "TEXT_MEANING"): weights.TEXT_MEANING,
        (meaning, "TOP_K"): meaning.TOP_K,
        (meaning, "FLOOR"): meaning.FLOOR,
        (meaning, "MIN_SHARE"): meaning.MIN_SHARE,
        **_family_settings(),
    }
    variants = [
        ("as set", {}, None),
        *_family_variants(),
        ("words alone", {(weights, "TEXT_MEANING"): 0.0}, None),
        ("meaning alone", {(weights, "TITLE_LEXICAL"): 0.0, (meaning, "MIN_SHARE"): 0.0}, None),
        ("vacancy titled 'operative'", {}, "operative"),
        *[
            (f"TOP_K {k}, FLOOR {f}", {(meaning, "TOP_K"): k, (meaning, "FLOOR"): f}, None)
            for k in (5, 10, 20)
            for f in (0.0, 0.3)
        ],
        *[(f"MIN_SHARE {m}", {(meaning, "MIN_SHARE"): m}, None) for m in (0.0, 0.15, 0.2)],
    ]
    from matching.engine.occupations import build_index

    index = build_index(exclude_titles=[r["title"] for r in rows])
    out = []
    try:
        for name, change, title in variants:
            _apply(saved, change)
            figures = title_task(rows, cache_dir, vacancy_title=title, index=index)
            out.append((name, figures["engine"]))
    finally:
        _apply(saved, {})
    return out


def _family_settings() -> dict:
    """The settings of the families of occupations a sweep may change (``meaning.py``)."""
    from matching.engine import meaning, weights

    return {
        (weights, "OCCUPATION_NEAR"): weights.OCCUPATION_NEAR,
        (weights, "OCCUPATION_FAMILY"): weights.OCCUPATION_FAMILY,
        (meaning, "FAMILY_TOP_K"): meaning.FAMILY_TOP_K,
        (meaning, "FAMILY_FLOOR"): meaning.FAMILY_FLOOR,
        (meaning, "FAMILIES"): meaning.FAMILIES,
        (meaning, "_family_centres"): meaning._family_centres,
    }


def _family_variants() -> list[tuple[str, dict, None]]:
    """Sweep variants for the families: none, other weights, other nearest and floor, and other
    numbers of families (clustered here as ``scripts/derive_occupation_families.py`` does)."""
    from matching.engine import meaning, weights

    def share(near: float) -> dict:
        return {(weights, "OCCUPATION_NEAR"): near, (weights, "OCCUPATION_FAMILY"): 1.0 - near}

    out = [("no families", share(1.0), None)]
    out += [(f"families' share {1 - near:.1f}", share(near), None) for near in (0.8, 0.6)]
    for top, floor in ((5, 0.2), (10, 0.3)):
        change = {(meaning, "FAMILY_TOP_K"): top, (meaning, "FAMILY_FLOOR"): floor}
        out.append((f"families: nearest {top}, floor {floor}", change, None))
    for n in (250, 1000):
        change = {(meaning, "FAMILIES"): n, (meaning, "_family_centres"): _clustered(n)}
        out.append((f"{n} families", change, None))
    return out


def _clustered(n: int):
    """A stand-in for ``meaning._family_centres`` that clusters the occupations into ``n``
    families (k-means, as the derivation script does)."""
    from sklearn.cluster import KMeans

    def centres(occupations) -> np.ndarray:
        km = KMeans(n, n_init=4, random_state=0).fit(occupations.reps.astype(np.float64))
        c = km.cluster_centers_.astype(np.float32)
        return c / np.linalg.norm(c, axis=1, keepdims=True)

    return centres


def _apply(saved: dict, change: dict) -> None:
    """Set every saved setting to its value in ``change`` (else back to the saved one), and
    forget the loaded occupation meaning so its family centres follow."""
    from matching.engine import meaning

    for (module, attr), value in saved.items():
        setattr(module, attr, change.get((module, attr), value))
    meaning._LOADED.clear()


def _precision10(ranked: list[list[int]], categories: list[str]) -> float:
    """Mean share of the first 10 of each list (the query's own advert left out) in the query's
    category; a list shorter than 10 counts its missing places as wrong."""
    shares = []
    for query, order in enumerate(ranked):
        top = [j for j in order if j != query][:10]
        shares.append(sum(categories[j] == categories[query] for j in top) / 10.0)
    return float(np.mean(shares))


def advert_task(
    rows: list[dict], cache_dir: Path, *, vacancy_weights: tuple[float, float] | None = None
) -> dict[str, float]:
    """The advert task: each advert (``title``, ``description``, ``category``) posted as a
    vacancy, everyone at one place, no skills typed; for each advert a seeker who typed its title
    as the job they want ("title"), and one who also wrote its description about themselves
    ("title and text"). Precision at 10 of same-category vacancies among the seeker's matches
    (by fit, its own advert left out), through the occupation rows the service builds, beside
    word TF-IDF over title and description with the same queries. Returns {name: P@10}.
    ``vacancy_weights``: (title words, text meaning) for the vacancies' rows instead of
    ``weights.TITLE_LEXICAL`` and ``weights.TEXT_MEANING`` (a sweep's question)."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

    from matching.engine.meaning import blend, load_occupation_meaning
    from matching.engine.occupations import load_occupations
    from matching.engine.textmodel import load_text_model

    categories = [r["category"] for r in rows]
    titles = [r["title"] for r in rows]
    texts = [f"{r['title']}. {r['description']}".strip() for r in rows]  # as texts.vacancy_text
    index = load_occupations()
    meaning = load_occupation_meaning(cache_dir)
    model = load_text_model()
    title_lexical = index.title_matrix(titles).astype(np.float64).tocsr()
    text_meaning = meaning.rows(model.embed(texts))
    from matching.engine import weights

    saved = weights.TITLE_LEXICAL, weights.TEXT_MEANING
    try:
        if vacancy_weights is not None:
            weights.TITLE_LEXICAL, weights.TEXT_MEANING = vacancy_weights
        vacancy_rows = blend(title_lexical, text_meaning, index.position)
    finally:
        weights.TITLE_LEXICAL, weights.TEXT_MEANING = saved
    title_rows = blend(title_lexical, meaning.rows(model.embed(titles)), index.position)
    own_words = blend(sp.csr_matrix(title_lexical.shape), meaning.rows(model.embed(
        [r["description"] for r in rows])), index.position)  # fmt: skip
    n = len(rows)

    def engine(seeker_rows: sp.csr_matrix, owner: np.ndarray) -> float:
        return _precision10(_ranked_by_engine(seeker_rows, owner, vacancy_rows, n), categories)

    out = {
        "engine, title": engine(title_rows, np.arange(n)),
        "engine, title and text": engine(
            sp.vstack([title_rows, own_words]).tocsr(), np.concatenate([np.arange(n)] * 2)
        ),
    }
    tfidf = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit(texts)
    docs = tfidf.transform(texts)
    for name, queries in (("TF-IDF words, title", titles), ("TF-IDF words, title and text", texts)):
        sims = (tfidf.transform(queries) @ docs.T).toarray()
        out[name] = _precision10([list(np.argsort(-s, kind="stable")) for s in sims], categories)
    return out


def advert_sweep(rows: list[dict], cache_dir: Path) -> list[tuple[str, dict[str, float]]]:
    """The advert task on ``rows`` (tuning adverts only) under other settings: the blend's
    weights for both sides, and for the vacancies alone (whose text says more than a title),
    and the meaning rows' ``TOP_K`` and ``MIN_SHARE``."""
    from matching.engine import meaning, weights

    saved = {
        (weights, "TITLE_LEXICAL"): weights.TITLE_LEXICAL,
        (weights, "TEXT_MEANING"): weights.TEXT_MEANING,
        (meaning, "TOP_K"): meaning.TOP_K,
        (meaning, "MIN_SHARE"): meaning.MIN_SHARE,
        **_family_settings(),
    }
    variants = [("as set", {}, None), *_family_variants()]
    for lex in (0.8, 0.4, 0.2):
        change = {(weights, "TITLE_LEXICAL"): lex, (weights, "TEXT_MEANING"): 1.0 - lex}
        variants.append((f"both sides words {lex}", change, None))
    for lex in (0.4, 0.3, 0.2, 0.0):
        variants.append((f"vacancies words {lex}", {}, (lex, 1.0 - lex)))
    variants += [(f"TOP_K {k}", {(meaning, "TOP_K"): k}, None) for k in (5, 20)]
    variants += [(f"MIN_SHARE {m}", {(meaning, "MIN_SHARE"): m}, None) for m in (0.0, 0.2)]
    out = []
    try:
        for name, change, vacancy_weights in variants:
            _apply(saved, change)
            out.append((name, advert_task(rows, cache_dir, vacancy_weights=vacancy_weights)))
    finally:
        _apply(saved, {})
    return out
