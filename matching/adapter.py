"""Turn rows into the engine's plain inputs, once per run. No queries inside a scoring loop:
each function here takes already-fetched rows (or does one query for a whole set)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from employers.models import Vacancy as VacancyRow
from matching.engine import model as engine
from matching.engine.occupations import load_occupations
from matching.engine.skills import skill_key
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


def _blend(lexical: sp.csr_matrix | None, texts: Sequence[str], *, compute: bool) -> sp.csr_matrix:
    """``lexical`` blended with what ``texts`` mean (``matching.engine.meaning.blend``); None:
    their meaning alone. A text whose meaning is not known yet (a request never embeds) keeps
    its words alone."""
    from matching.engine.meaning import blend
    from matching.engine.textmodel import text_key
    from matching.texts import text_meanings

    meanings = text_meanings(texts, compute=compute)
    rows = [meanings.get(text_key(t), {}) for t in texts]
    position = load_occupations().position
    if lexical is None:
        lexical = sp.csr_matrix((len(texts), len(position)), dtype=np.float64)
    return blend(lexical, rows, position)


def seeker_occupations(
    profiles: Sequence[SeekerProfile], *, compute: bool = False
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Return one row per desired title over ESCO occupations (its words and its meaning), and
    one for what the seeker wrote about themselves (its meaning alone), and for each row the
    position of its seeker in ``profiles``: a seeker fits a vacancy as well as their best row
    does. ``compute``: embed texts not seen before (the worker only)."""
    index = load_occupations()
    titles: list[str] = []
    owner: list[int] = []
    abouts: list[str] = []
    about_owner: list[int] = []
    for i, profile in enumerate(profiles):
        for title in profile.desired_titles or ():
            titles.append(title)
            owner.append(i)
        if (getattr(profile, "about", "") or "").strip():
            abouts.append(profile.about)
            about_owner.append(i)
    if not titles and not abouts:
        return sp.csr_matrix((0, index.n), dtype=np.float64), np.zeros(0, dtype=np.int64)
    lexical = index.title_matrix(titles).astype(np.float64).tocsr() if titles else None
    # Own words are not a title: no words to match against labels, only their meaning.
    rows = sp.vstack(
        [
            *([_blend(lexical, titles, compute=compute)] if titles else []),
            *([_blend(None, abouts, compute=compute)] if abouts else []),
        ]
    ).tocsr()
    return rows, np.asarray([*owner, *about_owner], dtype=np.int64)


def vacancy_occupations(vacancies: Sequence[VacancyRow], *, compute: bool = False) -> sp.csr_matrix:
    """Return one row per vacancy over ESCO occupations: its title's words blended with what its
    title and description mean. ``compute``: embed texts not seen before (the worker only)."""
    index = load_occupations()
    if not vacancies:
        return sp.csr_matrix((0, index.n), dtype=np.float64)
    lexical = index.title_matrix([v.title for v in vacancies]).astype(np.float64).tocsr()
    return _blend(lexical, [vacancy_text(v) for v in vacancies], compute=compute)
