"""Wording of congestion, kept apart so a read can word it from the numbers a row stores and the
pair's places at read time (stored rows keep numbers, not sentences: a town's full run writes
tens of thousands of rows, and the sentences were a third of their size). Plain Python, no
imports: pages and the API use it without loading the engine."""

from __future__ import annotations

WORDED = ("causes", "message")  # keys of a pair's congestion that are words, made at read


def congestion_causes(info: dict) -> list[str]:
    """Say what the congestion rules found for a pair, each a clause, from its numbers:
    ``crowded``, ``shown_to``, ``positions``, ``applications_per_position``, ``answer_rate``."""
    causes = []
    if info.get("crowded"):
        shown, positions = info.get("shown_to", 0), info.get("positions", 1)
        causes.append(
            f"many people who fit it at least as well are already being shown it ({shown} "
            f"people for {positions} open position{'s' if positions != 1 else ''})"
        )
    ratio = info.get("applications_per_position", 0.0)
    if ratio:
        causes.append(
            f"it already has {ratio:.0f} application{'s' if round(ratio) != 1 else ''} "
            "per open position"
        )
    rate = info.get("answer_rate", 1.0)
    if rate < 1.0:
        causes.append(f"this employer answers {rate:.0%} of applications")
    return causes


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


def stored(reasons: dict) -> dict:
    """Return ``reasons`` as a row stores them: the congestion's words left out."""
    congestion = reasons.get("congestion")
    if not congestion:
        return reasons
    numbers = {k: v for k, v in congestion.items() if k not in WORDED}
    return {**reasons, "congestion": numbers}


def worded(reasons: dict, *, moved: int | None = None) -> dict:
    """Return stored reasons with the congestion worded, ``moved`` places down (by default the
    places the run moved it)."""
    congestion = reasons.get("congestion")
    if not congestion:
        return reasons
    if moved is None:
        moved = congestion.get("moved_down_by", 0)
    causes = congestion.get("causes") or congestion_causes(congestion)
    congestion = {
        **congestion,
        "moved_down_by": moved,
        "causes": causes,
        "message": congestion_message(moved, causes),
    }
    return {**reasons, "congestion": congestion}


def with_places(reasons: dict, *, rank: int, fit_rank: int) -> dict:
    """Return stored reasons with the congestion worded for the pair's ranks now."""
    return worded(reasons, moved=max(0, rank - fit_rank))
