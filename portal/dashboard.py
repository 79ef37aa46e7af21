"""Cards on the home dashboard that other apps contribute.

Each feature app may have ``<app>/dashboard.py`` with ``cards(user, scope) -> list[Card]``;
the home page shows them in order. A card's data is read in a fixed, small number of
queries, so the home page's query count does not grow with the records behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

FEATURE_APPS = ("meetings", "learning", "assessment", "committee", "scorecards")


@dataclass
class Card:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


def cards_for(user: Any, scope: Any) -> list[Card]:
    cards: list[Card] = []
    for app in FEATURE_APPS:
        try:
            module = import_module(f"{app}.dashboard")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.dashboard":
                raise
            continue
        cards.extend(module.cards(user, scope))
    return sorted(cards, key=lambda c: c.order)
