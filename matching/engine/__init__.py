"""The matching engine: plain Python (no Django), fed plain data, tested without a database.

This is its front door: the Django side (``matching/services.py``, ``selectors.py``, the
adapter, the look-ups) imports from here, never from the modules inside, and import-linter holds
it to that. The names load on first use, so importing the package costs nothing until the
engine is needed. Inside, one concern per module:

- ``model``: the plain records (a seeker, a vacancy, congestion inputs, results);
- ``context``: what every score of a run depends on besides the pair;
- ``index``: the vacancies that can be matched today, indexed for the compiled loop;
- ``core``: the batch (``match_all``: both directions' top k), with ``kernel`` its compiled loop;
- ``reasons`` and ``wording``: why a pair is or is not a match, and those reasons in words;
- ``reference``: one pair's fit in plain Python, the definition the kernel must agree with;
- ``congestion`` and ``metrics``: the order people see, and how evenly it spreads;
- ``travel``: journeys by mode; ``weights``: every tunable number, with its source;
- reference data and how text is read, beside the scorer: ``skills`` (the taxonomy and the
  normaliser), ``skillspace`` (skill families), ``occupations`` (titles to occupations),
  ``meaning`` (occupation families and text meaning), ``textmodel`` (the sentence model).

See ``docs/rules/matching.md`` for the score in plain language.
"""

from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    # the batch and its records
    "MatchContext": "context",
    "MatchResult": "core",
    "match_all": "core",
    "warm_up": "core",
    "Congestion": "model",
    "Seeker": "model",
    "Vacancy": "model",
    "VacancyBasis": "model",
    "exposure_report": "metrics",
    # reasons
    "ReasonBuilder": "reasons",
    "pair_explanation": "reasons",
    "skill_labels": "wording",
    "stored": "wording",
    "with_places": "wording",
    "worded": "wording",
    # reference data and text
    "load_taxonomy": "skills",
    "skill_key": "skills",
    "SkillSpace": "skillspace",
    "load_occupations": "occupations",
    "MEANING_ID": "meaning",
    "SUGGESTIONS": "meaning",
    "blend": "meaning",
    "clauses": "meaning",
    "load_occupation_meaning": "meaning",
    "row_width": "meaning",
    "TextModelMissing": "textmodel",
    "load_text_model": "textmodel",
    "normalise_text": "textmodel",
    "text_key": "textmodel",
    "DEFAULT_K": "weights",
}

__all__ = [*_EXPORTS, "weights"]


def __getattr__(name: str):
    if name == "weights":  # the tunable numbers, read as a module
        return import_module(f"{__name__}.weights")
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
