"""The placement workflow, in one table: each action with the states it leaves from, the state it
moves to, who may take it, what it asks for and whether the people on the placement are told.

Everything that moves a placement reads this table: the one transition service
(``placements.services.placement_act``), the API's actions and ``allowed_actions``, the pages'
buttons, the admin, the demo's simulated history and the tests. ``docs/rules/placements.md``
holds the same table in words and a state diagram generated from it
(``python manage.py placement_diagram``). Admins may take any action a party may take.
"""

from __future__ import annotations

from dataclasses import dataclass

from placements.inputs import AcceptOfferInput, EndInput, ReasonInput, RejectInput
from placements.models import OPEN_STATES, TERMINAL_STATES, State

SEEKER, MENTOR, EMPLOYER = "seeker", "mentor", "employer"
SYSTEM = "system"  # a move the service makes itself, never a person's action
NEW = ""  # the state before a placement exists

PARTY_WORDS = {SEEKER: "the jobseeker", MENTOR: "their mentor", EMPLOYER: "the employer"}
# Who hears of a move: the jobseeker, their mentor and the employer's members (the employer only
# once they may see the placement: not a mentor's proposal before the jobseeker accepts it).
EVERYONE = (SEEKER, MENTOR, EMPLOYER)


@dataclass(frozen=True)
class Action:
    name: str
    sources: tuple[str, ...]
    target: str
    actors: tuple[str, ...]
    input: type | None = None  # the serializer of what the person gives (placements.inputs)
    notifies: tuple[str, ...] = EVERYONE  # whom an in-app notice tells of the move

    @property
    def parties(self) -> str:
        """Who may take it, in words: "the jobseeker or their mentor", "the employer or the
        jobseeker's mentor"."""
        words = {**PARTY_WORDS}
        if SEEKER not in self.actors:
            words[MENTOR] = "the jobseeker's mentor"
        named = [words[who] for who in self.actors]
        return " or ".join(named) if len(named) < 3 else f"{', '.join(named[:-1])} or {named[-1]}"


# Ways a placement begins: from a match, never from nothing.
STARTS = {
    a.name: a
    for a in (
        Action("propose", (NEW,), State.PROPOSED, (MENTOR,)),
        Action("invite", (NEW,), State.PROPOSED, (EMPLOYER,)),
        Action("request-introduction", (NEW,), State.SEEKER_ACCEPTED, (SEEKER,)),
    )
}

# What people do to a placement that exists.
ACTIONS = {
    a.name: a
    for a in (
        Action("accept", (State.PROPOSED,), State.SEEKER_ACCEPTED, (SEEKER, MENTOR)),
        Action(
            "decline",
            (State.PROPOSED,),
            State.SEEKER_DECLINED,
            (SEEKER, MENTOR),
            ReasonInput,
            notifies=(),
        ),
        Action("interview", (State.SEEKER_ACCEPTED,), State.INTERVIEW, (EMPLOYER,), ReasonInput),
        Action(
            "offer",
            (State.SEEKER_ACCEPTED, State.INTERVIEW),
            State.OFFERED,
            (EMPLOYER,),
            ReasonInput,
        ),
        Action(
            "reject",
            (State.SEEKER_ACCEPTED, State.INTERVIEW),
            State.EMPLOYER_DECLINED,
            (EMPLOYER,),
            RejectInput,
        ),
        Action(
            "accept-offer",
            (State.OFFERED,),
            State.START_PENDING,
            (SEEKER, MENTOR),
            AcceptOfferInput,
        ),
        Action(
            "decline-offer",
            (State.OFFERED,),
            State.OFFER_DECLINED,
            (SEEKER, MENTOR),
            ReasonInput,
            notifies=(),
        ),
        # Two confirmations, the employer's and the mentor's (an admin's where the seeker has no
        # mentor): the placement moves at the second.
        Action("confirm-start", (State.START_PENDING,), State.IN_WORK, (EMPLOYER, MENTOR)),
        Action("end", (State.IN_WORK,), State.ENDED, (EMPLOYER, SEEKER, MENTOR), EndInput, ()),
        Action("withdraw", OPEN_STATES, State.WITHDRAWN, (SEEKER, MENTOR), ReasonInput, ()),
    )
}

# Moves the service makes on its own when something else happens.
SYSTEM_MOVES = {
    a.name: a
    for a in (
        # The seeker started work through another placement or found a job elsewhere.
        Action(
            "close-started-elsewhere",
            OPEN_STATES,
            State.CLOSED_STARTED_ELSEWHERE,
            (SYSTEM,),
            notifies=(),
        ),
        # Every position of the vacancy is filled.
        Action(
            "close-vacancy-filled",
            OPEN_STATES,
            State.CLOSED_VACANCY_FILLED,
            (SYSTEM,),
            notifies=(),
        ),
    )
}

EVERY_MOVE = {**STARTS, **ACTIONS, **SYSTEM_MOVES}


def actions_from(state: str) -> list[str]:
    """The people's actions that may follow ``state``, in table order."""
    return [name for name, a in ACTIONS.items() if state in a.sources]


def waiting_for(state: str) -> str:
    """Who may move a placement on from ``state``, in words ("" once it is closed)."""
    actors = {who for name in actions_from(state) for who in ACTIONS[name].actors}
    return Action("", (), state, tuple(w for w in PARTY_WORDS if w in actors)).parties


def move_allowed(from_state: str, to_state: str) -> bool:
    """Whether some action or system move of the table goes from one state to the other."""
    return any(from_state in a.sources and a.target == to_state for a in EVERY_MOVE.values())


def table() -> str:
    """The workflow as a Markdown table, generated from the table above."""
    rows = [
        "| action | from | to | who (or an admin) | asks for | who is told |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for a in EVERY_MOVE.values():
        sources = "new" if a.sources == (NEW,) else ", ".join(f"`{s}`" for s in a.sources)
        who = "the system" if a.actors == (SYSTEM,) else a.parties
        asks = ", ".join(f"`{f}`" for f in a.input().fields) if a.input else ""
        told = ", ".join(
            PARTY_WORDS[p].removeprefix("the ").removeprefix("their ") for p in a.notifies
        )
        told = told or "nobody"
        rows.append(f"| `{a.name}` | {sources} | `{a.target}` | {who} | {asks} | {told} |")
    return "\n".join(rows) + "\n"


def diagram() -> str:
    """The workflow as a Mermaid state diagram, generated from the table."""
    lines = ["stateDiagram-v2"]
    for a in EVERY_MOVE.values():
        who = " or ".join(a.actors)
        for source in a.sources:
            lines.append(f"    {source or '[*]'} --> {a.target}: {a.name} ({who})")
    for state in TERMINAL_STATES:
        lines.append(f"    {state.value} --> [*]")
    return "\n".join(lines) + "\n"
