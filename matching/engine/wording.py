"""Wording of a pair's reasons, kept apart so a read can word them from the numbers a row stores
and the pair's places at read time. Stored rows keep numbers, not sentences, and skills as
[key, label] pairs: a town's full run writes tens of thousands of rows, and the words were a
third of their size. Plain Python, no imports: pages and the API use it without loading the
engine.

A pair as stored (``reasons.ReasonBuilder.pair``): ``skills_matched`` as [key, label, essential],
``skills_missing_essential`` and ``skills_missing_optional`` as [key, label], most important
first; ``skills_near`` as [key, label]: the asked skills not held of whose family the seeker
holds one (rows stored before engine-1.3 have none); ``remote``, ``distance_km``,
``minutes_by_mode``, ``mode`` (the quickest way within the seeker's limit),
``minutes_are_estimate``, ``fit``, ``fit_parts``, ``occupation_fit``, ``help``
([the missing skill that would raise the fit most, the fit with it] or None) and
``congestion`` (numbers). ``shown`` turns it into what the API and pages show: skills as
{"key", "label", "essential"}, ``skills_asked``, a ``summary`` and a ``help`` sentence.
"""

from __future__ import annotations

WORDED = ("causes", "message")  # keys of a pair's congestion that are words, made at read

# The occupation part of a fit (0 to 1) as words. Two rows meet at 0.5 or more only when they
# share occupations; a pair that shares only a family of occupations, a neighbouring kind of
# work, is at most ``weights.OCCUPATION_FAMILY`` (0.3: ``meaning.blend`` keeps each part's
# weight). Below NEAR_KIND the part says nothing.
KIND_OF_JOB = 0.5
NEAR_KIND = 0.1

MODE_LABELS = {
    "walk": "on foot",
    "cycle": "by bike",
    "public_transport": "by bus or train",
    "car": "by car",
}


def shown(reasons: dict) -> dict:
    """Return a stored pair's reasons as shown (its congestion left as it is: ``worded``)."""
    if "summary" in reasons:  # stored worded, before engine-1.2: already as shown
        return reasons
    matched = [
        {"key": k, "label": label, "essential": e} for k, label, e in reasons["skills_matched"]
    ]
    essential = [
        {"key": k, "label": label, "essential": True}
        for k, label in reasons["skills_missing_essential"]
    ]
    optional = [
        {"key": k, "label": label, "essential": False}
        for k, label in reasons["skills_missing_optional"]
    ]
    near = [{"key": k, "label": label} for k, label in reasons.get("skills_near", ())]
    out = dict(reasons)
    out.update(
        skills_near=near,
        skills_matched=matched,
        skills_missing_essential=essential,
        skills_missing_optional=optional,
        skills_asked=len(matched) + len(essential) + len(optional),
        summary=summary(reasons),
        help=help_sentence(reasons),
    )
    out.pop("mode", None)
    return out


def skill_labels(reasons: dict, which: str) -> list[str]:
    """The labels of a pair's ``which`` skills ("skills_matched", "skills_missing_essential",
    "skills_missing_optional"), stored or shown."""
    return [s["label"] if isinstance(s, dict) else s[1] for s in reasons.get(which, [])]


def summary(reasons: dict) -> str:
    """One sentence: the skills held of those asked, whether it is the kind of job wanted, the
    journey (from a stored pair)."""
    held = len(reasons["skills_matched"])
    asked = (
        held + len(reasons["skills_missing_essential"]) + len(reasons["skills_missing_optional"])
    )
    near = len(reasons.get("skills_near", ()))
    parts = [
        f"You have {held} of the {asked} skills asked"
        if asked
        else "It asks for no particular skills"
    ]
    if near:
        parts[0] += f", and skills close to {near} more"
    occupation = reasons["fit_parts"]["occupation"]
    if occupation >= KIND_OF_JOB:
        parts.append("it is the kind of job you are looking for")
    elif occupation >= NEAR_KIND:
        parts.append("it is close to the kind of work you are looking for")
    mode = reasons.get("mode")
    if reasons["remote"]:
        parts.append("it is remote, with no journey")
    elif mode is not None:
        estimate = ", estimate" if reasons["minutes_are_estimate"] else ""
        minutes = reasons["minutes_by_mode"][mode]
        journey = f"about {minutes} min" if minutes >= 1 else "under a minute"
        parts.append(f"{journey} {MODE_LABELS[mode]} ({reasons['distance_km']:.1f} km{estimate})")
    return "; ".join(parts) + "."


def help_sentence(reasons: dict) -> str:
    """One sentence: the missing skill that would raise the fit most, or that none is missing
    (empty for a pair that is not a match)."""
    if reasons.get("fit") is None:
        return ""
    best = reasons.get("help")
    if best is None:
        if not reasons["skills_matched"]:  # nothing missing and nothing held: none asked
            return "It asks for no particular skills: read what the job involves."
        return "You have every skill this job asks for: it is worth applying."
    key, after = best
    fit = reasons["fit"]
    for k, label in reasons["skills_missing_essential"]:
        if k == key:
            return (
                f"Add the skill “{label}”: it is essential for this job, and your fit would "
                f"rise from {fit:.0%} to {after:.0%}."
            )
    label = next(label for k, label in reasons["skills_missing_optional"] if k == key)
    return f"Add the skill “{label}”: it would raise your fit from {fit:.0%} to {after:.0%}."


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
    """Return stored reasons as shown, the congestion worded, ``moved`` places down (by default
    the places the run moved it)."""
    reasons = shown(reasons)
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
