"""Turn rows into the engine's plain inputs, once per run. No queries inside a scoring loop:
each function here takes already-fetched rows (or does one query for a whole set)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from employers.models import Vacancy as VacancyRow
from matching import engine
from matching.engine import load_occupations, skill_key
from matching.texts import vacancy_text
from seekers.models import SeekerProfile


def skill_keys(items: Iterable[dict]) -> list[str]:
    """Return engine keys (taxonomy id, or ``text:<normalised>``) for stored skill items."""
    return list(dict.fromkeys(skill_key(item) for item in items or ()))


def seeker_input(profile: SeekerProfile) -> engine.Seeker:
    return engine.Seeker(
        id=profile.pk,
        easting=profile.easting,
        northing=profile.northing,
        skills=tuple(skill_keys(profile.skills)),
        travel_modes=tuple(profile.travel_modes or ()),
        max_travel_minutes=float(profile.max_travel_minutes),
        hours_min=float(profile.hours_min),
        hours_max=float(profile.hours_max),
        has_driving_licence=profile.has_driving_licence,
    )


def vacancy_input(vacancy: VacancyRow, *, positions_filled: int = 0) -> engine.Vacancy:
    return engine.Vacancy(
        id=vacancy.pk,
        employer_id=vacancy.employer_id,
        easting=vacancy.easting,
        northing=vacancy.northing,
        remote=vacancy.remote,
        skills=tuple(skill_keys(vacancy.skills)),
        essential_skills=tuple(skill_keys(vacancy.essential_skills)),
        hours_per_week=float(vacancy.hours_per_week),
        requires_driving_licence=vacancy.requires_driving_licence,
        status=vacancy.status,
        closing_date=vacancy.closing_date,
        positions=vacancy.positions,
        positions_filled=positions_filled,
    )


def skill_labels(rows: Iterable) -> dict[str, str]:
    """Return key -> label for every skill item on these profiles or vacancies."""
    labels: dict[str, str] = {}
    for row in rows:
        for field in ("skills", "essential_skills"):
            for item in getattr(row, field, None) or ():
                if item.get("id"):
                    labels.setdefault(item["id"], item.get("label") or item["id"])
    return labels


# Occupation rows by (words, text): a title's words (None: none) and the text whose meaning is
# read. Kept per process once the text's meaning is known: a recompute of one seeker or vacancy
# builds the rows of a whole town, and most titles and texts recur from run to run.
_ROWS: dict[tuple[str | None, str], tuple[np.ndarray, np.ndarray]] = {}


def _occupation_rows(items: Sequence[tuple[str | None, str]], *, compute: bool) -> sp.csr_matrix:
    """One row per (words, text) over ESCO occupations: the words' nearest occupations blended
    with what the text means (``matching.engine.meaning.blend``). A text whose meaning is not
    known yet (a request never embeds) keeps its words alone, and is not kept."""
    from matching.engine import blend, normalise_text, row_width, text_key
    from matching.texts import text_meanings

    index = load_occupations()
    todo = [item for item in dict.fromkeys(items) if item not in _ROWS]
    fresh: dict[tuple[str | None, str], tuple[np.ndarray, np.ndarray]] = {}
    if todo:
        lexical = index.title_matrix([words or "" for words, _ in todo]).astype(np.float64)
        lexical = sp.csr_matrix(lexical)
        for r, (words, _) in enumerate(todo):
            if words is None:  # own words are not a title: their meaning alone
                lexical.data[lexical.indptr[r] : lexical.indptr[r + 1]] = 0.0
        lexical.eliminate_zeros()
        meanings = text_meanings([text for _, text in todo], compute=compute)
        known = [meanings.get(text_key(text)) for _, text in todo]
        rows = blend(lexical, [m or {} for m in known], index.position)
        for r, item in enumerate(todo):
            row = (rows.indices[rows.indptr[r] : rows.indptr[r + 1]].copy(),
                   rows.data[rows.indptr[r] : rows.indptr[r + 1]].copy())  # fmt: skip
            fresh[item] = row
            if known[r] is not None or not normalise_text(item[1]):
                _ROWS[item] = row
    parts = [_ROWS.get(item) or fresh[item] for item in items]
    indptr = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum([len(cols) for cols, _ in parts], out=indptr[1:])
    cols = np.concatenate([c for c, _ in parts]) if parts else np.zeros(0, dtype=np.int32)
    vals = np.concatenate([v for _, v in parts]) if parts else np.zeros(0)
    return sp.csr_matrix(
        (vals, cols, indptr), shape=(len(parts), row_width(index.n)), dtype=np.float64
    )


def seeker_occupations(
    profiles: Sequence[SeekerProfile], *, compute: bool = False
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Return one row per desired title over ESCO occupations (its words and its meaning), and
    one for what the seeker wrote about themselves (its meaning alone), and for each row the
    position of its seeker in ``profiles``: a seeker fits a vacancy as well as their best row
    does. ``compute``: embed texts not seen before (the worker only)."""
    items: list[tuple[str | None, str]] = []
    owner: list[int] = []
    for i, profile in enumerate(profiles):
        for title in profile.desired_titles or ():
            items.append((title, title))
            owner.append(i)
        if (getattr(profile, "about", "") or "").strip():
            items.append((None, profile.about))
            owner.append(i)
    return _occupation_rows(items, compute=compute), np.asarray(owner, dtype=np.int64)


def vacancy_occupations(vacancies: Sequence[VacancyRow], *, compute: bool = False) -> sp.csr_matrix:
    """Return one row per vacancy over ESCO occupations: its title's words blended with what its
    title and description mean. ``compute``: embed texts not seen before (the worker only)."""
    return _occupation_rows([(v.title, vacancy_text(v)) for v in vacancies], compute=compute)
