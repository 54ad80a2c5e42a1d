"""What every score of a run depends on besides the pair: the date, the skills' weights, the
travel model, whether occupation fit is in use, and the labels reasons are worded with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from matching.engine.skillspace import SkillSpace
from matching.engine.travel import ESTIMATED_TRAVEL, TravelTimes


@dataclass(frozen=True)
class MatchContext:
    """What every score depends on besides the pair: the date, the skill IDF, the travel model,
    whether occupation fit is in use (see ``weights.score_weights``), and labels for reasons."""

    today: date
    skill_space: SkillSpace
    travel: TravelTimes = ESTIMATED_TRAVEL
    use_occupations: bool = True
    labels: Mapping[str, str] = field(default_factory=dict)

    def label(self, key: str) -> str:
        """Return the human label of a skill key (a ``text:`` key is its own text)."""
        if key in self.labels:
            return self.labels[key]
        return key[5:] if key.startswith("text:") else key
