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


def text_meanings(texts: Iterable[str], *, compute: bool = False) -> dict[str, dict[str, float]]:
    """Return {text key: {ESCO occupation id: weight}} for these texts (blank ones are left
    out). With ``compute`` (the worker), texts not stored yet are embedded and stored; without,
    they are simply missing, and the caller goes by the words alone."""
    from matching.engine.textmodel import MODEL_ID, normalise_text, text_key

    wanted = {text_key(t): normalise_text(t) for t in texts if normalise_text(t)}
    todo = [k for k in wanted if k not in _KNOWN]
    if todo:
        for row in TextMeaning.objects.filter(key__in=todo, model=MODEL_ID):
            _KNOWN[row.key] = row.occupations
        todo = [k for k in todo if k not in _KNOWN]
    if todo and compute:
        from matching.engine.meaning import load_occupation_meaning
        from matching.engine.textmodel import TextModelMissing, load_text_model

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
                TextMeaning(key=k, model=MODEL_ID, occupations=row)
                for k, row in zip(todo, rows, strict=True)
            ],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["model", "occupations"],
        )
        _KNOWN.update(zip(todo, rows, strict=True))
    return {k: _KNOWN[k] for k in wanted if k in _KNOWN}
