"""The Django side's door to the plain-Python postcode index and skills taxonomy.

Both are loaded once per process (the postcode index is built once into ``var/cache/`` and
memory-mapped after that; the taxonomy is read from ``matching/data/``).
"""

from __future__ import annotations

from django.conf import settings

from jobmatch.errors import Invalid
from matching.postcodes import Location, PostcodeError, load_index

__all__ = [
    "Location",
    "PostcodeError",
    "SkillError",
    "postcode_locate",
    "skills_suggest",
    "skills_understand",
]

ALTERNATIVES = 4  # other readings offered beside each understood phrase


class SkillError(ValueError):
    """A skill as sent cannot be taken: the message says why and what to send instead."""


# How a stored skill came to be: the normaliser's reading of the person's words, a taxonomy
# skill the person picked, or their own words kept as they are.
UNDERSTOOD, CHOSEN, OWN_WORDS = "understood", "chosen", "own words"


def postcode_index():
    return load_index(settings.CACHE_DIR)


def postcode_locate(text: str) -> Location:
    """Return the location of a postcode; raise ``PostcodeError`` with a message for a person."""
    return postcode_index().lookup(text)


def place_of(postcode: str | Location) -> Location:
    """Where a postcode is: one typed is located (``PostcodeError`` if it cannot be); a
    ``Location`` already found is taken as it is."""
    return postcode if isinstance(postcode, Location) else postcode_locate(postcode)


def place_fields(postcode: str | Location) -> dict:
    """The fields a profile or vacancy stores for a postcode: the postcode as written by the
    index, its easting and northing. One that cannot be located raises ``Invalid`` on
    ``postcode``, with the reason."""
    try:
        place = place_of(postcode)
    except PostcodeError as error:
        raise Invalid("postcode", str(error)) from None
    return {"postcode": place.postcode, "easting": place.easting, "northing": place.northing}


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _understood(item: dict) -> dict:
    return {
        "typed": item["typed"],
        "id": item["id"],
        "label": item["label"],
        "confidence": item.get("score", 0.0),
        "alternatives": [
            {"id": a["id"], "label": a["label"], "confidence": a.get("score", 0.0)}
            for a in item.get("alternatives", [])[:ALTERNATIVES]
        ],
        "how": UNDERSTOOD,
    }


def skills_understand(items: list, *, before: list[dict] | None = None) -> list[dict]:
    """Return skills as a person sent them, in the form a profile or vacancy stores and shows:
    ``{typed, id, label, confidence, alternatives, how}``, one per distinct skill.

    - Text: the person's words. Words stored before (the same, ignoring case and spacing) keep
      what they were stored as: a skill is never read again behind the person's back, so saving
      unchanged changes nothing. New words go through the normaliser: its reading, with a
      confidence and a few alternatives; ``id`` None when it does not know, and the words then
      match the same words on the other side.
    - ``{"id": ...}``: a taxonomy skill the person picked (a suggestion or an alternative),
      stored as chosen, with ``typed`` if given.
    - ``{"typed": ..., "id": null}``: the person's own words, kept as text.

    Raise ``SkillError`` for an id the taxonomy does not hold or an item of another shape.
    """
    from matching.engine import load_taxonomy, skill_key

    taxonomy = load_taxonomy()
    kept = {_fold(b.get("typed", "")): b for b in before or () if b.get("typed")}
    by_id = {b["id"]: b for b in before or () if b.get("id")}
    out: list[dict | None] = []
    to_read: list[tuple[int, str]] = []
    for item in items:
        if isinstance(item, str):
            typed = " ".join(item.split())
            if not typed:
                continue
            if _fold(typed) in kept:
                out.append(kept[_fold(typed)])
            else:
                to_read.append((len(out), typed))
                out.append(None)
            continue
        if not isinstance(item, dict) or not ({"id", "typed"} & set(item)):
            raise SkillError(
                'Send each skill as the words typed ("forklift driving") or as {"id": ...} '
                "for a skill picked from skills/?search=."
            )
        typed = " ".join(str(item.get("typed") or "").split())
        concept = item.get("id")
        if concept:
            label = taxonomy.label_of(str(concept))
            if label is None:
                raise SkillError(
                    f"There is no skill with the id {concept!r}: pick one from "
                    "skills/?search=, or send the words as text."
                )
            earlier = by_id.get(concept)
            if earlier is not None and (not typed or _fold(typed) == _fold(earlier["typed"])):
                out.append(earlier)
            else:
                out.append(
                    {
                        "typed": typed or label,
                        "id": concept,
                        "label": label,
                        "confidence": 1.0,
                        "alternatives": [],
                        "how": CHOSEN,
                    }
                )
        elif typed:
            earlier = kept.get(_fold(typed))
            if earlier is not None and not earlier.get("id"):
                out.append(earlier)
            else:
                out.append(
                    {
                        "typed": typed,
                        "id": None,
                        "label": None,
                        "confidence": None,
                        "alternatives": [],
                        "how": OWN_WORDS,
                    }
                )
    if to_read:
        read = taxonomy.normalise([typed for _, typed in to_read])
        by_typed = {_fold(r["typed"]): r for r in read}
        for at, typed in to_read:
            # Phrases that the normaliser collapsed into one skill leave their later copies
            # unread: they are dropped as duplicates below.
            found = by_typed.get(_fold(typed))
            out[at] = _understood(found) if found is not None else None
    unique: dict[str, dict] = {}
    for item in out:
        if item is not None:
            unique.setdefault(skill_key(item), item)
    return list(unique.values())


def skills_suggest(prefix: str, limit: int = 10) -> list[dict]:
    from matching.engine import load_taxonomy

    return load_taxonomy().suggest(prefix, limit=limit)
