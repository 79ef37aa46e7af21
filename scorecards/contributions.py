"""A member's own share in their branch's scorecard: what of theirs counted this quarter.

Each app's records are read through registered functions ``(user_id, period) -> list of
Evidence`` (a few queries for one member), declared in ``scorecards/metrics.py`` beside
the branch metrics they mirror.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # metrics.py imports this module to register its functions
    from scorecards.metrics import Evidence
    from scorecards.quarters import Quarter

ContributionFunction = Callable[[int, "Quarter"], list["Evidence"]]


@dataclass(frozen=True)
class Contribution:
    code: str
    label: str
    function: ContributionFunction


CONTRIBUTIONS: dict[str, Contribution] = {}


def contribution(
    code: str, *, label: str
) -> Callable[[ContributionFunction], ContributionFunction]:
    def register(function: ContributionFunction) -> ContributionFunction:
        CONTRIBUTIONS[code] = Contribution(code, label, function)
        return function

    return register


@dataclass
class ContributionRow:
    code: str
    label: str
    items: list[Evidence]


def member_contribution(user_id: int, period: Quarter) -> list[ContributionRow]:
    import scorecards.metrics  # noqa: F401 - registers the contribution functions

    return [
        ContributionRow(c.code, c.label, c.function(user_id, period))
        for _code, c in sorted(CONTRIBUTIONS.items())
    ]
