"""Wording that depends on where a pair stands in its seeker's list, kept apart so a read can
word it from the ranks at read time (stored rows keep their causes, not their places). Plain
Python, no imports: pages and the API use it without loading the engine."""

from __future__ import annotations


def congestion_message(moved: int | None, causes: list[str]) -> str | None:
    """Say why a pair sits lower than its fit alone would place it. ``moved``: places down
    (None when unknown, as for a single pair explained outside a run); ``causes``: the reasons
    the congestion rules found, each a clause."""
    if not causes:
        return None
    if moved is None:
        return "Shown lower than its fit alone would place it because " + " and ".join(causes) + "."
    if moved > 0:
        places = "place" if moved == 1 else "places"
        return f"Shown {moved} {places} lower because " + " and ".join(causes) + "."
    return None


def with_places(reasons: dict, *, rank: int, fit_rank: int) -> dict:
    """Return stored reasons with the congestion wording for the pair's ranks now."""
    congestion = reasons.get("congestion")
    if not congestion:
        return reasons
    moved = max(0, rank - fit_rank)
    congestion = {
        **congestion,
        "moved_down_by": moved,
        "message": congestion_message(moved, congestion.get("causes", [])),
    }
    return {**reasons, "congestion": congestion}
