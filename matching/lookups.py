"""The Django side's door to the plain-Python postcode index and skills taxonomy.

Both are loaded once per process (the postcode index is built once into ``var/cache/`` and
memory-mapped after that; the taxonomy is read from ``matching/data/``).
"""

from __future__ import annotations

from django.conf import settings

from matching.postcodes import Location, PostcodeError, load_index

__all__ = ["Location", "PostcodeError", "postcode_locate", "skills_normalise", "skills_suggest"]


def postcode_index():
    return load_index(settings.CACHE_DIR)


def postcode_locate(text: str) -> Location:
    """Return the location of a postcode; raise ``PostcodeError`` with a message for a person."""
    return postcode_index().lookup(text)


def skills_normalise(phrases: list[str]) -> list[dict]:
    """Return ``[{typed, id, label}]`` for typed skills, ``id`` None where nothing matched."""
    from matching.engine.skills import load_taxonomy

    return [
        {"typed": item["typed"], "id": item["id"], "label": item["label"]}
        for item in load_taxonomy().normalise(phrases)
    ]


def skills_suggest(prefix: str, limit: int = 10) -> list[dict]:
    from matching.engine.skills import load_taxonomy

    return load_taxonomy().suggest(prefix, limit=limit)
