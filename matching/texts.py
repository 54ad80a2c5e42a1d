"""Text meanings for the engine: each distinct text embedded once, in the worker, and stored by
its hash (``TextMeaning``); a request reads what is stored and never embeds."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings

from matching.models import TextMeaning

logger = logging.getLogger(__name__)
_WARNED: list[bool] = []

# Per process: what is known already, so a recompute reads the table only for new texts.
_KNOWN: dict[str, dict[str, float]] = {}


def vacancy_text(vacancy) -> str:
    """What a vacancy says of itself, as its meaning is read: title, then description."""
    return f"{vacancy.title}. {vacancy.description or ''}".strip()


def text_meanings(texts: Iterable[str], *, compute: bool = False) -> dict[str, dict[str, float]]:
    """Return {text key: {ESCO occupation id: weight}} for these texts (blank ones are left
    out). With ``compute`` (the worker), texts not stored yet are embedded and stored; without,
    they are simply missing, and the caller goes by the words alone."""
    from matching.engine import MEANING_ID, normalise_text, text_key

    wanted = {text_key(t): normalise_text(t) for t in texts if normalise_text(t)}
    todo = [k for k in wanted if k not in _KNOWN]
    if todo:
        for row in TextMeaning.objects.filter(key__in=todo, model=MEANING_ID):
            _KNOWN[row.key] = row.occupations
        todo = [k for k in todo if k not in _KNOWN]
    if todo and compute:
        from matching.engine import TextModelMissing, load_occupation_meaning, load_text_model

        try:
            meaning = load_occupation_meaning(settings.CACHE_DIR)
            rows = meaning.rows(load_text_model().embed([wanted[k] for k in todo]))
        except TextModelMissing as error:
            # An install without the model still matches, by words alone; say so once.
            if not _WARNED:
                logger.warning("Text meaning is off: %s", error)
                _WARNED.append(True)
            return {k: _KNOWN[k] for k in wanted if k in _KNOWN}
        TextMeaning.objects.bulk_create(
            [
                TextMeaning(key=k, model=MEANING_ID, occupations=row)
                for k, row in zip(todo, rows, strict=True)
            ],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["model", "occupations"],
        )
        _KNOWN.update(zip(todo, rows, strict=True))
    return {k: _KNOWN[k] for k in wanted if k in _KNOWN}


def text_skills(texts: Iterable[str], *, compute: bool = False) -> dict[str, list[dict]]:
    """Return {text key: [{id, label, confidence}]}: the skills each text names, to offer the
    person who wrote it, as the skill normaliser reads each clause (in a worker, by meaning
    too). With ``compute`` (the worker) texts not read yet are read and stored; without, they
    are missing."""
    from matching.engine import MEANING_ID, normalise_text, text_key

    wanted = {text_key(t): normalise_text(t) for t in texts if normalise_text(t)}
    stored = dict(
        TextMeaning.objects.filter(
            key__in=list(wanted), model=MEANING_ID, skills__isnull=False
        ).values_list("key", "skills")
    )
    todo = [k for k in wanted if k not in stored]
    if todo and compute:
        text_meanings([wanted[k] for k in todo], compute=True)  # the row to hold them
        for key in todo:
            stored[key] = _skills_named(wanted[key])
        # Kept where the meaning's row is (none without the model: read again next time).
        rows = list(TextMeaning.objects.filter(key__in=todo))
        for row in rows:
            row.skills = stored[row.key]
        TextMeaning.objects.bulk_update(rows, ["skills"])
    return stored


WINDOW = (2, 4)  # words in a window: one word alone says too little ("picking", "care")


def _skills_named(text: str) -> list[dict]:
    """Each clause as a phrase (any reading the normaliser accepts), and every run of two to
    four of its words that is a skill's label or alias as it stands ("You will need a DBS
    check" -> "DBS check"): a look-up, not a reading, since a text has a hundred such runs."""
    from matching.engine import SUGGESTIONS, clauses, load_taxonomy

    taxonomy = load_taxonomy()
    parts = clauses(text)
    windows = []
    for clause in parts:
        words = clause.split()
        for n in range(WINDOW[0], min(WINDOW[1], len(words)) + 1):
            windows += [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
    found: dict[str, dict] = {}
    for items in (taxonomy.normalise(parts), taxonomy.exact(windows)):
        for item in items:
            if item["id"]:
                found.setdefault(
                    item["id"],
                    {"id": item["id"], "label": item["label"], "confidence": item["score"]},
                )
    return sorted(found.values(), key=lambda s: -s["confidence"])[:SUGGESTIONS]


def skills_offered(text: str, *, held: Iterable[dict] = ()) -> list[dict]:
    """The skills a text names that its writer does not list yet, as read by the worker (none
    before it has read the text): ``[{id, label, confidence}]``, best first."""
    from matching.engine import text_key

    have = {item.get("id") for item in held if item.get("id")}
    found = text_skills([text]).get(text_key(text), [])
    return [s for s in found if s["id"] not in have]
